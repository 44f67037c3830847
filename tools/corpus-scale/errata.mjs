/**
 * Where lockwarden's change set legitimately differs from the oracle's rule, each applied only when
 * the plain rule disagrees, and counted apart in RESULTS.md (see oracle-notes.md for the reasons).
 */
import semver from 'semver';
import pep440 from '@renovatebot/pep440';

const PYTHON = new Set(['poetry', 'uv', 'pylock', 'pipfile', 'requirements']);

/**
 * The ecosystem's own version order, as lockwarden documents it (src/versions): semver for
 * npm-family files, PEP 440 for Python; versions equal there (`0.3.1-1` and `0.3.1.post1`) by text;
 * versions that are not valid there (git refs, URLs) after all valid ones, by text.
 */
export function ecosystemOrder(family) {
  const [valid, compare] = PYTHON.has(family)
    ? [(v) => pep440.valid(v) !== null, (a, b) => pep440.compare(a, b)]
    : [(v) => semver.valid(v) !== null, (a, b) => semver.compareBuild(a, b)];
  const byText = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  return (a, b) => {
    if (a === b) return 0;
    const [va, vb] = [valid(a), valid(b)];
    if (va && vb) return Math.sign(compare(a, b)) || byText(a, b);
    if (va !== vb) return va ? -1 : 1;
    return byText(a, b);
  };
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
