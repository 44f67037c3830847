/**
 * pnpm-lock.yaml parser: fixtures written by real pnpm 7 (lockfile 5.4), pnpm 8 (6.0) and pnpm 10
 * (9.0) for the same workspace project (scripts/make-fixtures-pnpm.mjs --unit), plus corpus files
 * for what the fixture registry cannot produce (peer suffixes, local directories, tarball URLs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lockfile, LockPackage } from '../../src/model/index.js';
import { parseLockfile } from '../../src/lockfiles/index.js';
import { sniffPnpm } from '../../src/lockfiles/formats/pnpm/parse.js';
import { diffLockfiles } from '../../src/diff/index.js';
import { corpusDir } from '../helpers/corpus.js';
import { fixture, lineOf } from './helpers.js';

const VERSIONS = [
  ['5', 'pnpm-v5', (n: string, v: string) => `/${n}/${v}`],
  ['6', 'pnpm-v6', (n: string, v: string) => `/${n}@${v}`],
  ['9', 'pnpm-v9', (n: string, v: string) => `${n}@${v}`],
] as const;

function pkg(lock: Lockfile, id: string): LockPackage {
  const p = lock.packages.find((x) => x.id === id);
  if (!p) throw new Error(`no package ${id} in ${lock.packages.map((x) => x.id).join(', ')}`);
  return p;
}

describe.each(VERSIONS)('workspace fixture, lockfile v%s', (major, format, idOf) => {
  const text = fixture(`pnpm/workspace-v${major}.pnpm-lock.yaml`);
  const lock = parseLockfile('pnpm-lock.yaml', text);

  it('detects the format and lists one package per `packages` entry', () => {
    expect(lock.format).toBe(format);
    expect(lock.ecosystem).toBe('npm');
    const entries = [...text.slice(text.indexOf('\npackages:')).matchAll(/^ {2}(\S.*):$/gm)].length;
    const end = text.indexOf('\nsnapshots:');
    const inPackages = end < 0 ? entries : [...text.slice(text.indexOf('\npackages:'), end).matchAll(/^ {2}(\S.*):$/gm)].length;
    expect(lock.packages).toHaveLength(inPackages);
    expect(lock.packages.map((p) => `${p.name}@${p.version}`).sort()).toEqual(
      [
        '@esbuild/darwin-arm64@0.25.10',
        '@esbuild/linux-x64@0.25.10',
        '@esbuild/win32-x64@0.25.10',
        '@isaacs/balanced-match@4.0.1',
        '@isaacs/brace-expansion@5.0.0',
        'balanced-match@1.0.2',
        'esbuild@0.25.10',
        'minimatch@10.0.3',
        'picocolors@1.1.1',
        'semver@7.7.2',
        'semver@7.7.3',
      ].sort(),
    );
  });

  it('gives each package the line of its key and the registry source with its integrity', () => {
    for (const p of lock.packages) {
      const keyLine = text.split('\n')[p.line - 1]!;
      expect(keyLine === `  ${p.id}:` || keyLine === `  '${p.id}':`).toBe(true);
      expect(p.source).toEqual({ type: 'registry' });
      expect(p.integrity).toMatch(/^sha512-/);
    }
    const esbuild = pkg(lock, idOf('esbuild', '0.25.10'));
    expect(esbuild.line).toBe(lineOf(text, `  ${major === '9' ? '' : '/'}esbuild${major === '5' ? '/' : '@'}0.25.10:`));
    expect(esbuild.integrity).toBe(/esbuild.0\.25\.10:\n {4}resolution: \{integrity: (\S+)\}/.exec(text)![1]);
  });

  it('turns dependency edges (and optional ones) into package ids', () => {
    expect(pkg(lock, idOf('minimatch', '10.0.3')).deps).toEqual([idOf('@isaacs/brace-expansion', '5.0.0')]);
    expect([...pkg(lock, idOf('esbuild', '0.25.10')).deps].sort()).toEqual(
      [idOf('@esbuild/darwin-arm64', '0.25.10'), idOf('@esbuild/linux-x64', '0.25.10'), idOf('@esbuild/win32-x64', '0.25.10')].sort(),
    );
    expect(pkg(lock, idOf('semver', '7.7.3')).deps).toEqual([]);
  });

  it('lists the importers: the root ("" for ".") and the workspace, workspace links and npm aliases resolved', () => {
    expect(lock.importers.map((i) => i.path)).toEqual(['', 'packages/a']);
    const [rootImp, a] = lock.importers;
    expect(rootImp!.line).toBe(lineOf(text, '  .:'));
    expect(a!.line).toBe(lineOf(text, '  packages/a:'));
    // `a: link:packages/a` is a workspace, not a package; `bm: npm:balanced-match@1.0.2` is balanced-match
    expect([...rootImp!.deps].sort()).toEqual(
      [idOf('balanced-match', '1.0.2'), idOf('esbuild', '0.25.10'), idOf('picocolors', '1.1.1'), idOf('semver', '7.7.3')].sort(),
    );
    expect([...a!.deps].sort()).toEqual([idOf('minimatch', '10.0.3'), idOf('semver', '7.7.2')].sort());
    expect(pkg(lock, idOf('balanced-match', '1.0.2')).alias).toBe('bm');
    expect(pkg(lock, idOf('semver', '7.7.2')).alias).toBeUndefined();
  });

  it('reads the flags pnpm records', () => {
    const darwin = pkg(lock, idOf('@esbuild/darwin-arm64', '0.25.10'));
    expect(darwin.flags.optional).toBe(true);
    expect(pkg(lock, idOf('minimatch', '10.0.3')).flags.optional).toBe(false);
    if (major !== '9') {
      // `dev: true` / `dev: false`, and `requiresBuild` (not written any more in v9)
      expect(pkg(lock, idOf('semver', '7.7.3')).flags.dev).toBe(true);
      expect(pkg(lock, idOf('semver', '7.7.2')).flags.dev).toBe(false);
      expect(pkg(lock, idOf('esbuild', '0.25.10')).flags.hasInstallScript).toBe(true);
      expect(pkg(lock, idOf('minimatch', '10.0.3')).flags.hasInstallScript).toBe(false);
    }
  });

  it('diffs against another lockfile version of the same install without any change', () => {
    const other = parseLockfile('pnpm-lock.yaml', fixture(`pnpm/workspace-v${major === '9' ? '5' : '9'}.pnpm-lock.yaml`));
    expect(diffLockfiles(other, lock)).toEqual([]);
  });

  it('gives the same model for CRLF line ends and a BOM', () => {
    const crlf = parseLockfile('pnpm-lock.yaml', `\uFEFF${text.replace(/\n/g, '\r\n')}`);
    expect(crlf).toEqual(lock);
  });
});

describe('pnpm-lock.yaml features seen in the corpus', () => {
  const corpus = corpusDir();
  const read = (pair: string) => {
    const text = readFileSync(join(corpus, pair, 'base', 'pnpm-lock.yaml'), 'utf8');
    return { text, lock: parseLockfile('pnpm-lock.yaml', text) };
  };

  it('v5: peer suffixes after `_` stay in the id, not in the version; each peer instance is its own package', () => {
    const { text, lock } = read('pnpm-v5/vitejs-vite-9a58aaeef9');
    const id = '/@babel/helper-compilation-targets/7.16.3_@babel+core@7.16.5';
    const p = pkg(lock, id);
    expect(p).toMatchObject({ name: '@babel/helper-compilation-targets', version: '7.16.3', line: lineOf(text, `  ${id}:`) });
    expect(p.deps).toContain('/@babel/core/7.16.5');
    // an edge to a peer instance names it with its suffix
    const users = lock.packages.filter((q) => q.deps.includes(id));
    expect(users.length).toBeGreaterThan(0);
  });

  it('v6: peer suffixes in parentheses; local directories (`file:`) are links, left out of the diff', () => {
    const { text, lock } = read('pnpm-v6/vitejs-vite-d16ce5db2f');
    const id = '/@algolia/autocomplete-core@1.9.3(algoliasearch@4.20.0)';
    expect(pkg(lock, id)).toMatchObject({ name: '@algolia/autocomplete-core', version: '1.9.3', line: lineOf(text, `  ${id}:`) });
    const local = pkg(lock, 'file:playground/alias/dir/module');
    expect(local).toMatchObject({ name: '@vitejs/test-aliased-module', source: { type: 'link', url: 'file:playground/alias/dir/module' } });
    expect(local.flags.dev).toBe(false);
  });

  it('v9: edges come from `snapshots` (peer suffixes dropped), aliases point at the real package, tarball URLs are kept', () => {
    const { text, lock } = read('pnpm-v9/vitejs-vite-cf0ff4154b');
    const core = pkg(lock, '@babel/core@7.29.0');
    expect(core.line).toBe(lineOf(text, "  '@babel/core@7.29.0':"));
    // `'@babel/helper-module-transforms': 7.28.6(@babel/core@7.29.0)(ms@2.1.3)` and the alias `debug: obug@1.0.2(ms@2.1.3)`
    expect(core.deps).toContain('@babel/helper-module-transforms@7.28.6');
    expect(core.deps).toContain('obug@1.0.2');
    expect(pkg(lock, 'obug@1.0.2').name).toBe('obug');

    const legacy = read('pnpm-v9/vitejs-vite-931684ef1e').lock;
    const url = 'https://pkg.pr.new/vitejs/rolldown-vite/@vitejs/plugin-legacy@b19b90a';
    // the entry's own `version: 7.0.1` field wins over the key
    expect(pkg(legacy, `@vitejs/plugin-legacy@${url}`)).toMatchObject({ name: '@vitejs/plugin-legacy', version: '7.0.1', source: { type: 'tarball', url } });
  });
});

describe('pnpm-lock.yaml shapes pnpm writes that the fixtures above do not show', () => {
  it('v5/v6 single project: top-level specifiers and dependencies form the root importer', () => {
    const text = [
      'lockfileVersion: 5.4',
      '',
      'specifiers:',
      '  foo: ^1.0.0',
      '',
      'dependencies:',
      '  foo: 1.0.0',
      '',
      'packages:',
      '',
      '  /foo/1.0.0:',
      '    resolution: {integrity: sha512-aaaa}',
      '    dev: false',
      '',
    ].join('\n');
    const lock = parseLockfile('pnpm-lock.yaml', text);
    expect(lock.importers).toEqual([{ path: '', line: 1, deps: ['/foo/1.0.0'] }]);
    expect(lock.packages[0]).toMatchObject({ id: '/foo/1.0.0', name: 'foo', version: '1.0.0', line: 11 });
  });

  it('git resolutions are git sources; `tarball` on a registry path shape is a registry source', () => {
    const text = [
      "lockfileVersion: '9.0'",
      '',
      'importers:',
      '',
      '  .:',
      '    dependencies:',
      '      bar:',
      '        specifier: github:o/bar',
      '        version: https://codeload.example.test/o/bar/tar.gz/abc',
      '',
      'packages:',
      '',
      "  '@s/foo@1.2.3':",
      '    resolution: {integrity: sha512-bbbb, tarball: http://127.0.0.1:1/@s/foo/-/foo-1.2.3.tgz}',
      '',
      '  bar@https://codeload.example.test/o/bar/tar.gz/abc:',
      '    resolution: {commit: abc, repo: git+ssh://git@example.test/o/bar.git, type: git}',
      '    version: 2.0.0',
      '',
      'snapshots:',
      '',
      "  '@s/foo@1.2.3': {}",
      '',
      '  bar@https://codeload.example.test/o/bar/tar.gz/abc:',
      '    dependencies:',
      "      '@s/foo': 1.2.3",
      '',
    ].join('\n');
    const lock = parseLockfile('pnpm-lock.yaml', text);
    expect(lock.packages[0]).toMatchObject({
      name: '@s/foo',
      version: '1.2.3',
      integrity: 'sha512-bbbb',
      source: { type: 'registry', url: 'http://127.0.0.1:1/@s/foo/-/foo-1.2.3.tgz' },
    });
    expect(lock.packages[1]).toMatchObject({
      name: 'bar',
      version: '2.0.0',
      source: { type: 'git', url: 'git+ssh://git@example.test/o/bar.git#abc' },
      deps: ['@s/foo@1.2.3'],
    });
    expect(lock.importers[0]!.deps).toEqual(['bar@https://codeload.example.test/o/bar/tar.gz/abc']);
  });

  it('refuses lockfile versions it does not know, naming the line', () => {
    expect(() => parseLockfile('pnpm-lock.yaml', "lockfileVersion: '4.0'\nimporters: {}\n")).toThrow(
      /pnpm-lock.yaml:1: unsupported pnpm lockfileVersion "4.0"/,
    );
  });
});

describe('sniffPnpm', () => {
  it('recognises pnpm lockfiles only', () => {
    expect(sniffPnpm("lockfileVersion: '9.0'\n", 0)).toBe(true);
    expect(sniffPnpm('\uFEFF# comment\n\n---\nlockfileVersion: 5.4\n', 1)).toBe(true);
    expect(sniffPnpm('"lockfileVersion": "6.0"\n', 0)).toBe(true);
    // yarn classic, yarn berry, bun / npm JSON, indented or later keys
    expect(sniffPnpm('# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\nfoo@^1.0.0:\n  version "1.0.0"\n', 0)).toBe(
      false,
    );
    expect(sniffPnpm('# This file is generated by running "yarn install" inside your project.\n\n__metadata:\n  version: 8\n', 0)).toBe(false);
    expect(sniffPnpm('{\n  "lockfileVersion": 1,\n  "workspaces": {}\n}\n', 0)).toBe(false);
    expect(sniffPnpm('  lockfileVersion: 5.4\n', 0)).toBe(false);
    // pnpm 6 sorted the top-level keys (pnpm/pnpm's own 5.3 files): a pnpm key first, lockfileVersion later
    expect(sniffPnpm('importers: {}\nlockfileVersion: 5.4\n', 0)).toBe(true);
    expect(sniffPnpm('importers: {}\nversion: 5.4\n', 0)).toBe(false);
    expect(sniffPnpm('name: x\nlockfileVersion: 5.4\n', 0)).toBe(false);
    expect(sniffPnpm('lockfileVersionX: 1\n', 0)).toBe(false);
  });

  it('leaves JSON lockfiles to their parsers whatever the file is called', () => {
    const npm = fixture('npm/workspace-v3.package-lock.json');
    expect(parseLockfile('pnpm-lock.yaml', npm).format).toMatch(/^npm-v/);
  });
});

describe('pnpm files from real histories (tools/corpus-scale)', () => {
  it('reads a 5.3 file whose keys pnpm sorted, with lockfileVersion after importers', () => {
    // pnpm/pnpm pnpm-lock.yaml @ aa2b93601cc31ed984dd39c19df0ce57e5d87b7a (pnpm 6 sorted the top-level keys)
    const text = [
      'importers:',
      '',
      '  .:',
      '    devDependencies:',
      '      is-subdir: 1.2.0',
      '    specifiers:',
      '      is-subdir: ^1.1.1',
      '',
      'lockfileVersion: 5.3',
      '',
      'neverBuiltDependencies:',
      '  - core-js',
      '',
      'packages:',
      '',
      '  /is-subdir/1.2.0:',
      '    resolution: {integrity: sha512-lDL63z0W/L/WTgqrwVOuNyMAsTv+pvjybd21z9SWdStmQoXT59E/iVWwat3gYjcdTNBf6oHAMoyFm8dtjpXEYw==}',
      '    dev: true',
      '',
    ].join('\n');
    expect(sniffPnpm(text, 0)).toBe(true);
    const l = parseLockfile('pnpm-lock.yaml', text);
    expect(l.format).toBe('pnpm-v5');
    expect(l.packages.map((p) => [p.name, p.version, p.line])).toEqual([['is-subdir', '1.2.0', 16]]);
    expect(l.importers.find((i) => i.path === '')!.deps).toEqual([l.packages[0]!.id]);
    // a YAML document with such keys but no lockfileVersion at the top level is still not one
    expect(sniffPnpm(text.replace('lockfileVersion: 5.3', 'version: 5.3'), 0)).toBe(false);
    expect(sniffPnpm(text.replace('lockfileVersion: 5.3', '  lockfileVersion: 5.3'), 0)).toBe(false);
  });
});
