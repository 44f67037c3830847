/**
 * The wheels and sdists of the fixture index are real: Python's own zipfile/tarfile read them, the
 * RECORD hashes match, and pip installs them from the index over HTTP (never from the public index:
 * `--index-url` is ours and pip's configuration files are switched off).
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, inflateRawSync } from 'node:zlib';
import { startFixtureIndex, type FixtureIndex } from '../../test-support/fixture-index.js';
import { buildSdist, gzipDeterministic } from '../../test-support/sdist.js';
import { buildWheel, createZip, deflateRawFixed, expandWheelTag, readZipCentralDirectory } from '../../test-support/wheel.js';

const PY_ENV = { ...process.env, PIP_CONFIG_FILE: '/dev/null', PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1', PYTHONDONTWRITEBYTECODE: '1' };

function python(script: string, ...args: string[]): string {
  return execFileSync('python3', ['-c', script, ...args], { encoding: 'utf8', env: PY_ENV });
}

/** Runs pip without blocking the event loop (the index answers from this process). */
function pip(args: string[]): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-m', 'pip', ...args], { env: PY_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, out }));
  });
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'lockwarden-dists-'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('deflate and ZIP', () => {
  it('deflate output inflates back for text, repeats, binary and empty input, and never depends on zlib', () => {
    const samples = [
      Buffer.alloc(0),
      Buffer.from('a'),
      Buffer.from('abcabcabcabcabcabc'.repeat(500)),
      Buffer.from(readFileSync(new URL('../../test-support/fixture-index.ts', import.meta.url))),
      Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256)),
      Buffer.alloc(100_000, 0x41),
    ];
    for (const s of samples) {
      const d = deflateRawFixed(s);
      expect(inflateRawSync(d).equals(s)).toBe(true);
      expect(deflateRawFixed(s).equals(d)).toBe(true);
    }
    // repeats compress
    expect(deflateRawFixed(samples[2]!).length).toBeLessThan(samples[2]!.length / 20);
    expect(gunzipSync(gzipDeterministic(samples[3]!)).equals(samples[3]!)).toBe(true);
  });

  it('reads the member list from the tail of a ZIP and refuses a tail that is too short', () => {
    const zip = createZip([
      { path: 'a.txt', content: 'hello\n' },
      { path: 'dir/b.pth', content: 'import os\n' },
    ]);
    expect(readZipCentralDirectory(zip).map((e) => e.path)).toEqual(['a.txt', 'dir/b.pth']);
    expect(readZipCentralDirectory(zip.subarray(zip.length - 128), zip.length).map((e) => e.path)).toEqual(['a.txt', 'dir/b.pth']);
    expect(() => readZipCentralDirectory(zip.subarray(zip.length - 40), zip.length)).toThrow(/central directory/);
    expect(() => readZipCentralDirectory(Buffer.alloc(100))).toThrow(/end-of-central-directory/);
    expect(() => createZip([{ path: '../x', content: '' }])).toThrow(/not allowed/);
    expect(() =>
      createZip([
        { path: 'a', content: '' },
        { path: 'a', content: '' },
      ]),
    ).toThrow(/duplicate/);
  });

  it('expands compressed wheel tag sets', () => {
    expect(expandWheelTag('cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64')).toEqual([
      'cp312-cp312-manylinux_2_17_x86_64',
      'cp312-cp312-manylinux2014_x86_64',
    ]);
    expect(expandWheelTag('py2.py3-none-any')).toEqual(['py2-none-any', 'py3-none-any']);
    expect(() => expandWheelTag('py3-none')).toThrow(/not a wheel tag/);
  });
});

describe('python3 reads what Node built', () => {
  it('zipfile opens a wheel, every CRC checks, and RECORD lists every member with its sha256 and size', () => {
    const w = buildWheel({
      name: 'Demo.Pkg',
      version: '2.0.1',
      tag: 'cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64',
      requiresDist: ['idna>=3'],
      requiresPython: '>=3.9',
      extraMembers: new Map([
        ['demo_hook.pth', 'import os\n'],
        ['demo_pkg-2.0.1.data/purelib/extra.pth', 'import os\n'],
      ]),
      paddingBytes: 5000,
    });
    expect(w.filename).toBe('demo_pkg-2.0.1-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl');
    const file = join(work, w.filename);
    writeFileSync(file, w.bytes);
    const report = JSON.parse(
      python(
        `
import base64, hashlib, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
bad = z.testzip()
record = {}
for line in z.read('demo_pkg-2.0.1.dist-info/RECORD').decode().splitlines():
    path, h, size = line.rsplit(',', 2)
    record[path] = (h, size)
ok = all(
    record[i.filename][0] == 'sha256=' + base64.urlsafe_b64encode(hashlib.sha256(z.read(i)).digest()).rstrip(b'=').decode()
    and record[i.filename][1] == str(i.file_size)
    for i in z.infolist() if not i.filename.endswith('RECORD'))
print(json.dumps({'bad': bad, 'names': z.namelist(), 'record_ok': ok, 'record_has_all': sorted(record) == sorted(z.namelist()),
  'methods': sorted({i.compress_type for i in z.infolist()}),
  'wheel': z.read('demo_pkg-2.0.1.dist-info/WHEEL').decode(), 'metadata': z.read('demo_pkg-2.0.1.dist-info/METADATA').decode()}))
`,
        file,
      ),
    );
    expect(report.bad).toBeNull();
    expect(report.record_ok).toBe(true);
    expect(report.record_has_all).toBe(true);
    expect(report.methods).toEqual([0, 8]); // deflated text, stored payload
    expect(report.names).toEqual(expect.arrayContaining(['demo_pkg/__init__.py', 'demo_hook.pth', 'demo_pkg-2.0.1.data/purelib/extra.pth']));
    expect(report.wheel).toContain('Root-Is-Purelib: false\nTag: cp312-cp312-manylinux_2_17_x86_64\nTag: cp312-cp312-manylinux2014_x86_64\n');
    expect(report.metadata).toContain('Name: Demo.Pkg\nVersion: 2.0.1\n');
    expect(report.metadata).toContain('Requires-Python: >=3.9\nRequires-Dist: idna>=3\n');
    expect(Buffer.from(report.metadata).equals(w.metadata)).toBe(true);
  });

  it('tarfile opens an sdist with PKG-INFO, a pyproject.toml build-system and setup.py', () => {
    const s = buildSdist({
      name: 'Demo.Pkg',
      version: '2.0.1',
      requiresDist: ['idna>=3'],
      setupPy: true,
      buildBackend: 'hatchling.build',
      buildRequires: ['hatchling'],
    });
    expect(s.filename).toBe('demo_pkg-2.0.1.tar.gz');
    const file = join(work, s.filename);
    writeFileSync(file, s.bytes);
    const report = JSON.parse(
      python(
        `
import json, sys, tarfile, tomllib
t = tarfile.open(sys.argv[1], 'r:gz')
pp = tomllib.loads(t.extractfile('demo_pkg-2.0.1/pyproject.toml').read().decode())
print(json.dumps({'names': t.getnames(), 'build': pp['build-system'], 'deps': pp['project']['dependencies'],
  'pkginfo': t.extractfile('demo_pkg-2.0.1/PKG-INFO').read().decode()}))
`,
        file,
      ),
    );
    expect(report.names).toEqual([
      'demo_pkg-2.0.1/PKG-INFO',
      'demo_pkg-2.0.1/pyproject.toml',
      'demo_pkg-2.0.1/setup.py',
      'demo_pkg-2.0.1/demo_pkg/__init__.py',
    ]);
    expect(report.build).toEqual({ requires: ['hatchling'], 'build-backend': 'hatchling.build' });
    expect(report.deps).toEqual(['idna>=3']);
    expect(report.pkginfo).toMatch(/^Metadata-Version: 2\.1\nName: Demo\.Pkg\nVersion: 2\.0\.1\n/);
  });
});

describe('pip installs from the fixture index', () => {
  let idx: FixtureIndex;
  beforeAll(async () => {
    idx = await startFixtureIndex();
  });
  afterAll(async () => {
    await idx.close();
  });

  it('installs litellm 1.82.8 (no deps) and puts litellm_init.pth where site-packages would run it', async () => {
    const target = join(work, 'litellm');
    const before = idx.requests.length;
    const r = await pip(['install', '--no-deps', '--no-cache-dir', '--index-url', idx.simpleUrl, '--target', target, 'litellm==1.82.8']);
    expect({ status: r.status, out: r.status === 0 ? '' : r.out }).toEqual({ status: 0, out: '' });
    expect(readdirSync(target).sort()).toEqual(['litellm', 'litellm-1.82.8.dist-info', 'litellm_init.pth']);
    expect(readFileSync(join(target, 'litellm_init.pth'), 'utf8')).toBe('import os\n');
    const paths = idx.requests.slice(before).map((q) => q.path);
    expect(paths[0]).toBe('/simple/litellm/');
    expect(paths.some((p) => p.endsWith('/litellm-1.82.8-py3-none-any.whl'))).toBe(true);
  }, 60_000);

  it('resolves ultralytics 8.3.41 with its dependencies, picking the platform wheels that fit', async () => {
    const target = join(work, 'ultralytics');
    const r = await pip(['install', '--no-cache-dir', '--only-binary', ':all:', '--index-url', idx.simpleUrl, '--target', target, 'ultralytics==8.3.41']);
    expect({ status: r.status, out: r.status === 0 ? '' : r.out }).toEqual({ status: 0, out: '' });
    const dists = readdirSync(target)
      .filter((n) => n.endsWith('.dist-info'))
      .sort();
    expect(dists).toEqual([
      'certifi-2024.8.30.dist-info',
      'charset_normalizer-3.4.0.dist-info',
      'idna-3.10.dist-info',
      'numpy-1.26.4.dist-info',
      'pyyaml-6.0.2.dist-info',
      'requests-2.32.3.dist-info',
      'ultralytics-8.3.41.dist-info',
      'urllib3-2.2.3.dist-info',
    ]);
    expect(readdirSync(target)).toEqual(expect.arrayContaining(['yaml', 'numpy', 'ultralytics']));
  }, 120_000);

  it('refuses a wheel whose bytes do not match the index hash pinned in a requirements file', async () => {
    const req = join(work, 'requirements.txt');
    writeFileSync(req, `idna==3.10 --hash=sha256:${'0'.repeat(64)}\n`);
    const r = await pip(['install', '--no-deps', '--no-cache-dir', '--index-url', idx.simpleUrl, '--target', join(work, 'bad'), '-r', req]);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/THESE PACKAGES DO NOT MATCH THE HASHES/);
  }, 60_000);
});
