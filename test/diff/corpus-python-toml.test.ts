/**
 * Differential test: parse + diff every poetry, uv and pylock pair of the shared corpus and compare
 * the (name, from, to, kind) set with the pair's oracle.json, and the package counts (the oracle
 * leaves out the root, workspace members and local directories: importers, `link` and `editable`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir, corpusPairs } from '../helpers/corpus.js';
import { changeLine, expectDirectness, expectSameChanges, readPair } from '../helpers/oracle.js';
import { diffLockfiles } from '../../src/diff/index.js';
import { parseLockfile } from '../../src/lockfiles/index.js';
import type { Lockfile } from '../../src/model/index.js';

const CORPUS = corpusDir();

const FILES: Record<string, string> = { poetry: 'poetry.lock', uv: 'uv.lock', pylock: 'pylock.toml' };
const HEADERS: Record<string, string> = { poetry: '[[package]]', uv: '[[package]]', pylock: '[[packages]]' };

/** What the oracle counts: installed packages, not local directories. */
const counted = (l: Lockfile): number => l.packages.filter((p) => p.source.type !== 'link' && p.source.type !== 'editable').length;

describe.each(['poetry', 'uv', 'pylock'])('%s corpus (differential against oracle.json)', (format) => {
  const pairs = corpusPairs([format]);
  const fileName = FILES[format]!;

  it('finds the pairs of the corpus', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(2);
  });

  it.each(pairs)('%s matches the oracle', (pair) => {
    const sides = readPair(pair, fileName);
    const { oracle, base, head } = sides;
    expect(base.ecosystem).toBe('pypi');
    expect(base.format.startsWith(format)).toBe(true);
    expect(counted(base)).toBe(oracle.basePackages);
    expect(counted(head)).toBe(oracle.headPackages);

    const changes = diffLockfiles(base, head);
    expectSameChanges(changes, oracle.changes);

    // every change points at its entry's table header in the file it came from
    for (const c of changes) {
      expect(changeLine(c, sides).text.trim()).toBe(HEADERS[format]);
      expectDirectness(c);
      if (!c.direct) expect(c.via.length).toBeGreaterThan(0);
    }
  });

  it('every package has its header line, hashes that make its integrity, and edges that land on packages', () => {
    for (const pair of pairs) {
      for (const side of ['base', 'head']) {
        const text = readFileSync(join(CORPUS, pair, side, fileName), 'utf8');
        const lines = text.split('\n');
        const lock = parseLockfile(fileName, text);
        const ids = new Set(lock.packages.map((p) => p.id));
        expect(ids.size).toBe(lock.packages.length);
        for (const p of lock.packages) {
          expect(lines[p.line - 1]!.trim()).toBe(HEADERS[format]);
          for (const d of p.deps) expect(ids.has(d)).toBe(true);
          if (p.hashes !== undefined) {
            expect(p.integrity).toBe([...new Set(p.hashes.map((h) => `${h.algorithm}:${h.digest}`))].sort().join(' '));
          }
        }
        for (const i of lock.importers) for (const d of i.deps) expect(ids.has(d)).toBe(true);
        expect(lock.importers.find((i) => i.path === '')!.deps.length).toBeGreaterThan(0);
      }
    }
  });
});
