import { createHash, randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { crc32, createTar, createTgz, gzipStored, NPM_PACK_MTIME, readTar } from '../../test-support/tarball.js';

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });
});

describe('gzipStored', () => {
  it.each([0, 1, 65535, 65536, 200_001])('round-trips %i bytes through zlib', (n) => {
    const data = randomBytes(n);
    const gz = gzipStored(data);
    expect(gunzipSync(gz).equals(data)).toBe(true);
    // header: magic, deflate, no flags, mtime 0
    expect([...gz.subarray(0, 8)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
  });
});

describe('createTar / readTar', () => {
  it('writes ustar headers that round-trip, with long paths split into prefix and name', () => {
    const long = `package/${'d'.repeat(80)}/${'f'.repeat(60)}.js`;
    const tar = createTar([
      { path: 'package/package.json', content: '{"name":"x"}\n' },
      { path: long, content: Buffer.from([1, 2, 3]), mode: 0o755 },
    ]);
    expect(tar.length % 512).toBe(0);
    expect(tar.subarray(257, 263).toString('ascii')).toBe('ustar\0');
    // mtime field of the first header is npm pack's fixed date
    expect(parseInt(tar.subarray(136, 147).toString('ascii'), 8)).toBe(NPM_PACK_MTIME);
    const files = readTar(tar);
    expect([...files.keys()]).toEqual(['package/package.json', long]);
    expect(files.get(long)).toEqual(Buffer.from([1, 2, 3]));
  });

  it('computes header checksums tar accepts', () => {
    const tar = createTar([{ path: 'package/a.txt', content: 'a' }]);
    const header = Buffer.from(tar.subarray(0, 512));
    const stored = parseInt(header.subarray(148, 154).toString('ascii'), 8);
    header.fill(0x20, 148, 156);
    expect(stored).toBe(header.reduce((n, b) => n + b, 0));
  });

  it('refuses paths that ustar cannot hold', () => {
    expect(() => createTar([{ path: `package/${'x'.repeat(120)}`, content: '' }])).toThrow(/too long/);
    expect(() => createTar([{ path: 'package/é.js', content: '' }])).toThrow(/ASCII/);
  });

  it('is deterministic: same entries, same bytes', () => {
    const entries = [
      { path: 'package/package.json', content: '{"name":"same","version":"1.0.0"}\n' },
      { path: 'package/index.js', content: 'module.exports = 1;\n' },
    ];
    const a = createTgz(entries);
    const b = createTgz(entries.map((e) => ({ ...e })));
    expect(createHash('sha512').update(a).digest('hex')).toBe(createHash('sha512').update(b).digest('hex'));
    expect(createTgz([{ ...entries[0]!, content: '{"name":"same","version":"1.0.1"}\n' }, entries[1]!]).equals(a)).toBe(false);
  });
});
