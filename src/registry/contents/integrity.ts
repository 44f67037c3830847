/**
 * Checks downloaded archive bytes against every digest we were told to trust: the registry's
 * `dist.integrity` / `dist.shasum` and the lockfile's integrity. A mismatch is attacker-caused.
 */
import { createHash } from 'node:crypto';

const ALGORITHMS = ['sha512', 'sha384', 'sha256', 'sha1'] as const;
type Algorithm = (typeof ALGORITHMS)[number];

/** SRI (`sha512-…`, space-separated) and a hex sha1 shasum, as base64 digests by algorithm. */
export function expectedDigests(integrity: string | undefined, shasum?: string): Map<Algorithm, Set<string>> {
  const out = new Map<Algorithm, Set<string>>();
  for (const token of (integrity ?? '').trim().split(/\s+/)) {
    const m = /^(sha512|sha384|sha256|sha1)-([A-Za-z0-9+/=]+)(\?.*)?$/.exec(token);
    if (!m) continue;
    const alg = m[1] as Algorithm;
    out.set(alg, (out.get(alg) ?? new Set()).add(Buffer.from(m[2]!, 'base64').toString('base64')));
  }
  if (shasum && /^[0-9a-f]{40}$/i.test(shasum)) out.set('sha1', (out.get('sha1') ?? new Set()).add(Buffer.from(shasum, 'hex').toString('base64')));
  return out;
}

/** The strongest digest of a set as SRI: the cache key (`sha512-…`). */
export function strongestSri(digests: Map<Algorithm, Set<string>>): string | undefined {
  for (const alg of ALGORITHMS) {
    const d = digests.get(alg);
    if (d?.size) return `${alg}-${[...d][0]}`;
  }
  return undefined;
}

/** Every digest we may need of the bytes (base64), computed once: they are kept with cached contents. */
export function digestsOf(bytes: Uint8Array): Map<Algorithm, string> {
  return new Map(ALGORITHMS.map((a) => [a, createHash(a).update(bytes).digest('base64')]));
}

/**
 * Checks the archive's digests against the registry's (required: at least one) and the lockfile's
 * (when given, every algorithm it names must match). Returns the verified SRI, or why not.
 */
export function checkDigests(
  actual: ReadonlyMap<Algorithm, string>,
  registry: Map<Algorithm, Set<string>>,
  lockfile: Map<Algorithm, Set<string>>,
): { integrity: string } | { mismatch: string; registryMismatch: boolean } {
  const registryAlg = ALGORITHMS.find((a) => registry.get(a)?.size);
  if (!registryAlg) return { mismatch: 'the registry document gives no integrity for this version', registryMismatch: true };
  if (!registry.get(registryAlg)!.has(actual.get(registryAlg)!)) {
    return { mismatch: `the archive's ${registryAlg} differs from the registry's dist.integrity`, registryMismatch: true };
  }
  for (const alg of ALGORITHMS) {
    const want = lockfile.get(alg);
    if (!want?.size || want.has(actual.get(alg)!)) continue;
    return {
      mismatch: `the lockfile's ${alg} integrity differs from the registry's archive (the bytes the registry serves and vouches for)`,
      registryMismatch: false,
    };
  }
  return { integrity: `${registryAlg}-${actual.get(registryAlg)!}` };
}

export type { Algorithm };
