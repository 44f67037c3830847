/**
 * What the TOML Python lockfile parsers (poetry.lock, uv.lock, pylock.toml) share once the text is
 * read: package names (PEP 503, refused when not a project name), unique ids, hashes → integrity,
 * dependency resolution by name (and version where the format records one), and the small graph
 * walks that give the root's direct dependencies and dev-only packages.
 *
 * Nothing here is fetched: URLs and paths are the lockfile's own strings.
 */
import * as pep440 from '@renovatebot/pep440';
import { LockfileError } from '../../errors.js';
import { checkPackageCount } from './limits.js';
import type { LockHash, LockPackage, PackageFlags, Source } from '../../model/index.js';
import { compareReleases, isPlainRelease, normalizePythonName } from '../../versions/index.js';
import { parseHashSpec, uniqueHashes } from './python.js';
import { tomlKind, type TomlTable, type TomlValue } from '../readers/toml.js';

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

/** `what`, followed by the quoted `name` when there is one (built only for a message). */
function subject(what: string, name: string | undefined): string {
  return name === undefined ? what : `${what} ${quote(name)}`;
}

/** A required string field of `t` (`what` and `name` say whose, in messages: `package "x"`). */
export function needString(file: string, t: TomlTable, key: string, what: string, name?: string): string {
  const v = t.get(key);
  if (v === undefined) lockError(file, `${subject(what, name)} has no "${key}"`, t.line);
  if (typeof v !== 'string') lockError(file, `${subject(what, name)} "${key}" is ${tomlKind(v)}, not a string`, t.lineOf(key) ?? t.line);
  return v;
}

/** An optional string field of `t` (present but not a string: an error). */
export function optString(file: string, t: TomlTable, key: string, what: string, name?: string): string | undefined {
  const v = t.get(key);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') lockError(file, `${subject(what, name)} "${key}" is ${tomlKind(v)}, not a string`, t.lineOf(key) ?? t.line);
  return v;
}

export function flagsOf(dev: boolean, optional = false): PackageFlags {
  return { dev, optional, devOptional: false, peer: false, hasInstallScript: false, bundled: false };
}

/** `algorithm:digest` → a {@link LockHash}, or a LockfileError at `line`. */
export function hashOf(file: string, spec: string, line: number, fileName?: string): LockHash {
  // The common case without a regular expression: `sha256:` and 64 lower-case hex digits.
  if (isPlainSha256(spec)) {
    const digest = spec.slice(7);
    return fileName === undefined ? { algorithm: 'sha256', digest } : { algorithm: 'sha256', digest, file: fileName };
  }
  const h = parseHashSpec(spec, fileName);
  if (h === undefined) lockError(file, `invalid hash ${quote(spec)} (expected "algorithm:hexdigest")`, line);
  return h;
}

/** Is the text `sha256:` and 64 lower-case hex digits (what every tool writes)? */
function isPlainSha256(spec: string): boolean {
  if (spec.length !== 71) return false;
  // its UTF-8 bytes: the prefix as two words, the digits four at a time (see isHexBytes)
  const r = encoder.encodeInto(spec, scratch);
  return r.read === 71 && r.written === 71 && view.getUint32(0, true) === SHA2 && view.getUint16(4, true) === 0x3635 && scratch[6] === 58 && isHexBytes(7, 71);
}

/** The number the nine hex digits at `scratch[from]` make (after a successful check): the sort key of a plain hash. */
function prefixNumber(from: number): number {
  let v = 0;
  for (let i = from; i < from + 9; i++) {
    const c = scratch[i]!;
    v = v * 16 + (c <= 57 ? c - 48 : c - 87);
  }
  return v;
}

/** Is the text 64 lower-case hex digits? */
function isLowerHex64(digest: string): boolean {
  if (digest.length !== 64) return false;
  const r = encoder.encodeInto(digest, scratch);
  return r.read === 64 && r.written === 64 && isHexBytes(0, 64);
}

const encoder = new TextEncoder();
/** Bytes of the text being checked (charCodeAt on the sliced strings the reader returns costs twice as much). */
const scratch = new Uint8Array(80);
const view = new DataView(scratch.buffer);
/** `sha2` as a little-endian word. */
const SHA2 = 0x32616873;

/**
 * Are `scratch[from, to)` (a multiple of 4 bytes) lower-case hex digits? A byte is a digit when
 * `b + (0x80 - 0x30)` has its top bit set (b >= 0x30) and `b + (0x7f - 0x39)` has not (b <= 0x39),
 * likewise for 0x61–0x66; sums carry into the next byte only from bytes of 0x80 and more, which
 * the word's own top bits refuse anyway.
 */
function isHexBytes(from: number, to: number): boolean {
  let bad = 0;
  for (let i = from; i < to; i += 4) {
    const w = view.getUint32(i, true);
    bad |= w | ~(((w + 0x50505050) & ~(w + 0x46464646)) | ((w + 0x1f1f1f1f) & ~(w + 0x19191919)));
  }
  return (bad & 0x80808080) === 0;
}

/**
 * The hashes of one package as they are read, each with its `algorithm:digest` text (the spec as
 * written when it is already that), so that the integrity is made from those texts without
 * rebuilding them ({@link setHashList}).
 */
export class HashList {
  readonly hashes: LockHash[] = [];
  readonly keys: string[] = [];
  /** Every key so far is `sha256:` and 64 lower-case hex digits. */
  plain = true;
  /** While plain: the number the first nine digest digits of each key make (its sort key). */
  readonly nums: number[] = [];

  /** One `algorithm:digest` spec (a LockfileError at `line` when it is not one). */
  add(file: string, spec: string, line: number, fileName: string | undefined): void {
    if (isPlainSha256(spec)) {
      const digest = spec.slice(7);
      this.hashes.push(fileName === undefined ? { algorithm: 'sha256', digest } : { algorithm: 'sha256', digest, file: fileName });
      this.keys.push(spec);
      this.nums.push(prefixNumber(7));
      return;
    }
    const h = hashOf(file, spec, line, fileName);
    this.hashes.push(h);
    this.keys.push(`${h.algorithm}:${h.digest}`);
    this.plain = false;
  }

  /** A hash given as algorithm and digest (pylock's `hashes = { sha256 = "…" }`), the key of `table` (which gives the line of an error). */
  addParts(file: string, algorithm: string, digest: string, table: TomlTable, fileName: string | undefined): void {
    if (algorithm === 'sha256' && isLowerHex64(digest)) {
      this.hashes.push(fileName === undefined ? { algorithm: 'sha256', digest } : { algorithm: 'sha256', digest, file: fileName });
      this.keys.push(`sha256:${digest}`);
      this.nums.push(prefixNumber(0));
      return;
    }
    const h = hashOf(file, `${algorithm}:${digest}`, table.lineOf(algorithm) ?? table.line, fileName);
    this.hashes.push(h);
    this.keys.push(`${h.algorithm}:${h.digest}`);
    this.plain = false;
  }
}

/** The last path segment of a URL or path (query and fragment dropped), for a hash's file name. */
export function fileNameOf(urlOrPath: string): string | undefined {
  // The common case in native searches only: no query, no fragment, no backslash or escape in the last segment.
  const base = urlOrPath.slice(urlOrPath.lastIndexOf('/') + 1);
  if (base !== '' && urlOrPath.indexOf('?') < 0 && urlOrPath.indexOf('#') < 0 && base.indexOf('\\') < 0 && base.indexOf('%') < 0) return base;
  return fileNameOfAny(urlOrPath);
}

function fileNameOfAny(urlOrPath: string): string | undefined {
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
export function setHashes(pkg: LockPackage, hashes: LockHash[]): void {
  const n = hashes.length;
  if (n === 0) return;
  const keys = new Array<string>(n);
  for (let i = 0; i < n; i++) keys[i] = `${hashes[i]!.algorithm}:${hashes[i]!.digest}`;
  setSorted(pkg, hashes, keys, false);
}

/** {@link setHashes} from a {@link HashList} (its arrays become the package's or are sorted in place). */
export function setHashList(pkg: LockPackage, list: HashList): void {
  if (list.hashes.length === 0) return;
  const integrity = list.plain ? plainIntegrity(list.keys, list.nums) : undefined;
  if (integrity !== undefined) {
    pkg.hashes = list.hashes;
    pkg.integrity = integrity;
    return;
  }
  setSorted(pkg, list.hashes, list.keys, true);
}

/**
 * `keys[i]` is `algorithm:digest` of `hashes[i]`; sorts `keys` (as strings). `owned`: `hashes` may
 * become the package's own.
 */
function setSorted(pkg: LockPackage, hashes: LockHash[], keys: string[], owned: boolean): void {
  const n = keys.length;
  // Sorted keys, repeats dropped as they meet (the same result as hashesIntegrity, without a Set).
  keys.sort();
  let out = keys[0]!;
  let repeats = false;
  for (let i = 1; i < n; i++) {
    if (keys[i] === keys[i - 1]) repeats = true;
    else out += ` ${keys[i]!}`;
  }
  pkg.hashes = repeats ? uniqueHashes(hashes) : owned ? hashes : hashes.slice();
  pkg.integrity = out;
}

/** Scratch of {@link plainIntegrity}. */
let order = new Float64Array(256);
const INDEX_BITS = 4096; // keys per list sorted by number (2^12)

/**
 * The integrity of keys that are all `sha256:` and 64 lower-case hex digits, `nums[i]` the number
 * the first nine digits of `keys[i]`'s digest make (36 bits): the keys in the order of those
 * numbers, each with its index in the low 12 bits of a float (exact below 2^53), sorted as numbers
 * (an insertion sort for a few, the typed-array sort for more: several times faster than comparing
 * the strings). Undefined when two keys share those digits — a repeated hash, or a one in 2^36
 * coincidence — or the list is too long: the caller then sorts the strings.
 */
function plainIntegrity(keys: readonly string[], nums: readonly number[]): string | undefined {
  const n = keys.length;
  if (n === 1) return keys[0];
  if (n > INDEX_BITS) return undefined;
  if (order.length < n) order = new Float64Array(Math.max(n, order.length * 2));
  const o = order;
  for (let i = 0; i < n; i++) {
    const x = nums[i]! * INDEX_BITS + i;
    if (n > 32) o[i] = x;
    else {
      let j = i - 1;
      while (j >= 0 && o[j]! > x) {
        o[j + 1] = o[j]!;
        j--;
      }
      o[j + 1] = x;
    }
  }
  if (n > 32) o.subarray(0, n).sort();
  let prev = Math.floor(o[0]! / INDEX_BITS);
  let out = keys[o[0]! % INDEX_BITS]!;
  for (let i = 1; i < n; i++) {
    const x = o[i]!;
    const p = Math.floor(x / INDEX_BITS);
    if (p === prev) return undefined;
    prev = p;
    out += ` ${keys[x % INDEX_BITS]!}`;
  }
  return out;
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
  /** `file`: named when the lockfile holds more packages than the cap. */
  constructor(private readonly file: string) {}
  private readonly byName = new Map<string, LockPackage[]>();
  private readonly idCount = new Map<string, number>();

  /** Adds a package; its id is `name@version`, with ` (2)`, ` (3)`… for later copies of the same. */
  add(name: string, version: string, source: Source, flags: PackageFlags, line: number): LockPackage {
    const base = version === '' ? name : `${name}@${version}`;
    const n = (this.idCount.get(base) ?? 0) + 1;
    this.idCount.set(base, n);
    const id = n === 1 ? base : `${base} (${n})`;
    const pkg: LockPackage = { id, name, version, source, flags, line, deps: [] };
    checkPackageCount(this.file, this.packages.length + 1, line);
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

/**
 * Does a release-only version (`1.2.3`) satisfy a constraint made only of comparisons with
 * release-only versions (`>=1.2,<2`, `==1.0`, `!=1.3`, a bare `1.0`)? Undefined for any other
 * constraint or version (the PEP 440 library decides). For such versions PEP 440's order is the
 * numeric one with missing segments as 0, and the pre-release rules of `<`/`>` have nothing to
 * exclude.
 */
function satisfiesPlain(version: string, constraint: string): boolean | undefined {
  if (!isPlainRelease(version)) return undefined;
  let ok = true;
  const parts = constraint.split(',');
  for (const part of parts) {
    const p = part.trim();
    let op = 2;
    const c0 = p.charCodeAt(0);
    const c1 = p.charCodeAt(1);
    if (c0 === 62 || c0 === 60)
      op = c1 === 61 ? 2 : 1; // > >= < <=
    else if ((c0 === 61 || c0 === 33) && c1 === 61)
      op = 2; // == !=
    else if (parts.length === 1)
      op = 0; // a bare version (in a list: not PEP 440, the library's call)
    else return undefined;
    const v = p.slice(op).trim();
    if (!isPlainRelease(v)) return undefined;
    const cmp = compareReleases(version, v);
    const holds =
      op === 0 ? cmp === 0 : c0 === 62 ? (op === 2 ? cmp >= 0 : cmp > 0) : c0 === 60 ? (op === 2 ? cmp <= 0 : cmp < 0) : c0 === 61 ? cmp === 0 : cmp !== 0;
    if (!holds) ok = false;
  }
  return ok;
}

/** Does `version` satisfy any of the constraints (PEP 440 or `*`; an unreadable constraint matches)? */
export function satisfiesAny(version: string, constraints: readonly string[]): boolean {
  if (constraints.length === 0) return true;
  for (const c of constraints) {
    const t = c.trim();
    if (t === '' || t === '*') return true;
    const plain = satisfiesPlain(version, t);
    if (plain !== undefined) {
      if (plain) return true;
      continue;
    }
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
