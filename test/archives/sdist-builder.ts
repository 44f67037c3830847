/**
 * Builds tar archives for the sdist tests, header by header (ustar fields, GNU long names, pax
 * records, bad checksums, base-256 sizes), written from the format description independently of the
 * reader under test; plus real archives written by Python's `tarfile`/`zipfile`, and pip's own
 * unpacking as the oracle of what a build would see.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TarMember {
  name: string;
  data?: Buffer | string;
  /** Type flag character (default '0'). */
  type?: string;
  link?: string;
  /** ustar prefix field. */
  prefix?: string;
  /** Declared size when it must differ from the data's length. */
  size?: number;
  /** Write the size field as base-256 (GNU) with this value. */
  base256Size?: bigint;
  /** Corrupt the checksum. */
  badChecksum?: boolean;
  /** Write no data after the header, whatever the size says. */
  noData?: boolean;
}

function octal(b: Buffer, at: number, len: number, value: number): void {
  b.write(value.toString(8).padStart(len - 1, '0'), at, len - 1, 'latin1');
  b[at + len - 1] = 0;
}

export function tarHeader(m: TarMember, dataLength: number): Buffer {
  const h = Buffer.alloc(512, 0);
  const name = Buffer.from(m.name, 'utf8');
  if (name.length > 100) throw new RangeError(`name longer than 100 bytes: ${m.name}`);
  name.copy(h, 0);
  octal(h, 100, 8, 0o644);
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  if (m.base256Size !== undefined) {
    h[124] = 0x80;
    let v = m.base256Size;
    for (let i = 135; i > 124; i--) {
      h[i] = Number(v & 0xffn);
      v >>= 8n;
    }
  } else octal(h, 124, 12, m.size ?? dataLength);
  octal(h, 136, 12, 1580601600);
  h.fill(0x20, 148, 156);
  h.write(m.type ?? '0', 156, 1, 'latin1');
  if (m.link) Buffer.from(m.link, 'utf8').copy(h, 157, 0, 100);
  h.write('ustar\u000000', 257, 8, 'latin1');
  if (m.prefix) Buffer.from(m.prefix, 'utf8').copy(h, 345, 0, 155);
  let sum = 0;
  for (const x of h) sum += x;
  if (m.badChecksum) sum += 1;
  h.write(sum.toString(8).padStart(6, '0'), 148, 6, 'latin1');
  h[154] = 0;
  h[155] = 0x20;
  return h;
}

function pad(n: number): Buffer {
  return Buffer.alloc((512 - (n % 512)) % 512, 0);
}

/** A tar of the members (each header, its data, padding), ended by two zero blocks unless `end` is false. */
export function buildTar(members: Array<TarMember | Buffer>, opts: { end?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const m of members) {
    if (Buffer.isBuffer(m)) {
      parts.push(m);
      continue;
    }
    const data = m.data === undefined ? Buffer.alloc(0) : Buffer.isBuffer(m.data) ? m.data : Buffer.from(m.data, 'utf8');
    parts.push(tarHeader(m, data.length));
    if (!m.noData) parts.push(data, pad(data.length));
  }
  if (opts.end !== false) parts.push(Buffer.alloc(1024, 0));
  return Buffer.concat(parts);
}

/** A pax extended header member (`x`, or `g` when global) carrying the records. */
export function paxMember(records: Record<string, string>, global = false): TarMember {
  let body = '';
  for (const [k, v] of Object.entries(records)) {
    const rest = ` ${k}=${v}\n`;
    let len = Buffer.byteLength(rest) + 1;
    while (String(len).length + Buffer.byteLength(rest) !== len) len = String(len).length + Buffer.byteLength(rest);
    body += `${len}${rest}`;
  }
  return { name: './PaxHeaders/x', type: global ? 'g' : 'x', data: body };
}

/** A GNU long name (`L`) or long link (`K`) member. */
export function gnuLong(value: string, type: 'L' | 'K' = 'L'): TarMember {
  return { name: '././@LongLink', type, data: Buffer.concat([Buffer.from(value, 'utf8'), Buffer.alloc(1)]) };
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function python(code: string, args: string[]): string {
  const r = spawnSync('python3', ['-I', '-c', code, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return r.stdout;
}

/**
 * A real `.tar.gz` written by Python's `tarfile` (`format`: PAX, GNU or USTAR). `script` runs with
 * `tf` open and `add(name, data: bytes, **TarInfo attributes)` defined.
 */
export function pythonTarGz(script: string, format: 'PAX' | 'GNU' | 'USTAR' = 'PAX'): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'lw-pytar-'));
  try {
    const out = join(dir, 'out.tar.gz');
    const code = [
      'import tarfile, io, sys',
      'def add(name, data=b"", **kw):',
      '    ti = tarfile.TarInfo(name); ti.size = len(data); ti.mtime = 1580601600',
      '    for k, v in kw.items(): setattr(ti, k, v)',
      '    tf.addfile(ti, io.BytesIO(data) if ti.isreg() else None)',
      `with tarfile.open(sys.argv[1], 'w:gz', format=tarfile.${format}_FORMAT) as tf:`,
      ...script.split('\n').map((l) => `    ${l}`),
    ].join('\n');
    python(code, [out]);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What pip's own unpacking (the installed pip's `unpack_file`) leaves at the project root, or its error. */
export type PipView = { error: string } | { files: Record<string, string | null> };

/**
 * Unpacks with pip's `pip._internal.utils.unpacking.unpack_file` into a temporary directory and
 * returns the sha256 of `setup.py`, `setup.cfg`, `pyproject.toml` there (null when absent; links
 * followed, as a build opening them would).
 */
export function pipUnpack(archive: Buffer, filename: string): PipView {
  const dir = mkdtempSync(join(tmpdir(), 'lw-pipunpack-'));
  try {
    const file = join(dir, filename);
    writeFileSync(file, archive);
    const code = [
      'import sys, os, json, hashlib, logging',
      'logging.disable(logging.CRITICAL)',
      'from pip._internal.utils.unpacking import unpack_file',
      'out = os.path.join(sys.argv[2], "out")',
      'try:',
      '    unpack_file(sys.argv[1], out)',
      'except BaseException as e:',
      '    print(json.dumps({"error": type(e).__name__ + ": " + str(e)})); sys.exit(0)',
      'files = {}',
      'for n in ("setup.py", "setup.cfg", "pyproject.toml"):',
      '    p = os.path.join(out, n)',
      '    files[n] = hashlib.sha256(open(p, "rb").read()).hexdigest() if os.path.isfile(p) else None',
      'print(json.dumps({"files": files}))',
    ].join('\n');
    return JSON.parse(python(code, [file, dir])) as PipView;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
