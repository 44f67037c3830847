import {
  type DEFAULT_ZIP_LIMITS,
  findEocd,
  listZipMembers,
  locateCentralDirectory,
  MAX_TAIL,
  memorySource,
  parseCentralDirectory,
  WheelZipError,
  type RangeSource,
} from '../../src/archives/wheel-zip.js';
import { buildZip, pythonNames, pythonZip } from './wheel-zip-builder.js';

/** A memory source that records every read (to count bytes). */
function counting(file: Buffer): RangeSource & { reads: { start: number; end: number }[]; bytes: () => number } {
  const inner = memorySource(file);
  const reads: { start: number; end: number }[] = [];
  return {
    reads,
    bytes: () => reads.reduce((n, r) => n + (r.end - r.start), 0),
    tail: async (length) => {
      const t = await inner.tail(length);
      reads.push({ start: t.start, end: t.size });
      return t;
    },
    range: async (start, end) => {
      reads.push({ start, end });
      return inner.range(start, end);
    },
  };
}

const WHEEL_MEMBERS = [
  'litellm/__init__.py',
  'litellm/proxy/server.py',
  'litellm_init.pth',
  'litellm-1.82.8.dist-info/METADATA',
  'litellm-1.82.8.dist-info/WHEEL',
  'litellm-1.82.8.dist-info/RECORD',
];

describe('listZipMembers on archives built here', () => {
  it('lists every member in directory order, from one small tail read', async () => {
    const zip = buildZip(WHEEL_MEMBERS.map((name) => ({ name, deflate: true })));
    const src = counting(zip);
    expect(await listZipMembers(src)).toEqual(WHEEL_MEMBERS);
    expect(src.reads).toHaveLength(1);
  });

  it('reads a multi-MB archive with a few KB: the tail, then the directory only', async () => {
    const big = Buffer.alloc(6 * 1024 * 1024, 7);
    const names = Array.from({ length: 300 }, (_, i) => `pkg/module_${i}.py`);
    const zip = buildZip([{ name: 'pkg/blob.bin', data: big }, ...names.map((name) => ({ name }))]);
    const src = counting(zip);
    const members = await listZipMembers(src, { initialTail: 4096 });
    expect(members).toEqual(['pkg/blob.bin', ...names]);
    expect(src.reads).toHaveLength(2);
    expect(src.bytes()).toBeLessThan(32 * 1024);
    expect(zip.length).toBeGreaterThan(6 * 1024 * 1024);
  });

  it('finds the end record behind a long comment with a second, longer tail', async () => {
    const zip = buildZip([{ name: 'a.py' }, { name: 'b.pth' }], { comment: 'x'.repeat(20_000) });
    const src = counting(zip);
    expect(await listZipMembers(src, { initialTail: 1024 })).toEqual(['a.py', 'b.pth']);
    expect(src.reads.length).toBeLessThanOrEqual(3);
    expect(src.bytes()).toBeLessThanOrEqual(1024 + MAX_TAIL + 200);
  });

  it('reads ZIP64 end records', async () => {
    const zip = buildZip([{ name: 'x/__init__.py' }, { name: 'sitecustomize.py' }], { zip64: true });
    const eocd = findEocd(zip, 0, zip.length)!;
    const loc = locateCentralDirectory(zip, 0, eocd, zip.length);
    expect(loc.zip64).toBe(true);
    expect(loc.entries).toBe(2);
    expect(await listZipMembers(memorySource(zip))).toEqual(['x/__init__.py', 'sitecustomize.py']);
  });

  it('fetches the 76 bytes before the EOCD when the tail starts inside the ZIP64 records', async () => {
    // a 50-byte comment: the minimal first tail (98 bytes) holds the EOCD but not the records before it
    const zip = buildZip([{ name: 'big.bin', data: Buffer.alloc(100_000) }, { name: 'evil.pth' }], { zip64: true, comment: 'c'.repeat(50) });
    const src = counting(zip);
    expect(await listZipMembers(src, { initialTail: 1 })).toEqual(['big.bin', 'evil.pth']);
    expect(src.reads[0]).toEqual({ start: zip.length - 98, end: zip.length });
    expect(src.reads[1]).toEqual({ start: zip.length - 72 - 76, end: zip.length - 98 });
  });

  it('reads the directory where Python does when data is prepended (and ignores a decoy at the declared offset)', async () => {
    const decoy = buildZip([{ name: 'innocent.py' }]);
    const real = buildZip([{ name: 'pkg/__init__.py' }, { name: 'hook.pth' }]);
    // the real archive's declared offsets point into the decoy stub's range
    const zip = Buffer.concat([decoy, real]);
    expect(await listZipMembers(memorySource(zip))).toEqual(pythonNames(zip));
    expect(await listZipMembers(memorySource(zip))).toEqual(['pkg/__init__.py', 'hook.pth']);
    const stub = buildZip([{ name: 'a.py' }], { prefix: Buffer.from('#!/bin/sh\nexit 0\n') });
    const eocd = findEocd(stub, 0, stub.length)!;
    expect(locateCentralDirectory(stub, 0, eocd, stub.length).prefixBytes).toBe(17);
    expect(await listZipMembers(memorySource(stub))).toEqual(['a.py']);
  });

  it('decodes cp437 names without the UTF-8 flag and cuts names at NUL, like Python', async () => {
    const zip = buildZip([
      { name: '', rawName: Buffer.from([0x63, 0x61, 0x66, 0x82, 0x2e, 0x70, 0x79]) },
      { name: 'naïve/ü.py' },
      { name: '', rawName: Buffer.from('ok.pth\u0000.txt', 'latin1') },
    ]);
    const members = await listZipMembers(memorySource(zip));
    expect(members).toEqual(['café.py', 'naïve/ü.py', 'ok.pth']);
    expect(members).toEqual(pythonNames(zip));
  });

  it('lists an empty archive', async () => {
    expect(await listZipMembers(memorySource(buildZip([])))).toEqual([]);
  });
});

describe('archives written by Python zipfile', () => {
  it('lists a wheel-like archive exactly as zipfile reads it', async () => {
    const zip = pythonZip(
      [
        "zf.writestr('demo/__init__.py', 'x = 1\\n')",
        "zf.writestr('demo_init.pth', 'import os\\n')",
        "zf.writestr('demo-1.0.dist-info/METADATA', 'Name: demo\\n')",
        "zf.writestr('demo-1.0.dist-info/RECORD', '')",
        "zf.comment = b'built by a test'",
      ].join('\n'),
    );
    expect(await listZipMembers(memorySource(zip))).toEqual(['demo/__init__.py', 'demo_init.pth', 'demo-1.0.dist-info/METADATA', 'demo-1.0.dist-info/RECORD']);
  });

  it('lists a real ZIP64 archive (more than 65535 members) with bounded reads', async () => {
    const zip = pythonZip("for i in range(70000):\n    zf.writestr(zipfile.ZipInfo(f'm/{i}.py'), b'')");
    const eocd = findEocd(zip, 0, zip.length)!;
    const loc = locateCentralDirectory(zip, 0, eocd, zip.length);
    expect(loc.zip64).toBe(true);
    expect(loc.entries).toBe(70000);
    const src = counting(zip);
    const members = await listZipMembers(src);
    expect(members).toHaveLength(70000);
    expect(members[69999]).toBe('m/69999.py');
    // the tail and the directory, nothing of the members' data
    expect(src.bytes()).toBeLessThanOrEqual(8192 + loc.size);
  }, 60_000);
});

describe('hostile archives', () => {
  const good = buildZip([{ name: 'a.py' }, { name: 'b.py' }]);
  const eocdAt = good.length - 22;

  async function failure(zip: Buffer, limits?: Partial<typeof DEFAULT_ZIP_LIMITS>): Promise<string> {
    try {
      await listZipMembers(memorySource(zip), limits ? { limits } : {});
    } catch (e) {
      expect(e).toBeInstanceOf(WheelZipError);
      return (e as Error).message;
    }
    throw new Error('expected a WheelZipError');
  }

  it('no end record / too short', async () => {
    expect(await failure(Buffer.from('not a zip at all, just some text that is long enough'))).toBe('not a ZIP archive (no end of central directory record)');
    expect(await failure(Buffer.alloc(10))).toMatch(/shorter than an end of central directory record/);
  });

  it('a directory size larger than the archive', async () => {
    const z = Buffer.from(good);
    z.writeUInt32LE(0x7fffffff, eocdAt + 12);
    expect(await failure(z)).toMatch(/central directory (size is larger than the archive|too large)/);
    z.writeUInt32LE(good.length, eocdAt + 12);
    expect(await failure(z)).toBe('central directory size is larger than the archive');
  });

  it('a directory over the size limit is refused before it is read', async () => {
    const names = Array.from({ length: 200 }, (_, i) => ({ name: `n${i}.py` }));
    expect(await failure(buildZip(names), { maxCentralDirectoryBytes: 1000 })).toMatch(/central directory too large \(\d+ bytes, limit 1000\)/);
  });

  it('huge declared entry counts do not matter: entries are walked by size, and capped', async () => {
    const z = Buffer.from(good);
    z.writeUInt16LE(0xffff, eocdAt + 8);
    z.writeUInt16LE(0xffff, eocdAt + 10);
    expect(await listZipMembers(memorySource(z))).toEqual(['a.py', 'b.py']);
    expect(await failure(good, { maxEntries: 1 })).toBe('too many members (limit 1)');
  });

  it('a ZIP64 record with offsets beyond 2^53 or a bad signature', async () => {
    const z = buildZip([{ name: 'a.py' }], { zip64: true });
    const rec = z.length - 22 - 20 - 56;
    const big = Buffer.from(z);
    big.writeUInt32LE(0xffffffff, rec + 44);
    expect(await failure(big)).toBe('ZIP64 directory size is out of range');
    const bad = Buffer.from(z);
    bad.writeUInt32LE(0x12345678, rec);
    expect(await failure(bad)).toBe('invalid ZIP64 end of central directory record');
  });

  it('truncated and corrupt directory entries', async () => {
    const z = Buffer.from(good);
    const cdStart = good.readUInt32LE(eocdAt + 16);
    z.writeUInt16LE(5000, cdStart + 28); // name length past the directory
    expect(await failure(z)).toBe('truncated central directory entry at byte 0');
    const sig = Buffer.from(good);
    sig.writeUInt32LE(0, cdStart + 46 + 4); // second entry's signature
    expect(await failure(sig)).toBe('bad central directory entry signature at byte 50');
    expect(() => parseCentralDirectory(good.subarray(cdStart, cdStart + 30))).toThrow('truncated central directory entry at byte 0');
  });

  it('multi-disk archives and invalid UTF-8 names', async () => {
    const z = Buffer.from(good);
    z.writeUInt16LE(1, eocdAt + 4);
    expect(await failure(z)).toBe('ZIP archives spanning several disks are not supported');
    const bad = buildZip([{ name: 'x' }]);
    const cdStart = bad.readUInt32LE(bad.length - 22 + 16);
    bad[cdStart + 46] = 0xff;
    expect(await failure(bad)).toBe('a member name flagged UTF-8 is not valid UTF-8');
  });
});
