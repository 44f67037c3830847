/** GitHub's global advisories, read from the fake GitHub (requests validated against GitHub's OpenAPI description). */
import type { AdvisoryQuery } from '../../../src/model/index.js';
import { Advisories } from '../../../src/registry/advisories/index.js';
import { startFakeGitHub, type FakeGitHub } from '../../../test-support/fake-github.js';

let gh: FakeGitHub;
beforeAll(async () => {
  gh = await startFakeGitHub();
  gh.advisories.loadFixtures(gh.url);
});
afterAll(() => gh.close());
afterEach(() => {
  gh.advisories.pageSize = 100;
  gh.assertClean();
});

const q = (name: string, version: string, ecosystem: 'npm' | 'pypi' = 'npm'): AdvisoryQuery => ({ ecosystem, name, version });
const client = (token: string | null = 'ghp_test') =>
  new Advisories({ github: { apiUrl: gh.url, token: async () => token ?? undefined }, tuning: { backoffMs: 1 } });
const advisoryRequests = () => gh.requests.filter((r) => r.route === 'GET /advisories');

describe('GitHub advisories', () => {
  it('asks for malware and reviewed advisories of many packages in one request each, with the token and API version', async () => {
    const before = advisoryRequests().length;
    const queries = [q('chalk', '5.6.1'), q('ua-parser-js', '1.0.0'), q('lodash', '4.17.20'), q('lodash', '4.17.21'), q('left-pad', '1.3.0')];
    const r = await client().lookup(queries, {});
    const sent = advisoryRequests().slice(before);
    expect(sent.map((s) => s.query['type'])).toEqual(['malware', 'reviewed']);
    for (const s of sent) {
      expect(s.headers['authorization']).toBe('Bearer ghp_test');
      expect(s.headers['x-github-api-version']).toBe('2022-11-28');
    }
    expect(r.unavailable).toEqual([]);
    expect(r.results.get('npm:chalk@5.6.1')!.map((a) => [a.id, a.kind, a.source])).toEqual([['GHSA-2v46-p5h4-248w', 'malicious', 'github']]);
    expect(r.results.get('npm:ua-parser-js@1.0.0')!.map((a) => [a.id, a.aliases, a.affected])).toEqual([
      ['GHSA-pjwm-rvh2-c87w', ['CVE-2021-4229'], ['>= 1.0.0, < 1.0.1']],
    ]);
    expect(r.results.get('npm:lodash@4.17.20')!.map((a) => [a.id, a.kind, a.severity])).toEqual([['GHSA-35jh-r3h4-6jhm', 'vulnerability', 'high']]);
    expect(r.results.get('npm:lodash@4.17.21')).toEqual([]);
    expect(r.results.get('npm:left-pad@1.3.0')).toEqual([]);
  });

  it('asks Python packages under the pip ecosystem, by normalised name', async () => {
    const r = await client().lookup([q('Requests', '2.30.0', 'pypi')], {});
    expect(r.results.get('pypi:requests@2.30.0')!.map((a) => a.id)).toEqual(['GHSA-j8r2-6x86-q33q']);
  });

  it('splits the packages so that every URL stays under 8 KB: 300 packages in a few requests', async () => {
    const before = advisoryRequests().length;
    const queries = Array.from({ length: 300 }, (_, i) => q(`some-longer-package-name-${i}`, '1.0.0'));
    await client().lookup(queries, {}, { vulnerabilities: false });
    const sent = advisoryRequests().slice(before);
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.length).toBeLessThanOrEqual(3);
    // the affects list as sent: each name@version percent-encoded, joined by commas
    for (const s of sent) expect((s.query['affects'] as string).split(',').map(encodeURIComponent).join(',').length).toBeLessThan(8000);
  });

  it('follows Link rel="next" pages', async () => {
    gh.advisories.pageSize = 1;
    const before = advisoryRequests().length;
    const r = await client().lookup([q('chalk', '5.6.1'), q('debug', '4.4.2'), q('nx', '20.9.0')], {}, { vulnerabilities: false });
    expect(advisoryRequests().length - before).toBe(3);
    expect([...r.results.values()].map((l) => l.length)).toEqual([1, 1, 1]);
  });

  it('stops at a rate limit and reports the source unavailable, without waiting', async () => {
    gh.failNext('GET', /^\/advisories/, 403, { headers: { 'x-ratelimit-remaining': '0', 'retry-after': '3600' } });
    const started = Date.now();
    const r = await client().lookup([q('chalk', '5.6.1')], {});
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r.unavailable).toEqual([{ source: 'github', reason: 'rate limited by GitHub (403)', packages: 1 }]);
    gh.failNext('GET', /^\/advisories/, 429, { headers: { 'retry-after': '60' } });
    expect((await client().lookup([q('chalk', '5.6.1')], {})).unavailable[0]!.reason).toBe('rate limited by GitHub (429)');
  });

  it('is simply not configured without a token: no request, no note', async () => {
    const before = advisoryRequests().length;
    const r = await client(null).lookup([q('chalk', '5.6.1')], {});
    expect(advisoryRequests().length).toBe(before);
    expect(r.unavailable).toEqual([]);
  });

  it('names a token that could not be obtained as unavailable (the App lacked that knowledge)', async () => {
    const c = new Advisories({
      github: {
        apiUrl: gh.url,
        token: async () => {
          throw new Error('installation suspended');
        },
      },
    });
    const r = await c.lookup([q('chalk', '5.6.1')], {});
    expect(r.unavailable).toEqual([{ source: 'github', reason: expect.stringMatching(/^no GitHub token/), packages: 1 }]);
  });
});
