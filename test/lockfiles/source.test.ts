import { classifyResolved, hasRegistryTarballShape, isSemverVersion } from '../../src/lockfiles/shared/source.js';

describe('hasRegistryTarballShape', () => {
  it.each([
    ['https://r.example/a/-/a-1.0.0.tgz', 'a', '1.0.0'],
    ['https://r.example/a/-/a-1.0.0.tgz?x=1#frag', 'a', '1.0.0'],
    ['http://r.example:8080/prefix/npm/a/-/a-1.0.0-rc.1.tgz', 'a', '1.0.0-rc.1'],
    ['https://r.example/@s/b/-/b-2.0.0.tgz', '@s/b', '2.0.0'],
    ['https://r.example/@s%2fb/-/b-2.0.0.tgz', '@s/b', '2.0.0'],
    ['https://r.example/@s%2Fb/-/b-2.0.0.tgz', '@s/b', '2.0.0'],
    ['https://r.example/@s/b/-/@s/b-2.0.0.tgz', '@s/b', '2.0.0'],
  ])('%s is %s@%s from a registry', (url, name, version) => {
    expect(hasRegistryTarballShape(url, name, version)).toBe(true);
  });

  it.each([
    ['https://r.example/a/-/a-1.0.1.tgz', 'a', '1.0.0'], // another version
    ['https://r.example/b/-/b-1.0.0.tgz', 'a', '1.0.0'], // another package
    ['https://r.example/xa/-/a-1.0.0.tgz', 'a', '1.0.0'], // folder only ends with the name
    ['https://r.example/a/-/xa-1.0.0.tgz', 'a', '1.0.0'],
    ['https://r.example/a/-/a-1.0.0.tgz.exe', 'a', '1.0.0'],
    ['https://r.example/a/a-1.0.0.tgz', 'a', '1.0.0'],
    ['https://r.example/@t/b/-/b-2.0.0.tgz', '@s/b', '2.0.0'], // another scope
    ['https://r.example/@s%2eb/-/b-2.0.0.tgz', '@s/b', '2.0.0'],
    ['a-1.0.0.tgz', 'a', '1.0.0'],
  ])('%s is not %s@%s from a registry', (url, name, version) => {
    expect(hasRegistryTarballShape(url, name, version)).toBe(false);
  });
});

describe('classifyResolved', () => {
  it.each([
    ['git+ssh://git@git.example/o/r.git#abc', 'git'],
    ['git+https://git.example/o/r.git#abc', 'git'],
    ['git://git.example/o/r.git', 'git'],
    ['github:o/r#abc', 'git'],
    ['gitlab:o/r', 'git'],
    ['bitbucket:o/r', 'git'],
    ['file:vendor/x-1.0.0.tgz', 'file'],
    ['../local/dir', 'file'],
    ['https://files.example/x.tgz', 'tarball'],
    ['https://r.example/x/-/x-1.0.0.tgz', 'registry'],
    ['ftp://files.example/x.tgz', 'unknown'],
  ])('%s → %s', (resolved, type) => {
    const s = classifyResolved(resolved, 'x', '1.0.0');
    expect(s).toEqual({ type, url: resolved });
  });

  it('recognises plain semver versions only', () => {
    expect(['1.0.0', '0.0.1-alpha.1', '2.3.4+build.5', '10.20.30'].every(isSemverVersion)).toBe(true);
    expect(['1.0', 'latest', '^1.0.0', 'npm:a@1.0.0', 'file:x', ''].some(isSemverVersion)).toBe(false);
  });
});
