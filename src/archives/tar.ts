/**
 * A gzip-compressed tar read the way Python's `tarfile` reads it (ustar, GNU, pax headers; see
 * ./sdist.ts), walked once as it is inflated, without keeping the stream.
 */
import { createHash, type Hash } from 'node:crypto';
import { createInflateRaw } from 'node:zlib';
import { inflateInto } from './inflate.js';
import { type ArchiveListing, type ArchiveMember, binary, Collector, DEFAULT_SDIST_LIMITS, displayName, SdistError, type SdistLimits, u16 } from './listing.js';
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

  /**
   * `onFile`: called for each regular member with its header mode; the sink it returns gets the
   * member's bytes (npm tarballs keep every file's text, src/archives/npm-tar.ts).
   */
  constructor(
    limits: Partial<SdistLimits> = {},
    private readonly onFile?: (member: ArchiveMember, mode: number) => ((chunk: Uint8Array) => void) | undefined,
  ) {
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
      throw new SdistError(
        `member ${displayName(name).slice(0, 200)} declares ${Number.isSafeInteger(size) ? size : 'over 2^53'} bytes (limit ${this.c.limits.maxUnpackedBytes})`,
      );
    }
    if (!Number.isSafeInteger(size)) throw new SdistError(`unreadable size in the header at byte ${at}`);
    if (isFile) {
      const member: ArchiveMember = { name, kind: 'file', size };
      const index = this.c.add(member);
      const build = this.c.capture(index, name);
      const own = this.onFile?.(member, safeMode(b));
      const sink =
        build && own
          ? (chunk: Uint8Array) => {
              build(chunk);
              own(chunk);
            }
          : (build ?? own);
      this.cur = { member, hash: createHash('sha256'), sink };
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

/** The header's permission bits (0 when unreadable: a mode says nothing about safety). */
function safeMode(b: Uint8Array): number {
  try {
    return Math.max(0, nti(b, 100, 8)) & 0o7777;
  } catch {
    return 0;
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
  return inflateInto(createInflateRaw({ chunkSize: 64 * 1024 }), data, onData);
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
