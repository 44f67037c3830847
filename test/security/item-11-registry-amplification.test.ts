/**
 * Issue 10 item 11: a 4 MB lockfile with 20,000 new names made 20,000 registry requests. The names
 * a review asks the registry about are capped (LOCKWARDEN_MAX_CHANGES / --max-changes); the rest are
 * not requested, and the check fails saying how many were not reviewed.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { startFixtureRegistry } from '../../test-support/fixture-registry.js';
import { lockfile, pullRequestEvent, scenarioNow, setUpPull, startHarness, type Harness } from '../github/harness.js';

const NAMES = 20_000;
const CAP = 150;
let h: Harness | undefined;

afterEach(async () => {
  if (h) {
    await h.close();
    h.fake.assertClean();
    h = undefined;
  }
});

/** The benign base lockfile plus `n` new packages; `direct` of them (the last by name) are direct dependencies. */
function flood(n: number, direct: number): string {
  const doc = JSON.parse(lockfile('benign', 'base')) as { packages: Record<string, { dependencies?: Record<string, string> } & Record<string, unknown>> };
  for (let i = 0; i < n; i++) {
    const name = `flood-${String(i).padStart(5, '0')}`;
    doc.packages[`node_modules/${name}`] = {
      version: '1.0.0',
      resolved: `http://127.0.0.1:9/${name}/-/${name}-1.0.0.tgz`,
      integrity: `sha512-${Buffer.from(name).toString('base64')}`,
    };
    if (i >= n - direct) doc.packages['']!.dependencies![name] = '1.0.0';
  }
  return JSON.stringify(doc, null, 2);
}

/** Packument requests the fixture registry saw (attestations live under /-/). */
const documentRequests = (paths: readonly { path: string }[]) =>
  paths.filter((r) => !r.path.startsWith('/-/') && !r.path.includes('/-/')).map((r) => decodeURIComponent(r.path.slice(1)));
/** The names whose archives (`/<name>/-/<file>.tgz`) were read, ahead of their documents or after. */
const archiveNames = (paths: readonly { path: string }[]) =>
  paths.filter((r) => !r.path.startsWith('/-/') && r.path.includes('/-/')).map((r) => decodeURIComponent(r.path.slice(1, r.path.indexOf('/-/'))));

it(`App: ${NAMES} new names make at most LOCKWARDEN_MAX_CHANGES registry requests, direct dependencies first, and the check fails`, async () => {
  h = await startHarness({ now: scenarioNow('benign'), app: { maxChanges: CAP } });
  const head = flood(NAMES, 3);
  expect(head.length).toBeGreaterThan(3_000_000);
  const pr = setUpPull(h, { 'package-lock.json': lockfile('benign', 'base') }, { 'package-lock.json': head });
  await h.deliver('pull_request', pullRequestEvent('opened', { number: pr.number, base: pr.base, head: pr.head }));
  await h.idle();
  const asked = documentRequests(h.registry.requests);
  expect(asked.length).toBeLessThanOrEqual(CAP);
  // archives are read for names within the cap only
  expect(archiveNames(h.registry.requests).filter((n) => !asked.includes(n))).toEqual([]);
  // the direct dependencies (the last names alphabetically) are among those asked about, then by name
  expect(asked).toEqual(expect.arrayContaining(['flood-19997', 'flood-19998', 'flood-19999', 'flood-00000']));
  expect(asked).not.toContain(`flood-${String(CAP + 10).padStart(5, '0')}`);
  const run = h.fake.checkRuns.find((r) => r.head_sha === pr.head && r.name === 'lockwarden')!;
  // the check's own words when it is not a failure (the reason is in the title)
  expect(`${run.conclusion}: ${run.output.title}`).toMatch(/^failure: /);
  const notReviewed = NAMES + 0 - CAP; // the benign base has nothing else new
  expect(`${run.output.title}\n${run.output.summary ?? ''}`).toMatch(
    new RegExp(`${notReviewed.toLocaleString('en-US').replace(',', ',?')}[^\\n]*not reviewed`),
  );
  // readable: one line says it, not 20,000
  expect((run.output.summary ?? '').split('\n').filter((l) => /flood-\d+/.test(l) && /not reviewed|over the cap/.test(l)).length).toBeLessThan(5);
}, 60_000);

it(`CLI: --max-changes caps the registry requests and the review fails`, async () => {
  const registry = await startFixtureRegistry();
  try {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-amplify-'));
    await writeFile(path.join(dir, 'base.json'), lockfile('benign', 'base'));
    await writeFile(path.join(dir, 'package-lock.json'), flood(NAMES, 0));
    let stdout = '';
    const code = await main(
      ['review', 'base.json', 'package-lock.json', '--registry', registry.url, '--max-changes', String(CAP), '--format', 'json', '--quiet'],
      {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: () => true },
        env: { LOCKWARDEN_OSV_URL: 'off', HOME: '/nonexistent-home' },
        cwd: dir,
      },
    );
    const asked = documentRequests(registry.requests);
    expect(asked.length).toBeLessThanOrEqual(CAP);
    expect(archiveNames(registry.requests).filter((n) => !asked.includes(n))).toEqual([]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { conclusion: string; incomplete: { name: string; reason: string; failClosed?: boolean }[] };
    expect(report.conclusion).toBe('failure');
    const over = report.incomplete.filter((i) => i.failClosed);
    expect(over).toHaveLength(1);
    expect(over[0]!.reason).toMatch(new RegExp(`${NAMES - CAP}\\b.*not reviewed`));
  } finally {
    await registry.close();
  }
}, 60_000);
