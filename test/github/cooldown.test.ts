/**
 * The cooldown in the App, end to end through Probot, the fake GitHub and the fixture registry
 * (127.0.0.1): a pull request bringing semver 7.7.3 two hours after its release gets a neutral check
 * "Waiting for 1 package to age"; once it clears, the App re-runs the check by itself (the timer is in
 * the state directory, so it survives a restart); a newer push or a closed pull request drops it.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Probot } from 'probot';
import { lockwardenApp } from '../../src/github/app.js';
import { COOLDOWN_FILE } from '../../src/github/cooldown-store.js';
import type { CooldownTimers } from '../../src/github/cooldown-timers.js';
import { memoryJournal } from '../../src/github/journal.js';
import type { ReviewQueue } from '../../src/github/queue.js';
import { createNpmRegistryClient, resolveNpmConfig } from '../../src/registry/index.js';
import {
  FULL,
  SIGNING_SECRET,
  appKey,
  pullRequestEvent,
  quietLogger,
  root,
  scenarioFiles,
  setUpPull,
  startHarness,
  testProbot,
  type Harness,
} from './harness.js';

/** semver 7.7.3 was published 2025-10-06T16:30:27.791Z: two hours later it is held for 48 hours. */
const HELD_AT = new Date('2025-10-06T18:30:00Z');
const CLEARS_AT = '2025-10-08T16:30:27.791Z';
const TITLE = 'Waiting for 1 package to age: clears at 2025-10-08 16:31 UTC';
/** After the clear time and the default one-minute slack. */
const AFTER = new Date('2025-10-08T16:32:00Z');

let h: Harness;
let clock: () => Date;
let timers: CooldownTimers;
let stateDir: string;
let logLines: string[];

async function start(now: () => Date, slackMs?: number) {
  clock = now;
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'lw-cooldown-'));
  logLines = [];
  h = await startHarness({
    now: HELD_AT,
    logLines,
    app: { now: () => clock(), stateDir, onCooldownTimers: (t) => (timers = t), ...(slackMs !== undefined ? { cooldownSlackMs: slackMs } : {}) },
  });
}

afterEach(async () => {
  timers?.stop();
  await h.close();
  h.fake.assertClean();
});

const runsFor = (sha: string) => h.fake.checkRuns.filter((r) => r.head_sha === sha && r.name === 'lockwarden');
const stored = async () => JSON.parse(await readFile(path.join(stateDir, COOLDOWN_FILE), 'utf8')) as Record<string, unknown>[];

async function openHeldPull() {
  const pr = setUpPull(h, scenarioFiles('benign', 'base'), scenarioFiles('benign', 'head'));
  await h.deliver('pull_request', pullRequestEvent('opened', pr));
  await h.idle();
  return pr;
}

function push(pr: { base: string; head: string; number: number }, extra: Record<string, string>) {
  const sha = h.fake.commit(FULL, { ...scenarioFiles('benign', 'base'), ...scenarioFiles('benign', 'head'), ...extra }, { branch: 'feature', parent: pr.head });
  h.fake.addPullRequest(FULL, { number: pr.number, baseRef: 'main', baseSha: pr.base, headRef: 'feature', headSha: sha });
  return sha;
}

describe('the App: a cooldown that clears itself', () => {
  it('holds the check (neutral, titled with the clear time) and re-runs it by itself once the release has aged', async () => {
    await start(() => HELD_AT);
    const pr = await openHeldPull();
    const [held] = runsFor(pr.head);
    expect(held!.conclusion).toBe('neutral');
    expect(held!.output.title).toBe(TITLE);
    expect(held!.output.summary).toMatch(/`semver` `7\.7\.3` .*clears at 2025-10-08 16:31 UTC; or pin `7\.7\.2`/);
    expect(await stored()).toEqual([
      { installationId: expect.any(Number), owner: 'acme', repo: 'webapp', pullNumber: 7, headSha: pr.head, clearsAt: CLEARS_AT },
    ]);

    // not yet: nothing fires
    clock = () => new Date('2025-10-08T16:00:00Z');
    expect(await timers.fireDue()).toBe(0);
    expect(runsFor(pr.head)).toHaveLength(1);

    clock = () => AFTER;
    expect(await timers.fireDue()).toBe(1);
    await h.idle();
    const runs = runsFor(pr.head);
    expect(runs).toHaveLength(2);
    expect(runs[1]!.conclusion).toBe('success');
    expect(runs[1]!.output.title).toMatch(/^No risky dependency changes/);
    expect(await stored()).toEqual([]);
  });

  it('a newer push before the clear time drops the timer of the old head (no re-run for it)', async () => {
    await start(() => HELD_AT);
    const pr = await openHeldPull();
    const newer = push(pr, { 'README.md': 'a newer push\n' });
    await h.deliver('pull_request', pullRequestEvent('synchronize', { number: pr.number, base: pr.base, head: newer }));
    await h.idle();
    expect((await stored()).map((e) => e['headSha'])).toEqual([newer]);

    clock = () => AFTER;
    expect(await timers.fireDue()).toBe(1);
    await h.idle();
    expect(runsFor(pr.head)).toHaveLength(1);
    expect(runsFor(newer).map((r) => r.conclusion)).toEqual(['neutral', 'success']);
  });

  it('a push whose webhook never came: the timer re-reads the pull request and drops the stale head', async () => {
    await start(() => HELD_AT);
    const pr = await openHeldPull();
    const newer = push(pr, { 'README.md': 'pushed while the App was away\n' });
    clock = () => AFTER;
    expect(await timers.fireDue()).toBe(1);
    await h.idle();
    expect(runsFor(pr.head)).toHaveLength(1);
    expect(runsFor(newer)).toHaveLength(0);
    expect(await stored()).toEqual([]);
    expect(logLines.some((l) => l.includes('cooldown timer dropped: the pull request has a newer head or is closed'))).toBe(true);
  });

  it('a closed pull request drops its timer', async () => {
    await start(() => HELD_AT);
    const pr = await openHeldPull();
    await h.deliver('pull_request', pullRequestEvent('closed', pr));
    await h.idle();
    expect(await stored()).toEqual([]);
    clock = () => AFTER;
    expect(await timers.fireDue()).toBe(0);
  });

  it('a review of the held head without a hold (the package allowed) removes the timer', async () => {
    await start(() => HELD_AT);
    const pr = await openHeldPull();
    const config = 'allow:\n  - package: semver\n    signals: [release-too-new]\n    reason: read the diff\n';
    h.fake.commit(FULL, { ...scenarioFiles('benign', 'base'), '.github/lockwarden.yml': config }, { branch: 'main', parent: pr.base });
    await h.deliver('pull_request', pullRequestEvent('reopened', pr));
    await h.idle();
    expect(runsFor(pr.head).map((r) => r.conclusion)).toEqual(['neutral', 'success']);
    expect(await stored()).toEqual([]);
  });

  it('a real timer fires by itself at the clear time (plus the slack), no test hook involved', async () => {
    // the App's clock runs in real time from 4 s before the release clears
    const origin = Date.parse(CLEARS_AT) - 4000;
    const started = Date.now();
    await start(() => new Date(origin + (Date.now() - started)), 200);
    const pr = await openHeldPull();
    expect(runsFor(pr.head)[0]!.conclusion).toBe('neutral');
    expect(timers.armed).toBe(1);
    const deadline = Date.now() + 15_000;
    while (runsFor(pr.head).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await h.idle();
    const dueAt = started + (Date.parse(CLEARS_AT) + 200 - origin);
    process.stderr.write(`cooldown real timer: re-run completed ${Date.now() - dueAt} ms after it was due\n`);
    expect(runsFor(pr.head).map((r) => r.conclusion)).toEqual(['neutral', 'success']);
  }, 30_000);
});

describe('the App: the cooldown timer survives a restart', () => {
  async function restartApp(now: () => Date, slackMs?: number): Promise<{ probot: Probot; queue: ReviewQueue; timers: CooldownTimers }> {
    const probot = testProbot(h.fake.url, 'test-secret', quietLogger(), appKey());
    const npmConfig = await resolveNpmConfig({ cwd: root, registry: h.registry.url, env: {}, homedir: '/nonexistent' });
    let queue!: ReviewQueue;
    let second!: CooldownTimers;
    await probot.load(
      lockwardenApp({
        registry: createNpmRegistryClient({ config: npmConfig, retries: 0, timeoutMs: 2000 }),
        journal: memoryJournal(),
        signingSecret: SIGNING_SECRET,
        now,
        stateDir,
        onReady: (q) => (queue = q),
        onCooldownTimers: (t) => (second = t),
        advisories: null,
        ...(slackMs !== undefined ? { cooldownSlackMs: slackMs } : {}),
      }),
      { cwd: root, addHandler: () => {} },
    );
    return { probot, queue, timers: second };
  }

  it('a new App instance on the same state directory re-arms the timer and re-runs the check when it clears', async () => {
    await start(() => HELD_AT);
    const pr = await openHeldPull();
    timers.stop(); // the first process goes away

    const t0 = performance.now();
    const next = await restartApp(() => clock());
    expect(next.timers.armed).toBe(1);
    clock = () => AFTER;
    expect(await next.timers.fireDue()).toBe(1);
    await next.queue.idle();
    const ms = performance.now() - t0;
    process.stderr.write(`cooldown restart → re-run completed in ${ms.toFixed(0)} ms\n`);
    expect(runsFor(pr.head).map((r) => r.conclusion)).toEqual(['neutral', 'success']);
    expect(await stored()).toEqual([]);
    next.timers.stop();
  });

  it('after a restart past the clear time, the overdue timer fires at once on its own', async () => {
    await start(() => HELD_AT);
    const pr = await openHeldPull();
    timers.stop();
    const next = await restartApp(() => AFTER);
    const deadline = Date.now() + 15_000;
    while (runsFor(pr.head).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await next.queue.idle();
    expect(runsFor(pr.head).map((r) => r.conclusion)).toEqual(['neutral', 'success']);
    next.timers.stop();
  }, 30_000);
});
