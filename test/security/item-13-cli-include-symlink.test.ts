/**
 * Issue 10, item 13: a requirements file's `-r` include that is a symbolic link (or lies under a
 * linked directory) leading out of the repository is refused, naming the including file and line,
 * without showing the target's content or where it is. Real symlinks in a temp "checkout"; the
 * real CLI `main`, offline (the refusal happens before any review).
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';

const SECRET = 'ghp_secretCredentialToken0123456789';

let tmp: string;
let repo: string;
let outside: string;

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'lockwarden-item13-'));
  repo = path.join(tmp, 'repo');
  outside = path.join(tmp, 'outside');
  await mkdir(path.join(repo, 'base'), { recursive: true });
  await mkdir(path.join(repo, 'head'), { recursive: true });
  await mkdir(path.join(repo, 'requirements'), { recursive: true });
  await mkdir(outside, { recursive: true });
  // what a CI runner keeps next to the checkout
  await writeFile(path.join(outside, 'git-credentials'), `https://ci-bot:${SECRET}@git.example\n`);
  await writeFile(path.join(outside, 'requirements.txt'), `requests==2.31.0\nhttps-token==${SECRET}\n`);
  await writeFile(path.join(repo, 'base', 'requirements.txt'), 'attrs==23.2.0\n');
  await writeFile(path.join(repo, 'requirements', 'base.txt'), 'attrs==23.2.0\n');
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function review(head: string): Promise<{ code: number; out: string; stderr: string }> {
  await writeFile(path.join(repo, 'head', 'requirements.txt'), head);
  return reviewFiles('base/requirements.txt', 'head/requirements.txt');
}

async function reviewFiles(base: string, head: string): Promise<{ code: number; out: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['review', base, head, '--offline', '--format', 'json'], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { LOCKWARDEN_OSV_URL: 'off', HOME: '/nonexistent-home' },
    cwd: repo,
  });
  return { code, out: stdout + stderr, stderr };
}

function expectRefused(r: { code: number; out: string; stderr: string }, line: number, include: string): void {
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`head/requirements.txt:${line}:`);
  expect(r.stderr).toContain(include);
  expect(r.stderr).toMatch(/outside the repository/);
  expect(r.out).not.toContain(SECRET);
  expect(r.out).not.toContain('git.example');
  expect(r.out).not.toContain(outside);
  expect(r.out).not.toContain('root:');
}

describe('item 13: -r includes may not leave the repository through symbolic links', () => {
  it('an include that links to a credentials file outside is refused, its content never shown', async () => {
    await symlink(path.join(outside, 'git-credentials'), path.join(repo, 'head', 'gc-link.txt'));
    expectRefused(await review('attrs==23.2.0\n-r gc-link.txt\n'), 2, 'gc-link.txt');
  });

  it('an include that links to /etc/passwd is refused without echoing it', async () => {
    await symlink('/etc/passwd', path.join(repo, 'head', 'passwd.txt'));
    const r = await review('-r passwd.txt\nattrs==23.2.0\n');
    expectRefused(r, 1, 'passwd.txt');
    expect(r.out).not.toContain('/etc/passwd');
  });

  it('a relative link (../../outside/...) is refused too', async () => {
    await symlink(path.join('..', '..', 'outside', 'requirements.txt'), path.join(repo, 'head', 'more.txt'));
    expectRefused(await review('attrs==23.2.0\n\n-r more.txt\n'), 3, 'more.txt');
  });

  it('an include under a linked directory that leads out is refused', async () => {
    await symlink(outside, path.join(repo, 'head', 'shared'), 'dir');
    expectRefused(await review('-r shared/requirements.txt\n'), 1, 'shared/requirements.txt');
  });

  it('a link out found in a nested include is refused with that file and line', async () => {
    await writeFile(path.join(repo, 'head', 'dev.txt'), 'attrs==23.2.0\n-r creds.txt\n');
    await symlink(path.join(outside, 'git-credentials'), path.join(repo, 'head', 'creds.txt'));
    const r = await review('-r dev.txt\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('head/dev.txt:2:');
    expect(r.stderr).toContain('creds.txt');
    expect(r.out).not.toContain(SECRET);
    expect(r.out).not.toContain(outside);
  });

  it('links inside the repository pointing inside it still work', async () => {
    await symlink(path.join('..', 'requirements', 'base.txt'), path.join(repo, 'head', 'base-link.txt'));
    await symlink(path.join(repo, 'requirements'), path.join(repo, 'head', 'reqs'), 'dir');
    const r = await review('-r base-link.txt\n-r reqs/base.txt\nrequests==2.31.0\n');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { changes: { name: string; to: string | null }[] };
    expect(report.changes.map((c) => `${c.name}@${c.to}`)).toEqual(['requests@2.31.0']);
  });

  it('the lockfile itself may be a link to anywhere; its includes still may not leave the repository', async () => {
    await writeFile(path.join(outside, 'pinned.txt'), 'requests==2.31.0\n');
    await symlink(path.join(outside, 'pinned.txt'), path.join(repo, 'head', 'requirements-linked.txt'));
    const ok = await reviewFiles('base/requirements.txt', 'head/requirements-linked.txt');
    // the user chose this file: it is read and reviewed
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('requests');

    await writeFile(path.join(outside, 'pinned-with-include.txt'), 'requests==2.31.0\n-r gc-link.txt\n');
    await symlink(path.join(outside, 'pinned-with-include.txt'), path.join(repo, 'head', 'requirements-linked2.txt'));
    await symlink(path.join(outside, 'git-credentials'), path.join(repo, 'head', 'gc-link.txt'));
    const r = await reviewFiles('base/requirements.txt', 'head/requirements-linked2.txt');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('head/requirements-linked2.txt:2:');
    expect(r.stderr).toMatch(/outside the repository/);
    expect(r.out).not.toContain(SECRET);
    expect(r.out).not.toContain(outside);
  });
});
