/**
 * Issue 10 item 6: a pull request with more changed entries than a spread push can take (RangeError:
 * maximum call stack size exceeded) used to complete the check `neutral` ("error while reviewing"),
 * with a critical dropper in the same PR. The diff must take any number of entries, and an internal
 * error must fail the check.
 */
import { failureOutput } from '../../src/github/review-job.js';
import { defaultConfig, parseConfig } from '../../src/policy/index.js';
import { lockfile, pullRequestEvent, scenarioNow, setUpPull, startHarness, type Harness } from '../github/harness.js';

const ENTRIES = 150_000;
let h: Harness | undefined;

afterEach(async () => {
  if (h) {
    await h.close();
    h.fake.assertClean();
    h = undefined;
  }
});

/** The demo scenario's base lockfile plus `n` filler packages the head drops (removals need no registry). */
function bigBase(n: number): string {
  const doc = JSON.parse(lockfile('demo', 'base')) as { packages: Record<string, unknown> };
  for (let i = 0; i < n; i++) doc.packages[`node_modules/filler-${i}`] = { version: '1.0.0' };
  return JSON.stringify(doc);
}

it(`a PR with ${ENTRIES} changed entries and a critical dropper fails the check`, async () => {
  h = await startHarness({ now: scenarioNow('demo') });
  const pr = setUpPull(h, { 'package-lock.json': bigBase(ENTRIES) }, { 'package-lock.json': lockfile('demo', 'head') });
  await h.deliver('pull_request', pullRequestEvent('opened', { number: pr.number, base: pr.base, head: pr.head }));
  await h.idle();
  const run = h.fake.checkRuns.find((r) => r.head_sha === pr.head && r.name === 'lockwarden')!;
  expect(run.status).toBe('completed');
  expect(run.conclusion).toBe('failure');
  expect(run.output.title).toMatch(/risky packages? needs? review/);
  expect(run.output.annotations.some((a) => a.title?.startsWith('plain-crypto-js'))).toBe(true);
}, 60_000);

describe('an internal error fails the check; infrastructure trouble follows `incomplete`', () => {
  const config = defaultConfig();
  it('a RangeError, a TypeError or any other bug: failure, with the reason', () => {
    for (const e of [new RangeError('Maximum call stack size exceeded'), new TypeError("Cannot read properties of undefined (reading 'x')"), new Error('boom')]) {
      const out = failureOutput(e, 'reviewing', config, false);
      expect(out.conclusion).toBe('failure');
      expect(out.output.title).toContain(e.message.slice(0, 30));
    }
  });
  it('a GitHub API error or a network error: config.incomplete', () => {
    const http = Object.assign(new Error('Server Error'), { name: 'HttpError', status: 502 });
    const net = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    for (const e of [http, net]) {
      expect(failureOutput(e, 'listing the changed files', config, false).conclusion).toBe('neutral');
      expect(failureOutput(e, 'listing the changed files', parseConfig('incomplete: failure\n'), false).conclusion).toBe('failure');
    }
  });
  it('the review deadline: config.incomplete', () => {
    expect(failureOutput(new Error('aborted'), 'reading the lockfiles', config, true)).toMatchObject({ conclusion: 'neutral', output: { title: expect.stringMatching(/timed out/) } });
  });
});
