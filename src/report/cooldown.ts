/**
 * The cooldown in reports: the headline while releases are held, and the list of held releases with
 * the time each clears and the older release a reviewer could pin instead.
 */
import { severityRank, type HeldRelease, type ReviewResult, type Severity } from '../model/index.js';
import { code } from './escape.js';

const MINUTE_MS = 60_000;
const SHOWN = 30;

/** `2026-12-08 14:01 UTC`, rounded up to the minute (the release has cleared by the time shown). */
export function clearTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const up = new Date(Math.ceil(t / MINUTE_MS) * MINUTE_MS).toISOString();
  return `${up.slice(0, 10)} ${up.slice(11, 16)} UTC`;
}

/** `Waiting for 2 packages to age: clears at 2026-12-08 14:01 UTC`, or undefined when nothing is held. */
export function cooldownTitle(r: ReviewResult): string | undefined {
  const hold = r.cooldown;
  if (!hold || hold.held.length === 0) return undefined;
  const n = hold.held.length;
  return `Waiting for ${n} package${n === 1 ? '' : 's'} to age: clears at ${clearTime(hold.clearsAt)}`;
}

function alternativeText(h: HeldRelease, value: (s: string) => string): string {
  const a = h.alternative;
  if (!a) return 'no older release outside the window';
  const line = a.sameLine ? '' : ', another release line';
  return `or pin ${value(a.version)} (published ${a.publishedAt.slice(0, 10)}${line})`;
}

/**
 * The held releases a report lists on their own: those of changes below `min` (a risky change's
 * section already shows its release-too-new finding, with the release to pin).
 */
export function heldToList(r: ReviewResult, min: Severity): HeldRelease[] {
  const risky = new Set(
    r.changes.filter((c) => c.severity !== null && severityRank(c.severity) >= severityRank(min)).map((c) => `${c.lockfile}\u0000${c.name}\u0000${c.to}`),
  );
  return (r.cooldown?.held ?? []).filter((h) => !risky.has(`${h.lockfile}\u0000${h.name}\u0000${h.version}`));
}

/** The hold as Markdown lines (values from the registry escaped), [] when nothing is listed. */
export function cooldownMarkdown(r: ReviewResult, min: Severity): string[] {
  const held = heldToList(r, min);
  if (!r.cooldown || held.length === 0) return [];
  const out = [
    '',
    `**Cooldown (${held.length}):** ${held.length === 1 ? 'this release is' : 'these releases are'} younger than the cooldown window; the check re-runs by itself once the last clears (${clearTime(r.cooldown.clearsAt)}).`,
  ];
  for (const h of held.slice(0, SHOWN)) {
    out.push(
      `- ${code(h.name, 100)} ${code(h.version, 60)} (${code(h.lockfile, 200)} line ${h.line}): clears at ${clearTime(h.clearsAt)}; ${alternativeText(h, (s) => code(s, 60))}`,
    );
  }
  if (held.length > SHOWN) out.push(`- … and ${held.length - SHOWN} more`);
  return out;
}

/** The hold as plain lines for the terminal; `clean` strips what a registry value must not carry there. */
export function cooldownLines(r: ReviewResult, min: Severity, clean: (s: string) => string): string[] {
  return heldToList(r, min).map(
    (h) => `${clean(h.name)}@${clean(h.version)} (${clean(h.lockfile)}:${h.line}) clears at ${clearTime(h.clearsAt)}; ${alternativeText(h, clean)}`,
  );
}
