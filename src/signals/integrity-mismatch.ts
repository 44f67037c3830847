/**
 * integrity-mismatch: the head lockfile's integrity for a registry package does not match what the
 * registry publishes for that version (lockfile injection). Hashes are compared per algorithm; an old
 * package with only a sha1 `shasum` (hex) is compared with the lockfile's sha1 (base64), and so is
 * the `#<sha1>` fragment yarn classic writes on `resolved` (all some of its entries record).
 */
import type { Finding, VersionMeta } from '../model/index.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { withoutCredentials } from './registry-origin.js';
import { clean, finding, isReviewable, spec } from './util.js';

const ID = 'integrity-mismatch';
const SRI = /^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/_-]+={0,2})(?:\?.*)?$/i;

/** Parses a space-separated SRI string into algorithm → digests (base64, normalised). Unknown tokens are ignored. */
export function parseIntegrity(value: string | undefined): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  if (typeof value !== 'string') return out;
  for (const token of value.trim().split(/\s+/)) {
    const m = SRI.exec(token);
    if (!m) continue;
    const alg = (m[1] as string).toLowerCase();
    const digest = normalizeBase64(m[2] as string);
    const set = out.get(alg) ?? new Set<string>();
    set.add(digest);
    out.set(alg, set);
  }
  return out;
}

function normalizeBase64(b64: string): string {
  const std = b64.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  return std + '='.repeat((4 - (std.length % 4)) % 4);
}

/** A hex digest (the registry's `shasum`) as base64, or undefined when not hex. */
export function hexToBase64(hex: string): string | undefined {
  const h = hex.trim();
  if (h.length === 0 || h.length % 2 !== 0 || !/^[0-9a-f]+$/i.test(h)) return undefined;
  return Buffer.from(h, 'hex').toString('base64');
}

function registryHashes(meta: VersionMeta): Map<string, Set<string>> {
  const out = parseIntegrity(meta.integrity);
  if (typeof meta.shasum === 'string') {
    const b64 = hexToBase64(meta.shasum);
    if (b64) {
      const set = out.get('sha1') ?? new Set<string>();
      set.add(b64);
      out.set('sha1', set);
    }
  }
  return out;
}

const STRENGTH = ['sha512', 'sha384', 'sha256', 'sha1'];

/** The `#<40 hex>` fragment of a resolved URL (yarn classic's sha1 of the tarball), as base64. */
export function fragmentSha1(url: string | undefined): string | undefined {
  const m = url === undefined ? null : /#([0-9a-f]{40})$/i.exec(url);
  return m ? hexToBase64(m[1] as string) : undefined;
}

/** The lockfile's hashes of a package: its integrity, plus the sha1 of its URL fragment. */
export function lockHashes(integrity: string | undefined, url: string | undefined): Map<string, Set<string>> {
  const out = parseIntegrity(integrity);
  const sha1 = fragmentSha1(url);
  if (sha1 !== undefined) out.set('sha1', new Set([...(out.get('sha1') ?? []), sha1]));
  return out;
}

/**
 * Python: every sha256 the lockfile records must be one the index lists for a file of that version
 * (for the same file name where the lockfile names the file). Installers accept a file matching ANY
 * listed hash, so one foreign hash among good ones is enough to swap the file. Other algorithms are
 * not compared (the index publishes sha256).
 */
function runPython(input: SignalInput): Finding[] {
  const { change, packument } = input;
  const head = change.head;
  if (!packument || !head || head.source.type !== 'registry' || !head.hashes || head.hashes.length === 0) return [];
  const meta = packument.versions.get(change.to as string);
  if (!meta?.files || meta.files.length === 0) return [];
  const byName = new Map<string, string | undefined>();
  const all = new Set<string>();
  for (const f of meta.files) {
    byName.set(f.filename, f.sha256?.toLowerCase());
    if (f.sha256) all.add(f.sha256.toLowerCase());
  }
  if (all.size === 0) return [];
  const foreign: Array<{ file: string | null; digest: string; indexDigest: string | null }> = [];
  let compared = 0;
  for (const h of head.hashes) {
    if (h.algorithm.toLowerCase() !== 'sha256') continue;
    const digest = h.digest.toLowerCase();
    compared++;
    if (h.file !== undefined && byName.has(h.file)) {
      const expected = byName.get(h.file);
      if (expected !== undefined && expected !== digest) foreign.push({ file: h.file, digest, indexDigest: expected });
    } else if (!all.has(digest)) {
      foreign.push({ file: h.file ?? null, digest, indexDigest: null });
    }
  }
  if (foreign.length === 0) return [];
  const first = foreign[0]!;
  const which = first.file ? ` for ${clean(first.file, 160)}` : '';
  const n = foreign.length === 1 ? 'a sha256 hash' : `${foreign.length} sha256 hashes`;
  return [
    finding(
      ID,
      'critical',
      `The lockfile lists ${n}${which} for ${spec(change.name, change.to as string)} that the package index does not publish for any file of that version; an installer accepts a file matching any listed hash, so the lockfile lets different contents in.`,
      {
        version: change.to,
        algorithm: 'sha256',
        foreignHashes: foreign.slice(0, 20),
        comparedHashes: compared,
        indexFiles: meta.files.length,
      },
    ),
  ];
}

function run(input: SignalInput): Finding[] {
  const { change, packument } = input;
  if (!isReviewable(change) || !packument) return [];
  if (change.ecosystem === 'pypi') return runPython(input);
  const head = change.head;
  if (head?.source.type !== 'registry') return [];
  const meta = packument.versions.get(change.to as string);
  if (!meta) return [];
  const lock = lockHashes(head.integrity, head.source.url);
  if (lock.size === 0) return [];
  const reg = registryHashes(meta);
  const mismatched: string[] = [];
  const matched: string[] = [];
  for (const alg of STRENGTH) {
    const a = lock.get(alg);
    const b = reg.get(alg);
    if (!a || !b) continue;
    if ([...a].some((d) => b.has(d))) matched.push(alg);
    else mismatched.push(alg);
  }
  if (mismatched.length === 0) return [];
  const alg = mismatched[0] as string;
  return [
    finding(
      ID,
      'critical',
      `The lockfile's ${alg} integrity for ${spec(change.name, change.to as string)} does not match the one the registry publishes for that version, so the lockfile points at different contents than the registry vouches for.`,
      {
        version: change.to,
        algorithm: alg,
        mismatchedAlgorithms: mismatched,
        matchedAlgorithms: matched,
        lockfileIntegrity: head.integrity ?? null,
        lockfileSha1Fragment: fragmentSha1(head.source.url) !== undefined,
        // sha1 is the only hash the lockfile records: collisions are practical, so it vouches for little
        weakAlgorithmOnly: [...lock.keys()].every((a) => a === 'sha1'),
        registryIntegrity: meta.integrity ?? null,
        registryShasum: meta.shasum ?? null,
        lockfileUrl: head.source.url === undefined ? null : withoutCredentials(head.source.url),
      },
    ),
  ];
}

export const integrityMismatch: SignalDefinition = {
  id: ID,
  defaultSeverity: 'critical',
  description:
    "The lockfile's integrity (or yarn classic's #sha1 fragment) differs from the registry's for that version (same hash algorithm; Python: a sha256 the index does not list for that version).",
  offline: false,
  needs: ['packument'],
  run,
};
