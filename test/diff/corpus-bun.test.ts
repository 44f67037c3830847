/**
 * Differential test: parse + diff every bun pair of the shared corpus (honojs/hono `bun.lock`
 * history) and compare the (name, from, to, kind) set with the pair's oracle.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir, corpusPairs } from '../helpers/corpus.js';
import { changeLine, expectDirectness, expectSameChanges, readPair } from '../helpers/oracle.js';
import { diffLockfiles } from '../../src/diff/index.js';
import { parseLockfile } from '../../src/lockfiles/index.js';

const CORPUS = corpusDir();

describe('bun corpus (differential against oracle.json)', () => {
  const pairs = corpusPairs(['bun']);

  it('finds the bun pairs of the corpus', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(1);
  });

  it.each(pairs)('%s matches the oracle', (pair) => {
    const sides = readPair(pair, 'bun.lock');
    const { oracle, base, head } = sides;
    expect(base.format).toMatch(/^bun-v[01]$/);
    expect(base.packages).toHaveLength(oracle.basePackages);
    expect(head.packages).toHaveLength(oracle.headPackages);

    const changes = diffLockfiles(base, head);
    expectSameChanges(changes, oracle.changes);

    // every change points at its entry's key line in the file it came from
    for (const c of changes) {
      const { pkg, text } = changeLine(c, sides);
      expect(text.startsWith(`    ${JSON.stringify(pkg.id)}: [`)).toBe(true);
      expectDirectness(c);
      if (!c.direct) expect(c.via.length).toBeGreaterThan(0);
    }
  });

  it('every dependency edge of every corpus file lands on a package or an importer', () => {
    for (const pair of pairs) {
      for (const side of ['base', 'head']) {
        const lock = parseLockfile('bun.lock', readFileSync(join(CORPUS, pair, side, 'bun.lock')));
        const ids = new Set([...lock.packages.map((p) => p.id), ...lock.importers.map((i) => i.path)]);
        for (const p of lock.packages) for (const d of p.deps) expect(ids.has(d)).toBe(true);
        for (const i of lock.importers) for (const d of i.deps) expect(ids.has(d)).toBe(true);
        // the root project has direct dependencies (few in a monorepo like midday's), the workspaces more
        expect(lock.importers.find((i) => i.path === '')!.deps.length).toBeGreaterThan(0);
        expect(lock.importers.reduce((n, i) => n + i.deps.length, 0)).toBeGreaterThan(10);
      }
    }
  });
});
