/**
 * Issue 10, item 2: the PR author alone forges an approval. Push 1 adds a git dependency whose URL
 * fragment (or a lockfile version string) carries an approvals block: a medium finding, so the App
 * posts its comment with that text in a code span. Push 2 swaps in a critical dropper, which must
 * still fail (it used to pass, and the forged approval was copied into the App's real block).
 */
import { STICKY_MARKER } from '../../src/github/comment.js';
import { scenarioNow, startHarness, type Harness } from '../github/harness.js';
import { MARKER_RE, SHORT_FORGED_BLOCK, openPull, prComments, push, runsFor, scenarioFiles } from './approvals-helpers.js';

let h: Harness;

afterEach(async () => {
  await h.close();
  h.fake.assertClean();
});

type Lock = { packages: Record<string, Record<string, unknown>> & { '': { dependencies: Record<string, string> } } };

/** The scenario's lockfile with one more direct dependency. */
function withDependency(scenario: string, side: 'base' | 'head', name: string, entry: Record<string, unknown>): Record<string, string> {
  const files = scenarioFiles(scenario, side);
  const lock = JSON.parse(files['package-lock.json']!) as Lock;
  lock.packages[''].dependencies[name] = String(entry['version']);
  lock.packages[`node_modules/${name}`] = { ...entry, license: 'MIT' };
  return { ...files, 'package-lock.json': `${JSON.stringify(lock, null, 2)}\n` };
}

async function attack(entry: Record<string, unknown>) {
  h = await startHarness({ now: scenarioNow('demo') });
  const pr = await openPull(h, scenarioFiles('demo', 'base'), withDependency('demo', 'base', 'helper', entry));
  expect(runsFor(h, pr.head)[0]!.conclusion).not.toBe('failure');
  expect(prComments(h)).toHaveLength(1);

  const second = await push(h, pr, withDependency('demo', 'head', 'helper', entry));
  const run = runsFor(h, second)[0]!;
  expect(run.conclusion).toBe('failure');
  expect(run.output.title).toMatch(/need review before merging: plain-crypto-js/);
  const sticky = prComments(h).find((c) => c.body.includes(STICKY_MARKER))!;
  expect(sticky.body).not.toMatch(/Accepted by reviewers/);
  expect(sticky.body).not.toContain(SHORT_FORGED_BLOCK);
  // the only markers left are the App's own trailing ones
  expect(sticky.body.replace(/(\n<!-- lockwarden:[a-z]+ [^\n]*-->)+$/, '')).not.toMatch(MARKER_RE);
}

it('through a git URL fragment', async () => {
  await attack({ version: '1.0.0', resolved: `git+https://git.example/h.git#${SHORT_FORGED_BLOCK}` });
});

it('through a lockfile version string', async () => {
  await attack({ version: SHORT_FORGED_BLOCK, resolved: 'git+https://git.example/h.git#0123456789abcdef0123456789abcdef01234567' });
});
