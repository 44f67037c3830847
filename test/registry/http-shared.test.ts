/**
 * The pieces both registry clients build on the transport (src/registry/http.ts): request counting
 * with pass-through tuning, the per-review memo, in-flight sharing and ETag revalidation helpers.
 */
import { Inflight, conditionalFor, countingTransport, memoized, validatorsOf, type RequestCounters } from '../../src/registry/http.js';
import { startServer, type TestServer } from './server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('countingTransport', () => {
  it('counts every request, the document ones apart, and retries; hands the given tuning on', async () => {
    let calls = 0;
    const s = await startServer((_req, res) => {
      calls++;
      res.statusCode = calls === 1 ? 503 : 200;
      res.end('{}');
    });
    servers.push(s);
    const counters: RequestCounters = { requests: 0, packumentRequests: 0, retries: 0 };
    const seen: string[] = [];
    const http = countingTransport<'doc' | 'file'>(
      counters,
      (kind) => kind === 'doc',
      { authHeaderFor: () => undefined },
      {
        retries: 1,
        backoffMs: 1,
        userAgent: 'counting-test',
        onRequest: (info) => seen.push(`${info.kind} ${info.status}`),
      },
    );
    const read = async (kind: 'doc' | 'file') => http.withRetries({ kind, name: 'x', url: s.url, headers: {} }, async () => 'read');
    expect(await read('doc')).toEqual({ type: 'ok', value: 'read' });
    expect(await read('file')).toEqual({ type: 'ok', value: 'read' });
    expect(counters).toEqual({ requests: 3, packumentRequests: 2, retries: 1 });
    expect(seen).toEqual(['doc 503', 'doc 200', 'file 200']);
    expect(s.requests.map((r) => r.headers['user-agent'])).toEqual(['counting-test', 'counting-test', 'counting-test']);
  });

  it('keeps the transport default where the tuning leaves a setting out (undefined is not a setting)', async () => {
    let calls = 0;
    const s = await startServer((_req, res) => {
      calls++;
      res.statusCode = calls < 3 ? 503 : 200;
      res.end();
    });
    servers.push(s);
    const counters: RequestCounters = { requests: 0, packumentRequests: 0, retries: 0 };
    const http = countingTransport<'doc'>(counters, () => true, { authHeaderFor: () => undefined }, { retries: undefined, backoffMs: 1 });
    // the default of 3 retries gets past two 503s
    expect((await http.withRetries({ kind: 'doc', name: 'x', url: s.url, headers: {} }, async () => 'read')).type).toBe('ok');
    expect(counters.retries).toBe(2);
  });
});

describe('memoized and Inflight', () => {
  it('memoized: one start per key, later calls counted as hits and given the same promise', async () => {
    const memo = new Map<string, Promise<number>>();
    let starts = 0;
    let hits = 0;
    const start = async () => ++starts;
    const a = memoized(memo, 'k', start, () => hits++);
    const b = memoized(memo, 'k', start, () => hits++);
    const c = memoized(memo, 'other', start, () => hits++);
    expect(a).toBe(b);
    expect(await Promise.all([a, b, c])).toEqual([1, 1, 2]);
    // kept after settling: a review asks once per name
    expect(memoized(memo, 'k', start, () => hits++)).toBe(a);
    expect([starts, hits]).toEqual([2, 2]);
  });

  it('Inflight: concurrent callers share one run; once settled (even rejected) the key starts afresh', async () => {
    let hits = 0;
    const inflight = new Inflight(() => hits++);
    let starts = 0;
    let fail = true;
    const start = async () => {
      starts++;
      await new Promise((r) => setTimeout(r, 5));
      if (fail) throw new Error('boom');
      return starts;
    };
    const a = inflight.run('k', start);
    const b = inflight.run('k', start);
    expect(b).toBe(a);
    await expect(a).rejects.toThrow('boom');
    fail = false;
    expect(await inflight.run('k', start)).toBe(2);
    expect([starts, hits]).toEqual([2, 1]);
  });
});

describe('ETag revalidation helpers', () => {
  it('conditionalFor: only the validators a cached document has; none without any', () => {
    expect(conditionalFor(undefined)).toBeUndefined();
    expect(conditionalFor({})).toBeUndefined();
    expect(conditionalFor({ etag: '' })).toBeUndefined();
    expect(conditionalFor({ etag: '"v1"' })).toEqual({ etag: '"v1"' });
    expect(conditionalFor({ lastModified: 'Tue, 01 Jul 2025 00:00:00 GMT' })).toEqual({ lastModified: 'Tue, 01 Jul 2025 00:00:00 GMT' });
    const cached = { etag: '"v1"', lastModified: 'x', bytes: 10 };
    expect(conditionalFor(cached)).toEqual({ etag: '"v1"', lastModified: 'x' });
  });

  it('validatorsOf: the ETag and Last-Modified a response carries', () => {
    expect(validatorsOf(new Response(null, { headers: { etag: '"a"', 'last-modified': 'Mon' } }))).toEqual({ etag: '"a"', lastModified: 'Mon' });
    expect(validatorsOf(new Response(null, { headers: { etag: '"a"' } }))).toEqual({ etag: '"a"' });
    expect(validatorsOf(new Response(null))).toEqual({});
  });
});
