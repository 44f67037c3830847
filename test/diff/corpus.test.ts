/**
 * Differential test: parse + diff every npm pair of the shared corpus and compare the
 * (name, from, to, kind) set with the pair's oracle.json.
 *
 * The corpus is found by test/helpers/corpus.ts (LOCKWARDEN_CORPUS, `../shared/corpus`, the workplace copy).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir, corpusPairs } from '../helpers/corpus.js';
import { changeLine, expectDirectness, expectSameChanges, readPair } from '../helpers/oracle.js';
import { diffLockfiles } from '../../src/diff/index.js';
import { parseLockfile } from '../../src/lockfiles/index.js';

const CORPUS = corpusDir();

function npmPairs(): string[] {
  return corpusPairs(['npm-v1', 'npm-v2', 'npm-v3']);
}

describe('npm corpus (differential against oracle.json)', () => {
  const pairs = npmPairs();

  it('finds the corpus and its npm pairs', () => {
    expect(existsSync(CORPUS)).toBe(true);
    // npm-v1 ×2, npm-v2 ×2, npm-v3 ×4 at the time of writing; never fewer than one per format
    for (const format of ['npm-v1/', 'npm-v2/', 'npm-v3/']) expect(pairs.some((p) => p.startsWith(format))).toBe(true);
  });

  it.each(pairs)('%s matches the oracle', (pair) => {
    const sides = readPair(pair, 'package-lock.json');
    const { oracle, base, head } = sides;
    // the same packages are counted (root, workspaces and links left out)
    expect(base.packages.filter((p) => p.source.type !== 'link')).toHaveLength(oracle.basePackages);
    expect(head.packages.filter((p) => p.source.type !== 'link')).toHaveLength(oracle.headPackages);

    const changes = diffLockfiles(base, head);
    expectSameChanges(changes, oracle.changes);

    // every change points at its entry in the file it came from
    for (const c of changes) {
      expect(changeLine(c, sides).text).toMatch(/^\s*"[^"]+": \{$/);
      expectDirectness(c);
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
