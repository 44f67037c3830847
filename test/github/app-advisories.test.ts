/**
 * The App with advisory sources: GitHub's advisory database read on the fake GitHub with the
 * installation's token, the fixture OSV service; an unreachable OSV is a note and changes nothing; a
 * repository cannot choose the OSV host but may switch a source off.
 */
import { appAdvisories } from '../../src/github/advisories.js';
import { Advisories } from '../../src/registry/advisories/index.js';
import { createNpmRegistryClient } from '../../src/registry/npm.js';
import { createNpmRegistryConfig } from '../../src/registry/npmrc.js';
import { startFixtureOsv, type FixtureOsv } from '../../test-support/fixture-osv.js';
import type { FixtureRegistry } from '../../test-support/fixture-registry.js';
import { NOW, packageLock, startAdvisoryRegistry } from '../helpers/advisories.js';
import { FULL, INSTALLATION_ID, pullRequestEvent, setUpPull, startHarness, type Harness } from './harness.js';

let registry: FixtureRegistry;
let osv: FixtureOsv;
let h: Harness | undefined;
beforeAll(async () => {
  [registry, osv] = await Promise.all([startAdvisoryRegistry(), startFixtureOsv()]);
});
afterAll(async () => {
  expect(osv.errors).toEqual([]);
  await Promise.all([registry.close(), osv.close()]);
});
afterEach(async () => {
  if (h) {
    await h.close();
    h.fake.assertClean();
    h = undefined;
  }
});

/** The harness with these advisory sources; the App asks GitHub at its own API root (the fake) with the installation token. */
async function harness(advisories: Advisories): Promise<Harness> {
  const npm = createNpmRegistryClient({ config: createNpmRegistryConfig({ registry: registry.url }) });
  const started = await startHarness({ now: NOW, registry: npm, app: { advisories } });
  started.fake.advisories.loadFixtures(started.fake.url);
  return started;
}

async function openPull(config?: string) {
  const base = { 'package-lock.json': await packageLock(registry, { chalk: '5.6.0', debug: '4.4.1' }) };
  const head = { 'package-lock.json': await packageLock(registry, { chalk: '5.6.1', debug: '4.4.1' }) };
  const pr = setUpPull(h!, base, head, config !== undefined ? { config } : {});
  await h!.deliver('pull_request', pullRequestEvent('opened', { number: pr.number, base: pr.base, head: pr.head }));
  await h!.idle();
  const run = h!.fake.checkRuns.find((r) => r.head_sha === pr.head && r.name === 'lockwarden')!;
  const comment = h!.fake.comments.find((c) => c.repo === FULL && c.issue === pr.number);
  return { run, comment };
}

const advisoryRequests = () => h!.fake.requests.filter((r) => r.route === 'GET /advisories');

describe('the App with advisory sources', () => {
  it("fails a clean-metadata bump to chalk 5.6.1 from GitHub's advisories, read with the installation token", async () => {
    h = await harness(new Advisories({ github: true }));
    const { run, comment } = await openPull();
    expect(run.conclusion).toBe('failure');
    expect(`${run.output.summary}\n${run.output.text ?? ''}`).toContain('known-malicious');
    expect(comment!.body).toContain('GHSA-2v46-p5h4-248w');
    const sent = advisoryRequests();
    expect(sent.map((r) => r.query['type'])).toEqual(['malware', 'reviewed']);
    // the token is one the fake issued to the installation (POST /app/installations/{id}/access_tokens)
    expect(h.fake.requests.some((r) => r.route === 'POST /app/installations/{installation_id}/access_tokens' && r.path.includes(String(INSTALLATION_ID)))).toBe(
      true,
    );
    expect(sent[0]!.headers['authorization']).toMatch(/^(token|bearer) ghs_/i);
  });

  it('names an unreachable OSV service in the notes; the conclusion is what the other sources make it', async () => {
    h = await harness(new Advisories({ osvUrl: 'http://127.0.0.1:9', tuning: { retries: 0 } }));
    const { run } = await openPull();
    expect(run.conclusion).toBe('success');
    expect(`${run.output.summary}\n${run.output.text ?? ''}`).toMatch(/Advisory source OSV gave no answer/);
  });

  it("ignores a repository's OSV host with a note, and lets it switch GitHub's advisories off", async () => {
    h = await harness(new Advisories({ osvUrl: osv.url, github: true }));
    const before = osv.requests.length;
    const { run } = await openPull(`advisories:\n  osv: http://127.0.0.1:9\n  github: false\n`);
    expect(advisoryRequests()).toEqual([]);
    expect(osv.requests.length).toBeGreaterThan(before); // the operator's OSV, not the repository's
    expect(run.conclusion).toBe('failure');
    expect(`${run.output.summary}\n${run.output.text ?? ''}`).toMatch(/advisories\.osv is not used by the App/);
  });
});

describe("the App's advisory environment", () => {
  it('has every source on by default, and none when all are switched off', () => {
    expect(appAdvisories({})?.sources).toEqual(['osv', 'github']);
    expect(appAdvisories({ LOCKWARDEN_ADVISORIES_DIR: '/srv/mp' })?.sources).toEqual(['osv', 'github', 'local']);
    expect(appAdvisories({ LOCKWARDEN_OSV_URL: 'off', LOCKWARDEN_GITHUB_ADVISORIES: 'off' })).toBeNull();
  });

  it('refuses a setting it cannot use, so the App does not start half-configured', () => {
    expect(() => appAdvisories({ LOCKWARDEN_OSV_URL: 'ftp://osv.example' })).toThrow(/LOCKWARDEN_OSV_URL/);
    expect(() => appAdvisories({ LOCKWARDEN_ADVISORIES_TTL: 'soon' })).toThrow(/LOCKWARDEN_ADVISORIES_TTL/);
    expect(appAdvisories({ LOCKWARDEN_ADVISORIES_TTL: '30m' })).not.toBeNull();
  });
});
