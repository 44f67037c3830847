/**
 * Test harness for the App: the real Probot app against the fake GitHub (every request validated
 * against GitHub's OpenAPI description) and the bundled fixture registry, both on 127.0.0.1.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Probot, ProbotOctokit } from 'probot';
import pino from 'pino';
import { lockwardenApp, type LockwardenAppOptions } from '../../src/github/app.js';
import { memoryJournal, type Journal } from '../../src/github/journal.js';
import type { ReviewQueue } from '../../src/github/queue.js';
import { startFakeGitHub, type FakeGitHub } from '../../test-support/fake-github.js';
import { startFixtureRegistry } from '../../test-support/fixture-registry.js';
import { createNpmRegistryClient, createPypiIndexClient, createPypiIndexConfig, resolveNpmConfig, type RegistryClient } from '../../src/registry/index.js';
import { startFixtureIndex } from '../../test-support/fixture-index.js';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
export const lockfile = (scenario: string, side: 'base' | 'head') => readFileSync(path.join(root, 'examples', scenario, side, 'package-lock.json'), 'utf8');
export const packageJson = (scenario: string, side: 'base' | 'head') => readFileSync(path.join(root, 'examples', scenario, side, 'package.json'), 'utf8');
/** A scenario's package.json and package-lock.json, as repository files. */
export function scenarioFiles(scenario: string, side: 'base' | 'head'): Record<string, string> {
  return { 'package.json': packageJson(scenario, side), 'package-lock.json': lockfile(scenario, side) };
}
export const scenarioNow = (scenario: string) => new Date(JSON.parse(readFileSync(path.join(root, 'examples', scenario, 'scenario.json'), 'utf8')).now);

const require_ = createRequire(import.meta.url);
type Example = { name: string; examples: Record<string, unknown>[] };
const EXAMPLES: Example[] = require_('@octokit/webhooks-examples');

/** A payload from @octokit/webhooks-examples (deep-copied), to be adapted to the test's repository. */
export function example(event: string, action: string, pick: (p: Record<string, any>) => boolean = () => true): Record<string, any> {
  const ex = EXAMPLES.find((e) => e.name === event)?.examples.find((p) => p['action'] === action && pick(p as Record<string, any>));
  if (!ex) throw new Error(`no ${event}.${action} example`);
  return structuredClone(ex) as Record<string, any>;
}

export const INSTALLATION_ID = 4242;
/** The server secret the harness's App seals approvals with. */
export const SIGNING_SECRET = 'harness-signing-secret-0123456789abcdef';
export const OWNER = 'acme';
export const REPO = 'webapp';
export const FULL = `${OWNER}/${REPO}`;

export function adaptRepository(p: Record<string, any>): void {
  p['repository'] = {
    ...p['repository'],
    name: REPO,
    full_name: FULL,
    owner: { ...p['repository'].owner, login: OWNER, type: 'Organization' },
    default_branch: 'main',
  };
  p['installation'] = { id: INSTALLATION_ID, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==' };
}

export interface Harness {
  fake: FakeGitHub;
  registry: Awaited<ReturnType<typeof startFixtureRegistry>>;
  /** The fixture Python package index (started for every harness). */
  index: Awaited<ReturnType<typeof startFixtureIndex>>;
  probot: Probot;
  queue: ReviewQueue;
  journal: Journal;
  privateKey: string;
  /** Delivers a webhook through Probot's receive (signature checks are the e2e test's business). */
  deliver(name: string, payload: Record<string, any>, id?: string): Promise<void>;
  /** Waits until every queued review has finished. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

let key: string | undefined;
/** The App's private key (RSA 2048 takes a while to generate: once per test file). */
export function appKey(): string {
  key ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
  return key;
}

export function quietLogger(lines?: string[]) {
  return pino({ level: 'info' }, { write: (s: string) => void lines?.push(s) });
}

export interface HarnessOptions {
  now: Date;
  journal?: Journal;
  failRegistry?: Map<string, number | 'timeout'>;
  logLines?: string[];
  /** Another npm registry client than the one reading the fixture registry (e.g. a slow server's). */
  registry?: RegistryClient;
  /** More App options (timeoutMs, maxChanges). */
  app?: Partial<LockwardenAppOptions>;
}

/**
 * Node's fetch, tried again (twice at most) only when no response came at all: the App and the fake
 * GitHub share one event loop here, and on a loaded machine a long review can stall a connect past
 * undici's 10 s. Production Probot retries those too; HTTP errors (the tests' injected 5xx) never are.
 */
const patientFetch: typeof fetch = async (input, init) => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(input, init);
    } catch (e) {
      if (attempt >= 3 || init?.signal?.aborted) throw e;
    }
  }
};

/** A Probot talking to the fake GitHub at `baseUrl`, without retries of HTTP errors or throttling (tests fail fast). */
export function testProbot(baseUrl: string, secret: string, log: ReturnType<typeof quietLogger> = quietLogger(), privateKey = appKey()): Probot {
  return new Probot({
    appId: 1,
    privateKey,
    secret,
    baseUrl,
    log,
    Octokit: ProbotOctokit.defaults((o: any) => ({
      ...o,
      request: { ...o.request, fetch: patientFetch },
      retry: { enabled: false },
      throttle: { ...o.throttle, enabled: false },
    })),
  });
}

export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const fake = await startFakeGitHub();
  const registry = await startFixtureRegistry(opts.failRegistry ? { failNames: opts.failRegistry } : {});
  const index = await startFixtureIndex();
  const privateKey = appKey();
  fake.addInstallation(INSTALLATION_ID, OWNER);
  const probot = testProbot(fake.url, 'test-secret', quietLogger(opts.logLines), privateKey);
  const npmConfig = await resolveNpmConfig({ cwd: root, registry: registry.url, env: {}, homedir: '/nonexistent' });
  const journal = opts.journal ?? memoryJournal();
  let queue!: ReviewQueue;
  await probot.load(
    lockwardenApp({
      registry: opts.registry ?? createNpmRegistryClient({ config: npmConfig, retries: 0, timeoutMs: 2000 }),
      pypi: createPypiIndexClient({ config: createPypiIndexConfig({ indexUrl: index.simpleUrl }), retries: 0, timeoutMs: 2000 }),
      journal,
      signingSecret: SIGNING_SECRET,
      now: () => opts.now,
      onReady: (q) => (queue = q),
      // no advisory source unless a test gives one (the public OSV service is never asked from tests)
      advisories: null,
      ...opts.app,
    }),
    { cwd: root, addHandler: () => {} },
  );
  return {
    fake,
    registry,
    index,
    probot,
    queue,
    journal,
    privateKey,
    deliver: (name, payload, id = randomUUID()) => probot.receive({ id, name, payload } as never),
    idle: () => queue.idle(),
    close: async () => {
      await queue.idle();
      await Promise.all([fake.close(), registry.close(), index.close()]);
    },
  };
}

/** Sets up acme/webapp with a base commit on main and a PR #number whose head commit has `headFiles`. */
export function setUpPull(
  h: Pick<Harness, 'fake'>,
  baseFiles: Record<string, string>,
  headFiles: Record<string, string>,
  opts: { number?: number; fork?: string; config?: string } = {},
) {
  h.fake.addRepo({ owner: OWNER, name: REPO, defaultBranch: 'main', ownerType: 'Organization' });
  const base = h.fake.commit(FULL, { ...baseFiles, ...(opts.config !== undefined ? { '.github/lockwarden.yml': opts.config } : {}) }, { branch: 'main' });
  const head = h.fake.commit(
    FULL,
    { ...baseFiles, ...(opts.config !== undefined ? { '.github/lockwarden.yml': opts.config } : {}), ...headFiles },
    { branch: 'feature', parent: base },
  );
  const number = opts.number ?? 7;
  h.fake.addPullRequest(FULL, { number, baseRef: 'main', baseSha: base, headRef: 'feature', headSha: head, ...(opts.fork ? { headRepo: opts.fork } : {}) });
  return { base, head, number };
}

/** A pull_request webhook (from the examples) for that PR. */
export function pullRequestEvent(action: string, pr: { number: number; base: string; head: string; fork?: string }): Record<string, any> {
  const p = example('pull_request', action);
  adaptRepository(p);
  p['number'] = pr.number;
  const headRepo = pr.fork
    ? { ...p['repository'], full_name: pr.fork, name: pr.fork.split('/')[1], owner: { ...p['repository'].owner, login: pr.fork.split('/')[0] }, fork: true }
    : p['repository'];
  p['pull_request'] = {
    ...p['pull_request'],
    number: pr.number,
    head: { ...p['pull_request'].head, sha: pr.head, ref: 'feature', repo: headRepo },
    base: { ...p['pull_request'].base, sha: pr.base, ref: 'main', repo: p['repository'] },
  };
  return p;
}
