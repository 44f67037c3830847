/**
 * A push that arrives while a `/lockwarden allow` review waits in the queue replaces that review; the
 * approval must still be recorded (the reviewer was already told it was accepted).
 */
import { STICKY_MARKER } from '../../src/github/comment.js';
import { PendingApprovals } from '../../src/github/pending-approvals.js';
import { ReviewQueue } from '../../src/github/queue.js';
import { FULL, pullRequestEvent, scenarioNow, startHarness, type Harness } from './harness.js';
import { commentEvent, openPull, prComments, runsFor, scenarioFiles } from '../security/approvals-helpers.js';

const NOW = scenarioNow('eslint-scope');
let h: Harness;

afterEach(async () => {
  await h.close();
  h.fake.assertClean();
});

it('an approval whose review was replaced by a newer push is recorded by the newer review', async () => {
  const queue = new ReviewQueue(1);
  h = await startHarness({ now: NOW, app: { queue } });
  const pr = await openPull(h, scenarioFiles('eslint-scope', 'base'), scenarioFiles('eslint-scope', 'head'));
  expect(runsFor(h, pr.head)[0]!.conclusion).toBe('failure');
  h.fake.setPermission(FULL, 'alice', 'write');

  // hold the only worker so that the allow command's review stays pending
  let release!: () => void;
  queue.enqueue('blocker', () => new Promise<void>((r) => (release = r)));
  await h.deliver('issue_comment', commentEvent('/lockwarden allow eslint-scope@3.7.2 checked the postinstall', 'alice'));
  const sha = h.fake.commit(FULL, scenarioFiles('eslint-scope', 'head'), { branch: 'feature', parent: pr.head });
  h.fake.addPullRequest(FULL, { number: pr.number, baseRef: 'main', baseSha: pr.base, headRef: 'feature', headSha: sha });
  await h.deliver('pull_request', pullRequestEvent('synchronize', { number: pr.number, base: pr.base, head: sha }));
  release();
  await h.idle();

  expect(runsFor(h, sha).at(-1)!.conclusion).toBe('success');
  expect(prComments(h).find((c) => c.body.includes(STICKY_MARKER))!.body).toMatch(/Accepted by reviewers/);
});

describe('PendingApprovals', () => {
  const a = (v: string) => ({ package: 'p', version: v, reason: 'r', by: 'u', at: '2026-01-01T00:00:00Z' });

  it('keeps approvals until the review that carried them has written them, later ones stay', () => {
    const pending = new PendingApprovals();
    pending.add('k', a('1.0.0'));
    const carried = pending.get('k');
    pending.add('k', a('2.0.0'));
    pending.recorded('k', carried);
    expect(pending.get('k').map((x) => x.version)).toEqual(['2.0.0']);
    pending.recorded('k', pending.get('k'));
    expect(pending.get('k')).toEqual([]);
  });

  it('replaces an approval of the same version and stays bounded per pull request', () => {
    const pending = new PendingApprovals();
    for (let i = 0; i < 15; i++) pending.add('k', a(`1.0.${i}`));
    pending.add('k', a('1.0.14'));
    expect(pending.get('k')).toHaveLength(10);
    expect(pending.get('k').at(-1)!.version).toBe('1.0.14');
  });
});
