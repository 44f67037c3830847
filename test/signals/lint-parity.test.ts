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
import { change, input } from './builders.js';

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
    expect(nonRegistrySource.run({ ...input(moved(url), null), registryOrigins: { configured: 'https://registry.corp.example', base: new Set() } })).toEqual([]);
  });

  it('plain http on the host the registry serves over https is a downgrade', () => {
    const i = { ...input(moved('http://registry.corp.example/pkg/-/pkg-1.0.0.tgz'), null), registryOrigins: { configured: 'https://registry.corp.example', base: new Set<string>() } };
    expect(nonRegistrySource.run(i)[0]).toMatchObject({ severity: 'high', evidence: { plainHttp: true } });
  });

  it('is not confused by credentials or backslashes in the authority', () => {
    const i = { ...input(moved('https://registry.corp.example\\@cdn.attacker.example/pkg/-/pkg-1.0.0.tgz'), null), registryOrigins: { configured: 'https://registry.corp.example', base: new Set<string>() } };
    expect(nonRegistrySource.run(i)).toEqual([]); // WHATWG (Node's package managers): the host is registry.corp.example
    const j = { ...input(moved('https://registry.corp.example@cdn.attacker.example/pkg/-/pkg-1.0.0.tgz'), null), registryOrigins: { configured: 'https://registry.corp.example', base: new Set<string>() } };
    const [f] = nonRegistrySource.run(j);
    expect(f?.evidence['host']).toBe('cdn.attacker.example');
    expect(String(f?.evidence['url'])).not.toContain('registry.corp.example@');
  });
});

describe('non-registry-source: transitive git dependencies', () => {
  it('is high when a registry package pulls a git dependency (its prepare script runs at install)', () => {
    const c = change({ name: 'helper', to: '1.0.0', via: ['lib'], headSource: { type: 'git', url: 'github:owner/helper#0123456789abcdef0123456789abcdef01234567' } });
    const [f] = nonRegistrySource.run(input(c, null));
    expect(f).toMatchObject({ severity: 'high', evidence: { transitive: true, runsPrepare: true } });
    expect(f?.message).toContain('lib pulls it in');
  });
  it('stays medium for a direct git dependency the project chose', () => {
    const c = change({ name: 'helper', to: '1.0.0', direct: true, headSource: { type: 'git', url: 'github:owner/helper#0123456789abcdef0123456789abcdef01234567' } });
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
