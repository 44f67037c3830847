// Advisory requests per review and the cache over a repeated review: a change of `n` new npm versions
// (one of them chalk 5.6.1, known-malicious) reviewed through one Advisories client against the fixture
// OSV service and the fake GitHub's advisory database, both on 127.0.0.1. Targets: ceil(n / 1000)
// querybatch requests (one per 1,000 queries, the service's limit), and no request on the repeat.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(path.join(root, 'dist', p));
const support = (p) => import(path.join(root, 'dist-support', 'test-support', p));

/** A package-lock.json v3 pair: `n` versions added, chalk among them. */
function inputs(n) {
  const lock = (packages) => JSON.stringify({ name: 'bench', lockfileVersion: 3, requires: true, packages: { '': { name: 'bench' }, ...packages } });
  const head = { 'node_modules/chalk': { version: '5.6.1' } };
  for (let i = 1; i < n; i++) head[`node_modules/pkg-${i}`] = { version: '1.0.0' };
  return [{ file: 'package-lock.json', base: lock({}), head: lock(head) }];
}

export async function run() {
  const { review } = await dist('core/review.js');
  const { defaultConfig } = await dist('policy/index.js');
  const { Advisories } = await dist('registry/advisories/index.js');
  const { startFixtureOsv } = await support('fixture-osv.js');
  const { startFakeGitHub } = await support('fake-github.js');
  const { startFixtureRegistry } = await support('fixture-registry.js');
  const { createNpmRegistryClient, createNpmRegistryConfig } = await dist('registry/index.js');
  // online, so the network sources are asked (the registry's answers do not matter here)
  const [osv, gh, registry] = await Promise.all([startFixtureOsv(), startFakeGitHub(), startFixtureRegistry()]);
  gh.advisories.loadFixtures(gh.url);
  const rows = [];
  try {
    for (const n of [300, 2500]) {
      const client = new Advisories({ osvUrl: osv.url, github: { apiUrl: gh.url, token: async () => 'ghp_bench' } });
      const npm = createNpmRegistryClient({ config: createNpmRegistryConfig({ registry: registry.url }) });
      const opts = { registry: npm, now: new Date('2025-09-10T00:00:00Z'), config: defaultConfig(), advisories: client };
      const change = inputs(n);
      const osvBefore = osv.requests.length;
      const t0 = performance.now();
      const first = await review(change, opts);
      const ms = performance.now() - t0;
      const s1 = client.stats();
      const batches = osv.requests.slice(osvBefore).filter((r) => r.path === '/v1/querybatch').length;
      const t1 = performance.now();
      await review(change, opts);
      const repeatMs = performance.now() - t1;
      const s2 = client.stats();
      const hits = s2.cacheHits - s1.cacheHits;
      const asked = hits + (s2.cacheMisses - s1.cacheMisses);
      const flagged = first.changes.some((c) => c.name === 'chalk' && c.findings.some((f) => f.signal === 'known-malicious'));
      rows.push({
        n,
        batches,
        targetBatches: Math.ceil(n / 1000),
        osv: s1.requests.osv,
        github: s1.requests.github,
        ms,
        repeatRequests: s2.requests.osv + s2.requests.github - s1.requests.osv - s1.requests.github,
        hitRatio: asked ? hits / asked : 0,
        repeatMs,
        flagged,
      });
    }
  } finally {
    await Promise.all([osv.close(), gh.close(), registry.close()]);
  }
  return rows;
}
