/**
 * What building a Python source distribution would run, read from the sdist itself: the project's
 * `pyproject.toml` (`[build-system]`: `build-backend`, `requires`, `backend-path`), `setup.py` and
 * `setup.cfg`. The package index's metadata does not say which build backend an sdist uses, so the
 * archive has to be read.
 *
 * The reading follows what pip does with the file (`pip._internal.utils.unpacking` on top of
 * Python's `tarfile` and `zipfile`), so lockwarden sees the files the build will see:
 * - any archive that is a ZIP (by name, by the server's content type, or by content: pip asks
 *   `zipfile.is_zipfile` first) is read as a ZIP; anything else as a gzip-compressed tar;
 * - the project directory is the archive's single leading directory when every member shares one
 *   (pip's `has_leading_dir`/`split_leading_dir`, backslashes included), else the archive root;
 * - members are extracted in order, so the **last** member written to a path wins (a benign
 *   `setup.py` early in the archive and another one later: the later one is built). That is why the
 *   whole archive is read, never "up to the first setup.py": a reader that stopped early could be
 *   shown a decoy. The download is bounded (the client's cap) and the decompressed stream is walked
 *   once, without keeping it;
 * - tar: ustar, GNU (`././@LongLink` long names and link names) and pax (per-file `x` and global `g`
 *   records: `path`, `linkpath`, `size`) headers, octal and base-256 numbers, the checksum; the first
 *   all-zero block, or (after the first member) a header with a bad checksum, ends the archive, as in
 *   `tarfile`; a member's data is skipped only for regular files and unknown types; hard links read
 *   their target's content, symbolic links are resolved inside the archive;
 * - a member that would land outside the project directory makes pip refuse the archive, and here an
 *   {@link SdistError}.
 *
 * Hostile archives get a clear {@link SdistError}, never a large allocation: a cap on the bytes
 * decompressed (a gzip bomb stops there), on members, on extended headers (pax bombs) and on the one
 * file kept whole (`pyproject.toml`); declared sizes above the caps are refused before reading.
 *
 * Everything here is pure except the gzip stream (node:zlib, asynchronous).
 */
import { createHash, type Hash } from 'node:crypto';
import { crc32, createInflateRaw, inflateRawSync } from 'node:zlib';
import { LockfileError } from '../errors.js';
import { readToml, tomlArray, tomlKind, tomlString, tomlTable } from '../lockfiles/readers/toml.js';
import type { SdistBuildFile, SdistInfo } from '../model/index.js';
import { DEFAULT_ZIP_LIMITS, EOCD_SIZE, findEocd, locateCentralDirectory, MAX_TAIL, WheelZipError } from './wheel-zip.js';

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

function binary(bytes: Uint8Array): string {
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
type BuildFile = (typeof BUILD_FILES)[number];

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
class Collector {
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

// ---- tar ------------------------------------------------------------------------------------

const BLOCK = 512;
const T_REG = 0x30; // '0'
const T_AREG = 0x00; // '\0'
const T_LNK = 0x31;
const T_SYM = 0x32;
const T_CHR = 0x33;
const T_BLK = 0x34;
const T_DIR = 0x35;
const T_FIFO = 0x36;
const T_CONT = 0x37;
const T_LONGNAME = 0x4c; // 'L'
const T_LONGLINK = 0x4b; // 'K'
const T_SPARSE = 0x53; // 'S'
const T_PAX = 0x78; // 'x'
const T_PAX_GLOBAL = 0x67; // 'g'
const T_PAX_SOLARIS = 0x58; // 'X'

/** A header Python's tarfile would not read (bad checksum, unreadable number). */
class BadHeader extends Error {}

/** `nts`: the bytes up to the first NUL. */
function nts(b: Uint8Array, at: number, len: number): string {
  const field = b.subarray(at, at + len);
  const nul = field.indexOf(0);
  return binary(nul >= 0 ? field.subarray(0, nul) : field);
}

/** `nti`: an octal number (spaces and NULs around it), or base-256 (`0x80`/`0xff` first byte). */
function nti(b: Uint8Array, at: number, len: number): number {
  const first = b[at]!;
  if (first === 0x80 || first === 0xff) {
    let n = 0;
    for (let i = at + 1; i < at + len; i++) {
      n = n * 256 + b[i]!;
      if (n > Number.MAX_SAFE_INTEGER) return Number.POSITIVE_INFINITY;
    }
    return first === 0xff ? -(256 ** (len - 1) - n) : n;
  }
  // Python: int(nts(s).strip() or "0", 8), which also takes `0o` and single underscores
  const s = nts(b, at, len).replace(/^[\s\u001c-\u001f]+|[\s\u001c-\u001f]+$/g, '');
  if (s === '') return 0;
  const m = /^([+-]?)(?:0[oO]_?)?([0-7](?:_?[0-7])*)$/.exec(s);
  if (!m) throw new BadHeader('invalid number');
  const n = parseInt(m[2]!.replace(/_/g, ''), 8);
  return m[1] === '-' ? -n : n;
}

function checksumOk(b: Uint8Array): boolean {
  let unsigned = 256; // the checksum field itself counts as eight spaces
  let signed = 256;
  for (let i = 0; i < BLOCK; i++) {
    if (i >= 148 && i < 156) continue;
    const v = b[i]!;
    unsigned += v;
    signed += v > 127 ? v - 256 : v;
  }
  const stored = nti(b, 148, 8);
  return stored === unsigned || stored === signed;
}

/** Parses pax records (`<len> <key>=<value>\n`) up to the first NUL, as Python does. */
export function parsePax(buf: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  let pos = 0;
  while (pos < buf.length && buf[pos] !== 0) {
    let i = pos;
    while (i < buf.length && buf[i]! >= 0x30 && buf[i]! <= 0x39) i++;
    if (i === pos || i - pos > 12 || i >= buf.length || buf[i] !== 0x20) throw new SdistError(`malformed pax header at byte ${pos}`);
    const len = Number(binary(buf.subarray(pos, i)));
    const end = pos + len;
    if (len < i - pos + 4 || end > buf.length || buf[end - 1] !== 0x0a) throw new SdistError(`malformed pax record at byte ${pos}`);
    const rec = buf.subarray(i + 1, end - 1);
    const eq = rec.indexOf(0x3d);
    if (eq <= 0) throw new SdistError(`malformed pax record at byte ${pos}`);
    out.set(binary(rec.subarray(0, eq)), binary(rec.subarray(eq + 1)));
    pos = end;
  }
  return out;
}

/** Extended headers seen before the member they describe. */
interface Pending {
  name?: string;
  link?: string;
  size?: number;
  /** Which kinds were seen (each at most once per member). */
  kinds: Set<number>;
}

/**
 * A push parser over a tar stream: {@link push} the decompressed bytes in any chunking, then
 * {@link finish}. Members go to the {@link Collector}; data is hashed and build files captured on the
 * fly, nothing else is kept.
 */
export class TarWalker {
  private readonly c: Collector;
  /** The end of the archive was reached; later bytes are ignored. */
  done = false;
  unpacked = 0;
  private offset = 0;
  private readonly header = Buffer.alloc(BLOCK);
  private headerLen = 0;
  private mode: 'header' | 'data' | 'ext' | 'pad' = 'header';
  private remaining = 0;
  private padLeft = 0;
  private cur: { member: ArchiveMember; hash: Hash; sink: ((chunk: Uint8Array) => void) | undefined } | undefined;
  private ext: { type: number; parts: Buffer[]; at: number } | undefined;
  private pending: Pending = { kinds: new Set() };
  private readonly global = new Map<string, string>();

  constructor(limits: Partial<SdistLimits> = {}) {
    this.c = new Collector({ ...DEFAULT_SDIST_LIMITS, ...limits });
  }

  push(chunk: Uint8Array): void {
    if (this.done) return;
    this.unpacked += chunk.length;
    if (this.unpacked > this.c.limits.maxUnpackedBytes) throw new SdistError(`more than ${this.c.limits.maxUnpackedBytes} bytes after decompression`);
    let p = 0;
    while (p < chunk.length && !this.done) {
      const avail = chunk.length - p;
      switch (this.mode) {
        case 'header': {
          const n = Math.min(BLOCK - this.headerLen, avail);
          this.header.set(chunk.subarray(p, p + n), this.headerLen);
          this.headerLen += n;
          p += n;
          this.offset += n;
          if (this.headerLen === BLOCK) {
            this.headerLen = 0;
            this.onHeader(this.offset - BLOCK);
          }
          break;
        }
        case 'data':
        case 'ext': {
          const n = Math.min(this.remaining, avail);
          const part = chunk.subarray(p, p + n);
          if (this.mode === 'data') {
            this.cur!.hash.update(part);
            this.cur!.sink?.(part);
          } else this.ext!.parts.push(Buffer.from(part));
          this.remaining -= n;
          p += n;
          this.offset += n;
          if (this.remaining === 0) this.endData();
          break;
        }
        case 'pad': {
          const n = Math.min(this.padLeft, avail);
          this.padLeft -= n;
          p += n;
          this.offset += n;
          if (this.padLeft === 0) this.mode = 'header';
          break;
        }
      }
    }
  }

  /** The listing; throws when the stream ended inside a member or before any header. */
  finish(): ArchiveListing {
    if (!this.done) {
      if (this.mode === 'data' || this.mode === 'ext') {
        const what = this.mode === 'data' ? `member ${displayName(this.cur!.member.name).slice(0, 200)}` : 'an extended header';
        throw new SdistError(`truncated archive: ${what} ends early`);
      }
      if (this.offset === 0) throw new SdistError('empty archive');
      if (this.headerLen > 0 && this.offset - this.headerLen === 0) throw new SdistError('truncated archive: no complete header');
      if (this.pending.kinds.size > 0) throw new SdistError('truncated archive: an extended header without its member');
    }
    return { members: this.c.members, captured: this.c.captured, unpackedBytes: this.unpacked };
  }

  private startData(size: number, mode: 'data' | 'ext'): void {
    this.mode = mode;
    this.remaining = size;
    this.padLeft = (BLOCK - (size % BLOCK)) % BLOCK;
    if (size === 0) this.endData();
  }

  private endData(): void {
    if (this.mode === 'data') {
      this.cur!.member.sha256 = this.cur!.hash.digest('hex');
      this.cur = undefined;
    } else {
      const { type, parts, at } = this.ext!;
      this.ext = undefined;
      this.onExtended(type, Buffer.concat(parts), at);
    }
    this.mode = this.padLeft > 0 ? 'pad' : 'header';
  }

  private onHeader(at: number): void {
    const b = this.header;
    const first = at === 0;
    const afterExtended = this.pending.kinds.size > 0;
    if (b.every((x) => x === 0)) {
      // the first zero block ends the archive (tarfile stops there; an extended header left waiting is an error)
      if (afterExtended) throw new SdistError(`an extended header at byte ${at} is followed by the end of the archive`);
      this.done = true;
      return;
    }
    let size: number;
    try {
      if (!checksumOk(b)) throw new BadHeader('bad checksum');
      size = nti(b, 124, 12);
    } catch (e) {
      if (!(e instanceof BadHeader)) throw e;
      // tarfile: at offset 0 the file is not a tar archive; after an extended header an error; later the end
      if (first) throw new SdistError('not a tar archive (invalid first header)');
      if (afterExtended) throw new SdistError(`invalid header after an extended header at byte ${at}`);
      this.done = true;
      return;
    }
    const type = b[156]!;
    if (size < 0) throw new SdistError(`negative size in the header at byte ${at}`);
    if (type === T_LONGNAME || type === T_LONGLINK || type === T_PAX || type === T_PAX_SOLARIS || type === T_PAX_GLOBAL) {
      if (size > this.c.limits.maxExtendedHeaderBytes) {
        throw new SdistError(`extended header at byte ${at} declares ${size} bytes (limit ${this.c.limits.maxExtendedHeaderBytes})`);
      }
      const kind = type === T_PAX_SOLARIS ? T_PAX : type;
      if (kind !== T_PAX_GLOBAL) {
        if (this.pending.kinds.has(kind)) throw new SdistError(`two extended headers of the same kind before one member (byte ${at})`);
        this.pending.kinds.add(kind);
      }
      this.ext = { type: kind, parts: [], at };
      this.startData(size, 'ext');
      return;
    }
    if (type === T_SPARSE) throw new SdistError(`GNU sparse member at byte ${at}: not supported`);
    this.onMember(b, type, size, at);
  }

  private onExtended(type: number, data: Buffer, at: number): void {
    if (type === T_LONGNAME || type === T_LONGLINK) {
      const nul = data.indexOf(0);
      const value = binary(nul >= 0 ? data.subarray(0, nul) : data);
      // the first extended header before a member is applied last, so it wins
      if (type === T_LONGNAME) this.pending.name ??= value;
      else this.pending.link ??= value;
      return;
    }
    let records: Map<string, string>;
    try {
      records = parsePax(data);
    } catch (e) {
      throw new SdistError(`${(e as Error).message} (header at byte ${at})`);
    }
    if (type === T_PAX_GLOBAL) {
      // global records apply to every later member; a global `size` would make tarfile skip one
      // length and extract another: refused rather than guessed
      if (records.has('size')) throw new SdistError(`global pax header with a size at byte ${at}: not supported`);
      for (const [k, v] of records) this.global.set(k, v);
      return;
    }
    const path = records.get('path');
    if (path !== undefined) this.pending.name ??= path.replace(/\/+$/, '');
    const link = records.get('linkpath');
    if (link !== undefined) this.pending.link ??= link;
    const size = records.get('size');
    if (size !== undefined && this.pending.size === undefined) {
      const n = /^\d{1,16}$/.test(size) ? Number(size) : 0; // tarfile: an unreadable size is 0
      this.pending.size = n;
    }
  }

  private onMember(b: Buffer, rawType: number, headerSize: number, at: number): void {
    let type = rawType;
    let name = nts(b, 0, 100);
    const prefix = nts(b, 345, 155);
    if (type === T_AREG && name.endsWith('/')) type = T_DIR;
    if (type === T_DIR) name = name.replace(/\/+$/, '');
    if (prefix) name = `${prefix}/${name}`;
    let link = nts(b, 157, 100);
    const globalPath = this.global.get('path');
    if (globalPath !== undefined) name = globalPath.replace(/\/+$/, '');
    const globalLink = this.global.get('linkpath');
    if (globalLink !== undefined) link = globalLink;
    const p = this.pending;
    this.pending = { kinds: new Set() };
    if (p.name !== undefined) name = p.name;
    if (p.link !== undefined) link = p.link;
    const size = p.size ?? headerSize;
    const isFile = type === T_REG || type === T_AREG || type === T_CONT || ![T_LNK, T_SYM, T_CHR, T_BLK, T_DIR, T_FIFO].includes(type);
    if (isFile && size > this.c.limits.maxUnpackedBytes) {
      throw new SdistError(`member ${displayName(name).slice(0, 200)} declares ${Number.isSafeInteger(size) ? size : 'over 2^53'} bytes (limit ${this.c.limits.maxUnpackedBytes})`);
    }
    if (!Number.isSafeInteger(size)) throw new SdistError(`unreadable size in the header at byte ${at}`);
    if (isFile) {
      const member: ArchiveMember = { name, kind: 'file', size };
      const index = this.c.add(member);
      this.cur = { member, hash: createHash('sha256'), sink: this.c.capture(index, name) };
      this.startData(size, 'data');
      return;
    }
    // links, directories and devices: tarfile skips no data after them, whatever the size field says
    if (type === T_LNK) {
      const target = this.c.linkTarget(link);
      const member: ArchiveMember = { name, kind: target ? 'hardlink' : 'other', size: target?.size ?? 0, link };
      if (target?.sha256 !== undefined) member.sha256 = target.sha256;
      this.c.capture(this.c.add(member), name);
    } else if (type === T_SYM) {
      this.c.capture(this.c.add({ name, kind: 'symlink', size: 0, link }), name);
    } else {
      this.c.capture(this.c.add({ name, kind: type === T_DIR ? 'dir' : 'other', size: 0 }), name);
    }
    this.mode = 'header';
  }
}

/** Walks an uncompressed tar held in memory. */
export function listTar(tar: Uint8Array, limits: Partial<SdistLimits> = {}): ArchiveListing {
  const w = new TarWalker(limits);
  w.push(tar);
  return w.finish();
}

/** Length of the gzip member header at `at` (RFC 1952), or an error when there is none. */
function gzipHeaderLength(b: Uint8Array, at: number): number {
  if (at + 10 > b.length || b[at] !== 0x1f || b[at + 1] !== 0x8b) throw new SdistError(`not a gzip stream (at byte ${at})`);
  if (b[at + 2] !== 8) throw new SdistError(`unknown gzip compression method ${b[at + 2]}`);
  const flags = b[at + 3]!;
  let p = at + 10;
  if (flags & 4) {
    if (p + 2 > b.length) throw new SdistError('truncated gzip header');
    p += 2 + u16(b, p);
  }
  for (const bit of [8, 16]) {
    if (!(flags & bit)) continue;
    const nul = b.indexOf(0, p);
    if (nul < 0) throw new SdistError('truncated gzip header');
    p = nul + 1;
  }
  if (flags & 2) p += 2;
  if (p > b.length) throw new SdistError('truncated gzip header');
  return p - at;
}

/** Inflates one raw deflate stream, handing chunks to `onData` until it returns true; resolves with the input bytes the stream used. */
function inflateMember(data: Uint8Array, onData: (chunk: Buffer) => boolean): Promise<{ consumed: number; stopped: boolean }> {
  return new Promise((resolve, reject) => {
    const inflate = createInflateRaw({ chunkSize: 64 * 1024 });
    let settled = false;
    const stop = (f: () => void): void => {
      if (settled) return;
      settled = true;
      inflate.destroy();
      f();
    };
    inflate.on('data', (chunk: Buffer) => {
      if (settled) return;
      try {
        if (onData(chunk)) stop(() => resolve({ consumed: 0, stopped: true }));
      } catch (e) {
        stop(() => reject(e));
      }
    });
    inflate.on('error', (e: Error) => stop(() => reject(new SdistError(`not a valid gzip stream: ${e.message}`))));
    inflate.on('end', () => {
      if (settled) return;
      settled = true;
      resolve({ consumed: inflate.bytesWritten, stopped: false });
    });
    inflate.end(data);
  });
}

/**
 * Walks a gzip-compressed tar: each gzip member is inflated by node:zlib and the output handed to a
 * {@link TarWalker} chunk by chunk (never held whole). Decompression stops at the tar's end, at the
 * unpacked-bytes cap, or at the first error. Like Python's gzip module, members may follow one
 * another, zero bytes between them are padding, and what follows the tar's end is never read.
 */
export async function listTarGz(gz: Uint8Array, limits: Partial<SdistLimits> = {}): Promise<ArchiveListing> {
  const walker = new TarWalker(limits);
  let pos = 0;
  for (let member = 0; ; member++) {
    if (member > 0) {
      while (pos < gz.length && gz[pos] === 0) pos++;
      if (pos >= gz.length) break;
    }
    const start = pos + gzipHeaderLength(gz, pos);
    const { consumed, stopped } = await inflateMember(gz.subarray(start), (chunk) => {
      walker.push(chunk);
      return walker.done;
    });
    if (stopped) break;
    pos = start + consumed + 8;
    if (pos > gz.length) throw new SdistError('truncated gzip stream (no trailer)');
  }
  return walker.finish();
}

// ---- zip ------------------------------------------------------------------------------------

const CDH_SIG = 0x02014b50;
const LFH_SIG = 0x04034b50;

function u16(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}
function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}
function u64(b: Uint8Array, at: number): number {
  const hi = u32(b, at + 4);
  if (hi > 0x1fffff) throw new SdistError('ZIP64 value out of range');
  return hi * 0x1_0000_0000 + u32(b, at);
}

interface ZipEntry {
  nameBytes: Uint8Array;
  flags: number;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  local: number;
}

/** Central directory entries with what reading a member needs (sizes and offsets, ZIP64 extras applied). */
function zipEntries(cd: Uint8Array, maxMembers: number): ZipEntry[] {
  const out: ZipEntry[] = [];
  let p = 0;
  while (p < cd.length) {
    if (p + 46 > cd.length || u32(cd, p) !== CDH_SIG) throw new SdistError(`bad central directory entry at byte ${p}`);
    const n = u16(cd, p + 28);
    const m = u16(cd, p + 30);
    const k = u16(cd, p + 32);
    const next = p + 46 + n + m + k;
    if (next > cd.length) throw new SdistError(`truncated central directory entry at byte ${p}`);
    if (out.length >= maxMembers) throw new SdistError(`more than ${maxMembers} members`);
    const e: ZipEntry = {
      nameBytes: cd.subarray(p + 46, p + 46 + n),
      flags: u16(cd, p + 8),
      method: u16(cd, p + 10),
      crc: u32(cd, p + 16),
      compressed: u32(cd, p + 20),
      size: u32(cd, p + 24),
      local: u32(cd, p + 42),
    };
    // ZIP64 extended information: the 64-bit values, in order, for the fields set to 0xffffffff
    let x = p + 46 + n;
    const xEnd = x + m;
    while (x + 4 <= xEnd) {
      const id = u16(cd, x);
      const len = u16(cd, x + 2);
      if (x + 4 + len > xEnd) break;
      if (id === 0x0001) {
        let q = x + 4;
        const take = (): number => {
          if (q + 8 > x + 4 + len) throw new SdistError('truncated ZIP64 extra field');
          const v = u64(cd, q);
          q += 8;
          return v;
        };
        if (e.size === 0xffffffff) e.size = take();
        if (e.compressed === 0xffffffff) e.compressed = take();
        if (e.local === 0xffffffff) e.local = take();
      }
      x += 4 + len;
    }
    out.push(e);
    p = next;
  }
  return out;
}

/**
 * Python's `zipfile.is_zipfile`: an end record, and the central directory's first entry where the end
 * records put it (data before the archive allowed, as Python allows it), or an empty archive. A ZIP
 * appended to a gzip file is a ZIP to pip.
 */
export function looksLikeZip(file: Uint8Array): boolean {
  if (file.length < EOCD_SIZE) return false;
  const start = Math.max(0, file.length - MAX_TAIL);
  const eocd = findEocd(file.subarray(start), start, file.length);
  if (eocd === undefined) return false;
  if (u16(file, eocd + 10) === 0 && u32(file, eocd + 12) === 0 && u32(file, eocd + 16) === 0) return true;
  try {
    const loc = locateCentralDirectory(file, 0, eocd, file.length, DEFAULT_ZIP_LIMITS);
    return loc.size >= 46 && u32(file, loc.offset) === CDH_SIG;
  } catch (e) {
    if (e instanceof WheelZipError) return false;
    throw e;
  }
}

/** Lists a ZIP sdist held in memory, reading (and checking) every member's data. */
export function listZip(file: Uint8Array, limits: Partial<SdistLimits> = {}): ArchiveListing {
  const lim: SdistLimits = { ...DEFAULT_SDIST_LIMITS, ...limits };
  let entries: ZipEntry[];
  let prefix: number;
  try {
    const start = Math.max(0, file.length - MAX_TAIL);
    const eocd = findEocd(file.subarray(start), start, file.length);
    if (eocd === undefined) throw new SdistError('not a ZIP archive (no end of central directory record)');
    const loc = locateCentralDirectory(file, 0, eocd, file.length, DEFAULT_ZIP_LIMITS);
    prefix = loc.prefixBytes;
    entries = zipEntries(file.subarray(loc.offset, loc.offset + loc.size), lim.maxMembers);
  } catch (e) {
    if (e instanceof WheelZipError) throw new SdistError(e.message);
    throw e;
  }
  let total = 0;
  for (const e of entries) {
    total += e.size;
    if (total > lim.maxUnpackedBytes) throw new SdistError(`members declare more than ${lim.maxUnpackedBytes} bytes`);
  }
  const c = new Collector(lim);
  for (const e of entries) {
    const name = binary(e.nameBytes).split('\u0000')[0]!;
    const dir = name.endsWith('/') || name.endsWith('\\');
    if (dir) {
      c.capture(c.add({ name, kind: 'dir', size: 0 }), name);
      continue;
    }
    const member: ArchiveMember = { name, kind: 'file', size: e.size };
    const index = c.add(member);
    const sink = c.capture(index, name);
    const shown = displayName(name).slice(0, 200);
    // zipfile refuses these, so pip cannot unpack the archive
    if (e.flags & 0x1) throw new SdistError(`member ${shown} is encrypted`);
    const at = e.local + prefix;
    if (at < 0 || at + 30 > file.length || u32(file, at) !== LFH_SIG) throw new SdistError(`member ${shown}: bad local header`);
    const n = u16(file, at + 26);
    const m = u16(file, at + 28);
    const localName = file.subarray(at + 30, at + 30 + n);
    if (Buffer.compare(Buffer.from(localName), Buffer.from(e.nameBytes)) !== 0) throw new SdistError(`member ${shown}: the local header names another file`);
    const dataAt = at + 30 + n + m;
    if (dataAt + e.compressed > file.length) throw new SdistError(`member ${shown}: data past the end of the archive`);
    const raw = file.subarray(dataAt, dataAt + e.compressed);
    let data: Uint8Array;
    if (e.method === 0) data = raw;
    else if (e.method === 8) {
      try {
        data = inflateRawSync(raw, { maxOutputLength: Math.max(1, e.size) });
      } catch {
        throw new SdistError(`member ${shown}: bad deflate data or larger than declared`);
      }
    } else {
      // bzip2/LZMA members (Python reads them): only the build files must be readable here
      if (sink) throw new SdistError(`member ${shown}: compression method ${e.method} not supported`);
      continue;
    }
    if (data.length !== e.size) throw new SdistError(`member ${shown}: ${data.length} bytes, ${e.size} declared`);
    if (crc32(data) !== e.crc) throw new SdistError(`member ${shown}: CRC mismatch`);
    member.sha256 = createHash('sha256').update(data).digest('hex');
    sink?.(data);
  }
  return { members: c.members, captured: c.captured, unpackedBytes: total };
}

// ---- what the build would run -----------------------------------------------------------------

function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

function buildSystemOf(text: string, where: string): Pick<NonNullable<SdistInfo['pyproject']>, 'buildSystem' | 'error'> {
  let root: ReturnType<typeof readToml>;
  try {
    root = readToml(where, text, 0, { maxDepth: 64 });
  } catch (e) {
    if (e instanceof LockfileError) return { error: e.message };
    throw e;
  }
  const bsValue = root.get('build-system');
  if (bsValue === undefined) return {};
  const bs = tomlTable(bsValue);
  if (!bs) return { error: `${where}: build-system is ${tomlKind(bsValue)}, not a table` };
  const out: NonNullable<SdistInfo['pyproject']>['buildSystem'] = {};
  const strings = (key: string): string[] | string | undefined => {
    const v = bs.get(key);
    if (v === undefined) return undefined;
    const arr = tomlArray(v);
    const list = arr?.map((x) => tomlString(x));
    if (!list || list.some((x) => x === undefined)) return `${where}:${bs.lineOf(key) ?? bs.line}: build-system.${key} must be a list of strings`;
    return list as string[];
  };
  const requires = strings('requires');
  if (typeof requires === 'string') return { error: requires };
  // pip: a [build-system] table without `requires` is an error
  if (requires === undefined) return { error: `${where}:${bs.line}: build-system has no requires` };
  out.requires = requires;
  const backend = bs.get('build-backend');
  if (backend !== undefined) {
    const s = tomlString(backend);
    if (s === undefined) return { error: `${where}:${bs.lineOf('build-backend') ?? bs.line}: build-system.build-backend must be a string` };
    out.buildBackend = s;
  }
  const path = strings('backend-path');
  if (typeof path === 'string') return { error: path };
  if (path !== undefined) out.backendPath = path;
  return { buildSystem: out };
}

/** Files of the in-tree backend: everything under each `backend-path` directory, or its module when that is the project root. */
function backendDigest(final: Map<string, ArchiveMember>, backendPath: readonly string[], backend: string | undefined): { digest: string; files: number } | { error: string } {
  const dirs: string[] = [];
  for (const p of backendPath) {
    const d = resolveInside(p);
    if (d === undefined) return { error: `backend-path ${p.slice(0, 100)} is outside the project (pip refuses it)` };
    dirs.push(d);
  }
  const top = (backend ?? '').split(':')[0]!.split('.')[0]!.trim();
  const inBackend = (path: string): boolean =>
    dirs.some((d) => {
      const rel = d === '' ? path : path.startsWith(`${d}/`) ? path.slice(d.length + 1) : undefined;
      if (rel === undefined) return false;
      // backend-path "." (the project itself): only the backend's own module or package
      return d !== '' || (top !== '' && (rel === `${top}.py` || rel.startsWith(`${top}/`)));
    });
  const lines: string[] = [];
  for (const [path, m] of final) {
    if (m.kind !== 'file' && m.kind !== 'hardlink' && m.kind !== 'symlink') continue;
    if (!inBackend(path)) continue;
    lines.push(`${path}\u0000${m.kind === 'symlink' ? `link:${m.link}` : (m.sha256 ?? '?')}\n`);
  }
  lines.sort();
  return { digest: sha256Hex(lines.join('')), files: lines.length };
}

/** Follows a symbolic link inside the project (at most 8 hops); undefined when it leaves the archive or loops. */
function followLink(final: Map<string, ArchiveMember>, path: string, m: ArchiveMember): ArchiveMember | undefined {
  let at = path;
  let cur = m;
  for (let hop = 0; hop < 8; hop++) {
    if (cur.kind !== 'symlink') return cur;
    const dir = at.includes('/') ? at.slice(0, at.lastIndexOf('/')) : '';
    const target = resolveInside(cur.link!.startsWith('/') ? cur.link! : dir ? `${dir}/${cur.link}` : cur.link!);
    if (target === undefined) return undefined;
    const next = final.get(target);
    if (!next) return undefined;
    at = target;
    cur = next;
  }
  return undefined;
}

/**
 * What pip would build from a listing: the project directory, the last member at each path, and the
 * build files in it. Throws {@link SdistError} when pip would refuse the archive (a member outside
 * the project directory).
 */
export function interpretListing(listing: ArchiveListing, filename: string, format: SdistFormat, limitsIn: Partial<SdistLimits> = {}): SdistInfo {
  const limits: SdistLimits = { ...DEFAULT_SDIST_LIMITS, ...limitsIn };
  const names = listing.members.map((m) => m.name);
  const leading = hasLeadingDir(names);
  const root = leading && names.length > 0 ? splitLeadingDir(names[0]!)[0] : '';
  const final = new Map<string, ArchiveMember>();
  const finalIndex = new Map<string, number>();
  listing.members.forEach((m, i) => {
    const rel = leading ? splitLeadingDir(m.name)[1] : m.name;
    const path = resolveInside(rel);
    if (path === undefined) throw new SdistError(`member ${displayName(m.name).slice(0, 200)} would be written outside the project directory (pip refuses the archive)`);
    if (path === '') return;
    final.set(path, m);
    finalIndex.set(path, i);
  });
  const info: SdistInfo = { filename, format, root: displayName(root), members: listing.members.length, unpackedBytes: listing.unpackedBytes };
  const tag = leading ? 'A' : 'B';
  const facts = (file: BuildFile): { f: SdistBuildFile; captured?: Captured } | undefined => {
    const m = final.get(file);
    if (!m || m.kind === 'dir' || m.kind === 'other') return undefined;
    const f: SdistBuildFile = { size: m.size };
    let target: ArchiveMember | undefined = m;
    if (m.kind === 'symlink') {
      f.linkTo = displayName(m.link!);
      target = followLink(final, file, m);
      if (target && (target.kind === 'dir' || target.kind === 'other')) target = undefined;
      f.size = target?.size ?? 0;
    } else if (m.kind === 'hardlink') f.linkTo = displayName(m.link!);
    if (target?.sha256 !== undefined) f.sha256 = target.sha256;
    const c = listing.captured.get(`${tag}:${file}`);
    const out: { f: SdistBuildFile; captured?: Captured } = { f };
    if (m.kind === 'file' && c && c.index === finalIndex.get(file)) out.captured = c;
    return out;
  };
  const setupPy = facts('setup.py');
  if (setupPy) {
    const bytes = setupPy.captured?.bytes ?? Buffer.alloc(0);
    const head = bytes.subarray(0, SETUP_PY_HEAD_BYTES).toString('utf8');
    info.setupPy = { ...setupPy.f, head, headTruncated: setupPy.f.size > SETUP_PY_HEAD_BYTES || (setupPy.captured?.truncated ?? false) };
  }
  const setupCfg = facts('setup.cfg');
  if (setupCfg) info.setupCfg = setupCfg.f;
  const pyproject = facts('pyproject.toml');
  if (pyproject) {
    const p: NonNullable<SdistInfo['pyproject']> = { ...pyproject.f };
    if (!pyproject.captured) p.error = 'pyproject.toml is a link; its text was not read';
    else if (pyproject.captured.truncated) throw new SdistError(`pyproject.toml is larger than ${limits.maxPyprojectBytes} bytes (not read)`);
    else {
      let text: string | undefined;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(pyproject.captured.bytes);
      } catch {
        p.error = 'pyproject.toml is not valid UTF-8';
      }
      if (text !== undefined) {
        const where = root ? `${displayName(root)}/pyproject.toml` : 'pyproject.toml';
        Object.assign(p, buildSystemOf(text, where));
        if (p.buildSystem?.backendPath !== undefined) {
          const d = backendDigest(final, p.buildSystem.backendPath, p.buildSystem.buildBackend);
          if ('error' in d) p.error = d.error;
          else {
            p.backendDigest = d.digest;
            p.backendFiles = d.files;
          }
        }
      }
    }
    info.pyproject = p;
  }
  return info;
}

export interface ReadSdistOptions {
  limits?: Partial<SdistLimits>;
  /** The server's media type: pip reads `application/zip` as a ZIP whatever the file name. */
  contentType?: string;
}

/**
 * Reads a whole sdist (held in memory; the caller bounds the download) the way pip unpacks it.
 * Throws {@link SdistError} for anything unreadable or hostile.
 */
export async function readSdist(file: Uint8Array, filename: string, opts: ReadSdistOptions = {}): Promise<SdistInfo> {
  const byName = sdistFormat(filename);
  if (byName === undefined) throw new SdistError('only .tar.gz and .zip source distributions are read');
  const zip = byName === 'zip' || opts.contentType === 'application/zip' || looksLikeZip(file);
  const listing = zip ? listZip(file, opts.limits) : await listTarGz(file, opts.limits);
  return interpretListing(listing, filename, zip ? 'zip' : 'tar.gz', opts.limits);
}
