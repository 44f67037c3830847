/**
 * Issue 10 item 6: a pull request with more changed entries than a spread push can take (RangeError:
 * maximum call stack size exceeded) used to complete the check `neutral` ("error while reviewing"),
 * with a critical dropper in the same PR. A lockfile over the package cap is refused (failure, with
 * its line); the engine takes any number of changes without spreading them; an internal error fails.
 */
import { diffInputs } from '../../src/core/review.js';
import { failureOutput } from '../../src/github/review-job.js';
import { MAX_PACKAGES } from '../../src/lockfiles/shared/limits.js';
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

/** The demo scenario's head lockfile plus `n` filler packages it adds (more than a spread push can take). */
function bigHead(n: number): { text: string; fillerLine: number } {
  const doc = JSON.parse(lockfile('demo', 'head')) as { packages: Record<string, unknown> };
  for (let i = 0; i < n; i++) doc.packages[`node_modules/filler-${i}`] = { version: '1.0.0' };
  const text = JSON.stringify(doc, null, 2);
  // the entry over the cap: the (MAX_PACKAGES + 1)-th package entry's key line
  const lines = text.split('\n');
  const firstFiller = lines.findIndex((l) => l.includes('"node_modules/filler-0"'));
  // package entries before the fillers (the root entry "" is the project, not a package)
  const packagesBefore = lines.slice(0, firstFiller).filter((l) => /^ {4}"[^"]+": \{$/.test(l)).length;
  const over = MAX_PACKAGES + 1 - packagesBefore; // 1-based index among the fillers
  return { text, fillerLine: lines.findIndex((l) => l.includes(`"node_modules/filler-${over - 1}"`)) + 1 };
}

it(`a PR adding ${ENTRIES} entries next to a critical dropper fails the check (refused at the package cap, with its line)`, async () => {
  h = await startHarness({ now: scenarioNow('demo') });
  const { text, fillerLine } = bigHead(ENTRIES);
  const pr = setUpPull(h, { 'package-lock.json': lockfile('demo', 'base') }, { 'package-lock.json': text });
  await h.deliver('pull_request', pullRequestEvent('opened', { number: pr.number, base: pr.base, head: pr.head }));
  await h.idle();
  const run = h.fake.checkRuns.find((r) => r.head_sha === pr.head && r.name === 'lockwarden')!;
  expect(run.status).toBe('completed');
  expect(run.conclusion).toBe('failure');
  expect(run.output.title).toBe(`Cannot read package-lock.json (line ${fillerLine})`);
  expect(run.output.summary).toMatch(/more than 50,000 packages/);
  expect(run.output.annotations[0]).toMatchObject({ path: 'package-lock.json', start_line: fillerLine, annotation_level: 'failure' });
}, 60_000);

it(`the diff and the engine take more changes than a spread push can (${ENTRIES} across lockfiles)`, () => {
  // 4 lockfiles under the cap each: the engine gathers their changes without spreading them into a call
  const inputs = [0, 1, 2, 3].map((k) => {
    const doc = {
      name: 'x',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: { '': { name: 'x', version: '1.0.0' } } as Record<string, unknown>,
    };
    for (let i = 0; i < ENTRIES / 4; i++) doc.packages[`node_modules/f${k}-${i}`] = { version: '1.0.0' };
    return { file: `p${k}/package-lock.json`, base: null, head: JSON.stringify(doc) };
  });
  expect(diffInputs(inputs)).toHaveLength(ENTRIES);
});

describe('an internal error fails the check; infrastructure trouble follows `incomplete`', () => {
  const config = defaultConfig();
  it('a RangeError, a TypeError or any other bug: failure, with the reason', () => {
    for (const e of [
      new RangeError('Maximum call stack size exceeded'),
      new TypeError("Cannot read properties of undefined (reading 'x')"),
      new Error('boom'),
    ]) {
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
    expect(failureOutput(new Error('aborted'), 'reading the lockfiles', config, true)).toMatchObject({
      conclusion: 'neutral',
      output: { title: expect.stringMatching(/timed out/) },
    });
  });
});
