/**
 * Builds ZIP archives for the wheel tests, byte by byte (local headers, data, central directory,
 * optional ZIP64 end records and comment), with Node's zlib for deflate and CRC-32. Written from the
 * ZIP format (APPNOTE), independently of the reader under test.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ZipEntry {
  name: string;
  data?: Buffer | string;
  /** Store the name as raw bytes (not UTF-8) without the UTF-8 flag. */
  rawName?: Buffer;
  deflate?: boolean;
}

export interface ZipOptions {
  comment?: Buffer | string;
  /** Write ZIP64 end records (and 0xFFFF/0xFFFFFFFF in the EOCD). */
  zip64?: boolean;
  /** Bytes before the archive (a stub), offsets left relative to the archive start like `cat stub a.zip`. */
  prefix?: Buffer;
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}
function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}

export function buildZip(entries: ZipEntry[], opts: ZipOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data ?? `content of ${e.name}\n`);
    const body = e.deflate ? deflateRawSync(data) : data;
    const name = e.rawName ?? Buffer.from(e.name, 'utf8');
    const flags = e.rawName ? 0 : 0x800;
    const method = e.deflate ? 8 : 0;
    const crc = crc32(data);
    const local = Buffer.concat([
      u32(0x04034b50),
      u16(20),
      u16(flags),
      u16(method),
      u16(0),
      u16(0x21),
      u32(crc),
      u32(body.length),
      u32(data.length),
      u16(name.length),
      u16(0),
      name,
      body,
    ]);
    const cdh = Buffer.concat([
      u32(0x02014b50),
      u16(0x031e),
      u16(20),
      u16(flags),
      u16(method),
      u16(0),
      u16(0x21),
      u32(crc),
      u32(body.length),
      u32(data.length),
      u16(name.length),
      u16(0),
      u16(0),
      u16(0),
      u16(0),
      u32(0o100644 << 16),
      u32(offset),
      name,
    ]);
    locals.push(local);
    central.push(cdh);
    offset += local.length;
  }
  const cd = Buffer.concat(central);
  const cdOffset = offset;
  const comment = opts.comment === undefined ? Buffer.alloc(0) : Buffer.from(opts.comment);
  const tail: Buffer[] = [];
  if (opts.zip64) {
    const recOffset = cdOffset + cd.length;
    tail.push(
      Buffer.concat([u32(0x06064b50), u64(44), u16(45), u16(45), u32(0), u32(0), u64(entries.length), u64(entries.length), u64(cd.length), u64(cdOffset)]),
    );
    tail.push(Buffer.concat([u32(0x07064b50), u32(0), u64(recOffset), u32(1)]));
    tail.push(Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(0xffff), u16(0xffff), u32(0xffffffff), u32(0xffffffff), u16(comment.length), comment]));
  } else {
    tail.push(
      Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(entries.length), u16(entries.length), u32(cd.length), u32(cdOffset), u16(comment.length), comment]),
    );
  }
  return Buffer.concat([opts.prefix ?? Buffer.alloc(0), ...locals, cd, ...tail]);
}

/**
 * A real archive written by Python's `zipfile` (the module pip installs wheels with). `script` runs
 * with `zf` open for writing; returns the bytes.
 */
export function pythonZip(script: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'lw-pyzip-'));
  const out = join(dir, 'out.zip');
  const code = `import zipfile, sys\nwith zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as zf:\n${script
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}\n`;
  const r = spawnSync('python3', ['-I', '-c', code, out], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return readFileSync(out);
}

/** The member names as Python's `zipfile` reads them (the oracle). */
export function pythonNames(zip: Buffer): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'lw-pyzip-'));
  const file = join(dir, 'in.zip');
  writeFileSync(file, zip);
  const r = spawnSync('python3', ['-I', '-c', 'import zipfile, sys, json\nprint(json.dumps(zipfile.ZipFile(sys.argv[1]).namelist()))', file], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as string[];
}
