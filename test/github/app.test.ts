/**
 * The App end to end through Probot: webhook payloads from @octokit/webhooks-examples, the fake GitHub
 * validating every request against GitHub's OpenAPI description (assertClean fails a test on any invalid
 * or unmatched request, or an unused injected failure), and the bundled fixture registry.
 */
import { fileJournal } from '../../src/github/journal.js';
import { STICKY_MARKER } from '../../src/github/comment.js';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  FULL,
  INSTALLATION_ID,
  OWNER,
  REPO,
  adaptRepository,
  example,
  lockfile,
  pullRequestEvent,
  scenarioFiles,
  scenarioNow,
  setUpPull,
  startHarness,
  type Harness,
} from './harness.js';

const NOW = scenarioNow('demo');
let h: Harness;

afterEach(async () => {
  if (h) {
    await h.close();
    h.fake.assertClean();
  }
});

const side = scenarioFiles;

async function openPull(files: { base: Record<string, string>; head: Record<string, string> }, opts: { fork?: string; config?: string; number?: number } = {}) {
  const pr = setUpPull(h, files.base, files.head, opts);
  await h.deliver('pull_request', pullRequestEvent('opened', { number: pr.number, base: pr.base, head: pr.head, ...(opts.fork ? { fork: opts.fork } : {}) }));
  await h.idle();
  return pr;
}

const runsFor = (sha: string) => h.fake.checkRuns.filter((r) => r.head_sha === sha && r.name === 'lockwarden');
const prComments = (n = 7) => h.fake.comments.filter((c) => c.repo === FULL && c.issue === n);

describe('pull requests', () => {
  it('a poisoned bump fails the check with annotations on the lockfile lines and one clear comment', async () => {
    h = await startHarness({ now: NOW });
    const pr = await openPull({ base: side('demo', 'base'), head: side('demo', 'head') });
    const [run] = runsFor(pr.head);
    expect(run).toBeDefined();
    expect(run!.status).toBe('completed');
    expect(run!.conclusion).toBe('failure');
    expect(run!.external_id).toBe('pr:7');
    expect(run!.output.title).toMatch(/risky packages? needs? review/);
    const axiosLine =
      lockfile('demo', 'head')
        .split('\n')
        .findIndex((l) => l.includes('"node_modules/axios"')) + 1;
    const ann = run!.output.annotations.find((a) => a.title?.startsWith('axios 1.14.0 → 1.14.1'));
    expect(ann).toMatchObject({ path: 'package-lock.json', start_line: axiosLine, annotation_level: 'failure' });
    expect(run!.output.annotations.some((a) => a.title?.startsWith('plain-crypto-js'))).toBe(true);
    const comments = prComments();
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain(STICKY_MARKER);
    expect(comments[0]!.body).toMatch(/axios/);
    expect(comments[0]!.body).toMatch(/postinstall: node setup\.js/);
    // the registry was asked for the full documents, once per name
    const names = h.registry.requests.filter((r) => !r.path.startsWith('/-/')).map((r) => r.path);
    expect(new Set(names).size).toBe(names.length);
  });

  it('a routine bump gets a green check and no comment', async () => {
    h = await startHarness({ now: scenarioNow('benign') });
    const pr = await openPull({ base: side('benign', 'base'), head: side('benign', 'head') });
    const [run] = runsFor(pr.head);
    expect(run!.conclusion).toBe('success');
    expect(prComments()).toHaveLength(0);
  });

  it('a PR without lockfile changes gets a quick success and no registry calls', async () => {
    h = await startHarness({ now: NOW });
    const pr = await openPull({ base: { ...side('demo', 'base'), 'README.md': 'hello' }, head: { 'README.md': 'hello, world' } });
    const [run] = runsFor(pr.head);
    expect(run!.conclusion).toBe('success');
    expect(run!.output.title).toMatch(/No dependency changes/);
    expect(h.registry.requests).toHaveLength(0);
    expect(prComments()).toHaveLength(0);
  });

  it('a fork PR is reviewed with the base repository’s config, never the fork’s', async () => {
    h = await startHarness({ now: NOW });
    // base config is strict; the fork's head commit switches every signal off
    const forkConfig = `failOn: critical\nsignals:\n${['possible-takeover', 'trust-downgrade', 'suspicious-new-package', 'install-script-added', 'young-package'].map((s) => `  ${s}: off`).join('\n')}\n`;
    h.fake.addRepo({ owner: 'mallory', name: REPO });
    const pr = setUpPull(h, side('demo', 'base'), { ...side('demo', 'head'), '.github/lockwarden.yml': forkConfig }, { fork: `mallory/${REPO}` });
    await h.deliver('pull_request', pullRequestEvent('opened', { number: pr.number, base: pr.base, head: pr.head, fork: `mallory/${REPO}` }));
    await h.idle();
    expect(runsFor(pr.head)[0]!.conclusion).toBe('failure');
    // nothing was read from the fork repository
    expect(h.fake.requests.some((r) => r.path.includes('/mallory/'))).toBe(false);
  });

  it('reviews every lockfile of a monorepo PR', async () => {
    h = await startHarness({ now: NOW });
    const pr = await openPull({
      base: { 'apps/web/package-lock.json': lockfile('axios', 'base'), 'tools/lint/package-lock.json': lockfile('eslint-scope', 'base') },
      head: { 'apps/web/package-lock.json': lockfile('axios', 'head'), 'tools/lint/package-lock.json': lockfile('eslint-scope', 'head') },
    });
    const run = runsFor(pr.head)[0]!;
    expect(new Set(run.output.annotations.map((a) => a.path))).toEqual(new Set(['apps/web/package-lock.json', 'tools/lint/package-lock.json']));
    expect(run.conclusion).toBe('failure');
  });

  it('reads a lockfile over 1 MB, and falls back to the blobs API when contents refuses it', async () => {
    h = await startHarness({ now: NOW });
    const big = JSON.parse(lockfile('demo', 'head'));
    big.packages[''].description = 'x'.repeat(1_200_000);
    const head = JSON.stringify(big, null, 2);
    expect(head.length).toBeGreaterThan(1024 * 1024);
    h.fake.failNext('GET', /\/contents\/package-lock\.json$/, 403, {
      times: 1,
      body: { message: 'This API returns blobs up to 1 MB in size.', errors: [{ code: 'too_large' }] },
    });
    const pr = await openPull({ base: side('demo', 'base'), head: { 'package-lock.json': head } });
    expect(runsFor(pr.head)[0]!.conclusion).toBe('failure');
    expect(h.fake.requests.some((r) => /\/git\/blobs\//.test(r.path))).toBe(true);
  });

  it('sends more than 50 annotations in batches of 50', async () => {
    h = await startHarness({ now: NOW });
    // 60 new packages, each installed from a git source (a lockfile-derived medium finding)
    const base = JSON.parse(lockfile('benign', 'base'));
    const head = JSON.parse(lockfile('benign', 'base'));
    for (let i = 0; i < 60; i++) {
      head.packages[`node_modules/gitdep-${i}`] = {
        version: '1.0.0',
        resolved: `git+ssh://git@github.com/acme/gitdep-${i}.git#${'a'.repeat(40)}`,
        license: 'MIT',
      };
      head.packages[''].dependencies[`gitdep-${i}`] = `github:acme/gitdep-${i}`;
    }
    const pr = await openPull({ base: { 'package-lock.json': JSON.stringify(base, null, 2) }, head: { 'package-lock.json': JSON.stringify(head, null, 2) } });
    const run = runsFor(pr.head)[0]!;
    expect(run.output.annotations.length).toBeGreaterThanOrEqual(60);
    const patches = h.fake.requests.filter((r) => r.method === 'PATCH' && /check-runs/.test(r.path));
    expect(patches.length).toBeGreaterThanOrEqual(2);
    for (const p of patches) expect(((p.body as any).output?.annotations ?? []).length).toBeLessThanOrEqual(50);
  });

  it('updates the sticky comment in place, leaves it alone when nothing changed, and clears it when findings go away', async () => {
    h = await startHarness({ now: NOW });
    const pr = await openPull({ base: side('demo', 'base'), head: side('demo', 'head') });
    expect(prComments()).toHaveLength(1);
    const first = prComments()[0]!;

    // same content pushed again: no edit
    const again = h.fake.commit(FULL, side('demo', 'head'), { branch: 'feature', parent: pr.head });
    h.fake.addPullRequest(FULL, { number: 7, baseRef: 'main', baseSha: pr.base, headRef: 'feature', headSha: again });
    await h.deliver('pull_request', pullRequestEvent('synchronize', { number: 7, base: pr.base, head: again }));
    await h.idle();
    expect(h.fake.requests.filter((r) => r.method === 'PATCH' && /issues\/comments/.test(r.path))).toHaveLength(0);

    // the poisoned bump is reverted: the comment says so
    const fixed = h.fake.commit(FULL, side('demo', 'base'), { branch: 'feature', parent: again });
    h.fake.addPullRequest(FULL, { number: 7, baseRef: 'main', baseSha: pr.base, headRef: 'feature', headSha: fixed });
    await h.deliver('pull_request', pullRequestEvent('synchronize', { number: 7, base: pr.base, head: fixed }));
    await h.idle();
    const comments = prComments();
    expect(comments).toHaveLength(1);
    expect(comments[0]!.id).toBe(first.id);
    expect(comments[0]!.body).toMatch(/no risky dependency changes any more/);
    expect(runsFor(fixed)[0]!.conclusion).toBe('success');
  });

  it('an invalid config concludes the check with the file and line, not a crash (and never lets the change through)', async () => {
    h = await startHarness({ now: NOW });
    const pr = await openPull({ base: side('benign', 'base'), head: side('benign', 'head') }, { config: 'failOn: high\nwarnOn: loud\n' });
    const run = runsFor(pr.head)[0]!;
    expect(run.status).toBe('completed');
    expect(run.conclusion).toBe('failure');
    expect(run.output.title).toContain(`${OWNER}/${REPO}:.github/lockwarden.yml line 2`);
  });

  it('a lockfile it cannot parse fails the check with an annotation on the line', async () => {
    h = await startHarness({ now: NOW });
    const broken = lockfile('demo', 'head').replace('"node_modules/axios": {', '"node_modules/axios": {,');
    const line = broken.split('\n').findIndex((l) => l.includes('"node_modules/axios": {,')) + 1;
    const pr = await openPull({ base: side('demo', 'base'), head: { 'package-lock.json': broken } });
    const run = runsFor(pr.head)[0]!;
    expect(run.conclusion).toBe('failure');
    expect(run.output.annotations[0]).toMatchObject({ path: 'package-lock.json', start_line: line });
  });

  it('a lockfile format it does not support yet is reported and fails the check (it could carry anything)', async () => {
    h = await startHarness({ now: NOW });
    const pr = await openPull({ base: { 'bun.lockb': 'bun-lockfile-format-v0\n' }, head: { 'bun.lockb': 'bun-lockfile-format-v0\nleft-pad\n' } });
    const run = runsFor(pr.head)[0]!;
    expect(run.conclusion).toBe('failure');
    expect(run.output.summary).toMatch(/bun install --save-text-lockfile/);
    expect(run.output.summary).toMatch(/bun\.lockb is binary and is not supported yet/);
  });

  it('more than 20 changed lockfiles: the ones past the cap are named, and the check fails', async () => {
    h = await startHarness({ now: NOW });
    const base: Record<string, string> = {};
    const head: Record<string, string> = {};
    for (let i = 0; i < 21; i++) {
      base[`app${String(i).padStart(2, '0')}/package-lock.json`] = side('benign', 'base')['package-lock.json']!;
      head[`app${String(i).padStart(2, '0')}/package-lock.json`] = side('benign', 'head')['package-lock.json']!;
    }
    const pr = await openPull({ base, head });
    const run = runsFor(pr.head)[0]!;
    expect(run.conclusion).toBe('failure');
    expect(run.output.summary).toMatch(/app20\/package-lock\.json/);
    expect(run.output.summary).toMatch(/more than 20 lockfiles changed/);
  });

  it('registry down: the check completes neutral and says the review is incomplete', async () => {
    h = await startHarness({
      now: NOW,
      failRegistry: new Map([
        ['axios', 503],
        ['plain-crypto-js', 503],
      ]),
    });
    const pr = await openPull({ base: side('axios', 'base'), head: side('axios', 'head') });
    const run = runsFor(pr.head)[0]!;
    expect(run.conclusion).toBe('neutral');
    expect(run.output.title).toMatch(/incomplete|could not be checked/i);
  });
});

describe('limits and failures', () => {
  it('beyond pulls.listFiles’ 3000-file limit it compares the trees and still finds the lockfile', async () => {
    h = await startHarness({ now: NOW });
    const many: Record<string, string> = {};
    for (let i = 0; i < 3005; i++) many[`docs/page-${i}.md`] = `page ${i}`;
    const pr = await openPull({ base: side('demo', 'base'), head: { ...side('demo', 'head'), ...many } });
    const run = runsFor(pr.head)[0]!;
    expect(run.conclusion).toBe('failure');
    expect(h.fake.requests.some((r) => /\/git\/trees\//.test(r.path))).toBe(true);
  });

  it('a GitHub error completes the check as incomplete, naming the stage, never success', async () => {
    h = await startHarness({ now: NOW });
    h.fake.failNext('GET', /\/pulls\/7\/files/, 502, { times: 1 });
    const pr = await openPull({ base: side('benign', 'base'), head: side('benign', 'head') });
    const run = runsFor(pr.head)[0]!;
    expect(run.status).toBe('completed');
    expect(run.conclusion).toBe('neutral');
    expect(run.output.title).toMatch(/Review incomplete: error while listing the changed files/);
  });

  it('logs one structured line per review, without tokens or keys', async () => {
    const lines: string[] = [];
    h = await startHarness({ now: NOW, logLines: lines });
    const pr = await openPull({ base: side('demo', 'base'), head: side('demo', 'head') });
    const reviews = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'review complete');
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ repo: FULL, pr: 7, sha: pr.head, conclusion: 'failure', lockfiles: 1, changes: 13 });
    expect(typeof reviews[0].durationMs).toBe('number');
    const all = lines.join('\n');
    expect(all).not.toMatch(/PRIVATE KEY/);
    expect(all).not.toMatch(/ghs_[A-Za-z0-9]/);
    const tokens = h.fake.requests.filter((r) => r.headers['authorization']?.startsWith('token ')).map((r) => r.headers['authorization']!.slice(6));
    expect(tokens.length).toBeGreaterThan(0);
    for (const token of new Set(tokens)) expect(all).not.toContain(token);
  });
});

describe('other events', () => {
  it('check_run.rerequested runs the review again for that commit', async () => {
    h = await startHarness({ now: NOW });
    const pr = await openPull({ base: side('demo', 'base'), head: side('demo', 'head') });
    const first = runsFor(pr.head)[0]!;
    const p = example('check_run', 'rerequested');
    adaptRepository(p);
    p['check_run'] = { ...p['check_run'], id: first.id, name: 'lockwarden', head_sha: pr.head, external_id: 'pr:7', pull_requests: [] };
    await h.deliver('check_run', p);
    await h.idle();
    const runs = runsFor(pr.head);
    expect(runs).toHaveLength(2);
    expect(runs.every((r) => r.status === 'completed' && r.conclusion === 'failure')).toBe(true);
  });

  it('check_suite.rerequested finds a fork PR through the earlier check run', async () => {
    h = await startHarness({ now: NOW });
    const pr = await openPull({ base: side('demo', 'base'), head: side('demo', 'head') });
    const p = example('check_suite', 'rerequested');
    adaptRepository(p);
    p['check_suite'] = { ...p['check_suite'], head_sha: pr.head, pull_requests: [] };
    await h.deliver('check_suite', p);
    await h.idle();
    expect(runsFor(pr.head)).toHaveLength(2);
  });

  it('merge_group.checks_requested reviews the merge group head against its base, without comments', async () => {
    h = await startHarness({ now: NOW });
    h.fake.addRepo({ owner: OWNER, name: REPO, defaultBranch: 'main', ownerType: 'Organization' });
    const base = h.fake.commit(FULL, side('demo', 'base'), { branch: 'main' });
    const head = h.fake.commit(FULL, side('demo', 'head'), { branch: 'gh-readonly-queue/main/pr-7', parent: base });
    const p = example('merge_group', 'checks_requested');
    adaptRepository(p);
    p['merge_group'] = { ...p['merge_group'], head_sha: head, base_sha: base };
    await h.deliver('merge_group', p);
    await h.idle();
    const run = runsFor(head)[0]!;
    expect(run.conclusion).toBe('failure');
    expect(run.external_id).toBe(`merge-group:${base}`);
    expect(h.fake.comments).toHaveLength(0);
  });

  it('a duplicate delivery is ignored', async () => {
    h = await startHarness({ now: NOW });
    const pr = setUpPull(h, side('demo', 'base'), side('demo', 'head'));
    const event = pullRequestEvent('opened', { number: pr.number, base: pr.base, head: pr.head });
    await h.deliver('pull_request', event, 'delivery-1');
    await h.idle();
    await h.deliver('pull_request', event, 'delivery-1');
    await h.idle();
    expect(runsFor(pr.head)).toHaveLength(1);
    expect(prComments()).toHaveLength(1);
  });
});

describe('/lockwarden allow', () => {
  function commentEvent(body: string, user: string) {
    const p = example('issue_comment', 'created');
    adaptRepository(p);
    p['issue'] = { ...p['issue'], number: 7, pull_request: { url: `https://api.github.com/repos/${FULL}/pulls/7` } };
    p['comment'] = { ...p['comment'], id: 9001, body, user: { ...p['comment'].user, login: user, type: 'User' } };
    return p;
  }

  it('a collaborator with write access accepts a finding: recorded in the comment, the check re-run', async () => {
    h = await startHarness({ now: scenarioNow('eslint-scope') });
    const pr = await openPull({ base: side('eslint-scope', 'base'), head: side('eslint-scope', 'head') });
    expect(runsFor(pr.head)[0]!.conclusion).toBe('failure');
    h.fake.setPermission(FULL, 'alice', 'maintain');
    await h.deliver('issue_comment', commentEvent('/lockwarden allow eslint-scope@3.7.2 checked the postinstall with the ESLint team', 'alice'));
    await h.idle();
    const runs = runsFor(pr.head);
    expect(runs).toHaveLength(2);
    expect(runs[1]!.conclusion).toBe('success');
    const body = prComments().find((c) => c.body.includes(STICKY_MARKER))!.body;
    expect(body).toMatch(/Accepted by reviewers/);
    expect(body).toMatch(/alice/);
    expect(body).toMatch(/checked the postinstall with the ESLint team/);
    expect(h.fake.requests.some((r) => r.method === 'POST' && /comments\/9001\/reactions/.test(r.path) && (r.body as any).content === '+1')).toBe(true);
  });

  it('anyone else gets a polite refusal and nothing changes', async () => {
    h = await startHarness({ now: scenarioNow('eslint-scope') });
    const pr = await openPull({ base: side('eslint-scope', 'base'), head: side('eslint-scope', 'head') });
    h.fake.setPermission(FULL, 'mallory', 'read');
    await h.deliver('issue_comment', commentEvent('/lockwarden allow eslint-scope@3.7.2 trust me', 'mallory'));
    await h.idle();
    expect(runsFor(pr.head)).toHaveLength(1);
    const refusal = prComments().find((c) => !c.body.includes(STICKY_MARKER));
    expect(refusal?.body).toMatch(/needs write access/);
    expect(prComments().find((c) => c.body.includes(STICKY_MARKER))!.body).not.toMatch(/trust me/);
  });

  it('an approval survives later pushes (resealed by the App); an edited one is dropped and logged', async () => {
    const logLines: string[] = [];
    h = await startHarness({ now: scenarioNow('eslint-scope'), logLines });
    const pr = await openPull({ base: side('eslint-scope', 'base'), head: side('eslint-scope', 'head') });
    h.fake.setPermission(FULL, 'alice', 'write');
    await h.deliver('issue_comment', commentEvent('/lockwarden allow eslint-scope@3.7.2 checked the postinstall', 'alice'));
    await h.idle();
    const push = async () => {
      const sha = h.fake.commit(FULL, side('eslint-scope', 'head'), { branch: 'feature', parent: pr.head });
      h.fake.addPullRequest(FULL, { number: 7, baseRef: 'main', baseSha: pr.base, headRef: 'feature', headSha: sha });
      await h.deliver('pull_request', pullRequestEvent('synchronize', { number: 7, base: pr.base, head: sha }));
      await h.idle();
      return sha;
    };
    expect(runsFor(await push()).at(-1)!.conclusion).toBe('success');
    // the App's identity was asked once, with its JWT
    expect(h.fake.requests.filter((r) => r.method === 'GET' && r.path === '/app')).toHaveLength(1);

    // the sealed block is edited (here only who approved it): the approval no longer verifies
    const sticky = prComments().find((c) => c.body.includes(STICKY_MARKER))!;
    const block = /lockwarden:approvals ([A-Za-z0-9+/=]+) -->/.exec(sticky.body)![1]!;
    const edited = Buffer.from(Buffer.from(block, 'base64').toString('utf8').replace('"by":"alice"', '"by":"bob"')).toString('base64');
    expect(edited).not.toBe(block);
    sticky.body = sticky.body.replace(block, edited);
    expect(runsFor(await push()).at(-1)!.conclusion).toBe('failure');
    expect(logLines.some((l) => /approvals dropped/.test(l) && /"dropped":1/.test(l))).toBe(true);
  });

  it('an approval is tied to the exact version', async () => {
    h = await startHarness({ now: scenarioNow('eslint-scope') });
    const pr = await openPull({ base: side('eslint-scope', 'base'), head: side('eslint-scope', 'head') });
    h.fake.setPermission(FULL, 'alice', 'write');
    await h.deliver('issue_comment', commentEvent('/lockwarden allow eslint-scope@3.7.3 wrong version', 'alice'));
    await h.idle();
    expect(runsFor(pr.head).at(-1)!.conclusion).toBe('failure');
  });
});

describe('start-up', () => {
  it('finishes a check run an earlier process left in progress', async () => {
    const journal = fileJournal(await mkdtemp(path.join(os.tmpdir(), 'lw-state-')));
    h = await startHarness({ now: NOW, journal });
    h.fake.addRepo({ owner: OWNER, name: REPO });
    const sha = h.fake.commit(FULL, { 'a.txt': 'a' }, { branch: 'main' });
    // what an earlier process did before it died: a run in progress, recorded in the journal
    const octokit = await h.probot.auth(INSTALLATION_ID);
    const created = await octokit.request('POST /repos/{owner}/{repo}/check-runs', {
      owner: OWNER,
      repo: REPO,
      name: 'lockwarden',
      head_sha: sha,
      status: 'in_progress',
    });
    await journal.add({ installationId: INSTALLATION_ID, owner: OWNER, repo: REPO, checkRunId: Number(created.data.id) });
    const { sweep } = await import('../../src/github/app.js');
    expect(await sweep(h.probot, journal)).toBe(1);
    const run = h.fake.checkRuns.find((r) => r.id === Number(created.data.id))!;
    expect(run.status).toBe('completed');
    expect(run.conclusion).toBe('neutral');
    expect(run.output.title).toMatch(/restarted/);
    // a strict organisation gets a failure instead
    h.fake.commit(FULL, { 'a.txt': 'a', '.github/lockwarden.yml': 'incomplete: failure\n' }, { branch: 'main', parent: sha });
    const second = await octokit.request('POST /repos/{owner}/{repo}/check-runs', {
      owner: OWNER,
      repo: REPO,
      name: 'lockwarden',
      head_sha: sha,
      status: 'in_progress',
    });
    await journal.add({ installationId: INSTALLATION_ID, owner: OWNER, repo: REPO, checkRunId: Number(second.data.id) });
    expect(await sweep(h.probot, journal)).toBe(1);
    expect(h.fake.checkRuns.find((r) => r.id === Number(second.data.id))!.conclusion).toBe('failure');
    expect(await journal.entries()).toEqual([]);
  });
});
