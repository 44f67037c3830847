/**
 * Deadlines and cancellation in the transport and the npm client: one deadline per read across its
 * attempts, abortable waits (limiter slot, backoff, Retry-After), and in-flight reads shared across
 * reviews that stop only when no review waits for them any more.
 */
import { HttpTransport, type HttpTransportOptions } from '../../src/registry/http.js';
import { createNpmRegistryClient, createNpmRegistryConfig } from '../../src/registry/index.js';
import { startSlowloris, type SlowServer } from '../security/slowloris.js';
import { startServer, type TestServer } from './server.js';

const servers: (TestServer | SlowServer)[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function failing(status: number, headers: Record<string, string> = {}): Promise<TestServer> {
  const s = await startServer((_req, res) => {
    res.writeHead(status, headers);
    res.end();
  });
  servers.push(s);
  return s;
}

async function slowloris(): Promise<SlowServer> {
  const s = await startSlowloris(200);
  servers.push(s);
  return s;
}

const transport = (opts: Partial<HttpTransportOptions<'doc'>>) => new HttpTransport<'doc'>({ authHeaderFor: () => undefined, ...opts });
const get = (http: HttpTransport<'doc'>, url: string, signal?: AbortSignal) =>
  http.withRetries({ kind: 'doc', name: 'x', url, headers: {} }, async (_res, readBody) => readBody(1 << 20, () => {}), signal);
const closed = async (s: SlowServer) => {
  for (let i = 0; i < 40 && s.requests.some((r) => r.closedAt === undefined); i++) await new Promise((r) => setTimeout(r, 25));
  return s.requests.every((r) => r.closedAt !== undefined);
};

describe('one deadline per read', () => {
  it('no retry starts when the backoff would end past the deadline', async () => {
    const s = await failing(503);
    const started = Date.now();
    const out = await get(transport({ retries: 10, backoffMs: 400, deadlineMs: 500 }), s.url);
    expect(out).toMatchObject({ type: 'fail', reason: expect.stringMatching(/503.*no time left before the 1 s deadline/) });
    expect(s.requests.length).toBeLessThanOrEqual(2);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a Retry-After past the deadline gives up at once', async () => {
    const s = await failing(429, { 'retry-after': '3' });
    const started = Date.now();
    const out = await get(transport({ retries: 3, deadlineMs: 2000 }), s.url);
    expect(out).toMatchObject({ type: 'fail', reason: expect.stringMatching(/429.*deadline/) });
    expect(s.requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('a slow body (a byte every 200 ms) is cut at the deadline, not at the idle timeout times four', async () => {
    const s = await slowloris();
    const started = Date.now();
    const out = await get(transport({ timeoutMs: 5000, retries: 3, deadlineMs: 800 }), s.url);
    expect(out).toMatchObject({ type: 'fail', reason: expect.stringMatching(/timed out/) });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(s.requests).toHaveLength(1);
    expect(await closed(s)).toBe(true);
  });
});

describe("the caller's signal", () => {
  it('cuts a backoff wait at once', async () => {
    const s = await failing(503);
    const started = Date.now();
    const out = await get(transport({ retries: 3, backoffMs: 5000, deadlineMs: 60_000 }), s.url, AbortSignal.timeout(150));
    expect(out).toEqual({ type: 'fail', reason: expect.stringMatching(/^timed out: the review deadline passed/) });
    expect(s.requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('cuts a read waiting for a limiter slot without ever sending it', async () => {
    const s = await slowloris();
    const http = transport({ concurrency: 1, timeoutMs: 30_000 });
    const first = new AbortController();
    const holding = get(http, s.url, first.signal);
    await s.waitForRequests(1);
    const queued = new AbortController();
    const waiting = get(http, `${s.url}other`, queued.signal);
    queued.abort(new Error('superseded'));
    expect(await waiting).toEqual({ type: 'fail', reason: 'cancelled' });
    expect(s.requests).toHaveLength(1);
    first.abort(new Error('superseded'));
    expect(await holding).toEqual({ type: 'fail', reason: 'cancelled' });
    expect(await closed(s)).toBe(true);
  });
});

describe('reads shared across reviews', () => {
  it('one review cut does not cut another waiting for the same read; the last one closes it', async () => {
    const s = await slowloris();
    const client = createNpmRegistryClient({ config: createNpmRegistryConfig({ registry: s.url }), timeoutMs: 30_000 });
    const a = new AbortController();
    const b = new AbortController();
    const readA = client.review().getPackument('shared', { signal: a.signal });
    const readB = client.review().getPackument('shared', { signal: b.signal });
    await s.waitForRequests(1);
    a.abort(new Error('superseded'));
    expect(await readA).toEqual({ ok: false, reason: 'cancelled' });
    await new Promise((r) => setTimeout(r, 100));
    expect(s.requests[0]!.closedAt).toBeUndefined();
    b.abort(new DOMException('the review deadline', 'TimeoutError'));
    expect(await readB).toMatchObject({ ok: false, reason: expect.stringMatching(/^timed out: the review deadline/) });
    expect(await closed(s)).toBe(true);
    expect(s.requests).toHaveLength(1);
    // a later review starts afresh instead of joining the cut read
    const c = new AbortController();
    const readC = client.review().getPackument('shared', { signal: c.signal });
    await s.waitForRequests(2);
    c.abort(new Error('done'));
    await readC;
  });
});
