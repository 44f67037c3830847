import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ReviewResult, ReviewedChange } from '../../src/core/review.js';
import { ConfigError } from '../../src/errors.js';
import { annotations, planCheck } from '../../src/github/check-output.js';
import { parseAllowCommand } from '../../src/github/allow-command.js';
import { withApprovals } from '../../src/github/approvals.js';
import { findSticky, readApprovals, renderSticky, stickyFingerprint, STICKY_MARKER, worthCommenting } from '../../src/github/comment.js';
import { createSigner } from '../../src/github/signing.js';
import { loadRepoConfig, parseExtends } from '../../src/github/config.js';
import { fileJournal } from '../../src/github/journal.js';
import { ReviewQueue } from '../../src/github/queue.js';
import { pullNumberFromExternalId, externalId } from '../../src/github/review-job.js';
import type { GitHubApi } from '../../src/github/api.js';
import { applyPolicy, defaultConfig, parseConfig } from '../../src/policy/index.js';

function change(i: number, severity: ReviewedChange['severity'] = 'high'): ReviewedChange {
  return {
    ecosystem: 'npm',
    name: `pkg-${i}`,
    from: '1.0.0',
    to: '1.0.1',
    kind: 'upgraded',
    lockfile: 'package-lock.json',
    line: 10 + i,
    direct: false,
    directOf: [],
    via: ['root-dep'],
    findings: severity
      ? [{ signal: 'install-script-added', severity, message: `pkg-${i} adds a postinstall`, evidence: { scripts: { postinstall: 'node x.js' } } }]
      : [],
    severity,
  };
}

function result(changes: ReviewedChange[], conclusion: ReviewResult['conclusion'] = 'failure'): ReviewResult {
  return {
    changes,
    conclusion,
    incomplete: [],
    summary: {
      lockfiles: ['package-lock.json'],
      changes: changes.length,
      needsRegistry: changes.length,
      analysed: changes.length,
      offline: false,
      bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    },
    notes: [],
  };
}

describe('check run output', () => {
  it('puts one annotation per risky change on its lockfile line, 50 per request', () => {
    const r = result(Array.from({ length: 120 }, (_, i) => change(i)));
    const plan = planCheck(r, defaultConfig(), 'a'.repeat(40));
    expect(plan.conclusion).toBe('failure');
    expect(plan.output.annotations).toHaveLength(50);
    expect(plan.moreAnnotations.map((b) => b.length)).toEqual([50, 20]);
    const a = plan.output.annotations![0]!;
    expect(a).toMatchObject({ path: 'package-lock.json', annotation_level: 'failure' });
    expect(a.start_line).toBe(a.end_line);
    expect(plan.output.title.length).toBeLessThanOrEqual(255);
    expect(plan.output.summary.length).toBeLessThanOrEqual(65_535);
  });

  it('maps severities to annotation levels and leaves info-only changes out', () => {
    const a = annotations(result([change(1, 'critical'), change(2, 'medium'), change(3, 'low'), change(4, 'info'), change(5, null)]));
    expect(a.map((x) => [x.title!.split(':')[0], x.annotation_level])).toEqual([
      ['pkg-1 1.0.0 → 1.0.1', 'failure'],
      ['pkg-2 1.0.0 → 1.0.1', 'warning'],
      ['pkg-3 1.0.0 → 1.0.1', 'notice'],
    ]);
  });

  it('keeps a huge summary under GitHub’s limit', () => {
    const many = Array.from({ length: 3000 }, (_, i) => change(i));
    const plan = planCheck(result(many), defaultConfig(), 'b'.repeat(40));
    expect(plan.output.summary.length).toBeLessThanOrEqual(65_535);
    expect(plan.output.summary).toMatch(/not shown here/);
  });
});

describe('sticky comment', () => {
  const app = { id: 1, slug: 'lockwarden' };
  const bot = { login: 'lockwarden[bot]', type: 'Bot' };
  const signer = createSigner('unit-test-signing-secret');
  const scope = { repo: 'acme/webapp', pr: 7 };
  const render = (r: ReviewResult | null, approvals: Parameters<typeof stickyFingerprint>[1]) =>
    renderSticky(r, 'c'.repeat(40), defaultConfig(), { approvals, scope, signer, fingerprint: stickyFingerprint(r, approvals, scope, signer) });

  it("is found only on this App's own comment", () => {
    const forged = { id: 1, body: `${STICKY_MARKER} all clear`, user: { login: 'mallory', type: 'User' }, appId: null };
    const otherBot = { id: 2, body: `${STICKY_MARKER} all clear`, user: { login: 'ci-bot[bot]', type: 'Bot' }, appId: null };
    const otherApp = { id: 3, body: `${STICKY_MARKER} all clear`, user: bot, appId: 99 };
    const real = { id: 4, body: `${STICKY_MARKER}\nreal`, user: bot, appId: 1 };
    expect(findSticky([forged, otherBot, otherApp, real], app)?.id).toBe(4);
    expect(findSticky([forged, otherBot], app)).toBeUndefined();
  });

  it('round-trips approvals sealed for this PR and drops tampered, moved or unsealed ones', () => {
    const approvals = [{ package: 'esbuild', version: '0.25.10', by: 'alice', at: '2026-11-25T10:00:00.000Z', reason: 'reviewed the binary download' }];
    const body = render(result([change(1)]), approvals);
    expect(readApprovals(body, scope, signer)).toEqual({ approvals, dropped: 0 });
    expect(body).toContain('Accepted by reviewers');
    // another PR, another repository, another secret
    expect(readApprovals(body, { ...scope, pr: 8 }, signer)).toEqual({ approvals: [], dropped: 1 });
    expect(readApprovals(body, { ...scope, repo: 'acme/other' }, signer).approvals).toEqual([]);
    expect(readApprovals(body, scope, createSigner('another-secret')).approvals).toEqual([]);
    // the version changed after sealing
    const block = /approvals ([A-Za-z0-9+/=]+) -->/.exec(body)![1]!;
    const edited = Buffer.from(Buffer.from(block, 'base64').toString('utf8').replace('0.25.10', '0.25.11')).toString('base64');
    expect(readApprovals(body.replace(block, edited), scope, signer)).toEqual({ approvals: [], dropped: 1 });
    // not the trailer: a block anywhere else in the body is not read
    expect(readApprovals(`${body}\nmore text`, scope, signer).approvals).toEqual([]);
    expect(readApprovals(body.replace(/approvals [A-Za-z0-9+/=]+/, 'approvals bm90IGpzb24='), scope, signer).approvals).toEqual([]);
  });

  it('the fingerprint is keyed: another secret or another PR gives another one', () => {
    const r = result([change(1)]);
    const fp = stickyFingerprint(r, [], scope, signer);
    expect(fp).toMatch(/^[a-f0-9]{64}$/);
    expect(stickyFingerprint(r, [], scope, createSigner('another-secret'))).not.toBe(fp);
    expect(stickyFingerprint(r, [], { ...scope, pr: 8 }, signer)).not.toBe(fp);
  });

  it('an approval accepts exactly its version', () => {
    const config = withApprovals(defaultConfig(), [
      { package: 'axios', version: '1.14.1', by: 'alice', at: 'now', reason: 'ok' },
      { package: 'Some_Pkg', version: '1.0', by: 'alice', at: 'now', reason: 'ok' },
    ]);
    const now = new Date();
    const f = [{ signal: 'trust-downgrade', severity: 'high' as const, message: 'm', evidence: {} }];
    expect(applyPolicy(f, { name: 'axios', version: '1.14.1' }, config, now)[0]!.allowed).toMatchObject({ by: 'alice' });
    expect(applyPolicy(f, { name: 'axios', version: '1.14.2' }, config, now)[0]!.allowed).toBeUndefined();
    // semver would say 1.14.1+x satisfies "1.14.1", PEP 440 that 1.0.0 and 1.0+local match "1.0": an approval says no
    expect(applyPolicy(f, { name: 'axios', version: '1.14.1+x' }, config, now)[0]!.allowed).toBeUndefined();
    expect(applyPolicy(f, { name: 'some-pkg', version: '1.0', ecosystem: 'pypi' }, config, now)[0]!.allowed).toMatchObject({ by: 'alice' });
    expect(applyPolicy(f, { name: 'some-pkg', version: '1.0.0', ecosystem: 'pypi' }, config, now)[0]!.allowed).toBeUndefined();
    expect(applyPolicy(f, { name: 'some-pkg', version: '1.0+local', ecosystem: 'pypi' }, config, now)[0]!.allowed).toBeUndefined();
    // a config allow entry keeps its range
    const ranged = parseConfig('allow:\n  - package: axios\n    version: ">=1.14.0"\n    reason: vetted\n');
    expect(applyPolicy(f, { name: 'axios', version: '1.14.2' }, ranged, now)[0]!.allowed).toMatchObject({ reason: 'vetted' });
  });

  it('says the findings are gone rather than leaving a stale warning', () => {
    expect(render(null, [])).toMatch(/no risky dependency changes any more/);
  });

  it('is only worth posting at or above commentOn', () => {
    expect(worthCommenting(result([change(1, 'low')], 'success'), defaultConfig())).toBe(false);
    expect(worthCommenting(result([change(1, 'medium')], 'neutral'), defaultConfig())).toBe(true);
    expect(worthCommenting(result([change(1, 'low')], 'success'), parseConfig('commentOn: low'))).toBe(true);
  });
});

describe('/lockwarden allow', () => {
  it.each([
    ['/lockwarden allow axios@1.14.1 verified with the maintainers', { package: 'axios', version: '1.14.1', reason: 'verified with the maintainers' }],
    ['LGTM\n/lockwarden allow @scope/pkg@2.0.0-rc.1 vendored fork', { package: '@scope/pkg', version: '2.0.0-rc.1', reason: 'vendored fork' }],
    ['/lockwarden allow litellm@1.82.8.post1 rebuilt from source', { package: 'litellm', version: '1.82.8.post1', reason: 'rebuilt from source' }],
  ])('parses %j', (body, expected) => {
    expect(parseAllowCommand(body)).toEqual(expected);
  });
  it.each([
    ['/lockwarden allow axios because', /exact version/],
    ['/lockwarden allow axios@1.14.1', /reason/],
    ['/lockwarden allow axios@^1.0.0 all of them', /exact version/],
    ['/lockwarden allow axios@x all of them', /exact version/],
    ['/lockwarden allow axios@1.x all of them', /exact version/],
    ['/lockwarden allow axios@* all of them', /exact version/],
    ['/lockwarden allow axios@>=1 all of them', /exact version/],
    ['/lockwarden allow requests@2.* all of them', /exact version/],
    ['/lockwarden deny axios@1.0.0 x', /usage/],
  ])('explains what is wrong with %j', (body, message) => {
    const r = parseAllowCommand(body);
    expect(r && 'error' in r && r.error).toMatch(message);
  });
  it('ignores comments without the command', () => {
    expect(parseAllowCommand('looks good to me')).toBeNull();
  });
});

describe('external ids', () => {
  it('round-trip the PR number', () => {
    expect(pullNumberFromExternalId(externalId({ pullNumber: 42, baseSha: 'x' }))).toBe(42);
    expect(pullNumberFromExternalId('merge-group:abc')).toBeUndefined();
    expect(pullNumberFromExternalId('pr:12; drop')).toBeUndefined();
  });
});

describe('ReviewQueue', () => {
  it('runs the newest job per key: a pending one is skipped, a running one aborted', async () => {
    const q = new ReviewQueue(1);
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    q.enqueue('pr#1', async (signal) => {
      log.push('first started');
      await gate;
      log.push(signal.aborted ? 'first aborted' : 'first finished');
    });
    await new Promise((r) => setImmediate(r)); // the first job is running when the next events arrive
    q.enqueue(
      'pr#1',
      async () => void log.push('second ran'),
      () => log.push('second skipped'),
    );
    q.enqueue('pr#1', async () => void log.push('third ran'));
    release();
    await q.idle();
    expect(log).toEqual(['first started', 'second skipped', 'first aborted', 'third ran']);
  });

  it('runs different keys concurrently up to the limit and contains errors', async () => {
    const errors: string[] = [];
    const q = new ReviewQueue(2, (key) => errors.push(key));
    let running = 0;
    let peak = 0;
    for (const k of ['a', 'b', 'c', 'd']) {
      q.enqueue(k, async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 10));
        running--;
        if (k === 'c') throw new Error('boom');
      });
    }
    await q.idle();
    expect(peak).toBe(2);
    expect(errors).toEqual(['c']);
  });

  it('recognises redelivered webhooks', () => {
    const q = new ReviewQueue();
    expect(q.firstDelivery('d-1')).toBe(true);
    expect(q.firstDelivery('d-1')).toBe(false);
    expect(q.firstDelivery('d-2')).toBe(true);
  });
});

describe('config loading', () => {
  function api(files: Record<string, string>): GitHubApi {
    return { readDefaultBranchFile: async (o: string, r: string, p: string) => files[`${o}/${r}:${p}`] ?? null } as unknown as GitHubApi;
  }
  it('uses the repository file, else the organisation defaults', async () => {
    const own = await loadRepoConfig(
      api({ 'acme/app:.github/lockwarden.yml': 'failOn: critical', 'acme/.github:.github/lockwarden.yml': 'failOn: medium' }),
      'acme',
      'app',
    );
    expect(own.config.failOn).toBe('critical');
    const org = await loadRepoConfig(api({ 'acme/.github:.github/lockwarden.yml': 'failOn: medium' }), 'acme', 'app');
    expect(org.config.failOn).toBe('medium');
    expect(org.files).toEqual(['acme/.github:.github/lockwarden.yml']);
    const none = await loadRepoConfig(api({}), 'acme', 'app');
    expect(none.config).toEqual(defaultConfig());
  });
  it('merges _extends, the repository file winning, allow entries accumulating', async () => {
    const { config, files } = await loadRepoConfig(
      api({
        'acme/app:.github/lockwarden.yml': '_extends: security-policies\nwarnOn: low\nallow:\n  - package: a\n    reason: r\n',
        'acme/security-policies:.github/lockwarden.yml': 'warnOn: high\nfailOn: critical\nallow:\n  - package: b\n    reason: r\n',
      }),
      'acme',
      'app',
    );
    expect(files).toEqual(['acme/security-policies:.github/lockwarden.yml', 'acme/app:.github/lockwarden.yml']);
    expect(config.warnOn).toBe('low');
    expect(config.failOn).toBe('critical');
    expect(config.allow.map((a) => a.package)).toEqual(['b', 'a']);
  });
  it('reports an invalid file with repository, path and line', async () => {
    const err = await loadRepoConfig(api({ 'acme/app:.github/lockwarden.yml': 'failOn: high\nwarnOn: loud\n' }), 'acme', 'app').catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/^acme\/app:\.github\/lockwarden\.yml:2: /);
  });
  it('refuses cycles and missing targets', async () => {
    await expect(
      loadRepoConfig(api({ 'acme/app:.github/lockwarden.yml': '_extends: b', 'acme/b:.github/lockwarden.yml': '_extends: app' }), 'acme', 'app'),
    ).rejects.toThrow(/cycle/);
    await expect(loadRepoConfig(api({ 'acme/app:.github/lockwarden.yml': '_extends: other/policies' }), 'acme', 'app')).rejects.toThrow(/does not exist/);
  });
  it('parses _extends forms', () => {
    const from = { owner: 'acme', repo: 'app', path: '.github/lockwarden.yml' };
    expect(parseExtends('policies', from)).toEqual({ owner: 'acme', repo: 'policies', path: '.github/lockwarden.yml' });
    expect(parseExtends('other/policies:lw/base.yml', from)).toEqual({ owner: 'other', repo: 'policies', path: 'lw/base.yml' });
    expect(() => parseExtends('../../etc', from)).toThrow(ConfigError);
  });
});

describe('file journal', () => {
  it('persists in-progress check runs across instances and survives garbage', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-journal-'));
    const a = fileJournal(dir);
    await a.add({ installationId: 1, owner: 'o', repo: 'r', checkRunId: 10 });
    await a.add({ installationId: 1, owner: 'o', repo: 'r', checkRunId: 11 });
    await a.remove(10);
    expect((await fileJournal(dir).entries()).map((e) => e.checkRunId)).toEqual([11]);
    await writeFile(path.join(dir, 'in-progress-check-runs.json'), '{not json');
    expect(await fileJournal(dir).entries()).toEqual([]);
    expect(await readFile(path.join(dir, 'in-progress-check-runs.json'), 'utf8')).toBe('{not json');
  });
});
