/**
 * inspectSdist on the Python index client: against the fixture package index (real sdists built from
 * examples/pypi/index, served on 127.0.0.1) and against the small test index for the transport rules
 * (credentials only to the index's origin, the download cap, hashes, hostile files).
 */
import { gzipSync } from 'node:zlib';
import { startFixtureIndex, type FixtureIndex } from '../../test-support/fixture-index.js';
import { createPypiIndexConfig } from '../../src/registry/pip-config.js';
import { createPypiIndexClient, type PypiIndexClientOptions, type PypiRequestInfo } from '../../src/registry/pypi.js';
import type { DistFile, Packument } from '../../src/model/index.js';
import { indexHandler, type IndexState, type ProjectSpec } from './pypi-fixtures.js';
import { buildTar } from '../archives/sdist-builder.js';
import { startServer, type TestServer } from './server.js';

let idx: FixtureIndex;
beforeAll(async () => {
  idx = await startFixtureIndex();
});
afterAll(async () => {
  await idx.close();
});

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function client(indexUrl: string, extra: Partial<PypiIndexClientOptions> = {}) {
  return createPypiIndexClient({ config: createPypiIndexConfig({ indexUrl }), backoffMs: 1, ...extra });
}

async function packument(c: ReturnType<typeof client>, name: string): Promise<Packument> {
  const r = await c.getPackument(name);
  if (!r.ok) throw new Error(r.reason);
  return r.packument;
}

const sdistOf = (p: Packument, version: string): DistFile => p.versions.get(version)!.files!.find((f) => f.kind === 'sdist')!;

describe('inspectSdist against the fixture index', () => {
  it('reads the new setup.py of buildhook-setuppy 1.4.2 with one whole-file request, then serves it from the cache', async () => {
    const infos: PypiRequestInfo[] = [];
    const c = client(idx.simpleUrl, { onRequest: (i) => infos.push(i) });
    const p = await packument(c, 'buildhook-setuppy');
    const file = sdistOf(p, '1.4.2');
    const before = idx.requests.length;
    const info = await c.inspectSdist(file);
    expect(info).toMatchObject({
      filename: 'buildhook_setuppy-1.4.2.tar.gz',
      format: 'tar.gz',
      root: 'buildhook_setuppy-1.4.2',
      pyproject: { buildSystem: { buildBackend: 'setuptools.build_meta', requires: ['setuptools>=61'] } },
    });
    expect(info.setupPy?.head).toContain('a payload would run here');
    expect(info.setupPy?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const fileRequests = idx.requests.slice(before);
    expect(fileRequests).toHaveLength(1);
    expect(fileRequests[0]!.path).toBe(new URL(file.url).pathname);
    expect(fileRequests[0]!.range).toBeUndefined();
    expect(fileRequests[0]!.bytes).toBe(file.size);
    const sdistInfos = infos.filter((i) => i.kind === 'sdist');
    expect(sdistInfos).toEqual([expect.objectContaining({ kind: 'sdist', name: file.filename, status: 200, bytes: file.size })]);
    // a second review shares the cache: no request
    const hits = c.stats().cacheHits;
    const again = await c.review().inspectSdist(file);
    expect(again).toEqual(info);
    expect(idx.requests.length).toBe(before + 1);
    expect(c.stats().cacheHits).toBe(hits + 1);
    expect(c.stats().requests).toBe(infos.length);
  });

  it('sees the in-tree backend of buildhook-backend 2.3.1 and the setuptools backend of 2.3.0', async () => {
    const c = client(idx.simpleUrl);
    const p = await packument(c, 'buildhook-backend');
    const [old, neu] = await Promise.all([c.inspectSdist(sdistOf(p, '2.3.0')), c.inspectSdist(sdistOf(p, '2.3.1'))]);
    expect(old.pyproject?.buildSystem).toEqual({ requires: ['setuptools>=61'], buildBackend: 'setuptools.build_meta' });
    expect(old.setupPy).toBeUndefined();
    expect(neu.pyproject?.buildSystem).toEqual({ requires: ['setuptools>=61', 'build-helpers-ng'], buildBackend: 'lw_backend', backendPath: ['_build'] });
    expect(neu.pyproject?.backendFiles).toBe(1);
  });

  it('gives the same setup.py digest for both benign releases', async () => {
    const c = client(idx.simpleUrl);
    const p = await packument(c, 'buildhook-benign');
    const [a, b] = await Promise.all([c.inspectSdist(sdistOf(p, '0.9.0')), c.inspectSdist(sdistOf(p, '0.9.1'))]);
    expect(a.setupPy?.sha256).toBeDefined();
    expect(a.setupPy?.sha256).toBe(b.setupPy?.sha256);
    expect(a.pyproject?.sha256).not.toBe(b.pyproject?.sha256); // the versions differ inside
  });

  it('refuses an sdist over the cap from the index’s size, before any request', async () => {
    const c = client(idx.simpleUrl, { maxSdistBytes: 100 });
    const file = sdistOf(await packument(c, 'buildhook-setuppy'), '1.4.2');
    const before = idx.requests.length;
    await expect(c.inspectSdist(file)).rejects.toThrow(`buildhook_setuppy-1.4.2.tar.gz: ${file.size} bytes, over the sdist download cap (100 bytes)`);
    expect(idx.requests.length).toBe(before);
  });

  it('fetches only sdists from this client’s own documents', async () => {
    const c = client(idx.simpleUrl);
    const p = await packument(c, 'buildhook-setuppy');
    const before = idx.requests.length;
    await expect(c.inspectSdist({ ...sdistOf(p, '1.4.2') })).rejects.toThrow("buildhook_setuppy-1.4.2.tar.gz: not a file from the package index's documents");
    const forged: DistFile = { filename: 'evil-1.0.tar.gz', kind: 'sdist', url: 'http://127.0.0.1:9/evil-1.0.tar.gz' };
    await expect(c.inspectSdist(forged)).rejects.toThrow("evil-1.0.tar.gz: not a file from the package index's documents");
    const wheel = p.versions.get('1.4.1')!.files!.find((f) => f.kind === 'wheel')!;
    await expect(c.inspectSdist(wheel)).rejects.toThrow('not a source distribution');
    // another client's documents are not this client's
    const other = client(idx.simpleUrl);
    await expect(other.inspectSdist(sdistOf(p, '1.4.2'))).rejects.toThrow("not a file from the package index's documents");
    expect(idx.requests.length).toBe(before);
  });
});

describe('inspectSdist transport rules', () => {
  const TAR = gzipSync(buildTar([{ name: 'pkg-1.0/setup.py', data: 'from setuptools import setup\nsetup()\n' }]));
  function project(files: Array<{ filename: string; body: Buffer }>): ProjectSpec {
    return { name: 'pkg', releases: [{ version: '1.0', files: files.map((f) => ({ ...f, uploadedAt: '2026-01-01T00:00:00Z' })) }] };
  }
  async function index(p: ProjectSpec, fileServer?: TestServer) {
    const state: IndexState = { projects: new Map([[p.name, p]]), fileBytesSent: 0 };
    let s: TestServer | undefined;
    s = await startServer(indexHandler(state, () => ({ base: s!.url, fileBase: `${(fileServer ?? s)!.url}files/` })));
    servers.push(s);
    return { s, state };
  }

  it('sends credentials to the index’s origin only, never to a separate file host', async () => {
    const proj = project([{ filename: 'pkg-1.0.tar.gz', body: TAR }]);
    const fstate: IndexState = { projects: new Map([['pkg', proj]]), fileBytesSent: 0 };
    const files = await startServer(indexHandler(fstate, () => ({ base: files.url, fileBase: `${files.url}files/` })));
    servers.push(files);
    const { s } = await index(proj, files);
    const c = client(`http://alice:SeCrEt@${new URL(s.url).host}/simple/`);
    const info = await c.inspectSdist(sdistOf(await packument(c, 'pkg'), '1.0'));
    expect(info.setupPy).toBeDefined();
    expect(s.requests.every((q) => q.headers.authorization !== undefined)).toBe(true);
    expect(files.requests).toHaveLength(1);
    expect(files.requests[0]!.headers.authorization).toBeUndefined();
    expect(files.requests[0]!.headers['accept-encoding']).toBe('identity');
  });

  it('stops reading at the cap when the file is larger than the index said', async () => {
    const proj = project([{ filename: 'pkg-1.0.tar.gz', body: TAR }]);
    const { s, state } = await index(proj);
    const infos: PypiRequestInfo[] = [];
    const c = client(`${s.url}simple/`, { maxSdistBytes: 64 * 1024, onRequest: (i) => infos.push(i) });
    const file = sdistOf(await packument(c, 'pkg'), '1.0');
    proj.releases[0]!.files[0]!.body = Buffer.alloc(4 * 1024 * 1024, 1);
    await expect(c.inspectSdist(file)).rejects.toThrow('pkg-1.0.tar.gz: larger than the sdist download cap (65536 bytes)');
    const read = infos.filter((i) => i.kind === 'sdist');
    expect(read).toHaveLength(1); // not retried
    expect(read[0]!.bytes).toBeLessThanOrEqual(64 * 1024 + 64 * 1024);
    expect(state.fileBytesSent).toBe(4 * 1024 * 1024); // the server wrote it all; the client read little of it
  });

  it('refuses bytes that are not the file the index lists (size, then sha256)', async () => {
    const proj = project([{ filename: 'pkg-1.0.tar.gz', body: TAR }]);
    const { s } = await index(proj);
    const c = client(`${s.url}simple/`);
    const file = sdistOf(await packument(c, 'pkg'), '1.0');
    proj.releases[0]!.files[0]!.body = Buffer.concat([TAR, Buffer.from('x')]);
    await expect(c.inspectSdist(file)).rejects.toThrow(`pkg-1.0.tar.gz: the file is ${TAR.length + 1} bytes, the index says ${TAR.length}`);
    const swapped = Buffer.from(TAR);
    swapped.writeUInt8(swapped.readUInt8(swapped.length - 5) ^ 0xff, swapped.length - 5);
    proj.releases[0]!.files[0]!.body = swapped;
    await expect(c.inspectSdist(file)).rejects.toThrow("pkg-1.0.tar.gz: the file's sha256 is not the one the index lists");
  });

  it('a hostile or broken sdist is a RegistryError naming the file, not retried; a missing one is a 404', async () => {
    const traversal = gzipSync(
      buildTar([
        { name: 'pkg-1.0/setup.py', data: 'x' },
        { name: 'pkg-1.0/../../../home/x/.bashrc', data: 'evil' },
      ]),
    );
    const proj = project([
      { filename: 'pkg-1.0.tar.gz', body: traversal },
      { filename: 'pkg-1.0.zip', body: Buffer.from('PK not really') },
    ]);
    const { s } = await index(proj);
    const infos: PypiRequestInfo[] = [];
    const c = client(`${s.url}simple/`, { onRequest: (i) => infos.push(i) });
    const p = await packument(c, 'pkg');
    const [tgz, zip] = p.versions.get('1.0')!.files!;
    await expect(c.inspectSdist(tgz!)).rejects.toThrow(
      'pkg-1.0.tar.gz: unreadable sdist: member pkg-1.0/../../../home/x/.bashrc would be written outside the project directory (pip refuses the archive)',
    );
    await expect(c.inspectSdist(zip!)).rejects.toThrow(/^pkg-1\.0\.zip: unreadable sdist: /);
    expect(infos.filter((i) => i.kind === 'sdist')).toHaveLength(2);
    proj.releases[0]!.files.pop();
    const gone = client(`${s.url}simple/`);
    const z = (await packument(gone, 'pkg')).versions.get('1.0')!.files![0]!;
    proj.releases[0]!.files.pop();
    await expect(gone.inspectSdist(z)).rejects.toThrow('pkg-1.0.tar.gz: not found on the file server (404)');
  });

  it('reads only .tar.gz and .zip', async () => {
    const { s } = await index(project([{ filename: 'pkg-1.0.tar.bz2', body: Buffer.from('BZh') }]));
    const c = client(`${s.url}simple/`);
    await expect(c.inspectSdist(sdistOf(await packument(c, 'pkg'), '1.0'))).rejects.toThrow(
      'pkg-1.0.tar.bz2: only .tar.gz and .zip source distributions are read',
    );
    expect(s.requests.filter((q) => q.path.startsWith('/files/'))).toHaveLength(0);
  });
});
