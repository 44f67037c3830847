/**
 * Differential test: parse + diff every yarn v1 pair of the shared corpus and compare the
 * (name, from, to, kind) set with the pair's oracle.json, and the package counts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir, corpusPairs } from '../helpers/corpus.js';
import { changeLine, expectDirectness, expectSameChanges, readOracle, readPair } from '../helpers/oracle.js';
import { diffLockfiles } from '../../src/diff/index.js';
import { parseLockfile } from '../../src/lockfiles/index.js';
import type { Lockfile } from '../../src/model/index.js';

const CORPUS = corpusDir();

/** How many specifiers the key lines of the parsed packages hold (counted from the text). */
function specifiersOnKeyLines(lock: Lockfile, text: string): number {
  const lines = text.split('\n');
  let n = 0;
  for (const p of lock.packages) n += lines[p.line - 1]!.split(', ').length;
  return n;
}

describe('yarn v1 corpus (differential against oracle.json)', () => {
  const pairs = corpusPairs(['yarn-v1']);

  it('finds the yarn v1 pairs', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(1);
  });

  it.each(pairs)('%s matches the oracle', (pair) => {
    const sides = readPair(pair, 'yarn.lock');
    const { oracle, base, head } = sides;
    expect(base.format).toBe('yarn-v1');
    // The oracle counts keys (specifiers: `a@^1, a@^1.2:` is two), one package per entry here
    // (see the separate test below): the specifiers on our packages' key lines add up to its count.
    expect(specifiersOnKeyLines(base, sides.baseText)).toBe(oracle.basePackages);
    expect(specifiersOnKeyLines(head, sides.headText)).toBe(oracle.headPackages);

    const changes = diffLockfiles(base, head);
    expectSameChanges(changes, oracle.changes);

    // every change points at its entry's key line, which names the package
    for (const c of changes) {
      const { pkg, text } = changeLine(c, sides);
      expect(text).toMatch(/^\S.*:$/);
      expect(text).toContain(`${pkg.alias ?? pkg.name}@`);
      expectDirectness(c);
      if (!c.direct) {
        // the path ends at a package that depends on this one
        const side = c.kind === 'removed' ? base : head;
        const last = side.packages.filter((p) => p.name === c.via[c.via.length - 1]);
        expect(last.some((p) => p.deps.includes(pkg.id))).toBe(true);
      }
    }
  });

  it('resolves every dependency edge of the largest file to an entry of the file', () => {
    const dir = join(CORPUS, 'yarn-v1', 'babel-babel-eaa1474541', 'head');
    const lock = parseLockfile('yarn.lock', readFileSync(join(dir, 'yarn.lock')));
    const ids = new Set(lock.packages.map((p) => p.id));
    let edges = 0;
    for (const p of lock.packages)
      for (const d of p.deps) {
        expect(ids.has(d)).toBe(true);
        edges++;
      }
    // each `name "range"` line under dependencies/optionalDependencies is one edge (none dangling)
    const lines = readFileSync(join(dir, 'yarn.lock'), 'utf8').split('\n');
    const depLines = lines.filter((l) => /^    \S/.test(l)).length;
    expect(edges).toBe(depLines);
  });

  it('oracle counts specifiers, not installed copies: one package per entry here', () => {
    // `"@types/node@*", "@types/node@^8.0.0":` is one installed copy that the oracle counts twice
    // (it counts the keys of the parsed object). The model has one package per entry, so
    // packages.length is smaller than the oracle's count; the count of entries (lines at indent 0
    // ending in ':') is what the packages match.
    const dir = join(CORPUS, 'yarn-v1', 'babel-babel-eaa1474541');
    const oracle = readOracle('yarn-v1/babel-babel-eaa1474541');
    const text = readFileSync(join(dir, 'head', 'yarn.lock'), 'utf8');
    const lock = parseLockfile('yarn.lock', text);
    const entries = text.split('\n').filter((l) => /^[^\s#].*:$/.test(l)).length;
    expect(lock.packages).toHaveLength(entries);
    expect(lock.packages.length).toBeLessThan(oracle.headPackages);
    expect(new Set(lock.packages.map((p) => p.id)).size).toBe(entries);
  });
});
