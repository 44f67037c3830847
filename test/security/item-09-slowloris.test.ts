/**
 * Issue 10 item 9: a slowloris registry (one byte every second, forever) held a review for minutes:
 * every attempt ran to its own cap, four times, and the App's review timeout never reached the
 * registry reads. One deadline per review now cuts every read, a superseding push aborts them at once,
 * and the check always completes by the deadline with the cut packages listed as incomplete.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { createNpmRegistryClient, resolveNpmConfig } from '../../src/registry/index.js';
import { FULL, lockfile, pullRequestEvent, root, scenarioNow, setUpPull, startHarness, type Harness } from '../github/harness.js';
import { startSlowloris, type SlowServer } from './slowloris.js';

let slow: SlowServer;
let h: Harness | undefined;

beforeEach(async () => {
  slow = await startSlowloris(1000);
});
afterEach(async () => {
  if (h) {
    await h.close();
    h.fake.assertClean();
    h = undefined;
  }
  await slow.close();
});

const ex = (side: 'base' | 'head') => path.join(root, 'examples', 'demo', side, 'package-lock.json');

/** The App's registry client with the transport's production defaults (30 s idle timeout, 3 retries), reading the slow server. */
async function slowClient() {
  return createNpmRegistryClient({ config: await resolveNpmConfig({ cwd: root, registry: slow.url, env: {}, homedir: '/nonexistent' }) });
}

it('CLI: --timeout ends the review at the deadline and lists the packages as timed out', async () => {
  let stdout = '';
  const started = Date.now();
  const code = await main(['review', ex('base'), ex('head'), '--registry', slow.url, '--timeout', '2', '--format', 'json', '--quiet'], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: () => true },
    env: { LOCKWARDEN_OSV_URL: 'off', HOME: '/nonexistent-home' },
    cwd: root,
  });
  const elapsed = Date.now() - started;
  expect(elapsed).toBeLessThan(2000 + 1500);
  const report = JSON.parse(stdout) as { conclusion: string; incomplete: { name: string; reason: string }[] };
  expect(report.incomplete.map((i) => i.name)).toEqual(expect.arrayContaining(['axios', 'plain-crypto-js']));
  for (const i of report.incomplete) expect(i.reason).toMatch(/timed out/);
  // the lockfile-derived findings still count: the demo's head adds nothing critical offline, so neutral
  expect(report.conclusion).toBe('neutral');
  expect(code).toBe(0);
  // every read the server saw was closed by the client
  await new Promise((r) => setTimeout(r, 100));
  expect(slow.requests.every((r) => r.closedAt !== undefined)).toBe(true);
}, 20_000);

it('CLI: a finding at failOn still fails a review the deadline cut short', async () => {
  // an upgrade whose lockfile entry now declares an install script: a lockfile-derived high finding
  const head = JSON.parse(lockfile('demo', 'head')) as { packages: Record<string, Record<string, unknown>> };
  Object.assign(head.packages['node_modules/picocolors']!, { version: '1.1.9', hasInstallScript: true });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-slow-'));
  await writeFile(path.join(dir, 'package-lock.json'), JSON.stringify(head, null, 2));
  let stdout = '';
  const started = Date.now();
  const code = await main(['review', ex('base'), 'package-lock.json', '--registry', slow.url, '--timeout', '1', '--format', 'json', '--quiet'], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: () => true },
    env: { LOCKWARDEN_OSV_URL: 'off', HOME: '/nonexistent-home' },
    cwd: dir,
  });
  expect(Date.now() - started).toBeLessThan(1000 + 1500);
  const report = JSON.parse(stdout) as {
    conclusion: string;
    incomplete: { name: string; reason: string }[];
    changes: { name: string; severity: string | null }[];
  };
  expect(report.incomplete.map((i) => i.name)).toEqual(expect.arrayContaining(['axios', 'plain-crypto-js']));
  for (const i of report.incomplete) expect(i.reason).toMatch(/timed out/);
  expect(report.changes.find((c) => c.name === 'picocolors')?.severity).toBe('high');
  expect(report.conclusion).toBe('failure');
  expect(code).toBe(1);
}, 20_000);

it('App: with a small timeout the check completes by the deadline, the packages listed as timed out', async () => {
  h = await startHarness({ now: scenarioNow('demo'), registry: await slowClient(), app: { timeoutMs: 2000 } });
  const pr = setUpPull(h, { 'package-lock.json': lockfile('demo', 'base') }, { 'package-lock.json': lockfile('demo', 'head') });
  const started = Date.now();
  await h.deliver('pull_request', pullRequestEvent('opened', { number: pr.number, base: pr.base, head: pr.head }));
  await h.idle();
  expect(Date.now() - started).toBeLessThan(2000 + 2500);
  const run = h.fake.checkRuns.find((r) => r.head_sha === pr.head && r.name === 'lockwarden')!;
  expect(run.status).toBe('completed');
  expect(run.conclusion).toBe('neutral');
  expect(run.output.summary).toMatch(/axios.*timed out/);
  await new Promise((r) => setTimeout(r, 100));
  expect(slow.requests.length).toBeGreaterThan(0);
  expect(slow.requests.every((r) => r.closedAt !== undefined)).toBe(true);
}, 20_000);

it('App: a superseding push aborts the in-flight registry read at once', async () => {
  h = await startHarness({ now: scenarioNow('demo'), registry: await slowClient(), app: { timeoutMs: 60_000 } });
  const pr = setUpPull(h, { 'package-lock.json': lockfile('demo', 'base') }, { 'package-lock.json': lockfile('demo', 'head') });
  await h.deliver('pull_request', pullRequestEvent('opened', { number: pr.number, base: pr.base, head: pr.head }));
  await slow.waitForRequests(1);
  const inFlight = [...slow.requests];
  // a newer push: same lockfiles, a README change
  const newer = h.fake.commit(FULL, { 'package-lock.json': lockfile('demo', 'head'), 'README.md': 'newer' }, { branch: 'feature', parent: pr.head });
  h.fake.addPullRequest(FULL, { number: pr.number, baseRef: 'main', baseSha: pr.base, headRef: 'feature', headSha: newer });
  const pushed = Date.now();
  await h.deliver('pull_request', pullRequestEvent('synchronize', { number: pr.number, base: pr.base, head: newer }));
  // the first job's reads are closed within a second (the transport's own cap would be 120 s)
  for (let i = 0; i < 20 && inFlight.some((r) => r.closedAt === undefined); i++) await new Promise((r) => setTimeout(r, 50));
  for (const r of inFlight) {
    expect(r.closedAt).toBeDefined();
    expect(r.closedAt! - pushed).toBeLessThan(1000);
  }
  const first = h.fake.checkRuns.find((r) => r.head_sha === pr.head && r.name === 'lockwarden')!;
  for (let i = 0; i < 20 && first.status !== 'completed'; i++) await new Promise((r) => setTimeout(r, 50));
  expect(first).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
  // let the newer review end quickly: close the slow server's connections
  await slow.close();
}, 20_000);

it('CLI: --timeout and --max-changes are documented in --help and validated', async () => {
  const run = async (args: string[]) => {
    let out = '';
    let err = '';
    const code = await main(args, {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      env: { LOCKWARDEN_OSV_URL: 'off', HOME: '/nonexistent-home' },
      cwd: root,
    });
    return { code, out, err };
  };
  const help = await run(['--help']);
  expect(help.out).toMatch(/--timeout <seconds>[^\n]*\(default 300\)/);
  expect(help.out).toMatch(/--max-changes <n>[^\n]*\(default 5000\)/);
  for (const bad of [['--timeout', '0'], ['--timeout', 'soon'], ['--max-changes', '0'], ['--max-changes=-5']]) {
    const r = await run(['review', ex('base'), ex('head'), '--offline', ...bad]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/must be a whole number/);
  }
});
