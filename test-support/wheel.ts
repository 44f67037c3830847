/**
 * Deterministic ZIP archives and Python wheels for the fixture package index.
 *
 * Wheels are ZIP files whose members are compressed with deflate (method 8), as every wheel builder
 * writes them. The deflate stream is produced here, not by node:zlib: Node bundles a zlib fork whose
 * output can differ between CPUs and versions, and a wheel's sha256 ends up in committed lockfiles,
 * so its bytes must depend on nothing but its contents. The encoder is small (greedy LZ77 with hash
 * chains, one fixed-Huffman block): any inflater — Python's `zipfile`, pip, node:zlib — reads it. A
 * member that would not shrink is stored (method 0), as `zip` and `wheel` also do.
 *
 * A wheel holds `<pkg>/__init__.py`, `<name>-<ver>.dist-info/{METADATA,WHEEL,top_level.txt,RECORD}`
 * with RECORD hashes that pip verifies on install, plus any extra members a fixture asks for (for
 * example a `.pth` start-up hook at the archive root).
 */
import { createHash } from 'node:crypto';
import { crc32 } from './tarball.js';

// ---------------------------------------------------------------------------------------------
// Deflate (RFC 1951), fixed Huffman codes

class BitWriter {
  private readonly chunks: Buffer[] = [];
  private buf = Buffer.alloc(1 << 16);
  private pos = 0;
  private bits = 0;
  private nbits = 0;

  /** Writes `n` bits of `value`, least significant bit first (deflate's order for non-code fields). */
  write(value: number, n: number): void {
    this.bits |= value << this.nbits;
    this.nbits += n;
    while (this.nbits >= 8) {
      this.byte(this.bits & 0xff);
      this.bits >>>= 8;
      this.nbits -= 8;
    }
  }

  /** Writes a Huffman code of `n` bits, most significant bit first (deflate's order for codes). */
  code(code: number, n: number): void {
    let rev = 0;
    for (let i = 0; i < n; i++) rev |= ((code >>> i) & 1) << (n - 1 - i);
    this.write(rev, n);
  }

  private byte(b: number): void {
    if (this.pos === this.buf.length) {
      this.chunks.push(this.buf);
      this.buf = Buffer.alloc(this.buf.length);
      this.pos = 0;
    }
    this.buf[this.pos++] = b;
  }

  finish(): Buffer {
    if (this.nbits > 0) this.byte(this.bits & 0xff);
    this.bits = 0;
    this.nbits = 0;
    return Buffer.concat([...this.chunks, this.buf.subarray(0, this.pos)]);
  }
}

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

function writeLitLen(w: BitWriter, sym: number): void {
  if (sym < 144) w.code(0x30 + sym, 8);
  else if (sym < 256) w.code(0x190 + (sym - 144), 9);
  else if (sym < 280) w.code(sym - 256, 7);
  else w.code(0xc0 + (sym - 280), 8);
}

/** Index of the last entry of `table` that is <= `value`. */
function bucket(table: readonly number[], value: number): number {
  let i = table.length - 1;
  while (table[i]! > value) i--;
  return i;
}

const WINDOW = 32768;
const MIN_MATCH = 3;
const MAX_MATCH = 258;
const MAX_CHAIN = 64;
const HASH_SIZE = 1 << 15;

/**
 * Raw deflate of `data`: one final fixed-Huffman block, greedy LZ77 matches found through hash chains
 * (at most {@link MAX_CHAIN} candidates per position). Deterministic: the output depends only on
 * `data`.
 */
export function deflateRawFixed(data: Uint8Array): Buffer {
  const w = new BitWriter();
  w.write(1, 1); // BFINAL
  w.write(1, 2); // BTYPE = 01, fixed Huffman codes
  const n = data.length;
  const head = new Int32Array(HASH_SIZE).fill(-1);
  const prev = new Int32Array(Math.max(n, 1)).fill(-1);
  const hashAt = (i: number): number => ((data[i]! << 10) ^ (data[i + 1]! << 5) ^ data[i + 2]!) & (HASH_SIZE - 1);
  const insert = (i: number): void => {
    if (i + MIN_MATCH > n) return;
    const h = hashAt(i);
    prev[i] = head[h]!;
    head[h] = i;
  };
  let i = 0;
  while (i < n) {
    let bestLen = 0;
    let bestDist = 0;
    if (i + MIN_MATCH <= n) {
      const limit = Math.min(MAX_MATCH, n - i);
      let cand = head[hashAt(i)]!;
      for (let chain = 0; cand >= 0 && i - cand <= WINDOW && chain < MAX_CHAIN; chain++, cand = prev[cand]!) {
        let len = 0;
        while (len < limit && data[cand + len] === data[i + len]) len++;
        if (len > bestLen) {
          bestLen = len;
          bestDist = i - cand;
          if (len === limit) break;
        }
      }
    }
    if (bestLen >= MIN_MATCH) {
      const li = bucket(LENGTH_BASE, bestLen);
      writeLitLen(w, 257 + li);
      if (LENGTH_EXTRA[li]) w.write(bestLen - LENGTH_BASE[li]!, LENGTH_EXTRA[li]!);
      const di = bucket(DIST_BASE, bestDist);
      w.code(di, 5);
      if (DIST_EXTRA[di]) w.write(bestDist - DIST_BASE[di]!, DIST_EXTRA[di]!);
      for (let k = 0; k < bestLen; k++) insert(i + k);
      i += bestLen;
    } else {
      writeLitLen(w, data[i]!);
      insert(i);
      i++;
    }
  }
  writeLitLen(w, 256); // end of block
  return w.finish();
}

// ---------------------------------------------------------------------------------------------
// ZIP

export interface ZipEntry {
  /** Member path, `/`-separated, no leading `/`. */
  path: string;
  content: Buffer | string;
  /** Unix permission bits recorded in the central directory (default 0o644). */
  mode?: number;
}

/** The DOS date of 1980-01-01 00:00:00, the earliest a ZIP can record (what reproducible builds use). */
const DOS_DATE_1980 = (0 << 9) | (1 << 5) | 1;
const DOS_TIME_MIDNIGHT = 0;

/**
 * A ZIP archive of `entries` in the order given: deflated members (stored when deflate would not
 * shrink them), fixed timestamps, UTF-8 names, Unix modes, no extra fields and no archive comment.
 */
export function createZip(entries: readonly ZipEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const seen = new Set<string>();
  for (const entry of entries) {
    if (!entry.path || entry.path.startsWith('/') || entry.path.split('/').some((s) => s === '..' || s === '')) {
      throw new RangeError(`zip: member path not allowed: ${JSON.stringify(entry.path)}`);
    }
    if (seen.has(entry.path)) throw new RangeError(`zip: duplicate member ${entry.path}`);
    seen.add(entry.path);
    const content = typeof entry.content === 'string' ? Buffer.from(entry.content, 'utf8') : entry.content;
    const name = Buffer.from(entry.path, 'utf8');
    const deflated = deflateRawFixed(content);
    const stored = deflated.length >= content.length;
    const body = stored ? content : deflated;
    const method = stored ? 0 : 8;
    const crc = crc32(content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // flags: names are UTF-8
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME_MIDNIGHT, 10);
    local.writeUInt16LE(DOS_DATE_1980, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    parts.push(local, name, body);

    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, spec 2.0
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x0800, 8);
    cd.writeUInt16LE(method, 10);
    cd.writeUInt16LE(DOS_TIME_MIDNIGHT, 12);
    cd.writeUInt16LE(DOS_DATE_1980, 14);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(body.length, 20);
    cd.writeUInt32LE(content.length, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt16LE(0, 30); // extra
    cd.writeUInt16LE(0, 32); // comment
    cd.writeUInt16LE(0, 34); // disk
    cd.writeUInt16LE(0, 36); // internal attributes
    cd.writeUInt32LE((((entry.mode ?? 0o644) | 0o100000) << 16) >>> 0, 38); // regular file + mode
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name);
    offset += local.length + name.length + body.length;
  }
  const cdBuf = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cdBuf.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cdBuf, eocd]);
}

export interface ZipCentralEntry {
  path: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

/**
 * Reads the member list from the end of a ZIP (the end-of-central-directory record and the central
 * directory). `tail` may be the last bytes of the file only, as long as it holds the whole central
 * directory; `fileSize` is then the full file's size. Throws when the tail is too short or malformed.
 */
export function readZipCentralDirectory(tail: Buffer, fileSize = tail.length): ZipCentralEntry[] {
  const base = fileSize - tail.length; // file offset of tail[0]
  let eocd = -1;
  for (let i = tail.length - 22; i >= Math.max(0, tail.length - 22 - 0xffff); i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('zip: no end-of-central-directory record in the bytes given');
  const count = tail.readUInt16LE(eocd + 10);
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  let p = cdOffset - base;
  if (p < 0 || p + cdSize > eocd) throw new Error('zip: the central directory is not inside the bytes given');
  const out: ZipCentralEntry[] = [];
  for (let k = 0; k < count; k++) {
    if (p + 46 > eocd || tail.readUInt32LE(p) !== 0x02014b50) throw new Error(`zip: bad central directory entry ${k}`);
    const nameLen = tail.readUInt16LE(p + 28);
    const extraLen = tail.readUInt16LE(p + 30);
    const commentLen = tail.readUInt16LE(p + 32);
    out.push({
      path: tail.subarray(p + 46, p + 46 + nameLen).toString('utf8'),
      method: tail.readUInt16LE(p + 10),
      compressedSize: tail.readUInt32LE(p + 20),
      size: tail.readUInt32LE(p + 24),
      localHeaderOffset: tail.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Wheels

/** Binary distribution name escaping: runs of `-_.` become `_`, lower case (wheel and sdist file names). */
export function escapeDistName(name: string): string {
  return name.replace(/[-_.]+/g, '_').toLowerCase();
}

/** `name-1.0-py3-none-any.whl` */
export function wheelFileName(name: string, version: string, tag: string): string {
  return `${escapeDistName(name)}-${version}-${tag}.whl`;
}

/** The tags a compressed tag set stands for: `cp312-cp312-a.b` → `cp312-cp312-a`, `cp312-cp312-b`. */
export function expandWheelTag(tag: string): string[] {
  const parts = tag.split('-');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_.]+$/.test(p))) throw new RangeError(`not a wheel tag: ${tag}`);
  const [py, abi, plat] = parts as [string, string, string];
  const out: string[] = [];
  for (const a of py.split('.')) for (const b of abi.split('.')) for (const c of plat.split('.')) out.push(`${a}-${b}-${c}`);
  return out;
}

/** Core metadata fields a fixture declares for one release (written as METADATA / PKG-INFO). */
export interface CoreMetadata {
  name: string;
  version: string;
  summary?: string;
  requiresPython?: string;
  requiresDist?: readonly string[];
  license?: string;
  homePage?: string;
  author?: string;
}

/** A Core Metadata 2.1 document (RFC 822 style headers). */
export function coreMetadataText(m: CoreMetadata): string {
  const lines = ['Metadata-Version: 2.1', `Name: ${m.name}`, `Version: ${m.version}`];
  if (m.summary) lines.push(`Summary: ${m.summary}`);
  if (m.homePage) lines.push(`Home-page: ${m.homePage}`);
  if (m.author) lines.push(`Author: ${m.author}`);
  if (m.license) lines.push(`License: ${m.license}`);
  if (m.requiresPython) lines.push(`Requires-Python: ${m.requiresPython}`);
  for (const r of m.requiresDist ?? []) lines.push(`Requires-Dist: ${r}`);
  for (const [k, v] of lines.entries()) if (/[\r\n]/.test(v)) throw new RangeError(`metadata line ${k} has a line break`);
  return `${lines.join('\n')}\n\n`;
}

/** RECORD's hash form: `sha256=` + urlsafe base64 without padding. */
export function recordHash(content: Buffer): string {
  return `sha256=${createHash('sha256').update(content).digest('base64url')}`;
}

export interface WheelSpec extends CoreMetadata {
  /** Compressed tag set, e.g. `py3-none-any` or `cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64`. */
  tag: string;
  /** Top-level import package (default: the escaped distribution name). */
  importName?: string;
  /**
   * Extra members by archive path (`litellm_init.pth` at the root, `<pkg>/extra.py`, or
   * `<name>-<ver>.data/purelib/hook.pth`). Listed in RECORD like every other member.
   */
  extraMembers?: ReadonlyMap<string, string | Buffer>;
  /** Adds `<pkg>/_fixture_payload.bin`, this many incompressible bytes, so the wheel has a realistic size. */
  paddingBytes?: number;
  /** `.dist-info/entry_points.txt` (console scripts), when given. */
  entryPoints?: string;
  /** Seed of the padding bytes (default: the wheel's name, version and tag): the same seed keeps them unchanged across releases. */
  paddingSeed?: string;
}

/** `count` bytes that look random (sha256 counter stream) and never compress, the same every time. */
export function incompressibleBytes(count: number, seed: string): Buffer {
  const out = Buffer.alloc(count);
  for (let off = 0, n = 0; off < count; n++) {
    const block = createHash('sha256').update(`${seed}:${n}`).digest();
    off += block.copy(out, off, 0, Math.min(block.length, count - off));
  }
  return out;
}

export interface BuiltWheel {
  filename: string;
  bytes: Buffer;
  /** The `.dist-info/METADATA` member, which the index also serves as `<file>.metadata` (PEP 658). */
  metadata: Buffer;
  /** Member paths in archive order. */
  members: string[];
}

/** Builds one wheel. The same spec always gives the same bytes. */
export function buildWheel(spec: WheelSpec): BuiltWheel {
  const tags = expandWheelTag(spec.tag);
  const pure = tags.every((t) => t.endsWith('-none-any'));
  const dist = `${escapeDistName(spec.name)}-${spec.version}`;
  const distInfo = `${dist}.dist-info`;
  const pkg = spec.importName ?? escapeDistName(spec.name);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(pkg)) throw new RangeError(`not an import name: ${pkg}`);
  const metadata = Buffer.from(coreMetadataText(spec), 'utf8');
  const entries: ZipEntry[] = [];
  const add = (path: string, content: string | Buffer): void => {
    entries.push({ path, content: typeof content === 'string' ? Buffer.from(content, 'utf8') : content });
  };
  add(
    `${pkg}/__init__.py`,
    `"""${spec.name} ${spec.version}: lockwarden fixture stand-in for the real package. It does nothing."""\n__version__ = "${spec.version}"\n`,
  );
  if (spec.paddingBytes) add(`${pkg}/_fixture_payload.bin`, incompressibleBytes(spec.paddingBytes, spec.paddingSeed ?? `${dist}-${spec.tag}`));
  for (const [path, content] of spec.extraMembers ?? []) {
    if (path.startsWith(`${distInfo}/`)) throw new RangeError(`extra member inside ${distInfo}: ${path}`);
    add(path, content);
  }
  add(`${distInfo}/METADATA`, metadata);
  add(
    `${distInfo}/WHEEL`,
    ['Wheel-Version: 1.0', 'Generator: lockwarden-fixture (1.0)', `Root-Is-Purelib: ${pure ? 'true' : 'false'}`, ...tags.map((t) => `Tag: ${t}`), ''].join(
      '\n',
    ),
  );
  add(`${distInfo}/top_level.txt`, `${pkg}\n`);
  if (spec.entryPoints !== undefined) add(`${distInfo}/entry_points.txt`, spec.entryPoints);
  const record = [...entries.map((e) => `${e.path},${recordHash(e.content as Buffer)},${(e.content as Buffer).length}`), `${distInfo}/RECORD,,`, ''].join('\n');
  add(`${distInfo}/RECORD`, record);
  return { filename: wheelFileName(spec.name, spec.version, spec.tag), bytes: createZip(entries), metadata, members: entries.map((e) => e.path) };
}
