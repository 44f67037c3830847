/**
 * Differential test: parse + diff every npm pair of the shared corpus and compare the
 * (name, from, to, kind) set with the pair's oracle.json.
 *
 * The corpus is found by test/helpers/corpus.ts (LOCKWARDEN_CORPUS, `../shared/corpus`, the workplace copy).
 */
import { existsSync, readFileSync } from 'node:fs';
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

function npmPairs(): string[] {
  return corpusPairs(['npm-v1', 'npm-v2', 'npm-v3']);
}

const key = (c: OracleChange): string => JSON.stringify([c.name, c.from, c.to, c.kind]);

describe('npm corpus (differential against oracle.json)', () => {
  const pairs = npmPairs();

  it('finds the corpus and its npm pairs', () => {
    expect(existsSync(CORPUS)).toBe(true);
    // npm-v1 ×2, npm-v2 ×2, npm-v3 ×4 at the time of writing; never fewer than one per format
    for (const format of ['npm-v1/', 'npm-v2/', 'npm-v3/']) expect(pairs.some((p) => p.startsWith(format))).toBe(true);
  });

  it.each(pairs)('%s matches the oracle', (pair) => {
    const dir = join(CORPUS, pair);
    const oracle = JSON.parse(readFileSync(join(dir, 'oracle.json'), 'utf8')) as Oracle;
    const base = parseLockfile('package-lock.json', readFileSync(join(dir, 'base', 'package-lock.json')));
    const head = parseLockfile('package-lock.json', readFileSync(join(dir, 'head', 'package-lock.json')));
    // the same packages are counted (root, workspaces and links left out)
    expect(base.packages.filter((p) => p.source.type !== 'link')).toHaveLength(oracle.basePackages);
    expect(head.packages.filter((p) => p.source.type !== 'link')).toHaveLength(oracle.headPackages);

    const changes = diffLockfiles(base, head);
    expect(new Set(changes.map(key))).toEqual(new Set(oracle.changes.map(key)));
    expect(changes).toHaveLength(oracle.changes.length);

    // every change points at its entry in the file it came from
    const baseLines = readFileSync(join(dir, 'base', 'package-lock.json'), 'utf8').split('\n');
    const headLines = readFileSync(join(dir, 'head', 'package-lock.json'), 'utf8').split('\n');
    for (const c of changes) {
      const pkg = c.kind === 'removed' ? c.base! : c.head!;
      expect(c.line).toBe(pkg.line);
      const text = (c.kind === 'removed' ? baseLines : headLines)[c.line - 1]!;
      expect(text).toMatch(/^\s*"[^"]+": \{$/);
      expect(c.direct).toBe(c.directOf.length > 0);
      if (c.direct) expect(c.via).toEqual([]);
    }
  });

  it('gives a workspace-rooted path for an indirect change (npm-v3/npm-cli-352ae82529)', () => {
    const dir = join(CORPUS, 'npm-v3', 'npm-cli-352ae82529');
    if (!existsSync(dir)) throw new Error('pair missing from the corpus');
    const base = parseLockfile('package-lock.json', readFileSync(join(dir, 'base', 'package-lock.json')));
    const head = parseLockfile('package-lock.json', readFileSync(join(dir, 'head', 'package-lock.json')));
    const core = diffLockfiles(base, head).find((c) => c.name === '@babel/core')!;
    expect(core).toMatchObject({ from: '7.17.8', to: '7.22.5', kind: 'upgraded', direct: false });
    expect(core.head!.id).toBe('node_modules/tap/node_modules/@babel/core');
    // tap is a (dev) dependency of the root or a workspace; the path starts there and leads to a package requiring @babel/core
    expect(core.via[0]).toBe('tap');
    const last = head.packages.find((p) => p.name === core.via[core.via.length - 1]);
    expect(last!.deps).toContain(core.head!.id);
  });
});
