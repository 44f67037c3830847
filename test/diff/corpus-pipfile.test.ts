/**
 * Differential test: parse + diff every Pipfile.lock pair of the shared corpus (pypa/pipenv's own
 * Pipfile.lock history) and compare the (name, from, to, kind) set with the pair's oracle.json.
 *
 * Package counts: the oracle counts entries (a package in both `default` and `develop` twice),
 * lockwarden one package per installed copy (such a package once). The test counts those entries
 * itself with JSON.parse, so both numbers are checked.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir, corpusPairs } from '../helpers/corpus.js';
import { changeLine, expectSameChanges, readPair } from '../helpers/oracle.js';
import { diffLockfiles } from '../../src/diff/index.js';
import { parseLockfile } from '../../src/lockfiles/index.js';
import { normalizePythonName } from '../../src/versions/index.js';

const CORPUS = corpusDir();

type Entry = { version?: string; path?: string; editable?: boolean; hashes?: string[] };
type Doc = { default: Record<string, Entry>; develop: Record<string, Entry> };

/** Entries the oracle counts (local directories left out) and how many names are in both sections with the same version. */
function countEntries(text: string): { entries: number; inBoth: number } {
  const doc = JSON.parse(text) as Doc;
  const local = (e: Entry): boolean => e.editable === true || (e.path !== undefined && !/\.(whl|tar\.gz|zip)$/.test(e.path));
  let entries = 0;
  for (const section of [doc.default, doc.develop]) for (const e of Object.values(section)) if (!local(e)) entries++;
  let inBoth = 0;
  for (const [name, e] of Object.entries(doc.default)) {
    const d = doc.develop[name];
    if (d && !local(e) && d.version === e.version && JSON.stringify([...(d.hashes ?? [])].sort()) === JSON.stringify([...(e.hashes ?? [])].sort())) inBoth++;
  }
  return { entries, inBoth };
}

describe('Pipfile.lock corpus (differential against oracle.json)', () => {
  const pairs = corpusPairs(['pipfile']);

  it('finds the pipfile pairs of the corpus', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(3);
  });

  it.each(pairs)('%s matches the oracle', (pair) => {
    const sides = readPair(pair, 'Pipfile.lock');
    const { oracle, base, head, baseText, headText } = sides;
    expect(base.format).toBe('pipfile');
    expect(base.ecosystem).toBe('pypi');

    for (const [lock, text, count] of [
      [base, baseText, oracle.basePackages],
      [head, headText, oracle.headPackages],
    ] as const) {
      const { entries, inBoth } = countEntries(text);
      expect(entries).toBe(count);
      const reviewed = lock.packages.filter((p) => p.source.type !== 'link' && p.source.type !== 'editable');
      expect(reviewed).toHaveLength(count - inBoth);
    }

    const changes = diffLockfiles(base, head);
    expectSameChanges(changes, oracle.changes);

    // every change points at its entry's key line, and every package is a direct dependency of the root
    for (const c of changes) {
      const { text } = changeLine(c, sides);
      const m = /^ {8}"([^"]+)": \{$/.exec(text);
      expect(m).not.toBeNull();
      expect(normalizePythonName(m![1]!)).toBe(c.name);
      expect(c.direct).toBe(true);
      expect(c.directOf).toEqual(['']);
    }
  });

  it('records every hash of every index package and its index URL as data', () => {
    for (const pair of pairs) {
      const text = readFileSync(join(CORPUS, pair, 'head', 'Pipfile.lock'), 'utf8');
      const doc = JSON.parse(text) as Doc & { _meta: { sources: { url: string }[] } };
      const lock = parseLockfile('Pipfile.lock', text);
      const byName = new Map(lock.packages.map((p) => [p.name, p]));
      for (const section of [doc.default, doc.develop]) {
        for (const [name, e] of Object.entries(section)) {
          if (e.version === undefined) continue;
          const p = byName.get(normalizePythonName(name))!;
          expect(p.version).toBe(e.version.replace(/^==/, ''));
          expect(p.source).toEqual({ type: 'registry', url: doc._meta.sources[0]!.url });
          expect(p.integrity).toBe([...new Set(e.hashes)].sort().join(' '));
          expect(p.hashes!.map((h) => `${h.algorithm}:${h.digest}`).sort()).toEqual([...new Set(e.hashes)].sort());
        }
      }
    }
  });
});
