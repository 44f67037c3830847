/**
 * yarn berry parser features, on test/fixtures/lockfiles/yarn-berry/features/yarn.lock (made by
 * yarn 4 from the project beside it: scripts/make-fixtures-yarn-berry.mjs) and on variants of it.
 */
import { diffLockfiles } from '../../src/diff/index.js';
import { parseLockfile } from '../../src/lockfiles/index.js';
import { parseYarnBerry, sniffYarnBerry } from '../../src/lockfiles/formats/yarn-berry/parse.js';
import type { LockPackage, Lockfile } from '../../src/model/index.js';
import { fixture, lineOf, lockfileError } from './helpers.js';

const TEXT = fixture('yarn-berry/features/yarn.lock');
const AXIOS = fixture('../../../examples/axios/formats/yarn-berry/head/yarn.lock');

function pkg(lock: Lockfile, name: string, version?: string): LockPackage {
  const found = lock.packages.filter((p) => p.name === name && (version === undefined || p.version === version));
  if (found.length !== 1) throw new Error(`${found.length} packages ${name}@${version ?? '*'}`);
  return found[0]!;
}
const byId = (lock: Lockfile, id: string) => lock.packages.find((p) => p.id === id)!;

describe('yarn berry: detection', () => {
  it('sniffs __metadata after the header comments, and nothing else', () => {
    expect(sniffYarnBerry(TEXT, 0)).toBe(true);
    expect(sniffYarnBerry('# yarn lockfile v1\n\n\nlodash@^4:\n  version "4.17.21"\n', 0)).toBe(false);
    expect(sniffYarnBerry("lockfileVersion: '9.0'\n", 0)).toBe(false);
    expect(sniffYarnBerry('{"lockfileVersion": 3}', 0)).toBe(false);
    expect(sniffYarnBerry('foo:\n  __metadata:\n', 0)).toBe(false);
    expect(sniffYarnBerry('  __metadata:\n', 0)).toBe(false);
  });

  it('parseLockfile dispatches yarn.lock files with __metadata to the berry parser', () => {
    const lock = parseLockfile('yarn.lock', TEXT);
    expect(lock.format).toBe('yarn-berry-v10');
    expect(lock.ecosystem).toBe('npm');
    expect(lock.file).toBe('yarn.lock');
    // whatever the file is called
    expect(parseLockfile('some/dir/lockfile.txt', TEXT).format).toBe('yarn-berry-v10');
  });

  it('leaves the other formats to their parsers, and every format file of the examples to its own', () => {
    for (const other of ['yarn-v1/base/yarn.lock', 'pnpm/base/pnpm-lock.yaml', 'bun/base/bun.lock']) {
      const text = fixture(`../../../examples/axios/formats/${other}`);
      expect(sniffYarnBerry(text, 0)).toBe(false);
      expect(parseLockfile(other.slice(other.lastIndexOf('/') + 1), text).format).not.toMatch(/^yarn-berry/);
    }
    expect(sniffYarnBerry(fixture('../../../examples/axios/base/package-lock.json'), 0)).toBe(false);
  });

  it('accepts any metadata version from 4 up and refuses older ones', () => {
    expect(parseYarnBerry('yarn.lock', TEXT.replace('version: 10', 'version: 4')).format).toBe('yarn-berry-v4');
    expect(parseYarnBerry('yarn.lock', TEXT.replace('version: 10', 'version: 42')).format).toBe('yarn-berry-v42');
    const e = lockfileError(() => parseLockfile('yarn.lock', TEXT.replace('version: 10', 'version: 3')));
    expect(e.message).toMatch(/^yarn\.lock:1: unsupported yarn lockfile version 3/);
    expect(lockfileError(() => parseLockfile('yarn.lock', TEXT.replace('  version: 10\n', ''))).message).toMatch(/__metadata\.version is missing/);
    expect(lockfileError(() => parseLockfile('yarn.lock', TEXT.replace('version: 10', 'version: ten'))).message).toMatch(/not an integer/);
  });
});

describe('yarn berry: entries', () => {
  const lock = parseLockfile('yarn.lock', TEXT);

  it('makes workspaces importers with their path and name, not packages', () => {
    expect(lock.importers.map((i) => [i.path, i.name, i.line])).toEqual([
      ['packages/a', '@fx/a', lineOf(TEXT, '"@fx/a@workspace:packages/a":')],
      ['packages/b', '@fx/b', lineOf(TEXT, '"@fx/b@workspace:^')],
      ['', 'features-root', lineOf(TEXT, '"features-root@workspace:.":')],
    ]);
    expect(lock.packages.some((p) => p.id.includes('@workspace:'))).toBe(false);
  });

  it('reads name, version, registry source, checksum and the line of the key', () => {
    const mm = pkg(lock, 'minimatch');
    expect(mm).toMatchObject({ id: 'minimatch@npm:10.0.3', version: '10.0.3', source: { type: 'registry', url: 'minimatch@npm:10.0.3' } });
    expect(mm.integrity).toMatch(/^10c0\/6e4b3e88da/);
    expect(mm.line).toBe(lineOf(TEXT, '"minimatch@npm:10.0.3":'));
    expect(mm.alias).toBeUndefined();
    for (const p of lock.packages) expect(TEXT.split('\n')[p.line - 1]).toMatch(/^".*":$/);
  });

  it('resolves the alias descriptor to the real package', () => {
    const bm = pkg(lock, 'balanced-match');
    expect(bm).toMatchObject({ version: '1.0.2', alias: 'bm-alias', id: 'balanced-match@npm:1.0.2' });
    expect(lock.packages.some((p) => p.name === 'bm-alias')).toBe(false);
  });

  it('makes a patch the patched package: inner name and version, registry source noting the patch', () => {
    const patched = lock.packages.find((p) => p.id.includes('@patch:'))!;
    expect(patched).toMatchObject({ name: 'through', version: '2.3.8', source: { type: 'registry' } });
    expect(patched.source.url).toContain('patch:through@npm%3A2.3.8#./through.patch');
    expect(patched.integrity).toMatch(/^10c0\/6904ef/);
    // the unpatched package is its own entry
    expect(lock.packages.filter((p) => p.name === 'through').map((p) => p.id)).toContain('through@npm:2.3.8');
  });

  it('makes link:, portal: and file: directories links (left out of the diff)', () => {
    expect(pkg(lock, 'linked').source).toEqual({ type: 'link', url: 'link:./linked::locator=features-root%40workspace%3A.' });
    expect(pkg(lock, 'portaled').source.type).toBe('link');
    expect(pkg(lock, 'local-dir').source.type).toBe('link');
    expect(pkg(lock, 'local-dir').version).toBe('1.0.0');
  });

  it('flags os/cpu-conditioned packages and those marked optional by every dependent as optional', () => {
    for (const n of ['@esbuild/darwin-arm64', '@esbuild/linux-x64', '@esbuild/win32-x64']) expect(pkg(lock, n).flags.optional).toBe(true);
    expect(pkg(lock, 'esbuild').flags.optional).toBe(false);
    expect(pkg(lock, 'minimatch').flags).toEqual({ dev: false, optional: false, devOptional: false, peer: false, hasInstallScript: false, bundled: false });
    // without `conditions`, dependenciesMeta's optional alone still marks them
    const noConditions = parseYarnBerry('yarn.lock', TEXT.replace(/^  conditions: .*\n/gm, ''));
    expect(pkg(noConditions, '@esbuild/linux-x64').flags.optional).toBe(true);
    // and without either, they are required
    const neither = parseYarnBerry('yarn.lock', TEXT.replace(/^  conditions: .*\n/gm, '').replace(/^      optional: true\n/gm, '      built: false\n'));
    expect(pkg(neither, '@esbuild/linux-x64').flags.optional).toBe(false);
  });
});

describe('yarn berry: dependency edges', () => {
  const lock = parseLockfile('yarn.lock', TEXT);
  const names = (ids: string[]) => ids.map((id) => byId(lock, id).name).sort();

  it('resolves `name: range` through the descriptors of the entry keys (npm: added to bare ranges)', () => {
    expect(names(pkg(lock, 'minimatch').deps)).toEqual(['@isaacs/brace-expansion']);
    expect(names(pkg(lock, 'esbuild').deps)).toEqual(['@esbuild/darwin-arm64', '@esbuild/linux-x64', '@esbuild/win32-x64']);
    expect(names(pkg(lock, 'portaled').deps)).toEqual(['duplexer']);
    expect(pkg(lock, 'semver').deps).toEqual([]);
    // a bare range (older lockfiles write `bindings: ^1.5.0`)
    const bare = parseYarnBerry('yarn.lock', TEXT.replace('"@isaacs/brace-expansion": "npm:^5.0.0"', '"@isaacs/brace-expansion": ^5.0.0'));
    expect(bare.packages.find((p) => p.name === 'minimatch')!.deps).toEqual(['@isaacs/brace-expansion@npm:5.0.0']);
  });

  it('gives importers their direct dependencies: aliases, patches and links bound to the workspace locator', () => {
    const root = lock.importers.find((i) => i.path === '')!;
    expect(root.deps.sort()).toEqual(
      [
        'balanced-match@npm:1.0.2',
        'esbuild@npm:0.25.10',
        'linked@link:./linked::locator=features-root%40workspace%3A.',
        'local-dir@file:./local-dir#./local-dir::hash=82fd9e&locator=features-root%40workspace%3A.',
        'portaled@portal:./portaled::locator=features-root%40workspace%3A.',
        'through@patch:through@npm%3A2.3.8#./through.patch::version=2.3.8&hash=ed4012&locator=features-root%40workspace%3A.',
      ].sort(),
    );
    // a workspace dependency is an importer, not an edge
    expect(lock.importers.find((i) => i.path === 'packages/a')!.deps).toEqual(['minimatch@npm:10.0.3']);
    expect(names(lock.importers.find((i) => i.path === 'packages/b')!.deps)).toEqual(['semver']);
  });

  it('falls back, for a descriptor no key lists (a `resolutions` override), to the entry of that name satisfying the range', () => {
    const overridden = parseYarnBerry('yarn.lock', TEXT.replace('"@isaacs/balanced-match@npm:^4.0.1":', '"@isaacs/balanced-match@npm:4.0.1":'));
    expect(overridden.packages.find((p) => p.name === '@isaacs/brace-expansion')!.deps).toEqual(['@isaacs/balanced-match@npm:4.0.1']);
  });

  it('keeps one edge per target and none to the package itself', () => {
    const dup = parseYarnBerry(
      'yarn.lock',
      TEXT.replace(
        '    "@isaacs/balanced-match": "npm:^4.0.1"\n',
        '    "@isaacs/balanced-match": "npm:^4.0.1"\n    "@isaacs/brace-expansion": "npm:^5.0.0"\n    alias-again: "npm:@isaacs/balanced-match@^4.0.1"\n',
      ),
    );
    expect(dup.packages.find((p) => p.name === '@isaacs/brace-expansion')!.deps).toEqual(['@isaacs/balanced-match@npm:4.0.1']);
  });
});

describe('yarn berry: sources', () => {
  const variant = (resolution: string) =>
    parseYarnBerry('yarn.lock', TEXT.replace('resolution: "duplexer@npm:0.1.1"', `resolution: "${resolution}"`)).packages.find(
      (p) => p.line === lineOf(TEXT, '"duplexer@npm:^0.1.1":'),
    )!;

  it('classifies git, tarball URLs, file tarballs and unknown protocols', () => {
    expect(variant('duplexer@https://example.invalid/owner/duplexer.git#commit=abc123').source.type).toBe('git');
    expect(variant('duplexer@git+ssh://git@example.invalid/owner/duplexer.git#commit=abc123').source.type).toBe('git');
    expect(variant('duplexer@github:owner/duplexer#commit=abc123').source.type).toBe('git');
    expect(variant('duplexer@https://example.invalid/duplexer/-/duplexer-0.1.1.tgz').source).toEqual({
      type: 'registry',
      url: 'https://example.invalid/duplexer/-/duplexer-0.1.1.tgz',
    });
    expect(variant('duplexer@https://example.invalid/x.tgz').source.type).toBe('tarball');
    expect(variant('duplexer@file:./vendor/duplexer-0.1.1.tgz::locator=features-root%40workspace%3A.').source.type).toBe('file');
    expect(variant('duplexer@exec:./gen.js::locator=features-root%40workspace%3A.').source.type).toBe('unknown');
  });

  it('the axios fixture made by yarn 4: every package from the registry with a checksum', () => {
    const lock = parseLockfile('yarn.lock', AXIOS);
    expect(lock.packages).toHaveLength(10);
    for (const p of lock.packages) {
      expect(p.source.type).toBe('registry');
      expect(p.integrity).toMatch(/^10c0\/[0-9a-f]{128}$/);
    }
    expect(lock.importers).toEqual([
      { path: '', name: 'lockwarden-example-axios', line: lineOf(AXIOS, '"lockwarden-example-axios@workspace:.":'), deps: ['axios@npm:1.14.1'] },
    ]);
    // peer dependencies are not edges
    expect(pkg(lock, 'follow-redirects').deps).toEqual([]);
  });
});

describe('yarn berry files from real histories (tools/corpus-scale)', () => {
  it('a patch: locator whose patch hash changes is a source change (the checksum alone does not show it)', () => {
    // jestjs/jest yarn.lock @ 6492314ccfdaa495e4d9f7ad046e5a52e752af92: only `hash=a45b0e` → `hash=ddfc1b` changed
    const entry = (hash: string): string =>
      [
        '# This file is generated by running "yarn install" inside your project.',
        '# Manual changes might be lost - proceed with caution!',
        '',
        '__metadata:',
        '  version: 4',
        '  cacheKey: 7',
        '',
        '"typescript@patch:typescript@*#builtin<compat/typescript>, typescript@patch:typescript@^4.0.2#builtin<compat/typescript>":',
        '  version: 4.1.5',
        `  resolution: "typescript@patch:typescript@npm%3A4.1.5#builtin<compat/typescript>::version=4.1.5&hash=${hash}"`,
        '  bin:',
        '    tsc: bin/tsc',
        '  checksum: 9c57e19536e978f130694888fbda2f8fe60f92c388c6b2945881dd7c912078bf52663dcb3278100cf9f4689805fbaec86b3de42ef600fb9672545b24fc1b7b15',
        '  languageName: node',
        '  linkType: hard',
        '',
      ].join('\n');
    const base = parseLockfile('yarn.lock', entry('a45b0e'));
    const head = parseLockfile('yarn.lock', entry('ddfc1b'));
    expect(diffLockfiles(base, head).map((c) => [c.name, c.from, c.to, c.kind])).toEqual([['typescript', '4.1.5', '4.1.5', 'source-changed']]);
    expect(diffLockfiles(base, parseLockfile('yarn.lock', entry('a45b0e')))).toEqual([]);
  });
});
