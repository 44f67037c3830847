/**
 * git's object store through two long-lived `git cat-file` processes (`--batch-check` for type and
 * size, `--batch` for contents): raw objects, never filtered (no .gitattributes driver runs). Only
 * object ids lockwarden computed are asked for, so nothing from a path reaches git's input.
 */
import type { ChildProcess } from 'node:child_process';
import { GitFailed, spawnGit, type GitContext } from './git.js';

/** Bytes arriving from a process, read as header lines and counted payloads. */
class ByteQueue {
  private chunks: Buffer[] = [];
  private length = 0;
  private wake: (() => void) | undefined;
  private ended: Error | undefined;

  push(b: Buffer): void {
    this.chunks.push(b);
    this.length += b.length;
    this.wake?.();
  }

  end(error: Error): void {
    this.ended ??= error;
    this.wake?.();
  }

  private async until(ready: () => boolean): Promise<void> {
    while (!ready()) {
      if (this.ended) throw this.ended;
      await new Promise<void>((r) => {
        this.wake = r;
      });
      this.wake = undefined;
    }
  }

  private flat(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  async line(): Promise<string> {
    await this.until(() => this.length > 0 && this.flat().includes(10));
    return this.take(this.flat().indexOf(10) + 1)
      .subarray(0, -1)
      .toString('utf8');
  }

  async bytes(n: number): Promise<Buffer> {
    await this.until(() => this.length >= n);
    return this.take(n);
  }

  private take(n: number): Buffer {
    const all = this.flat();
    const out = Buffer.from(all.subarray(0, n));
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.length = rest.length;
    return out;
  }
}

class CatFile {
  private readonly child: ChildProcess;
  private readonly out = new ByteQueue();
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    ctx: GitContext,
    private readonly mode: '--batch' | '--batch-check',
  ) {
    this.child = spawnGit(ctx, ['cat-file', mode]);
    let stderr = '';
    this.child.stdout!.on('data', (b: Buffer) => this.out.push(b));
    this.child.stderr!.on('data', (b: Buffer) => {
      if (stderr.length < 1000) stderr += b.toString('utf8');
    });
    this.child.on('error', (e) => this.out.end(e));
    this.child.on('close', () => this.out.end(new GitFailed(stderr.trim().split('\n')[0] || 'git cat-file ended')));
    this.child.stdin!.on('error', () => {}); // a dead process is reported by the next read
  }

  /** One object's header, and its contents with --batch; null when git has no such object. */
  ask(object: string): Promise<{ type: string; size: number; data?: Buffer } | null> {
    const next = this.chain.then(async () => {
      this.child.stdin!.write(`${object}\n`);
      const header = (await this.out.line()).split(' ');
      if (header.length !== 3) return null; // `<object> missing` / `ambiguous`
      const size = Number(header[2]);
      if (!Number.isSafeInteger(size) || size < 0) throw new GitFailed(`git cat-file: unexpected header for ${object}`);
      const data = this.mode === '--batch' ? (await this.out.bytes(size + 1)).subarray(0, size) : undefined;
      return { type: header[1]!, size, ...(data ? { data } : {}) };
    });
    this.chain = next.catch(() => {});
    return next;
  }

  close(): void {
    this.child.stdin!.end();
    if (this.child.exitCode === null) this.child.kill();
  }
}

export interface GitObjects {
  /** An object's type and size, or null when absent. */
  info(object: string): Promise<{ type: string; size: number } | null>;
  /** An object's type and raw contents, or null when absent. */
  read(object: string): Promise<{ type: string; data: Buffer } | null>;
  close(): void;
}

export function openGitObjects(ctx: GitContext): GitObjects {
  const check = new CatFile(ctx, '--batch-check');
  const batch = new CatFile(ctx, '--batch');
  return {
    info: (object) => check.ask(object),
    read: async (object) => {
      const r = await batch.ask(object);
      return r ? { type: r.type, data: r.data! } : null;
    },
    close: () => {
      check.close();
      batch.close();
    },
  };
}
