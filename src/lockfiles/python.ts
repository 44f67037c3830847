/**
 * Small helpers shared by the Python lockfile parsers (Pipfile.lock, requirements files, and the
 * TOML formats): file hashes, the `integrity` string made of them, and versions read from
 * distribution file names. Pure functions over the lockfile's own strings; nothing is fetched.
 */
import type { LockHash } from '../model.js';

/** Hash algorithms pip and the lockfile tools write (`hashlib` names, lower case). */
const HASH_ALGORITHMS = new Set(['sha256', 'sha384', 'sha512', 'sha224', 'sha1', 'md5', 'blake2b', 'blake2s', 'sha3_256', 'sha3_384', 'sha3_512']);

/**
 * Parses one `algorithm:hexdigest` hash (pip's `--hash` value, Pipfile.lock's `hashes` items).
 * Returns undefined when it is not one (the caller reports where). The digest must be hex; both
 * parts are lower-cased so that two lockfiles writing the same hash compare equal.
 */
export function parseHashSpec(spec: string, file?: string): LockHash | undefined {
  const colon = spec.indexOf(':');
  if (colon <= 0) return undefined;
  const algorithm = spec.slice(0, colon).toLowerCase();
  const digest = spec.slice(colon + 1).toLowerCase();
  if (!HASH_ALGORITHMS.has(algorithm) || digest.length === 0 || digest.length > 256 || !/^[0-9a-f]+$/.test(digest)) return undefined;
  return file === undefined ? { algorithm, digest } : { algorithm, digest, file };
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
