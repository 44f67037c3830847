/**
 * Combinations raise severity: obfuscation next to network or credential capabilities in one change is
 * critical; a capability or obfuscation in an entry point or install target is high; a same-publisher
 * patch release raises more (./release-escalation.ts).
 */
import { SEVERITIES, type Severity, severityRank } from '../model/finding.js';
import { isStrong } from './capability-findings.js';
import { freshKinds, hasKind, raise } from './raise.js';
import { escalateRelease } from './release-escalation.js';
import type { ContentFinding, DetectorContext } from './types.js';

const EXFIL = ['network', 'host:', 'credential:', 'env-dump', 'secret-to-network', 'remote-code', 'browser-hook', 'process-exec'];

/** Code built from decoded or downloaded data and run: the payload shape itself, high wherever it sits. */
const DECODED_CODE = ['decoded-code', 'remote-code', 'eval-of-decoded'];

/** Severity from the other findings of the same package and where the file sits. */
export function escalate(findings: readonly ContentFinding[], ctx: DetectorContext): ContentFinding[] {
  if (!ctx.hasPrevious) return [...findings];
  const obfuscated = findings.filter((f) => f.signal === 'obfuscated-code' && f.severity !== 'low' && f.severity !== 'info');
  const exfil = findings.filter((f) => f.signal === 'new-capability' && hasKind(f, EXFIL));
  // Same file: one package's minified plugin and another file's new spawn are not one payload.
  const files = new Set(obfuscated.map((f) => f.evidence.file).filter((file) => exfil.some((e) => e.evidence.file === file)));
  const combined = new Set([...obfuscated, ...exfil].filter((f) => files.has(f.evidence.file)));
  const placedAndCombined = findings.map((original) => {
    const f = hasKind(original, DECODED_CODE) ? raise(original, 'high', 'runs-decoded-code') : original;
    if (combined.has(original)) return raise(f, 'critical', 'obfuscation+capability');
    if (!ctx.entryPoints.has(f.evidence.file) && !ctx.installTargets.has(f.evidence.file)) return f;
    return placed(f);
  });
  return escalateRelease(placedAndCombined, ctx.release);
}

/**
 * In an entry point or install target: a strong kind, or spawn with network (download and run) → high;
 * spawn or network alone → medium (a CLI that starts running git); other kinds stay.
 */
function placed(f: ContentFinding): ContentFinding {
  if (f.signal === 'obfuscated-code' && f.severity === 'medium') return raise(f, 'high', 'entry-point');
  if (f.signal !== 'new-capability') return f;
  const fresh = freshKinds(f);
  const spawn = fresh.includes('process-exec');
  const network = fresh.some((k) => k === 'network' || k.startsWith('host:'));
  if (fresh.some(isStrong) || (spawn && network)) return raise(f, 'high', 'entry-point');
  return spawn || fresh.includes('network') ? raise(f, 'medium', 'entry-point') : f;
}

export function highest(findings: readonly ContentFinding[]): Severity | null {
  let best = -1;
  for (const f of findings) best = Math.max(best, severityRank(f.severity));
  return best < 0 ? null : SEVERITIES[best]!;
}
