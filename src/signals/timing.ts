/**
 * Are a package's publish times usable? The time-based signals ({@link TIME_SIGNALS}) are not
 * evaluated when they are not, and the review says so: missing or unparseable times, times after `now`, or times that contradict the version
 * order within a minor line (a later patch published before an earlier one) are the document's
 * doing, and guessing from them would either make noise or hide a release.
 */
import type { Ecosystem, Packument, VersionMeta } from '../model/index.js';
import { versionComparator } from '../versions/index.js';
import { isPrerelease, parseVersion, publishedBefore, releaseLine, versionsBefore } from './history.js';
import type { SignalId, SignalInput } from './types.js';
import { HOUR_MS, registryTarget, timeOf } from './util.js';

/**
 * The signals that read publish times, or compare with a baseline chosen by them (the previous release
 * in time): not evaluated when the times cannot be used. install-script-* and trust-downgrade fall back
 * to version order instead ({@link releasesBefore}).
 */
export const TIME_SIGNALS: readonly SignalId[] = [
  'release-too-new',
  'dormant-revival',
  'young-package',
  'publisher-changed',
  'maintainers-changed',
  'provenance-source-changed',
];

/** Registry and runner clocks differ a little: a time this far after `now` is still plausible. */
const CLOCK_SKEW_MS = HOUR_MS;
/** No package index predates this (npm: 2010, the Python index: 2003). */
const EARLIEST = Date.parse('2000-01-01T00:00:00Z');

/**
 * Why the time-based signals are not evaluated for this change: its registry document's publish times
 * are missing, unreadable or implausible. Undefined: they are evaluated (or the change has no registry
 * history to read).
 */
export function timeSignalsSkipped(input: SignalInput): string | undefined {
  const rt = registryTarget(input);
  return rt ? unusableTimes(rt.packument, rt.version, input.now, input.change.ecosystem) : undefined;
}

/** Why the publish times of `packument` cannot be used for `version`, or undefined when they can. */
export function unusableTimes(packument: Packument, version: string, now: Date, ecosystem: Ecosystem = 'npm'): string | undefined {
  const own = timeOf(packument.versions.get(version)?.publishedAt);
  if (own === undefined) return packument.abbreviated ? 'the registry document has no publish times' : 'the version has no readable publish time';
  const latest = now.getTime() + CLOCK_SKEW_MS;
  for (const meta of packument.versions.values()) {
    const t = timeOf(meta.publishedAt);
    if (t === undefined) continue;
    if (t > latest) return 'the registry document has publish times after now';
    if (t < EARLIEST) return 'the registry document has publish times before 2000';
  }
  return minorLineInverted(packument, version, ecosystem) ? 'the registry document has a later version published before an earlier one' : undefined;
}

/**
 * Within the minor line of `version` (`1.4.x`), release order and publish order must agree.
 * (Backports to older minors or majors legitimately come after newer releases, so only a minor line is checked.)
 */
function minorLineInverted(packument: Packument, version: string, ecosystem: Ecosystem): boolean {
  const p = parseVersion(version);
  if (!p) return false;
  const pre = isPrerelease(version);
  const line: Array<{ v: string; t: number }> = [];
  for (const [v, meta] of packument.versions) {
    const q = parseVersion(v);
    const t = timeOf(meta.publishedAt);
    if (!q || t === undefined || q.major !== p.major || q.minor !== p.minor) continue;
    if (!pre && q.prerelease) continue;
    line.push({ v, t });
  }
  const cmp = versionComparator(ecosystem);
  line.sort((a, b) => cmp(a.v, b.v));
  for (let i = 1; i < line.length; i++) if (line[i]!.t < line[i - 1]!.t) return true;
  return false;
}

/** An earlier release; `time` only when the order came from usable publish times. */
export interface Prior {
  meta: VersionMeta;
  time?: number;
}

/**
 * The releases before `version`, most recent first: by publish time when the document's times are
 * usable, else by version order (so stripping or garbling `time` cannot hide a change from the
 * signals that compare with earlier releases).
 */
export function releasesBefore(packument: Packument, version: string, now: Date, ecosystem: Ecosystem, options: { sameLine?: boolean } = {}): Prior[] {
  if (unusableTimes(packument, version, now, ecosystem) === undefined) return publishedBefore(packument, version, options);
  const before = versionsBefore(packument, version, ecosystem).map((meta) => ({ meta }));
  if (!options.sameLine) return before;
  const line = releaseLine(version);
  return line === null ? [] : before.filter((d) => releaseLine(d.meta.version) === line);
}
