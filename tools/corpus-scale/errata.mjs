/**
 * Where lockwarden's change set legitimately differs from the oracle's rule, each applied only when
 * the plain rule disagrees, and counted apart in RESULTS.md (see oracle-notes.md for the reasons).
 */
import semver from 'semver';
import pep440 from '@renovatebot/pep440';
import { compareVersions } from './oracle.mjs';

const PYTHON = new Set(['poetry', 'uv', 'pylock', 'pipfile', 'requirements']);

/**
 * The ecosystem's own version order (semver for npm-family files, PEP 440 for Python), falling back
 * to the oracle's segment order for versions that are not valid there (git refs, tags).
 */
export function ecosystemOrder(family) {
  if (PYTHON.has(family)) {
    return (a, b) => (pep440.valid(a) && pep440.valid(b) ? Math.sign(pep440.compare(a, b)) : compareVersions(a, b));
  }
  return (a, b) => (semver.valid(a) && semver.valid(b) ? semver.compare(a, b) : compareVersions(a, b));
}

/**
 * requirements: an unpinned requirement (`name>=1`, a bare name) is not a package for lockwarden but
 * an entry of `Lockfile.unreviewed`. Returns the pinned entries, and whether the unpinned names are
 * exactly lockwarden's unreviewed names (else that is a finding of its own).
 */
export function splitUnpinned(entries, lock) {
  const unpinned = new Set(entries.filter((e) => e.version === '').map((e) => e.name));
  const unreviewed = new Set((lock.unreviewed ?? []).map((u) => u.name.toLowerCase().replace(/[-_.]+/g, '-')));
  const same = unpinned.size === unreviewed.size && [...unpinned].every((n) => unreviewed.has(n));
  return { pinned: entries.filter((e) => e.version !== ''), same, unpinned: [...unpinned], unreviewed: [...unreviewed] };
}
