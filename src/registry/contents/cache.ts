/**
 * The archive cache, keyed by verified integrity: unpacked contents in memory (LRU, bounded by bytes)
 * and, with a directory, the archive bytes on disk (one file per integrity, written atomically,
 * bounded total size). Disk bytes are re-verified on every read: a corrupted file is a miss.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ArchiveContents } from '../../model/index.js';
import { ByteLru } from '../http.js';
import type { Algorithm } from './integrity.js';

const MiB = 1024 * 1024;

export interface ArchiveCacheOptions {
  /** Memory budget of unpacked contents (default 32 MiB: texts held here outlive their analysis; the directory keeps bytes). */
  memoryBytes?: number;
  /** A directory for archive bytes (`LOCKWARDEN_CACHE_DIR`); absent: memory only. */
  dir?: string | undefined;
  /** Most bytes kept in the directory (default 1 GiB): the oldest files go first. */
  dirMaxBytes?: number;
}

export interface CachedContents {
  contents: ArchiveContents;
  /** The archive's digests (base64, by algorithm): a lockfile pinning another algorithm is still checked. */
  digests: ReadonlyMap<Algorithm, string>;
  bytes: number;
}

export class ArchiveCache {
  private readonly memory: ByteLru<CachedContents>;
  private readonly dir: string | undefined;
  private readonly dirMaxBytes: number;

  constructor(opts: ArchiveCacheOptions = {}) {
    this.memory = new ByteLru<CachedContents>(Math.max(0, opts.memoryBytes ?? 32 * MiB));
    this.dir = opts.dir;
    this.dirMaxBytes = opts.dirMaxBytes ?? 1024 * MiB;
  }

  getContents(key: string): CachedContents | undefined {
    return this.memory.get(key);
  }

  setContents(key: string, contents: ArchiveContents, digests: ReadonlyMap<Algorithm, string>): void {
    this.memory.set(key, { contents, digests, bytes: estimateBytes(contents) });
  }

  /** The archive bytes kept on disk for an integrity (unverified: the caller checks them), or undefined. */
  async getBytes(integrity: string): Promise<Buffer | undefined> {
    if (!this.dir) return undefined;
    try {
      return await readFile(this.fileOf(integrity));
    } catch {
      return undefined;
    }
  }

  /** Whether the directory holds bytes for an integrity (unverified: a read checks them). */
  async hasBytes(integrity: string): Promise<boolean> {
    if (!this.dir) return false;
    return stat(this.fileOf(integrity)).then(
      () => true,
      () => false,
    );
  }

  /** Drops a file that failed verification. */
  async forget(integrity: string): Promise<void> {
    if (this.dir) await unlink(this.fileOf(integrity)).catch(() => undefined);
  }

  /** Keeps verified bytes on disk (temp file then rename, so a reader never sees half a file), then trims. */
  async setBytes(integrity: string, bytes: Uint8Array): Promise<void> {
    if (!this.dir || bytes.length > this.dirMaxBytes) return;
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      const tmp = path.join(this.dir, `.tmp-${randomBytes(8).toString('hex')}`);
      await writeFile(tmp, bytes, { mode: 0o600 });
      await rename(tmp, this.fileOf(integrity));
      await this.trim();
    } catch {
      // a cache that cannot be written only costs a download next time
    }
  }

  private fileOf(integrity: string): string {
    return path.join(this.dir!, `${createHash('sha256').update(integrity).digest('hex')}.tgz`);
  }

  /** Removes the oldest archives until the directory is within its budget. */
  private async trim(): Promise<void> {
    const names = (await readdir(this.dir!)).filter((n) => n.endsWith('.tgz'));
    const files = await Promise.all(
      names.map(async (n) => {
        const s = await stat(path.join(this.dir!, n)).catch(() => undefined);
        return { n, size: s?.size ?? 0, at: s?.mtimeMs ?? 0 };
      }),
    );
    let total = files.reduce((t, f) => t + f.size, 0);
    for (const f of files.sort((a, b) => a.at - b.at)) {
      if (total <= this.dirMaxBytes) break;
      await unlink(path.join(this.dir!, f.n)).catch(() => undefined);
      total -= f.size;
    }
  }
}

/** Roughly what the contents hold in memory. */
function estimateBytes(c: ArchiveContents): number {
  let n = 1024;
  for (const f of c.files) n += 200 + f.path.length * 2 + (f.text?.length ?? 0) + (f.head?.length ?? 0);
  return n;
}
