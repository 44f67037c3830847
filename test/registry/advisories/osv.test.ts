/** The OSV client against the fixture OSV service (request shapes validated there): batching, paging, retries, cache, re-checks. */
import type { AdvisoryQuery } from '../../../src/model/index.js';
import { Advisories } from '../../../src/registry/advisories/index.js';
import { fixtureRecords } from '../../../test-support/advisory-records.js';
import { startFixtureOsv, type FixtureOsv } from '../../../test-support/fixture-osv.js';

let osv: FixtureOsv;
beforeEach(async () => {
  osv = await startFixtureOsv();
});
afterEach(async () => {
  expect(osv.errors).toEqual([]);
  await osv.close();
});

const q = (name: string, version: string, ecosystem: 'npm' | 'pypi' = 'npm'): AdvisoryQuery => ({ ecosystem, name, version });
const client = (extra: Partial<ConstructorParameters<typeof Advisories>[0]> = {}) => new Advisories({ osvUrl: osv.url, tuning: { backoffMs: 1 }, ...extra });
const batches = () => osv.requests.filter((r) => r.path === '/v1/querybatch');
const vulnReads = (id?: string) => osv.requests.filter((r) => r.path.startsWith('/v1/vulns/') && (id === undefined || r.path.endsWith(id)));

describe('OSV querybatch', () => {
  it('asks 2500 versions in 3 POSTs of at most 1000, and finds the malicious ones', async () => {
    const queries = Array.from({ length: 2497 }, (_, i) => q(`pkg-${i}`, '1.0.0'));
    queries.push(q('chalk', '5.6.1'), q('debug', '4.4.2'), q('nx', '21.5.0'));
    const r = await client().lookup(queries, {});
    expect(batches().map((b) => b.queries)).toEqual([1000, 1000, 500]);
    expect(r.unavailable).toEqual([]);
    expect(r.results.size).toBe(2500);
    expect(r.results.get('npm:chalk@5.6.1')!.map((a) => [a.id, a.kind])).toEqual([['MAL-2025-46969', 'malicious']]);
    expect(r.results.get('npm:nx@21.5.0')!.map((a) => a.aliases)).toEqual([['GHSA-cxm3-wv7p-598c', 'CVE-2025-10894']]);
    expect(r.results.get('npm:pkg-7@1.0.0')).toEqual([]);
  });

  it('reads each record once per review, however many versions name it', async () => {
    const r = await client().lookup([q('event-stream', '3.3.6'), q('flatmap-stream', '0.1.1')], {});
    expect(vulnReads('GHSA-mh6f-8j2x-4483')).toHaveLength(1);
    expect(r.results.get('npm:event-stream@3.3.6')!.map((a) => a.id)).toEqual(['GHSA-mh6f-8j2x-4483']);
    expect(
      r.results
        .get('npm:flatmap-stream@0.1.1')!
        .map((a) => a.id)
        .sort(),
    ).toEqual(['GHSA-mh6f-8j2x-4483', 'MAL-2025-20690']);
  });

  it('follows next_page_token per query', async () => {
    osv.pageSize = 1;
    const r = await client().lookup([q('flatmap-stream', '0.1.1'), q('chalk', '5.6.1')], {});
    expect(batches().map((b) => b.queries)).toEqual([2, 1]);
    expect(r.results.get('npm:flatmap-stream@0.1.1')).toHaveLength(2);
  });

  it('retries a 429 after its Retry-After, then answers', async () => {
    osv.failNext('/v1/querybatch', 429, { headers: { 'retry-after': '1' } });
    const started = Date.now();
    const r = await client().lookup([q('ua-parser-js', '0.7.29')], {});
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(batches()).toHaveLength(2);
    expect(r.unavailable).toEqual([]);
    expect(r.results.get('npm:ua-parser-js@0.7.29')!.map((a) => [a.id, a.kind])).toEqual([['GHSA-pjwm-rvh2-c87w', 'malicious']]);
  });

  it('lists a service answering 503 as unavailable, without throwing', async () => {
    osv.failNext('/v1/querybatch', 503, { times: 10 });
    const r = await client().lookup([q('chalk', '5.6.1'), q('debug', '4.4.2')], {});
    expect(r.unavailable).toEqual([{ source: 'osv', reason: expect.stringMatching(/503/), packages: 2 }]);
    expect(r.results.get('npm:chalk@5.6.1')).toEqual([]);
  });

  it('treats an unparsable answer as unavailable', async () => {
    osv.failNext('/v1/querybatch', 200, { body: '{"results": "nope"}' });
    const r = await client().lookup([q('chalk', '5.6.1')], {});
    expect(r.unavailable).toEqual([{ source: 'osv', reason: expect.stringMatching(/unreadable answer/), packages: 1 }]);
  });

  it('drops records that do not cover the version asked, or name another package', async () => {
    // the fixture lists every record with ranges for a name, whatever the version: the client re-checks
    const r1 = await client().lookup([q('lodash', '4.17.21'), q('lodash', '4.17.20')], {});
    expect(r1.results.get('npm:lodash@4.17.21')).toEqual([]);
    expect(r1.results.get('npm:lodash@4.17.20')!.map((a) => [a.id, a.kind, a.severity])).toEqual([['GHSA-35jh-r3h4-6jhm', 'vulnerability', 'high']]);
    expect(r1.dropped).toEqual([{ source: 'osv', count: 1 }]);
    // a service answering with another package's record for chalk's id
    const debug = fixtureRecords().find((x) => x.record.id === 'MAL-2025-46974')!.record;
    osv.failNext('/v1/vulns/MAL-2025-46969', 200, { body: JSON.stringify({ ...debug, id: 'MAL-2025-46969' }) });
    const r2 = await client().lookup([q('chalk', '5.6.1')], {});
    expect(r2.results.get('npm:chalk@5.6.1')).toEqual([]);
    expect(r2.dropped).toEqual([{ source: 'osv', count: 1 }]);
  });

  it('drops a listed record the service then does not have (404), and one whose id differs from the one asked', async () => {
    osv.failNext('/v1/vulns/MAL-2025-46969', 404);
    const r = await client().lookup([q('chalk', '5.6.1')], {});
    expect(r.results.get('npm:chalk@5.6.1')).toEqual([]);
    expect(r.dropped).toEqual([{ source: 'osv', count: 1 }]);
    const other = fixtureRecords().find((x) => x.record.id === 'MAL-2025-46974')!.record;
    osv.failNext('/v1/vulns/MAL-2025-46969', 200, { body: JSON.stringify(other) });
    const r2 = await client().lookup([q('chalk', '5.6.1')], {});
    expect(r2.results.get('npm:chalk@5.6.1')).toEqual([]);
    expect(r2.dropped).toEqual([{ source: 'osv', count: 1 }]);
  });

  it('matches PyPI names normalised and versions by PEP 440', async () => {
    const r = await client().lookup([q('Requests', '2.30.0', 'pypi'), q('requests', '2.31.0', 'pypi')], {});
    expect(r.results.get('pypi:requests@2.30.0')!.map((a) => [a.id, a.aliases, a.severity])).toEqual([['GHSA-j8r2-6x86-q33q', ['CVE-2023-32681'], 'moderate']]);
    expect(r.results.get('pypi:requests@2.31.0')).toEqual([]);
  });
});

describe('the advisory cache', () => {
  it('answers a repeated review from the cache within the TTL: no request, hit ratio measured', async () => {
    let now = 1_000_000;
    const c = client({ ttlMs: 60_000, now: () => now });
    const queries = Array.from({ length: 300 }, (_, i) => q(`pkg-${i}`, '1.0.0'));
    queries.push(q('chalk', '5.6.1'));
    await c.lookup(queries, {});
    const first = osv.requests.length;
    expect(first).toBe(2); // one querybatch, one record
    const before = c.stats();
    const again = await c.lookup(queries, {});
    expect(osv.requests.length).toBe(first);
    expect(again.results.get('npm:chalk@5.6.1')!.map((a) => a.id)).toEqual(['MAL-2025-46969']);
    const after = c.stats();
    const hits = after.cacheHits - before.cacheHits;
    const misses = after.cacheMisses - before.cacheMisses;
    expect(hits / (hits + misses)).toBe(1);
    // past the TTL the service is asked again
    now += 61_000;
    await c.lookup(queries, {});
    expect(osv.requests.length).toBeGreaterThan(first);
  });

  it('does not cache an unavailable answer', async () => {
    const c = client();
    osv.failNext('/v1/querybatch', 503, { times: 3 }); // the first attempt and both retries
    expect((await c.lookup([q('chalk', '5.6.1')], {})).unavailable).toHaveLength(1);
    const r = await c.lookup([q('chalk', '5.6.1')], {});
    expect(r.results.get('npm:chalk@5.6.1')!.map((a) => a.id)).toEqual(['MAL-2025-46969']);
  });
});
