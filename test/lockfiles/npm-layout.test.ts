/**
 * Edges of large generated lockfiles (thousands of packages, nested copies, scoped and non-ASCII
 * names, dependency names written with escapes) against a plain reference implementation of
 * node's lookup over JSON.parse's output. Exercises the parser's name and folder tables well past
 * their initial sizes.
 */
import { parseLockfile } from '../../src/lockfiles/index.js';
import type { Lockfile } from '../../src/model/index.js';

/** Deterministic pseudo-random numbers. */
function rng(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
    return (x >>> 8) % n;
  };
}

const NAMES = 400;
function nameOf(i: number): string {
  if (i % 17 === 0) return `@s${i % 5}/p${i}`;
  if (i % 53 === 0) return `é${i}`;
  return `p${i}`;
}

/** A JSON string literal of `s`, with its first ASCII letter written as a \u escape. */
function escaped(s: string): string {
  const lit = JSON.stringify(s);
  const m = /[a-z]/.exec(lit);
  if (!m) return lit;
  return `${lit.slice(0, m.index)}\\u00${m[0].charCodeAt(0).toString(16)}${lit.slice(m.index + 1)}`;
}

/** v3 text: nested locations, each with dependencies (some keys escaped). */
function generateV3(seed: number): string {
  const r = rng(seed);
  const keys = new Set<string>();
  const entries: string[] = [];
  const rootDeps: string[] = [];
  for (let i = 0; i < 3000; i++) {
    let loc = `node_modules/${nameOf(r(NAMES))}`;
    const depth = r(4);
    for (let d = 0; d < depth; d++) loc += `/node_modules/${nameOf(r(NAMES))}`;
    if (keys.has(loc)) continue;
    keys.add(loc);
    const deps: string[] = [];
    const n = r(5);
    for (let k = 0; k < n; k++) {
      const dep = nameOf(r(NAMES));
      deps.push(`${r(4) === 0 ? escaped(dep) : JSON.stringify(dep)}: "*"`);
    }
    const kind = r(3) === 0 ? 'optionalDependencies' : 'dependencies';
    entries.push(`    ${JSON.stringify(loc)}: {\n      "version": "1.0.${r(3)}",\n      "${kind}": {${deps.join(', ')}}\n    }`);
    if (r(10) === 0 && depth === 0) rootDeps.push(`${JSON.stringify(loc.slice('node_modules/'.length))}: "*"`);
  }
  return `{\n  "lockfileVersion": 3,\n  "packages": {\n    "": { "dependencies": {${rootDeps.join(', ')}} },\n${entries.join(',\n')}\n  }\n}\n`;
}

/** Node's lookup from `loc`: its own node_modules, then each enclosing location's, then the top. */
function lookup(installed: Set<string>, loc: string, dep: string): string | undefined {
  let at = loc;
  for (;;) {
    const candidate = at === '' ? `node_modules/${dep}` : `${at}/node_modules/${dep}`;
    if (installed.has(candidate)) return candidate;
    if (at === '') return undefined;
    const cut = at.lastIndexOf('/node_modules/');
    at = cut < 0 ? '' : at.slice(0, cut);
  }
}

function referenceV3(text: string): Map<string, string[]> {
  const doc = JSON.parse(text) as { packages: Record<string, { dependencies?: object; optionalDependencies?: object }> };
  const installed = new Set(Object.keys(doc.packages).filter((k) => k !== ''));
  const out = new Map<string, string[]>();
  for (const [loc, e] of Object.entries(doc.packages)) {
    if (loc === '') continue;
    const deps: string[] = [];
    for (const dep of [...Object.keys(e.dependencies ?? {}), ...Object.keys(e.optionalDependencies ?? {})]) {
      const t = lookup(installed, loc, dep);
      if (t !== undefined && t !== loc && !deps.includes(t)) deps.push(t);
    }
    out.set(loc, deps);
  }
  return out;
}

function depsById(l: Lockfile): Map<string, string[]> {
  return new Map(l.packages.map((p) => [p.id, p.deps]));
}

describe('npm v1 names that do not read back as their place in the tree', () => {
  // The lookup goes by location string (node's rule): a name with a `/`, `..` or an `@scope`
  // part changes which directories are searched, whatever the nesting says.
  const parse = (deps: object): Map<string, string[]> =>
    depsById(parseLockfile('package-lock.json', JSON.stringify({ lockfileVersion: 1, dependencies: deps })));

  it('a name with a slash: its location sits under another package', () => {
    const d = parse({
      a: { version: '1.0.0', dependencies: { z: { version: '1.0.0' } } },
      'a/b': { version: '1.0.0', dependencies: { c: { version: '1.0.0', requires: { z: '*' } } } },
    });
    expect(d.get('node_modules/a/b/node_modules/c')).toEqual(['node_modules/a/node_modules/z']);
  });

  it('a `..` name: the search stops there', () => {
    const d = parse({ '..': { version: '1.0.0', dependencies: { c: { version: '1.0.0', requires: { z: '*' } } } }, z: { version: '1.0.0' } });
    expect(d.get('node_modules/../node_modules/c')).toEqual([]);
  });

  it('an `@name` parent is skipped like a scope folder', () => {
    const d = parse({
      '@x': {
        version: '1.0.0',
        dependencies: { z: { version: '2.0.0' }, c: { version: '1.0.0', dependencies: { d: { version: '1.0.0', requires: { z: '*' } } } } },
      },
      z: { version: '1.0.0' },
    });
    expect(d.get('node_modules/@x/node_modules/c/node_modules/d')).toEqual(['node_modules/z']);
  });

  it('a name written after plain ones shares the directories they made at the same location', () => {
    // `a` and its child `b` first (plain names), then a top-level `a/node_modules/b`: the same
    // location, so its `node_modules` is the nested b's, which holds `y`
    const l = parseLockfile(
      'package-lock.json',
      JSON.stringify({
        lockfileVersion: 1,
        dependencies: {
          a: { version: '1.0.0', dependencies: { b: { version: '1.0.0', dependencies: { y: { version: '1.0.0' } } } } },
          'a/node_modules/b': { version: '2.0.0', requires: { y: '*' }, dependencies: { q: { version: '1.0.0' } } },
        },
      }),
    );
    const late = l.packages.find((p) => p.version === '2.0.0')!;
    expect(late.id).toBe('node_modules/a/node_modules/b');
    expect(late.deps).toEqual(['node_modules/a/node_modules/b/node_modules/y']);
  });
});

describe('npm layout at scale', () => {
  it.each([1, 2, 3])('v3: every edge is the one node would resolve (seed %i)', (seed) => {
    const text = generateV3(seed);
    const l = parseLockfile('package-lock.json', text);
    const ref = referenceV3(text);
    expect(l.packages).toHaveLength(ref.size);
    expect(depsById(l)).toEqual(ref);
    // names come from the folder the package is installed as (escapes decoded, non-ASCII kept)
    for (const p of l.packages) expect(p.name).toBe(p.id.slice(p.id.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(l.packages.some((p) => p.name.startsWith('é'))).toBe(true);
    expect(l.packages.some((p) => p.name.startsWith('@s'))).toBe(true);
  });

  it('v1: every `requires` edge is the one node would resolve in the rebuilt layout', () => {
    const r = rng(7);
    let count = 0;
    type Tree = Record<string, { version: string; requires?: Record<string, string>; dependencies?: Tree }>;
    const tree = (depth: number): Tree => {
      const t: Tree = {};
      const n = depth === 0 ? 350 : r(depth > 2 ? 2 : 5);
      for (let i = 0; i < n; i++) {
        const requires: Record<string, string> = {};
        for (let k = r(4); k > 0; k--) requires[nameOf(r(NAMES))] = '*';
        const entry: Tree[string] = { version: `1.0.${r(3)}`, requires };
        if (depth < 4 && r(3) === 0) entry.dependencies = tree(depth + 1);
        t[nameOf(r(NAMES))] = entry;
        count++;
      }
      return t;
    };
    const root = tree(0);
    const text = JSON.stringify({ lockfileVersion: 1, requires: true, dependencies: root }, null, 2);
    const l = parseLockfile('package-lock.json', text);

    // reference: locations from the nesting (JSON.parse keeps the last of duplicate keys), then lookup
    const expected = new Map<string, string[]>();
    const installed = new Set<string>();
    const walk = (t: Tree, parent: string, visit: (loc: string, e: Tree[string]) => void): void => {
      for (const [name, e] of Object.entries(t)) {
        const loc = parent === '' ? `node_modules/${name}` : `${parent}/node_modules/${name}`;
        visit(loc, e);
        if (e.dependencies) walk(e.dependencies, loc, visit);
      }
    };
    walk(root, '', (loc) => installed.add(loc));
    walk(root, '', (loc, e) => {
      const deps: string[] = [];
      for (const dep of Object.keys(e.requires ?? {})) {
        const t = lookup(installed, loc, dep);
        if (t !== undefined && t !== loc && !deps.includes(t)) deps.push(t);
      }
      expected.set(loc, deps);
    });
    expect(count).toBeGreaterThan(500);
    expect(depsById(l)).toEqual(expected);
    // the root gets the top-level packages nothing requires
    const required = new Set([...expected.values()].flat());
    const top = Object.keys(root).map((n) => `node_modules/${n}`);
    expect(new Set(l.importers[0]!.deps)).toEqual(new Set(top.filter((loc) => !required.has(loc))));
  });
});
