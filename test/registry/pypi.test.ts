import { createPypiIndexConfig } from '../../src/registry/pip-config.js';
import {
  createPypiIndexClient,
  distKind,
  isValidProjectName,
  provenanceFromObject,
  provenanceFromPublisher,
  versionFromFilename,
  type PypiIndexClientOptions,
  type PypiRequestInfo,
} from '../../src/registry/pypi.js';
import { RegistryError } from '../../src/registry/http.js';
import type { DistFile } from '../../src/model/index.js';
import { githubProvenance, indexHandler, SHA, type IndexState, type ProjectSpec } from './pypi-fixtures.js';
import { sendJson, startServer, type TestServer } from './server.js';
import { buildZip, pythonZip } from '../archives/wheel-zip-builder.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(...args: Parameters<typeof startServer>): Promise<TestServer> {
  const s = await startServer(...args);
  servers.push(s);
  return s;
}

const PTH_WHEEL = buildZip([
  { name: 'litellm/__init__.py', deflate: true },
  { name: 'litellm_init.pth', data: 'import os; exec(...)\n' },
  { name: 'litellm-1.82.8.dist-info/METADATA' },
  { name: 'litellm-1.82.8.dist-info/RECORD' },
]);
const CLEAN_WHEEL = buildZip([{ name: 'litellm/__init__.py' }, { name: 'litellm-1.82.6.dist-info/METADATA' }, { name: 'litellm-1.82.6.dist-info/RECORD' }]);

/** LiteLLM-like: 1.82.6 through Trusted Publishing, 1.82.7/1.82.8 uploaded with a token hours apart. */
function litellm(): ProjectSpec {
  return {
    name: 'litellm',
    releases: [
      {
        version: '1.82.6',
        files: [
          { filename: 'litellm-1.82.6-py3-none-any.whl', body: CLEAN_WHEEL, uploadedAt: '2026-03-20T09:00:00Z', provenance: true },
          { filename: 'litellm-1.82.6.tar.gz', uploadedAt: '2026-03-20T08:59:00Z', provenance: true },
        ],
      },
      {
        version: '1.82.7',
        files: [
          {
            filename: 'litellm-1.82.7-py3-none-any.whl',
            uploadedAt: '2026-03-24T10:52:00Z',
            yanked: 'Compromised release',
            uploadedVia: 'twine/6.1.0 CPython/3.12.3',
          },
        ],
      },
      {
        version: '1.82.8',
        files: [
          { filename: 'litellm-1.82.8-py3-none-any.whl', body: PTH_WHEEL, uploadedAt: '2026-03-24T13:31:00Z', uploadedVia: 'twine/6.1.0 CPython/3.12.3' },
          { filename: 'litellm-1.82.8.tar.gz', uploadedAt: '2026-03-24T13:30:00Z' },
        ],
      },
    ],
    requiresDist: ['httpx>=0.23', "jinja2 ; extra == 'proxy'"],
    owners: [
      { role: 'Owner', user: 'krrish' },
      { role: 'Maintainer', user: 'ishaan' },
    ],
    provenance: new Map([
      ['litellm-1.82.6-py3-none-any.whl', githubProvenance('BerriAI/litellm', 'publish.yml', { slsa: true, environment: 'pypi' })],
      ['litellm-1.82.6.tar.gz', githubProvenance('BerriAI/litellm', 'publish.yml')],
    ]),
  };
}

async function index(projects: ProjectSpec[], extra: Partial<IndexState> = {}, fileServer?: TestServer) {
  const state: IndexState = { projects: new Map(projects.map((p) => [p.name, p])), fileBytesSent: 0, ...extra };
  let s: TestServer | undefined;
  s = await serve(indexHandler(state, () => ({ base: s!.url, fileBase: `${(fileServer ?? s)!.url}files/` })));
  return { s, state };
}

function client(indexUrl: string, extra: Partial<PypiIndexClientOptions> = {}) {
  return createPypiIndexClient({ config: createPypiIndexConfig({ indexUrl }), backoffMs: 1, ...extra });
}

describe('getPackument: both documents to the slim packument', () => {
  it('reads releases, files, times, yanked, owners, requires_dist and provenance with two requests', async () => {
    const { s } = await index([litellm()]);
    const c = client(`${s.url}simple/`);
    const r = await c.getPackument('litellm');
    if (!r.ok) throw new Error(r.reason);
    expect(s.requests.map((q) => q.path).sort()).toEqual(['/pypi/litellm/json', '/simple/litellm/']);
    expect(s.requests.find((q) => q.path.startsWith('/simple'))!.headers.accept).toContain('application/vnd.pypi.simple.v1+json');
    expect(s.requests.find((q) => q.path.startsWith('/pypi'))!.headers.accept).toBe('application/json');
    const p = r.packument;
    expect(p.name).toBe('litellm');
    expect([...p.versions.keys()]).toEqual(['1.82.6', '1.82.7', '1.82.8']);
    expect(p.distTags.get('latest')).toBe('1.82.8');
    expect(p.abbreviated).toBe(false);
    expect(p.created).toBe('2026-03-20T08:59:00.000Z');
    expect(p.modified).toBe('2026-03-24T13:31:00.000Z');
    expect(p.owners).toEqual([
      { role: 'Owner', user: 'krrish' },
      { role: 'Maintainer', user: 'ishaan' },
    ]);
    const v6 = p.versions.get('1.82.6')!;
    expect(v6.publishedAt).toBe('2026-03-20T08:59:00.000Z');
    expect(v6.trustedPublisher).toEqual({});
    expect(v6.attestations).toEqual({ provenance: { predicateType: 'pep740:publish/v1' } });
    expect(v6.requiresDist).toBeUndefined();
    expect(v6.files!.map((f) => [f.filename, f.kind, f.provenance])).toEqual([
      ['litellm-1.82.6-py3-none-any.whl', 'wheel', true],
      ['litellm-1.82.6.tar.gz', 'sdist', true],
    ]);
    const v8 = p.versions.get('1.82.8')!;
    expect(v8.trustedPublisher).toBeUndefined();
    expect(v8.attestations).toBeUndefined();
    expect(v8.yanked).toBeUndefined();
    expect(v8.deprecated).toBeUndefined();
    expect(v8.requiresDist).toEqual(['httpx>=0.23', "jinja2 ; extra == 'proxy'"]);
    expect(v8.publishedAt).toBe('2026-03-24T13:30:00.000Z');
    expect(v8.files![0]).toEqual({
      filename: 'litellm-1.82.8-py3-none-any.whl',
      kind: 'wheel',
      url: `${s.url}files/litellm-1.82.8-py3-none-any.whl`,
      sha256: SHA(PTH_WHEEL),
      size: PTH_WHEEL.length,
      uploadedAt: '2026-03-24T13:31:00.000Z',
      provenance: false,
      uploadedVia: 'twine/6.1.0 CPython/3.12.3',
    });
    expect(p.versions.get('1.82.7')!.yanked).toEqual({ reason: 'Compromised release' });
    expect(p.versions.get('1.82.7')!.files![0]!.yanked).toBe(true);
    expect(c.stats()).toMatchObject({ requests: 2, packumentRequests: 2 });
  });

  it('a release is yanked only when all its files are; attested only when all its files have provenance', async () => {
    const proj: ProjectSpec = {
      name: 'mixed',
      releases: [
        {
          version: '1.0',
          files: [
            { filename: 'mixed-1.0-py3-none-any.whl', uploadedAt: '2025-01-01T00:00:00Z', yanked: true, provenance: true },
            { filename: 'mixed-1.0.tar.gz', uploadedAt: '2025-01-01T00:00:00Z', provenance: false },
          ],
        },
        { version: '2.0', files: [{ filename: 'mixed-2.0.tar.gz', uploadedAt: '2025-02-01T00:00:00Z', yanked: true }] },
      ],
    };
    const { s } = await index([proj]);
    const r = await client(`${s.url}simple/`).getPackument('mixed');
    if (!r.ok) throw new Error(r.reason);
    expect(r.packument.versions.get('1.0')!.yanked).toBeUndefined();
    expect(r.packument.versions.get('1.0')!.attestations).toBeUndefined();
    expect(r.packument.versions.get('2.0')!.yanked).toEqual({});
  });

  it('normalises names in URLs and refuses names that are not project names', async () => {
    const { s } = await index([{ ...litellm(), name: 'zope-interface' }]);
    const c = client(`${s.url}simple/`);
    const r = await c.getPackument('Zope.Interface');
    expect(r.ok).toBe(true);
    expect(s.requests.map((q) => q.path).sort()).toEqual(['/pypi/zope-interface/json', '/simple/zope-interface/']);
    for (const bad of ['', '../etc', 'a/b', '-x', 'x-', 'has space', 'x'.repeat(201), 'ü']) {
      expect(await c.getPackument(bad)).toEqual({ ok: false, reason: 'invalid project name' });
    }
    expect(s.requests).toHaveLength(2);
  });

  it('404 on both documents is not found', async () => {
    const { s } = await index([]);
    expect(await client(`${s.url}simple/`).getPackument('nope')).toEqual({ ok: false, notFound: true, reason: 'not found in the package index (404)' });
  });

  it('one request per name per review, shared by concurrent and repeated calls; a new review asks again', async () => {
    const { s } = await index([litellm()]);
    const c = client(`${s.url}simple/`);
    const [a, b] = await Promise.all([c.getPackument('litellm'), c.getPackument('LiteLLM')]);
    expect(a).toBe(b);
    await c.getPackument('litellm');
    expect(s.requests).toHaveLength(2);
    await c.review().getPackument('litellm');
    expect(s.requests).toHaveLength(4);
  });
});

describe('servers without one of the documents (degraded, documented)', () => {
  it('without the JSON API: versions from file names, no owners or requires_dist, provenance still known', async () => {
    const { s } = await index([litellm()], { jsonApi: false });
    const r = await client(`${s.url}simple/`).getPackument('litellm');
    if (!r.ok) throw new Error(r.reason);
    expect([...r.packument.versions.keys()]).toEqual(['1.82.6', '1.82.7', '1.82.8']);
    expect(r.packument.owners).toBeUndefined();
    expect(r.packument.distTags.get('latest')).toBe('1.82.8');
    expect(r.packument.versions.get('1.82.8')!.requiresDist).toBeUndefined();
    expect(r.packument.versions.get('1.82.6')!.attestations).toBeDefined();
    expect(r.packument.versions.get('1.82.7')!.yanked).toEqual({ reason: 'Compromised release' });
  });

  it('a JSON API path answered with an HTML page counts as no JSON API', async () => {
    const { s } = await index([litellm()]);
    const h = s.handler;
    s.handler = (req, res, seen) => {
      if (!(req.url ?? '').startsWith('/pypi/')) return h(req, res, seen);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Index</title>');
    };
    const r = await client(`${s.url}simple/`).getPackument('litellm');
    if (!r.ok) throw new Error(r.reason);
    expect(r.packument.owners).toBeUndefined();
    expect(r.packument.versions.size).toBe(3);
  });

  it('without the Simple API JSON (HTML answer): provenance unknown, nothing claimed', async () => {
    const { s } = await index([litellm()], { simpleJson: false });
    const r = await client(`${s.url}simple/`).getPackument('litellm');
    if (!r.ok) throw new Error(r.reason);
    const v6 = r.packument.versions.get('1.82.6')!;
    expect(v6.files![0]!.provenance).toBeUndefined();
    expect(v6.attestations).toBeUndefined();
    expect(r.packument.owners).toHaveLength(2);
  });

  it('406 from the Simple API degrades the same way', async () => {
    const { s: inner } = await index([litellm()]);
    const s = await serve(async (req, res) => {
      if ((req.url ?? '').startsWith('/simple/')) return sendJson(res, { message: 'Not Acceptable' }, { status: 406 });
      const r = await fetch(`${inner.url}${(req.url ?? '/').slice(1)}`);
      sendJson(res, await r.text(), { headers: { 'content-type': r.headers.get('content-type') ?? 'application/json' } });
    });
    const r = await client(`${s.url}simple/`).getPackument('litellm');
    expect(r.ok && r.packument.versions.size).toBe(3);
  });

  it('jsonApiUrl: null uses the Simple API alone; an explicit jsonApiUrl is used as the root', async () => {
    const { s } = await index([litellm()]);
    const only = client(`${s.url}simple/`, { jsonApiUrl: null });
    expect(only.apiRoot).toBeUndefined();
    expect((await only.getPackument('litellm')).ok).toBe(true);
    expect(s.requests.map((q) => q.path)).toEqual(['/simple/litellm/']);
    // an index URL that does not end in simple/ (the JSON API must then be named)
    const prefixed = await serve((req, res) => {
      const url = req.url ?? '/';
      if (!url.startsWith('/mirror/')) return sendJson(res, {}, { status: 404 });
      return fetch(`${s.url}${url.slice('/mirror/'.length).replace(/^idx\//, 'simple/')}`, { headers: { accept: String(req.headers.accept) } }).then(
        async (r) => sendJson(res, await r.text(), { status: r.status, headers: { 'content-type': r.headers.get('content-type') ?? '' } }),
      );
    });
    const c = client(`${prefixed.url}mirror/idx/`, { jsonApiUrl: `${prefixed.url}mirror/` });
    expect(c.apiRoot).toBe(`${prefixed.url}mirror/`);
    const r = await c.getPackument('litellm');
    expect(r.ok && r.packument.owners).toHaveLength(2);
    expect(client(`${prefixed.url}mirror/idx/`).apiRoot).toBeUndefined();
  });
});

describe('getProvenance: the Integrity API', () => {
  it('reads the Trusted Publisher of a release with provenance into comparable values', async () => {
    const { s } = await index([litellm()]);
    const c = client(`${s.url}simple/`);
    const p = await c.getProvenance('litellm', '1.82.6');
    expect(p).toEqual({
      repository: 'https://github.com/BerriAI/litellm',
      workflow: '.github/workflows/publish.yml',
      ref: 'refs/tags/v1.0',
      predicateType: 'https://slsa.dev/provenance/v1',
    });
    const integrity = s.requests.filter((q) => q.path.startsWith('/integrity/'));
    expect(integrity.map((q) => q.path)).toEqual(['/integrity/litellm/1.82.6/litellm-1.82.6-py3-none-any.whl/provenance']);
    // the project documents were read once, for the packument and the provenance alike
    await c.getPackument('litellm');
    expect(s.requests).toHaveLength(3);
  });

  it('null for a release without provenance (no request) and for an unknown version', async () => {
    const { s } = await index([litellm()]);
    const c = client(`${s.url}simple/`);
    expect(await c.getProvenance('litellm', '1.82.8')).toBeNull();
    expect(await c.getProvenance('litellm', '9.9.9')).toBeNull();
    expect(s.requests.filter((q) => q.path.startsWith('/integrity/'))).toHaveLength(0);
  });

  it('null when the Integrity API has no provenance after all (404)', async () => {
    const proj = litellm();
    proj.provenance = new Map();
    const { s } = await index([proj]);
    expect(await client(`${s.url}simple/`).getProvenance('litellm', '1.82.6')).toBeNull();
  });

  it('throws RegistryError for a malformed provenance object, a server error, or unreadable documents', async () => {
    const proj = litellm();
    proj.provenance = new Map([
      ['litellm-1.82.6-py3-none-any.whl', { version: 1, attestation_bundles: [{ publisher: { repository: 'x' }, attestations: [] }] }],
    ]);
    const { s } = await index([proj]);
    await expect(client(`${s.url}simple/`).getProvenance('litellm', '1.82.6')).rejects.toThrow(
      /invalid package index document: provenance document: attestation_bundles\.0\.publisher\.kind/,
    );
    const { s: down } = await index([litellm()]);
    const h = down.handler;
    down.handler = (req, res, seen) => ((req.url ?? '').startsWith('/integrity/') ? sendJson(res, {}, { status: 503 }) : h(req, res, seen));
    const err = await client(`${down.url}simple/`, { retries: 1 })
      .getProvenance('litellm', '1.82.6')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as Error).message).toBe('package index responded 503 Service Unavailable (after 2 attempts)');
    const { s: broken } = await index([]);
    broken.handler = (_req, res) => sendJson(res, '{"info":', { headers: { 'content-type': 'application/json' } });
    await expect(client(`${broken.url}simple/`, { retries: 0 }).getProvenance('litellm', '1.0')).rejects.toThrow(/invalid package index document/);
  });
});

describe('transport rules', () => {
  it('retries 5xx and then succeeds', async () => {
    const { s: inner } = await index([litellm()]);
    let failures = 2;
    const s = await serve(async (req, res) => {
      if (failures-- > 0) return sendJson(res, {}, { status: 502 });
      const r = await fetch(`${inner.url}${(req.url ?? '/').slice(1)}`, { headers: { accept: String(req.headers.accept) } });
      sendJson(res, await r.text(), { headers: { 'content-type': r.headers.get('content-type') ?? '' } });
    });
    const c = client(`${s.url}simple/`);
    expect((await c.getPackument('litellm')).ok).toBe(true);
    expect(c.stats().retries).toBe(2);
  });

  it('honours Retry-After on 429 instead of its own backoff, and gives up on a long one', async () => {
    const { s: inner } = await index([litellm()]);
    let limited = 1;
    const s = await serve(async (req, res) => {
      if ((req.url ?? '').startsWith('/pypi/') && limited-- > 0) return sendJson(res, {}, { status: 429, headers: { 'retry-after': '0' } });
      const r = await fetch(`${inner.url}${(req.url ?? '/').slice(1)}`, { headers: { accept: String(req.headers.accept) } });
      sendJson(res, await r.text(), { headers: { 'content-type': r.headers.get('content-type') ?? '' } });
    });
    const started = Date.now();
    // a backoff of a minute would time the test out: Retry-After: 0 is what is used
    expect((await client(`${s.url}simple/`, { backoffMs: 60_000 }).getPackument('litellm')).ok).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
    const slow = await serve((_req, res) => sendJson(res, {}, { status: 429, headers: { 'retry-after': '3600' } }));
    expect(await client(`${slow.url}simple/`).getPackument('x')).toEqual({
      ok: false,
      reason: 'rate limited by the package index (429); Retry-After of 3600s is too long',
    });
  });

  it('times out a silent server', async () => {
    const s = await serve(() => undefined);
    const r = await client(`${s.url}simple/`, { timeoutMs: 100, retries: 0 }).getPackument('x');
    expect(r).toEqual({ ok: false, reason: 'timed out after 100 ms' });
  });

  it('revalidates cached documents with ETags across reviews', async () => {
    const { s } = await index([litellm()], { etag: true });
    const c = client(`${s.url}simple/`);
    const first = await c.getPackument('litellm');
    const second = await c.review().getPackument('litellm');
    expect(s.requests).toHaveLength(4);
    expect(s.requests.slice(2).every((q) => typeof q.headers['if-none-match'] === 'string')).toBe(true);
    expect(c.stats().notModified).toBe(2);
    expect(second.ok && first.ok && second.packument.versions.get('1.82.8')!.files![0]!.sha256).toBe(SHA(PTH_WHEEL));
  });

  it('follows redirects; credentials go to the index origin only, never to another host or in reports', async () => {
    const files = await serve(() => undefined);
    const { s, state } = await index([litellm()], {}, files);
    files.handler = indexHandler(state, () => ({ base: s.url, fileBase: `${files.url}files/` }));
    // the JSON API redirects to another host, which must not get the credentials
    const other = await serve(indexHandler(state, () => ({ base: s.url, fileBase: `${files.url}files/` })));
    const h = s.handler;
    s.handler = (req, res, seen) => {
      if ((req.url ?? '').startsWith('/pypi/')) {
        res.writeHead(301, { location: `${other.url}${(req.url ?? '/').slice(1)}` });
        res.end();
        return;
      }
      return h(req, res, seen);
    };
    const infos: PypiRequestInfo[] = [];
    const base = new URL(s.url);
    const c = createPypiIndexClient({
      config: createPypiIndexConfig({ indexUrl: `http://alice:SeCrEt@${base.host}/simple/` }),
      backoffMs: 1,
      onRequest: (i) => infos.push(i),
    });
    const r = await c.getPackument('litellm');
    if (!r.ok) throw new Error(r.reason);
    const auth = `Basic ${Buffer.from('alice:SeCrEt').toString('base64')}`;
    expect(s.requests.every((q) => q.headers.authorization === auth)).toBe(true);
    expect(other.requests).toHaveLength(1);
    expect(other.requests[0]!.headers.authorization).toBeUndefined();
    expect(r.packument.owners).toHaveLength(2);
    const wheel = r.packument.versions.get('1.82.8')!.files![0]!;
    await c.listWheel(wheel);
    expect(files.requests.length).toBeGreaterThan(0);
    expect(files.requests.every((q) => q.headers.authorization === undefined)).toBe(true);
    expect(JSON.stringify(infos)).not.toMatch(/SeCrEt|alice/);
    expect(infos.some((i) => i.status === 301)).toBe(true);
  });

  it('refuses a redirect to a URL with credentials', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(302, { location: 'http://u:p@127.0.0.1:1/x' });
      res.end();
    });
    expect(await client(`${s.url}simple/`, { jsonApiUrl: null }).getPackument('x')).toEqual({ ok: false, reason: 'redirect to a URL with credentials' });
  });

  it('bounds document bodies', async () => {
    const { s } = await index([litellm()]);
    expect(await client(`${s.url}simple/`, { maxDocumentBytes: 2000 }).getPackument('litellm')).toEqual({
      ok: false,
      reason: 'package index document too large (over 2000 bytes)',
      failClosed: true,
    });
  });

  it('malformed documents are refused (fail closed); a malformed release or file is left out and its version marked', async () => {
    const get = async (json: string, simple: unknown) => {
      const s = await serve((req, res) =>
        (req.url ?? '').startsWith('/pypi/')
          ? sendJson(res, json, { headers: { 'content-type': 'application/json' } })
          : sendJson(res, simple, { headers: { 'content-type': 'application/vnd.pypi.simple.v1+json' } }),
      );
      return client(`${s.url}simple/`, { retries: 0 }).getPackument('x');
    };
    const reasonFor = async (json: string, simple: unknown) => {
      const r = await get(json, simple);
      if (r.ok) throw new Error('expected a failure');
      expect(r.failClosed).toBe(true);
      return r.reason;
    };
    const simple = { meta: { 'api-version': '1.1' }, name: 'x', files: [] };
    expect(await reasonFor('{"info": {', simple)).toBe('invalid package index document: JSON API document is not JSON');
    expect(await reasonFor('{"info": {"name": "x", "version": 1}}', simple)).toMatch(/^invalid package index document: JSON API document: info\.version: /);
    expect(await reasonFor('{"info": {"name": "x", "version": "1"}}', { ...simple, meta: { 'api-version': '2.0' } })).toBe(
      'invalid package index document: Simple API version 2.0 is not supported',
    );
    const release = await get('{"info": {"name": "x", "version": "2"}, "releases": {"1": [{"filename": "x-1.tar.gz", "url": 5}], "2": []}}', simple);
    if (!release.ok) throw new Error(release.reason);
    expect(release.packument.versions.get('1')?.dropped).toEqual(['files']);
    expect(release.packument.repairs?.dropped).toEqual(['1: files']);
    const file = await get('{"info": {"name": "x", "version": "1"}}', { ...simple, files: [{ filename: 'x-1.tar.gz', url: 'u', hashes: {}, yanked: 3 }] });
    if (!file.ok) throw new Error(file.reason);
    expect(file.packument.versions.get('1')?.dropped).toEqual(['files']);
  });

  it('keeps `__proto__` release keys as data', async () => {
    const s = await serve((req, res) =>
      (req.url ?? '').startsWith('/pypi/')
        ? sendJson(res, '{"info": {"name": "x", "version": "1"}, "releases": {"__proto__": [], "1": []}}', { headers: { 'content-type': 'application/json' } })
        : sendJson(res, {}, { status: 404 }),
    );
    const r = await client(`${s.url}simple/`).getPackument('x');
    if (!r.ok) throw new Error(r.reason);
    expect([...r.packument.versions.keys()].sort()).toEqual(['1', '__proto__']);
    expect(({} as Record<string, unknown>)['1']).toBeUndefined();
  });
});

describe('listWheel: range requests on the ZIP central directory', () => {
  function bigWheel(): Buffer {
    const members = [{ name: 'pkg/data.bin', data: Buffer.alloc(5 * 1024 * 1024, 1) }];
    for (let i = 0; i < 40; i++) members.push({ name: `pkg/mod${i}.py`, data: Buffer.from(`x = ${i}\n`) });
    members.push({ name: 'pkg_hook.pth', data: Buffer.from('import pkg\n') });
    return buildZip(members);
  }

  it('lists a multi-MB wheel reading only a few KB, and caches the listing', async () => {
    const body = bigWheel();
    const proj: ProjectSpec = {
      name: 'pkg',
      releases: [{ version: '1.0', files: [{ filename: 'pkg-1.0-py3-none-any.whl', body, uploadedAt: '2025-01-01T00:00:00Z' }] }],
    };
    const { s, state } = await index([proj]);
    const c = client(`${s.url}simple/`);
    const r = await c.getPackument('pkg');
    if (!r.ok) throw new Error(r.reason);
    const file = r.packument.versions.get('1.0')!.files![0]!;
    const listing = await c.listWheel(file);
    expect(listing.filename).toBe('pkg-1.0-py3-none-any.whl');
    expect(listing.members).toHaveLength(42);
    expect(listing.members).toContain('pkg_hook.pth');
    expect(body.length).toBeGreaterThan(5 * 1024 * 1024);
    expect(state.fileBytesSent).toBeLessThan(16 * 1024);
    const fileRequests = s.requests.filter((q) => q.path.startsWith('/files/'));
    expect(fileRequests[0]!.headers.range).toBe('bytes=-8192');
    expect(fileRequests[0]!.headers['accept-encoding']).toBe('identity');
    const before = s.requests.length;
    expect(await c.review().listWheel(file)).toEqual(listing);
    expect(s.requests.length).toBe(before);
  });

  it('falls back to a bounded download when the server ignores ranges', async () => {
    const small = pythonZip("zf.writestr('tiny/__init__.py', '')\nzf.writestr('tiny-1.0.dist-info/RECORD', '')");
    const proj: ProjectSpec = {
      name: 'tiny',
      releases: [
        {
          version: '1.0',
          files: [
            { filename: 'tiny-1.0-py3-none-any.whl', body: small, uploadedAt: '2025-01-01T00:00:00Z' },
            { filename: 'tiny-1.0-py2-none-any.whl', body: bigWheel(), uploadedAt: '2025-01-01T00:00:00Z' },
          ],
        },
      ],
    };
    const { s } = await index([proj], { ignoreRanges: true });
    const infos: PypiRequestInfo[] = [];
    const c = client(`${s.url}simple/`, { maxWheelDownloadBytes: 1024 * 1024, onRequest: (i) => infos.push(i) });
    const r = await c.getPackument('tiny');
    if (!r.ok) throw new Error(r.reason);
    const [a, b] = r.packument.versions.get('1.0')!.files!;
    expect((await c.listWheel(a!)).members).toEqual(['tiny/__init__.py', 'tiny-1.0.dist-info/RECORD']);
    expect(s.requests.filter((q) => q.path.startsWith('/files/'))).toHaveLength(1);
    await expect(c.listWheel(b!)).rejects.toThrow(
      /tiny-1\.0-py2-none-any\.whl: the file server ignores range requests and the wheel is larger than the download cap \(1048576 bytes\)/,
    );
    // the client stopped reading at the cap (the server had sent the whole file into the socket)
    const wheelReads = infos.filter((i) => i.kind === 'wheel');
    expect(wheelReads.map((i) => i.status)).toEqual([200, 200]);
    expect(wheelReads[0]!.bytes).toBe(small.length);
    expect(wheelReads[1]!.bytes).toBeLessThanOrEqual(1024 * 1024 + 64 * 1024);
  });

  it('lists a ZIP64 wheel written by Python over HTTP', async () => {
    const body = pythonZip("for i in range(66000):\n    zf.writestr(zipfile.ZipInfo(f'z/{i}.py'), b'')\nzf.writestr('z_init.pth', 'import z')");
    const proj: ProjectSpec = {
      name: 'z',
      releases: [{ version: '1', files: [{ filename: 'z-1-py3-none-any.whl', body, uploadedAt: '2025-01-01T00:00:00Z' }] }],
    };
    const { s, state } = await index([proj]);
    const c = client(`${s.url}simple/`);
    const r = await c.getPackument('z');
    if (!r.ok) throw new Error(r.reason);
    const listing = await c.listWheel(r.packument.versions.get('1')!.files![0]!);
    expect(listing.members).toHaveLength(66001);
    expect(listing.members[66000]).toBe('z_init.pth');
    expect(state.fileBytesSent).toBeLessThan(body.length);
  }, 60_000);

  it('fetches only files from the index’s own documents, only over http(s), only wheels', async () => {
    const { s } = await index([litellm()]);
    const c = client(`${s.url}simple/`);
    const forged: DistFile = { filename: 'evil-1.0-py3-none-any.whl', kind: 'wheel', url: `${s.url}files/x` };
    await expect(c.listWheel(forged)).rejects.toThrow("evil-1.0-py3-none-any.whl: not a file from the package index's documents");
    const r = await c.getPackument('litellm');
    if (!r.ok) throw new Error(r.reason);
    await expect(c.listWheel(r.packument.versions.get('1.82.8')!.files![1]!)).rejects.toThrow('litellm-1.82.8.tar.gz: not a wheel');
    expect(s.requests.filter((q) => q.path.startsWith('/files/'))).toHaveLength(0);
  });

  it('a broken wheel and a missing file are RegistryErrors naming the file', async () => {
    const proj: ProjectSpec = {
      name: 'bad',
      releases: [
        {
          version: '1',
          files: [
            { filename: 'bad-1-py3-none-any.whl', body: Buffer.from('not a zip file at all '.repeat(10)), uploadedAt: '2025-01-01T00:00:00Z' },
            { filename: 'bad-1-py2-none-any.whl', body: buildZip([{ name: 'a' }]), uploadedAt: '2025-01-01T00:00:00Z' },
          ],
        },
      ],
    };
    const { s, state } = await index([proj]);
    const c = client(`${s.url}simple/`);
    const r = await c.getPackument('bad');
    if (!r.ok) throw new Error(r.reason);
    const [broken, gone] = r.packument.versions.get('1')!.files!;
    await expect(c.listWheel(broken!)).rejects.toThrow(
      new RegistryError('bad-1-py3-none-any.whl: unreadable wheel: not a ZIP archive (no end of central directory record)'),
    );
    state.projects.get('bad')!.releases[0]!.files.pop();
    await expect(c.listWheel(gone!)).rejects.toThrow('bad-1-py2-none-any.whl: not found on the file server (404)');
  });
});

describe('provenanceFromPublisher', () => {
  it('GitHub and GitLab publishers map to repository URLs and workflow paths; other kinds to a comparable identity', () => {
    expect(provenanceFromPublisher({ kind: 'GitHub', repository: 'ultralytics/ultralytics', workflow: 'publish.yml', environment: null })).toEqual({
      repository: 'https://github.com/ultralytics/ultralytics',
      workflow: '.github/workflows/publish.yml',
    });
    expect(
      provenanceFromPublisher({
        kind: 'GitLab',
        repository: 'group/sub/proj',
        workflow_filepath: 'ci/release.yml',
        claims: { ref: 'refs/tags/v2', __proto__: 'x' },
      }),
    ).toEqual({
      repository: 'https://gitlab.com/group/sub/proj',
      workflow: 'ci/release.yml',
      ref: 'refs/tags/v2',
    });
    expect(provenanceFromPublisher({ kind: 'Google', email: 'release@proj.iam.gserviceaccount.test' })).toEqual({
      repository: 'google:release@proj.iam.gserviceaccount.test',
    });
    expect(provenanceFromPublisher({ kind: 'Unknown' })).toEqual({});
  });

  it('a provenance object: the first GitHub/GitLab bundle, the publish predicate when there is no SLSA statement', () => {
    const doc = githubProvenance('o/r', 'release.yml');
    (doc.attestation_bundles as unknown[]).unshift({ publisher: { kind: 'Google', email: 'x@y.test', claims: {} }, attestations: [] });
    expect(provenanceFromObject(doc)).toEqual({
      repository: 'https://github.com/o/r',
      workflow: '.github/workflows/release.yml',
      ref: 'refs/tags/v1.0',
      predicateType: 'pep740:publish/v1',
    });
    expect(() => provenanceFromObject({ version: 2, attestation_bundles: [] })).toThrow(/provenance document: version/);
    const garbled = githubProvenance('o/r', 'release.yml');
    (garbled.attestation_bundles as { attestations: { envelope: { statement: string } }[] }[])[0]!.attestations[0]!.envelope.statement = '!!!';
    expect(() => provenanceFromObject(garbled)).toThrow(/attestation statement/);
  });
});

describe('pure helpers', () => {
  it('project names, file kinds, versions from file names', () => {
    expect(isValidProjectName('Django')).toBe(true);
    expect(isValidProjectName('zope.interface')).toBe(true);
    expect(isValidProjectName('a')).toBe(true);
    expect(isValidProjectName('_x')).toBe(false);
    expect(distKind('x-1.0-py3-none-any.whl')).toBe('wheel');
    expect(distKind('x-1.0.tar.gz')).toBe('sdist');
    expect(distKind('x-1.0.zip')).toBe('sdist');
    expect(distKind('x-1.0-py2.7.egg')).toBe('other');
    expect(distKind('x-1.0.tar.gz', 'bdist_wininst')).toBe('other');
    expect(versionFromFilename('Foo_Bar-1.0rc1-1-cp312-cp312-manylinux_2_17_x86_64.whl', 'foo-bar')).toBe('1.0rc1');
    expect(versionFromFilename('foo-bar-2.0.tar.gz', 'foo-bar')).toBe('2.0');
    expect(versionFromFilename('foo_bar-2.0.post1.zip', 'foo-bar')).toBe('2.0.post1');
    expect(versionFromFilename('other-1.0.tar.gz', 'foo-bar')).toBeUndefined();
    expect(versionFromFilename('foo-bar-1.0-py3.whl', 'foo-bar')).toBeUndefined();
  });
});
