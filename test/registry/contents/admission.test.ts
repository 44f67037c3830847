/**
 * Archive reads admitted by their size (src/registry/contents/download.ts): the declared length asked
 * for before the body is read; a read that does not fit drops the response unread, waits holding no
 * connection, then asks again; the bytes are given back once, after the archive is unpacked or failed.
 */
import { createHash } from 'node:crypto';
import type { ArchiveAdmission, RegistryClient } from '../../../src/model/index.js';
import { UNDECLARED_ARCHIVE_BYTES } from '../../../src/registry/contents/download.js';
import { createNpmRegistryClient } from '../../../src/registry/npm.js';
import { createNpmRegistryConfig } from '../../../src/registry/npmrc.js';
import { createTgz } from '../../../test-support/tarball.js';
import { startServer, type TestServer } from '../server.js';
import { sri } from './archive-registry.js';

const LIMITS = { maxArchiveBytes: 32 * 1024 * 1024, maxUnpackedBytes: 128 * 1024 * 1024, maxFiles: 20_000 };
const TGZ = createTgz([
  { path: 'package/package.json', content: '{"name":"pkg","version":"1.0.0"}' },
  { path: 'package/index.js', content: 'module.exports = 1;\n'.repeat(500) },
]);
let server: TestServer;
/** Whether the archive is sent with its Content-Length (else chunked). */
let declared = true;

beforeAll(async () => {
  server = await startServer((req, res) => {
    if (!req.url?.endsWith('.tgz')) return void res.writeHead(404).end();
    if (declared) res.writeHead(200, { 'content-length': TGZ.length }).end(TGZ);
    else res.writeHead(200).end(TGZ);
  });
});
afterAll(() => server.close());
beforeEach(() => {
  declared = true;
  server.requests.length = 0;
});

/** An admission that records what it was asked, admitting `room` bytes at once (then anything after a wait). */
function recording(room: number) {
  const log = { tried: [] as number[], waited: [] as number[], released: 0, held: 0 };
  const grant = (bytes: number) => {
    log.held += bytes;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      log.held -= bytes;
      log.released++;
    };
  };
  const admission: ArchiveAdmission = {
    tryTake: (bytes) => {
      log.tried.push(bytes);
      return bytes <= room ? grant(bytes) : undefined;
    },
    take: async (bytes) => {
      log.waited.push(bytes);
      await new Promise((r) => setTimeout(r, 20));
      return grant(bytes);
    },
  };
  return { log, admission };
}

const client = (): RegistryClient => createNpmRegistryClient({ config: createNpmRegistryConfig({ registry: server.url }), retries: 0 });

function read(c: RegistryClient, admission: ArchiveAdmission, integrity = sri(TGZ)) {
  return c.getContents!(
    {
      name: 'pkg',
      version: '1.0.0',
      tarball: `${server.url}pkg/-/pkg-1.0.0.tgz`,
      integrity,
      shasum: createHash('sha1').update(TGZ).digest('hex'),
      limits: LIMITS,
    },
    { admission },
  );
}

describe('archive reads admitted by size', () => {
  it('asks for the declared length before reading, and gives it back once unpacked', async () => {
    const { log, admission } = recording(1 << 20);
    const r = await read(client(), admission);
    expect(r.ok).toBe(true);
    expect(log.tried).toEqual([TGZ.length]);
    expect(log.waited).toEqual([]);
    expect(log).toMatchObject({ released: 1, held: 0 });
    expect(server.requests).toHaveLength(1);
  });

  it('drops a response that does not fit unread, waits, then reads a second answer', async () => {
    const { log, admission } = recording(10);
    const r = await read(client(), admission);
    expect(r.ok).toBe(true);
    expect(log.tried).toEqual([TGZ.length]);
    expect(log.waited).toEqual([TGZ.length]);
    expect(log).toMatchObject({ released: 1, held: 0 });
    expect(server.requests).toHaveLength(2);
  });

  it('admits a chunked archive (no declared length) at the default estimate', async () => {
    declared = false;
    const { log, admission } = recording(UNDECLARED_ARCHIVE_BYTES);
    const r = await read(client(), admission);
    expect(r.ok).toBe(true);
    expect(log.tried).toEqual([UNDECLARED_ARCHIVE_BYTES]);
    expect(log.held).toBe(0);
  });

  it('gives the bytes back when the archive is refused', async () => {
    const { log, admission } = recording(1 << 20);
    const r = await read(client(), admission, sri(Buffer.from('another archive')));
    expect(r).toMatchObject({ ok: false, failClosed: true, reason: expect.stringMatching(/integrity mismatch/) });
    expect(log).toMatchObject({ released: 1, held: 0 });
  });

  it('asks nothing of the admission on a cache hit', async () => {
    const c = client();
    expect((await read(c, recording(1 << 20).admission)).ok).toBe(true);
    const { log, admission } = recording(1 << 20);
    const again = await read(c.review(), admission);
    expect(again).toMatchObject({ ok: true, downloaded: 0 });
    expect(log.tried).toEqual([]);
  });
});
