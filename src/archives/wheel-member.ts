/**
 * One member of a wheel read by range from its local header and data (the central directory says
 * where), inflated with caps and checked as Python's `zipfile` checks it (local name, size, CRC).
 * Hostile members get a {@link WheelZipError}: encrypted, an unknown method, a bomb, a lying header.
 */
import { constants, crc32, inflateRawSync } from 'node:zlib';
import { WheelZipError, type RangeSource } from './wheel-zip.js';
import type { ZipEntry } from './zip.js';

const LFH_SIG = 0x04034b50;
const LFH_SIZE = 30;
/** Room guessed for the local header's extra field, so one range usually holds header and data. */
const EXTRA_GUESS = 256;
const MiB = 1024 * 1024;
/** Compressed bytes read for a binary's first bytes. */
const HEAD_RANGE = 4096;

export interface MemberCaps {
  /** Largest member inflated. */
  maxBytes: number;
  /** Most unpacked bytes per compressed byte once a member is past 1 MiB. */
  maxRatio: number;
}

/** Where a member's bytes are: its entry, the bytes prepended to the archive, and the end of the data area. */
export interface MemberAt {
  entry: ZipEntry;
  prefix: number;
  /** The central directory's offset: no member data lies at or past it. */
  dataEnd: number;
  /** For messages. */
  shown: string;
}

/** Refuses what no wheel reader should inflate, before any byte of it is fetched. */
export function checkMember(m: MemberAt, caps: MemberCaps): void {
  const e = m.entry;
  if (e.flags & 0x1) throw new WheelZipError(`member ${m.shown} is encrypted`);
  if (e.method !== 0 && e.method !== 8) throw new WheelZipError(`member ${m.shown}: compression method ${e.method} is not read`);
  if (e.method === 0 && e.compressed !== e.size) throw new WheelZipError(`member ${m.shown}: stored with ${e.compressed} bytes, ${e.size} declared`);
  if (e.size > MiB && e.size > caps.maxRatio * Math.max(1, e.compressed))
    throw new WheelZipError(`member ${m.shown}: ${e.size} bytes from ${e.compressed} compressed, a ratio over ${caps.maxRatio} (a decompression bomb)`);
  if (e.size > caps.maxBytes) throw new WheelZipError(`member ${m.shown}: ${e.size} bytes, over the ${caps.maxBytes}-byte cap`);
}

/** The member's whole content, checked. One range request, two when the local extra field is long. */
export async function readMember(src: RangeSource, m: MemberAt, caps: MemberCaps): Promise<Uint8Array> {
  checkMember(m, caps);
  const e = m.entry;
  const raw = await localData(src, m, e.compressed);
  let data: Uint8Array;
  if (e.method === 0) data = raw;
  else {
    try {
      data = inflateRawSync(raw, { maxOutputLength: Math.max(1, e.size) });
    } catch {
      throw new WheelZipError(`member ${m.shown}: bad deflate data or larger than declared`);
    }
  }
  if (data.length !== e.size) throw new WheelZipError(`member ${m.shown}: ${data.length} bytes, ${e.size} declared`);
  if (crc32(data) !== e.crc) throw new WheelZipError(`member ${m.shown}: CRC mismatch`);
  return data;
}

/** The member's first `n` bytes (a binary's magic), from the start of its data only: not checked against anything. */
export async function readMemberHead(src: RangeSource, m: MemberAt, caps: MemberCaps, n = 64): Promise<Uint8Array> {
  checkMember(m, caps);
  const e = m.entry;
  const raw = await localData(src, m, Math.min(e.compressed, HEAD_RANGE));
  if (e.method === 0) return raw.subarray(0, n);
  try {
    // a cut deflate stream: what it decodes so far
    return inflateRawSync(raw, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: Math.max(n, 1) * 1024 }).subarray(0, n);
  } catch {
    return new Uint8Array(0);
  }
}

/** `length` bytes of the member's data, after a local header that must name the same file. */
async function localData(src: RangeSource, m: MemberAt, length: number): Promise<Uint8Array> {
  const e = m.entry;
  const at = e.local + m.prefix;
  const want = LFH_SIZE + e.nameBytes.length + EXTRA_GUESS + length;
  if (at < 0 || at + LFH_SIZE > m.dataEnd) throw new WheelZipError(`member ${m.shown}: local header outside the archive`);
  let buf = await src.range(at, Math.min(at + want, m.dataEnd));
  if (buf.length < LFH_SIZE || u32(buf, 0) !== LFH_SIG) throw new WheelZipError(`member ${m.shown}: bad local header`);
  const n = u16(buf, 26);
  const x = u16(buf, 28);
  const local = buf.subarray(LFH_SIZE, LFH_SIZE + n);
  if (n !== e.nameBytes.length || Buffer.compare(Buffer.from(local), Buffer.from(e.nameBytes)) !== 0)
    throw new WheelZipError(`member ${m.shown}: the local header names another file`);
  const start = LFH_SIZE + n + x;
  if (at + start + length > m.dataEnd) throw new WheelZipError(`member ${m.shown}: data past the end of the archive's data`);
  if (start + length > buf.length) buf = await src.range(at + start, at + start + length);
  else buf = buf.subarray(start, start + length);
  if (buf.length !== length) throw new WheelZipError(`member ${m.shown}: short read`);
  return buf;
}

function u16(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}
function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}
