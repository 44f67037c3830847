/**
 * Differential test: parse + diff every pnpm pair of the shared corpus (lockfile versions 5.x, 6.0,
 * 9.0) and compare the (name, from, to, kind) set and the package counts with the pair's oracle.json.
 */
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { join } from 'node:path';
import { corpusDir, corpusPairs } from '../helpers/corpus.js';
import { changeLine, expectDirectness, expectSameChanges, readOracle, readPair } from '../helpers/oracle.js';
import { diffLockfiles } from '../../src/diff/index.js';
import { parseLockfile } from '../../src/lockfiles/index.js';

const CORPUS = corpusDir();

const pairs = corpusPairs(['pnpm-v5', 'pnpm-v6', 'pnpm-v9']);

describe('pnpm corpus (differential against oracle.json)', () => {
  it('finds pairs of every pnpm lockfile version', () => {
    for (const format of ['pnpm-v5/', 'pnpm-v6/', 'pnpm-v9/']) expect(pairs.some((p) => p.startsWith(format))).toBe(true);
  });

  it.each(pairs)('%s matches the oracle', (pair) => {
    const sides = readPair(pair, 'pnpm-lock.yaml');
    const { oracle, base, head } = sides;
    expect(base.format).toBe(pair.split('/')[0]);
    expect(base.packages.filter((p) => p.source.type !== 'link')).toHaveLength(oracle.basePackages);
    expect(head.packages.filter((p) => p.source.type !== 'link')).toHaveLength(oracle.headPackages);

    const changes = diffLockfiles(base, head);
    expectSameChanges(changes, oracle.changes);

    // every change points at its `packages` entry key in the file it came from
    for (const c of changes) {
      const { pkg, text } = changeLine(c, sides);
      expect(text.startsWith(`  ${pkg.id}:`) || text.startsWith(`  '${pkg.id}':`)).toBe(true);
      expectDirectness(c);
    }
  });

  it('orders dash prereleases as semver does: 1.0.0 is an upgrade from 1.0.0-rc.18', () => {
    const pair = 'pnpm-v9/vitejs-vite-cf0ff4154b';
    expect(semver.gt('1.0.0', '1.0.0-rc.18')).toBe(true);
    const oracle = readOracle(pair);
    const rc = oracle.changes.filter((c) => c.from === '1.0.0-rc.18' && c.to === '1.0.0');
    expect(rc.map((c) => c.kind)).toEqual(new Array(17).fill('upgraded'));
    const base = parseLockfile('pnpm-lock.yaml', readFileSync(join(CORPUS, pair, 'base', 'pnpm-lock.yaml')));
    const head = parseLockfile('pnpm-lock.yaml', readFileSync(join(CORPUS, pair, 'head', 'pnpm-lock.yaml')));
    const rolldown = diffLockfiles(base, head).find((c) => c.name === 'rolldown')!;
    expect(rolldown).toMatchObject({ from: '1.0.0-rc.18', to: '1.0.0', kind: 'upgraded' });
  });

  it('every package of every corpus file is reachable from an importer or listed as a dependency edge target', () => {
    // the graph is complete: each dependency id resolves to a package of the same file
    for (const pair of pairs) {
      const lock = parseLockfile('pnpm-lock.yaml', readFileSync(join(CORPUS, pair, 'head', 'pnpm-lock.yaml')));
      const ids = new Set(lock.packages.map((p) => p.id));
      const byId = new Map(lock.packages.map((p) => [p.id, p]));
      const reached = new Set<string>();
      const queue = lock.importers.flatMap((i) => i.deps);
      for (const id of queue) expect(ids.has(id)).toBe(true);
      while (queue.length > 0) {
        const id = queue.pop()!;
        if (reached.has(id)) continue;
        reached.add(id);
        for (const d of byId.get(id)!.deps) {
          if (!ids.has(d)) throw new Error(`${pair}: ${id} depends on unknown ${d}`);
          if (!reached.has(d)) queue.push(d);
        }
      }
      // nearly everything is reachable (a few entries can be left over by pnpm itself)
      expect(reached.size / lock.packages.length).toBeGreaterThan(0.95);
    }
  });
});
