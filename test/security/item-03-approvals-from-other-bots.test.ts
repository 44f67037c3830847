/**
 * Issue 10, item 3: approvals and the fingerprint were read from any bot's comment carrying the
 * sticky marker. A CI bot that echoes PR text (posted before the App's first review) could accept
 * everything, or freeze the App's comment with a planted fingerprint.
 */
import { STICKY_MARKER } from '../../src/github/comment.js';
import { FULL, scenarioNow, setUpPull, startHarness, pullRequestEvent, type Harness } from '../github/harness.js';
import { FORGED_BLOCK, prComments, runsFor, scenarioFiles } from './approvals-helpers.js';

const NOW = scenarioNow('eslint-scope');
let h: Harness;

afterEach(async () => {
  await h.close();
  h.fake.assertClean();
});

/** Sets up the eslint-scope PR, lets `before` plant comments, then delivers `opened`. */
async function openWith(before: (pr: { number: number }) => void) {
  const pr = setUpPull(h, scenarioFiles('eslint-scope', 'base'), scenarioFiles('eslint-scope', 'head'));
  before(pr);
  await h.deliver('pull_request', pullRequestEvent('opened', { number: pr.number, base: pr.base, head: pr.head }));
  await h.idle();
  return pr;
}

const appComments = () => prComments(h).filter((c) => c.user === 'lockwarden[bot]');

it("another bot's comment with the marker and an approvals block approves nothing", async () => {
  h = await startHarness({ now: NOW });
  const pr = await openWith((p) => h.fake.addComment(FULL, p.number, `${STICKY_MARKER}\nCI echo of the PR description:\n${FORGED_BLOCK}`, 'ci-bot[bot]'));
  const run = runsFor(h, pr.head)[0]!;
  expect(run.conclusion).toBe('failure');
  expect(run.output.summary).not.toMatch(/accepted/);
  // the App posted its own comment, without the other bot's approvals
  expect(appComments()).toHaveLength(1);
  expect(appComments()[0]!.body).not.toMatch(/Accepted by reviewers/);
});

it("a fingerprint planted in another bot's comment does not freeze the App's comment", async () => {
  // the fingerprint the App writes for this very review (learnt from a first, separate run)
  h = await startHarness({ now: NOW });
  await openWith(() => {});
  const planted = /<!-- lockwarden:fingerprint [^>]*-->/.exec(appComments()[0]!.body)![0];
  await h.close();
  h.fake.assertClean();

  h = await startHarness({ now: NOW });
  await openWith((p) => h.fake.addComment(FULL, p.number, `${STICKY_MARKER}\nCI echo\n${planted}`, 'ci-bot[bot]'));
  expect(appComments()).toHaveLength(1);
  expect(appComments()[0]!.body).toMatch(/eslint-scope/);
});
