/**
 * yarn classic (v1) parser. The fixture (test/fixtures/lockfiles/yarn-v1/features/yarn.lock) was
 * written by real yarn 1.22 against the fixture registry (scripts/make-fixtures-yarn-v1.mjs);
 * variants are made from it by editing the text.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { parseLockfile } from '../../src/lockfiles/index.js';
import { sniffYarnV1, splitSpecifier } from '../../src/lockfiles/formats/yarn-v1/parse.js';
import type { LockPackage, Lockfile } from '../../src/model/index.js';
import { corpusDir } from '../helpers/corpus.js';
import { fixture, lineOf } from './helpers.js';

const text = fixture('yarn-v1/features/yarn.lock');
const parse = (t: string): Lockfile => parseLockfile('yarn.lock', t);
const lock = parse(text);
const byId = (l: Lockfile, id: string): LockPackage => {
  const p = l.packages.find((x) => x.id === id);
  if (!p) throw new Error(`no package ${id}`);
  return p;
};

describe('yarn v1: the real yarn fixture', () => {
  it('is detected as yarn v1 and has one package per entry, local directories left out', () => {
    expect(lock.format).toBe('yarn-v1');
    expect(lock.ecosystem).toBe('npm');
    const keyLines = text.split('\n').filter((l) => /^[^\s#].*:$/.test(l));
    expect(lock.packages).toHaveLength(keyLines.length - 1); // the local-lib entry is an importer
    expect(lock.packages.map((p) => p.name)).not.toContain('local-lib');
  });

  it('gives each package the line of its key and its first specifier as id', () => {
    for (const p of lock.packages) {
      expect(text.split('\n')[p.line - 1]).toMatch(/:$/);
      expect(text.split('\n')[p.line - 1]).toContain(p.id);
    }
    expect(byId(lock, 'form-data@^4.0.0').line).toBe(lineOf(text, 'form-data@^4.0.0, form-data@^4.0.5:'));
    expect(byId(lock, '@isaacs/brace-expansion@^5.0.0').line).toBe(lineOf(text, '"@isaacs/brace-expansion@^5.0.0":'));
  });

  it('reads version, resolved (with its #sha1) and integrity; registry-shaped URLs are registry sources', () => {
    const fd = byId(lock, 'form-data@^4.0.0');
    expect(fd).toMatchObject({ name: 'form-data', version: '4.0.5' });
    expect(fd.source.type).toBe('registry');
    expect(fd.source.url).toMatch(/^http:\/\/127\.0\.0\.1:48730\/form-data\/-\/form-data-4\.0\.5\.tgz#[0-9a-f]{40}$/);
    expect(fd.integrity).toMatch(/^sha512-/);
    const scoped = byId(lock, '@isaacs/brace-expansion@^5.0.0');
    expect(scoped).toMatchObject({ name: '@isaacs/brace-expansion', version: '5.0.0' });
    expect(scoped.source.type).toBe('registry');
  });

  it('resolves dependency edges through any specifier of a multi-specifier key', () => {
    // axios depends on form-data "^4.0.5", the second specifier of the form-data entry
    expect(byId(lock, 'axios@1.14.0').deps.sort()).toEqual(['follow-redirects@^1.15.11', 'form-data@^4.0.0', 'proxy-from-env@^2.1.0']);
    expect(byId(lock, 'minimatch@10.0.3').deps).toEqual(['@isaacs/brace-expansion@^5.0.0']);
    expect(byId(lock, 'mime-types@^2.1.0').deps).toEqual(['mime-db@1.52.0']);
  });

  it('resolves npm: aliases to the real name and keeps the alias', () => {
    const alias = byId(lock, 'old-axios@npm:axios@1.14.0');
    expect(alias).toMatchObject({ name: 'axios', alias: 'old-axios', version: '1.14.0' });
    expect(alias.source.type).toBe('registry');
    expect(byId(lock, 'axios@1.14.0').alias).toBeUndefined();
  });

  it('makes a local directory entry an importer with its own dependencies', () => {
    const local = lock.importers.find((i) => i.path === 'local-lib')!;
    expect(local).toMatchObject({ name: 'local-lib', line: lineOf(text, '"local-lib@file:./local-lib":'), deps: ['mime-types@^2.1.0'] });
  });

  it('gives the root the entries nothing depends on (yarn v1 records no root)', () => {
    const root = lock.importers.find((i) => i.path === '')!;
    expect(root.deps.sort()).toEqual([
      'axios@1.14.0',
      'esbuild@0.25.10',
      'minimatch@10.0.3',
      'old-axios@npm:axios@1.14.0',
      'tar-lib@file:./vendor/tar-lib-0.2.0.tgz',
    ]);
  });

  it('flags packages only reached through optionalDependencies as optional', () => {
    expect(byId(lock, 'esbuild@0.25.10').deps).toHaveLength(3);
    for (const p of ['@esbuild/linux-x64@0.25.10', '@esbuild/darwin-arm64@0.25.10']) expect(byId(lock, p).flags.optional).toBe(true);
    expect(byId(lock, 'esbuild@0.25.10').flags.optional).toBe(false);
    expect(lock.packages.filter((p) => p.flags.optional)).toHaveLength(3);
    expect(lock.packages.every((p) => !p.flags.dev && !p.flags.hasInstallScript && !p.flags.bundled)).toBe(true);
  });

  it('gives the same model for bytes, a BOM and CRLF line endings', () => {
    const bytes = new TextEncoder().encode(text);
    expect(parseLockfile('yarn.lock', bytes)).toEqual(lock);
    expect(parse(`\uFEFF${text}`)).toEqual(lock);
    expect(parse(text.replace(/\n/g, '\r\n'))).toEqual(lock);
  });

  it('is chosen by content whatever the file is called, and the other formats are not taken', () => {
    expect(parseLockfile('some/dir/lockfile.txt', text).format).toBe('yarn-v1');
    expect(sniffYarnV1(text, 0)).toBe(true);
    expect(sniffYarnV1('# This file is generated by running "yarn install" inside your project.\n\n__metadata:\n  version: 8\n', 0)).toBe(false);
    expect(sniffYarnV1('{"lockfileVersion": 3}', 0)).toBe(false);
    expect(sniffYarnV1("lockfileVersion: '9.0'\n", 0)).toBe(false);
    expect(sniffYarnV1('foo@^1:\n  version "1"\n# yarn lockfile v1\n', 0)).toBe(false);
  });
});

describe('yarn v1: sources', () => {
  const swap = (resolved: string): LockPackage =>
    byId(parse(text.replace(/( {2}resolved )"[^"]*form-data-4\.0\.5\.tgz#[0-9a-f]+"/, `$1"${resolved}"`)), 'form-data@^4.0.0');

  it('classifies git, tarball and file sources', () => {
    expect(swap('git+ssh://git@example.test/form-data.git#0123456789abcdef').source).toEqual({
      type: 'git',
      url: 'git+ssh://git@example.test/form-data.git#0123456789abcdef',
    });
    expect(swap('https://example.test/owner/form-data.git#0123456789abcdef').source.type).toBe('git');
    expect(swap('https://example.test/downloads/fd.tgz').source.type).toBe('tarball');
    expect(swap('file:./vendor/form-data-4.0.5.tgz#abc').source.type).toBe('file');
  });

  it('a local tarball (written by yarn with its resolved file: URL) is a file source and a package', () => {
    const p = byId(lock, 'tar-lib@file:./vendor/tar-lib-0.2.0.tgz');
    expect(p).toMatchObject({ name: 'tar-lib', version: '0.2.0', line: lineOf(text, '"tar-lib@file:./vendor/tar-lib-0.2.0.tgz":') });
    expect(p.source.type).toBe('file');
    expect(p.source.url).toMatch(/^file:\.\/vendor\/tar-lib-0\.2\.0\.tgz#[0-9a-f]{40}$/);
    // without its resolved line, the specifier's range still says where it comes from
    const bare = parse(text.replace(/ {2}resolved "file:[^"]*"\n/, ''));
    expect(byId(bare, 'tar-lib@file:./vendor/tar-lib-0.2.0.tgz').source).toEqual({ type: 'file', url: 'file:./vendor/tar-lib-0.2.0.tgz' });
    const git = parse(
      text
        .replace('"tar-lib@file:./vendor/tar-lib-0.2.0.tgz":', '"tar-lib@git+ssh://git@example.test/o/tar-lib.git#v0.2.0":')
        .replace(/ {2}resolved "file:[^"]*"\n/, ''),
    );
    expect(byId(git, 'tar-lib@git+ssh://git@example.test/o/tar-lib.git#v0.2.0').source.type).toBe('git');
  });

  it('a registry version without resolved is a registry source without a url', () => {
    const p = byId(parse(text.replace(/ {2}resolved "[^"]*form-data-4\.0\.5\.tgz#[0-9a-f]+"\n/, '')), 'form-data@^4.0.0');
    expect(p.source).toEqual({ type: 'registry' });
  });

  it('reads the git entry of the corpus (an https .git URL with a commit)', () => {
    const t = readFileSync(join(corpusDir(), 'yarn-v1', 'babel-babel-e9ea523c5b', 'head', 'yarn.lock'), 'utf8');
    const l = parse(t);
    const p = byId(l, '@lerna/collect-updates@3.18.0');
    expect(p).toMatchObject({ name: '@lerna/collect-updates', version: '3.16.0', line: lineOf(t, '"@lerna/collect-updates@3.18.0", ') });
    expect(p.source).toEqual({ type: 'git', url: 'https://github.com/babel/lerna.git#ae87fff020c5ad00366878c14b749e8ee0a34145' });
  });
});

describe('yarn v1: agrees with @yarnpkg/lockfile', () => {
  it('every key of the largest corpus file maps to a package with the same version, resolved and integrity', () => {
    const require = createRequire(import.meta.url);
    const yl = require('@yarnpkg/lockfile') as {
      parse(t: string): {
        type: string;
        object: Record<string, { version: string; resolved?: string; integrity?: string; dependencies?: Record<string, string> }>;
      };
    };
    const t = readFileSync(join(corpusDir(), 'yarn-v1', 'babel-babel-eaa1474541', 'head', 'yarn.lock'), 'utf8');
    const theirs = yl.parse(t);
    expect(theirs.type).toBe('success');
    const ours = parse(t);
    const bySpec = new Map<string, LockPackage>();
    const lines = t.split('\n');
    for (const p of ours.packages) {
      for (const spec of lines[p.line - 1]!.slice(0, -1).split(', ')) bySpec.set(spec.replace(/^"|"$/g, ''), p);
    }
    const keys = Object.keys(theirs.object);
    expect(bySpec.size).toBe(keys.length);
    for (const k of keys) {
      const e = theirs.object[k]!;
      const p = bySpec.get(k)!;
      expect([k, p.version, p.source.url, p.integrity]).toEqual([k, e.version, e.resolved, e.integrity]);
      // the same dependencies, each resolved to the entry yarn's key names
      for (const [name, range] of Object.entries(e.dependencies ?? {})) expect(p.deps).toContain(bySpec.get(`${name}@${range}`)!.id);
    }
  });
});

describe('yarn v1: syntax details', () => {
  const header = '# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\n';

  it('splits specifiers at the @ after the name', () => {
    expect(splitSpecifier('@babel/core@^7.0.0')).toEqual(['@babel/core', '^7.0.0']);
    expect(splitSpecifier('a@npm:@s/b@^1')).toEqual(['a', 'npm:@s/b@^1']);
    expect(splitSpecifier('x@git+ssh://git@h/x.git')).toEqual(['x', 'git+ssh://git@h/x.git']);
  });

  it('reads escapes in quoted strings, unquoted values, comments and unknown fields and blocks', () => {
    const t = `${header}"we\\u0069rd@^1.0.0", weird@~1.0.0:\n  version "1.0.0"\n  uid ""\n  integrity sha1-abc # trailing\n  peerDependencies:\n    react "*"\n      nested deeper\n  dependencies:\n    dep latest\n\ndep@latest:\n  version "2.0.0"\n`;
    const l = parse(t);
    expect(l.packages.map((p) => [p.id, p.name, p.version, p.integrity])).toEqual([
      ['weird@^1.0.0', 'weird', '1.0.0', 'sha1-abc'],
      ['dep@latest', 'dep', '2.0.0', undefined],
    ]);
    expect(l.packages[0]!.deps).toEqual(['dep@latest']);
    expect(l.packages[1]!.line).toBe(lineOf(t, 'dep@latest:'));
  });

  it('keeps a # inside an unquoted token, as yarn does (a GitHub shorthand with a tag)', () => {
    const t = `${header}tooling@webpack/tooling#v1.23.3:\n  version "1.23.3"\n  resolved "https://git.example/webpack/tooling/tar.gz/19751872b892cb6a0429123e4f6eb67a51411be6"\n  dependencies:\n    dep owner/dep#main # a comment\n\ndep@owner/dep#main:\n  version "2.0.0"\n`;
    const l = parse(t);
    expect(l.packages.map((p) => [p.id, p.name, p.version])).toEqual([
      ['tooling@webpack/tooling#v1.23.3', 'tooling', '1.23.3'],
      ['dep@owner/dep#main', 'dep', '2.0.0'],
    ]);
    expect(l.packages[0]!.deps).toEqual(['dep@owner/dep#main']);
  });

  it('an empty lockfile (just the header) has no packages', () => {
    expect(parse(header).packages).toEqual([]);
  });
});
