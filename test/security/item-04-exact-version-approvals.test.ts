/**
 * Issue 10, item 4: "exact version" approvals accepted ranges. `/lockwarden allow dropper@x` (or
 * `@1.x`) by a writer covered every version, including one pushed later; an exact approval must
 * cover exactly that version string and nothing else.
 */
import { STICKY_MARKER } from '../../src/github/comment.js';
import { FULL, scenarioNow, startHarness, type Harness } from '../github/harness.js';
import { commentEvent, openPull, prComments, push, runsFor, scenarioFiles } from './approvals-helpers.js';

const NOW = scenarioNow('eslint-scope');
let h: Harness;

afterEach(async () => {
  await h.close();
  h.fake.assertClean();
});

async function pullWithWriter() {
  h = await startHarness({ now: NOW });
  const pr = await openPull(h, scenarioFiles('eslint-scope', 'base'), scenarioFiles('eslint-scope', 'head'));
  expect(runsFor(h, pr.head)[0]!.conclusion).toBe('failure');
  h.fake.setPermission(FULL, 'alice', 'write');
  return pr;
}

it.each(['x', '3.x', '1.x', '^1', '^3', '*', '>=1', '~3.7.2'])('`/lockwarden allow eslint-scope@%s` is refused with a clear reply', async (range) => {
  const pr = await pullWithWriter();
  await h.deliver('issue_comment', commentEvent(`/lockwarden allow eslint-scope@${range} reviewed the whole line`, 'alice'));
  await h.idle();
  const runs = runsFor(h, pr.head);
  expect(runs.at(-1)!.conclusion).toBe('failure');
  const reply = prComments(h).find((c) => !c.body.includes(STICKY_MARKER));
  expect(reply?.body).toMatch(/exact version/);
  expect(prComments(h).find((c) => c.body.includes(STICKY_MARKER))!.body).not.toMatch(/Accepted by reviewers/);
});

it('an approval of 3.7.2 does not cover another version pushed later (3.7.2+build metadata)', async () => {
  const pr = await pullWithWriter();
  await h.deliver('issue_comment', commentEvent('/lockwarden allow eslint-scope@3.7.2 checked the postinstall', 'alice'));
  await h.idle();
  expect(runsFor(h, pr.head).at(-1)!.conclusion).toBe('success');

  const files = scenarioFiles('eslint-scope', 'head');
  const other = files['package-lock.json']!.replace(/"version": "3\.7\.2"/, '"version": "3.7.2+evil"').replace(
    '"eslint-scope": "3.7.2"',
    '"eslint-scope": "3.7.2+evil"',
  );
  expect(other).toContain('3.7.2+evil');
  const sha = await push(h, pr, { ...files, 'package-lock.json': other });
  expect(runsFor(h, sha)[0]!.conclusion).toBe('failure');
  // the approval itself survives the push
  expect(prComments(h).find((c) => c.body.includes(STICKY_MARKER))!.body).toMatch(/Accepted by reviewers/);
});
