import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ReviewResult, ReviewedChange } from '../../src/core/review.js';
import { ConfigError } from '../../src/errors.js';
import { annotations, planCheck } from '../../src/github/check-output.js';
import { findSticky, parseAllowCommand, readApprovals, renderSticky, STICKY_MARKER, withApprovals, worthCommenting } from '../../src/github/comment.js';
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
    findings: severity ? [{ signal: 'install-script-added', severity, message: `pkg-${i} adds a postinstall`, evidence: { scripts: { postinstall: 'node x.js' } } }] : [],
    severity,
  };
}

function result(changes: ReviewedChange[], conclusion: ReviewResult['conclusion'] = 'failure'): ReviewResult {
  return {
    changes,
    conclusion,
    incomplete: [],
    summary: { lockfiles: ['package-lock.json'], changes: changes.length, needsRegistry: changes.length, analysed: changes.length, offline: false, bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 } },
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
  const bot = { login: 'lockwarden[bot]', type: 'Bot' };
  it('is found by its marker only on a bot comment', () => {
    const forged = { id: 1, body: `${STICKY_MARKER} all clear`, user: { login: 'mallory', type: 'User' } };
    const real = { id: 2, body: `${STICKY_MARKER}\nreal`, user: bot };
    expect(findSticky([forged, real])?.id).toBe(2);
    expect(findSticky([forged])).toBeUndefined();
  });

  it('round-trips approvals and ignores a tampered block', () => {
    const approvals = [{ package: 'esbuild', version: '0.25.10', by: 'alice', at: '2026-11-25T10:00:00.000Z', reason: 'reviewed the binary download' }];
    const body = renderSticky(result([change(1)]), approvals, 'c'.repeat(40), defaultConfig());
    expect(readApprovals(body)).toEqual(approvals);
    expect(body).toContain('Accepted by reviewers');
    expect(readApprovals(body.replace(/approvals [A-Za-z0-9+/=]+/, 'approvals bm90IGpzb24='))).toEqual([]);
    expect(readApprovals(`<!-- lockwarden:approvals ${Buffer.from(JSON.stringify([{ package: 'x' }])).toString('base64')} -->`)).toEqual([]);
  });

  it('an approval accepts exactly its version', () => {
    const config = withApprovals(defaultConfig(), [{ package: 'axios', version: '1.14.1', by: 'alice', at: 'now', reason: 'ok' }]);
    const now = new Date();
    const f = [{ signal: 'trust-downgrade', severity: 'high' as const, message: 'm', evidence: {} }];
    expect(applyPolicy(f, { name: 'axios', version: '1.14.1' }, config, now)[0]!.allowed).toMatchObject({ by: 'alice' });
    expect(applyPolicy(f, { name: 'axios', version: '1.14.2' }, config, now)[0]!.allowed).toBeUndefined();
  });

  it('says the findings are gone rather than leaving a stale warning', () => {
    expect(renderSticky(null, [], 'd'.repeat(40), defaultConfig())).toMatch(/no risky dependency changes any more/);
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
  ])('parses %j', (body, expected) => {
    expect(parseAllowCommand(body)).toEqual(expected);
  });
  it.each([
    ['/lockwarden allow axios because', /exact version/],
    ['/lockwarden allow axios@1.14.1', /reason/],
    ['/lockwarden allow axios@^1.0.0 all of them', /exact version/],
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
    q.enqueue('pr#1', async () => void log.push('second ran'), () => log.push('second skipped'));
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
    const own = await loadRepoConfig(api({ 'acme/app:.github/lockwarden.yml': 'failOn: critical', 'acme/.github:.github/lockwarden.yml': 'failOn: medium' }), 'acme', 'app');
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
    await expect(loadRepoConfig(api({ 'acme/app:.github/lockwarden.yml': '_extends: b', 'acme/b:.github/lockwarden.yml': '_extends: app' }), 'acme', 'app')).rejects.toThrow(/cycle/);
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
