/**
 * What the sdist readers (tar, ZIP) collect while walking an archive: its members in order, the
 * last candidate for each build file, and the caps. Member names follow pip's rules (docs/REGISTRY.md).
 */
export class SdistError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SdistError';
  }
}

export interface SdistLimits {
  /** Most bytes decompressed (tar) or declared by the members (ZIP); default 256 MiB. */
  maxUnpackedBytes: number;
  /** Most members; default 100 000. */
  maxMembers: number;
  /** Largest `pyproject.toml` read; default 1 MiB. */
  maxPyprojectBytes: number;
  /** Largest pax header or GNU long name; default 1 MiB. */
  maxExtendedHeaderBytes: number;
}

export const DEFAULT_SDIST_LIMITS: SdistLimits = {
  maxUnpackedBytes: 256 * 1024 * 1024,
  maxMembers: 100_000,
  maxPyprojectBytes: 1024 * 1024,
  maxExtendedHeaderBytes: 1024 * 1024,
};

/** Text of `setup.py` kept for evidence. */
export const SETUP_PY_HEAD_BYTES = 2048;

export type SdistFormat = 'tar.gz' | 'zip';

/** The sdist formats read here, by file name: `.tar.gz` (and `.tgz`) and `.zip`; undefined for others. */
export function sdistFormat(filename: string): SdistFormat | undefined {
  const f = filename.toLowerCase();
  if (f.endsWith('.tar.gz') || f.endsWith('.tgz')) return 'tar.gz';
  if (f.endsWith('.zip')) return 'zip';
  return undefined;
}

// ---- names ----------------------------------------------------------------------------------
// Member names are kept as "binary strings" (one char per byte, latin1): pip and Python compare
// names as strings decoded with surrogateescape, which is byte-for-byte; the separators and the
// file names looked for are ASCII. They are decoded as UTF-8 only for display.

export function binary(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** A binary name as readable text (invalid UTF-8 shows as U+FFFD). */
export function displayName(name: string): string {
  return Buffer.from(name, 'latin1').toString('utf8');
}

/** pip's `split_leading_dir`: the first path component and the rest, `/` or `\`, whichever comes first. */
export function splitLeadingDir(path: string): [string, string] {
  const p = path.replace(/^\/+/, '').replace(/^\\+/, '');
  const slash = p.indexOf('/');
  const back = p.indexOf('\\');
  if (slash >= 0 && (back < 0 || slash < back)) return [p.slice(0, slash), p.slice(slash + 1)];
  if (back >= 0) return [p.slice(0, back), p.slice(back + 1)];
  return [p, ''];
}

/** pip's `has_leading_dir`: every name has the same non-empty first component (true for no names). */
export function hasLeadingDir(names: Iterable<string>): boolean {
  let common: string | undefined;
  for (const n of names) {
    const [prefix] = splitLeadingDir(n);
    if (!prefix) return false;
    if (common === undefined) common = prefix;
    else if (prefix !== common) return false;
  }
  return true;
}

/**
 * A member's path inside the project directory, normalised (`a/./b/../c` → `a/c`), or undefined
 * when it would land outside (absolute, or `..` above the top). Backslashes count as separators:
 * they are on Windows, and a member that reaches `setup.py` there is one to see.
 */
export function resolveInside(rel: string): string | undefined {
  if (/^[/\\]/.test(rel)) return undefined;
  const parts: string[] = [];
  for (const seg of rel.split(/[/\\]/)) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}

/** Python's `posixpath.normpath` on a relative name (hard-link targets are matched with it). */
function normpath(name: string): string {
  const abs = name.startsWith('/');
  const parts: string[] = [];
  for (const seg of name.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (seg !== '..' || !abs) parts.push(seg);
  }
  return (abs ? '/' : '') + parts.join('/') || (abs ? '/' : '.');
}

// ---- what a reader collects ------------------------------------------------------------------

export type MemberKind = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

export interface ArchiveMember {
  /** Binary string (see above), as the installer names the member. */
  name: string;
  kind: MemberKind;
  size: number;
  /** Content sha256 (files; hard links: their target's). */
  sha256?: string;
  /** Link target (binary string). */
  link?: string;
}

/** The beginning (or all) of a member that may be one of the build files. */
export interface Captured {
  /** Index in {@link ArchiveListing.members}. */
  index: number;
  bytes: Buffer;
  /** The member is longer than what was kept. */
  truncated: boolean;
}

export interface ArchiveListing {
  members: ArchiveMember[];
  /**
   * The last member that could be each build file, by `<interpretation>:<file>`: `A:` with the
   * leading directory stripped, `B:` without (which one applies is known only at the end).
   */
  captured: Map<string, Captured>;
  unpackedBytes: number;
}

const BUILD_FILES = ['setup.py', 'setup.cfg', 'pyproject.toml'] as const;
export type BuildFile = (typeof BUILD_FILES)[number];

function isBuildFile(p: string | undefined): p is BuildFile {
  return p === 'setup.py' || p === 'setup.cfg' || p === 'pyproject.toml';
}

/** The capture keys of a member name and how many bytes to keep for them. */
function captureKeys(name: string, limits: SdistLimits): { keys: string[]; keep: number } {
  const keys: string[] = [];
  let keep = 0;
  const a = resolveInside(splitLeadingDir(name)[1]);
  const b = resolveInside(name);
  for (const [tag, p] of [
    ['A', a],
    ['B', b],
  ] as const) {
    if (!isBuildFile(p)) continue;
    keys.push(`${tag}:${p}`);
    keep = Math.max(keep, p === 'pyproject.toml' ? limits.maxPyprojectBytes + 1 : p === 'setup.py' ? SETUP_PY_HEAD_BYTES + 1 : 0);
  }
  return { keys, keep };
}

/** Collects members in archive order: the hard-link table, captures, the member cap. */
export class Collector {
  readonly members: ArchiveMember[] = [];
  readonly captured = new Map<string, Captured>();
  private readonly byNormName = new Map<string, number>();
  constructor(readonly limits: SdistLimits) {}

  add(m: ArchiveMember): number {
    if (this.members.length >= this.limits.maxMembers) throw new SdistError(`more than ${this.limits.maxMembers} members`);
    this.members.push(m);
    const i = this.members.length - 1;
    this.byNormName.set(normpath(m.name), i);
    return i;
  }

  /** The member a hard link reads (Python: the last earlier member of that normalised name). */
  linkTarget(link: string): ArchiveMember | undefined {
    const i = this.byNormName.get(normpath(link));
    return i === undefined ? undefined : this.members[i];
  }

  /** Starts capturing member `index`; returns the sink for its bytes, or undefined when not a build file. */
  capture(index: number, name: string): ((chunk: Uint8Array) => void) | undefined {
    const { keys, keep } = captureKeys(name, this.limits);
    if (keys.length === 0) return undefined;
    const c: Captured = { index, bytes: Buffer.alloc(0), truncated: false };
    for (const k of keys) this.captured.set(k, c);
    const parts: Buffer[] = [];
    let have = 0;
    return (chunk) => {
      if (have >= keep) {
        c.truncated = c.truncated || chunk.length > 0;
        return;
      }
      const take = chunk.subarray(0, keep - have);
      parts.push(Buffer.from(take));
      have += take.length;
      if (take.length < chunk.length) c.truncated = true;
      c.bytes = Buffer.concat(parts);
    };
  }
}

/** Little-endian integers (ZIP records, the gzip header). */
export function u16(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}
export function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}
