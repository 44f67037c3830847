/** How the engine asks a registry client for a version's verified archive contents (issue 14). */
import type { ArchiveContents } from './contents.js';

/** The caps on one archive (config `content`, src/policy/config.ts). */
export interface ContentLimits {
  /** Largest compressed archive downloaded (default 32 MiB). */
  maxArchiveBytes: number;
  /** Most bytes after decompression (default 128 MiB). */
  maxUnpackedBytes: number;
  /** Most members (default 20 000). */
  maxFiles: number;
  /** Text kept per file (default 2 MiB). */
  maxTextBytes?: number;
  /** Text kept for the whole archive (default 8 MiB). */
  maxTotalTextBytes?: number;
  /** Most unpacked bytes per compressed byte past 1 MiB (default 200). */
  maxRatio?: number;
}

export interface ContentsRequest {
  name: string;
  version: string;
  /** The registry document's `dist.tarball`: followed only on the client's configured origin. */
  tarball: string | undefined;
  /** The registry document's `dist.integrity` and `dist.shasum`. */
  integrity: string | undefined;
  shasum: string | undefined;
  /** The lockfile's integrity for this version, when the lockfile pins it. */
  lockIntegrity?: string | undefined;
  limits: ContentLimits;
  /**
   * Only these paths keep their text (within the same caps): a second look at changed files a first
   * read left past its text budget. Such contents are not kept in the memory cache.
   */
  textOf?: readonly string[] | undefined;
}

/** An archive to read ahead, before its registry document is in: what the lockfile tells of it. */
export interface ContentsPrefetch {
  name: string;
  version: string;
  /** The lockfile's integrity: an archive cached under it is not read again. */
  lockIntegrity: string | undefined;
  limits: ContentLimits;
}

/**
 * `failClosed`: the archive itself was refused (integrity mismatch, over a cap, another origin, not a
 * tarball): the attacker can cause it. Otherwise the registry's trouble (network, 5xx, timeout).
 */
export type ContentsResult =
  | { ok: true; contents: ArchiveContents; downloaded: number }
  /** `noteOnly`: not analysed by the registry's shape (no dist.tarball, another origin): a note, not incomplete. */
  | { ok: false; reason: string; failClosed?: boolean; noteOnly?: boolean };
