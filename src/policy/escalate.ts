/**
 * A release inside the cooldown window that also has another counted finding at medium or above is
 * no longer a matter of waiting: its release-too-new finding is raised to high, naming the other.
 * Runs after the overrides and the allowlist, so only findings that count escalate.
 */
import { severityRank, type PolicyFinding } from '../model/index.js';
import type { Config } from './config.js';
import { RELEASE_TOO_NEW } from './cooldown.js';

const ESCALATED = 'high';
/** possible-takeover already weighs an hours-old release: escalating beside it would count it twice. */
const ALREADY_COMBINED = 'possible-takeover';

export function escalateTooNew(findings: readonly PolicyFinding[], config: Config): PolicyFinding[] {
  if (config.cooldown.conclusion === 'off') return [...findings];
  const i = findings.findIndex((f) => f.signal === RELEASE_TOO_NEW && !f.allowed);
  if (i < 0 || severityRank(findings[i]!.severity) >= severityRank(ESCALATED)) return [...findings];
  const counted = findings.filter((f) => !f.allowed && f.signal !== RELEASE_TOO_NEW);
  if (counted.some((f) => f.signal === ALREADY_COMBINED)) return [...findings];
  const others = counted.filter((f) => severityRank(f.severity) >= severityRank('medium'));
  if (others.length === 0) return [...findings];
  const tooNew = findings[i]!;
  const names = others.map((f) => `${f.signal} (${f.severity})`);
  const raised: PolicyFinding = {
    ...tooNew,
    severity: ESCALATED,
    message: `${tooNew.message} It also has ${names.join(', ')}: a release this new with that is not left to age.`,
    evidence: { ...tooNew.evidence, escalatedFrom: tooNew.severity, escalatedBy: others.map((f) => f.signal) },
  };
  const out = findings.map((f, k) => (k === i ? raised : f));
  return out.sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
}
