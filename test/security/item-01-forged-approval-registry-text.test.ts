/**
 * Issue 10, item 1: a package whose install script text carries an approvals block. The App renders
 * the script in its own sticky comment; on the next push that text must never read back as an
 * approval (it used to accept every package at every version, and the critical dropper passed).
 */
import { STICKY_MARKER } from '../../src/github/comment.js';
import { startHarness, type Harness } from '../github/harness.js';
import { FORGED_BLOCK, npmLock, openPull, prComments, push, registryIntegrity, runsFor } from './approvals-helpers.js';

const NOW = new Date('2026-05-01T12:00:00.000Z');
let h: Harness;

afterEach(async () => {
  await h.close();
  h.fake.assertClean();
});

async function quickFmt(version: string, installScript: boolean) {
  const integrity = await registryIntegrity(h.registry.url, 'quick-fmt', version);
  return npmLock([
    { name: 'quick-fmt', version, resolved: `${h.registry.url}quick-fmt/-/quick-fmt-${version}.tgz`, integrity, hasInstallScript: installScript },
  ]);
}

it('an approvals block in registry text rendered in the comment is never read back as an approval', async () => {
  h = await startHarness({ now: NOW });
  const base = { 'package-lock.json': await quickFmt('1.0.0', false) };
  const head = { 'package-lock.json': await quickFmt('1.0.1', true) };
  const pr = await openPull(h, base, head);
  expect(runsFor(h, pr.head)[0]!.conclusion).toBe('failure');
  // the next push: the dropper is still there and nobody approved anything
  const again = await push(h, pr, head);
  const run = runsFor(h, again)[0]!;
  expect(run.conclusion).toBe('failure');
  expect(run.output.summary).not.toMatch(/accepted/);
  const sticky = prComments(h).find((c) => c.body.includes(STICKY_MARKER))!;
  expect(sticky.body).not.toMatch(/Accepted by reviewers/);
  // the script is shown (it is the evidence), but its marker is defused, in the comment and the check run
  expect(sticky.body).toMatch(/postinstall: node setup\.js/);
  expect(sticky.body).not.toContain(FORGED_BLOCK);
  expect(sticky.body).not.toMatch(/<!-- lockwarden:approvals W3sicGFja2FnZSI6Iio/);
  expect(run.output.summary).not.toMatch(/<!-- lockwarden:approvals/);
});
