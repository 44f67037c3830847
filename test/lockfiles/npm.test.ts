import { parseLockfile } from '../../src/lockfiles/index.js';
import type { LockPackage, Lockfile } from '../../src/model/index.js';
import { fixture, lineOf, lockfileError, v3 } from './helpers.js';

function byId(l: Lockfile, id: string): LockPackage {
  const p = l.packages.find((x) => x.id === id);
  if (!p) throw new Error(`no package ${id}`);
  return p;
}

/** Every package's line must be the line of its key in the text. */
function expectKeyLines(l: Lockfile, text: string, keyOf: (p: LockPackage) => string): void {
  const lines = text.split('\n');
  for (const p of l.packages) expect(lines[p.line - 1]).toContain(keyOf(p));
}

describe('npm v3 (real npm 11 output: workspace, alias, nested copies)', () => {
  const text = fixture('npm/workspace-v3.package-lock.json');
  const l = parseLockfile('package-lock.json', text);

  it('reads the format and every installed package, not the link nor the importers', () => {
    expect(l.ecosystem).toBe('npm');
    expect(l.format).toBe('npm-v3');
    expect(l.file).toBe('package-lock.json');
    expect(l.packages.map((p) => p.id)).toEqual([
      'node_modules/is-buffer',
      'node_modules/is-even',
      'node_modules/is-even/node_modules/is-number',
      'node_modules/is-even/node_modules/is-odd',
      'node_modules/is-number',
      'node_modules/is-odd',
      'node_modules/is-odd/node_modules/is-number',
      'node_modules/kind-of',
      'node_modules/noop3',
      'packages/a/node_modules/is-number',
    ]);
  });

  it('has the root and the workspace as importers; the link makes the workspace a dependency target', () => {
    expect(l.importers.map((i) => [i.path, i.name])).toEqual([
      ['', 'fixture-root'],
      ['packages/a', 'a'],
    ]);
    const [root, ws] = l.importers;
    expect(root!.line).toBe(lineOf(text, '"": {'));
    expect(ws!.line).toBe(lineOf(text, '"packages/a": {'));
    // dependencies, devDependencies and optionalDependencies of packages[""]
    expect(new Set(root!.deps)).toEqual(new Set(['packages/a', 'node_modules/is-number', 'node_modules/noop3', 'node_modules/is-odd', 'node_modules/is-even']));
    // the workspace's own node_modules is searched first
    expect(ws!.deps).toEqual(['packages/a/node_modules/is-number']);
  });

  it('resolves an npm: alias to the real name', () => {
    const p = byId(l, 'node_modules/noop3');
    expect(p.name).toBe('lodash.noop');
    expect(p.alias).toBe('noop3');
    expect(p.version).toBe('3.0.1');
    expect(p.source).toEqual({ type: 'registry', url: 'https://registry.npm.example/lodash.noop/-/lodash.noop-3.0.1.tgz' });
    expect(byId(l, 'node_modules/is-number').alias).toBeUndefined();
  });

  it('resolves dependency edges by node lookup (nested copy first, then the top level)', () => {
    expect(byId(l, 'node_modules/is-odd').deps).toEqual(['node_modules/is-odd/node_modules/is-number']);
    expect(byId(l, 'node_modules/is-even').deps).toEqual(['node_modules/is-even/node_modules/is-odd']);
    // sibling under the same parent, then kind-of from the top level
    expect(byId(l, 'node_modules/is-even/node_modules/is-odd').deps).toEqual(['node_modules/is-even/node_modules/is-number']);
    expect(byId(l, 'node_modules/is-even/node_modules/is-number').deps).toEqual(['node_modules/kind-of']);
  });

  it('reads versions, integrity, flags and key lines', () => {
    const odd = byId(l, 'node_modules/is-odd/node_modules/is-number');
    expect(odd.name).toBe('is-number');
    expect(odd.version).toBe('6.0.0');
    expect(odd.integrity).toMatch(/^sha512-Wu1VHeIL/);
    expect(odd.flags).toEqual({ dev: true, optional: false, devOptional: false, peer: false, hasInstallScript: false, bundled: false });
    expect(byId(l, 'node_modules/kind-of').flags.optional).toBe(true);
    expectKeyLines(l, text, (p) => `"${p.id}": {`);
    expect(byId(l, 'node_modules/noop3').line).toBe(lineOf(text, '"node_modules/noop3"'));
  });
});

describe('npm v2 (packages + legacy dependencies)', () => {
  const text = fixture('npm/workspace-v2.package-lock.json');

  it('reads `packages` like v3 and ignores the legacy `dependencies` tree', () => {
    const l2 = parseLockfile('package-lock.json', text);
    const l3 = parseLockfile('package-lock.json', fixture('npm/workspace-v3.package-lock.json'));
    expect(l2.format).toBe('npm-v2');
    expect(l2.packages.map((p) => [p.id, p.name, p.version, p.deps])).toEqual(l3.packages.map((p) => [p.id, p.name, p.version, p.deps]));
    // a version present only in the legacy section must not appear
    const tampered = text.replace(/("dependencies": \{\n    "a": \{[\s\S]*?"is-number": \{\n\s*"version": )"6.0.0"/, '$1"6.6.6"');
    expect(tampered).not.toBe(text);
    const lt = parseLockfile('package-lock.json', tampered);
    expect(lt.packages.some((p) => p.version === '6.6.6')).toBe(false);
  });

  it('falls back to `dependencies` when a v2 file has no `packages`', () => {
    const l = parseLockfile('package-lock.json', JSON.stringify({ lockfileVersion: 2, dependencies: { x: { version: '1.0.0', integrity: 'sha512-x' } } }));
    expect(l.format).toBe('npm-v2');
    expect(l.packages.map((p) => [p.id, p.version])).toEqual([['node_modules/x', '1.0.0']]);
  });
});

describe('npm v1 (nested dependencies)', () => {
  const text = fixture('npm/workspace-v1.package-lock.json');
  const l = parseLockfile('package-lock.json', text);

  it('rebuilds install locations from the nesting', () => {
    expect(l.format).toBe('npm-v1');
    expect(l.packages.map((p) => p.id)).toEqual([
      'node_modules/a/node_modules/is-number',
      'node_modules/is-buffer',
      'node_modules/is-even',
      'node_modules/is-even/node_modules/is-number',
      'node_modules/is-even/node_modules/is-odd',
      'node_modules/is-number',
      'node_modules/is-odd',
      'node_modules/is-odd/node_modules/is-number',
      'node_modules/kind-of',
      'node_modules/noop3',
    ]);
    // lines are those of each (nested) key
    const lines = text.split('\n');
    for (const p of l.packages) expect(lines[p.line - 1]).toMatch(new RegExp(`^\\s*"${p.alias ?? p.name}": \\{`));
  });

  it('resolves `requires` by node lookup and `npm:` alias versions', () => {
    expect(byId(l, 'node_modules/is-odd').deps).toEqual(['node_modules/is-odd/node_modules/is-number']);
    expect(byId(l, 'node_modules/kind-of').deps).toEqual(['node_modules/is-buffer']);
    const alias = byId(l, 'node_modules/noop3');
    expect([alias.name, alias.alias, alias.version]).toEqual(['lodash.noop', 'noop3', '3.0.1']);
    expect(byId(l, 'node_modules/is-odd').flags.dev).toBe(true);
  });

  it('makes a file: directory entry an importer and guesses root deps (top-level packages nobody requires)', () => {
    expect(l.importers.map((i) => i.path)).toEqual(['', 'packages/a']);
    expect(l.importers[1]!.deps).toEqual(['node_modules/a/node_modules/is-number']);
    const root = l.importers[0]!;
    expect(root.name).toBe('fixture-root');
    expect(new Set(root.deps)).toEqual(new Set(['packages/a', 'node_modules/is-even', 'node_modules/is-number', 'node_modules/is-odd', 'node_modules/noop3']));
    // kind-of and is-buffer are required by other packages: not direct
    expect(root.deps).not.toContain('node_modules/kind-of');
  });

  it('marks v1 `bundled` copies', () => {
    const t = JSON.stringify({
      lockfileVersion: 1,
      dependencies: {
        host: {
          version: '1.0.0',
          resolved: 'https://r.example/host/-/host-1.0.0.tgz',
          integrity: 'sha512-h',
          requires: { inner: '^2.0.0' },
          dependencies: { inner: { version: '2.0.0', bundled: true } },
        },
      },
    });
    const lb = parseLockfile('package-lock.json', t);
    const inner = byId(lb, 'node_modules/host/node_modules/inner');
    expect(inner.flags.bundled).toBe(true);
    expect(inner.source.type).toBe('bundled');
    expect(byId(lb, 'node_modules/host').deps).toEqual(['node_modules/host/node_modules/inner']);
  });

  it('classifies v1 git and tarball versions', () => {
    const t = JSON.stringify({
      lockfileVersion: 1,
      dependencies: {
        g: { version: 'git+ssh://git@git.example/o/g.git#0123456789abcdef0123456789abcdef01234567', from: 'git+ssh://git@git.example/o/g.git' },
        h: { version: 'github:o/h#0123456789abcdef0123456789abcdef01234567' },
        t: { version: 'https://files.example/t-1.0.0.tgz', integrity: 'sha512-t' },
        f: { version: 'file:vendor/f-1.0.0.tgz', integrity: 'sha512-f' },
      },
    });
    const lv = parseLockfile('package-lock.json', t);
    expect(lv.packages.map((p) => [p.name, p.source.type])).toEqual([
      ['g', 'git'],
      ['h', 'git'],
      ['t', 'tarball'],
      ['f', 'file'],
    ]);
    expect(lv.importers).toHaveLength(1); // a file: tarball is a package, not a linked directory
  });
});

describe('member order', () => {
  it('reads packages and dependencies that come before lockfileVersion, with their lines', () => {
    const t = [
      '{',
      '  "packages": {',
      '    "node_modules/a": { "version": "1.0.0" }',
      '  },',
      '  "dependencies": { "a": { "version": "9.9.9" } },',
      '  "lockfileVersion": 2',
      '}',
    ].join('\n');
    const l = parseLockfile('package-lock.json', t);
    expect(l.format).toBe('npm-v2');
    expect(l.packages.map((p) => [p.id, p.version, p.line])).toEqual([['node_modules/a', '1.0.0', 3]]);
    const t1 = '{\n"dependencies": {\n"a": { "version": "1.0.0" }\n},\n"lockfileVersion": 1\n}';
    expect(parseLockfile('package-lock.json', t1).packages.map((p) => [p.version, p.line])).toEqual([['1.0.0', 3]]);
    // a bad entry in a deferred section is still reported at its own line
    const bad = '{\n"dependencies": {\n"a": "1.0.0"\n},\n"lockfileVersion": 1\n}';
    expect(lockfileError(() => parseLockfile('package-lock.json', bad)).line).toBe(3);
  });
});

describe('line endings and missing root entry', () => {
  it('counts lines in CRLF files', () => {
    const lf = fixture('npm/workspace-v3.package-lock.json');
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = parseLockfile('package-lock.json', lf);
    const b = parseLockfile('package-lock.json', crlf);
    expect(b.packages.map((p) => p.line)).toEqual(a.packages.map((p) => p.line));
    expect(b.importers.map((i) => i.line)).toEqual(a.importers.map((i) => i.line));
  });

  it('guesses the root dependencies when packages[""] is missing', () => {
    const t = v3({
      'node_modules/app': { version: '1.0.0', dependencies: { lib: '1' } },
      'node_modules/lib': { version: '1.0.0' },
      'node_modules/tool': { version: '1.0.0', dev: true },
    });
    const l = parseLockfile('package-lock.json', t);
    expect(l.importers).toEqual([{ path: '', name: 'fixture', line: 1, deps: ['node_modules/app', 'node_modules/tool'] }]);
  });

  it('follows a link to a package installed elsewhere in node_modules', () => {
    const t = v3({
      '': { dependencies: { alias: '*' } },
      'node_modules/alias': { resolved: 'node_modules/real', link: true },
      'node_modules/real': { version: '1.0.0' },
    });
    const l = parseLockfile('package-lock.json', t);
    expect(l.packages.map((p) => p.id)).toEqual(['node_modules/real']);
    expect(l.importers[0]!.deps).toEqual(['node_modules/real']);
  });
});

describe('npm-shrinkwrap.json', () => {
  it('parses the same format under its own name', () => {
    const text = fixture('npm/workspace-v3.package-lock.json');
    const l = parseLockfile('sub/npm-shrinkwrap.json', text);
    expect(l.file).toBe('sub/npm-shrinkwrap.json');
    expect(l.format).toBe('npm-v3');
    expect(l.packages).toHaveLength(10);
  });
});

describe('sources', () => {
  const sha = '0123456789abcdef0123456789abcdef01234567';
  const text = v3({
    '': { name: 'fixture', dependencies: { reg: '1', nores: '1', git: 'x', tar: 'x', file: 'x', scoped: '1', enc: '1', mirror: '1', other: '1', host: '1' } },
    'node_modules/reg': { version: '1.2.3', resolved: 'https://r.example/reg/-/reg-1.2.3.tgz', integrity: 'sha512-r' },
    'node_modules/nores': { version: '1.0.0', integrity: 'sha512-n' },
    'node_modules/git': { version: '1.0.0', resolved: `git+ssh://git@git.example/o/git.git#${sha}` },
    'node_modules/tar': { version: '1.0.0', resolved: 'https://files.example/some/archive.tgz', integrity: 'sha512-t' },
    'node_modules/file': { version: '1.0.0', resolved: 'file:vendor/file-1.0.0.tgz', integrity: 'sha512-f' },
    'node_modules/@s/scoped': { version: '2.0.0', resolved: 'https://r.example/@s/scoped/-/scoped-2.0.0.tgz' },
    'node_modules/@s/enc': { version: '2.0.0', resolved: 'https://r.example/@s%2fenc/-/enc-2.0.0.tgz' },
    'node_modules/mirror': { version: '3.0.0', resolved: 'https://m.example/api/npm/remote/mirror/-/mirror-3.0.0.tgz?token=x' },
    // the path shape must match the package's own name and version
    'node_modules/other': { version: '1.0.0', resolved: 'https://r.example/evil/-/evil-1.0.0.tgz' },
    'node_modules/host': { version: '1.0.0', inBundle: true },
    'node_modules/host/node_modules/b': { version: '1.0.0', inBundle: true, resolved: 'https://r.example/b/-/b-1.0.0.tgz' },
  });
  const l = parseLockfile('package-lock.json', text);
  const type = (id: string): string => byId(l, `node_modules/${id}`).source.type;

  it('classifies each source from resolved / version / inBundle', () => {
    expect(type('reg')).toBe('registry');
    expect(type('nores')).toBe('registry'); // omit-lockfile-registry-resolved
    expect(byId(l, 'node_modules/nores').source.url).toBeUndefined();
    expect(type('git')).toBe('git');
    expect(byId(l, 'node_modules/git').source.url).toContain(sha);
    expect(type('tar')).toBe('tarball');
    expect(type('file')).toBe('file');
    expect(type('@s/scoped')).toBe('registry');
    expect(type('@s/enc')).toBe('registry');
    expect(type('mirror')).toBe('registry');
    expect(type('other')).toBe('tarball');
    expect(type('host')).toBe('bundled');
    expect(byId(l, 'node_modules/host/node_modules/b').source).toEqual({ type: 'bundled', url: 'https://r.example/b/-/b-1.0.0.tgz' });
    expect(byId(l, 'node_modules/host/node_modules/b').flags.bundled).toBe(true);
  });

  it('never interprets a non-semver version without resolved as registry', () => {
    const t = v3({ '': {}, 'node_modules/x': { version: 'latest' } });
    expect(parseLockfile('package-lock.json', t).packages[0]!.source.type).toBe('unknown');
  });
});

describe('flags and edges', () => {
  const text = v3({
    '': { name: 'fixture', dependencies: { a: '1' }, devDependencies: { d: '1' }, peerDependencies: { p: '1' }, optionalDependencies: { o: '1' } },
    'node_modules/a': {
      version: '1.0.0',
      hasInstallScript: true,
      dependencies: { b: '1' },
      optionalDependencies: { o: '1' },
      peerDependencies: { p: '1', missing: '1' },
      peerDependenciesMeta: { missing: { optional: true } },
      devDependencies: { notInstalled: '1' },
      engines: { node: '>=18' },
      funding: { url: 'https://fund.example' },
      bin: { a: 'bin/a.js' },
      license: 'MIT',
    },
    'node_modules/b': { version: '1.0.0', devOptional: true, dependencies: { a: '1', b: '1' } },
    'node_modules/d': { version: '1.0.0', dev: true },
    'node_modules/o': { version: '1.0.0', optional: true },
    'node_modules/p': { version: '1.0.0', peer: true },
    'node_modules/notInstalled': { version: '1.0.0', extraneous: true },
  });
  const l = parseLockfile('package-lock.json', text);

  it('reads every flag', () => {
    expect(byId(l, 'node_modules/a').flags.hasInstallScript).toBe(true);
    expect(byId(l, 'node_modules/b').flags.devOptional).toBe(true);
    expect(byId(l, 'node_modules/d').flags.dev).toBe(true);
    expect(byId(l, 'node_modules/o').flags.optional).toBe(true);
    expect(byId(l, 'node_modules/p').flags.peer).toBe(true);
    expect(byId(l, 'node_modules/b').flags.hasInstallScript).toBe(false);
  });

  it('uses dependencies, optionalDependencies and peerDependencies (not devDependencies) of packages', () => {
    // missing optional peer dropped; devDependencies of an installed package are not edges
    expect(byId(l, 'node_modules/a').deps).toEqual(['node_modules/b', 'node_modules/o', 'node_modules/p']);
    // a cycle back to a, and no self edge
    expect(byId(l, 'node_modules/b').deps).toEqual(['node_modules/a']);
  });

  it('gives the root all four dependency kinds', () => {
    expect(l.importers[0]!.deps).toEqual(['node_modules/a', 'node_modules/d', 'node_modules/o', 'node_modules/p']);
  });
});

describe('links and workspaces', () => {
  it('resolves edges through a link to the workspace importer; a dangling link is dropped', () => {
    const text = v3({
      '': { name: 'root', workspaces: ['packages/*'], dependencies: { '@s/ws': '*', gone: '*' } },
      'node_modules/@s/ws': { resolved: 'packages/ws', link: true },
      'node_modules/gone': { resolved: 'packages/gone', link: true },
      'node_modules/user': { version: '1.0.0', dependencies: { '@s/ws': '*' } },
      'packages/ws': { name: '@s/ws', version: '0.0.1', dependencies: { dep: '^1' }, devDependencies: { devdep: '^1' } },
      'packages/ws/node_modules/dep': { version: '1.5.0' },
      'node_modules/dep': { version: '1.0.0' },
      'node_modules/devdep': { version: '1.0.0', dev: true },
    });
    const l = parseLockfile('package-lock.json', text);
    expect(l.packages.map((p) => p.id)).toEqual(['node_modules/user', 'packages/ws/node_modules/dep', 'node_modules/dep', 'node_modules/devdep']);
    expect(l.importers.map((i) => [i.path, i.name])).toEqual([
      ['', 'root'],
      ['packages/ws', '@s/ws'],
    ]);
    expect(l.importers[0]!.deps).toEqual(['packages/ws']);
    expect(byId(l, 'node_modules/user').deps).toEqual(['packages/ws']);
    expect(l.importers[1]!.deps).toEqual(['packages/ws/node_modules/dep', 'node_modules/devdep']);
  });

  it('a local directory outside the project is an importer too, and does not search the root node_modules', () => {
    const text = v3({
      '': { dependencies: { lib: 'file:../lib' } },
      'node_modules/lib': { resolved: '../lib', link: true },
      '../lib': { name: 'lib', version: '1.0.0', dependencies: { x: '1', y: '1' } },
      '../lib/node_modules/x': { version: '1.0.0' },
      'node_modules/y': { version: '1.0.0' },
    });
    const l = parseLockfile('package-lock.json', text);
    expect(l.importers.map((i) => i.path)).toEqual(['', '../lib']);
    expect(l.importers[1]!.deps).toEqual(['../lib/node_modules/x']);
    expect(l.importers[0]!.deps).toEqual(['../lib']);
  });
});

describe('untrusted keys', () => {
  it('parses __proto__ and constructor as package names without polluting prototypes', () => {
    const text = v3({
      '': { dependencies: { ['__proto__']: '1', constructor: '1', toString: '1' } },
      'node_modules/__proto__': { version: '1.0.0', dependencies: { constructor: '1' } },
      'node_modules/constructor': { version: '2.0.0', dependencies: { ['__proto__']: '1', hasOwnProperty: '1' } },
      'node_modules/toString': { version: '3.0.0' },
    });
    // JSON.stringify drops a literal __proto__ own key made by computed syntax? make sure it is in the text
    expect(text).toContain('"node_modules/__proto__"');
    expect(text).toContain('"__proto__": "1"');
    const l = parseLockfile('package-lock.json', text);
    expect(l.packages.map((p) => [p.name, p.version])).toEqual([
      ['__proto__', '1.0.0'],
      ['constructor', '2.0.0'],
      ['toString', '3.0.0'],
    ]);
    expect(l.importers[0]!.deps).toEqual(['node_modules/__proto__', 'node_modules/constructor', 'node_modules/toString']);
    expect(byId(l, 'node_modules/constructor').deps).toEqual(['node_modules/__proto__']);
    expect(({} as Record<string, unknown>)['version']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('version');
  });

  it('handles __proto__ in a v1 tree', () => {
    const t = '{"lockfileVersion":1,"dependencies":{"__proto__":{"version":"1.0.0","requires":{"constructor":"1"}},"constructor":{"version":"2.0.0"}}}';
    const l = parseLockfile('package-lock.json', t);
    expect(l.packages.map((p) => [p.id, p.version, p.deps])).toEqual([
      ['node_modules/__proto__', '1.0.0', ['node_modules/constructor']],
      ['node_modules/constructor', '2.0.0', []],
    ]);
    expect(l.importers[0]!.deps).toEqual(['node_modules/__proto__']);
    expect(Object.prototype).not.toHaveProperty('requires');
  });

  it('decodes escapes in keys and values', () => {
    const t =
      '{"lockfileVersion":3,"packages":{"":{"dependencies":{"\\u0061b":"1"}},"node_modules/\\u0061b":{"version":"1.0.0","resolved":"https:\\/\\/r.example\\/ab\\/-\\/ab-1.0.0.tgz","\\u0064ev":true}}}';
    const p = parseLockfile('package-lock.json', t).packages[0]!;
    expect([p.id, p.name, p.source.type, p.flags.dev]).toEqual(['node_modules/ab', 'ab', 'registry', true]);
  });
});

describe('duplicate keys (last wins, like JSON.parse)', () => {
  it('keeps the last entry, member and section', () => {
    const t = [
      '{',
      '  "lockfileVersion": 3,',
      '  "packages": {',
      '    "node_modules/a": { "version": "1.0.0" },',
      '    "node_modules/a": { "version": "2.0.0", "version": "2.0.1" },',
      '    "node_modules/b": { "version": "1.0.0", "dependencies": { "a": "1" }, "dependencies": {} }',
      '  }',
      '}',
    ].join('\n');
    const l = parseLockfile('package-lock.json', t);
    expect(JSON.parse(t).packages['node_modules/a'].version).toBe('2.0.1');
    expect(l.packages.map((p) => [p.id, p.version, p.line])).toEqual([
      ['node_modules/a', '2.0.1', 5],
      ['node_modules/b', '1.0.0', 6],
    ]);
    expect(l.packages[1]!.deps).toEqual([]);
  });

  it('drops the subtree of an earlier duplicate in v1', () => {
    const t = '{"lockfileVersion":1,"dependencies":{"a":{"version":"1.0.0","dependencies":{"x":{"version":"1.0.0"}}},"a":{"version":"2.0.0"}}}';
    const l = parseLockfile('package-lock.json', t);
    expect(l.packages.map((p) => [p.id, p.version])).toEqual([['node_modules/a', '2.0.0']]);
  });
});

describe('bad input', () => {
  const good = fixture('npm/workspace-v3.package-lock.json');

  it('truncated JSON names the file and the last line', () => {
    const cut = good.slice(0, Math.floor(good.length / 2));
    const e = lockfileError(() => parseLockfile('package-lock.json', cut));
    expect(e.file).toBe('package-lock.json');
    expect(e.line).toBe(cut.split('\n').length);
    expect(e.message).toMatch(/^package-lock\.json:\d+:\d+: /);
    expect(e.message).toMatch(/unexpected end of input|unterminated string/);
  });

  it('invalid JSON names line and column', () => {
    const bad = good.replace('"version": "7.0.0",', '"version": "7.0.0",,');
    const e = lockfileError(() => parseLockfile('package-lock.json', bad));
    expect(e.line).toBe(lineOf(bad, ',,'));
    const lineText = bad.split('\n')[e.line! - 1]!;
    expect(e.column).toBe(lineText.indexOf(',,') + 2);
    // a trailing comma before }
    const e2 = lockfileError(() => parseLockfile('package-lock.json', '{\n  "lockfileVersion": 3,\n}'));
    expect([e2.line, e2.column]).toEqual([3, 1]);
  });

  it.each([
    ['4', 'unsupported npm lockfileVersion 4'],
    ['"x"', 'unsupported npm lockfileVersion "x"'],
    ['0', 'unsupported npm lockfileVersion 0'],
    ['null', 'unsupported npm lockfileVersion null'],
  ])('refuses lockfileVersion %s with its line', (v, msg) => {
    const t = `{\n  "name": "x",\n  "lockfileVersion": ${v},\n  "packages": {}\n}\n`;
    const e = lockfileError(() => parseLockfile('package-lock.json', t));
    expect(e.message).toContain(msg);
    expect([e.line, e.column]).toEqual([3, 22]);
  });

  it.each([
    ['a package.json', fixture('npm/workspace.package.json')],
    ['a lerna.json', '{ "packages": ["packages/*"], "version": "1.0.0" }'],
    ['an array', '[1, 2, 3]'],
    ['a string', '"package-lock"'],
    ['an empty object', '{}'],
  ])('refuses valid JSON that is not a lockfile: %s', (_, t) => {
    const e = lockfileError(() => parseLockfile('package-lock.json', t));
    expect(e.message).toContain('not a recognised lockfile');
  });

  it('refuses wrong member types with their line', () => {
    const t = v3({ '': {}, 'node_modules/a': { version: 1 } });
    const e = lockfileError(() => parseLockfile('package-lock.json', t));
    expect(e.message).toContain('a string for version');
    expect(e.line).toBe(lineOf(t, '"version": 1'));
    const t2 = v3({ '': {}, 'node_modules/a': { version: '1.0.0', dev: 'yes' } });
    expect(lockfileError(() => parseLockfile('package-lock.json', t2)).message).toContain('true or false for dev');
    const t3 = v3({ '': {}, 'node_modules/a': ['1.0.0'] });
    expect(lockfileError(() => parseLockfile('package-lock.json', t3)).message).toContain('an object for "node_modules/a"');
  });

  it('refuses deep nesting with a clear error, never a stack overflow', () => {
    // v1 nesting deeper than the limit
    let tree = '{"version":"1.0.0"}';
    for (let i = 0; i < 100; i++) tree = `{"version":"1.0.0","dependencies":{"d${i}":${tree}}}`;
    const t = `{"lockfileVersion":1,"dependencies":{"top":${tree}}}`;
    expect(lockfileError(() => parseLockfile('package-lock.json', t)).message).toContain('nesting deeper than 128 levels');
    // …which a higher limit accepts
    expect(parseLockfile('package-lock.json', t, { maxDepth: 1000 }).packages).toHaveLength(101); // top + d99…d0
    // an absurdly deep value inside an ignored member
    const deep = `{"lockfileVersion":3,"packages":{"":{"funding":${'['.repeat(200_000)}${']'.repeat(200_000)}}}}`;
    expect(lockfileError(() => parseLockfile('package-lock.json', deep)).message).toContain('nesting deeper than 128 levels');
    // even with an unreasonable limit, the error is a LockfileError
    const e = lockfileError(() => parseLockfile('package-lock.json', deep, { maxDepth: 10_000_000 }));
    expect(e.file).toBe('package-lock.json');
  });
});

describe('npm files from real histories (tools/corpus-scale)', () => {
  it('reads an "ancient" shrinkwrap without lockfileVersion as version 1, as npm does', () => {
    // npm/cli npm-shrinkwrap.json @ c8b66854adef8d91c4ad2b058db6f1ca48031b58 (npm 4, before lockfileVersion existed)
    const text = [
      '{',
      '  "name": "npm",',
      '  "version": "4.6.1",',
      '  "dependencies": {',
      '    "abbrev": {',
      '      "version": "1.1.0",',
      '      "resolved": "https://registry.npm.example/abbrev/-/abbrev-1.1.0.tgz",',
      '      "integrity": "sha1-0FVMIlZjbi9W58LlrRg/hZQo2B8="',
      '    },',
      '    "ansi-regex": {',
      '      "version": "2.1.1",',
      '      "from": "ansi-regex@2.1.1",',
      '      "resolved": "https://registry.npm.example/ansi-regex/-/ansi-regex-2.1.1.tgz"',
      '    }',
      '  }',
      '}',
    ].join('\n');
    const l = parseLockfile('npm-shrinkwrap.json', text);
    expect(l.format).toBe('npm-v1');
    expect(l.packages.map((p) => [p.name, p.version, p.line])).toEqual([
      ['abbrev', '1.1.0', lineOf(text, '"abbrev": {')],
      ['ansi-regex', '2.1.1', lineOf(text, '"ansi-regex": {')],
    ]);
    // still no lockfile: a package.json-like `dependencies` (ranges, not entries) and an empty one
    expect(lockfileError(() => parseLockfile('npm-shrinkwrap.json', '{ "dependencies": { "a": "^1.0.0" } }')).message).toContain('not a recognised lockfile');
    expect(lockfileError(() => parseLockfile('npm-shrinkwrap.json', '{ "name": "x", "dependencies": {} }')).message).toContain('not a recognised lockfile');
    expect(lockfileError(() => parseLockfile('npm-shrinkwrap.json', '{ "dependencies": { "a": { "version": "1.0.0" } }, "packages": {} }')).message).toContain(
      'not a recognised lockfile',
    );
  });

  it('reads "resolved": false (npm 6, in bundled copies) as no resolved URL', () => {
    // npm/cli package-lock.json @ e46400c9484f5c66a0ba405eeb8c1340594dbf05, line 5969
    const text = JSON.stringify(
      {
        lockfileVersion: 1,
        requires: true,
        dependencies: {
          'npm-registry-couchapp': {
            version: '2.7.1',
            resolved: 'https://registry.npm.example/npm-registry-couchapp/-/npm-registry-couchapp-2.7.1.tgz',
            integrity: 'sha512-x',
            dev: true,
            requires: { '@iarna/cli': '^2.0.0' },
            dependencies: {
              '@iarna/cli': {
                version: '2.0.0',
                resolved: false,
                integrity: 'sha512-kfewtgihDKSQVEjn19fXAc7UoomcZ2lm7wNbN22BFRURn5muid79OXUquqdtAdnaulrckZLEObXiYT76ZT1naA==',
                dev: true,
              },
            },
          },
        },
      },
      null,
      2,
    );
    const l = parseLockfile('package-lock.json', text);
    const cli = l.packages.find((p) => p.name === '@iarna/cli')!;
    expect(cli.version).toBe('2.0.0');
    expect(cli.source.url).toBeUndefined();
    expect(cli.integrity).toBe('sha512-kfewtgihDKSQVEjn19fXAc7UoomcZ2lm7wNbN22BFRURn5muid79OXUquqdtAdnaulrckZLEObXiYT76ZT1naA==');
    // only false: any other non-string is still refused
    expect(lockfileError(() => parseLockfile('package-lock.json', text.replace('"resolved": false', '"resolved": true'))).message).toContain(
      'a string for resolved',
    );
  });
});
