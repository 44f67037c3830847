/**
 * What the TOML Python lockfile parsers (poetry.lock, uv.lock, pylock.toml) share once the text is
 * read: package names (PEP 503, refused when not a project name), unique ids, hashes → integrity,
 * dependency resolution by name (and version where the format records one), and the small graph
 * walks that give the root's direct dependencies and dev-only packages.
 *
 * Nothing here is fetched: URLs and paths are the lockfile's own strings.
 */
import * as pep440 from '@renovatebot/pep440';
import { LockfileError } from '../errors.js';
import type { LockHash, LockPackage, PackageFlags, Source } from '../model.js';
import { normalizePythonName } from '../versions/index.js';
import { parseHashSpec, uniqueHashes } from './python.js';
import { tomlKind, tomlString, type TomlTable, type TomlValue } from './toml.js';

const NAME_RE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

export function lockError(file: string, message: string, line: number): never {
  throw new LockfileError(message, { file, line });
}

/** A value's text for messages: quoted and shortened. */
export function quote(s: string): string {
  return JSON.stringify(s.length > 100 ? `${s.slice(0, 100)}…` : s);
}

/**
 * The PEP 503 name of a project name as written; a string that is not a project name (PEP 508:
 * letters, digits, `.`, `_`, `-`) is refused, so `__proto__`, paths or URLs never become names.
 */
export function projectName(file: string, raw: TomlValue | undefined, line: number, what = 'package'): string {
  if (typeof raw !== 'string') lockError(file, `${what} name is ${tomlKind(raw)}, not a string`, line);
  if (raw.length > 512 || !NAME_RE.test(raw)) lockError(file, `invalid ${what} name ${quote(raw)}`, line);
  return normalizePythonName(raw);
}

/** A required string field of `t`. */
export function needString(file: string, t: TomlTable, key: string, what: string): string {
  const v = t.get(key);
  if (v === undefined) lockError(file, `${what} has no "${key}"`, t.line);
  if (typeof v !== 'string') lockError(file, `${what} "${key}" is ${tomlKind(v)}, not a string`, t.lineOf(key) ?? t.line);
  return v;
}

/** An optional string field of `t` (present but not a string: an error). */
export function optString(file: string, t: TomlTable, key: string, what: string): string | undefined {
  const v = t.get(key);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') lockError(file, `${what} "${key}" is ${tomlKind(v)}, not a string`, t.lineOf(key) ?? t.line);
  return v;
}

export function flagsOf(dev: boolean, optional = false): PackageFlags {
  return { dev, optional, devOptional: false, peer: false, hasInstallScript: false, bundled: false };
}

/** `algorithm:digest` → a {@link LockHash}, or a LockfileError at `line`. */
export function hashOf(file: string, spec: string, line: number, fileName?: string): LockHash {
  // The common case without a regular expression: `sha256:` and 64 lower-case hex digits.
  if (spec.length === 71 && spec.startsWith('sha256:') && isLowerHex(spec, 7)) {
    const digest = spec.slice(7);
    return fileName === undefined ? { algorithm: 'sha256', digest } : { algorithm: 'sha256', digest, file: fileName };
  }
  const h = parseHashSpec(spec, fileName);
  if (h === undefined) lockError(file, `invalid hash ${quote(spec)} (expected "algorithm:hexdigest")`, line);
  return h;
}

/** Lower-case hex digits (0-9, a-f) by character code. */
const LOWER_HEX = new Uint8Array(128);
for (const c of '0123456789abcdef') LOWER_HEX[c.charCodeAt(0)] = 1;

function isLowerHex(s: string, from: number): boolean {
  let ok = 1;
  for (let i = from; i < s.length; i++) ok &= LOWER_HEX[s.charCodeAt(i) & 127]! & (s.charCodeAt(i) < 128 ? 1 : 0);
  return ok === 1;
}

/** The last path segment of a URL or path (query and fragment dropped), for a hash's file name. */
export function fileNameOf(urlOrPath: string): string | undefined {
  let end = urlOrPath.length;
  const q = urlOrPath.indexOf('?');
  if (q >= 0) end = q;
  const h = urlOrPath.indexOf('#');
  if (h >= 0 && h < end) end = h;
  const slash = Math.max(urlOrPath.lastIndexOf('/', end - 1), urlOrPath.lastIndexOf('\\', end - 1));
  const base = urlOrPath.slice(slash + 1, end);
  if (base === '') return undefined;
  if (!base.includes('%')) return base;
  try {
    return decodeURIComponent(base);
  } catch {
    return base;
  }
}

/** Sets `hashes` (without repeats) and `integrity` on a package; nothing when there is no hash. */
export function setHashes(pkg: LockPackage, hashes: readonly LockHash[]): void {
  const n = hashes.length;
  if (n === 0) return;
  // Sorted keys, repeats dropped as they meet (the same result as hashesIntegrity, without a Set).
  const keys = new Array<string>(n);
  for (let i = 0; i < n; i++) keys[i] = `${hashes[i]!.algorithm}:${hashes[i]!.digest}`;
  keys.sort();
  let out = keys[0]!;
  let repeats = false;
  for (let i = 1; i < n; i++) {
    if (keys[i] === keys[i - 1]) repeats = true;
    else out += ` ${keys[i]!}`;
  }
  pkg.hashes = repeats ? uniqueHashes(hashes) : hashes.slice();
  pkg.integrity = out;
}

/** `url#commit` (the diff compares sources without their fragment, as for npm git URLs). */
export function gitSource(url: string, commit: string | undefined): Source {
  if (commit === undefined || commit === '' || url.endsWith(`#${commit}`)) return { type: 'git', url };
  const hash = url.indexOf('#');
  return { type: 'git', url: `${hash >= 0 ? url.slice(0, hash) : url}#${commit}` };
}

/** Packages of one lockfile by name, with ids unique in the file. */
export class PackageSet {
  readonly packages: LockPackage[] = [];
  private readonly byName = new Map<string, LockPackage[]>();
  private readonly idCount = new Map<string, number>();

  /** Adds a package; its id is `name@version`, with ` (2)`, ` (3)`… for later copies of the same. */
  add(name: string, version: string, source: Source, flags: PackageFlags, line: number): LockPackage {
    const base = version === '' ? name : `${name}@${version}`;
    const n = (this.idCount.get(base) ?? 0) + 1;
    this.idCount.set(base, n);
    const id = n === 1 ? base : `${base} (${n})`;
    const pkg: LockPackage = { id, name, version, source, flags, line, deps: [] };
    this.packages.push(pkg);
    const list = this.byName.get(name);
    if (list === undefined) this.byName.set(name, [pkg]);
    else list.push(pkg);
    return pkg;
  }

  /** The copies of a (normalised) name, in file order. */
  named(name: string): readonly LockPackage[] {
    return this.byName.get(name) ?? NONE;
  }
}

const NONE: readonly LockPackage[] = [];

/** Adds an edge once. */
export function addDep(from: { deps: string[] }, to: LockPackage): void {
  if (!from.deps.includes(to.id)) from.deps.push(to.id);
}

/** Same PEP 440 version (`1.0` and `1.0.0`), or the same text when either is not PEP 440. */
export function pep440Equal(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return pep440.valid(a) !== null && pep440.valid(b) !== null && pep440.eq(a, b);
  } catch {
    return false;
  }
}

/** Does `version` satisfy any of the constraints (PEP 440 or `*`; an unreadable constraint matches)? */
export function satisfiesAny(version: string, constraints: readonly string[]): boolean {
  if (constraints.length === 0) return true;
  for (const c of constraints) {
    const t = c.trim();
    if (t === '' || t === '*') return true;
    try {
      if (pep440.valid(t) !== null) {
        if (pep440.valid(version) !== null && pep440.eq(version, t)) return true;
        continue;
      }
      if (!pep440.validRange(t)) return true; // poetry's own syntax (`^1.2`): cannot tell, keep the candidate
      if (pep440.valid(version) !== null && pep440.satisfies(version, t, { prereleases: true })) return true;
    } catch {
      return true;
    }
  }
  return false;
}

/** Ids of the packages no other package depends on (excluding self-edges), in file order. */
export function unreferenced(packages: readonly LockPackage[]): string[] {
  const referenced = new Set<string>();
  for (const p of packages) for (const d of p.deps) if (d !== p.id) referenced.add(d);
  const out: string[] = [];
  for (const p of packages) if (!referenced.has(p.id)) out.push(p.id);
  return out;
}

/**
 * Marks `flags.dev` on the packages reachable from `devRoots` but not from `prodRoots` (through
 * `deps`). Packages reachable from neither keep their flag.
 */
export function markDevOnly(packages: readonly LockPackage[], prodRoots: readonly string[], devRoots: readonly string[]): void {
  const byId = new Map<string, LockPackage>();
  for (const p of packages) byId.set(p.id, p);
  const reach = (roots: readonly string[]): Set<string> => {
    const seen = new Set<string>();
    const queue: string[] = [];
    for (const r of roots) {
      if (!seen.has(r) && byId.has(r)) {
        seen.add(r);
        queue.push(r);
      }
    }
    for (let i = 0; i < queue.length; i++) {
      for (const d of byId.get(queue[i]!)!.deps) {
        if (!seen.has(d) && byId.has(d)) {
          seen.add(d);
          queue.push(d);
        }
      }
    }
    return seen;
  };
  const prod = reach(prodRoots);
  for (const id of reach(devRoots)) if (!prod.has(id)) byId.get(id)!.flags.dev = true;
}
