/**
 * What a package archive holds, as content analysis reads it (issue 14): the gatherer (src/registry,
 * src/core/gatherers) fills it from a verified archive; the content detectors (src/content) compare two.
 */

/** One member of an unpacked archive. Paths are normalised: `/`-separated, the npm `package/` prefix removed. */
export interface ArchiveFile {
  path: string;
  /** Unpacked size in bytes. */
  size: number;
  /** Hex sha256 of the whole member (also when its text is not kept). */
  sha256: string;
  /**
   * `text`: valid UTF-8 without NUL bytes, kept in `text` when under the per-file cap; `binary`:
   * anything else (its first bytes in `head`, for magic numbers); `link`/`other`: a link, device or
   * other non-file member, never unpacked.
   */
  kind: 'text' | 'binary' | 'link' | 'other';
  text?: string;
  /** binary: the first 64 bytes (ELF/PE/Mach-O magic), base64. */
  head?: string;
  /** The archive's mode bits say executable. */
  executable?: boolean;
  /** Set when the text was not kept: over the per-file cap, or the archive's total budget. */
  truncated?: boolean;
}

/** What was not read, and why: reported as content not analysed, never as clean. */
export interface ContentSkip {
  path?: string;
  reason: string;
}

export interface ArchiveContents {
  ecosystem: 'npm' | 'pypi';
  name: string;
  version: string;
  /** The integrity the bytes were verified against (`sha512-…`, `sha256:…`): the cache key. */
  integrity: string;
  files: ArchiveFile[];
  skipped: ContentSkip[];
  bytes: { compressed: number; unpacked: number };
}
