/**
 * Pipfile.lock (format `pipfile`): sniffing, sources, versions, hashes, default/develop, lines and
 * errors. Hostile input (depth, size, names, encodings) is in pipfile-hostile.test.ts.
 */
import { diffLockfiles } from '../../src/diff/index.js';
import { isLockfilePath, parseLockfile } from '../../src/lockfiles/index.js';
import { sniffPipfile } from '../../src/lockfiles/formats/pipfile/parse.js';
import type { LockPackage, Lockfile } from '../../src/model/index.js';
import { lineOf, lockfileError } from './helpers.js';

const H1 = 'a'.repeat(64);
const H2 = 'b'.repeat(64);
const H3 = 'c'.repeat(64);

type Entry = Record<string, unknown>;
/** A Pipfile.lock text as pipenv writes it (4-space indent, `_meta` first). */
function pipfileLock(
  def: Record<string, Entry>,
  dev: Record<string, Entry> = {},
  sources = [{ name: 'main', url: 'http://127.0.0.1:9/simple', verify_ssl: true }],
): string {
  return `${JSON.stringify({ _meta: { hash: { sha256: H1 }, 'pipfile-spec': 6, requires: { python_version: '3.11' }, sources }, default: def, develop: dev }, null, 4)}\n`;
}

const parse = (text: string, file = 'Pipfile.lock'): Lockfile => parseLockfile(file, text);
const pkg = (lock: Lockfile, id: string): LockPackage => {
  const p = lock.packages.find((x) => x.id === id);
  if (!p) throw new Error(`no package ${id}`);
  return p;
};

describe('Pipfile.lock', () => {
  const text = pipfileLock(
    {
      Django: { hashes: [`sha256:${H2}`, `sha256:${H1}`, `sha256:${H1}`], index: 'main', markers: "python_version >= '3.8'", version: '==4.2.7' },
      'zope.interface': { hashes: [`sha256:${H3}`], index: 'mirror', version: '==6.0' },
      requests: { extras: ['socks'], hashes: [`SHA256:${H1.toUpperCase()}`], version: '===2.31.0' },
      shared: { hashes: [`sha256:${H3}`], version: '==1.0' },
      mylib: { git: 'https://github.com/acme/mylib.git', ref: '0123456789abcdef0123456789abcdef01234567', subdirectory: 'py' },
      wheelie: { file: 'https://127.0.0.1:9/dl/wheelie-3.1-py3-none-any.whl', hashes: [`sha256:${H2}`] },
      vendored: { path: './vendor/vendored-0.3.tar.gz' },
      localdir: { path: './packages/localdir' },
      myproject: { editable: true, path: '.' },
      editgit: { editable: true, git: 'https://github.com/acme/editgit.git', ref: 'feedface' },
    },
    {
      pytest: { hashes: [`sha256:${H1}`], version: '==8.0.0' },
      shared: { hashes: [`sha256:${H3}`], version: '==1.0' },
      Zope_Interface: { hashes: [`sha256:${H3}`], index: 'mirror', version: '==5.0' },
    },
    [
      { name: 'main', url: 'http://127.0.0.1:9/simple', verify_ssl: true },
      { name: 'mirror', url: 'http://127.0.0.1:9/mirror/simple', verify_ssl: true },
    ],
  );
  const lock = parse(text);

  it('is recognised by content (first member _meta) and by name', () => {
    expect(sniffPipfile(text, 0)).toBe(true);
    expect(sniffPipfile('{"name": "x", "lockfileVersion": 3}', 0)).toBe(false);
    expect(sniffPipfile('  \n{\n  "_meta": {}}', 0)).toBe(true);
    expect(lock.format).toBe('pipfile');
    expect(lock.ecosystem).toBe('pypi');
    expect(parse(text, 'some/other-name.json').format).toBe('pipfile');
    expect(isLockfilePath('app/Pipfile.lock')).toBe(true);
  });

  it('index packages: PEP 503 names, versions without ==, index URL as data, sorted unique hashes', () => {
    const d = pkg(lock, 'django');
    expect(d).toMatchObject({
      name: 'django',
      version: '4.2.7',
      source: { type: 'registry', url: 'http://127.0.0.1:9/simple' },
      line: lineOf(text, '"Django": {'),
    });
    expect(d.hashes).toEqual([
      { algorithm: 'sha256', digest: H2 },
      { algorithm: 'sha256', digest: H1 },
    ]);
    expect(d.integrity).toBe(`sha256:${H1} sha256:${H2}`);
    expect(pkg(lock, 'zope-interface')).toMatchObject({ version: '6.0', source: { type: 'registry', url: 'http://127.0.0.1:9/mirror/simple' } });
    expect(pkg(lock, 'requests')).toMatchObject({ version: '2.31.0', integrity: `sha256:${H1}` });
  });

  it('git, file, path and editable sources', () => {
    expect(pkg(lock, 'mylib')).toMatchObject({
      version: '0123456789abcdef0123456789abcdef01234567',
      source: { type: 'git', url: 'https://github.com/acme/mylib.git@0123456789abcdef0123456789abcdef01234567#subdirectory=py' },
    });
    expect(pkg(lock, 'wheelie')).toMatchObject({
      version: '3.1',
      source: { type: 'url', url: 'https://127.0.0.1:9/dl/wheelie-3.1-py3-none-any.whl' },
      integrity: `sha256:${H2}`,
    });
    expect(pkg(lock, 'vendored')).toMatchObject({ version: '0.3', source: { type: 'file', url: './vendor/vendored-0.3.tar.gz' } });
    expect(pkg(lock, 'localdir').source).toEqual({ type: 'link', url: './packages/localdir' });
    expect(pkg(lock, 'myproject').source).toEqual({ type: 'editable', url: '.' });
    // an editable git checkout is still remote code: reviewed as git
    expect(pkg(lock, 'editgit')).toMatchObject({ version: 'feedface', source: { type: 'git', url: 'https://github.com/acme/editgit.git@feedface' } });
  });

  it('default and develop: the same package in both is one, not dev; develop-only is dev; a different version is a second copy', () => {
    expect(lock.packages.filter((p) => p.name === 'shared')).toHaveLength(1);
    expect(pkg(lock, 'shared').flags.dev).toBe(false);
    expect(pkg(lock, 'pytest').flags.dev).toBe(true);
    expect(pkg(lock, 'develop:zope-interface')).toMatchObject({
      name: 'zope-interface',
      version: '5.0',
      flags: { dev: true },
      line: lineOf(text, '"Zope_Interface": {'),
    });
    expect(pkg(lock, 'zope-interface').flags.dev).toBe(false);
    expect(new Set(lock.packages.map((p) => p.id)).size).toBe(lock.packages.length);
  });

  it('no graph: every package is a direct dependency of the root', () => {
    expect(lock.importers).toEqual([{ path: '', line: 1, deps: lock.packages.map((p) => p.id) }]);
    expect(lock.packages.every((p) => p.deps.length === 0)).toBe(true);
  });

  it('the old pipenv git form (" name@ git+…@branch") keeps its repository and takes the locked ref', () => {
    const t = pipfileLock({ pypiserver: { git: ' pypiserver@ git+https://github.com/acme/pypiserver.git@branch-1', ref: 'abc123' } });
    expect(parse(t).packages[0]).toMatchObject({ version: 'abc123', source: { type: 'git', url: 'git+https://github.com/acme/pypiserver.git@abc123' } });
  });

  it('the diff: upgrades, hash changes (source-changed), index changes (source-changed); editables are left out', () => {
    const base = parse(
      pipfileLock({
        a: { hashes: [`sha256:${H1}`], version: '==1.0' },
        b: { hashes: [`sha256:${H1}`], version: '==1.0' },
        c: { hashes: [`sha256:${H1}`], version: '==1.0' },
        me: { editable: true, path: '.' },
      }),
    );
    const head = parse(
      pipfileLock(
        {
          a: { hashes: [`sha256:${H1}`], version: '==1.1' },
          b: { hashes: [`sha256:${H2}`], version: '==1.0' },
          c: { hashes: [`sha256:${H1}`], index: 'other', version: '==1.0' },
        },
        {},
        [
          { name: 'main', url: 'http://127.0.0.1:9/simple', verify_ssl: true },
          { name: 'other', url: 'http://127.0.0.1:9/other', verify_ssl: true },
        ],
      ),
    );
    expect(diffLockfiles(base, head).map((c) => [c.name, c.from, c.to, c.kind])).toEqual([
      ['a', '1.0', '1.1', 'upgraded'],
      ['b', '1.0', '1.0', 'source-changed'],
      ['c', '1.0', '1.0', 'source-changed'],
    ]);
  });

  it('empty sections and no sources', () => {
    const l = parse('{"_meta": {"sources": []}, "default": {}, "develop": {}}');
    expect(l.packages).toEqual([]);
    expect(parse('{"_meta": {}, "default": {"a": {"version": "==1"}}}').packages[0]!.source).toEqual({ type: 'registry' });
  });
});

describe('Pipfile.lock errors name the file, line and column', () => {
  const err = (text: string): string => lockfileError(() => parse(text)).message;

  it('versions that are not pinned, and entries without any version or source, are listed as not reviewed (pipenv installs them unpinned)', () => {
    const t = pipfileLock({ ok: { version: '==1' }, bad: { version: '>=1.0' }, star: { version: '*' } });
    const l = parse(t);
    expect(l.packages.map((p) => p.name)).toEqual(['ok']);
    expect(l.unreviewed).toEqual([
      { name: 'bad', line: lineOf(t, '"bad"'), reason: 'not pinned with == (version ">=1.0")' },
      { name: 'star', line: lineOf(t, '"star"'), reason: 'not pinned with == (version "*")' },
    ]);
    const t2 = pipfileLock({ nothing: { hashes: [] } });
    expect(parse(t2).unreviewed).toEqual([{ name: 'nothing', line: lineOf(t2, '"nothing"'), reason: 'no version in the lockfile' }]);
  });

  it('spaces around a name are not part of it, as pip reads it (pypa/pipenv 3f859c7e4f^)', () => {
    const l = parse('{"_meta": {}, "default": {"colorama ": {"hash": "sha256:00", "version": "==0.3.7"}}}');
    expect(l.packages.map((p) => [p.name, p.version])).toEqual([['colorama', '0.3.7']]);
  });

  it('one project twice: a pin and an unpinned line, or one pin said twice, are read; two pins are refused', () => {
    // pypa/pipenv d5d2f38d8b^: "Sphinx": {"version": "==1.5.5"} and "sphinx": "<=1.5.5"
    const l = parse('{"_meta": {}, "develop": {"Sphinx": {"version": "==1.5.5"}, "sphinx": "<=1.5.5"}}');
    expect(l.packages.map((p) => [p.name, p.version])).toEqual([['sphinx', '1.5.5']]);
    expect(l.unreviewed?.map((u) => u.reason)).toEqual(['not pinned with == (version "<=1.5.5")']);
    expect(parse('{"_meta": {}, "default": {"Sphinx": "==1.5.5", "sphinx": {"version": "==1.5.5"}}}').packages).toHaveLength(1);
    expect(err('{"_meta": {}, "default": {"Sphinx": "==1.5.5", "sphinx": "==1.5.6"}}')).toMatch(
      /package "sphinx" is listed twice in "default" \(also as "Sphinx"/,
    );
  });

  it('pipenv 3-9 entries that are only a version string, with _meta last (pypa/pipenv, 2017)', () => {
    const t =
      '{\n    "default": {\n        "crayons": "==0.1.1",\n        "requests": "*"\n    },\n    "develop": {\n        "pytest": "==3.1.1"\n    },\n    "_meta": {\n        "hash": {"sha256": "00"}\n    }\n}\n';
    const l = parse(t);
    expect(l.format).toBe('pipfile');
    expect(l.packages.map((p) => [p.name, p.version, p.line, p.flags.dev])).toEqual([
      ['crayons', '0.1.1', 3, false],
      ['pytest', '3.1.1', 7, true],
    ]);
    expect(l.unreviewed).toEqual([{ name: 'requests', line: 4, reason: 'not pinned with == (version "*")' }]);
  });

  it('an index that is not in _meta.sources', () => {
    const t = pipfileLock({ a: { index: 'nope', version: '==1' } });
    expect(err(t)).toBe(`Pipfile.lock:${lineOf(t, '"index"')}:22: package "a" names index "nope", which is not in _meta.sources`);
  });

  it('invalid hashes', () => {
    const t = pipfileLock({ a: { hashes: [`sha256:${H1}`, 'sha256:not-hex'], version: '==1' } });
    expect(err(t)).toBe(`Pipfile.lock:${lineOf(t, 'not-hex')}:17: invalid hash "sha256:not-hex" (expected algorithm:hexdigest)`);
    expect(err(pipfileLock({ a: { hashes: 'sha256:x', version: '==1' } }))).toMatch(/expected an array for "hashes"/);
  });

  it('two entries of one section that normalise to the same project', () => {
    const t = pipfileLock({ 'Foo.Bar': { version: '==1' }, foo_bar: { version: '==2' } });
    expect(err(t)).toBe(
      `Pipfile.lock:${lineOf(t, '"foo_bar"')}:9: package "foo_bar" is listed twice in "default" (also as "Foo.Bar" on line ${lineOf(t, '"Foo.Bar"')})`,
    );
  });

  it('wrong types and invalid JSON', () => {
    expect(err('{"_meta": {}, "default": []}')).toMatch(/^Pipfile\.lock:1:26: unexpected '\[' \(expected an object for "default"\)/);
    expect(err('{"_meta": {}, "default": {"a": 1}}')).toMatch(/^Pipfile\.lock:1:32: unexpected '1' \(expected an object for package "a"\)/);
    expect(err('{"_meta": {}, "default": {"a": {"version": 1}}}')).toMatch(/expected a string for "version"/);
    expect(err('{"_meta": {}, "default": {"a": {"editable": "yes", "path": "."}}}')).toMatch(/expected true or false for "editable"/);
    expect(err('{"_meta": {}, "default": {}, "default": {}}')).toBe('Pipfile.lock:1:30: duplicate "default" member');
    expect(err('{"_meta": {}, "default": {},}')).toMatch(/^Pipfile\.lock:1:29: /);
    expect(err('{"_meta": {}, "default": {}} x')).toMatch(/after the end of the JSON value/);
    expect(err('{"_meta": {"sources": [{"url": "x"},]}}')).toMatch(/^Pipfile\.lock:1:37: unexpected '\]' \(expected a value\)/);
  });
});
