/**
 * `allowedHosts` (lockfile-lint's allowed hosts): tarball hosts a repository downloads registry
 * packages from besides the registry and the base lockfile's hosts.
 */
import { review } from '../../src/core/review.js';
import { parseConfig } from '../../src/policy/index.js';
import { ConfigError } from '../../src/errors.js';

const NOW = new Date('2026-04-01T12:00:00.000Z');
const yarn = (url: string) => `# yarn lockfile v1\n\n\npkg@^1.0.0:\n  version "1.0.0"\n  resolved "${url}"\n  integrity sha512-${'A'.repeat(86)}==\n`;
const BASE = yarn('https://registry.corp.example/pkg/-/pkg-1.0.0.tgz');

async function foreignFindings(headUrl: string, configText: string) {
  const r = await review([{ file: 'yarn.lock', base: BASE, head: yarn(headUrl) }], { registry: null, now: NOW, config: parseConfig(configText) });
  return r.changes.flatMap((c) => c.findings).filter((f) => f.evidence['foreignHost'] === true);
}

describe('allowedHosts', () => {
  it('a tarball on an allowed host is a registry download; another host stays high', async () => {
    const config = 'allowedHosts:\n  - mirror.corp.example\n';
    expect(await foreignFindings('https://mirror.corp.example/pkg/-/pkg-1.0.0.tgz', config)).toEqual([]);
    const [f] = await foreignFindings('https://cdn.attacker.example/pkg/-/pkg-1.0.0.tgz', config);
    expect(f).toMatchObject({ severity: 'high', evidence: { host: 'cdn.attacker.example' } });
  });

  it('a bare host allows https only: plain http must be listed as such', async () => {
    const [f] = await foreignFindings('http://mirror.corp.example/pkg/-/pkg-1.0.0.tgz', 'allowedHosts: [mirror.corp.example]\n');
    expect(f).toMatchObject({ severity: 'high', evidence: { plainHttp: true } });
    expect(await foreignFindings('http://mirror.corp.example/pkg/-/pkg-1.0.0.tgz', 'allowedHosts: ["http://mirror.corp.example"]\n')).toEqual([]);
  });

  it('normalises hosts and origins, and keeps a port', () => {
    const c = parseConfig('allowedHosts: [Mirror.Corp.Example, "https://npm.corp.example:8443/", "http://10.0.0.5:4873"]\n');
    expect(c.allowedOrigins).toEqual(['https://mirror.corp.example', 'https://npm.corp.example:8443', 'http://10.0.0.5:4873']);
  });

  it.each(['https://npm.corp.example/path', 'ftp://npm.corp.example', 'user@npm.corp.example', 'npm corp', ''])('refuses %j with the line', (h) => {
    expect(() => parseConfig(`failOn: high\nallowedHosts:\n  - ${JSON.stringify(h)}\n`)).toThrow(ConfigError);
    expect(() => parseConfig(`failOn: high\nallowedHosts:\n  - ${JSON.stringify(h)}\n`)).toThrow(/lockwarden\.yml:3:/);
  });
});
