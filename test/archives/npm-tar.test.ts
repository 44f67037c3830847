import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { ArchiveRefused, readNpmTarball } from '../../src/archives/npm-tar.js';
import { createTar, createTgz } from '../../test-support/tarball.js';
import { hostileTgz } from '../helpers/hostile-tar.js';

const id = { name: 'pkg', version: '1.0.0', integrity: 'sha512-x' };
const byPath = async (tgz: Buffer, limits = {}) => {
  const c = await readNpmTarball(tgz, id, limits);
  return { c, files: new Map(c.files.map((f) => [f.path, f])) };
};

describe('readNpmTarball', () => {
  it('strips package/, keeps text, marks binaries and executables, hashes every member', async () => {
    const tgz = createTgz([
      { path: 'package/package.json', content: '{"name":"pkg"}' },
      { path: 'package/bin/cli.js', content: '#!/usr/bin/env node\n', mode: 0o755 },
      { path: 'package/lib/native.node', content: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]) },
    ]);
    const { c, files } = await byPath(tgz);
    expect(files.get('package.json')).toMatchObject({ kind: 'text', text: '{"name":"pkg"}', size: 14 });
    expect(files.get('package.json')!.sha256).toBe(createHash('sha256').update('{"name":"pkg"}').digest('hex'));
    expect(files.get('bin/cli.js')).toMatchObject({ kind: 'text', executable: true });
    expect(files.get('lib/native.node')).toMatchObject({ kind: 'binary', head: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]).toString('base64') });
    expect(c.skipped).toEqual([]);
    expect(c.bytes.compressed).toBe(tgz.length);
  });

  it('refuses a gzip bomb by its compression ratio, without inflating it all', async () => {
    const bomb = gzipSync(hostileTarOfZeros(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(200 * 1024);
    await expect(readNpmTarball(bomb, id)).rejects.toThrow(ArchiveRefused);
    await expect(readNpmTarball(bomb, id)).rejects.toThrow(/compression ratio over 200/);
  });

  it('refuses more members than maxFiles', async () => {
    const entries = Array.from({ length: 60 }, (_, i) => ({ path: `package/f${i}.js`, content: 'x' }));
    await expect(readNpmTarball(hostileTgz(entries), id, { maxFiles: 50 })).rejects.toThrow(/more than 50 members/);
  });

  it('keeps a 50 MB single-line file truncated to the per-file cap and says so', async () => {
    const line = Buffer.alloc(50 * 1024 * 1024, 'a');
    const tgz = gzipSync(Buffer.concat([hostileTarHeaderOnly('package/big.js', line.length), line, Buffer.alloc(1024)]));
    const { c, files } = await byPath(tgz, { maxRatio: 100_000 });
    const big = files.get('big.js')!;
    expect(big).toMatchObject({ kind: 'text', truncated: true, size: line.length });
    expect(big.text!.length).toBe(2 * 1024 * 1024);
    expect(big.sha256).toBe(createHash('sha256').update(line).digest('hex'));
    expect(c.skipped).toEqual([expect.objectContaining({ path: 'big.js' })]);
  });

  it('keeps package.json in full after earlier members spent the archive text budget (padding cannot hide the manifest)', async () => {
    const manifest = JSON.stringify({ name: 'pkg', version: '1.0.0', scripts: { postinstall: 'node setup.js' } });
    const tgz = createTgz([
      { path: 'package/locales/a.js', content: 'a'.repeat(3000) },
      { path: 'package/locales/b.js', content: 'b'.repeat(3000) },
      { path: 'package/package.json', content: manifest },
      { path: 'package/setup.js', content: 'x'.repeat(100) },
    ]);
    const { c, files } = await byPath(tgz, { maxTotalTextBytes: 4000 });
    expect(files.get('package.json')).toMatchObject({ kind: 'text', text: manifest });
    expect(files.get('package.json')!.truncated).toBeUndefined();
    expect(files.get('locales/b.js')!.truncated).toBe(true);
    expect(files.get('setup.js')).toMatchObject({ text: '', truncated: true });
    expect(c.skipped.map((s) => s.path)).toEqual(['locales/b.js', 'setup.js']);
  });

  it('refuses ../ and absolute paths, never listing them as files', async () => {
    const tgz = hostileTgz([
      { path: 'package/ok.js', content: '1' },
      { path: 'package/../../etc/evil.js', content: '2' },
      { path: '/etc/passwd', content: '3' },
    ]);
    const { c, files } = await byPath(tgz);
    expect([...files.keys()]).toEqual(['ok.js']);
    expect(c.skipped.map((s) => s.path)).toEqual(['package/../../etc/evil.js', '/etc/passwd']);
  });

  it('lists symlinks and hard links as links, devices and fifos as other, never following them', async () => {
    const tgz = hostileTgz([
      { path: 'package/index.js', content: 'real' },
      { path: 'package/sym.js', content: '', type: '2', link: '/etc/passwd' },
      { path: 'package/hard.js', content: '', type: '1', link: 'package/index.js' },
      { path: 'package/dev', content: '', type: '3' },
      { path: 'package/fifo', content: '', type: '6' },
    ]);
    const { files } = await byPath(tgz);
    expect(files.get('sym.js')).toMatchObject({ kind: 'link' });
    expect(files.get('sym.js')!.text).toBeUndefined();
    expect(files.get('hard.js')).toMatchObject({ kind: 'link' });
    expect(files.get('dev')).toMatchObject({ kind: 'other' });
    expect(files.get('fifo')).toMatchObject({ kind: 'other' });
  });

  it('keeps the last of duplicate names, as npm extracts them', async () => {
    const tgz = hostileTgz([
      { path: 'package/index.js', content: 'first' },
      { path: 'package/index.js', content: 'second' },
    ]);
    const { c, files } = await byPath(tgz);
    expect(c.files.filter((f) => f.path === 'index.js')).toHaveLength(1);
    expect(files.get('index.js')!.text).toBe('second');
  });

  it('refuses what is not a gzip stream', async () => {
    await expect(readNpmTarball(Buffer.from('not gzip at all'), id)).rejects.toThrow(ArchiveRefused);
  });
});

/** A one-member tar whose member is `n` zero bytes (compresses about 1000:1). */
function hostileTarOfZeros(n: number): Buffer {
  return Buffer.concat([hostileTarHeaderOnly('package/zeros.bin', n), Buffer.alloc(n), Buffer.alloc(1024)]);
}

/** The 512-byte header of a file member of `size` bytes (its data is appended by the caller). */
function hostileTarHeaderOnly(path: string, size: number): Buffer {
  const header = Buffer.from(createTar([{ path, content: '' }]).subarray(0, 512));
  header.write(size.toString(8).padStart(11, '0'), 124, 11, 'ascii');
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += header[i]!;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return header;
}
