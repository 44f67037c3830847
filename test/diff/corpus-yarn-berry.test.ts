/**
 * Differential test: parse + diff every yarn berry pair of the shared corpus and compare the
 * (name, from, to, kind) set with the pair's oracle.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir, corpusPairs } from '../helpers/corpus.js';
import { changeLine, expectDirectness, expectSameChanges, readPair } from '../helpers/oracle.js';
import { diffLockfiles } from '../../src/diff/index.js';
import { parseLockfile } from '../../src/lockfiles/index.js';

const CORPUS = corpusDir();

describe('yarn berry corpus (differential against oracle.json)', () => {
  const pairs = corpusPairs(['yarn-berry']);

  it('finds the yarn berry pairs', () => {
    // 4 at the time of writing
    expect(pairs.length).toBeGreaterThanOrEqual(1);
  });

  it.each(pairs)('%s matches the oracle', (pair) => {
    const sides = readPair(pair, 'yarn.lock');
    const { oracle, base, head } = sides;
    expect(base.format).toMatch(/^yarn-berry-v\d+$/);
    // the same packages are counted (workspaces are importers; links left out)
    expect(base.packages.filter((p) => p.source.type !== 'link')).toHaveLength(oracle.basePackages);
    expect(head.packages.filter((p) => p.source.type !== 'link')).toHaveLength(oracle.headPackages);
    expect(head.importers.length).toBeGreaterThan(1); // babel's workspaces

    const changes = diffLockfiles(base, head);
    expectSameChanges(changes, oracle.changes);

    // every change points at its entry's key line in the file it came from
    for (const c of changes) {
      const { text } = changeLine(c, sides);
      expect(text).toMatch(/^"[^"]+":$/);
      expect(text).toContain(`${c.name}@`);
      expectDirectness(c);
    }
  });

  it.each(pairs)('%s: every dependency of every package is an edge to a package of that name (none dropped)', (pair) => {
    const text = readFileSync(join(CORPUS, pair, 'head', 'yarn.lock'), 'utf8');
    const head = parseLockfile('yarn.lock', text);
    const byId = new Map(head.packages.map((p) => [p.id, p]));
    const byLine = new Map(head.packages.map((p) => [p.line, p]));
    // independently of the parser: each entry's `dependencies:` lines, by the entry's key line
    const lines = text.split('\n');
    let checked = 0;
    let entry: number | undefined;
    let inDeps = false;
    for (let n = 0; n < lines.length; n++) {
      const l = lines[n]!;
      if (/^[^\s#]/.test(l)) entry = n + 1;
      else if (/^  \S/.test(l)) inDeps = l === '  dependencies:';
      else if (inDeps && /^    \S/.test(l)) {
        const m = /^    ("[^"]+"|[^:]+): "?([^"]*)"?$/.exec(l)!;
        const range = m[2]!;
        if (range.includes('workspace:') || range.includes('link:')) continue; // an importer or a link, not a package
        const name = m[1]!.replace(/"/g, '');
        const inner = /^npm:(@?[^@]+)@/.exec(range);
        const real = inner ? inner[1]! : name;
        const pkg = byLine.get(entry!);
        if (pkg === undefined) continue; // a workspace's own dependencies
        const names = pkg.deps.map((d) => byId.get(d)!.name);
        if (real === pkg.name && !names.includes(real)) continue; // a package depending on itself
        // overridden by the project's `resolutions` to a workspace (babel does this for its own packages)
        if (!names.includes(real) && head.importers.some((i) => i.name === real)) continue;
        expect([pair, pkg.id, names.includes(real) ? real : `missing ${real}`]).toEqual([pair, pkg.id, real]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('counts `condition:` entries as packages like the oracle, but not as registry packages; their edges lead to the real package', () => {
    // babel's yarn plugin protocol: virtual entries (version 0.0.0-condition-<hash>) choosing between two
    // dependencies. The oracle counts them (asserted above); they are not installed from the registry,
    // so they must not look like registry packages to the signals.
    const text = readFileSync(join(CORPUS, 'yarn-berry', 'babel-babel-4251ce3bd0', 'head', 'yarn.lock'), 'utf8');
    const head = parseLockfile('yarn.lock', text);
    const conditions = head.packages.filter((p) => p.id.includes('@condition:'));
    expect(conditions.length).toBe((text.match(/^  resolution: "[^"]*@condition:/gm) ?? []).length);
    expect(conditions.length).toBeGreaterThan(10);
    for (const c of conditions) {
      expect(c.version).toMatch(/^0\.0\.0-condition-[0-9a-f]+$/);
      expect(c.source.type).toBe('unknown');
    }
    const decimal = conditions.find((c) => c.name === '@babel/plugin-syntax-decimal')!;
    expect(decimal.deps.map((d) => head.packages.find((p) => p.id === d)!.name)).toEqual(['@babel/plugin-syntax-decimal']);
  });

  it('gives the root importer and workspaces their direct dependencies', () => {
    const head = parseLockfile('yarn.lock', readFileSync(join(CORPUS, 'yarn-berry', 'babel-babel-4251ce3bd0', 'head', 'yarn.lock')));
    const root = head.importers.find((i) => i.path === '')!;
    expect(root.name).toBe('babel');
    const names = new Set(root.deps.map((d) => head.packages.find((p) => p.id === d)!.name));
    expect(names.has('rollup')).toBe(true);
    expect(head.importers.some((i) => i.path === 'packages/babel-core' && i.name === '@babel/core')).toBe(true);
  });
});
