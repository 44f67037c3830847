/**
 * Requirements files written by a real tool: `pipenv requirements --dev --hash` on the head
 * Pipfile.lock of each corpus pair (see test/fixtures/python/README.md). Parsing pipenv's output
 * must give the same packages as parsing the lockfile it was made from.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusDir } from '../helpers/corpus.js';
import { changeKey, readOracle } from '../helpers/oracle.js';
import { diffLockfiles } from '../../src/diff/index.js';
import { parseLockfile } from '../../src/lockfiles/index.js';
import type { LockPackage } from '../../src/model/index.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'python');
const PAIRS = ['pypa-pipenv-2da61b03e8', 'pypa-pipenv-5b8d3f22ae', 'pypa-pipenv-62740e2d02'];
/** Pairs with both sides converted (see the fixtures README for the one that is not). */
const BOTH_SIDES = ['pypa-pipenv-2da61b03e8', 'pypa-pipenv-62740e2d02'];
const read = (pair: string, side: string): string => readFileSync(join(FIXTURES, `pipenv-requirements-${pair}-${side}.txt`), 'utf8');

const view = (p: LockPackage): string => JSON.stringify([p.name, p.version, p.source.type, p.integrity ?? '']);

describe('pipenv requirements --hash output', () => {
  it.each(PAIRS)('%s: same packages, versions, sources and hashes as the Pipfile.lock', (pair) => {
    const text = read(pair, 'head');
    const req = parseLockfile('requirements.txt', text);
    const pipfile = parseLockfile('Pipfile.lock', readFileSync(join(corpusDir(), 'pipfile', pair, 'head', 'Pipfile.lock')));
    expect(req.format).toBe('requirements');
    expect(req.unreviewed).toEqual([]);
    const reviewed = (ps: LockPackage[]): string[] =>
      ps
        .filter((p) => p.source.type !== 'link' && p.source.type !== 'editable')
        .map(view)
        .sort();
    expect(reviewed(req.packages)).toEqual(reviewed(pipfile.packages));
    expect(req.packages.length).toBeGreaterThan(40);
    // every package's line is the line that pins it
    const lines = text.split('\n');
    for (const p of req.packages) {
      const l = lines[p.line - 1]!.toLowerCase().replace(/[-_.]+/g, '-');
      expect(l.includes(p.name) || l.startsWith('-e')).toBe(true);
    }
    // the git dependency keeps its locked commit
    const git = req.packages.filter((p) => p.source.type === 'git');
    expect(git.map((g) => g.name)).toEqual(pair === 'pypa-pipenv-5b8d3f22ae' ? ['pypiserver'] : []);
    for (const g of git) expect(pipfile.packages.find((p) => p.name === g.name)!.version).toBe(g.version);
  });

  it.each(BOTH_SIDES)("%s: the diff of the base and head outputs is the pair's oracle", (pair) => {
    const oracle = readOracle(`pipfile/${pair}`);
    const base = parseLockfile('requirements.txt', read(pair, 'base'));
    const head = parseLockfile('requirements.txt', read(pair, 'head'));
    const changes = diffLockfiles(base, head);
    expect(changes.map(changeKey).sort()).toEqual(oracle.changes.map(changeKey).sort());
    expect(changes.length).toBeGreaterThan(0);
  });
});
