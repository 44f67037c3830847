/**
 * uv.lock → the common model: importers (root, workspace members, virtual projects), sources of
 * each kind, sdist and wheel hashes, forks (one name at several versions), dev-only packages,
 * lines, and errors.
 */
import { diffLockfiles } from '../../src/diff/index.js';
import { parseLockfile } from '../../src/lockfiles/index.js';
import type { Lockfile, LockPackage } from '../../src/model/index.js';
import { lineOf, lockfileError } from './helpers.js';

const SHA = (c: string): string => c.repeat(64);
const REG = 'source = { registry = "https://index.example/simple" }';

const UV = `version = 1
revision = 2
requires-python = ">=3.9"
resolution-markers = [
    "python_full_version >= '3.11'",
    "python_full_version < '3.11'",
]

[manifest]
members = [
    "app",
    "app-core",
]

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "app-core" },
    { name = "Requests" },
    { name = "numpy", version = "1.26.4", source = { registry = "https://index.example/simple" }, marker = "python_full_version < '3.11'" },
    { name = "numpy", version = "2.1.0", source = { registry = "https://index.example/simple" }, marker = "python_full_version >= '3.11'" },
]

[package.optional-dependencies]
git = [
    { name = "gitdep" },
]

[package.dev-dependencies]
dev = [
    { name = "pytest" },
    { name = "requests" },
]

[package.metadata]
requires-dist = [{ name = "requests" }]

[[package]]
name = "app-core"
version = "0.1.0"
source = { editable = "packages/core" }
dependencies = [
    { name = "urllib3" },
]

[[package]]
name = "gitdep"
version = "0.5.0"
source = { git = "https://git.example/org/gitdep?rev=main#0123456789abcdef0123456789abcdef01234567" }

[[package]]
name = "iniconfig"
version = "2.0.0"
${REG}
sdist = { url = "https://files.example/iniconfig-2.0.0.tar.gz", hash = "sha256:${SHA('1')}", size = 4646, upload-time = "2023-01-07T11:08:11.000Z" }
wheels = [
    { url = "https://files.example/iniconfig-2.0.0-py3-none-any.whl", hash = "sha256:${SHA('2')}", size = 5892 },
]

[[package]]
name = "localdir"
version = "1.0.0"
source = { directory = "../localdir" }

[[package]]
name = "localed"
version = "1.0.0"
source = { editable = "../localed" }

[[package]]
name = "localwheel"
version = "1.0.0"
source = { path = "wheels/localwheel-1.0.0-py3-none-any.whl" }
wheels = [
    { filename = "localwheel-1.0.0-py3-none-any.whl", hash = "sha256:${SHA('3')}" },
]

[[package]]
name = "numpy"
version = "1.26.4"
${REG}
resolution-markers = [
    "python_full_version < '3.11'",
]
sdist = { url = "https://files.example/numpy-1.26.4.tar.gz", hash = "sha256:${SHA('4')}" }

[[package]]
name = "numpy"
version = "2.1.0"
${REG}
resolution-markers = [
    "python_full_version >= '3.11'",
]
sdist = { url = "https://files.example/numpy-2.1.0.tar.gz", hash = "sha256:${SHA('5')}" }

[[package]]
name = "pytest"
version = "8.3.0"
${REG}
dependencies = [
    { name = "iniconfig" },
    { name = "numpy", version = "2.1.0", source = { registry = "https://index.example/simple" } },
]
wheels = [
    { url = "https://files.example/pytest-8.3.0-py3-none-any.whl", hash = "sha256:${SHA('6')}" },
]

[[package]]
name = "requests"
version = "2.32.3"
${REG}
dependencies = [
    { name = "urllib3" },
]

[[package]]
name = "urlpkg"
version = "1.0"
source = { url = "https://downloads.example/urlpkg-1.0.tar.gz" }
sdist = { hash = "sha256:${SHA('7')}" }

[[package]]
name = "urllib3"
version = "2.2.2"
${REG}
`;

function pkg(l: Lockfile, id: string): LockPackage {
  const p = l.packages.find((x) => x.id === id);
  if (!p) throw new Error(`no package ${id} in ${l.packages.map((x) => x.id).join(', ')}`);
  return p;
}

describe('uv.lock', () => {
  const lock = parseLockfile('uv.lock', UV);

  it('the root project and workspace members are importers, with their direct dependencies (main, extras, dev groups)', () => {
    expect(lock.format).toBe('uv');
    expect(lock.importers).toEqual([
      { path: '', name: 'app', line: lineOf(UV, 'name = "app"') - 1, deps: ['requests@2.32.3', 'numpy@1.26.4', 'numpy@2.1.0', 'gitdep@0.5.0', 'pytest@8.3.0'] },
      { path: 'packages/core', name: 'app-core', line: lineOf(UV, 'name = "app-core"\nversion') - 1, deps: ['urllib3@2.2.2'] },
    ]);
    expect(lock.packages.map((p) => p.name)).not.toContain('app');
    expect(lock.packages.map((p) => p.name)).not.toContain('app-core');
  });

  it('classifies every source kind', () => {
    expect(pkg(lock, 'iniconfig@2.0.0').source).toEqual({ type: 'registry', url: 'https://index.example/simple' });
    expect(pkg(lock, 'gitdep@0.5.0').source).toEqual({ type: 'git', url: 'https://git.example/org/gitdep?rev=main#0123456789abcdef0123456789abcdef01234567' });
    expect(pkg(lock, 'urlpkg@1.0').source).toEqual({ type: 'url', url: 'https://downloads.example/urlpkg-1.0.tar.gz' });
    expect(pkg(lock, 'localwheel@1.0.0').source).toEqual({ type: 'file', url: 'wheels/localwheel-1.0.0-py3-none-any.whl' });
    expect(pkg(lock, 'localdir@1.0.0').source).toEqual({ type: 'link', url: '../localdir' });
    expect(pkg(lock, 'localed@1.0.0').source).toEqual({ type: 'editable', url: '../localed' });
  });

  it('hashes of the sdist and every wheel, with file names', () => {
    expect(pkg(lock, 'iniconfig@2.0.0').hashes).toEqual([
      { algorithm: 'sha256', digest: SHA('1'), file: 'iniconfig-2.0.0.tar.gz' },
      { algorithm: 'sha256', digest: SHA('2'), file: 'iniconfig-2.0.0-py3-none-any.whl' },
    ]);
    expect(pkg(lock, 'iniconfig@2.0.0').integrity).toBe(`sha256:${SHA('1')} sha256:${SHA('2')}`);
    expect(pkg(lock, 'localwheel@1.0.0').hashes).toEqual([{ algorithm: 'sha256', digest: SHA('3'), file: 'localwheel-1.0.0-py3-none-any.whl' }]);
    expect(pkg(lock, 'urlpkg@1.0').hashes).toEqual([{ algorithm: 'sha256', digest: SHA('7') }]);
    expect(pkg(lock, 'requests@2.32.3').integrity).toBeUndefined();
  });

  it('forks: one name at two versions, each dependency resolved by version', () => {
    expect(pkg(lock, 'pytest@8.3.0').deps).toEqual(['iniconfig@2.0.0', 'numpy@2.1.0']);
    expect(lock.packages.filter((p) => p.name === 'numpy').map((p) => p.line)).toEqual([
      lineOf(UV, 'version = "1.26.4"\n') - 2,
      lineOf(UV, 'version = "2.1.0"\n') - 2,
    ]);
  });

  it('dev: reachable from a dev group only', () => {
    expect(lock.packages.filter((p) => p.flags.dev).map((p) => p.id)).toEqual(['iniconfig@2.0.0', 'pytest@8.3.0']);
    // numpy 2.1.0 is a dev dependency's dependency, but also the root's: not dev
    expect(pkg(lock, 'numpy@2.1.0').flags.dev).toBe(false);
  });

  it('every line is its [[package]] header', () => {
    const lines = UV.split('\n');
    for (const p of lock.packages) expect(lines[p.line - 1]).toBe('[[package]]');
  });

  it('the diff: forks paired in version order, local directories left out, changes on their header lines', () => {
    const head = parseLockfile(
      'uv.lock',
      UV.replace('version = "2.1.0"\n', 'version = "2.2.0"\n')
        .replace(/numpy", version = "2\.1\.0"/g, 'numpy", version = "2.2.0"')
        .replace('numpy-2.1.0', 'numpy-2.2.0')
        .replace('name = "localdir"\nversion = "1.0.0"', 'name = "localdir"\nversion = "9.0.0"'),
    );
    const changes = diffLockfiles(lock, head);
    expect(changes.map((c) => [c.name, c.from, c.to, c.kind, c.direct])).toEqual([['numpy', '2.1.0', '2.2.0', 'upgraded', true]]);
    expect(changes[0]!.line).toBe(pkg(head, 'numpy@2.2.0').line);
    expect(changes[0]!.directOf).toEqual(['']);
  });

  it('the same version from another index is a source change', () => {
    const head = parseLockfile(
      'uv.lock',
      UV.replace(`name = "urllib3"\nversion = "2.2.2"\n${REG}`, 'name = "urllib3"\nversion = "2.2.2"\nsource = { registry = "https://mirror.example/simple" }'),
    );
    const changes = diffLockfiles(lock, head);
    expect(changes.map((c) => [c.name, c.kind, c.directOf, c.via])).toEqual([['urllib3', 'source-changed', ['packages/core'], []]]);
  });

  it('a virtual root is an importer too', () => {
    const l = parseLockfile(
      'uv.lock',
      'version = 1\nrequires-python = ">=3.12"\n\n[[package]]\nname = "proj"\nsource = { virtual = "." }\ndependencies = [{ name = "six" }]\n\n[[package]]\nname = "six"\nversion = "1.16.0"\nsource = { registry = "https://index.example/simple" }\n',
    );
    expect(l.importers).toEqual([{ path: '', name: 'proj', line: 4, deps: ['six@1.16.0'] }]);
    expect(l.packages.map((p) => p.id)).toEqual(['six@1.16.0']);
  });

  it('the same name and version from two sources get distinct ids', () => {
    const l = parseLockfile(
      'uv.lock',
      'version = 1\n\n[[package]]\nname = "a"\nversion = "1.0"\nsource = { registry = "https://one.example/simple" }\n\n[[package]]\nname = "a"\nversion = "1.0"\nsource = { registry = "https://two.example/simple" }\n\n[[package]]\nname = "b"\nversion = "1.0"\nsource = { registry = "https://one.example/simple" }\ndependencies = [{ name = "a", version = "1.0", source = { registry = "https://two.example/simple" } }]\n',
    );
    expect(l.packages.map((p) => p.id)).toEqual(['a@1.0', 'a@1.0 (2)', 'b@1.0']);
    expect(pkg(l, 'b@1.0').deps).toEqual(['a@1.0 (2)']);
  });
});

describe('uv.lock errors', () => {
  function refused(text: string, message: RegExp, line: number): void {
    const e = lockfileError(() => parseLockfile('uv.lock', text));
    expect(e.message).toMatch(message);
    expect(e.file).toBe('uv.lock');
    expect(e.line).toBe(line);
  }

  it('names the file and line', () => {
    refused('version = 2\nrequires-python = ">=3.9"\n', /unsupported uv.lock version 2/, 1);
    refused(
      'version = 1\n\n[[package]]\nname = "x"\nsource = { registry = "https://index.example/simple" }\n',
      /package "x" from an index has no "version"/,
      3,
    );
    refused(
      'version = 1\n\n[[package]]\nname = "constructor"\nversion = "1"\nsource = { registry = "r" }\ndependencies = [{ name = "__proto__" }]\n',
      /invalid dependency name "__proto__"/,
      7,
    );
    refused('version = 1\n\n[[package]]\nname = "x"\nversion = "1"\nsource = "registry"\n', /"source" is a string, not a table/, 6);
    refused(
      'version = 1\n\n[[package]]\nname = "x"\nversion = "1"\nsource = { registry = "r" }\nwheels = [{ url = "u", hash = "sha256:zz" }]\n',
      /invalid hash "sha256:zz"/,
      7,
    );
    refused('version = 1\n\n[[package]]\nname = "x"\nversion = "1"\n\n[[package]]\nname = "x"\nversion = "1"\nversion = "2"\n', /duplicate key "version"/, 10);
  });
});
