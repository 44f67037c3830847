/**
 * The App and guard rails, end to end through Probot and the fake GitHub: settings files in the PR's
 * changed files are read at base and head, weakenings fail the check with annotations on their lines,
 * and the PR's own `.github/lockwarden.yml` is shown for awareness, never used as configuration.
 */
import { MAX_GUARD_RAIL_FILES } from '../../src/guard-rails/paths.js';
import { FULL, pullRequestEvent, scenarioFiles, scenarioNow, setUpPull, startHarness, type Harness } from './harness.js';

const NOW = scenarioNow('benign');
let h: Harness;

afterEach(async () => {
  if (h) {
    await h.close();
    h.fake.assertClean();
  }
});

async function openPull(base: Record<string, string>, head: Record<string, string>, opts: { config?: string } = {}) {
  const pr = setUpPull(h, base, head, opts);
  await h.deliver('pull_request', pullRequestEvent('opened', { number: pr.number, base: pr.base, head: pr.head }));
  await h.idle();
  return pr;
}

const runFor = (sha: string) => h.fake.checkRuns.find((r) => r.head_sha === sha && r.name === 'lockwarden')!;
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

const NPMRC = 'ignore-scripts=true\n@corp:registry=https://npm.corp.example/\n';

describe('guard rails in pull requests', () => {
  it('a new registry in .npmrc and an allowScripts entry fail the check, annotated on their lines', async () => {
    h = await startHarness({ now: NOW });
    const base: Record<string, string> = { ...scenarioFiles('benign', 'base'), '.npmrc': NPMRC };
    const pkg = JSON.parse(base['package.json']!);
    const headPkg = `${JSON.stringify({ ...pkg, allowScripts: { 'evil-postinstall': true } }, null, 2)}\n`;
    const headNpmrc = `${NPMRC}registry=https://npm.attacker.example/\n`;
    const pr = await openPull(base, { '.npmrc': headNpmrc, 'package.json': headPkg });
    const run = runFor(pr.head);
    expect(run.conclusion).toBe('failure');
    expect(run.output.title).toMatch(/guard rails weakened/i);
    expect(run.output.annotations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '.npmrc', start_line: 3, annotation_level: 'failure', title: expect.stringContaining('registry') }),
        expect.objectContaining({ path: 'package.json', start_line: lineOf(headPkg, '"evil-postinstall"'), annotation_level: 'failure' }),
      ]),
    );
    expect(run.output.summary).toContain('Guard rails');
    // the sticky comment names both, no lockfile changed, so no registry was asked
    const comment = h.fake.comments.find((c) => c.repo === FULL && c.issue === pr.number);
    expect(comment?.body).toMatch(/allowScripts: evil-postinstall/);
    expect(h.registry.requests).toHaveLength(0);
  });

  it('adding ignore-scripts=true is good news on a green check', async () => {
    h = await startHarness({ now: NOW });
    const pr = await openPull(
      { ...scenarioFiles('benign', 'base'), '.npmrc': '@corp:registry=https://npm.corp.example/\n' },
      { '.npmrc': `@corp:registry=https://npm.corp.example/\nignore-scripts=true\n` },
    );
    const run = runFor(pr.head);
    expect(run.conclusion).toBe('success');
    expect(run.output.summary).toMatch(/Good news, tightened: .*ignore-scripts/);
  });

  it('a PR changing only .github/lockwarden.yml is shown for awareness; the default branch’s config still applies', async () => {
    h = await startHarness({ now: NOW });
    // the PR's copy is not even valid: were it read as configuration, the check would fail
    const pr = await openPull(scenarioFiles('benign', 'base'), { '.github/lockwarden.yml': 'failOn: critical\nwarnOn: loud\n' }, { config: 'failOn: high\n' });
    const run = runFor(pr.head);
    expect(run.conclusion).toBe('success');
    expect(run.output.summary).toMatch(/lockwarden\.yml changed: failOn changed, warnOn added/);
    expect(run.output.summary).toMatch(/the new \.github\/lockwarden\.yml is not a valid configuration: \.github\/lockwarden\.yml:2: .*warnOn/);
  });

  it('a PR that switches the signal off in its lockwarden.yml and weakens .npmrc still fails', async () => {
    h = await startHarness({ now: NOW });
    const base = { ...scenarioFiles('benign', 'base'), '.npmrc': NPMRC };
    const off = 'failOn: high\nsignals:\n  guard-rail-weakened: off\n';
    const pr = await openPull(
      base,
      { '.npmrc': 'ignore-scripts=false\n@corp:registry=https://npm.corp.example/\n', '.github/lockwarden.yml': off },
      { config: 'failOn: high\n' },
    );
    const run = runFor(pr.head);
    expect(run.conclusion).toBe('failure');
    expect(run.output.annotations).toEqual([expect.objectContaining({ path: '.npmrc', start_line: 1 })]);
    expect(run.output.summary).toMatch(/lockwarden\.yml changed: signals added/);
  });

  it(`more than ${MAX_GUARD_RAIL_FILES} changed settings files: the ones past the cap are counted, and the check fails`, async () => {
    h = await startHarness({ now: NOW });
    const files = (v: string) =>
      Object.fromEntries(Array.from({ length: MAX_GUARD_RAIL_FILES + 3 }, (_, i) => [`packages/p${i}/package.json`, `{"name":"p${i}","version":"${v}"}\n`]));
    const pr = await openPull({ ...scenarioFiles('benign', 'base'), ...files('1.0.0') }, files('1.0.1'));
    const run = runFor(pr.head);
    expect(run.conclusion).toBe('failure');
    expect(run.output.summary).toMatch(/3 more changed settings files were not reviewed/);
  });
});
