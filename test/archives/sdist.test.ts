/**
 * The sdist reader: tar headers (ustar, GNU, pax) built in the test, gzip through node:zlib, real
 * archives written by Python's tarfile/zipfile, hostile input (truncation, absurd sizes, pax bombs,
 * gzip bombs, path traversal, decoys), and differential checks against pip's own unpacking.
 */
import { gzipSync } from 'node:zlib';
import {
  hasLeadingDir,
  interpretListing,
  listTar,
  listTarGz,
  listZip,
  looksLikeZip,
  parsePax,
  readSdist,
  resolveInside,
  SdistError,
  splitLeadingDir,
  TarWalker,
  type ArchiveListing,
} from '../../src/archives/sdist.js';
import type { SdistInfo } from '../../src/model/index.js';
import { buildTar, gnuLong, paxMember, pipUnpack, pythonTarGz, sha256, type TarMember } from './sdist-builder.js';
import { buildZip, pythonZip } from './wheel-zip-builder.js';

const PYPROJECT = '[build-system]\nrequires = ["setuptools>=61", "wheel"]\nbuild-backend = "setuptools.build_meta"\n';
const SETUP = 'from setuptools import setup\nsetup()\n';

const names = (l: ArchiveListing) => l.members.map((m) => `${m.kind}:${Buffer.from(m.name, 'latin1').toString('utf8')}`);

function sdistTar(members: TarMember[], opts: { end?: boolean } = {}): Buffer {
  return gzipSync(buildTar(members, opts));
}

async function read(members: TarMember[], filename = 'pkg-1.0.tar.gz'): Promise<SdistInfo> {
  return readSdist(sdistTar(members), filename);
}

describe('pip path rules', () => {
  it('splits the leading directory on / or \\, whichever comes first, after stripping leading separators', () => {
    expect(splitLeadingDir('pkg-1.0/setup.py')).toEqual(['pkg-1.0', 'setup.py']);
    expect(splitLeadingDir('/pkg/a/b')).toEqual(['pkg', 'a/b']);
    expect(splitLeadingDir('pkg\\setup.py')).toEqual(['pkg', 'setup.py']);
    expect(splitLeadingDir('pkg/a\\b')).toEqual(['pkg', 'a\\b']);
    expect(splitLeadingDir('a\\b/c')).toEqual(['a', 'b/c']);
    expect(splitLeadingDir('setup.py')).toEqual(['setup.py', '']);
  });

  it('has a leading directory only when every member shares a non-empty first component', () => {
    expect(hasLeadingDir(['p', 'p/a', 'p/b/c'])).toBe(true);
    expect(hasLeadingDir(['p/a', 'setup.py'])).toBe(false);
    expect(hasLeadingDir(['p/a', 'q/a'])).toBe(false);
    expect(hasLeadingDir([])).toBe(true);
  });

  it('resolves paths inside the project, refusing escapes', () => {
    expect(resolveInside('a/./b/../setup.py')).toBe('a/setup.py');
    expect(resolveInside('a/../setup.py')).toBe('setup.py');
    expect(resolveInside('a\\..\\setup.py')).toBe('setup.py');
    expect(resolveInside('../x')).toBeUndefined();
    expect(resolveInside('a/../../x')).toBeUndefined();
    expect(resolveInside('/etc/passwd')).toBeUndefined();
    expect(resolveInside('')).toBe('');
  });
});

describe('tar headers, built in the test', () => {
  it('reads ustar members, the prefix field, directories, and hashes the data', () => {
    const l = listTar(
      buildTar([
        { name: 'pkg-1.0/', type: '5' },
        { name: 'setup.py', prefix: 'pkg-1.0', data: SETUP },
        { name: 'pkg-1.0/old/', type: '\u0000' }, // V7: a regular entry with a trailing slash is a directory
        { name: 'pkg-1.0/README', data: 'hello\n' },
      ]),
    );
    expect(names(l)).toEqual(['dir:pkg-1.0', 'file:pkg-1.0/setup.py', 'dir:pkg-1.0/old', 'file:pkg-1.0/README']);
    expect(l.members[1]!.sha256).toBe(sha256(SETUP));
    expect(l.members[3]!.size).toBe(6);
  });

  it('gives the same listing whatever the chunking of the stream', () => {
    const tar = buildTar([
      gnuLong(`pkg/${'d'.repeat(120)}/setup.py`),
      { name: 'x', data: 'a'.repeat(1500) },
      paxMember({ path: 'pkg/pyproject.toml' }),
      { name: 'y', data: PYPROJECT },
    ]);
    const whole = listTar(tar);
    const w = new TarWalker();
    for (let i = 0; i < tar.length; i += 7) w.push(tar.subarray(i, i + 7));
    const chunked = w.finish();
    expect(chunked.members).toEqual(whole.members);
    expect(names(whole)).toEqual([`file:pkg/${'d'.repeat(120)}/setup.py`, 'file:pkg/pyproject.toml']);
    expect(chunked.captured.get('A:pyproject.toml')!.bytes.toString()).toBe(PYPROJECT);
  });

  it('applies GNU long names and long link names', () => {
    const long = `pkg/${'n'.repeat(150)}.py`;
    const l = listTar(buildTar([gnuLong(long), { name: 'short', data: 'x' }, gnuLong(long, 'K'), { name: 'pkg/link', type: '2', link: 'short-target' }]));
    expect(names(l)).toEqual([`file:${long}`, 'symlink:pkg/link']);
    expect(l.members[1]!.link).toBe(long);
  });

  it('applies pax path, linkpath and size; global records apply to every later member', () => {
    const l = listTar(
      buildTar([
        paxMember({ path: 'pkg/from-pax.py', size: '3' }),
        { name: 'ignored-name', data: 'abc', size: 999 },
        paxMember({ comment: 'x', linkpath: 'pkg/from-pax.py' }),
        { name: 'pkg/l', type: '2', link: 'other' },
        paxMember({ path: 'pkg/renamed' }, true),
        { name: 'a', data: '1' },
        { name: 'b', data: '2' },
      ]),
    );
    expect(names(l)).toEqual(['file:pkg/from-pax.py', 'symlink:pkg/l', 'file:pkg/renamed', 'file:pkg/renamed']);
    expect(l.members[0]!.sha256).toBe(sha256('abc'));
    expect(l.members[1]!.link).toBe('pkg/from-pax.py');
  });

  it('reads pax records strictly', () => {
    expect([...parsePax(Buffer.from('18 path=a/b/c.txt\n13 size=1234\n\u0000\u0000'))]).toEqual([
      ['path', 'a/b/c.txt'],
      ['size', '1234'],
    ]);
    expect(() => parsePax(Buffer.from('99 path=x\n'))).toThrow(SdistError);
    expect(() => parsePax(Buffer.from('8 path=x\n'))).toThrow(/malformed pax record/);
    expect(() => parsePax(Buffer.from('x path=x\n'))).toThrow(/malformed pax header/);
    expect(() => parsePax(Buffer.from('10 pathx.x\n'))).toThrow(/malformed/);
  });

  it('reads hard links as their target and keeps symbolic links as links', () => {
    const l = listTar(
      buildTar([
        { name: 'pkg/real.py', data: 'print(1)\n' },
        { name: 'pkg/setup.py', type: '1', link: 'pkg/./real.py' },
        { name: 'pkg/s', type: '2', link: '../x' },
        { name: 'pkg/dangling', type: '1', link: 'nope' },
      ]),
    );
    expect(names(l)).toEqual(['file:pkg/real.py', 'hardlink:pkg/setup.py', 'symlink:pkg/s', 'other:pkg/dangling']);
    expect(l.members[1]!.sha256).toBe(sha256('print(1)\n'));
  });

  it('skips no data after links and directories, as tarfile does', () => {
    // a symlink header declaring a size: the next header follows at once
    const l = listTar(
      buildTar([
        { name: 'pkg/l', type: '2', link: 'x', size: 512, noData: true },
        { name: 'pkg/a', data: 'a' },
      ]),
    );
    expect(names(l)).toEqual(['symlink:pkg/l', 'file:pkg/a']);
  });

  it('ends at the first zero block; a bad checksum ends the archive after the first member, and is an error on the first', () => {
    const tail = buildTar([{ name: 'pkg/setup.py', data: 'evil' }]);
    expect(names(listTar(Buffer.concat([buildTar([{ name: 'pkg/a', data: 'a' }]), tail])))).toEqual(['file:pkg/a']);
    const bad = buildTar([
      { name: 'pkg/a', data: 'a' },
      { name: 'pkg/b', data: 'b', badChecksum: true },
      { name: 'pkg/setup.py', data: 'evil' },
    ]);
    expect(names(listTar(bad))).toEqual(['file:pkg/a']);
    expect(() => listTar(buildTar([{ name: 'pkg/a', data: 'a', badChecksum: true }]))).toThrow(new SdistError('not a tar archive (invalid first header)'));
    expect(() => listTar(Buffer.from('just some text, not a tar archive'.repeat(20)))).toThrow(/not a tar archive/);
    expect(listTar(Buffer.alloc(1024)).members).toEqual([]);
    expect(() => listTar(Buffer.alloc(0))).toThrow('empty archive');
  });

  it('refuses what tarfile refuses around extended headers', () => {
    expect(() => listTar(buildTar([gnuLong('a'), gnuLong('b'), { name: 'x' }]))).toThrow(/two extended headers of the same kind/);
    expect(() => listTar(buildTar([paxMember({ path: 'a' })]))).toThrow(/followed by the end of the archive/);
    expect(() => listTar(buildTar([paxMember({ path: 'a' }), { name: 'x', badChecksum: true }]))).toThrow(/invalid header after an extended header/);
    expect(() => listTar(buildTar([paxMember({ path: 'a' })], { end: false }))).toThrow(/extended header without its member/);
    expect(() => listTar(buildTar([paxMember({ size: '5' }, true), { name: 'x' }]))).toThrow(/global pax header with a size/);
    expect(() => listTar(buildTar([{ name: 'pkg/sparse', type: 'S', data: 'x' }]))).toThrow(/GNU sparse/);
  });

  it('refuses absurd sizes before reading them (base-256, pax size, pax bombs)', () => {
    expect(() => listTar(buildTar([{ name: 'pkg/huge', base256Size: 1n << 60n, noData: true }]))).toThrow(
      'member pkg/huge declares over 2^53 bytes (limit 268435456)',
    );
    expect(() => listTar(buildTar([paxMember({ size: '99999999999' }), { name: 'pkg/x', noData: true }]))).toThrow(/declares 99999999999 bytes/);
    const bomb: TarMember = { name: 'PaxHeaders/bomb', type: 'x', size: 64 * 1024 * 1024, noData: true };
    expect(() => listTar(buildTar([bomb]))).toThrow('extended header at byte 0 declares 67108864 bytes (limit 1048576)');
    const longName: TarMember = { name: '././@LongLink', type: 'L', size: 2 * 1024 * 1024, noData: true };
    expect(() => listTar(buildTar([longName]))).toThrow(/limit 1048576/);
    // many small pax records within the limit are fine
    const many: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) many[`LW.k${i}`] = 'v';
    expect(names(listTar(buildTar([paxMember({ ...many, path: 'pkg/ok' }), { name: 'x', data: '1' }])))).toEqual(['file:pkg/ok']);
  });

  it('fails on truncation inside a member, not at a header boundary', () => {
    const full = buildTar(
      [
        { name: 'pkg/a', data: 'a'.repeat(700) },
        { name: 'pkg/b', data: 'b' },
      ],
      { end: false },
    );
    expect(() => listTar(full.subarray(0, 900))).toThrow(new SdistError('truncated archive: member pkg/a ends early'));
    expect(names(listTar(full.subarray(0, 1536)))).toEqual(['file:pkg/a']); // a complete member, no end blocks
    expect(names(listTar(full.subarray(0, 1700)))).toEqual(['file:pkg/a']); // a partial header after it: tarfile stops there
    expect(() => listTar(full.subarray(0, 300))).toThrow('truncated archive: no complete header');
  });

  it('caps members and unpacked bytes', () => {
    const members: TarMember[] = [];
    for (let i = 0; i < 50; i++) members.push({ name: `pkg/m${i}`, data: '' });
    expect(() => listTar(buildTar(members), { maxMembers: 40 })).toThrow('more than 40 members');
    expect(() => listTar(buildTar([{ name: 'pkg/a', data: 'x'.repeat(5000) }]), { maxUnpackedBytes: 4096 })).toThrow(
      'more than 4096 bytes after decompression',
    );
  });
});

describe('gzip', () => {
  const tar = buildTar([
    { name: 'pkg/setup.py', data: SETUP },
    { name: 'pkg/pyproject.toml', data: PYPROJECT },
  ]);

  it('streams node:zlib output through the tar walker', async () => {
    expect(await listTarGz(gzipSync(tar))).toEqual(listTar(tar));
  });

  it('reads multi-member gzip files and ignores bytes after the end of the tar', async () => {
    const half = 1024;
    const two = Buffer.concat([gzipSync(tar.subarray(0, half)), gzipSync(tar.subarray(half))]);
    expect(names(await listTarGz(two))).toEqual(['file:pkg/setup.py', 'file:pkg/pyproject.toml']);
    const trailing = Buffer.concat([gzipSync(tar), Buffer.from('garbage after the stream')]);
    expect(names(await listTarGz(trailing))).toEqual(['file:pkg/setup.py', 'file:pkg/pyproject.toml']);
    const padded = Buffer.concat([gzipSync(tar.subarray(0, half)), Buffer.alloc(100), gzipSync(tar.subarray(half))]);
    expect(names(await listTarGz(padded))).toEqual(['file:pkg/setup.py', 'file:pkg/pyproject.toml']);
    // the tar needs more after the first member: what follows must be gzip
    await expect(listTarGz(Buffer.concat([gzipSync(tar.subarray(0, half)), Buffer.from('garbage')]))).rejects.toThrow('not a gzip stream (at byte');
    const noTrailer = gzipSync(tar.subarray(0, half));
    await expect(listTarGz(noTrailer.subarray(0, noTrailer.length - 8))).rejects.toThrow('truncated gzip stream (no trailer)');
  });

  it('fails on truncated or non-gzip input', async () => {
    const gz = gzipSync(buildTar([{ name: 'pkg/a', data: Buffer.alloc(200_000, 7) }]));
    await expect(listTarGz(gz.subarray(0, gz.length - 20))).rejects.toThrow(SdistError);
    await expect(listTarGz(Buffer.from('not gzip at all'))).rejects.toThrow('not a gzip stream (at byte 0)');
  });

  it('stops a gzip bomb at the unpacked-bytes cap without inflating the rest', async () => {
    const bomb = gzipSync(buildTar([{ name: 'pkg/zeros', base256Size: BigInt(1 << 30), noData: true }, Buffer.alloc(64 * 1024 * 1024)], { end: false }), {
      level: 9,
    });
    expect(bomb.length).toBeLessThan(200_000);
    const t0 = Date.now();
    await expect(listTarGz(bomb, { maxUnpackedBytes: 4 * 1024 * 1024 })).rejects.toThrow(/declares 1073741824 bytes \(limit 4194304\)/);
    const ones: TarMember[] = [];
    for (let i = 0; i < 48; i++) ones.push({ name: `pkg/ones${i}`, data: Buffer.alloc(1024 * 1024, 1) });
    const zeros = gzipSync(buildTar(ones), { level: 9 });
    expect(zeros.length).toBeLessThan(200_000);
    await expect(listTarGz(zeros, { maxUnpackedBytes: 8 * 1024 * 1024 })).rejects.toThrow('more than 8388608 bytes after decompression');
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});

describe('the build files pip would see', () => {
  it('finds the project directory and reads pyproject.toml and setup.py there', async () => {
    const info = await read([
      { name: 'pkg-1.0', type: '5' },
      { name: 'pkg-1.0/pyproject.toml', data: PYPROJECT },
      { name: 'pkg-1.0/setup.py', data: SETUP },
      { name: 'pkg-1.0/setup.cfg', data: '[metadata]\nname = pkg\n' },
      { name: 'pkg-1.0/pkg/setup.py', data: 'not the build script' },
    ]);
    expect(info).toEqual({
      filename: 'pkg-1.0.tar.gz',
      format: 'tar.gz',
      root: 'pkg-1.0',
      members: 5,
      unpackedBytes: expect.any(Number),
      setupPy: { sha256: sha256(SETUP), size: SETUP.length, head: SETUP, headTruncated: false },
      setupCfg: { sha256: sha256('[metadata]\nname = pkg\n'), size: 22 },
      pyproject: {
        sha256: sha256(PYPROJECT),
        size: PYPROJECT.length,
        buildSystem: { requires: ['setuptools>=61', 'wheel'], buildBackend: 'setuptools.build_meta' },
      },
    });
  });

  it('sees the last member written to a path (a decoy setup.py first, the real one later)', async () => {
    const info = await read([
      { name: 'pkg/setup.py', data: SETUP },
      { name: 'pkg/README', data: 'x' },
      { name: 'pkg/./sub/../setup.py', data: 'import os\nos.system("curl …")\n' },
    ]);
    expect(info.setupPy?.sha256).toBe(sha256('import os\nos.system("curl …")\n'));
    expect(info.setupPy?.head).toContain('os.system');
  });

  it('uses the archive root when members do not share one directory', async () => {
    const info = await read([
      { name: 'pkg/setup.py', data: SETUP },
      { name: 'stray.txt', data: 'x' },
    ]);
    expect(info.root).toBe('');
    expect(info.setupPy).toBeUndefined();
    const top = await read([
      { name: 'pkg/setup.py', data: SETUP },
      { name: 'setup.py', data: 'import evil' },
    ]);
    expect(top.setupPy?.sha256).toBe(sha256('import evil'));
  });

  it('counts backslash-separated names as pip does', async () => {
    const info = await read([
      { name: 'pkg\\setup.py', data: 'x = 1' },
      { name: 'pkg/other', data: 'y' },
    ]);
    expect(info.root).toBe('pkg');
    expect(info.setupPy?.sha256).toBe(sha256('x = 1'));
  });

  it('refuses members outside the project directory (pip refuses the archive)', async () => {
    await expect(
      read([
        { name: 'pkg/setup.py', data: SETUP },
        { name: 'pkg/../../etc/cron.d/x', data: 'x' },
      ]),
    ).rejects.toThrow('member pkg/../../etc/cron.d/x would be written outside the project directory (pip refuses the archive)');
    await expect(
      read([
        { name: 'pkg/setup.py', data: SETUP },
        { name: '/etc/passwd', data: 'x' },
      ]),
    ).rejects.toThrow(/outside the project directory/);
  });

  it('follows links to the file the build reads', async () => {
    const sym = await read([
      { name: 'pkg/build/real_setup.py', data: 'import evil' },
      { name: 'pkg/setup.py', type: '2', link: 'build/real_setup.py' },
    ]);
    expect(sym.setupPy).toEqual({ sha256: sha256('import evil'), size: 11, linkTo: 'build/real_setup.py', head: '', headTruncated: false });
    const hard = await read([
      { name: 'pkg/x.py', data: 'import evil' },
      { name: 'pkg/setup.py', type: '1', link: 'pkg/x.py' },
    ]);
    expect(hard.setupPy).toMatchObject({ sha256: sha256('import evil'), linkTo: 'pkg/x.py' });
    const out = await read([
      { name: 'pkg/setup.py', type: '2', link: '/usr/lib/python3/evil.py' },
      { name: 'pkg/a', data: 'a' },
    ]);
    expect(out.setupPy?.sha256).toBeUndefined();
    expect(out.setupPy?.linkTo).toBe('/usr/lib/python3/evil.py');
  });

  it('keeps the first 2 KB of setup.py', async () => {
    const long = `# ${'x'.repeat(5000)}\n`;
    const info = await read([{ name: 'pkg/setup.py', data: long }]);
    expect(info.setupPy?.head).toHaveLength(2048);
    expect(info.setupPy?.headTruncated).toBe(true);
    expect(info.setupPy?.sha256).toBe(sha256(long));
  });

  it('reads build-system tables as pip does, with errors naming the file and line', async () => {
    const pp = async (text: string) => (await read([{ name: 'pkg/pyproject.toml', data: text }])).pyproject!;
    expect((await pp('[project]\nname = "x"\n')).buildSystem).toBeUndefined();
    expect((await pp('[build-system]\nrequires = []\n')).buildSystem).toEqual({ requires: [] });
    expect((await pp('[build-system]\nrequires = ["x"]\nbuild-backend = 5\n')).error).toBe('pkg/pyproject.toml:3: build-system.build-backend must be a string');
    expect((await pp('[build-system]\nbuild-backend = "x"\n')).error).toBe('pkg/pyproject.toml:1: build-system has no requires');
    expect((await pp('[build-system]\nrequires = ["a", 1]\n')).error).toBe('pkg/pyproject.toml:2: build-system.requires must be a list of strings');
    expect((await pp('build-system = 3\n')).error).toBe('pkg/pyproject.toml: build-system is a number, not a table');
    expect((await pp('[build-system\nrequires = []\n')).error).toMatch(/^pkg\/pyproject\.toml:1:\d+: /);
    const bad = await read([{ name: 'pkg/pyproject.toml', data: Buffer.from([0x5b, 0xff, 0x5d]) }]);
    expect(bad.pyproject?.error).toBe('pyproject.toml is not valid UTF-8');
    const proto = await pp('[build-system]\nrequires = ["x"]\n__proto__ = "y"\n[__proto__]\nconstructor = 1\n');
    expect(proto.buildSystem).toEqual({ requires: ['x'] });
    expect(({} as Record<string, unknown>)['constructor']).toBe(Object);
  });

  it('refuses a pyproject.toml over the limit instead of guessing', async () => {
    const big = `# ${'x'.repeat(2 * 1024 * 1024)}\n[build-system]\nrequires = []\n`;
    await expect(read([{ name: 'pkg/pyproject.toml', data: big }])).rejects.toThrow('pyproject.toml is larger than 1048576 bytes (not read)');
  });

  it('fingerprints an in-tree backend (backend-path) by its own files only', async () => {
    const pyproject = '[build-system]\nrequires = []\nbuild-backend = "backend:api"\nbackend-path = ["_build"]\n';
    const base: TarMember[] = [
      { name: 'pkg/pyproject.toml', data: pyproject },
      { name: 'pkg/_build/backend.py', data: 'def build_wheel(*a): pass\n' },
      { name: 'pkg/_build/helper.py', data: 'X = 1\n' },
      { name: 'pkg/src/mod.py', data: 'v = 1\n' },
    ];
    const a = (await read(base)).pyproject!;
    expect(a.buildSystem).toEqual({ requires: [], buildBackend: 'backend:api', backendPath: ['_build'] });
    expect(a.backendFiles).toBe(2);
    const otherCode = (await read(base.map((m) => (m.name === 'pkg/src/mod.py' ? { ...m, data: 'v = 2\n' } : m)))).pyproject!;
    expect(otherCode.backendDigest).toBe(a.backendDigest);
    const helper = (await read(base.map((m) => (m.name === 'pkg/_build/helper.py' ? { ...m, data: 'import os; os.system("x")\n' } : m)))).pyproject!;
    expect(helper.backendDigest).not.toBe(a.backendDigest);
    // backend-path "." : only the backend's own module or package counts
    const dot = '[build-system]\nrequires = []\nbuild-backend = "tools.backend"\nbackend-path = ["."]\n';
    const d1 = (
      await read([
        { name: 'pkg/pyproject.toml', data: dot },
        { name: 'pkg/tools/backend.py', data: '1' },
        { name: 'pkg/src/a.py', data: '1' },
      ])
    ).pyproject!;
    const d2 = (
      await read([
        { name: 'pkg/pyproject.toml', data: dot },
        { name: 'pkg/tools/backend.py', data: '1' },
        { name: 'pkg/src/a.py', data: '2' },
      ])
    ).pyproject!;
    expect(d1.backendFiles).toBe(1);
    expect(d2.backendDigest).toBe(d1.backendDigest);
    const outside = (await read([{ name: 'pkg/pyproject.toml', data: '[build-system]\nrequires = []\nbackend-path = ["../x"]\n' }])).pyproject!;
    expect(outside.error).toBe('backend-path ../x is outside the project (pip refuses it)');
  });

  it('reads only .tar.gz and .zip by name', async () => {
    await expect(readSdist(sdistTar([{ name: 'p/a', data: 'a' }]), 'p-1.tar.bz2')).rejects.toThrow('only .tar.gz and .zip source distributions are read');
  });
});

describe('ZIP sdists', () => {
  it('reads a ZIP written by Python, deflated, with the leading directory', async () => {
    const zip = pythonZip(
      `zf.writestr('pkg-1.0/setup.py', ${JSON.stringify(SETUP)})\nzf.writestr('pkg-1.0/pyproject.toml', ${JSON.stringify(PYPROJECT)})\nzf.writestr('pkg-1.0/pkg/__init__.py', '')`,
    );
    const info = await readSdist(zip, 'pkg-1.0.zip');
    expect(info).toMatchObject({
      format: 'zip',
      root: 'pkg-1.0',
      members: 3,
      setupPy: { sha256: sha256(SETUP) },
      pyproject: { buildSystem: { buildBackend: 'setuptools.build_meta' } },
    });
  });

  it('reads a ZIP named .tar.gz as a ZIP, as pip does', async () => {
    const zip = buildZip([{ name: 'pkg/setup.py', data: 'import evil', deflate: true }]);
    expect(looksLikeZip(zip)).toBe(true);
    expect(looksLikeZip(gzipSync(buildTar([{ name: 'a', data: 'a' }])))).toBe(false);
    const info = await readSdist(zip, 'pkg-1.0.tar.gz');
    expect(info.format).toBe('zip');
    expect(info.setupPy?.sha256).toBe(sha256('import evil'));
    const byType = await readSdist(buildZip([{ name: 'pkg/setup.py', data: 'x' }]), 'pkg-1.0.tar.gz', { contentType: 'application/zip' });
    expect(byType.format).toBe('zip');
  });

  it('refuses broken members: CRC, sizes, local header names, encryption', () => {
    const good = buildZip([{ name: 'pkg/setup.py', data: SETUP }]);
    const crc = Buffer.from(good);
    crc.writeUInt8(crc.readUInt8(30 + 'pkg/setup.py'.length) ^ 1, 30 + 'pkg/setup.py'.length); // flip a data byte (stored)
    expect(() => listZip(crc)).toThrow('member pkg/setup.py: CRC mismatch');
    const renamed = Buffer.from(good);
    renamed[30] = 'q'.charCodeAt(0);
    expect(() => listZip(renamed)).toThrow('member pkg/setup.py: the local header names another file');
    const enc = Buffer.from(good);
    const cd = enc.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    enc.writeUInt8(enc.readUInt8(cd + 8) | 1, cd + 8);
    expect(() => listZip(enc)).toThrow('member pkg/setup.py is encrypted');
    expect(() => listZip(Buffer.from('no zip here'))).toThrow(SdistError);
    const big = buildZip([{ name: 'a', data: 'x'.repeat(3000) }]);
    expect(() => listZip(big, { maxUnpackedBytes: 1000 })).toThrow('members declare more than 1000 bytes');
  });
});

describe('real archives from Python tarfile, compared with pip unpacking them', () => {
  function ours(info: SdistInfo) {
    return { 'setup.py': info.setupPy?.sha256 ?? null, 'setup.cfg': info.setupCfg?.sha256 ?? null, 'pyproject.toml': info.pyproject?.sha256 ?? null };
  }
  async function agree(archive: Buffer, filename = 'pkg-1.0.tar.gz') {
    const pip = pipUnpack(archive, filename);
    let mine: { error: string } | { files: Record<string, string | null> };
    try {
      mine = { files: ours(await readSdist(archive, filename)) };
    } catch (e) {
      if (!(e instanceof SdistError)) throw e;
      mine = { error: e.message };
    }
    if ('error' in pip) expect(mine).toHaveProperty('error');
    else expect(mine).toEqual(pip);
    return { pip, mine };
  }

  const LONG = 'l'.repeat(130);
  it.each(['PAX', 'GNU', 'USTAR'] as const)('%s format: long names, links, a decoy setup.py', async (format) => {
    const archive = pythonTarGz(
      [
        "add('pkg-1.0', type=tarfile.DIRTYPE)",
        `add('pkg-1.0/${LONG}/mod.py', b'x = 1\\n')`,
        "add('pkg-1.0/setup.py', b'from setuptools import setup\\nsetup()\\n')",
        `add('pkg-1.0/pyproject.toml', ${JSON.stringify(PYPROJECT)}.encode())`,
        "add('pkg-1.0/setup.py', b'import os\\nos.system(\"id\")\\n')",
        "add('pkg-1.0/setup.cfg', b'[metadata]\\n')",
      ].join('\n'),
      format,
    );
    const { mine } = await agree(archive);
    expect(mine).toEqual({
      files: { 'setup.py': sha256('import os\nos.system("id")\n'), 'setup.cfg': sha256('[metadata]\n'), 'pyproject.toml': sha256(PYPROJECT) },
    });
  });

  it('PAX: non-ASCII and over-long names (pax path records)', async () => {
    const archive = pythonTarGz(
      ["add('pkg-1.0/données/é.py', b'1')", `add('pkg-1.0/${'ü'.repeat(80)}/setup.py', b'2')`, "add('pkg-1.0/setup.py', b'3')"].join('\n'),
    );
    const l = await listTarGz(archive);
    expect(names(l)).toEqual(['file:pkg-1.0/données/é.py', `file:pkg-1.0/${'ü'.repeat(80)}/setup.py`, 'file:pkg-1.0/setup.py']);
    await agree(archive);
  });

  it('symbolic and hard links to the build script', async () => {
    await agree(
      pythonTarGz(["add('pkg-1.0/tools/s.py', b'import evil\\n')", "add('pkg-1.0/setup.py', type=tarfile.SYMTYPE, linkname='tools/s.py')"].join('\n')),
    );
    await agree(
      pythonTarGz(["add('pkg-1.0/tools/s.py', b'import evil\\n')", "add('pkg-1.0/setup.py', type=tarfile.LNKTYPE, linkname='pkg-1.0/tools/s.py')"].join('\n')),
    );
  });

  it('path traversal and stray top-level members', async () => {
    const { pip } = await agree(pythonTarGz(["add('pkg-1.0/setup.py', b'1')", "add('pkg-1.0/../../evil.py', b'2')"].join('\n')));
    expect(pip).toHaveProperty('error');
    await agree(
      pythonTarGz(["add('pkg-1.0/setup.py', b'1')", "add('setup.py', b'2')", "add('pyproject.toml', b'[build-system]\\nrequires=[]\\n')"].join('\n')),
    );
    await agree(pythonTarGz(["add('pkg-1.0/setup.py', b'1')", "add('pkg-1.0/a/../setup.py', b'2')"].join('\n')));
  });

  it('a corrupt header in the middle hides what follows from pip too', async () => {
    const tar = buildTar([
      { name: 'pkg-1.0/setup.py', data: 'benign' },
      { name: 'pkg-1.0/x', data: 'x', badChecksum: true },
      { name: 'pkg-1.0/setup.py', data: 'evil' },
    ]);
    const { mine } = await agree(gzipSync(tar));
    expect(mine).toEqual({ files: { 'setup.py': sha256('benign'), 'setup.cfg': null, 'pyproject.toml': null } });
  });

  it('pax headers renaming members', async () => {
    const tar = buildTar([
      paxMember({ path: 'pkg-1.0/setup.py' }),
      { name: 'pkg-1.0/innocent.txt', data: 'import evil' },
      { name: 'pkg-1.0/README', data: 'r' },
    ]);
    const { mine } = await agree(gzipSync(tar));
    expect(mine).toEqual({ files: { 'setup.py': sha256('import evil'), 'setup.cfg': null, 'pyproject.toml': null } });
  });

  it('truncated archives fail for both', async () => {
    const gz = pythonTarGz(`add('pkg-1.0/setup.py', b'x' * 100000)\nadd('pkg-1.0/pyproject.toml', ${JSON.stringify(PYPROJECT)}.encode())`);
    await agree(gz.subarray(0, Math.floor(gz.length / 2)));
  });

  it('a ZIP appended to a gzip tar is read as the ZIP, by pip and here', async () => {
    const tgz = gzipSync(buildTar([{ name: 'pkg-1.0/setup.py', data: 'benign' }]));
    const zip = pythonZip("zf.writestr('pkg-1.0/setup.py', 'import evil')");
    const polyglot = Buffer.concat([tgz, zip]);
    expect(looksLikeZip(polyglot)).toBe(true);
    const { mine } = await agree(polyglot);
    expect(mine).toEqual({ files: { 'setup.py': sha256('import evil'), 'setup.cfg': null, 'pyproject.toml': null } });
  });

  it('ZIP: the same rules (leading directory, last member wins)', async () => {
    await agree(pythonZip("zf.writestr('pkg-1.0/setup.py', 'a')\nzf.writestr('pkg-1.0/setup.py', 'b')\nzf.writestr('pkg-1.0/setup.cfg', 'c')"), 'pkg-1.0.zip');
    await agree(pythonZip("zf.writestr('pkg-1.0/setup.py', 'a')\nzf.writestr('setup.py', 'top')"), 'pkg-1.0.zip');
  });
});

describe('interpretListing on a listing', () => {
  it('works from the collected members alone (pure)', () => {
    const info = interpretListing(listTar(buildTar([{ name: 'p/setup.py', data: 'a' }])), 'p-1.tar.gz', 'tar.gz');
    expect(info.setupPy?.sha256).toBe(sha256('a'));
    expect(info.root).toBe('p');
  });
});
