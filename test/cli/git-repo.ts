/**
 * Real git repositories and directory trees for the CLI's --git and directory forms: built in a temp
 * directory by the test with the git on PATH (no user or system config), one commit per call.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../src/cli/main.js';

const run = promisify(execFile);

/** A file's content, a symbolic link to `link`, or null to delete it. */
export type Content = string | Uint8Array | { link: string } | null;
export type Files = Record<string, Content>;

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

/** git's environment for building test repositories: nothing from the user's or the system's config. */
export function testGitEnv(home: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LANG: 'C' };
}

export async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `lockwarden-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes `files` under `dir` (links as links; null deletes). */
export async function writeTree(dir: string, files: Files): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    await mkdir(path.dirname(p), { recursive: true });
    await rm(p, { force: true, recursive: true });
    if (content === null) continue;
    if (typeof content === 'object' && 'link' in content) await symlink(content.link, p);
    else await writeFile(p, content);
  }
}

export class TestRepo {
  private constructor(
    readonly dir: string,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  static async create(dir: string): Promise<TestRepo> {
    await mkdir(dir, { recursive: true });
    const repo = new TestRepo(dir, testGitEnv(dir));
    await repo.git('init', '-q', '-b', 'main');
    await repo.git('config', 'user.name', 'Test');
    await repo.git('config', 'user.email', 'test@example.invalid');
    await repo.git('config', 'commit.gpgsign', 'false');
    return repo;
  }

  async git(...args: string[]): Promise<string> {
    return (await run('git', args, { cwd: this.dir, env: this.env, maxBuffer: 64 * 1024 * 1024 })).stdout;
  }

  /** Writes the files and commits everything; returns the commit id. */
  async commit(files: Files, message = 'change'): Promise<string> {
    await writeTree(this.dir, files);
    await this.git('add', '-A');
    await this.git('commit', '-q', '--allow-empty', '-m', message);
    return (await this.git('rev-parse', 'HEAD')).trim();
  }
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The real CLI `main`, in `cwd`, with no user npm or pip configuration. */
export async function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { LOCKWARDEN_OSV_URL: 'off', HOME: '/nonexistent-home', PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', ...env },
    cwd,
  });
  return { code, stdout, stderr };
}
