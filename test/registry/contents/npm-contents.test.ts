/**
 * The registry client's archive reads: only the configured origin, verified against the registry's
 * and the lockfile's integrity before reading, capped, cached by integrity in memory and on disk.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTgz } from '../../../test-support/tarball.js';
import type { ContentsRequest, RegistryClient } from '../../../src/model/index.js';
import { ArchiveCache } from '../../../src/registry/contents/cache.js';
import { createNpmRegistryClient } from '../../../src/registry/npm.js';
import { createNpmRegistryConfig } from '../../../src/registry/npmrc.js';
import { startServer, type TestServer } from '../server.js';
import { sri, startArchiveRegistry, type ArchiveRegistry } from './archive-registry.js';

const LIMITS = { maxArchiveBytes: 32 * 1024 * 1024, maxUnpackedBytes: 128 * 1024 * 1024, maxFiles: 20_000 };
let other: TestServer;
let reg: ArchiveRegistry;
let scoped: ArchiveRegistry;
let dir: string;

beforeAll(async () => {
  other = await startServer((_req, res) => void res.writeHead(200).end(createTgz([{ path: 'package/package.json', content: '{}' }])));
  reg = await startArchiveRegistry({
    good: { '1.0.0': { files: [{ path: 'package/index.js', content: 'module.exports = 1;\n' }] } },
    elsewhere: { '1.0.0': { tarballOrigin: other.url } },
    lying: { '1.0.0': { integrity: sri(Buffer.from('another archive')) } },
    big: { '1.0.0': { files: [{ path: 'package/blob.bin', content: Buffer.alloc(64 * 1024, 1) }] } },
  });
  scoped = await startArchiveRegistry({ '@corp/lib': { '2.0.0': {} } });
  dir = await mkdtemp(path.join(os.tmpdir(), 'lockwarden-cache-'));
});
afterAll(async () => {
  await Promise.all([other.close(), reg.close(), scoped.close(), rm(dir, { recursive: true, force: true })]);
});

function client(cacheDir?: string): RegistryClient {
  return createNpmRegistryClient({
    config: createNpmRegistryConfig({ registry: reg.url, scopes: { '@corp': scoped.url } }),
    retries: 0,
    archiveCache: new ArchiveCache({ dir: cacheDir }),
  });
}

async function ask(c: RegistryClient, name: string, version: string, extra: Partial<ContentsRequest> = {}) {
  const r = await c.getPackument(name);
  if (!r.ok) throw new Error(r.reason);
  const meta = r.packument.versions.get(version)!;
  return c.getContents!({ name, version, tarball: meta.tarball, integrity: meta.integrity, shasum: meta.shasum, limits: LIMITS, ...extra });
}

describe('npm archive contents', () => {
  it('reads a verified archive into contents', async () => {
    const r = await ask(client(), 'good', '1.0.0');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.contents.integrity).toBe(reg.integrity('good', '1.0.0'));
    expect(r.contents.files.map((f) => f.path).sort()).toEqual(['index.js', 'package.json']);
  });

  it('does not follow a dist.tarball on another origin: that server sees no request', async () => {
    const r = await ask(client(), 'elsewhere', '1.0.0');
    expect(r).toEqual({ ok: false, noteOnly: true, reason: expect.stringMatching(/another origin .* not followed/) });
    expect(other.requests).toEqual([]);
  });

  it("fails closed when the bytes are not the registry's integrity", async () => {
    const r = await ask(client(), 'lying', '1.0.0');
    expect(r).toEqual({ ok: false, failClosed: true, reason: expect.stringMatching(/integrity mismatch: .*registry's dist.integrity/) });
  });

  it("fails closed when the lockfile's integrity is not the registry's archive", async () => {
    const r = await ask(client(), 'good', '1.0.0', { lockIntegrity: sri(Buffer.from('what the lockfile pinned')) });
    expect(r).toEqual({ ok: false, failClosed: true, reason: expect.stringMatching(/integrity mismatch: the lockfile's sha512/) });
  });

  it('fails closed over maxArchiveBytes', async () => {
    const r = await ask(client(), 'big', '1.0.0', { limits: { ...LIMITS, maxArchiveBytes: 4096 } });
    expect(r).toEqual({ ok: false, failClosed: true, reason: expect.stringMatching(/over the 4096-byte cap/) });
  });

  it("follows a scoped package's tarball on its scope's registry only", async () => {
    const r = await ask(client(), '@corp/lib', '2.0.0');
    expect(r.ok).toBe(true);
    const before = reg.server.requests.length;
    const moved = await ask(client(), '@corp/lib', '2.0.0', { tarball: `${reg.url}@corp/lib/-/lib-2.0.0.tgz` });
    expect(moved.ok).toBe(false);
    expect(reg.server.requests.length).toBe(before);
  });

  it('a second read of the same integrity downloads nothing (memory)', async () => {
    const c = client();
    await ask(c, 'good', '1.0.0');
    const before = reg.tarballRequests().length;
    const again = await ask(c.review(), 'good', '1.0.0');
    expect(again).toMatchObject({ ok: true, downloaded: 0 });
    expect(reg.tarballRequests().length).toBe(before);
  });

  it('the directory cache survives a new client, and a corrupted file is fetched again', async () => {
    await ask(client(dir), 'good', '1.0.0');
    const before = reg.tarballRequests().length;
    const fresh = await ask(client(dir), 'good', '1.0.0');
    expect(fresh).toMatchObject({ ok: true, downloaded: 0 });
    expect(reg.tarballRequests().length).toBe(before);
    const [file] = (await readdir(dir)).filter((f) => f.endsWith('.tgz'));
    await writeFile(path.join(dir, file!), 'corrupted');
    const refetched = await ask(client(dir), 'good', '1.0.0');
    expect(refetched).toMatchObject({ ok: true, downloaded: reg.tgz('good', '1.0.0').length });
    expect(reg.tarballRequests().length).toBe(before + 1);
  });
});
