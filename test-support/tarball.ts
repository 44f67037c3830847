/**
 * Deterministic package tarballs for the fixture registry.
 *
 * A minimal ustar writer plus a gzip container written by hand. The gzip member uses *stored*
 * deflate blocks (no compression): the bytes then depend only on the input, never on the zlib
 * build. (Node bundles a zlib fork whose compressed output can differ between CPUs and versions,
 * which would change every `integrity` in the committed fixture lockfiles.) Any gzip reader,
 * npm's included, accepts stored blocks.
 */

/** The mtime `npm pack` stamps on every entry (1985-10-26T08:15:00Z), in seconds. */
export const NPM_PACK_MTIME = 499162500;

export interface TarEntry {
  /** Path inside the archive, e.g. `package/package.json`. ASCII, at most 255 bytes. */
  path: string;
  content: Buffer | string;
  /** Octal permission bits; 0o644 by default (0o755 suits `bin` files). */
  mode?: number;
}

const BLOCK = 512;

function writeOctal(header: Buffer, offset: number, length: number, value: number): void {
  // length - 1 octal digits, then a NUL terminator (the ustar convention npm's tar also writes).
  const digits = value.toString(8).padStart(length - 1, '0');
  if (digits.length > length - 1) throw new RangeError(`tar: value ${value} does not fit ${length} bytes`);
  header.write(digits, offset, length - 1, 'ascii');
  header[offset + length - 1] = 0;
}

function splitName(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  // ustar: a prefix of up to 155 bytes, split on a '/', plus a name of up to 100 bytes.
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { name, prefix };
  }
  throw new RangeError(`tar: path too long for ustar: ${path}`);
}

function tarHeader(path: string, size: number, mode: number, mtime: number): Buffer {
  if (!/^[\x20-\x7e]+$/.test(path)) throw new RangeError(`tar: path must be printable ASCII: ${JSON.stringify(path)}`);
  const header = Buffer.alloc(BLOCK, 0);
  const { name, prefix } = splitName(path);
  header.write(name, 0, 100, 'ascii');
  writeOctal(header, 100, 8, mode);
  writeOctal(header, 108, 8, 0); // uid
  writeOctal(header, 116, 8, 0); // gid
  writeOctal(header, 124, 12, size);
  writeOctal(header, 136, 12, mtime);
  header.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  header[156] = 0x30; // typeflag '0': regular file
  header.write('ustar\u000000', 257, 8, 'ascii'); // magic "ustar\0" + version "00"
  header.write(prefix, 345, 155, 'ascii');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, '0'), 148, 6, 'ascii');
  header[154] = 0;
  header[155] = 0x20;
  return header;
}

/** A ustar archive of `entries`, in the order given, ending with two zero blocks. */
export function createTar(entries: readonly TarEntry[], mtime = NPM_PACK_MTIME): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const content = typeof entry.content === 'string' ? Buffer.from(entry.content, 'utf8') : entry.content;
    parts.push(tarHeader(entry.path, content.length, entry.mode ?? 0o644, mtime));
    parts.push(content);
    const pad = (BLOCK - (content.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0));
  return Buffer.concat(parts);
}

let crcTable: Uint32Array | undefined;
/** CRC-32 (IEEE 802.3), as gzip's trailer needs. */
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of data) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * A gzip member holding `data` in stored deflate blocks, with mtime 0 and no file name:
 * byte-for-byte the same on every machine and Node version.
 */
export function gzipStored(data: Buffer): Buffer {
  const MAX = 0xffff;
  const parts: Buffer[] = [Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03])];
  let offset = 0;
  do {
    const len = Math.min(MAX, data.length - offset);
    const final = offset + len >= data.length;
    const head = Buffer.alloc(5);
    head[0] = final ? 0x01 : 0x00; // BFINAL, BTYPE=00 (stored)
    head.writeUInt16LE(len, 1);
    head.writeUInt16LE(~len & 0xffff, 3);
    parts.push(head, data.subarray(offset, offset + len));
    offset += len;
  } while (offset < data.length);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(data), 0);
  trailer.writeUInt32LE(data.length >>> 0, 4);
  parts.push(trailer);
  return Buffer.concat(parts);
}

/** `createTar` then `gzipStored`: a `.tgz` as the registry serves it. */
export function createTgz(entries: readonly TarEntry[], mtime = NPM_PACK_MTIME): Buffer {
  return gzipStored(createTar(entries, mtime));
}

/** Reads the regular files of a (plain, uncompressed) ustar archive. For tests and checks. */
export function readTar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let offset = 0;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, len: number): string => {
      const raw = header.subarray(start, start + len);
      const nul = raw.indexOf(0);
      return raw.subarray(0, nul === -1 ? len : nul).toString('ascii');
    };
    const name = field(0, 100);
    const prefix = field(345, 155);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    offset += BLOCK;
    if (type === '0' || type === '') files.set(prefix ? `${prefix}/${name}` : name, Buffer.from(tar.subarray(offset, offset + size)));
    offset += Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}
