/**
 * The --git form on a hostile checkout: nothing the repository configures runs (fsmonitor, hooks,
 * .gitattributes filters and textconv, external diff, pager), revisions cannot smuggle options,
 * symbolic links are never followed, and changed files that cannot be reviewed fail the review.
 */
import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_MAX_BYTES } from '../../src/lockfiles/index.js';
import { cli, root, tempDir, TestRepo } from './git-repo.js';

const ex = (scenario: string, side: 'base' | 'head') => readFileSync(path.join(root, 'examples', scenario, side, 'package-lock.json'), 'utf8');
const SECRET = 'ghp_secretCredentialToken0123456789';

interface JsonReport {
  changes: Array<{ name: string; lockfile: string }>;
  conclusion: string;
  incomplete: Array<{ name: string; reason: string; failClosed?: boolean }>;
}

let tmp: Awaited<ReturnType<typeof tempDir>>;
let repo: TestRepo;

beforeEach(async () => {
  tmp = await tempDir('git-hostile');
  repo = await TestRepo.create(path.join(tmp.dir, 'repo'));
});
afterEach(async () => {
  await tmp.remove();
});

/** Arms every way a checkout's config could make git run a program: each writes a marker when run. */
async function armTraps(): Promise<string> {
  const markers = path.join(tmp.dir, 'markers');
  const bin = path.join(tmp.dir, 'trap-bin');
  await mkdir(markers, { recursive: true });
  await mkdir(path.join(bin, 'hooks'), { recursive: true });
  const script = async (file: string, tail: string) => {
    await writeFile(file, `#!/bin/sh\ntouch '${markers}/${path.basename(file)}'\n${tail}\n`);
    await chmod(file, 0o755);
  };
  await script(path.join(bin, 'fsmonitor'), 'exit 0');
  await script(path.join(bin, 'filter'), 'cat');
  await script(path.join(bin, 'textconv'), 'cat "$1"');
  await script(path.join(bin, 'extdiff'), 'exit 0');
  await script(path.join(bin, 'pager'), 'cat');
  for (const hook of ['reference-transaction', 'post-checkout', 'post-index-change', 'pre-commit', 'post-commit', 'pre-auto-gc', 'post-merge'])
    await script(path.join(bin, 'hooks', hook), 'exit 0');
  const set = (k: string, v: string) => repo.git('config', k, v);
  await set('core.fsmonitor', path.join(bin, 'fsmonitor'));
  await set('core.hooksPath', path.join(bin, 'hooks'));
  await set('filter.evil.clean', path.join(bin, 'filter'));
  await set('filter.evil.smudge', path.join(bin, 'filter'));
  await set('filter.evil.required', 'true');
  await set('diff.evil.textconv', path.join(bin, 'textconv'));
  await set('diff.external', path.join(bin, 'extdiff'));
  await set('core.pager', path.join(bin, 'pager'));
  await set('diff.relative', 'true');
  await writeFile(path.join(repo.dir, '.git', 'info', 'attributes'), '* filter=evil diff=evil\n');
  return markers;
}

describe('review --git on a hostile checkout', () => {
  it('runs no fsmonitor, hook, filter, textconv, external diff or pager from the checkout', async () => {
    await repo.commit({ '.gitattributes': '* filter=evil diff=evil\n', 'app/package-lock.json': ex('axios', 'base') });
    await repo.commit({ 'app/package-lock.json': ex('axios', 'head') });
    const markers = await armTraps();
    // from a subfolder, with diff.relative set: paths are still the repository's
    const r = await cli(['review', '--git', 'HEAD~1..HEAD', '--offline', '--format', 'json'], path.join(repo.dir, 'app'));
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.changes.find((c) => c.name === 'axios')!.lockfile).toBe('app/package-lock.json');
    expect(await readdir(markers)).toEqual([]);

    // the traps are armed: the same repository makes ordinary git commands run each of them
    await repo.git('status'); // fsmonitor, and post-index-change when it refreshes the index
    await repo.git('diff', 'HEAD~1', 'HEAD');
    await repo.git('log', '-p', '--textconv', '--no-ext-diff', '-1');
    await repo.git('cat-file', '--filters', 'HEAD:app/package-lock.json');
    await repo.git('update-ref', 'refs/heads/trap', 'HEAD');
    expect((await readdir(markers)).sort()).toEqual(['extdiff', 'filter', 'fsmonitor', 'post-index-change', 'reference-transaction', 'textconv']);
  });

  it('refuses a revision that would be read as an option', async () => {
    await repo.commit({ 'package-lock.json': ex('axios', 'base') });
    await repo.commit({ 'package-lock.json': ex('axios', 'head') });
    const out = path.join(tmp.dir, 'x');
    for (const spec of [`--output=${out}..HEAD`, `HEAD~1..--output=${out}`, `--output=${out}...HEAD`]) {
      const r = await cli(['review', `--git=${spec}`, '--offline', '--format', 'json'], repo.dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--git: a revision cannot start with '-'/);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('refuses a -r include that is a symbolic link, or lies under one, without reading its target', async () => {
    const outside = path.join(tmp.dir, 'outside');
    await mkdir(outside);
    await writeFile(path.join(outside, 'common.txt'), `requests==2.31.0\nhttps-token==${SECRET}\n`);
    await repo.commit({ 'requirements.txt': 'six==1.16.0\n', 'inside.txt': 'attrs==23.2.0\n' });
    for (const [include, link] of [
      ['common.txt', { 'common.txt': { link: path.join(outside, 'common.txt') } }],
      ['linked/common.txt', { linked: { link: outside } }],
      ['alias.txt', { 'alias.txt': { link: 'inside.txt' } }],
    ] as const) {
      await repo.commit({ ...link, 'requirements.txt': `six==1.16.0\n-r ${include}\n` });
      const r = await cli(['review', '--git', 'HEAD~1..HEAD', '--offline', '--format', 'json'], repo.dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('requirements.txt:2:');
      expect(r.stderr).toMatch(/symbolic link, not followed/);
      expect(r.stdout + r.stderr).not.toContain(SECRET);
      expect(r.stdout + r.stderr).not.toContain(outside);
      await repo.commit({ 'requirements.txt': 'six==1.16.0\n', 'common.txt': null, linked: null, 'alias.txt': null });
    }
  });

  it('fails closed on a changed bun.lockb and on a lockfile that is a symbolic link', async () => {
    await repo.commit({ 'package-lock.json': ex('axios', 'base'), 'web/real-lock.json': ex('axios', 'head') });
    await repo.commit({ 'bun.lockb': Buffer.from([0x23, 0x21, 0x2f, 0x75, 0x00, 0xff, 0x01]), 'package-lock.json': { link: 'web/real-lock.json' } });
    const r = await cli(['review', '--git', 'HEAD~1..HEAD', '--offline', '--format', 'json'], repo.dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.conclusion).toBe('failure');
    expect(report.incomplete).toEqual([
      { name: 'bun.lockb', version: null, reason: expect.stringMatching(/^bun\.lockb is binary and is not supported yet: not reviewed/), failClosed: true },
      {
        name: 'package-lock.json',
        version: null,
        reason: expect.stringMatching(/^a symbolic link, not followed \(head, [0-9a-f]{7}\): not reviewed$/),
        failClosed: true,
      },
    ]);
  });

  it('fails closed past 20 changed lockfiles, naming the ones not reviewed', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 21; i++) files[`svc${String(i).padStart(2, '0')}/requirements.txt`] = `six==1.16.${i}\n`;
    await repo.commit({ 'README.md': 'a\n' });
    await repo.commit(files);
    const r = await cli(['review', '--git', 'HEAD~1..HEAD', '--offline', '--format', 'json'], repo.dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport & { summary: { lockfiles: string[] } };
    expect(report.summary.lockfiles).toHaveLength(20);
    expect(report.incomplete).toEqual([
      { name: 'svc20/requirements.txt', version: null, reason: 'more than 20 lockfiles changed: not reviewed', failClosed: true },
    ]);
  });

  it('refuses a lockfile blob over the size cap without reading it, as the App refuses it', async () => {
    await repo.commit({ 'package-lock.json': ex('axios', 'base') });
    const huge = Buffer.alloc(DEFAULT_MAX_BYTES + 1, 0x20);
    huge.write('{"lockfileVersion":3,"packages":{}}');
    const head = await repo.commit({ 'package-lock.json': huge });
    const r = await cli(['review', '--git', 'HEAD~1..HEAD', '--offline', '--format', 'json'], repo.dir);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as JsonReport).incomplete).toEqual([
      {
        name: 'package-lock.json',
        version: null,
        reason: `file too large (${DEFAULT_MAX_BYTES + 1} bytes; the limit is ${DEFAULT_MAX_BYTES}) (head, ${head.slice(0, 7)}): not reviewed`,
        failClosed: true,
      },
    ]);
  });
});
