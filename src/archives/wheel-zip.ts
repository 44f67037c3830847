/**
 * A wheel's member list from its ZIP central directory, read from the end of the file only (a few KB
 * of range requests; layout in docs/REGISTRY.md). It is read as Python's `zipfile` reads it (the last
 * EOCD, the directory right before it, not at the declared offset), so a decoy cannot hide the real
 * members. Hostile archives get a {@link WheelZipError}, never an allocation beyond the bytes read.
 */

export class WheelZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WheelZipError';
  }
}

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CDH_SIG = 0x02014b50;
export const EOCD_SIZE = 22;
export const ZIP64_LOCATOR_SIZE = 20;
export const ZIP64_EOCD_SIZE = 56;
const CDH_SIZE = 46;
const MAX_COMMENT = 0xffff;
/** The longest tail that can be needed to find the EOCD and the ZIP64 records before it. */
export const MAX_TAIL = EOCD_SIZE + MAX_COMMENT + ZIP64_LOCATOR_SIZE + ZIP64_EOCD_SIZE;

export interface ZipLimits {
  /** Largest central directory read, bytes (default 32 MiB). */
  maxCentralDirectoryBytes: number;
  /** Most members listed (default 500 000). */
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxCentralDirectoryBytes: 32 * 1024 * 1024, maxEntries: 500_000 };

/** Where the central directory is, as the end records say (offsets absolute in the file). */
export interface CentralDirectoryLocation {
  offset: number;
  size: number;
  /** The entry count the end record declares (informational: entries are walked by size). */
  entries: number;
  /** Absolute offset of the EOCD record. */
  eocdOffset: number;
  zip64: boolean;
  /** Actual minus declared directory offset (data before the archive proper), as Python computes it. */
  prefixBytes: number;
}

function u16(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}
function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}
/** A little-endian u64 as a number; above 2^53 it cannot be a real offset in a file we read. */
function u64(b: Uint8Array, at: number, what: string): number {
  const lo = u32(b, at);
  const hi = u32(b, at + 4);
  if (hi > 0x1fffff) throw new WheelZipError(`ZIP64 ${what} is out of range`);
  return hi * 0x1_0000_0000 + lo;
}

/**
 * Finds the EOCD in a tail of the file (`tail` holds bytes [tailStart, fileSize)). Like Python: the
 * record without comment at the very end first, else the last EOCD signature with room for its fixed
 * part. undefined when the tail holds none (a longer tail, up to {@link MAX_TAIL}, may).
 */
export function findEocd(tail: Uint8Array, tailStart: number, fileSize: number): number | undefined {
  if (tailStart < 0 || tailStart + tail.length !== fileSize) throw new WheelZipError('internal: the tail does not end at the end of the file');
  const n = tail.length;
  if (n >= EOCD_SIZE && u32(tail, n - EOCD_SIZE) === EOCD_SIG && u16(tail, n - 2) === 0) return tailStart + n - EOCD_SIZE;
  const lowest = Math.max(0, n - (EOCD_SIZE + MAX_COMMENT));
  for (let i = n - EOCD_SIZE; i >= lowest; i--) {
    if (tail[i] === 0x50 && u32(tail, i) === EOCD_SIG) return tailStart + i;
  }
  return undefined;
}

/**
 * Reads the end records from `buf` (bytes [bufStart, bufStart+buf.length) of the file, holding the
 * EOCD and, for ZIP64, the 76 bytes before it) and returns where the central directory is.
 */
export function locateCentralDirectory(
  buf: Uint8Array,
  bufStart: number,
  eocdOffset: number,
  fileSize: number,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): CentralDirectoryLocation {
  const at = eocdOffset - bufStart;
  if (at < 0 || at + EOCD_SIZE > buf.length || eocdOffset + EOCD_SIZE > fileSize) throw new WheelZipError('truncated end of central directory record');
  // the ZIP64 locator and record, when present, sit in the 76 bytes before the EOCD
  if (at < Math.min(eocdOffset, ZIP64_LOCATOR_SIZE + ZIP64_EOCD_SIZE)) throw new WheelZipError('internal: the end records are not all in the buffer');
  if (u32(buf, at) !== EOCD_SIG) throw new WheelZipError('no end of central directory record');
  const disk = u16(buf, at + 4);
  const cdDisk = u16(buf, at + 6);
  let entries = u16(buf, at + 10);
  let size = u32(buf, at + 12);
  let declaredOffset = u32(buf, at + 16);
  let zip64 = false;
  let end = eocdOffset; // the directory ends where the end records begin
  const loc = at - ZIP64_LOCATOR_SIZE;
  if (eocdOffset >= ZIP64_LOCATOR_SIZE && loc >= 0 && u32(buf, loc) === ZIP64_LOCATOR_SIG) {
    if (u32(buf, loc + 4) !== 0 || u32(buf, loc + 16) > 1) throw new WheelZipError('ZIP archives spanning several disks are not supported');
    const rec = loc - ZIP64_EOCD_SIZE;
    if (rec < 0 || eocdOffset < ZIP64_LOCATOR_SIZE + ZIP64_EOCD_SIZE) throw new WheelZipError('truncated ZIP64 end of central directory record');
    if (u32(buf, rec) !== ZIP64_EOCD_SIG) throw new WheelZipError('invalid ZIP64 end of central directory record');
    if (u32(buf, rec + 16) !== 0 || u32(buf, rec + 20) !== 0) throw new WheelZipError('ZIP archives spanning several disks are not supported');
    entries = u64(buf, rec + 32, 'entry count');
    size = u64(buf, rec + 40, 'directory size');
    declaredOffset = u64(buf, rec + 48, 'directory offset');
    zip64 = true;
    end = eocdOffset - ZIP64_LOCATOR_SIZE - ZIP64_EOCD_SIZE;
  } else if (disk !== 0 || cdDisk !== 0) {
    throw new WheelZipError('ZIP archives spanning several disks are not supported');
  }
  if (size > limits.maxCentralDirectoryBytes) {
    throw new WheelZipError(`central directory too large (${size} bytes, limit ${limits.maxCentralDirectoryBytes})`);
  }
  const offset = end - size;
  if (offset < 0) throw new WheelZipError('central directory size is larger than the archive');
  // Python's `concat`: the directory is read at `offset` whatever the declared offset says
  const prefixBytes = offset - declaredOffset;
  return { offset, size, entries, eocdOffset, zip64, prefixBytes };
}

let utf8: TextDecoder | undefined;
// bytes 0x80-0xff in code page 437 (Python's `bytes(range(128, 256)).decode('cp437')`)
const CP437_HIGH =
  '\xc7\xfc\xe9\xe2\xe4\xe0\xe5\xe7\xea\xeb\xe8\xef\xee\xec\xc4\xc5\xc9\xe6\xc6\xf4\xf6\xf2\xfb\xf9\xff\xd6\xdc\xa2\xa3\xa5\u20a7\u0192\xe1\xed\xf3\xfa\xf1\xd1\xaa\xba\xbf\u2310\xac\xbd\xbc\xa1\xab\xbb\u2591\u2592\u2593\u2502\u2524\u2561\u2562\u2556\u2555\u2563\u2551\u2557\u255d\u255c\u255b\u2510\u2514\u2534\u252c\u251c\u2500\u253c\u255e\u255f\u255a\u2554\u2569\u2566\u2560\u2550\u256c\u2567\u2568\u2564\u2565\u2559\u2558\u2552\u2553\u256b\u256a\u2518\u250c\u2588\u2584\u258c\u2590\u2580\u03b1\xdf\u0393\u03c0\u03a3\u03c3\xb5\u03c4\u03a6\u0398\u03a9\u03b4\u221e\u03c6\u03b5\u2229\u2261\xb1\u2265\u2264\u2320\u2321\xf7\u2248\xb0\u2219\xb7\u221a\u207f\xb2\u25a0\xa0';

function decodeName(bytes: Uint8Array, isUtf8: boolean): string {
  let name: string;
  if (isUtf8) {
    utf8 ??= new TextDecoder('utf-8', { fatal: true });
    try {
      name = utf8.decode(bytes);
    } catch {
      throw new WheelZipError('a member name flagged UTF-8 is not valid UTF-8');
    }
  } else {
    name = '';
    for (const b of bytes) name += b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80]!;
  }
  const nul = name.indexOf('\u0000');
  return nul >= 0 ? name.slice(0, nul) : name;
}

/**
 * Walks a central directory (`cd` holds exactly its bytes) entry by entry until its size is used up,
 * as Python does, and returns the member names in directory order.
 */
export function parseCentralDirectory(cd: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): string[] {
  const names: string[] = [];
  let p = 0;
  while (p < cd.length) {
    if (p + CDH_SIZE > cd.length) throw new WheelZipError(`truncated central directory entry at byte ${p}`);
    if (u32(cd, p) !== CDH_SIG) throw new WheelZipError(`bad central directory entry signature at byte ${p}`);
    const flags = u16(cd, p + 8);
    const n = u16(cd, p + 28);
    const m = u16(cd, p + 30);
    const k = u16(cd, p + 32);
    const next = p + CDH_SIZE + n + m + k;
    if (next > cd.length) throw new WheelZipError(`truncated central directory entry at byte ${p}`);
    if (names.length >= limits.maxEntries) throw new WheelZipError(`too many members (limit ${limits.maxEntries})`);
    names.push(decodeName(cd.subarray(p + CDH_SIZE, p + CDH_SIZE + n), (flags & 0x800) !== 0));
    p = next;
  }
  return names;
}

/** Byte access to a remote (or local) file: a tail, and ranges. */
export interface RangeSource {
  /**
   * The last `length` bytes (fewer when the file is shorter), their absolute start and the file size.
   * A source that only has whole files (a server ignoring ranges) may return the whole file.
   */
  tail(length: number): Promise<{ bytes: Uint8Array; start: number; size: number }>;
  /** Bytes [start, end) of the file. */
  range(start: number, end: number): Promise<Uint8Array>;
}

export interface ZipListingOptions {
  /** The first tail's length (default 8 KiB: the EOCD and, for most wheels, the whole directory). */
  initialTail?: number;
  limits?: Partial<ZipLimits>;
}

/** The member names of the ZIP behind `src`, reading only its end records and central directory. */
export async function listZipMembers(src: RangeSource, opts: ZipListingOptions = {}): Promise<string[]> {
  const limits: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...opts.limits };
  const { cd } = await readCentralDirectory(src, opts);
  return cd.length === 0 ? [] : parseCentralDirectory(cd, limits);
}

/** The central directory's bytes (and where it is, and the file's size), reading only the end of the file. */
export async function readCentralDirectory(
  src: RangeSource,
  opts: ZipListingOptions = {},
): Promise<{ cd: Uint8Array; location: CentralDirectoryLocation; fileSize: number }> {
  const limits: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...opts.limits };
  let tail = await src.tail(Math.max(EOCD_SIZE + ZIP64_LOCATOR_SIZE + ZIP64_EOCD_SIZE, Math.min(MAX_TAIL, opts.initialTail ?? 8192)));
  const size = tail.size;
  if (size < EOCD_SIZE) throw new WheelZipError('not a ZIP archive (shorter than an end of central directory record)');
  let eocd = findEocd(tail.bytes, tail.start, size);
  if (eocd === undefined && tail.start > 0 && tail.bytes.length < MAX_TAIL) {
    tail = await src.tail(MAX_TAIL);
    if (tail.size !== size) throw new WheelZipError('the file changed size between reads');
    eocd = findEocd(tail.bytes, tail.start, size);
  }
  if (eocd === undefined) throw new WheelZipError('not a ZIP archive (no end of central directory record)');
  // the end records: the EOCD and up to 76 bytes before it, from the tail when it has them
  let endBuf = tail.bytes;
  let endStart = tail.start;
  const need = Math.max(0, eocd - ZIP64_LOCATOR_SIZE - ZIP64_EOCD_SIZE);
  if (need < tail.start && eocd - tail.start < ZIP64_LOCATOR_SIZE + ZIP64_EOCD_SIZE) {
    const before = await src.range(need, tail.start);
    const joined = new Uint8Array(before.length + tail.bytes.length);
    joined.set(before, 0);
    joined.set(tail.bytes, before.length);
    endBuf = joined;
    endStart = need;
  }
  const loc = locateCentralDirectory(endBuf, endStart, eocd, size, limits);
  if (loc.size === 0) return { cd: new Uint8Array(0), location: loc, fileSize: size };
  if (loc.offset >= endStart) return { cd: endBuf.subarray(loc.offset - endStart, loc.offset - endStart + loc.size), location: loc, fileSize: size };
  const cd = await src.range(loc.offset, loc.offset + loc.size);
  if (cd.length !== loc.size) throw new WheelZipError('short read of the central directory');
  return { cd, location: loc, fileSize: size };
}

/** A {@link RangeSource} over bytes in memory (tests, and a server that sent the whole file). */
export function memorySource(file: Uint8Array): RangeSource {
  return {
    tail: async (length) => {
      const start = Math.max(0, file.length - length);
      return { bytes: file.subarray(start), start, size: file.length };
    },
    range: async (start, end) => {
      if (start < 0 || end > file.length || start > end) throw new WheelZipError('range outside the file');
      return file.subarray(start, end);
    },
  };
}
