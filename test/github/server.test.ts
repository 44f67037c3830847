/**
 * Through the real HTTP server: signed webhooks over HTTP, bad signatures refused, redeliveries ignored,
 * and the health endpoint.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { startAppServer, type AppServer } from '../../src/github/server.js';
import { lockwardenApp } from '../../src/github/app.js';
import { memoryJournal } from '../../src/github/journal.js';
import type { ReviewQueue } from '../../src/github/queue.js';
import { startFakeGitHub, type FakeGitHub } from '../../test-support/fake-github.js';
import { startFixtureRegistry } from '../../test-support/fixture-registry.js';
import { createNpmRegistryClient, resolveNpmConfig } from '../../src/registry/index.js';
import { INSTALLATION_ID, OWNER, pullRequestEvent, root, scenarioFiles, scenarioNow, setUpPull, testProbot } from './harness.js';

const SECRET = 'e2e-secret';
let fake: FakeGitHub;
let registry: Awaited<ReturnType<typeof startFixtureRegistry>>;
let server: AppServer;
let queue: ReviewQueue;
let port: number;
let base: string;
let head: string;

beforeAll(async () => {
  fake = await startFakeGitHub();
  registry = await startFixtureRegistry();
  fake.addInstallation(INSTALLATION_ID, OWNER);
  ({ base, head } = setUpPull({ fake }, scenarioFiles('demo', 'base'), scenarioFiles('demo', 'head')));
  const probot = testProbot(fake.url, SECRET);
  server = await startAppServer({
    probot,
    secret: SECRET,
    host: '127.0.0.1',
    port: 0,
    appFn: lockwardenApp({
      registry: createNpmRegistryClient({ config: await resolveNpmConfig({ cwd: root, registry: registry.url, env: {}, homedir: '/nonexistent' }) }),
      journal: memoryJournal(),
      signingSecret: SECRET,
      now: () => scenarioNow('demo'),
      onReady: (q) => (queue = q),
      advisories: null,
    }),
  });
  port = server.port;
});

afterAll(async () => {
  await queue?.idle();
  await server?.close();
  await fake?.close();
  await registry?.close();
});

afterEach(() => fake.assertClean());

function post(body: string, opts: { delivery?: string; signature?: string; event?: string } = {}) {
  return fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': opts.event ?? 'pull_request',
      'x-github-delivery': opts.delivery ?? randomUUID(),
      'x-hub-signature-256': opts.signature ?? `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    },
    body,
  });
}

describe('the App over HTTP', () => {
  it('refuses a webhook with a bad signature and processes nothing', async () => {
    const body = JSON.stringify(pullRequestEvent('opened', { number: 7, base, head }));
    const res = await post(body, { signature: `sha256=${createHmac('sha256', 'wrong').update(body).digest('hex')}` });
    expect(res.status).toBe(401);
    const unsigned = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': 'x' },
      body,
    });
    expect(unsigned.status).toBe(401);
    await queue.idle();
    expect(fake.requests).toHaveLength(0);
    expect(fake.checkRuns).toHaveLength(0);
  });

  it('a signed webhook is answered at once, then the check run is created and completed and one comment posted', async () => {
    const body = JSON.stringify(pullRequestEvent('opened', { number: 7, base, head }));
    const res = await post(body, { delivery: 'delivery-e2e-1' });
    expect(res.status).toBe(200);
    await queue.idle();
    const runs = fake.checkRuns.filter((r) => r.head_sha === head);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'completed', conclusion: 'failure', name: 'lockwarden' });
    expect(fake.comments.filter((c) => c.issue === 7)).toHaveLength(1);
  });

  it('a redelivered webhook (same delivery id) posts no duplicate comment and no second check run', async () => {
    const body = JSON.stringify(pullRequestEvent('opened', { number: 7, base, head }));
    const res = await post(body, { delivery: 'delivery-e2e-1' });
    expect(res.status).toBe(200);
    await queue.idle();
    expect(fake.checkRuns.filter((r) => r.head_sha === head)).toHaveLength(1);
    expect(fake.comments.filter((c) => c.issue === 7)).toHaveLength(1);
  });

  it('refuses an oversized body without reading it all', async () => {
    const res = await post('x'.repeat(26 * 1024 * 1024)).catch(() => null);
    // a 413 answer, or the connection closed by the server before the client finished sending: never processed
    if (res !== null) expect(res.status).toBe(413);
    await queue.idle();
    expect(fake.checkRuns.filter((r) => r.head_sha === head)).toHaveLength(1);
  });

  it('serves /healthz', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });
});
