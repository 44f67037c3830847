import { compareVersions, diffLockfiles } from '../../src/diff/index.js';
import { parseLockfile } from '../../src/lockfiles/index.js';
import type { Change, Lockfile } from '../../src/model/index.js';
import { fixture, lineOf, v3 } from '../lockfiles/helpers.js';

const reg = (name: string, version: string, integrity = `sha512-${name}-${version}`): Record<string, unknown> => ({
  version,
  resolved: `https://r.example/${name}/-/${name.split('/').pop()}-${version}.tgz`,
  integrity,
});

function lock(packages: Record<string, unknown>, file = 'package-lock.json'): { l: Lockfile; text: string } {
  const text = v3(packages);
  return { l: parseLockfile(file, text), text };
}

const brief = (c: Change): [string, string | null, string | null, string] => [c.name, c.from, c.to, c.kind];

describe('diffLockfiles', () => {
  it('treats a new lockfile (base null) as all added', () => {
    const { l, text } = lock({
      '': { dependencies: { a: '1' } },
      'node_modules/a': { ...reg('a', '1.0.0'), dependencies: { b: '1' } },
      'node_modules/b': reg('b', '2.0.0'),
    });
    const changes = diffLockfiles(null, l);
    expect(changes.map(brief)).toEqual([
      ['a', null, '1.0.0', 'added'],
      ['b', null, '2.0.0', 'added'],
    ]);
    const [a, b] = changes;
    expect(a).toMatchObject({ ecosystem: 'npm', lockfile: 'package-lock.json', direct: true, directOf: [''], via: [], nameInBase: false });
    expect(a!.line).toBe(lineOf(text, '"node_modules/a"'));
    expect(a!.head?.id).toBe('node_modules/a');
    expect(a!.base).toBeUndefined();
    expect(b).toMatchObject({ direct: false, directOf: [], via: ['a'] });
  });

  it('pairs several versions of one name by semver order', () => {
    const base = lock({
      '': { dependencies: { a: '*' } },
      'node_modules/a': reg('a', '9.0.0'),
      'node_modules/x/node_modules/a': reg('a', '2.0.0'),
      'node_modules/y/node_modules/a': reg('a', '3.0.0'),
      'node_modules/x': { ...reg('x', '1.0.0'), dependencies: { a: '2' } },
      'node_modules/y': { ...reg('y', '1.0.0'), dependencies: { a: '3' } },
    }).l;
    const head = lock({
      '': { dependencies: { a: '*' } },
      'node_modules/a': reg('a', '10.0.0'),
      'node_modules/x/node_modules/a': reg('a', '2.0.0'),
      'node_modules/y/node_modules/a': reg('a', '1.5.0'),
      'node_modules/z/node_modules/a': reg('a', '0.9.0'),
      'node_modules/x': { ...reg('x', '1.0.0'), dependencies: { a: '2' } },
      'node_modules/y': { ...reg('y', '1.0.0'), dependencies: { a: '3' } },
      'node_modules/z': { ...reg('z', '1.0.0'), dependencies: { a: '3' } },
    }).l;
    // removed [3.0.0, 9.0.0], added [0.9.0, 1.5.0, 10.0.0] (semver, not text, order)
    expect(diffLockfiles(base, head).map(brief)).toEqual([
      ['a', '3.0.0', '0.9.0', 'downgraded'],
      ['a', '9.0.0', '1.5.0', 'downgraded'],
      ['a', null, '10.0.0', 'added'],
      ['z', null, '1.0.0', 'added'],
    ]);
    // and the other way round
    expect(diffLockfiles(head, base).map(brief)).toEqual([
      ['a', '0.9.0', '3.0.0', 'upgraded'],
      ['a', '1.5.0', '9.0.0', 'upgraded'],
      ['a', '10.0.0', null, 'removed'],
      ['z', '1.0.0', null, 'removed'],
    ]);
  });

  it('orders prerelease and build versions by semver', () => {
    expect(['1.0.0', '1.0.0-rc.1', '1.0.0-beta', '0.9.9', '1.0.0+b2', '1.0.0+b1'].sort(compareVersions)).toEqual([
      '0.9.9',
      '1.0.0-beta',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.0+b1',
      '1.0.0+b2',
    ]);
    // not semver: after every semver version, by text
    expect(['git-b', '2.0.0', 'git-a'].sort(compareVersions)).toEqual(['2.0.0', 'git-a', 'git-b']);
  });

  it('reports upgrade and removal lines from head and base, and fills base/head/nameInBase', () => {
    const b = lock({
      '': { dependencies: { a: '1', gone: '1' } },
      'node_modules/a': reg('a', '1.0.0'),
      'node_modules/gone': reg('gone', '1.0.0'),
    });
    const h = lock({
      '': { dependencies: { a: '1', fresh: '1' } },
      'node_modules/fresh': reg('fresh', '1.0.0'),
      'node_modules/a': reg('a', '1.1.0'),
    });
    const changes = diffLockfiles(b.l, h.l);
    expect(changes.map(brief)).toEqual([
      ['a', '1.0.0', '1.1.0', 'upgraded'],
      ['fresh', null, '1.0.0', 'added'],
      ['gone', '1.0.0', null, 'removed'],
    ]);
    const [up, added, removed] = changes;
    expect(up!.line).toBe(lineOf(h.text, '"node_modules/a"'));
    expect(up!.base?.version).toBe('1.0.0');
    expect(up!.head?.version).toBe('1.1.0');
    expect(up!.nameInBase).toBe(true);
    expect(added!.nameInBase).toBe(false);
    expect(removed!.line).toBe(lineOf(b.text, '"node_modules/gone"'));
    expect(removed!.head).toBeUndefined();
    expect(removed!.base?.id).toBe('node_modules/gone');
    expect(removed!.directOf).toEqual(['']); // from the base graph
  });

  it('reports source-changed for the same version from another source or git commit, ignoring bundled and sourceless copies', () => {
    const b = lock({
      '': {},
      'node_modules/moved': reg('moved', '1.0.0'),
      'node_modules/rehash': reg('rehash', '1.0.0', 'sha512-old'),
      'node_modules/frag': { version: '1.0.0', resolved: 'git+ssh://git@git.example/o/frag.git#aaaa' },
      'node_modules/bund': { version: '1.0.0', inBundle: true, resolved: 'https://r.example/bund/-/bund-1.0.0.tgz' },
      'node_modules/none': { version: '1.0.0' },
      'node_modules/same': reg('same', '1.0.0'),
    });
    const h = lock({
      '': {},
      'node_modules/moved': { version: '1.0.0', resolved: 'https://evil.example/moved-1.0.0.tgz', integrity: 'sha512-moved-1.0.0' },
      'node_modules/rehash': reg('rehash', '1.0.0', 'sha512-new'),
      'node_modules/frag': { version: '1.0.0', resolved: 'git+ssh://git@git.example/o/frag.git#bbbb' },
      'node_modules/bund': { version: '1.0.0', inBundle: true, resolved: 'https://evil.example/bund.tgz' },
      'node_modules/none': { version: '1.0.0', integrity: 'sha512-x' },
      'node_modules/same': reg('same', '1.0.0'),
    });
    const changes = diffLockfiles(b.l, h.l);
    // A git URL's fragment is the commit: the same version at another commit is other code (the corpus
    // oracle strips every fragment; no corpus pair has such a move, see README "Lockfile formats").
    expect(changes.map(brief)).toEqual([
      ['frag', '1.0.0', '1.0.0', 'source-changed'],
      ['moved', '1.0.0', '1.0.0', 'source-changed'],
      ['rehash', '1.0.0', '1.0.0', 'source-changed'],
    ]);
    expect(changes[1]!.base?.source.type).toBe('registry');
    expect(changes[1]!.head?.source).toEqual({ type: 'tarball', url: 'https://evil.example/moved-1.0.0.tgz' });
    expect(changes[1]!.line).toBe(lineOf(h.text, '"node_modules/moved"'));
  });

  it('compares the set of sources over every copy of a version', () => {
    const b = lock({
      '': {},
      'node_modules/a': reg('a', '1.0.0'),
      'node_modules/x/node_modules/a': reg('a', '1.0.0'),
      'node_modules/x': reg('x', '1.0.0'),
    });
    const h = lock({
      '': {},
      'node_modules/a': reg('a', '1.0.0'),
      'node_modules/x/node_modules/a': { version: '1.0.0', resolved: 'https://other.example/a.tgz', integrity: 'sha512-a-1.0.0' },
      'node_modules/x': reg('x', '1.0.0'),
    });
    const [c] = diffLockfiles(b.l, h.l);
    expect(c && brief(c)).toEqual(['a', '1.0.0', '1.0.0', 'source-changed']);
    // the shallowest copy represents the version
    expect(c!.head?.id).toBe('node_modules/a');
  });

  it('uses real names for aliases and leaves workspaces and links out', () => {
    const b = lock({
      '': { workspaces: ['ws'], dependencies: { ali: 'npm:foo@1', ws: '*' } },
      'node_modules/ali': { ...reg('foo', '1.0.0'), name: 'foo' },
      'node_modules/ws': { resolved: 'ws', link: true },
      ws: { name: 'ws', version: '1.0.0' },
    });
    const h = lock({
      '': { workspaces: ['ws'], dependencies: { ali: 'npm:bar@1', ws: '*' } },
      'node_modules/ali': { ...reg('bar', '1.0.0'), name: 'bar' },
      'node_modules/ws': { resolved: 'ws', link: true },
      ws: { name: 'ws', version: '2.0.0' },
    });
    const changes = diffLockfiles(b.l, h.l);
    expect(changes.map(brief)).toEqual([
      ['bar', null, '1.0.0', 'added'],
      ['foo', '1.0.0', null, 'removed'],
    ]);
    expect(changes[0]!.head?.alias).toBe('ali');
    expect(changes[0]!.direct).toBe(true);
  });

  it('finds one shortest via path from a direct dependency, per importer graph', () => {
    // root → a → b → c → target, and root → x → target: the shortest path is through x
    const graph = (targetVersion: string): Record<string, unknown> => ({
      '': { dependencies: { a: '1', x: '1' } },
      'node_modules/a': { ...reg('a', '1.0.0'), dependencies: { b: '1' } },
      'node_modules/b': { ...reg('b', '1.0.0'), dependencies: { c: '1' } },
      'node_modules/c': { ...reg('c', '1.0.0'), dependencies: { target: '1' } },
      'node_modules/x': { ...reg('x', '1.0.0'), dependencies: { target: '1' } },
      'node_modules/target': reg('target', targetVersion),
      'node_modules/orphan': reg('orphan', targetVersion),
    });
    const b = lock(graph('1.0.0')).l;
    const h = lock(graph('1.0.1')).l;
    const byName = new Map(diffLockfiles(b, h).map((c) => [c.name, c]));
    expect(byName.get('target')).toMatchObject({ kind: 'upgraded', direct: false, directOf: [], via: ['x'] });
    // unreachable from any importer: no path
    expect(byName.get('orphan')).toMatchObject({ direct: false, via: [] });

    // deeper: only through a → b → c
    const deep = lock({
      '': { dependencies: { a: '1' } },
      'node_modules/a': { ...reg('a', '1.0.0'), dependencies: { b: '1' } },
      'node_modules/b': { ...reg('b', '1.0.0'), dependencies: { c: '1' } },
      'node_modules/c': { ...reg('c', '1.0.0'), dependencies: { b: '1', target: '1' } },
      'node_modules/target': reg('target', '2.0.0'),
    }).l;
    const [t] = diffLockfiles(b, deep).filter((c) => c.name === 'target');
    expect(t).toMatchObject({ from: '1.0.0', to: '2.0.0', via: ['a', 'b', 'c'] });
    // a removal's path comes from the base graph
    const gone = diffLockfiles(b, deep).find((c) => c.name === 'x');
    expect(gone).toMatchObject({ kind: 'removed', direct: true, directOf: [''], via: [] });
  });

  it('lists every importer that depends on a package directly', () => {
    const l = (v: string): Lockfile =>
      lock({
        '': { workspaces: ['packages/*'], dependencies: { shared: '1' } },
        'node_modules/p1': { resolved: 'packages/p1', link: true },
        'node_modules/p2': { resolved: 'packages/p2', link: true },
        'packages/p1': { name: 'p1', dependencies: { shared: '1' } },
        'packages/p2': { name: 'p2', devDependencies: { shared: '1', p1: '*' } },
        'node_modules/shared': reg('shared', v),
      }).l;
    const [c] = diffLockfiles(l('1.0.0'), l('1.2.0'));
    expect(c).toMatchObject({ name: 'shared', kind: 'upgraded', direct: true, directOf: ['', 'packages/p1', 'packages/p2'], via: [] });
  });

  it('sees no change when only the lockfileVersion changes (real v1, v2 and v3 of one project)', () => {
    const [l1, l2, l3] = [1, 2, 3].map((v) => parseLockfile('package-lock.json', fixture(`npm/workspace-v${v}.package-lock.json`)));
    expect(diffLockfiles(l1!, l3!)).toEqual([]);
    expect(diffLockfiles(l2!, l3!)).toEqual([]);
    expect(diffLockfiles(l3!, l1!)).toEqual([]);
    // and the project added from scratch: every (name, version) once, in order
    expect(diffLockfiles(null, l1!).map((c) => `${c.name}@${c.to}`)).toEqual([
      'is-buffer@1.1.6',
      'is-even@1.0.0',
      'is-number@3.0.0',
      'is-number@6.0.0',
      'is-number@7.0.0',
      'is-odd@0.1.2',
      'is-odd@3.0.1',
      'kind-of@3.2.2',
      'lodash.noop@3.0.1',
    ]);
  });

  it('is pure and deterministic', () => {
    const b = lock({ '': { dependencies: { a: '1' } }, 'node_modules/a': reg('a', '1.0.0'), 'node_modules/c': reg('c', '1.0.0') }).l;
    const h = lock({
      '': { dependencies: { a: '1' } },
      'node_modules/c': reg('c', '2.0.0'),
      'node_modules/a': reg('a', '2.0.0'),
      'node_modules/b': reg('b', '1.0.0'),
    }).l;
    const before = JSON.stringify([b, h]);
    const first = diffLockfiles(b, h);
    expect(JSON.stringify([b, h])).toBe(before);
    expect(diffLockfiles(b, h)).toEqual(first);
    expect(first.map((c) => c.name)).toEqual(['a', 'b', 'c']);
    expect(diffLockfiles(h, h)).toEqual([]);
  });
});
