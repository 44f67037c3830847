/**
 * Release history of a package, as the signals need it: what was published *before* a version
 * in time (by `publishedAt`, not by semver order), the previous release, and release lines.
 *
 * Prerelease rule: when the version under review is a stable release, prereleases are ignored in
 * its history (a `-beta` published with provenance sets no baseline for the stable that follows);
 * when it is itself a prerelease, its history holds prereleases and stable releases alike.
 */
import semver from 'semver';
import type { Change, Ecosystem, Packument, VersionMeta } from '../model/index.js';
import { versionComparator } from '../versions/index.js';
import { timeOf } from './util.js';

export interface ParsedVersion {
  major: number;
  minor: number;
  prerelease: boolean;
}

// PEP 440 pre-releases and development releases (1.0a1, 1.0rc2, 1.0.dev3); post-releases are not pre-releases.
const GENERIC = /^v?(\d+)(?:\.(\d+))?[\d.]*(.*)$/i;
const GENERIC_PRE = /^[-_.]?(a|b|c|rc|alpha|beta|pre|preview|dev)[-_.]?\d*/i;

/** Parses an npm (semver) or PyPI-style version; null when it has no leading number. */
export function parseVersion(version: string): ParsedVersion | null {
  const sv = semver.parse(version, { loose: true });
  if (sv) return { major: sv.major, minor: sv.minor, prerelease: sv.prerelease.length > 0 };
  const m = GENERIC.exec(version.trim());
  if (!m) return null;
  const rest = m[3] ?? '';
  return {
    major: Number(m[1]),
    minor: m[2] === undefined ? 0 : Number(m[2]),
    prerelease: GENERIC_PRE.test(rest) || /[-_.]?dev\d*/i.test(rest),
  };
}

export function isPrerelease(version: string): boolean {
  return parseVersion(version)?.prerelease ?? false;
}

/** The release line of a version: the major (`4`), or `0.<minor>` for 0.x. Null when unparseable. */
export function releaseLine(version: string): string | null {
  const p = parseVersion(version);
  if (!p) return null;
  return p.major === 0 ? `0.${p.minor}` : String(p.major);
}

export function sameReleaseLine(a: string, b: string): boolean {
  const la = releaseLine(a);
  return la !== null && la === releaseLine(b);
}

export interface HistoryOptions {
  /** Only versions of the same release line as the version under review. */
  sameLine?: boolean;
}

/** A version and its publish time, as the history functions return them. */
export interface Dated {
  meta: VersionMeta;
  time: number;
}

/**
 * Versions published strictly before `version` in time, most recent first. Versions without a
 * publish time are left out; when `version` itself has no publish time the answer is [] (the
 * order is unknown, and guessing it from semver would make noise).
 */
export function publishedBefore(packument: Packument, version: string, options: HistoryOptions = {}): Dated[] {
  const target = packument.versions.get(version);
  const t0 = timeOf(target?.publishedAt);
  if (t0 === undefined) return [];
  const includePre = isPrerelease(version);
  const line = options.sameLine ? releaseLine(version) : null;
  if (options.sameLine && line === null) return [];
  const out: Dated[] = [];
  for (const [v, meta] of packument.versions) {
    if (v === version) continue;
    const t = timeOf(meta.publishedAt);
    if (t === undefined || t >= t0) continue;
    if (!includePre && isPrerelease(v)) continue;
    if (line !== null && releaseLine(v) !== line) continue;
    out.push({ meta, time: t });
  }
  out.sort((a, b) => b.time - a.time || compareVersionsDesc(a.meta.version, b.meta.version));
  return out;
}

function compareVersionsDesc(a: string, b: string): number {
  const va = semver.valid(a, { loose: true });
  const vb = semver.valid(b, { loose: true });
  if (va && vb) return semver.rcompare(va, vb, { loose: true });
  return a < b ? 1 : a > b ? -1 : 0;
}

/** The release published last before `version` (any line), or undefined. */
export function previousRelease(packument: Packument, version: string): Dated | undefined {
  return publishedBefore(packument, version)[0];
}

/** The release published last before `version` in the same release line, or undefined. */
export function previousInLine(packument: Packument, version: string): Dated | undefined {
  return publishedBefore(packument, version, { sameLine: true })[0];
}

/** The previous release in the same line, else the previous release in time. */
export function previousInLineOrTime(packument: Packument, version: string): Dated | undefined {
  return previousInLine(packument, version) ?? previousRelease(packument, version);
}

/**
 * The version the new one is compared with for "did this appear now?" questions: the base version
 * for upgrades and downgrades (when the registry still has it), else the previous release in time.
 */
export function comparisonVersion(change: Change, packument: Packument): VersionMeta | undefined {
  if (change.to === null) return undefined;
  return baseVersionMeta(change, packument) ?? previousRelease(packument, change.to)?.meta;
}

/** The base version of an upgrade or downgrade, when the registry still has it. */
function baseVersionMeta(change: Change, packument: Packument): VersionMeta | undefined {
  return change.from !== null && change.from !== change.to ? packument.versions.get(change.from) : undefined;
}

/** When the package's first release was published: the earlier of `time.created` and the earliest publish time. */
export function firstReleaseTime(packument: Packument): number | undefined {
  let first = timeOf(packument.created);
  for (const meta of packument.versions.values()) {
    const t = timeOf(meta.publishedAt);
    if (t !== undefined && (first === undefined || t < first)) first = t;
  }
  return first;
}

/**
 * Versions before `version` by version order (for documents whose publish times cannot be used),
 * highest first: its own release line first, then the rest. Same prerelease rule as {@link publishedBefore}.
 */
export function versionsBefore(packument: Packument, version: string, ecosystem: Ecosystem = 'npm'): VersionMeta[] {
  const cmp = versionComparator(ecosystem);
  const includePre = isPrerelease(version);
  const line = releaseLine(version);
  const same: VersionMeta[] = [];
  const other: VersionMeta[] = [];
  for (const [v, meta] of packument.versions) {
    if (v === version || cmp(v, version) >= 0) continue;
    if (!includePre && isPrerelease(v)) continue;
    (line !== null && releaseLine(v) === line ? same : other).push(meta);
  }
  const desc = (a: VersionMeta, b: VersionMeta) => cmp(b.version, a.version);
  return [...same.sort(desc), ...other.sort(desc)];
}

/** {@link comparisonVersion} by version order: the base version, else the highest earlier version (same line first). */
export function comparisonByVersion(change: Change, packument: Packument): VersionMeta | undefined {
  if (change.to === null) return undefined;
  return baseVersionMeta(change, packument) ?? versionsBefore(packument, change.to, change.ecosystem)[0];
}
