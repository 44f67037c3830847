/**
 * A note for changed packages the lockfile pins only with a weak hash (sha1, md5): the install
 * still checks it, but sha1 collisions are practical, so it vouches for little. Not a finding:
 * old yarn classic and npm v1 lockfiles write sha1 for every entry, and regenerating fixes it.
 */
import type { Change, LockPackage, WeakIntegrityNote } from '../model/index.js';
import { lockHashes } from '../signals/index.js';

const WEAK = new Set(['sha1', 'md5']);
const EXAMPLES = 5;

/** The hash algorithms the lockfile records for a package: Python file hashes, else what the integrity check reads (SRI and yarn's `#sha1`). */
function algorithms(pkg: LockPackage): string[] {
  if (pkg.hashes?.length) return pkg.hashes.map((h) => h.algorithm.toLowerCase());
  return [...lockHashes(pkg.integrity, pkg.source.url).keys()];
}

/** Pinned by hashes, and only by weak ones. */
export function weaklyPinned(pkg: LockPackage): boolean {
  const algs = algorithms(pkg);
  return algs.length > 0 && algs.every((a) => WEAK.has(a));
}

/** The note (none, or one) for the changed packages pinned only by weak hashes. */
export function weakIntegrityNotes(changes: readonly Change[]): WeakIntegrityNote[] {
  const weak = changes.filter((c) => c.kind !== 'removed' && c.head !== undefined && weaklyPinned(c.head));
  if (weak.length === 0) return [];
  const examples = weak.slice(0, EXAMPLES).map((c) => `${c.name}@${c.to ?? ''}`);
  const more = weak.length > EXAMPLES ? ` and ${weak.length - EXAMPLES} more` : '';
  const note: WeakIntegrityNote = {
    kind: 'weak-integrity',
    packages: weak.length,
    examples,
    message:
      `${weak.length} changed package${weak.length === 1 ? ' is' : 's are'} pinned only by a sha1 or md5 hash (${examples.join(', ')}${more}), ` +
      'which vouches for little: regenerate the lockfile with a current package manager to record sha512.',
  };
  return [note];
}
