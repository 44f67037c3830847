import { deprecated } from '../../src/signals/deprecated.js';
import { downgrade } from '../../src/signals/downgrade.js';
import { hexToBase64, integrityMismatch, parseIntegrity } from '../../src/signals/integrity-mismatch.js';
import { newDependency } from '../../src/signals/new-dependency.js';
import { nonRegistrySource } from '../../src/signals/non-registry-source.js';
import { securityHolder } from '../../src/signals/security-holder.js';
import { versionNotFound } from '../../src/signals/version-not-found.js';
import { createHash } from 'node:crypto';
import { change, daysAgo, input, packument, ver } from './builders.js';

const sri = (alg: string, data: string) => `${alg}-${createHash(alg).update(data).digest('base64')}`;
const hex = (alg: string, data: string) => createHash(alg).update(data).digest('hex');

describe('new-dependency', () => {
  it('is info for a new transitive dependency and names the path', () => {
    const [f] = newDependency.run(input(change({ name: 'helper', to: '1.0.0', via: ['a', 'b'] }), null));
    expect(f?.severity).toBe('info');
    expect(f?.message).toContain('a > b');
  });
  it('is low for a new direct dependency', () => {
    expect(newDependency.run(input(change({ name: 'helper', to: '1.0.0', direct: true }), null))[0]?.severity).toBe('low');
  });
  it('stays quiet when the name was in the base lockfile (another version or location)', () => {
    expect(newDependency.run(input(change({ name: 'helper', to: '1.0.0', nameInBase: true }), null))).toEqual([]);
    expect(newDependency.run(input(change({ name: 'helper', from: '0.9.0', to: '1.0.0' }), null))).toEqual([]);
  });
});

describe('non-registry-source', () => {
  it('is high for an http(s) tarball where the base used the registry', () => {
    const c = change({ name: 'pkg', from: '1.0.0', to: '1.0.1', headSource: { type: 'tarball', url: 'https://files.example.test/pkg-1.0.1.tgz' } });
    const [f] = nonRegistrySource.run(input(c, null));
    expect(f?.severity).toBe('high');
    expect(f?.evidence['url']).toBe('https://files.example.test/pkg-1.0.1.tgz');
    expect(f?.evidence['baseSourceType']).toBe('registry');
  });
  it('is medium for a direct git dependency and notes that prepare runs at install', () => {
    const c = change({ name: 'pkg', to: '1.0.1', direct: true, headSource: { type: 'git', url: 'git+ssh://git@github.com/x/pkg.git#abc' } });
    const [f] = nonRegistrySource.run(input(c, null));
    expect(f?.severity).toBe('medium');
    expect(f?.message).toMatch(/prepare/);
    expect(f?.evidence['newPackage']).toBe(true);
  });
  it('is medium for a file source', () => {
    const c = change({ name: 'pkg', from: '1.0.0', to: '1.0.1', headSource: { type: 'file', url: 'file:vendor/pkg-1.0.1.tgz' } });
    expect(nonRegistrySource.run(input(c, null))[0]?.severity).toBe('medium');
  });
  it('stays quiet for registry, link and bundled packages, and when base already used git', () => {
    expect(nonRegistrySource.run(input(change({ name: 'pkg', from: '1.0.0', to: '1.0.1' }), null))).toEqual([]);
    expect(nonRegistrySource.run(input(change({ name: 'ws', to: '1.0.0', headSource: { type: 'link', url: 'packages/ws' } }), null))).toEqual([]);
    const bundled = change({ name: 'pkg', to: '1.0.0', headSource: { type: 'git', url: 'git+https://example.test/x.git' }, headFlags: { bundled: true } });
    expect(nonRegistrySource.run(input(bundled, null))).toEqual([]);
    const gitToGit = change({
      name: 'pkg',
      from: '1.0.0',
      to: '1.0.1',
      baseSource: { type: 'git', url: 'git+https://example.test/x.git#a' },
      headSource: { type: 'git', url: 'git+https://example.test/x.git#b' },
    });
    expect(nonRegistrySource.run(input(gitToGit, null))).toEqual([]);
  });
});

describe('integrity-mismatch', () => {
  const good = 'good tarball';
  const p = packument('pkg', [
    ver('1.0.0', daysAgo(10), { integrity: sri('sha512', good), shasum: hex('sha1', good) }),
    ver('0.1.0', daysAgo(3000), { shasum: hex('sha1', good) }),
  ]);

  it('fires (critical) when the lockfile sha512 differs from the registry', () => {
    const c = change({ name: 'pkg', to: '1.0.0', headIntegrity: sri('sha512', 'evil tarball') });
    const [f] = integrityMismatch.run(input(c, p));
    expect(f?.severity).toBe('critical');
    expect(f?.evidence['algorithm']).toBe('sha512');
    expect(f?.evidence['registryIntegrity']).toBe(sri('sha512', good));
    expect(f?.evidence['lockfileIntegrity']).toBe(sri('sha512', 'evil tarball'));
  });

  it('compares sha1 against a hex shasum when the registry has nothing else', () => {
    const bad = change({ name: 'pkg', to: '0.1.0', headIntegrity: sri('sha1', 'evil') });
    expect(integrityMismatch.run(input(bad, p))[0]?.evidence['algorithm']).toBe('sha1');
    const ok = change({ name: 'pkg', to: '0.1.0', headIntegrity: sri('sha1', good) });
    expect(integrityMismatch.run(input(ok, p))).toEqual([]);
  });

  it('accepts several space-separated hashes and compares each algorithm both sides have', () => {
    const ok = change({ name: 'pkg', to: '1.0.0', headIntegrity: `${sri('sha512', good)} ${sri('sha1', good)}` });
    expect(integrityMismatch.run(input(ok, p))).toEqual([]);
    const halfBad = change({ name: 'pkg', to: '1.0.0', headIntegrity: `${sri('sha512', good)} ${sri('sha1', 'evil')}` });
    expect(integrityMismatch.run(input(halfBad, p))[0]?.evidence['mismatchedAlgorithms']).toEqual(['sha1']);
  });

  it('stays quiet without a common algorithm, without integrity, or for non-registry sources', () => {
    expect(integrityMismatch.run(input(change({ name: 'pkg', to: '0.1.0', headIntegrity: sri('sha512', 'x') }), p))).toEqual([]);
    expect(integrityMismatch.run(input(change({ name: 'pkg', to: '1.0.0' }), p))).toEqual([]);
    const git = change({ name: 'pkg', to: '1.0.0', headIntegrity: sri('sha512', 'x'), headSource: { type: 'git', url: 'git+https://example.test/x.git' } });
    expect(integrityMismatch.run(input(git, p))).toEqual([]);
  });

  it('parses SRI strings and hex digests', () => {
    expect([...parseIntegrity(`sha512-${'A'.repeat(86)}== bogus sha1-AAAA?opt`).keys()]).toEqual(['sha512', 'sha1']);
    expect(hexToBase64('00ff')).toBe('AP8=');
    expect(hexToBase64('xyz')).toBeUndefined();
  });
});

describe('version-not-found', () => {
  const p = packument('pkg', [ver('1.0.0', daysAgo(10))]);
  it('fires (high) when the registry has the package but not the version', () => {
    const [f] = versionNotFound.run(input(change({ name: 'pkg', from: '1.0.0', to: '1.0.1' }), p));
    expect(f?.severity).toBe('high');
    expect(f?.evidence['latest']).toBe('1.0.0');
  });
  it('stays quiet when the version exists, offline, or for a git source', () => {
    expect(versionNotFound.run(input(change({ name: 'pkg', to: '1.0.0' }), p))).toEqual([]);
    expect(versionNotFound.run(input(change({ name: 'pkg', to: '1.0.1' }), null))).toEqual([]);
    const git = change({ name: 'pkg', to: '9.9.9', headSource: { type: 'git', url: 'git+https://example.test/x.git' } });
    expect(versionNotFound.run(input(git, p))).toEqual([]);
  });
});

describe('security-holder', () => {
  it('fires (critical) for 0.0.1-security, offline too', () => {
    const [f] = securityHolder.run(input(change({ name: 'evil', from: '1.0.0', to: '0.0.1-security' }), null));
    expect(f?.severity).toBe('critical');
  });
  it('stays quiet for other versions', () => {
    expect(securityHolder.run(input(change({ name: 'pkg', to: '0.0.1' }), null))).toEqual([]);
  });
});

describe('deprecated', () => {
  it('fires (low) with the message', () => {
    const p = packument('pkg', [ver('1.0.0', daysAgo(10), { deprecated: 'Use pkg2 instead' })]);
    const [f] = deprecated.run(input(change({ name: 'pkg', to: '1.0.0' }), p));
    expect(f?.severity).toBe('low');
    expect(f?.evidence['deprecated']).toBe('Use pkg2 instead');
    expect(f?.message).toContain('Use pkg2 instead');
  });
  it('stays quiet for a version that is not deprecated', () => {
    const p = packument('pkg', [ver('1.0.0', daysAgo(10)), ver('1.0.1', daysAgo(1), { deprecated: '' })]);
    expect(deprecated.run(input(change({ name: 'pkg', to: '1.0.0' }), p))).toEqual([]);
    expect(deprecated.run(input(change({ name: 'pkg', to: '1.0.1' }), p))).toEqual([]);
  });
});

describe('downgrade', () => {
  it('fires (low) for a downgraded change', () => {
    const [f] = downgrade.run(input(change({ name: 'pkg', from: '2.0.0', to: '1.9.0' }), null));
    expect(f?.severity).toBe('low');
    expect(f?.message).toContain('from 2.0.0');
  });
  it('stays quiet for upgrades', () => {
    expect(downgrade.run(input(change({ name: 'pkg', from: '1.9.0', to: '2.0.0' }), null))).toEqual([]);
  });
});

describe('non-registry-source: a git dependency moved to another commit', () => {
  const src = (commit: string) => ({ type: 'git' as const, url: `git+https://git.example/o/lib.git#${commit}` });
  it('is medium, naming both commits, when the version stays the same', () => {
    const c = change({ name: 'lib', from: '1.0.0', to: '1.0.0', kind: 'source-changed', baseSource: src('aaaa111'), headSource: src('bbbb222') });
    const f = nonRegistrySource.run(input(c, null));
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('medium');
    expect(f[0]!.evidence).toMatchObject({ fromCommit: 'aaaa111', toCommit: 'bbbb222', commitMoved: true });
    expect(f[0]!.message).toMatch(/without a version change/);
  });
  it('reads pip-style @commit references too, and stays quiet when nothing moved', () => {
    const pip = (c: string) => ({ type: 'git' as const, url: `git+https://git.example/o/lib.git@${c}` });
    const moved = change({
      name: 'lib',
      from: '1.0',
      to: '1.0',
      kind: 'source-changed',
      baseSource: pip('0123456789abcdef'),
      headSource: pip('fedcba9876543210'),
      ecosystem: 'pypi',
    });
    expect(nonRegistrySource.run(input(moved, null))[0]!.evidence).toMatchObject({ fromCommit: '0123456789abcdef', toCommit: 'fedcba9876543210' });
    const same = change({
      name: 'lib',
      from: '1.0',
      to: '1.0',
      kind: 'source-changed',
      baseSource: pip('0123456789abcdef'),
      headSource: pip('0123456789abcdef'),
    });
    expect(nonRegistrySource.run(input(same, null))).toEqual([]);
  });
});

describe('new-dependency: pnpm config dependencies', () => {
  it('is medium for a new config dependency (installed first, may carry a pnpmfile), low for other direct ones', () => {
    const c = { ...change({ name: 'pnpm-plugin-x', to: '1.0.0', direct: true }), directOf: ['(config)'] };
    const f = newDependency.run(input(c, null));
    expect(f[0]).toMatchObject({ severity: 'medium', evidence: { configDependency: true } });
    expect(f[0]!.message).toMatch(/config dependency/);
    const plain = newDependency.run(input(change({ name: 'left-pad', to: '1.0.0', direct: true }), null));
    expect(plain[0]!.severity).toBe('low');
  });
});
