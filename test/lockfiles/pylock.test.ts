/**
 * pylock.toml (PEP 751) → the common model, named `pylock.<name>.toml` files, and how the
 * dispatcher tells the three TOML formats apart (content and file name), with bytes, BOM, CRLF and
 * invalid UTF-8.
 */
import { diffLockfiles } from '../../src/diff/index.js';
import { isKnownLockfilePath, isLockfilePath, LOCKFILE_NAMES, parseLockfile } from '../../src/lockfiles/index.js';
import type { Lockfile, LockPackage } from '../../src/model/index.js';
import { lineOf, lockfileError } from './helpers.js';

const SHA = (c: string): string => c.repeat(64);

const PYLOCK = `lock-version = "1.0"
environments = ["sys_platform == 'linux'"]
requires-python = ">=3.10"
extras = []
dependency-groups = ["dev", "docs"]
default-groups = ["default"]
created-by = "example-locker"

[[packages]]
name = "Attrs"
version = "25.3.0"
index = "https://index.example/simple"
wheels = [
    { name = "attrs-25.3.0-py3-none-any.whl", url = "https://files.example/attrs-25.3.0-py3-none-any.whl", size = 63815, hashes = { sha256 = "${SHA('1')}" } },
    { url = "https://files.example/attrs-25.3.0-cp313-cp313-win_amd64.whl", hashes = { sha256 = "${SHA('2')}", sha512 = "${'3'.repeat(128)}" } },
]
sdist = { name = "attrs-25.3.0.tar.gz", url = "https://files.example/attrs-25.3.0.tar.gz", hashes = { sha256 = "${SHA('4')}" } }

[[packages]]
name = "pytest"
version = "8.3.5"
marker = "'dev' in dependency_groups and python_version >= '3.10'"
index = "https://index.example/simple"
dependencies = [
    { name = "attrs" },
    { name = "pluggy", version = "1.5.0" },
]
wheels = [
    { name = "pytest-8.3.5-py3-none-any.whl", hashes = { sha256 = "${SHA('5')}" } },
]

[[packages]]
name = "pluggy"
version = "1.5.0"
marker = "'dev' in dependency_groups or 'default' in dependency_groups"
wheels = [
    { name = "pluggy-1.5.0-py3-none-any.whl", hashes = { sha256 = "${SHA('6')}" } },
]

[[packages]]
name = "gitpkg"
version = "0.1.0"
vcs = { type = "git", url = "https://git.example/org/gitpkg.git", requested-revision = "main", commit-id = "0123456789abcdef0123456789abcdef01234567" }

[[packages]]
name = "archived"
version = "2.0"
archive = { url = "https://downloads.example/archived-2.0.tar.gz", size = 1000, hashes = { sha256 = "${SHA('7')}" } }

[[packages]]
name = "localarchive"
archive = { path = "dist/localarchive-1.0.tar.gz", hashes = { sha256 = "${SHA('8')}" } }

[[packages]]
name = "project"
directory = { path = ".", editable = true }

[[packages]]
name = "vendored"
version = "3.0"
directory = { path = "vendor/vendored" }

[tool.example-locker]
anything = { goes = "here" }
`;

function pkg(l: Lockfile, id: string): LockPackage {
  const p = l.packages.find((x) => x.id === id);
  if (!p) throw new Error(`no package ${id} in ${l.packages.map((x) => x.id).join(', ')}`);
  return p;
}

describe('pylock.toml', () => {
  const lock = parseLockfile('pylock.toml', PYLOCK);

  it('reads [[packages]] with PEP 503 names, versions as written (or none) and header lines', () => {
    expect(lock.ecosystem).toBe('pypi');
    expect(lock.format).toBe('pylock');
    expect(lock.packages.map((p) => p.id)).toEqual([
      'attrs@25.3.0',
      'pytest@8.3.5',
      'pluggy@1.5.0',
      'gitpkg@0.1.0',
      'archived@2.0',
      'localarchive',
      'project',
      'vendored@3.0',
    ]);
    expect(pkg(lock, 'localarchive').version).toBe('');
    const lines = PYLOCK.split('\n');
    for (const p of lock.packages) expect(lines[p.line - 1]).toBe('[[packages]]');
    expect(pkg(lock, 'attrs@25.3.0').line).toBe(lineOf(PYLOCK, 'name = "Attrs"') - 1);
  });

  it('classifies every source kind', () => {
    expect(pkg(lock, 'attrs@25.3.0').source).toEqual({ type: 'registry', url: 'https://index.example/simple' });
    expect(pkg(lock, 'pluggy@1.5.0').source).toEqual({ type: 'registry' });
    expect(pkg(lock, 'gitpkg@0.1.0').source).toEqual({ type: 'git', url: 'https://git.example/org/gitpkg.git#0123456789abcdef0123456789abcdef01234567' });
    expect(pkg(lock, 'archived@2.0').source).toEqual({ type: 'url', url: 'https://downloads.example/archived-2.0.tar.gz' });
    expect(pkg(lock, 'localarchive').source).toEqual({ type: 'file', url: 'dist/localarchive-1.0.tar.gz' });
    expect(pkg(lock, 'project').source).toEqual({ type: 'editable', url: '.' });
    expect(pkg(lock, 'vendored@3.0').source).toEqual({ type: 'link', url: 'vendor/vendored' });
  });

  it('hashes of the wheels, sdist and archive, with file names from `name` or the URL', () => {
    expect(pkg(lock, 'attrs@25.3.0').hashes).toEqual([
      { algorithm: 'sha256', digest: SHA('4'), file: 'attrs-25.3.0.tar.gz' },
      { algorithm: 'sha256', digest: SHA('1'), file: 'attrs-25.3.0-py3-none-any.whl' },
      { algorithm: 'sha256', digest: SHA('2'), file: 'attrs-25.3.0-cp313-cp313-win_amd64.whl' },
      { algorithm: 'sha512', digest: '3'.repeat(128), file: 'attrs-25.3.0-cp313-cp313-win_amd64.whl' },
    ]);
    expect(pkg(lock, 'attrs@25.3.0').integrity).toBe(`sha256:${SHA('1')} sha256:${SHA('2')} sha256:${SHA('4')} sha512:${'3'.repeat(128)}`);
    expect(pkg(lock, 'archived@2.0').hashes).toEqual([{ algorithm: 'sha256', digest: SHA('7'), file: 'archived-2.0.tar.gz' }]);
    expect(pkg(lock, 'gitpkg@0.1.0').integrity).toBeUndefined();
  });

  it('dev: a marker naming only non-default groups; edges by name and version; the root depends on what nothing else does', () => {
    expect(lock.packages.filter((p) => p.flags.dev).map((p) => p.name)).toEqual(['pytest']);
    expect(pkg(lock, 'pytest@8.3.5').deps).toEqual(['attrs@25.3.0', 'pluggy@1.5.0']);
    expect(lock.importers).toEqual([{ path: '', line: 1, deps: ['pytest@8.3.5', 'gitpkg@0.1.0', 'archived@2.0', 'localarchive', 'project', 'vendored@3.0'] }]);
  });

  it('the diff leaves local directories out and sees a wheel hash change', () => {
    const head = parseLockfile(
      'pylock.toml',
      PYLOCK.replace(`sha256 = "${SHA('6')}"`, `sha256 = "${SHA('9')}"`).replace('name = "vendored"\nversion = "3.0"', 'name = "vendored"\nversion = "4.0"'),
    );
    expect(diffLockfiles(lock, head).map((c) => [c.name, c.from, c.to, c.kind])).toEqual([['pluggy', '1.5.0', '1.5.0', 'source-changed']]);
  });

  it('errors name the file and line', () => {
    const refused = (text: string, message: RegExp, line: number): void => {
      const e = lockfileError(() => parseLockfile('pylock.toml', text));
      expect(e.message).toMatch(message);
      expect(e.file).toBe('pylock.toml');
      expect(e.line).toBe(line);
    };
    refused('lock-version = "2.0"\n', /unsupported pylock lock-version "2.0"/, 1);
    refused('lock-version = 1.0\n', /unsupported pylock lock-version a number/, 1);
    refused('lock-version = "1.0"\n\n[[packages]]\nname = "x"\nversion = "1"\nwheels = [{ hashes = { sha256 = "xyz" } }]\n', /invalid hash "sha256:xyz"/, 6);
    refused('lock-version = "1.0"\n\n[[packages]]\nname = "x"\nwheels = { hashes = {} }\n', /"wheels" is a table, not an array/, 5);
    refused('lock-version = "1.0"\npackages = [1]\n', /a "packages" item is a number, not a table/, 2);
  });
});

describe('the dispatcher and the TOML formats', () => {
  it('pylock.<name>.toml is a lockfile path; other .toml files are not', () => {
    expect(isLockfilePath('pylock.toml')).toBe(true);
    expect(isLockfilePath('svc/pylock.dev.toml')).toBe(true);
    expect(isKnownLockfilePath('pylock.prod.toml')).toBe(true);
    expect(isLockfilePath('pylock.a.b.toml')).toBe(false);
    expect(isLockfilePath('pyproject.toml')).toBe(false);
    expect(isLockfilePath('mypylock.toml')).toBe(false);
    expect(isLockfilePath('a/poetry.lock')).toBe(true);
    expect(isLockfilePath('uv.lock')).toBe(true);
    for (const f of ['poetry.lock', 'uv.lock', 'pylock.toml'])
      expect(LOCKFILE_NAMES.find((l) => l.fileName === f)).toEqual({ fileName: f, ecosystem: 'pypi', supported: true });
  });

  it('tells the formats apart by content, whatever the file is called', () => {
    expect(parseLockfile('pylock.dev.toml', PYLOCK).format).toBe('pylock');
    expect(parseLockfile('renamed.txt', PYLOCK).format).toBe('pylock');
    expect(parseLockfile('x', 'version = 1\nrequires-python = ">=3.9"\n').format).toBe('uv');
    expect(parseLockfile('x', '[[package]]\nname = "a"\nversion = "1"\n\n[metadata]\nlock-version = "2.0"\n').format).toBe('poetry-v2');
    expect(
      parseLockfile('x', '# This file is automatically @generated by Poetry 2.1.1 and should not be changed by hand.\n\n[metadata]\nlock-version = "2.1"\n')
        .packages,
    ).toEqual([]);
    // a TOML file of none of the three formats
    expect(lockfileError(() => parseLockfile('pyproject.toml', '[project]\nname = "x"\n')).message).toContain('not a recognised lockfile');
  });

  it('reads bytes with a BOM and CRLF line ends; invalid UTF-8 is refused with its line', () => {
    const crlf = `\ufeff${PYLOCK.replace(/\n/g, '\r\n')}`;
    const l = parseLockfile('pylock.toml', Buffer.from(crlf, 'utf8'));
    expect(l.packages).toHaveLength(8);
    expect(l.packages[0]!.line).toBe(lineOf(PYLOCK, 'name = "Attrs"') - 1);
    const bad = Buffer.concat([Buffer.from('lock-version = "1.0"\n\n[[packages]]\nname = "x'), Buffer.from([0xff]), Buffer.from('"\n')]);
    const e = lockfileError(() => parseLockfile('pylock.toml', bad));
    expect(e.message).toBe('pylock.toml:4:10: invalid UTF-8');
  });
});
