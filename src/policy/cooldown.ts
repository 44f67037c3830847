/**
 * The cooldown gate: counted release-too-new findings hold the check (neutral, or failure when the
 * config says so) until the last held release is older than the window; then it passes by itself.
 */
import type { Conclusion, CooldownHold, HeldRelease, PolicyFinding, ReviewedChange } from '../model/index.js';
import type { Config } from './config.js';

export const RELEASE_TOO_NEW = 'release-too-new';

/** A release-too-new finding that counts (not switched off, not accepted) and says when it clears. */
export function isHeld(f: PolicyFinding): boolean {
  return f.signal === RELEASE_TOO_NEW && !f.allowed && typeof f.evidence['expiresAt'] === 'string' && !Number.isNaN(Date.parse(f.evidence['expiresAt']));
}

/** What the hold makes of the check at least, or null when nothing is held or the gate is off. */
export function cooldownFloor(findings: readonly PolicyFinding[], config: Config): Exclude<Conclusion, 'success'> | null {
  if (config.cooldown.conclusion === 'off') return null;
  return findings.some(isHeld) ? config.cooldown.conclusion : null;
}

/** The held releases of a review, the last clear time and the gate's conclusion; undefined when none. */
export function cooldownHold(changes: readonly ReviewedChange[], config: Config): CooldownHold | undefined {
  if (config.cooldown.conclusion === 'off') return undefined;
  const held: HeldRelease[] = [];
  for (const c of changes) {
    const f = c.findings.find(isHeld);
    if (f && c.to !== null) held.push(heldRelease(c, c.to, f));
  }
  if (held.length === 0) return undefined;
  held.sort((a, b) => Date.parse(a.clearsAt) - Date.parse(b.clearsAt) || a.name.localeCompare(b.name));
  const last = held[held.length - 1]!.clearsAt;
  return { held, clearsAt: last, conclusion: config.cooldown.conclusion };
}

function heldRelease(c: ReviewedChange, version: string, f: PolicyFinding): HeldRelease {
  const e = f.evidence;
  const h: HeldRelease = {
    ecosystem: c.ecosystem,
    name: c.name,
    version,
    lockfile: c.lockfile,
    line: c.line,
    clearsAt: new Date(e['expiresAt'] as string).toISOString(),
  };
  if (typeof e['publishedAt'] === 'string') h.publishedAt = e['publishedAt'];
  const alt = e['alternative'] as { version?: unknown; publishedAt?: unknown; sameLine?: unknown } | undefined;
  if (alt && typeof alt.version === 'string' && typeof alt.publishedAt === 'string') {
    h.alternative = { version: alt.version, publishedAt: alt.publishedAt, sameLine: alt.sameLine === true };
  }
  return h;
}
