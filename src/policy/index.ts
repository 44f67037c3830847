/**
 * Policy: config + findings → the findings that count, and the conclusion. Pure.
 */
import semver from 'semver';
import {
  severityRank,
  type Conclusion,
  type Ecosystem,
  type Finding,
  type PolicyFinding,
  type PolicyNote,
  type Severity,
  type SignalId,
} from '../model/index.js';
import { normalizePythonName, pep440Satisfies } from '../versions/index.js';
import type { AllowEntry, Config } from './config.js';
import { cooldownFloor } from './cooldown.js';

export * from './config.js';
export { cooldownFloor, cooldownHold, isHeld } from './cooldown.js';
export { escalateTooNew } from './escalate.js';
export type { PolicyFinding, PolicyNote } from '../model/index.js';

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/** Does this entry cover `name` (exact, `@scope/*`, or glob)? */
export function allowMatchesName(entry: AllowEntry, name: string, ecosystem: Ecosystem = 'npm'): boolean {
  const pattern = ecosystem === 'pypi' ? normalizePythonName(entry.package) : entry.package;
  return pattern.includes('*') ? globToRegExp(pattern).test(name) : pattern === name;
}

/** End of the `until` day (UTC) when only a date is given. */
function expiry(entry: AllowEntry): number | undefined {
  if (!entry.until) return undefined;
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(entry.until) ? `${entry.until}T23:59:59.999Z` : entry.until);
  return Number.isNaN(t) ? undefined : t;
}

export function allowIsExpired(entry: AllowEntry, now: Date): boolean {
  const t = expiry(entry);
  return t !== undefined && t < now.getTime();
}

/** An approval's entry: this name and this version string exactly (an approval never covers another version). */
function exactMatch(entry: AllowEntry, name: string, version: string | null, ecosystem: Ecosystem): boolean {
  const same = ecosystem === 'pypi' ? normalizePythonName(entry.package) === normalizePythonName(name) : entry.package === name;
  return same && entry.version !== undefined && version === entry.version;
}

/** Does the entry accept `signal` for name@version at `now`? */
export function allowAccepts(entry: AllowEntry, name: string, version: string | null, signal: string, now: Date, ecosystem: Ecosystem = 'npm'): boolean {
  if (entry.ecosystem !== undefined && entry.ecosystem !== ecosystem) return false;
  if (entry.exact) {
    if (!exactMatch(entry, name, version, ecosystem)) return false;
  } else if (!allowMatchesName(entry, name, ecosystem)) return false;
  if (allowIsExpired(entry, now)) return false;
  if (entry.version !== undefined && !entry.exact) {
    if (version === null) return false;
    if (ecosystem === 'pypi') {
      if (!pep440Satisfies(version, entry.version)) return false;
    } else {
      if (!semver.valid(version)) return false;
      if (!semver.satisfies(version, entry.version, { includePrerelease: true })) return false;
    }
  }
  if (entry.signals && !entry.signals.includes(signal as SignalId)) return false;
  return true;
}

/**
 * Applies per-signal overrides and the allowlist to one change's findings.
 * Findings switched `off` disappear; allowed ones stay visible, marked, but do not count.
 */
export function applyPolicy(
  findings: readonly Finding[],
  pkg: { name: string; version: string | null; ecosystem?: Ecosystem },
  config: Config,
  now: Date,
  used?: Set<AllowEntry>,
): PolicyFinding[] {
  const out: PolicyFinding[] = [];
  for (const f of findings) {
    const override = config.signals.get(f.signal as SignalId);
    if (override === 'off') continue;
    const pf: PolicyFinding = override ? { ...f, severity: override } : { ...f };
    const entry = config.allow.find((e) => allowAccepts(e, pkg.name, pkg.version, f.signal, now, pkg.ecosystem ?? 'npm'));
    if (entry) {
      used?.add(entry);
      pf.allowed = { reason: entry.reason };
      if (entry.by) pf.allowed.by = entry.by;
      if (entry.until) pf.allowed.until = entry.until;
      if (entry.line) pf.allowed.line = entry.line;
    }
    out.push(pf);
  }
  return out.sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
}

/** Notes about the allowlist worth showing a reviewer: expired entries that would have matched. */
export function allowNotes(config: Config, now: Date): PolicyNote[] {
  return config.allow
    .filter((e) => allowIsExpired(e, now))
    .map((e) => ({
      kind: 'allow-expired' as const,
      message: `allow entry for ${e.package}${e.version ? `@${e.version}` : ''} expired on ${e.until}`,
      ...(e.line ? { line: e.line } : {}),
    }));
}

/** The highest severity among findings that count (not allowed). */
export function maxSeverity(findings: readonly PolicyFinding[]): Severity | null {
  let best: Severity | null = null;
  for (const f of findings) {
    if (f.allowed) continue;
    if (best === null || severityRank(f.severity) > severityRank(best)) best = f.severity;
  }
  return best;
}

/**
 * Conclusion: any counted finding ≥ failOn → failure; ≥ warnOn → neutral; else success. A release held
 * by the cooldown makes it at least `cooldown.conclusion`. Anything incomplete can never be a clean success.
 */
/**
 * `failClosedCount`: packages that could not be reviewed for a reason an attacker can cause (a rejected
 * document, work over a cap, an internal error): those fail the check whatever `incomplete` says.
 */
export function conclude(findings: readonly PolicyFinding[], incompleteCount: number, config: Config, failClosedCount = 0): Conclusion {
  if (failClosedCount > 0) return 'failure';
  const top = maxSeverity(findings);
  let c: Conclusion = 'success';
  if (top !== null && severityRank(top) >= severityRank(config.failOn)) c = 'failure';
  else if (top !== null && severityRank(top) >= severityRank(config.warnOn)) c = 'neutral';
  // a release still inside the cooldown window holds the check until it ages (never lowers a failure)
  const hold = cooldownFloor(findings, config);
  if (hold === 'failure' || (hold === 'neutral' && c === 'success')) c = hold;
  if (incompleteCount > 0 && c !== 'failure') c = config.incomplete;
  return c;
}
export * from './content-config.js';
