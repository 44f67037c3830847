/**
 * Archives read ahead, before their registry document is in, so a routine bump's archives cost no
 * second round trip: from where the configured registry keeps them by convention (what pnpm derives
 * from a lockfile too), only when they fit a small per-review budget at once (never waiting for room).
 * getContents takes the bytes when the document's dist.tarball is that very URL and verifies them
 * then, as any download. A read-ahead that fails or is not taken costs nothing but its request.
 */
import type { ArchiveAdmission, ContentsPrefetch } from '../../model/index.js';
import { ReadCut, untilCut } from '../abort.js';
import { escapePackageName } from '../npm-names.js';
import type { ArchiveCache } from './cache.js';
import type { Downloaded } from './download.js';
import { contentsCacheKey } from './npm-contents.js';
import { expectedDigests, strongestSri } from './integrity.js';

const MiB = 1024 * 1024;

/** Archive bytes one review reads ahead at most; the rest are read once their document is in. */
export const READ_AHEAD_BYTES = 16 * MiB;

export class ArchiveReadAhead {
  private readonly started = new Map<string, Promise<Buffer | undefined>>();
  private left = READ_AHEAD_BYTES;
  private readonly admission: ArchiveAdmission = {
    tryTake: (bytes) => {
      if (bytes > this.left) return undefined;
      this.left -= bytes;
      return () => undefined;
    },
    take: () => Promise.reject(new ReadCut('no room to read ahead')),
  };

  constructor(
    private readonly deps: {
      registryFor(name: string): string;
      cache: ArchiveCache;
      download(req: ContentsPrefetch, url: string, limit: number, signal: AbortSignal | undefined, admission: ArchiveAdmission): Promise<Downloaded>;
    },
  ) {}

  /** Starts reading `req`'s archive unless it is cached (in memory or on disk) or the budget is spent. */
  start(req: ContentsPrefetch, signal: AbortSignal | undefined): void {
    const url = conventionalTarball(this.deps.registryFor(req.name), req.name, req.version);
    const key = strongestSri(expectedDigests(req.lockIntegrity));
    // sha1-only archives are never cached, so never read ahead either: the later read decides alone
    if (url === undefined || key === undefined || key.startsWith('sha1-') || this.started.has(url) || this.left <= 0) return;
    if (this.deps.cache.getContents(contentsCacheKey(key, req.limits))) return;
    this.started.set(url, this.read(req, url, key, signal));
  }

  /**
   * The bytes read ahead for `url`, once; undefined when none were, they are over `limit`, or `signal`
   * (the reader's own budget) ends first: the reader then reports its own cut.
   */
  async take(url: string, limit: number, signal: AbortSignal | undefined): Promise<Buffer | undefined> {
    const early = this.started.get(url);
    if (!early) return undefined;
    this.started.delete(url);
    const bytes = await (signal ? untilCut(early, signal) : early).catch(() => undefined);
    return bytes !== undefined && bytes.length <= limit ? bytes : undefined;
  }

  private async read(req: ContentsPrefetch, url: string, key: string, signal: AbortSignal | undefined): Promise<Buffer | undefined> {
    if (await this.deps.cache.hasBytes(key)) return undefined;
    const got = await this.deps.download(req, url, req.limits.maxArchiveBytes, signal, this.admission).catch(() => undefined);
    return got !== undefined && 'bytes' in got ? got.bytes : undefined;
  }
}

/** `<registry><name>/-/<base>-<version>.tgz` (a scope keeps its slash), or undefined for a name or version that cannot be in a path. */
export function conventionalTarball(registry: string, name: string, version: string): string | undefined {
  const escaped = escapePackageName(name, '/');
  if (escaped === undefined || !/^[0-9A-Za-z][0-9A-Za-z.+-]{0,255}$/.test(version)) return undefined;
  const base = escaped.slice(escaped.lastIndexOf('/') + 1);
  return `${registry}${escaped}/-/${base}-${encodeURIComponent(version)}.tgz`;
}
