/**
 * An sdist ZIP read the way Python's `zipfile` reads it: the central directory (located as for
 * wheels, ./wheel-zip.ts), then each member's data inflated to capture the build files.
 */
import { createHash } from 'node:crypto';
import { crc32, inflateRawSync } from 'node:zlib';
import {
  type ArchiveListing,
  type ArchiveMember,
  binary,
  Collector,
  DEFAULT_SDIST_LIMITS,
  displayName,
  SdistError,
  type SdistLimits,
  u16,
  u32,
} from './listing.js';
import { DEFAULT_ZIP_LIMITS, EOCD_SIZE, findEocd, locateCentralDirectory, MAX_TAIL, WheelZipError } from './wheel-zip.js';
// ---- zip ------------------------------------------------------------------------------------

const CDH_SIG = 0x02014b50;
const LFH_SIG = 0x04034b50;

function u64(b: Uint8Array, at: number): number {
  const hi = u32(b, at + 4);
  if (hi > 0x1fffff) throw new SdistError('ZIP64 value out of range');
  return hi * 0x1_0000_0000 + u32(b, at);
}

export interface ZipEntry {
  nameBytes: Uint8Array;
  flags: number;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  local: number;
  /** External attributes (Unix mode in the high 16 bits). */
  external: number;
}

/** Central directory entries with what reading a member needs (sizes and offsets, ZIP64 extras applied). */
export function zipEntries(cd: Uint8Array, maxMembers: number): ZipEntry[] {
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
      external: u32(cd, p + 38),
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
  const { entries, prefix } = centralDirectory(file, lim);
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
    const data = memberData(file, e, prefix, displayName(name).slice(0, 200), sink !== undefined);
    if (data === undefined) continue;
    member.sha256 = createHash('sha256').update(data).digest('hex');
    sink?.(data);
  }
  return { members: c.members, captured: c.captured, unpackedBytes: total };
}

/** The central directory's entries (located as for wheels) and the bytes prepended to the archive. */
function centralDirectory(file: Uint8Array, lim: SdistLimits): { entries: ZipEntry[]; prefix: number } {
  try {
    const start = Math.max(0, file.length - MAX_TAIL);
    const eocd = findEocd(file.subarray(start), start, file.length);
    if (eocd === undefined) throw new SdistError('not a ZIP archive (no end of central directory record)');
    const loc = locateCentralDirectory(file, 0, eocd, file.length, DEFAULT_ZIP_LIMITS);
    return { entries: zipEntries(file.subarray(loc.offset, loc.offset + loc.size), lim.maxMembers), prefix: loc.prefixBytes };
  } catch (e) {
    if (e instanceof WheelZipError) throw new SdistError(e.message);
    throw e;
  }
}

/**
 * A member's content, checked as zipfile checks it (local header, size, CRC); undefined for a
 * compression method not read here when the member is not a build file (`needed`).
 */
function memberData(file: Uint8Array, e: ZipEntry, prefix: number, shown: string, needed: boolean): Uint8Array | undefined {
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
    if (needed) throw new SdistError(`member ${shown}: compression method ${e.method} not supported`);
    return undefined;
  }
  if (data.length !== e.size) throw new SdistError(`member ${shown}: ${data.length} bytes, ${e.size} declared`);
  if (crc32(data) !== e.crc) throw new SdistError(`member ${shown}: CRC mismatch`);
  return data;
}
