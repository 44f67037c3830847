/**
 * The engine's advisories: one batched lookup per review and source, a note for a source without an
 * answer (no conclusion change), fail closed on an internal error, nothing asked when both signals are off,
 * and the figures the README quotes: requests per review for a 300-package change, cache hits on a repeat.
 */
import { review, type LockfileInput } from '../../src/core/review.js';
import type { AdvisoryClient } from '../../src/model/index.js';
import { defaultConfig, parseConfig } from '../../src/policy/index.js';
import { Advisories } from '../../src/registry/advisories/index.js';
import { createNpmRegistryClient } from '../../src/registry/npm.js';
import { createNpmRegistryConfig } from '../../src/registry/npmrc.js';
import { startFakeGitHub, type FakeGitHub } from '../../test-support/fake-github.js';
import { startFixtureOsv, type FixtureOsv } from '../../test-support/fixture-osv.js';
import type { FixtureRegistry } from '../../test-support/fixture-registry.js';
import { ADVISORY_DIR, NOW, packageLock, startAdvisoryRegistry } from '../helpers/advisories.js';

let registry: FixtureRegistry;
let osv: FixtureOsv;
let gh: FakeGitHub;
beforeAll(async () => {
  [registry, osv, gh] = await Promise.all([startAdvisoryRegistry(), startFixtureOsv(), startFakeGitHub()]);
  gh.advisories.loadFixtures(gh.url);
});
afterAll(async () => {
  expect(osv.errors).toEqual([]);
  gh.assertClean();
  await Promise.all([registry.close(), osv.close(), gh.close()]);
});

const npm = () => createNpmRegistryClient({ config: createNpmRegistryConfig({ registry: registry.url }) });
const github = { apiUrl: '', token: async () => 'ghp_measure' };

/** chalk 5.6.0 → 5.6.1 plus `extra` packages added (lockfile text only: not in the registry). */
async function bump(extra = 0): Promise<LockfileInput[]> {
  const base = await packageLock(registry, { chalk: '5.6.0' });
  const head = JSON.parse(await packageLock(registry, { chalk: '5.6.1' })) as { packages: Record<string, unknown> };
  for (let i = 0; i < extra; i++)
    head.packages[`node_modules/pkg-${i}`] = { version: '1.0.0', resolved: `${registry.url}pkg-${i}/-/pkg-${i}-1.0.0.tgz`, integrity: 'sha512-AAAA' };
  return [{ file: 'package-lock.json', base, head: JSON.stringify(head) }];
}

describe('advisories in the review engine', () => {
  it('names a source without an answer in the notes; the conclusion is what it would be without it', async () => {
    const inputs = await bump();
    const none = await review(inputs, { registry: npm(), now: NOW, config: defaultConfig() });
    const down = await review(inputs, {
      registry: npm(),
      now: NOW,
      config: defaultConfig(),
      advisories: new Advisories({ osvUrl: 'http://127.0.0.1:9', tuning: { retries: 0 } }),
    });
    expect(down.conclusion).toBe(none.conclusion);
    expect(down.incomplete).toEqual([]);
    expect(down.notes.filter((n) => n.kind === 'advisories-unavailable')).toEqual([
      expect.objectContaining({
        source: 'osv',
        packages: 1,
        message: expect.stringMatching(/^Advisory source OSV gave no answer for 1 package version \(network error/),
      }),
    ]);
  });

  it('one source down does not hide what another knows', async () => {
    gh.failNext('GET', /^\/advisories/, 503, { times: 3 });
    const r = await review(await bump(), {
      registry: npm(),
      now: NOW,
      config: defaultConfig(),
      advisories: new Advisories({ osvUrl: osv.url, github: { ...github, apiUrl: gh.url }, tuning: { backoffMs: 1 } }),
    });
    expect(r.conclusion).toBe('failure');
    expect(r.notes.map((n) => n.kind)).toContain('advisories-unavailable');
  });

  it('fails closed when the advisory client breaks (a bug is not the source being down)', async () => {
    const broken: AdvisoryClient = {
      sources: ['osv'],
      lookup: async () => {
        throw new TypeError('boom');
      },
      stats: () => ({ requests: { osv: 0, github: 0, local: 0 }, cacheHits: 0, cacheMisses: 0 }),
    };
    const r = await review(await bump(), { registry: null, now: NOW, config: defaultConfig(), advisories: broken });
    expect(r.conclusion).toBe('failure');
    expect(r.incomplete).toEqual([expect.objectContaining({ name: 'advisories', failClosed: true, reason: expect.stringMatching(/internal error: boom/) })]);
  });

  it('asks nothing when known-malicious and known-vulnerability are off', async () => {
    const before = osv.requests.length;
    const config = parseConfig('signals:\n  known-malicious: off\n  known-vulnerability: off\n');
    const r = await review(await bump(), { registry: npm(), now: NOW, config, advisories: new Advisories({ osvUrl: osv.url }) });
    expect(osv.requests.length).toBe(before);
    expect(r.changes[0]!.findings.map((f) => f.signal)).not.toContain('known-malicious');
  });

  it('Python: a pinned version with a known CVE, by its normalised name, from a local directory offline', async () => {
    const r = await review([{ file: 'requirements.txt', base: 'Requests==2.29.0\n', head: 'Requests==2.30.0\n' }], {
      registry: null,
      now: NOW,
      config: defaultConfig(),
      advisories: new Advisories({ directory: ADVISORY_DIR }),
    });
    const f = r.changes[0]!.findings.find((x) => x.signal === 'known-vulnerability');
    expect(f?.severity).toBe('low'); // the advisory says moderate
    expect((f!.evidence['advisories'] as { ids: string[]; aliases: string[] }[])[0]).toMatchObject({
      ids: ['GHSA-j8r2-6x86-q33q'],
      aliases: ['CVE-2023-32681'],
    });
  });

  it('a 300-package change costs one batch per source, and a repeated review none (measured)', async () => {
    const inputs = await bump(300);
    const client = new Advisories({ osvUrl: osv.url, github: { ...github, apiUrl: gh.url } });
    const ghAsked = () => gh.requests.filter((x) => x.route === 'GET /advisories').length;
    const osvBefore = osv.requests.length;
    const ghBefore = ghAsked();
    const first = await review(inputs, { registry: npm(), now: NOW, config: defaultConfig(), advisories: client });
    const osvSent = osv.requests.slice(osvBefore);
    expect(osvSent.filter((x) => x.path === '/v1/querybatch').map((x) => x.queries)).toEqual([301]);
    expect(osvSent.filter((x) => x.path.startsWith('/v1/vulns/')).map((x) => x.path)).toEqual(['/v1/vulns/MAL-2025-46969']);
    expect(ghAsked() - ghBefore).toBe(2); // malware and reviewed, the 301 versions in one URL each
    expect(client.stats().requests).toEqual({ osv: 2, github: 2, local: 0 });
    expect(first.changes.find((c) => c.name === 'chalk')!.findings.map((f) => f.signal)).toContain('known-malicious');
    // the same change reviewed again within the TTL: every answer from the cache, no request
    const s1 = client.stats();
    const again = await review(inputs, { registry: npm(), now: NOW, config: defaultConfig(), advisories: client });
    const s2 = client.stats();
    expect(s2.requests).toEqual(s1.requests);
    expect(osv.requests.length - osvBefore).toBe(osvSent.length);
    expect(s2.cacheHits - s1.cacheHits).toBe(602); // 301 versions × 2 network sources
    expect(s2.cacheMisses - s1.cacheMisses).toBe(0);
    expect(again.changes.find((c) => c.name === 'chalk')!.findings.map((f) => f.signal)).toContain('known-malicious');
  });
});
