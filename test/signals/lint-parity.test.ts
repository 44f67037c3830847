/**
 * lockfile-lint parity (issue 11, item 5): foreign tarball hosts offline, transitive git sources, and
 * pnpm's `requiresBuild` that is no evidence of an install script.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { review } from '../../src/core/review.js';
import { defaultConfig } from '../../src/policy/index.js';
import { nonRegistrySource } from '../../src/signals/non-registry-source.js';
import { installScriptAdded } from '../../src/signals/install-script.js';
import { runSignals } from '../../src/signals/index.js';
import { change, daysAgo, input, packument, ver } from './builders.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const NOW = new Date('2026-04-01T12:00:00.000Z');

describe('non-registry-source: the host of a registry-shaped tarball', () => {
  const moved = (url: string) => change({ name: 'pkg', from: '1.0.0', to: '1.0.0', headSource: { type: 'registry', url } });

  it('offline, a host the base side never downloads from is high', () => {
    const i = { ...input(moved('https://cdn.attacker.example/pkg/-/pkg-1.0.0.tgz'), null), registryOrigins: { base: new Set(['http://127.0.0.1:4873']) } };
    const [f] = nonRegistrySource.run(i);
    expect(f).toMatchObject({ severity: 'high', evidence: { host: 'cdn.attacker.example', foreignHost: true } });
  });

  it('a host the base side uses, or the configured registry, stays a registry source', () => {
    const url = 'https://registry.corp.example/pkg/-/pkg-1.0.0.tgz';
    expect(nonRegistrySource.run({ ...input(moved(url), null), registryOrigins: { base: new Set(['https://registry.corp.example']) } })).toEqual([]);
    expect(nonRegistrySource.run({ ...input(moved(url), null), registryOrigins: { configured: 'https://registry.corp.example', base: new Set() } })).toEqual(
      [],
    );
  });

  it('plain http on the host the registry serves over https is a downgrade', () => {
    const i = {
      ...input(moved('http://registry.corp.example/pkg/-/pkg-1.0.0.tgz'), null),
      registryOrigins: { configured: 'https://registry.corp.example', base: new Set<string>() },
    };
    expect(nonRegistrySource.run(i)[0]).toMatchObject({ severity: 'high', evidence: { plainHttp: true } });
  });

  it('is not confused by credentials or backslashes in the authority', () => {
    const i = {
      ...input(moved('https://registry.corp.example\\@cdn.attacker.example/pkg/-/pkg-1.0.0.tgz'), null),
      registryOrigins: { configured: 'https://registry.corp.example', base: new Set<string>() },
    };
    expect(nonRegistrySource.run(i)).toEqual([]); // WHATWG (Node's package managers): the host is registry.corp.example
    const j = {
      ...input(moved('https://registry.corp.example@cdn.attacker.example/pkg/-/pkg-1.0.0.tgz'), null),
      registryOrigins: { configured: 'https://registry.corp.example', base: new Set<string>() },
    };
    const [f] = nonRegistrySource.run(j);
    expect(f?.evidence['host']).toBe('cdn.attacker.example');
    expect(String(f?.evidence['url'])).not.toContain('registry.corp.example@');
  });
});

describe('non-registry-source: transitive git dependencies', () => {
  it('is high when a registry package pulls a git dependency (its prepare script runs at install)', () => {
    const c = change({
      name: 'helper',
      to: '1.0.0',
      via: ['lib'],
      headSource: { type: 'git', url: 'github:owner/helper#0123456789abcdef0123456789abcdef01234567' },
    });
    const [f] = nonRegistrySource.run(input(c, null));
    expect(f).toMatchObject({ severity: 'high', evidence: { transitive: true, runsPrepare: true } });
    expect(f?.message).toContain('lib pulls it in');
  });
  it('stays medium for a direct git dependency the project chose', () => {
    const c = change({
      name: 'helper',
      to: '1.0.0',
      direct: true,
      headSource: { type: 'git', url: 'github:owner/helper#0123456789abcdef0123456789abcdef01234567' },
    });
    expect(nonRegistrySource.run(input(c, null))[0]?.severity).toBe('medium');
  });
});

describe("install-script-added offline: pnpm's requiresBuild", () => {
  const lockText = readFileSync(path.join(root, 'test', 'fixtures', 'lockfiles', 'pnpm', 'workspace-v6.pnpm-lock.yaml'), 'utf8');

  it('a new platform binary marked requiresBuild (real pnpm 8 lockfile) is not reported as an added install script', async () => {
    const block = /\n {2}\/@esbuild\/darwin-arm64@0\.25\.10:\n(?: {4}.*\n)+/.exec(lockText)![0];
    const base = lockText.replace(block, '\n');
    expect(base).not.toBe(lockText);
    const r = await review([{ file: 'pnpm-lock.yaml', base, head: lockText }], { registry: null, now: NOW, config: defaultConfig() });
    const c = r.changes.find((x) => x.name === '@esbuild/darwin-arm64')!;
    expect(c.kind).toBe('added');
    expect(c.findings.map((f) => f.signal)).not.toContain('install-script-added');
  });

  it('requiresBuild appearing on a package whose base entry lacked it is reported as unconfirmed', () => {
    const c = change({ name: '@rollup/rollup-linux-x64-gnu', from: '4.1.0', to: '4.2.0', headFlags: { hasInstallScript: true, buildFlagOnly: true } });
    const [f] = installScriptAdded.run(input(c, null));
    expect(f).toMatchObject({ severity: 'medium', evidence: { scriptConfirmed: false } });
    expect(f?.message).toContain('cannot be confirmed');
  });
});

describe('install-script-added: a package new to the lockfile', () => {
  const hooks = { scripts: { postinstall: 'node install.js' } };
  const p = packument('esbuild-like', [ver('1.0.0', daysAgo(400), hooks), ver('1.1.0', daysAgo(200), hooks)]);

  it('is reported (low) with the script, even when the previous release had the same one', () => {
    const findings = runSignals(input(change({ name: 'esbuild-like', to: '1.1.0', direct: true, nameInBase: false }), p));
    const f = findings.find((x) => x.signal === 'install-script-added');
    expect(f).toMatchObject({ severity: 'low', evidence: { newToLockfile: true, previousVersion: '1.0.0', scripts: { postinstall: 'node install.js' } } });
    expect(findings.map((x) => x.signal)).not.toContain('possible-takeover');
  });

  it('stays quiet for an upgrade of a package the repository already installed with the script', () => {
    expect(installScriptAdded.run(input(change({ name: 'esbuild-like', from: '1.0.0', to: '1.1.0' }), p))).toEqual([]);
  });
});

describe('integrity-mismatch: yarn classic sha1 fragments', () => {
  it('a fragment that differs from dist.shasum is a mismatch even beside a matching sha512', async () => {
    const { integrityMismatch } = await import('../../src/signals/integrity-mismatch.js');
    const p = packument('pkg', [ver('1.0.0', daysAgo(10), { integrity: 'sha512-AAAA', shasum: 'aa'.repeat(20) })]);
    const url = `http://127.0.0.1:4873/pkg/-/pkg-1.0.0.tgz#${'bb'.repeat(20)}`;
    const c = change({ name: 'pkg', from: '0.9.0', to: '1.0.0', headSource: { type: 'registry', url }, headIntegrity: 'sha512-AAAA' });
    expect(integrityMismatch.run(input(c, p))[0]).toMatchObject({
      severity: 'critical',
      evidence: { mismatchedAlgorithms: ['sha1'], matchedAlgorithms: ['sha512'] },
    });
    const ok = change({ name: 'pkg', from: '0.9.0', to: '1.0.0', headSource: { type: 'registry', url: url.replace(/#.*/, `#${'aa'.repeat(20)}`) } });
    expect(integrityMismatch.run(input(ok, p))).toEqual([]);
  });
});

describe('non-registry-source offline with no registry host to compare with', () => {
  const none = { base: new Set<string>() };
  it('a URL that appears on a package whose base entry recorded none (pnpm) is reported, saying so', () => {
    const c = change({
      name: 'pkg',
      from: '1.0.0',
      to: '1.0.0',
      baseSource: { type: 'registry' },
      headSource: { type: 'registry', url: 'https://cdn.attacker.example/pkg/-/pkg-1.0.0.tgz' },
    });
    const [f] = nonRegistrySource.run({ ...input(c, null), registryOrigins: none });
    expect(f).toMatchObject({ severity: 'medium', evidence: { host: 'cdn.attacker.example', compared: false } });
    expect(f?.message).toContain('no registry host to compare');
  });
  it('a brand-new lockfile gives nothing to compare and no finding', () => {
    const c = change({ name: 'pkg', to: '1.0.0', headSource: { type: 'registry', url: 'http://127.0.0.1:4873/pkg/-/pkg-1.0.0.tgz' } });
    expect(nonRegistrySource.run({ ...input(c, null), registryOrigins: none })).toEqual([]);
  });
});
