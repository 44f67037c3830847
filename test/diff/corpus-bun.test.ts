/**
 * Differential test: parse + diff every bun pair of the shared corpus (honojs/hono `bun.lock`
 * history) and compare the (name, from, to, kind) set with the pair's oracle.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir, corpusPairs } from '../helpers/corpus.js';
import { diffLockfiles } from '../../src/diff/index.js';
import { parseLockfile } from '../../src/lockfiles/index.js';

const CORPUS = corpusDir();

interface OracleChange {
  name: string;
  from: string | null;
  to: string | null;
  kind: string;
}
interface Oracle {
  basePackages: number;
  headPackages: number;
  changes: OracleChange[];
}

const key = (c: OracleChange): string => JSON.stringify([c.name, c.from, c.to, c.kind]);

describe('bun corpus (differential against oracle.json)', () => {
  const pairs = corpusPairs(['bun']);

  it('finds the bun pairs of the corpus', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(1);
  });

  it.each(pairs)('%s matches the oracle', (pair) => {
    const dir = join(CORPUS, pair);
    const oracle = JSON.parse(readFileSync(join(dir, 'oracle.json'), 'utf8')) as Oracle;
    const baseText = readFileSync(join(dir, 'base', 'bun.lock'), 'utf8');
    const headText = readFileSync(join(dir, 'head', 'bun.lock'), 'utf8');
    const base = parseLockfile('bun.lock', readFileSync(join(dir, 'base', 'bun.lock')));
    const head = parseLockfile('bun.lock', headText);
    expect(base.format).toMatch(/^bun-v[01]$/);
    expect(base.packages).toHaveLength(oracle.basePackages);
    expect(head.packages).toHaveLength(oracle.headPackages);

    const changes = diffLockfiles(base, head);
    expect(new Set(changes.map(key))).toEqual(new Set(oracle.changes.map(key)));
    expect(changes).toHaveLength(oracle.changes.length);

    // every change points at its entry's key line in the file it came from
    const baseLines = baseText.split('\n');
    const headLines = headText.split('\n');
    for (const c of changes) {
      const pkg = c.kind === 'removed' ? c.base! : c.head!;
      expect(c.line).toBe(pkg.line);
      const text = (c.kind === 'removed' ? baseLines : headLines)[c.line - 1]!;
      expect(text.startsWith(`    ${JSON.stringify(pkg.id)}: [`)).toBe(true);
      expect(c.direct).toBe(c.directOf.length > 0);
      if (c.direct) expect(c.via).toEqual([]);
      else expect(c.via.length).toBeGreaterThan(0);
    }
  });

  it('every dependency edge of every corpus file lands on a package or an importer', () => {
    for (const pair of pairs) {
      for (const side of ['base', 'head']) {
        const lock = parseLockfile('bun.lock', readFileSync(join(CORPUS, pair, side, 'bun.lock')));
        const ids = new Set([...lock.packages.map((p) => p.id), ...lock.importers.map((i) => i.path)]);
        for (const p of lock.packages) for (const d of p.deps) expect(ids.has(d)).toBe(true);
        for (const i of lock.importers) for (const d of i.deps) expect(ids.has(d)).toBe(true);
        // the root project has direct dependencies, and most packages are reachable
        expect(lock.importers.find((i) => i.path === '')!.deps.length).toBeGreaterThan(10);
      }
    }
  });
});
