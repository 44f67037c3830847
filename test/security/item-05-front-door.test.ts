/**
 * Issue 10, item 5: no spelling of the webhook path gets past the front door. The real server
 * (startAppServer) on 127.0.0.1 receives a 300 MB body with a wrong signature on every variant of
 * the webhook path, on other paths and with other methods: each is answered at once with 401, 404,
 * 405 or 413 while the process's RSS stays bounded; a signed webhook on a variant is reviewed only
 * after the same size guard as the exact path.
 */
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import { startAppServer, type AppServer } from '../../src/github/server.js';
import { lockwardenApp } from '../../src/github/app.js';
import { memoryJournal } from '../../src/github/journal.js';
import type { ReviewQueue } from '../../src/github/queue.js';
import { startFakeGitHub, type FakeGitHub } from '../../test-support/fake-github.js';
import { startFixtureRegistry } from '../../test-support/fixture-registry.js';
import { createNpmRegistryClient, resolveNpmConfig } from '../../src/registry/index.js';
import { INSTALLATION_ID, OWNER, pullRequestEvent, root, scenarioFiles, scenarioNow, setUpPull, testProbot } from '../github/harness.js';

const SECRET = 'front-door-secret';
const MB = 1024 * 1024;
const TOTAL = 300 * MB;
/** Growth of the process's RSS above its level before the request that counts as unbounded reading. */
const MAX_GROWTH = 150 * MB;
const CHUNK = Buffer.alloc(MB, 0x20);

let fake: FakeGitHub;
let registry: Awaited<ReturnType<typeof startFixtureRegistry>>;
let server: AppServer;
let queue: ReviewQueue;
let received = 0;
let base: string;
let head: string;
let peakRss = 0;

beforeAll(async () => {
  fake = await startFakeGitHub();
  registry = await startFixtureRegistry();
  fake.addInstallation(INSTALLATION_ID, OWNER);
  ({ base, head } = setUpPull({ fake }, scenarioFiles('demo', 'base'), scenarioFiles('demo', 'head')));
  const probot = testProbot(fake.url, SECRET);
  const npm = createNpmRegistryClient({ config: await resolveNpmConfig({ cwd: root, registry: registry.url, env: {}, homedir: '/nonexistent' }) });
  server = await startAppServer({
    probot,
    secret: SECRET,
    host: '127.0.0.1',
    port: 0,
    appFn: async (app, options) => {
      // every payload Probot accepts passes through here: counts what reached it
      app.onAny(() => void received++);
      await app.load(
        lockwardenApp({
          registry: npm,
          signingSecret: SECRET,
          journal: memoryJournal(),
          now: () => scenarioNow('demo'),
          onReady: (q) => (queue = q),
          advisories: null,
        }),
        options,
      );
    },
  });
});

afterAll(async () => {
  await queue?.idle();
  await server?.close();
  await fake?.close();
  await registry?.close();
  process.stdout.write(
    `item 5: peak RSS of the test process (server and client): ${Math.round(peakRss / MB)} MB; maxRSS ${Math.round((process.resourceUsage().maxRSS * 1024) / MB)} MB\n`,
  );
});

interface Sent {
  status: number | null;
  ms: number;
  sentMb: number;
  growthMb: number;
}

/**
 * Streams `total` bytes (1 MB chunks, one reused buffer, so the client holds no body) until the server
 * answers, closes, or the process's RSS grows past MAX_GROWTH (then gives up: the server is reading it all).
 */
function send(
  method: string,
  path: string,
  opts: { total?: number; body?: Buffer; chunked?: boolean; headers?: Record<string, string | undefined> } = {},
): Promise<Sent> {
  const total = opts.body?.length ?? opts.total ?? TOTAL;
  const headers: Record<string, string | undefined> = {
    'content-type': 'application/json',
    'x-github-event': 'pull_request',
    'x-github-delivery': randomUUID(),
    'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
    ...(opts.chunked ? {} : { 'content-length': String(total) }),
    ...opts.headers,
  };
  for (const k of Object.keys(headers)) if (headers[k] === undefined) delete headers[k];
  return new Promise((resolve) => {
    const before = process.memoryUsage().rss;
    let peak = before;
    const t0 = performance.now();
    let status: number | null = null;
    let sent = 0;
    let finished = false;
    const sample = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
      if (peak - before > MAX_GROWTH) finish();
    }, 10);
    const req = http.request({ host: '127.0.0.1', port: server.port, method, path, headers: headers as Record<string, string>, agent: false });
    function finish(): void {
      if (finished) return;
      finished = true;
      clearInterval(sample);
      peak = Math.max(peak, process.memoryUsage().rss);
      peakRss = Math.max(peakRss, peak);
      req.destroy();
      resolve({ status, ms: Math.round(performance.now() - t0), sentMb: Math.round(sent / MB), growthMb: Math.round((peak - before) / MB) });
    }
    req.on('response', (res) => {
      status = res.statusCode ?? null;
      res.resume();
      res.on('end', finish);
      res.on('error', finish);
    });
    req.on('error', finish);
    req.on('close', () => setTimeout(finish, 50));
    const pump = (): void => {
      while (!finished && status === null && sent < total) {
        const n = Math.min(CHUNK.length, total - sent);
        const chunk = opts.body ? opts.body.subarray(sent, sent + n) : n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n);
        sent += n;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (sent >= total) req.end();
    };
    pump();
  });
}

const signed = (body: string) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;

const WEBHOOK_VARIANTS = [
  '/api/github/webhooks',
  '/api/github/webhooks/',
  '/api/github/webhooks//',
  '//api/github/webhooks',
  '/api//github///webhooks',
  '/api/github/webhooks?x=1',
  '/api/github/webhooks/?x=1',
  '/api/github/./webhooks',
  '/api/github/webhooks/.',
  '/api/github/x/../webhooks',
  '/api/github/%77ebhooks',
  '/api/github/webhooks%2F',
  '/api/github%2Fwebhooks',
  '/api/github/%2e/webhooks',
  '/api\\github\\webhooks',
];

describe('item 5: the front door on every spelling of the webhook path', () => {
  it.each(WEBHOOK_VARIANTS)('POST %s with 300 MB and a wrong signature: 413 at once, RSS bounded, nothing processed', async (path) => {
    for (const chunked of [false, true]) {
      const r = await send('POST', path, { chunked });
      expect({ path, chunked, status: r.status }).toEqual({ path, chunked, status: 413 });
      expect(r.growthMb).toBeLessThan(MAX_GROWTH / MB);
      expect(r.ms).toBeLessThan(10_000);
      expect(r.sentMb).toBeLessThan(100);
    }
    expect(received).toBe(0);
  });

  it.each(WEBHOOK_VARIANTS)('POST %s with a small body and a wrong or no signature: 401, nothing processed', async (path) => {
    const body = JSON.stringify(pullRequestEvent('opened', { number: 7, base, head }));
    const wrong = await send('POST', path, { body: Buffer.from(body), headers: { 'x-hub-signature-256': signed(`${body} `) } });
    expect({ path, status: wrong.status }).toEqual({ path, status: 401 });
    const none = await send('POST', path, { body: Buffer.from(body), headers: { 'x-hub-signature-256': undefined } });
    expect({ path, status: none.status }).toEqual({ path, status: 401 });
    await queue.idle();
    expect(received).toBe(0);
    expect(fake.checkRuns).toHaveLength(0);
  });

  it.each([
    ['GET', '/api/github/webhooks', 405],
    ['PUT', '/api/github/webhooks', 405],
    ['PATCH', '/api/github/webhooks/', 405],
    ['DELETE', '//api/github/webhooks?x', 405],
    ['POST', '/', 404],
    ['POST', '/api/github/webhooks2', 404],
    ['POST', '/api/github', 404],
    ['POST', '/api/github/webhooks/..', 404],
    ['POST', '/api/github/%2577ebhooks', 404],
    ['PUT', '/other/path', 404],
    ['POST', '/healthz', 405],
  ])('%s %s with 300 MB: %i before the body is read', async (method, path, expected) => {
    const r = await send(method, path);
    expect({ method, path, status: r.status }).toEqual({ method, path, status: expected });
    expect(r.growthMb).toBeLessThan(MAX_GROWTH / MB);
    expect(r.sentMb).toBeLessThan(100);
    expect(received).toBe(0);
  });

  it('GET /healthz (also with a trailing slash or a query) still answers', async () => {
    for (const path of ['/healthz', '/healthz/', '/healthz?probe=1']) {
      const res = await fetch(`http://127.0.0.1:${server.port}${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(await res.json()).toMatchObject({ status: 'ok' });
    }
  });

  it('a validly signed 26 MB webhook on the slash path is refused with 413, as on the exact path', async () => {
    // a real pull_request event padded with whitespace: valid JSON, validly signed, over the limit
    const event = JSON.stringify(pullRequestEvent('opened', { number: 7, base, head }));
    const body = event + ' '.repeat(26 * MB - event.length);
    for (const path of ['/api/github/webhooks', '/api/github/webhooks/']) {
      const r = await send('POST', path, { body: Buffer.from(body), chunked: true, headers: { 'x-hub-signature-256': signed(body) } });
      expect({ path, status: r.status }).toEqual({ path, status: 413 });
    }
    await queue.idle();
    expect(received).toBe(0);
    expect(fake.checkRuns).toHaveLength(0);
  });

  it('a validly signed webhook on a variant of the path is reviewed like one on the exact path', async () => {
    const body = JSON.stringify(pullRequestEvent('opened', { number: 7, base, head }));
    const res = await fetch(`http://127.0.0.1:${server.port}/api/github/webhooks/?via=proxy`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': signed(body) },
      body,
    });
    expect(res.status).toBe(200);
    await queue.idle();
    expect(received).toBe(1);
    expect(fake.checkRuns.filter((r) => r.head_sha === head)).toHaveLength(1);
  });
});
