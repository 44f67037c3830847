/**
 * Running git for the --git form, without anything the checkout configures running with it: no shell,
 * no hooks, fsmonitor, pager, external diff or textconv, no replace objects, no terminal prompt. Paths
 * are always the repository's (never relative to the current directory).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';

/** Options that override what a checkout's .git/config could make git run or change. */
export const SAFE_GIT_OPTIONS: readonly string[] = [
  '-c',
  'core.fsmonitor=false',
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'diff.external=',
  '-c',
  'core.pager=cat',
  '-c',
  'core.untrackedCache=false',
  '--no-pager',
];

/** git's environment: the user's, with prompts, optional locks, replace objects and GIT_EXTERNAL_DIFF off. */
export function gitEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {
    ...env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_PAGER: 'cat',
    GIT_LITERAL_PATHSPECS: '1',
  };
  delete out.GIT_EXTERNAL_DIFF;
  return out;
}

export interface GitContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** A git command that failed: `firstLine` is git's own message, trimmed to one line. */
export class GitFailed extends Error {
  constructor(
    readonly firstLine: string,
    readonly notInstalled = false,
  ) {
    super(firstLine);
  }
}

function firstLineOf(stderr: string, fallback: string): string {
  const line = stderr.split('\n').find((l) => l.trim() !== '');
  return (line ?? fallback).trim().slice(0, 300);
}

/** A short git command's standard output (rev-parse, merge-base). */
export function gitOutput(ctx: GitContext, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', [...SAFE_GIT_OPTIONS, ...args], { cwd: ctx.cwd, env: gitEnv(ctx.env), maxBuffer: 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const code = (err as NodeJS.ErrnoException).code;
      reject(code === 'ENOENT' ? new GitFailed('git is not installed', true) : new GitFailed(firstLineOf(stderr, err.message)));
    });
  });
}

export function spawnGit(ctx: GitContext, args: readonly string[]): ChildProcess {
  return spawn('git', [...SAFE_GIT_OPTIONS, ...args], { cwd: ctx.cwd, env: gitEnv(ctx.env), stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Streams a git command's NUL-terminated records (`-z` output) to `onRecord`; rejects when git fails. */
export function gitRecords(ctx: GitContext, args: readonly string[], onRecord: (record: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(ctx, args);
    child.stdin!.end();
    let rest = Buffer.alloc(0);
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      let data = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      let i = data.indexOf(0);
      while (i >= 0) {
        onRecord(data.subarray(0, i));
        data = data.subarray(i + 1);
        i = data.indexOf(0);
      }
      rest = Buffer.from(data);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8');
    });
    child.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' ? new GitFailed('git is not installed', true) : e));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new GitFailed(firstLineOf(stderr, `git exited with ${code}`)))));
  });
}
