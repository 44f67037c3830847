import { gzipSync } from 'node:zlib';
import { createNpmRegistryClient, RegistryError, type NpmRegistryClientOptions, type RegistryRequestInfo } from '../../src/registry/npm.js';
import { createNpmRegistryConfig } from '../../src/registry/npmrc.js';
import { estimatePackumentBytes } from '../../src/registry/packument.js';
import {
  ABBREVIATED_ACCEPT,
  abbreviate,
  attestationsDocument,
  fullPackument,
  registryHandler,
  sendJson,
  slsaV02Statement,
  slsaV1Statement,
  startServer,
  type TestServer,
} from './server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(...args: Parameters<typeof startServer>): Promise<TestServer> {
  const s = await startServer(...args);
  servers.push(s);
  return s;
}
function client(registry: string, extra: Partial<NpmRegistryClientOptions> & { npmrc?: string } = {}) {
  const { npmrc, ...opts } = extra;
  const config = createNpmRegistryConfig(npmrc !== undefined ? { registry, npmrc } : { registry });
  return createNpmRegistryClient({ config, backoffMs: 1, ...opts });
}

const AXIOS_LIKE = fullPackument('left-pad', [
  {
    version: '1.0.0',
    time: '2024-01-01T00:00:00.000Z',
    npmUser: { name: 'maintainer', email: 'm@example.test' },
    maintainers: [{ name: 'maintainer', email: 'm@example.test' }],
    scripts: { test: 'jest', build: 'tsc' },
    dependencies: { 'is-odd': '^1.0.0' },
    repository: { type: 'git', url: 'git+https://github.com/o/left-pad.git' },
  },
  {
    version: '1.0.1',
    time: '2025-03-31T00:21:00.000Z',
    npmUser: { name: 'GitHub Actions', email: 'npm-oidc-no-reply@github.com', trustedPublisher: { id: 'github', oidcConfigId: 'oidc:1' } },
    maintainers: [{ name: 'maintainer', email: 'm@example.test' }],
    scripts: { test: 'jest', preinstall: 'node setup.js', postinstall: 'node setup.js', prepare: 'husky' },
    dependencies: { 'is-odd': '^1.0.0', 'plain-crypto-js': '^4.2.1' },
    gypfile: true,
    deprecated: 'do not use',
    repository: 'github:o/left-pad',
    provenance: true,
  },
]);

describe('getPackument: the full document', () => {
  it('asks for the FULL document and keeps time, _npmUser, maintainers and install scripts', async () => {
    const s = await serve(registryHandler({ packuments: new Map([['left-pad', AXIOS_LIKE]]) }));
    const r = await client(s.url).getPackument('left-pad');
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]!.path).toBe('/left-pad');
    expect(s.requests[0]!.headers.accept).toBe('application/json');
    expect(s.requests[0]!.headers['accept-encoding']).toContain('gzip');
    if (!r.ok) throw new Error(r.reason);
    const p = r.packument;
    expect(p.abbreviated).toBe(false);
    expect(p.created).toBe('2024-01-01T00:00:00.000Z');
    expect(p.modified).toBe('2025-03-31T00:21:00.000Z');
    expect(p.distTags.get('latest')).toBe('1.0.1');
    const v0 = p.versions.get('1.0.0')!;
    const v1 = p.versions.get('1.0.1')!;
    expect(v0.publishedAt).toBe('2024-01-01T00:00:00.000Z');
    expect(v0.npmUser).toEqual({ name: 'maintainer', email: 'm@example.test' });
    expect(v0.trustedPublisher).toBeUndefined();
    expect(v0.scripts).toEqual({});
    expect(v0.repository).toBe('git+https://github.com/o/left-pad.git');
    expect(v1.npmUser?.name).toBe('GitHub Actions');
    expect(v1.trustedPublisher).toEqual({ id: 'github' });
    expect(v1.maintainers).toEqual([{ name: 'maintainer', email: 'm@example.test' }]);
    expect(v1.scripts).toEqual({ preinstall: 'node setup.js', postinstall: 'node setup.js', prepare: 'husky' });
    expect(v1.gypfile).toBe(true);
    expect(v1.deprecated).toBe('do not use');
    expect(v1.dependencies).toEqual({ 'is-odd': '^1.0.0', 'plain-crypto-js': '^4.2.1' });
    expect(v1.repository).toBe('github:o/left-pad');
    expect(v1.integrity).toMatch(/^sha512-/);
    expect(v1.shasum).toBe('b'.repeat(40));
    expect(v1.attestations?.provenance?.predicateType).toBe('https://slsa.dev/provenance/v1');
    // nothing beyond the slim shape is kept
    expect(Object.keys(v1).sort()).toEqual(
      [
        'attestations',
        'dependencies',
        'deprecated',
        'gypfile',
        'integrity',
        'maintainers',
        'manifestName',
        'npmUser',
        'publishedAt',
        'repository',
        'scripts',
        'shasum',
        'tarball',
        'trustedPublisher',
        'version',
      ].sort(),
    );
  });

  it('would have got the abbreviated shape with the install-v1 Accept (the server honours Accept)', async () => {
    // the same server, asked like `npm install` asks: proves the client's full answer above is not what any Accept gets
    const s = await serve(registryHandler({ packuments: new Map([['left-pad', AXIOS_LIKE]]) }));
    const res = await fetch(`${s.url}left-pad`, { headers: { accept: ABBREVIATED_ACCEPT } });
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc.time).toBeUndefined();
    expect((doc.versions as Record<string, Record<string, unknown>>)['1.0.1']!._npmUser).toBeUndefined();
  });

  it('marks a document without `time` as abbreviated and keeps hasInstallScript', async () => {
    const s = await serve((_req, res) => sendJson(res, abbreviate(AXIOS_LIKE)));
    const r = await client(s.url).getPackument('left-pad');
    if (!r.ok) throw new Error(r.reason);
    expect(r.packument.abbreviated).toBe(true);
    expect(r.packument.modified).toBe('2025-03-31T00:21:00.000Z');
    expect(r.packument.versions.get('1.0.1')!.hasInstallScript).toBe(true);
    expect(r.packument.versions.get('1.0.1')!.npmUser).toBeUndefined();
    expect(r.packument.versions.get('1.0.1')!.publishedAt).toBeUndefined();
  });

  it('decompresses a gzip body', async () => {
    let gzipped = 0;
    const s = await serve((req, res) => {
      expect(String(req.headers['accept-encoding'])).toContain('gzip');
      gzipped++;
      sendJson(res, AXIOS_LIKE, { gzip: true });
    });
    const r = await client(s.url).getPackument('left-pad');
    expect(gzipped).toBe(1);
    expect(r.ok && r.packument.versions.size).toBe(2);
  });

  it('keeps attacker-chosen keys in Maps / null-prototype objects', async () => {
    const doc = fullPackument('constructor', [{ version: '1.0.0', time: '2024-01-01T00:00:00.000Z', dependencies: { constructor: '2.0.0' } }]);
    // keys literally named __proto__ (written as JSON text, so they survive)
    const text = JSON.stringify(doc)
      .replace('"versions":{', '"versions":{"__proto__":{"version":"__proto__","scripts":{"postinstall":"evil"}},')
      .replace('"dependencies":{', '"dependencies":{"__proto__":"1.0.0",');
    const s = await serve((_req, res) => sendJson(res, text));
    const r = await client(s.url).getPackument('constructor');
    if (!r.ok) throw new Error(r.reason);
    expect(r.packument.versions.get('__proto__')!.scripts.postinstall).toBe('evil');
    const deps = r.packument.versions.get('1.0.0')!.dependencies!;
    expect(Object.getPrototypeOf(deps)).toBeNull();
    expect(Object.keys(deps)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).postinstall).toBeUndefined();
  });

  it('validates `__proto__` entries too (a malformed field is dropped and named, as for any version)', async () => {
    const text = JSON.stringify(fullPackument('x', [{ version: '1.0.0' }])).replace('"versions":{', '"versions":{"__proto__":{"scripts":{"postinstall":42}},');
    const s = await serve((_req, res) => sendJson(res, text));
    const r = await client(s.url).getPackument('x');
    if (!r.ok) throw new Error(r.reason);
    expect(r.packument.versions.get('__proto__')?.dropped).toEqual(['scripts.postinstall']);
    expect(r.packument.repairs?.dropped).toEqual(['__proto__: scripts.postinstall']);
    expect(Object.prototype).not.toHaveProperty('scripts');
  });
});

describe('getPackument: names and routing', () => {
  it('escapes scoped names and routes them to the scope registry', async () => {
    const scoped = fullPackument('@acme/widget', [{ version: '2.0.0', time: '2024-05-01T00:00:00.000Z' }]);
    const main = await serve(registryHandler({ packuments: new Map() }));
    const acme = await serve(registryHandler({ packuments: new Map([['@acme/widget', scoped]]) }, '/npm/acme/'));
    const c = client(main.url, { npmrc: `@acme:registry=${acme.url}npm/acme` });
    const r = await c.getPackument('@acme/widget');
    expect(r.ok && r.packument.name).toBe('@acme/widget');
    expect(acme.requests.map((q) => q.path)).toEqual(['/npm/acme/@acme%2fwidget']);
    expect(main.requests).toHaveLength(0);
  });

  it('refuses names that are not package names, without a request', async () => {
    const s = await serve(registryHandler({ packuments: new Map() }));
    const c = client(s.url);
    for (const bad of ['../etc/passwd', 'a/b', '@scope/a/b', '', 'has space', '..', '@scope/..']) {
      expect(await c.getPackument(bad)).toEqual({ ok: false, reason: 'invalid package name' });
    }
    expect(s.requests).toHaveLength(0);
  });

  it('rejects a document for another package', async () => {
    const s = await serve((_req, res) => sendJson(res, fullPackument('other', [{ version: '1.0.0' }])));
    const r = await client(s.url).getPackument('wanted');
    expect(r).toEqual({ ok: false, reason: expect.stringContaining('another package'), failClosed: true });
  });

  it('answers 404 with notFound and does not retry it', async () => {
    const s = await serve(registryHandler({ packuments: new Map() }));
    const r = await client(s.url).getPackument('nope');
    // the origin of the registry that answered (no path, no credentials), for version-not-found
    expect(r).toEqual({ ok: false, notFound: true, reason: expect.stringContaining('404'), origin: s.url.replace(/\/$/, '') });
    expect(s.requests).toHaveLength(1);
  });
});

describe('auth', () => {
  it('sends the token only to its nerf-darted host, not to another port', async () => {
    const pkgs = new Map([
      ['public-pkg', fullPackument('public-pkg', [{ version: '1.0.0' }])],
      ['@corp/private', fullPackument('@corp/private', [{ version: '1.0.0' }])],
    ]);
    const open = await serve(registryHandler({ packuments: pkgs }));
    const corp = await serve(registryHandler({ packuments: pkgs }));
    const c = client(open.url, { npmrc: `@corp:registry=${corp.url}\n//127.0.0.1:${corp.port}/:_authToken=corp-secret-token` });
    const [a, b] = await Promise.all([c.getPackument('public-pkg'), c.getPackument('@corp/private')]);
    expect(a.ok && b.ok).toBe(true);
    expect(corp.requests[0]!.headers.authorization).toBe('Bearer corp-secret-token');
    expect(open.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('does not carry the token across a redirect to another host', async () => {
    const target = await serve(registryHandler({ packuments: new Map([['moved', fullPackument('moved', [{ version: '1.0.0' }])]]) }));
    const origin = await serve((_req, res) => {
      res.writeHead(302, { location: `${target.url}moved` });
      res.end();
    });
    const c = client(origin.url, { npmrc: `//127.0.0.1:${origin.port}/:_authToken=origin-token` });
    const r = await c.getPackument('moved');
    expect(r.ok).toBe(true);
    expect(origin.requests[0]!.headers.authorization).toBe('Bearer origin-token');
    expect(target.requests).toHaveLength(1);
    expect(target.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('never puts a token in failure reasons or request reports', async () => {
    const token = 'npm_SuperSecretToken123';
    const s = await serve((req, res) => {
      // a hostile server echoing the credential back in the status text and body
      res.writeHead(503, String(req.headers.authorization), { 'content-type': 'text/plain' });
      res.end(String(req.headers.authorization));
    });
    const infos: RegistryRequestInfo[] = [];
    const c = client(s.url, { npmrc: `//127.0.0.1:${s.port}/:_authToken=${token}`, retries: 1, onRequest: (i) => infos.push(i) });
    const r = await c.getPackument('x');
    expect(s.requests[0]!.headers.authorization).toBe(`Bearer ${token}`);
    expect(r.ok).toBe(false);
    const errProv = await c.getProvenance('x', '1.0.0').catch((e: Error) => e);
    expect(errProv).toBeInstanceOf(RegistryError);
    const everything = JSON.stringify([r, infos, String(errProv), (errProv as Error).stack]);
    expect(everything).toContain('503');
    expect(everything).not.toContain(token);
    expect(everything.toLowerCase()).not.toContain('bearer');
  });
});

describe('dedupe, concurrency and stats', () => {
  it('shares one request among 10 concurrent calls and later repeats', async () => {
    const s = await serve(async (req, res) => {
      await new Promise((r) => setTimeout(r, 30));
      registryHandler({ packuments: new Map([['dup', fullPackument('dup', [{ version: '1.0.0' }])]]) })(req, res, s.requests.at(-1)!);
    });
    const c = client(s.url);
    const results = await Promise.all(Array.from({ length: 10 }, () => c.getPackument('dup')));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await c.getPackument('dup')).toBe(results[0]);
    expect(s.requests).toHaveLength(1);
    expect(c.stats()).toEqual({ requests: 1, packumentRequests: 1, cacheHits: 10, notModified: 0, retries: 0 });
  });

  it('never has more requests in flight than the concurrency limit', async () => {
    const pkgs = new Map(Array.from({ length: 12 }, (_, i) => [`p${i}`, fullPackument(`p${i}`, [{ version: '1.0.0' }])] as const));
    const inner = registryHandler({ packuments: pkgs });
    const s = await serve(async (req, res, seen) => {
      await new Promise((r) => setTimeout(r, 40));
      await inner(req, res, seen);
    });
    const c = client(s.url, { concurrency: 3 });
    const rs = await Promise.all([...pkgs.keys()].map((n) => c.getPackument(n)));
    expect(rs.every((r) => r.ok)).toBe(true);
    expect(s.requests).toHaveLength(12);
    expect(s.maxConcurrent).toBe(3);
  });
});

describe('retries and timeouts', () => {
  const doc = fullPackument('flaky', [{ version: '1.0.0' }]);

  it('retries 500, 503 and 429 then succeeds', async () => {
    const statuses = [500, 503, 429];
    const s = await serve((_req, res) => {
      const st = statuses.shift();
      if (st) return sendJson(res, { error: 'x' }, { status: st, headers: st === 429 ? { 'retry-after': '0' } : {} });
      sendJson(res, doc);
    });
    const c = client(s.url);
    const r = await c.getPackument('flaky');
    expect(r.ok).toBe(true);
    expect(s.requests).toHaveLength(4);
    expect(c.stats().retries).toBe(3);
    expect(c.stats().requests).toBe(4);
  });

  it('honours Retry-After on 429', async () => {
    const at: number[] = [];
    const s = await serve((_req, res) => {
      at.push(Date.now());
      if (at.length === 1) return sendJson(res, { error: 'slow down' }, { status: 429, headers: { 'retry-after': '1' } });
      sendJson(res, doc);
    });
    const r = await client(s.url).getPackument('flaky');
    expect(r.ok).toBe(true);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(950);
  });

  it('gives up at once when Retry-After is longer than allowed', async () => {
    const s = await serve((_req, res) => sendJson(res, {}, { status: 429, headers: { 'retry-after': '3600' } }));
    const r = await client(s.url).getPackument('flaky');
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/429.*Retry-After of 3600s is too long/) });
    expect(s.requests).toHaveLength(1);
  });

  it('gives up after the configured retries with a short reason', async () => {
    const s = await serve((_req, res) => sendJson(res, { error: 'down' }, { status: 503 }));
    const c = client(s.url, { retries: 2 });
    const r = await c.getPackument('flaky');
    expect(r).toEqual({ ok: false, reason: 'registry responded 503 Service Unavailable (after 3 attempts)' });
    expect(s.requests).toHaveLength(3);
    expect(c.stats().retries).toBe(2);
  });

  it('does not retry other 4xx answers', async () => {
    const s = await serve((_req, res) => sendJson(res, { error: 'no' }, { status: 403 }));
    const r = await client(s.url).getPackument('flaky');
    expect(r).toEqual({ ok: false, reason: 'registry responded 403 Forbidden' });
    expect(s.requests).toHaveLength(1);
  });

  it('retries network errors', async () => {
    let n = 0;
    const s = await serve((req, res) => {
      if (n++ === 0) {
        req.socket.destroy();
        return;
      }
      sendJson(res, doc);
    });
    const c = client(s.url);
    expect((await c.getPackument('flaky')).ok).toBe(true);
    expect(c.stats().retries).toBe(1);
  });

  it('reports a refused connection as a network error', async () => {
    const s = await serve(() => undefined);
    const url = s.url;
    await s.close();
    servers.pop();
    const r = await client(url, { retries: 1 }).getPackument('flaky');
    expect(r).toEqual({ ok: false, reason: 'network error: ECONNREFUSED (after 2 attempts)' });
  });

  it('times out a server that never answers, and retries it', async () => {
    const s = await serve(() => undefined);
    const started = Date.now();
    const r = await client(s.url, { timeoutMs: 150, retries: 1 }).getPackument('flaky');
    expect(r).toEqual({ ok: false, reason: 'timed out after 150 ms (after 2 attempts)' });
    expect(s.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('times out a body that stalls halfway', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"name":"flaky","versions":{');
    });
    const r = await client(s.url, { timeoutMs: 150, retries: 0 }).getPackument('flaky');
    expect(r).toEqual({ ok: false, reason: 'timed out after 150 ms' });
  });
});

describe('cache and ETags', () => {
  it('revalidates with If-None-Match in the next review and reuses the document on 304', async () => {
    const s = await serve(
      registryHandler({ etag: true, packuments: new Map([['etagged', fullPackument('etagged', [{ version: '1.0.0', time: '2024-01-01T00:00:00.000Z' }])]]) }),
    );
    const c = client(s.url);
    const first = await c.getPackument('etagged');
    const again = await c.getPackument('etagged'); // same review: no request
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]!.headers['if-none-match']).toBeUndefined();
    const next = c.review();
    const second = await next.getPackument('etagged');
    expect(s.requests).toHaveLength(2);
    expect(s.requests[1]!.headers['if-none-match']).toMatch(/^"[0-9a-f]{40}"$/);
    expect(first.ok && second.ok && second.packument).toBe(first.ok && first.packument);
    expect(again).toBe(first);
    expect(next.stats().notModified).toBe(1);
    expect(c.stats()).toEqual(next.stats());
  });

  it('sees a new version after a change (200 to the conditional request)', async () => {
    const pkgs = new Map([['moving', fullPackument('moving', [{ version: '1.0.0' }])]]);
    const s = await serve(registryHandler({ etag: true, packuments: pkgs }));
    const c = client(s.url);
    await c.getPackument('moving');
    pkgs.set('moving', fullPackument('moving', [{ version: '1.0.0' }, { version: '1.0.1' }]));
    const r = await c.review().getPackument('moving');
    expect(s.requests[1]!.headers['if-none-match']).toBeDefined();
    expect(r.ok && [...r.packument.versions.keys()]).toEqual(['1.0.0', '1.0.1']);
    expect(c.stats().notModified).toBe(0);
  });

  it('evicts least recently used documents by estimated bytes', async () => {
    const pkgs = new Map(['a', 'b', 'c'].map((n) => [n, fullPackument(n, [{ version: '1.0.0', dependencies: { dep: '^1' } }])] as const));
    const s = await serve(registryHandler({ etag: true, packuments: pkgs }));
    // measure one document's estimate, then allow room for two
    const probe = await client(s.url).getPackument('a');
    const one = estimatePackumentBytes(probe.ok ? probe.packument : (undefined as never));
    s.requests.length = 0;
    const c = client(s.url, { cacheBytes: Math.floor(one * 2.5) });
    const r1 = c.review();
    await r1.getPackument('a');
    await r1.getPackument('b');
    await r1.getPackument('c'); // evicts a
    const r2 = c.review();
    await r2.getPackument('a'); // not cached: unconditional; evicts b
    await r2.getPackument('c'); // still cached: conditional
    await r2.getPackument('b'); // evicted by a: unconditional
    const conditional = s.requests.slice(3).map((q) => [q.path, q.headers['if-none-match'] !== undefined]);
    expect(conditional).toEqual([
      ['/a', false],
      ['/c', true],
      ['/b', false],
    ]);
  });

  it('does not cache a document larger than the whole budget', async () => {
    const s = await serve(registryHandler({ etag: true, packuments: new Map([['big', fullPackument('big', [{ version: '1.0.0' }])]]) }));
    const c = client(s.url, { cacheBytes: 10 });
    await c.getPackument('big');
    await c.review().getPackument('big');
    expect(s.requests[1]!.headers['if-none-match']).toBeUndefined();
  });
});

describe('document validation and limits', () => {
  async function reasonFor(body: string | Buffer, headers: Record<string, string> = {}, extra: Partial<NpmRegistryClientOptions> = {}): Promise<string> {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', ...headers });
      res.end(body);
    });
    const r = await client(s.url, extra).getPackument('x');
    if (r.ok) throw new Error('expected a failure');
    expect(s.requests).toHaveLength(1); // never retried
    return r.reason;
  }

  it('rejects malformed JSON', async () => {
    expect(await reasonFor('{"name":"x","versions":{')).toMatch(/^invalid registry document: invalid JSON: unexpected end of input/);
    expect(await reasonFor('<html>oops</html>')).toMatch(/^invalid registry document: invalid JSON: unexpected '<' at byte 0/);
  });

  it('drops wrong types in the kept fields, naming the path; rejects only a document that is not an object', async () => {
    const good = fullPackument('x', [{ version: '1.0.0', time: '2024-01-01T00:00:00.000Z', scripts: { postinstall: 'ok' } }]);
    const mutate = (f: (d: Record<string, any>) => void): string => {
      const d = JSON.parse(JSON.stringify(good)) as Record<string, any>;
      f(d);
      return JSON.stringify(d);
    };
    const repairsOf = async (body: string) => {
      const s = await serve((_req, res) => sendJson(res, body));
      const r = await client(s.url).getPackument('x');
      if (!r.ok) throw new Error(r.reason);
      return r.packument.repairs?.dropped;
    };
    expect(await repairsOf(mutate((d) => (d.versions['1.0.0'].scripts.postinstall = 42)))).toEqual(['1.0.0: scripts.postinstall']);
    expect(await repairsOf(mutate((d) => (d.time['1.0.0'] = 1700000000)))).toEqual(['time.1.0.0']);
    expect(await repairsOf(mutate((d) => (d.versions = [])))).toEqual(['versions']);
    expect(await repairsOf(mutate((d) => (d.versions['1.0.0']._npmUser = 'someone')))).toEqual(['1.0.0: _npmUser']);
    expect(await repairsOf(mutate((d) => (d.versions['1.0.0'].dist.integrity = ['sha512-x'])))).toEqual(['1.0.0: dist.integrity']);
    expect(await reasonFor('[1,2]')).toBe('invalid registry document: expected a JSON object');
  });

  it('is lenient about fields it does not keep', async () => {
    const d = fullPackument('x', [{ version: '1.0.0' }]) as Record<string, any>;
    d.readme = 42;
    d.versions['1.0.0'].scripts = { test: 1, build: { weird: true } };
    d.versions['1.0.0'].devDependencies = 'nonsense';
    d.users = [null];
    const s = await serve((_req, res) => sendJson(res, d));
    const r = await client(s.url).getPackument('x');
    expect(r.ok && r.packument.versions.get('1.0.0')!.scripts).toEqual({});
  });

  it('accepts an unpublished package document (time.unpublished object, no versions)', async () => {
    const d = {
      _id: 'gone',
      name: 'gone',
      time: {
        created: '2020-01-01T00:00:00.000Z',
        modified: '2021-01-01T00:00:00.000Z',
        unpublished: { time: '2021-01-01T00:00:00.000Z', versions: ['1.0.0'] },
      },
    };
    const s = await serve((_req, res) => sendJson(res, d));
    const r = await client(s.url).getPackument('gone');
    expect(r.ok && r.packument.versions.size).toBe(0);
    expect(r.ok && r.packument.abbreviated).toBe(false);
  });

  it('refuses a document over maxDocumentBytes (declared length, chunked, and gzip bomb)', async () => {
    const big = JSON.stringify(
      fullPackument(
        'x',
        Array.from({ length: 50 }, (_, i) => ({ version: `1.0.${i}` })),
      ),
    );
    expect(big.length).toBeGreaterThan(20_000);
    const limit = { maxDocumentBytes: 10_000 };
    expect(await reasonFor(big, {}, limit)).toBe('registry document too large (over 10000 bytes)');
    // chunked: no content-length, the limit applies while streaming
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < big.length; i += 1000) res.write(big.slice(i, i + 1000));
      res.end();
    });
    const r = await client(s.url, limit).getPackument('x');
    expect(r).toEqual({ ok: false, reason: 'registry document too large (over 10000 bytes)', failClosed: true });
    // gzip: small on the wire, large once decompressed
    const bomb = gzipSync(Buffer.from(`{"name":"x","readme":"${'a'.repeat(5_000_000)}"}`));
    expect(bomb.length).toBeLessThan(10_000);
    expect(await reasonFor(bomb, { 'content-encoding': 'gzip' }, { maxDocumentBytes: 1_000_000 })).toBe('registry document too large (over 1000000 bytes)');
  });
});

describe('getProvenance', () => {
  it('reads repository, workflow and ref from a SLSA v1 statement on the configured registry only', async () => {
    const elsewhere = await serve(() => {
      throw new Error('the document host must never be contacted');
    });
    const att = attestationsDocument(
      slsaV1Statement('https://github.com/o/left-pad', '.github/workflows/release.yml', 'refs/heads/main'),
      'https://slsa.dev/provenance/v1',
    );
    const s = await serve(
      registryHandler({
        packuments: new Map([['left-pad', fullPackument('left-pad', [{ version: '1.0.1', provenance: true }], elsewhere.url)]]),
        attestations: new Map([['left-pad@1.0.1', att]]),
      }),
    );
    const c = client(s.url);
    const r = await c.getPackument('left-pad');
    expect(r.ok && r.packument.versions.get('1.0.1')!.attestations?.url).toContain(elsewhere.url);
    const p = await c.getProvenance('left-pad', '1.0.1');
    expect(p).toEqual({
      repository: 'https://github.com/o/left-pad',
      workflow: '.github/workflows/release.yml',
      ref: 'refs/heads/main',
      predicateType: 'https://slsa.dev/provenance/v1',
    });
    expect(s.requests.map((q) => q.path)).toEqual(['/left-pad', '/-/npm/v1/attestations/left-pad@1.0.1']);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('reads SLSA v0.2 configSource uri and entryPoint, for a scoped name', async () => {
    const att = attestationsDocument(
      slsaV02Statement('git+https://github.com/acme/widget@refs/heads/release', '.github/workflows/publish.yml'),
      'https://slsa.dev/provenance/v0.2',
    );
    const s = await serve(registryHandler({ packuments: new Map(), attestations: new Map([['@acme/widget@3.1.0', att]]) }));
    const p = await client(s.url).getProvenance('@acme/widget', '3.1.0');
    expect(p).toEqual({
      repository: 'https://github.com/acme/widget',
      ref: 'refs/heads/release',
      workflow: '.github/workflows/publish.yml',
      predicateType: 'https://slsa.dev/provenance/v0.2',
    });
    expect(s.requests[0]!.path).toBe('/-/npm/v1/attestations/@acme/widget@3.1.0');
  });

  it('is null on 404 and when only the publish attestation exists', async () => {
    const onlyPublish = attestationsDocument({}, 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1');
    const s = await serve(registryHandler({ packuments: new Map(), attestations: new Map([['p@2.0.0', onlyPublish]]) }));
    const c = client(s.url);
    expect(await c.getProvenance('p', '1.0.0')).toBeNull();
    expect(await c.getProvenance('p', '2.0.0')).toBeNull();
  });

  it('dedupes, and keeps a published version’s answer across reviews', async () => {
    const att = attestationsDocument(slsaV1Statement('https://github.com/o/r', '.github/workflows/ci.yml', 'refs/tags/v1'), 'https://slsa.dev/provenance/v1');
    const s = await serve(registryHandler({ packuments: new Map(), attestations: new Map([['r@1.0.0', att]]) }));
    const c = client(s.url);
    const all = await Promise.all(Array.from({ length: 5 }, () => c.getProvenance('r', '1.0.0')));
    expect(new Set(all).size).toBe(1);
    expect(await c.review().getProvenance('r', '1.0.0')).toEqual(all[0]);
    expect(s.requests).toHaveLength(1);
  });

  it('throws a RegistryError (not null) when the attestations cannot be read', async () => {
    const s = await serve((_req, res) => sendJson(res, { error: 'x' }, { status: 500 }));
    await expect(client(s.url, { retries: 1 }).getProvenance('p', '1.0.0')).rejects.toThrow(
      new RegistryError('registry responded 500 Internal Server Error (after 2 attempts)'),
    );
    const bad = await serve((_req, res) =>
      sendJson(res, { attestations: [{ predicateType: 'https://slsa.dev/provenance/v1', bundle: { dsseEnvelope: { payload: '!!!not-base64-json' } } }] }),
    );
    await expect(client(bad.url).getProvenance('p', '1.0.0')).rejects.toThrow(/not base64 JSON/);
  });
});
