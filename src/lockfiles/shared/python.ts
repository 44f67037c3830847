/**
 * Small helpers shared by the Python lockfile parsers (Pipfile.lock, requirements files, and the
 * TOML formats): file hashes, the `integrity` string made of them, and versions read from
 * distribution file names. Pure functions over the lockfile's own strings; nothing is fetched.
 */
import type { LockHash } from '../../model/index.js';

/** Hash algorithms pip and the lockfile tools write (`hashlib` names, lower case). */
const HASH_ALGORITHMS = new Set(['sha256', 'sha384', 'sha512', 'sha224', 'sha1', 'md5', 'blake2b', 'blake2s', 'sha3_256', 'sha3_384', 'sha3_512']);

/**
 * One `algorithm:hexdigest` hash (pip's `--hash` value, Pipfile.lock's `hashes` items) as the
 * lower-case `algorithm:digest` text, or undefined when it is not one. A character loop, not a
 * regular expression: lockfiles hold thousands of these.
 */
export function normalizeHashSpec(spec: string): string | undefined {
  const colon = spec.indexOf(':');
  const n = spec.length;
  if (colon <= 0 || colon === n - 1 || n - colon - 1 > 256) return undefined;
  let upper = false;
  for (let i = colon + 1; i < n; i++) {
    const c = spec.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 102)) continue;
    if (c >= 65 && c <= 70) upper = true;
    else return undefined;
  }
  let algorithm = spec.slice(0, colon);
  if (!HASH_ALGORITHMS.has(algorithm)) {
    algorithm = algorithm.toLowerCase();
    if (!HASH_ALGORITHMS.has(algorithm)) return undefined;
    upper = true;
  }
  return upper ? `${algorithm}:${spec.slice(colon + 1).toLowerCase()}` : spec;
}

/**
 * Parses one `algorithm:hexdigest` hash. Returns undefined when it is not one (the caller reports
 * where). Both parts are lower-cased so that two lockfiles writing the same hash compare equal.
 */
export function parseHashSpec(spec: string, file?: string): LockHash | undefined {
  const norm = normalizeHashSpec(spec);
  if (norm === undefined) return undefined;
  const colon = norm.indexOf(':');
  const algorithm = norm.slice(0, colon);
  const digest = norm.slice(colon + 1);
  return file === undefined ? { algorithm, digest } : { algorithm, digest, file };
}

/**
 * Hashes and integrity from {@link normalizeHashSpec}ed texts: the hashes in the order written
 * (repeats dropped) and the sorted `integrity` ({@link hashesIntegrity}'s rule, computed once).
 */
export function hashesFromSpecs(specs: readonly string[]): { hashes: LockHash[]; integrity: string | undefined } {
  if (specs.length === 0) return { hashes: [], integrity: undefined };
  // Tools write them sorted: then no set and no sort are needed.
  let sorted = true;
  for (let i = 1; i < specs.length && sorted; i++) sorted = specs[i - 1]! < specs[i]!;
  const unique = sorted ? specs : [...new Set(specs)];
  const hashes: LockHash[] = new Array<LockHash>(unique.length);
  for (let i = 0; i < unique.length; i++) {
    const s = unique[i]!;
    const colon = s.indexOf(':');
    hashes[i] = { algorithm: colon === 6 && s.startsWith('sha256') ? 'sha256' : s.slice(0, colon), digest: s.slice(colon + 1) };
  }
  return { hashes, integrity: unique.length === 1 ? unique[0] : sorted ? unique.join(' ') : [...unique].sort().join(' ') };
}

/**
 * The `integrity` of a Python package: every `algorithm:digest` of its hashes, sorted, without
 * repeats, joined by one space (so two copies recording the same set compare equal in the diff,
 * whatever the order the tool wrote them in). Undefined when there is no hash.
 */
export function hashesIntegrity(hashes: readonly LockHash[]): string | undefined {
  if (hashes.length === 0) return undefined;
  const all = new Set<string>();
  for (const h of hashes) all.add(`${h.algorithm}:${h.digest}`);
  return [...all].sort().join(' ');
}

/** `hashes` without repeats of the same algorithm and digest (the first copy, with its file name, is kept). */
export function uniqueHashes(hashes: readonly LockHash[]): LockHash[] {
  const seen = new Set<string>();
  const out: LockHash[] = [];
  for (const h of hashes) {
    const k = `${h.algorithm}:${h.digest}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(h);
  }
  return out;
}

/**
 * The version in a wheel or sdist file name (`pkg-1.2.3-py3-none-any.whl`, `pkg-1.2.3.tar.gz`,
 * `pkg-1.2.3.zip`), or undefined when the name has neither shape. Wheel names have exactly one
 * `-` between name and version (PEP 427 escapes it in both); sdists are split at the last `-`
 * followed by a digit, as pip does for legacy names.
 */
export function distFileVersion(fileName: string): string | undefined {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1);
  if (base.endsWith('.whl')) {
    const parts = base.slice(0, -4).split('-');
    return parts.length >= 5 && parts[1] ? parts[1] : undefined;
  }
  const m = /^(.+?)-(\d[^-]*)\.(?:tar\.gz|tar\.bz2|tar\.xz|tgz|zip|tar)$/i.exec(base);
  return m ? m[2] : undefined;
}

const NAME_RE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/**
 * Is this a valid Python project name (PEP 508: letters, digits, `.`, `_`, `-`, starting and
 * ending with a letter or digit)? Parsers refuse other names, so `__proto__` and the like never
 * become package names, and a normalised name never holds the `:` or `/` of a parser-made id.
 */
export function isValidPythonName(name: string): boolean {
  return name.length <= 512 && NAME_RE.test(name);
}

/**
 * A git URL as written (a Pipfile.lock `git`, a requirement's `git+…`), without its `#fragment`,
 * without a PEP 508 `name @` prefix (older pipenv wrote the whole requirement there:
 * ` pkg@ git+https://…@branch`) and without its `@rev` (returned apart: the locked commit replaces it).
 */
export function gitRepoUrl(git: string): { repo: string; rev: string | undefined } {
  let u = git.trim();
  const prefix = /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?\s*@\s*(?=[A-Za-z][A-Za-z0-9+.-]*:\/\/)/.exec(u);
  if (prefix) u = u.slice(prefix[0].length);
  const hash = u.indexOf('#');
  if (hash >= 0) u = u.slice(0, hash);
  // A rev is an `@` after the host's path has started (an `@` before it is user info).
  const scheme = u.indexOf('://');
  const pathStart = scheme >= 0 ? u.indexOf('/', scheme + 3) : u.indexOf(':'); // scp-like git@host:path
  const at = pathStart >= 0 ? u.indexOf('@', pathStart) : -1;
  if (at < 0) return { repo: u, rev: undefined };
  return { repo: u.slice(0, at), rev: u.slice(at + 1) || undefined };
}
