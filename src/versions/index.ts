/**
 * Version order and name rules per ecosystem: semver for npm, PEP 440 for Python packages.
 * Pure functions used by the diff (pairing removed and added versions in order) and the signals.
 */
import semver from 'semver';
import * as pep440 from '@renovatebot/pep440';
import type { Ecosystem } from '../model/index.js';

export type VersionComparator = (a: string, b: string) => number;

const semverCache = new Map<string, semver.SemVer | null>();

function parseSemver(v: string): semver.SemVer | null {
  let p = semverCache.get(v);
  if (p === undefined) {
    p = semver.parse(v, { loose: true });
    if (semverCache.size > 50_000) semverCache.clear();
    semverCache.set(v, p);
  }
  return p;
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Semver order (build metadata breaks ties); versions that are not semver sort after, by text. */
export function compareSemver(a: string, b: string): number {
  if (a === b) return 0;
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  if (pa && pb) {
    const c = pa.compare(pb) || pa.compareBuild(pb);
    if (c !== 0) return c;
  } else if (pa) return -1;
  else if (pb) return 1;
  return byText(a, b);
}

const pep440Valid = new Map<string, boolean>();

/** Is the text a PEP 440 version (`1.0`, `2!1.0.post1`, `1.0rc1`, `1.0+local`)? */
export function isPep440(v: string): boolean {
  let ok = pep440Valid.get(v);
  if (ok === undefined) {
    ok = pep440.valid(v) !== null;
    if (pep440Valid.size > 50_000) pep440Valid.clear();
    pep440Valid.set(v, ok);
  }
  return ok;
}

/** Is the text a release-only version (`1.2.3`: 1 to 15 digits per segment, single dots between)? */
export function isPlainRelease(v: string): boolean {
  const n = v.length;
  let digits = 0;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits > 15) return false;
    } else if (c === 46 && digits > 0) digits = 0;
    else return false;
  }
  return digits > 0;
}

/**
 * PEP 440 order of two {@link isPlainRelease} versions (nearly every locked version), without the
 * general parser: segment by segment as numbers, a missing segment counting as 0 (so `1.0` and
 * `1.0.0` are equal here, as PEP 440 says).
 */
export function compareReleases(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    let x = 0;
    for (; i < n; i++) {
      const c = a.charCodeAt(i);
      if (c === 46) break;
      x = x * 10 + (c - 48);
    }
    i++;
    let y = 0;
    for (; j < m; j++) {
      const c = b.charCodeAt(j);
      if (c === 46) break;
      y = y * 10 + (c - 48);
    }
    j++;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * PEP 440 order (`1.0.dev1 < 1.0a1 < 1.0 < 1.0.post1`, `1.0 == 1.0.0` with the text breaking the tie);
 * versions that are not PEP 440 sort after, by text.
 */
export function comparePep440(a: string, b: string): number {
  if (a === b) return 0;
  if (isPlainRelease(a) && isPlainRelease(b)) return compareReleases(a, b) || byText(a, b);
  const va = isPep440(a);
  const vb = isPep440(b);
  if (va && vb) {
    const c = pep440.compare(a, b);
    if (c !== 0) return c < 0 ? -1 : 1;
  } else if (va) return -1;
  else if (vb) return 1;
  return byText(a, b);
}

export function versionComparator(ecosystem: Ecosystem): VersionComparator {
  return ecosystem === 'pypi' ? comparePep440 : compareSemver;
}

/** PEP 503 normalised project name: lower case, runs of `-`, `_`, `.` become one `-`. */
export function normalizePythonName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** The name as the ecosystem compares it (npm names are case-sensitive and kept as written). */
export function normalizeName(ecosystem: Ecosystem, name: string): string {
  return ecosystem === 'pypi' ? normalizePythonName(name) : name;
}

/** A PEP 440 specifier (`>=1.0,<2`, `==1.82.8`, `~=2.1`) or a bare version (meaning `==` it). */
export function isPep440Range(spec: string): boolean {
  const t = spec.trim();
  if (t === '') return false;
  return isPep440(t) || pep440.validRange(t);
}

/** Does a Python version satisfy a specifier (a bare version means exactly it)? Prereleases count. */
export function pep440Satisfies(version: string, spec: string): boolean {
  if (!isPep440(version)) return false;
  const t = spec.trim();
  if (isPep440(t)) return pep440.eq(version, t);
  return pep440.validRange(t) ? pep440.satisfies(version, t, { prereleases: true }) : false;
}
