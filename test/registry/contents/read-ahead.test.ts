/**
 * Archives read ahead of their registry documents (src/registry/contents/prefetch.ts): from the
 * configured registry's conventional path only, taken by the later read when the document's
 * dist.tarball is that URL, verified then like any download, and never read again from the cache.
 */
import type { ContentsRequest, RegistryClient } from '../../../src/model/index.js';
import { conventionalTarball } from '../../../src/registry/contents/prefetch.js';
import { createNpmRegistryClient } from '../../../src/registry/npm.js';
import { createNpmRegistryConfig } from '../../../src/registry/npmrc.js';
import { startServer, type TestServer } from '../server.js';
import { sri, startArchiveRegistry, type ArchiveRegistry } from './archive-registry.js';

const LIMITS = { maxArchiveBytes: 32 * 1024 * 1024, maxUnpackedBytes: 128 * 1024 * 1024, maxFiles: 20_000 };
let reg: ArchiveRegistry;
let other: TestServer;

beforeAll(async () => {
  other = await startServer((_req, res) => void res.writeHead(404).end());
  reg = await startArchiveRegistry({
    plain: { '1.0.0': { files: [{ path: 'package/index.js', content: 'module.exports = 1;\n' }] } },
    '@corp/lib': { '2.0.0': {} },
    lying: { '1.0.0': { integrity: sri(Buffer.from('another archive')) } },
    cdn: { '1.0.0': { tarballOrigin: other.url } },
  });
});
afterAll(async () => Promise.all([reg.close(), other.close()]));

const client = (): RegistryClient => createNpmRegistryClient({ config: createNpmRegistryConfig({ registry: reg.url }), retries: 0 });

async function readAfterDocument(c: RegistryClient, name: string, version: string, lockIntegrity?: string) {
  const doc = await c.getPackument(name);
  if (!doc.ok) throw new Error(doc.reason);
  const meta = doc.packument.versions.get(version)!;
  const req: ContentsRequest = { name, version, tarball: meta.tarball, integrity: meta.integrity, shasum: meta.shasum, lockIntegrity, limits: LIMITS };
  return c.getContents!(req);
}

const requestsFor = (name: string) => reg.tarballRequests().filter((p) => p.startsWith(`/${name}/`));

describe('archives read ahead', () => {
  it('builds the conventional tarball URL on the configured registry, a scope keeping its slash', () => {
    expect(conventionalTarball('http://127.0.0.1:1/npm/', 'left-pad', '1.3.0')).toBe('http://127.0.0.1:1/npm/left-pad/-/left-pad-1.3.0.tgz');
    expect(conventionalTarball('http://127.0.0.1:1/', '@corp/lib', '2.0.0-rc.1')).toBe('http://127.0.0.1:1/@corp/lib/-/lib-2.0.0-rc.1.tgz');
    // names and versions that cannot be in a path are not read ahead at all
    expect(conventionalTarball('http://127.0.0.1:1/', '../etc', '1.0.0')).toBeUndefined();
    expect(conventionalTarball('http://127.0.0.1:1/', 'x', '1.0.0/../../y')).toBeUndefined();
  });

  it('reads the archive while its document is still on its way, and the later read takes those bytes', async () => {
    // the document takes 300 ms: the archive's request must arrive before it is answered
    const handler = reg.server.handler;
    const events: string[] = [];
    reg.server.handler = (req, res, seen) => {
      events.push(`asked ${seen.path}`);
      if (seen.path !== '/plain') return handler(req, res, seen);
      setTimeout(() => {
        events.push('document answered');
        void handler(req, res, seen);
      }, 300);
    };
    try {
      const c = client();
      const integrity = reg.integrity('plain', '1.0.0');
      c.prefetchContents!({ name: 'plain', version: '1.0.0', lockIntegrity: integrity, limits: LIMITS });
      const r = await readAfterDocument(c, 'plain', '1.0.0', integrity);
      expect(r).toMatchObject({ ok: true, downloaded: reg.tgz('plain', '1.0.0').length });
      expect(requestsFor('plain')).toEqual(['/plain/-/plain-1.0.0.tgz']);
      expect(events.indexOf('asked /plain/-/plain-1.0.0.tgz')).toBeLessThan(events.indexOf('document answered'));
    } finally {
      reg.server.handler = handler;
    }
  });

  it('verifies read-ahead bytes like any: a registry integrity they do not match fails closed', async () => {
    const c = client();
    const actual = reg.integrity('lying', '1.0.0');
    c.prefetchContents!({ name: 'lying', version: '1.0.0', lockIntegrity: actual, limits: LIMITS });
    const r = await readAfterDocument(c, 'lying', '1.0.0', actual);
    expect(r).toEqual({ ok: false, failClosed: true, reason: expect.stringMatching(/integrity mismatch: .*registry's dist.integrity/) });
  });

  it('leaves bytes unused when dist.tarball is elsewhere: the other origin still sees nothing', async () => {
    const c = client();
    c.prefetchContents!({ name: 'cdn', version: '1.0.0', lockIntegrity: reg.integrity('cdn', '1.0.0'), limits: LIMITS });
    const r = await readAfterDocument(c, 'cdn', '1.0.0');
    expect(r).toMatchObject({ ok: false, noteOnly: true, reason: expect.stringMatching(/another origin/) });
    expect(other.requests).toEqual([]);
  });

  it('reads a scoped archive ahead at its path', async () => {
    const c = client();
    const integrity = reg.integrity('@corp/lib', '2.0.0');
    c.prefetchContents!({ name: '@corp/lib', version: '2.0.0', lockIntegrity: integrity, limits: LIMITS });
    expect((await readAfterDocument(c, '@corp/lib', '2.0.0', integrity)).ok).toBe(true);
    expect(requestsFor('@corp')).toEqual(['/@corp/lib/-/lib-2.0.0.tgz']);
  });

  it('reads nothing ahead for an archive already cached, nor without a lockfile integrity', async () => {
    const c = client();
    const integrity = reg.integrity('plain', '1.0.0');
    expect((await readAfterDocument(c, 'plain', '1.0.0', integrity)).ok).toBe(true);
    const before = reg.tarballRequests().length;
    const again = c.review();
    again.prefetchContents!({ name: 'plain', version: '1.0.0', lockIntegrity: integrity, limits: LIMITS });
    again.prefetchContents!({ name: '@corp/lib', version: '2.0.0', lockIntegrity: undefined, limits: LIMITS });
    await new Promise((r) => setTimeout(r, 50));
    expect(reg.tarballRequests().length).toBe(before);
  });
});
