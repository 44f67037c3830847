import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ABBREVIATED_VERSION_FIELDS } from '../../test-support/packument.js';
import { startFixtureRegistry, type FixtureRegistry } from '../../test-support/fixture-registry.js';
import { readTar } from '../../test-support/tarball.js';
import { getJson, NPM_CORGI_ACCEPT, rawRequest } from './helpers.js';

const ABBREVIATED = 'application/vnd.npm.install-v1+json';

let reg: FixtureRegistry;
beforeAll(async () => {
  reg = await startFixtureRegistry();
});
afterAll(async () => {
  await reg.close();
});

describe('packuments: full vs abbreviated', () => {
  it('serves the full document without Accept, with time, publishers, maintainers, scripts and readme', async () => {
    const res = await getJson(`${reg.url}eslint-scope`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    const doc = res.json;
    expect(doc._id).toBe('eslint-scope');
    expect(doc['dist-tags'].latest).toBe('4.0.0');
    expect(doc.time['3.7.2']).toBe('2018-07-12T10:40:02.533Z');
    expect(doc.time.created).toBe(doc.time['3.6.0']);
    expect(doc.maintainers.map((m: { name: string }) => m.name)).toEqual(['eslint', 'ivolodin', 'nzakas']);
    expect(doc.readme).toMatch(/ESLint Scope/);
    const v372 = doc.versions['3.7.2'];
    expect(v372._npmUser.name).toBe('eslint');
    expect(v372.scripts.postinstall).toBe('node ./lib/build.js');
    expect(v372.gitHead).toBeUndefined();
    expect(doc.versions['3.7.1'].scripts.postinstall).toBeUndefined();
    expect(doc.versions['3.7.1'].gitHead).toMatch(/^[0-9a-f]{40}$/);
    // the fixture-only section is never served
    expect(doc._fixture).toBeUndefined();
  });

  it('serves the full document for Accept: application/json', async () => {
    const res = await getJson(`${reg.url}ua-parser-js`, { accept: 'application/json' });
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.json.time).toBeDefined();
    expect(res.json.versions['0.7.29']._npmUser).toEqual({ name: 'faisalman', email: 'faisalman@example.com' });
  });

  it("serves the abbreviated document for npm's Accept header", async () => {
    const res = await getJson(`${reg.url}eslint-scope`, { accept: NPM_CORGI_ACCEPT });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(ABBREVIATED);
    const doc = res.json;
    expect(Object.keys(doc).sort()).toEqual(['dist-tags', 'modified', 'name', 'versions']);
    expect(doc.modified).toBe('2018-07-12T10:40:02.533Z');
    for (const [version, v] of Object.entries<Record<string, unknown>>(doc.versions)) {
      for (const key of Object.keys(v)) expect(ABBREVIATED_VERSION_FIELDS).toContain(key);
      for (const gone of ['_npmUser', 'maintainers', 'scripts', 'time', 'readme', 'gitHead', 'repository']) {
        expect(v[gone]).toBeUndefined();
      }
      expect(v['version']).toBe(version);
    }
    expect(doc.versions['3.7.2'].hasInstallScript).toBe(true);
    expect(doc.versions['3.7.1'].hasInstallScript).toBeUndefined();
    expect(doc.versions['3.7.2'].dependencies).toEqual({ esrecurse: '^4.1.0', estraverse: '^4.1.1' });
    expect(doc.versions['3.7.2'].dist.integrity).toMatch(/^sha512-/);
  });

  it('flags preinstall as an install script, and keeps optionalDependencies, os, cpu, bin and engines', async () => {
    const ua = (await getJson(`${reg.url}ua-parser-js`, { accept: ABBREVIATED })).json;
    expect(ua.versions['0.7.29'].hasInstallScript).toBe(true);
    expect(ua.versions['0.7.28'].hasInstallScript).toBeUndefined();
    expect(ua.versions['0.7.28'].funding).toHaveLength(2);
    const esb = (await getJson(`${reg.url}esbuild`, { accept: ABBREVIATED })).json;
    expect(esb.versions['0.25.10'].hasInstallScript).toBe(true);
    expect(esb.versions['0.25.10'].bin).toEqual({ esbuild: 'bin/esbuild' });
    expect(Object.keys(esb.versions['0.25.10'].optionalDependencies)).toEqual(['@esbuild/darwin-arm64', '@esbuild/linux-x64', '@esbuild/win32-x64']);
    const linux = (await getJson(`${reg.url}@esbuild%2flinux-x64`, { accept: ABBREVIATED })).json;
    expect(linux.versions['0.25.10'].os).toEqual(['linux']);
    expect(linux.versions['0.25.10'].cpu).toEqual(['x64']);
    expect(linux.versions['0.25.10'].engines).toEqual({ node: '>=18' });
  });

  it('falls back to the full document when the abbreviated type is refused (q=0)', async () => {
    const res = await getJson(`${reg.url}axios`, { accept: `${ABBREVIATED}; q=0, application/json` });
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.json.time).toBeDefined();
  });

  it('serves scoped packages at /@scope%2fname and /@scope/name', async () => {
    const a = await getJson(`${reg.url}@isaacs%2fbrace-expansion`);
    const b = await getJson(`${reg.url}@isaacs/brace-expansion`);
    expect(a.status).toBe(200);
    expect(a.json.name).toBe('@isaacs/brace-expansion');
    expect(b.json).toEqual(a.json);
    expect(a.json.versions['5.0.0'].dist.tarball).toBe(`${reg.url}@isaacs/brace-expansion/-/brace-expansion-5.0.0.tgz`);
  });

  it('serves one version by number or dist-tag at /<name>/<version>', async () => {
    const byNumber = await getJson(`${reg.url}axios/1.14.0`);
    expect(byNumber.status).toBe(200);
    expect(byNumber.json._id).toBe('axios@1.14.0');
    const byTag = await getJson(`${reg.url}axios/latest`);
    expect(byTag.json.version).toBe('1.14.1');
    expect((await rawRequest(`${reg.url}axios/9.9.9`)).status).toBe(404);
  });

  it('models trusted publishing and its loss on axios', async () => {
    const doc = (await getJson(`${reg.url}axios`)).json;
    expect(doc.versions['1.14.0']._npmUser).toEqual({
      name: 'GitHub Actions',
      email: 'npm-oidc-no-reply@github.com',
      trustedPublisher: { id: 'github', oidcConfigId: expect.stringMatching(/^oidc:/) },
    });
    expect(doc.versions['1.14.0'].dist.attestations.provenance.predicateType).toBe('https://slsa.dev/provenance/v1');
    expect(doc.versions['1.14.1']._npmUser).toEqual({ name: 'jasonsaayman', email: 'ifstap@proton.me' });
    expect(doc.versions['1.14.1'].dist.attestations).toBeUndefined();
    expect(doc.versions['1.14.1'].dependencies['plain-crypto-js']).toBe('^4.2.1');
    const pcj = (await getJson(`${reg.url}plain-crypto-js`)).json;
    const created = Date.parse(pcj.time.created);
    expect(Date.parse(doc.time['1.14.1']) - created).toBeLessThan(24 * 3600 * 1000);
  });
});

describe('compression and caching', () => {
  it('gzips when the client accepts it, and the body is the same document', async () => {
    const plain = await rawRequest(`${reg.url}event-stream`, { accept: NPM_CORGI_ACCEPT });
    const gz = await rawRequest(`${reg.url}event-stream`, { accept: NPM_CORGI_ACCEPT, 'accept-encoding': 'gzip, deflate' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    expect(Number(gz.headers['content-length'])).toBe(gz.body.length);
    expect(gz.headers['vary']).toMatch(/Accept-Encoding/);
  });

  it('does not gzip when gzip is refused with q=0', async () => {
    const res = await rawRequest(`${reg.url}event-stream`, { 'accept-encoding': 'gzip;q=0, identity' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(res.body.toString('utf8')).name).toBe('event-stream');
  });

  it('answers 304 to a matching If-None-Match, with distinct ETags per representation', async () => {
    const full = await rawRequest(`${reg.url}axios`);
    const abbr = await rawRequest(`${reg.url}axios`, { accept: ABBREVIATED });
    const etag = full.headers['etag'] as string;
    expect(etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
    expect(abbr.headers['etag']).not.toBe(etag);
    const again = await rawRequest(`${reg.url}axios`, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers['etag']).toBe(etag);
    // the full document's ETag does not validate the abbreviated one
    const other = await rawRequest(`${reg.url}axios`, { accept: ABBREVIATED, 'if-none-match': etag });
    expect(other.status).toBe(200);
    const stale = await rawRequest(`${reg.url}axios`, { 'if-none-match': 'W/"0000"' });
    expect(stale.status).toBe(200);
  });

  it('answers HEAD with headers only', async () => {
    const res = await rawRequest(`${reg.url}axios`, {}, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(0);
    expect(Number(res.headers['content-length'])).toBeGreaterThan(1000);
  });
});

describe('tarballs', () => {
  it('serves tarballs whose sha512 and sha1 match dist.integrity and dist.shasum', async () => {
    const doc = (await getJson(`${reg.url}eslint-scope`)).json;
    for (const version of ['3.7.1', '3.7.2']) {
      const dist = doc.versions[version].dist;
      const tgz = await rawRequest(dist.tarball);
      expect(tgz.status).toBe(200);
      expect(tgz.headers['content-type']).toBe('application/octet-stream');
      expect(`sha512-${createHash('sha512').update(tgz.body).digest('base64')}`).toBe(dist.integrity);
      expect(createHash('sha1').update(tgz.body).digest('hex')).toBe(dist.shasum);
    }
  });

  it('packs package/package.json from the version manifest and the install script file', async () => {
    const doc = (await getJson(`${reg.url}eslint-scope`)).json;
    const tgz = await rawRequest(doc.versions['3.7.2'].dist.tarball);
    const files = readTar(gunzipSync(tgz.body));
    const pkg = JSON.parse(files.get('package/package.json')!.toString('utf8'));
    expect(pkg).toMatchObject({ name: 'eslint-scope', version: '3.7.2', scripts: { postinstall: 'node ./lib/build.js' } });
    expect(pkg._npmUser).toBeUndefined();
    expect([...files.keys()].sort()).toEqual(['package/lib/build.js', 'package/lib/index.js', 'package/package.json']);
    expect(doc.versions['3.7.2'].dist.fileCount).toBe(3);
    expect(doc.versions['3.7.2'].dist.unpackedSize).toBe([...files.values()].reduce((n, b) => n + b.length, 0));
    const older = readTar(gunzipSync((await rawRequest(doc.versions['3.7.1'].dist.tarball)).body));
    expect(older.has('package/lib/build.js')).toBe(false);
  });

  it('serves scoped tarballs at /@scope/name/-/name-<version>.tgz', async () => {
    const res = await rawRequest(`${reg.url}@esbuild/linux-x64/-/linux-x64-0.25.10.tgz`);
    expect(res.status).toBe(200);
    const pkg = JSON.parse(readTar(gunzipSync(res.body)).get('package/package.json')!.toString('utf8'));
    expect(pkg).toMatchObject({ name: '@esbuild/linux-x64', version: '0.25.10', os: ['linux'], cpu: ['x64'] });
  });

  it('builds the same bytes in every registry instance', async () => {
    const other = await startFixtureRegistry();
    try {
      const a = (await getJson(`${reg.url}plain-crypto-js`)).json.versions['4.2.1'].dist;
      const b = (await getJson(`${other.url}plain-crypto-js`)).json.versions['4.2.1'].dist;
      expect(other.url).not.toBe(reg.url);
      expect(b.integrity).toBe(a.integrity);
      expect(b.tarball).not.toBe(a.tarball);
    } finally {
      await other.close();
    }
  });

  it('404s an unknown tarball of a known package', async () => {
    const res = await rawRequest(`${reg.url}axios/-/axios-9.9.9.tgz`);
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body.toString('utf8'))).toEqual({ error: 'Not found' });
  });
});

describe('attestations', () => {
  function decodePayload(bundle: { dsseEnvelope: { payload: string; payloadType: string } }): any {
    expect(bundle.dsseEnvelope.payloadType).toBe('application/vnd.in-toto+json');
    return JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'));
  }

  it('decodes to the declared repository, workflow and ref, with the tarball digest as subject', async () => {
    const v = (await getJson(`${reg.url}axios`)).json.versions['1.14.0'];
    expect(v.dist.attestations.url).toBe(`${reg.url}-/npm/v1/attestations/axios@1.14.0`);
    const res = await getJson(v.dist.attestations.url);
    expect(res.status).toBe(200);
    const [prov, publish] = res.json.attestations;
    expect(prov.predicateType).toBe('https://slsa.dev/provenance/v1');
    expect(prov.bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    const statement = decodePayload(prov.bundle);
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.predicateType).toBe('https://slsa.dev/provenance/v1');
    expect(statement.predicate.buildDefinition.externalParameters.workflow).toEqual({
      ref: 'refs/heads/v1.x',
      repository: 'https://github.com/axios/axios',
      path: '.github/workflows/publish.yml',
    });
    const tgz = await rawRequest(v.dist.tarball);
    expect(statement.subject).toEqual([{ name: 'pkg:npm/axios@1.14.0', digest: { sha512: createHash('sha512').update(tgz.body).digest('hex') } }]);
    expect(publish.predicateType).toBe('https://github.com/npm/attestation/tree/main/specs/publish/v0.1');
    expect(decodePayload(publish.bundle).predicate).toEqual({ name: 'axios', version: '1.14.0', registry: reg.url.replace(/\/$/, '') });
  });

  it('encodes scoped names as the registry does (path %2f, purl %40)', async () => {
    const v = (await getJson(`${reg.url}@esbuild%2flinux-x64`)).json.versions['0.25.10'];
    expect(v.dist.attestations.url).toBe(`${reg.url}-/npm/v1/attestations/@esbuild%2flinux-x64@0.25.10`);
    const statement = decodePayload((await getJson(v.dist.attestations.url)).json.attestations[0].bundle);
    expect(statement.subject[0].name).toBe('pkg:npm/%40esbuild/linux-x64@0.25.10');
    expect(statement.predicate.buildDefinition.externalParameters.workflow.repository).toBe('https://github.com/evanw/esbuild');
  });

  it('404s versions without provenance', async () => {
    const res = await rawRequest(`${reg.url}-/npm/v1/attestations/axios@1.14.1`);
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body.toString('utf8'))).toEqual({ error: 'Not found' });
    // picocolors gains provenance in 1.1.1 only
    const pico = (await getJson(`${reg.url}picocolors`)).json;
    expect(pico.versions['1.1.0'].dist.attestations).toBeUndefined();
    expect((await rawRequest(`${reg.url}-/npm/v1/attestations/picocolors@1.1.0`)).status).toBe(404);
    expect((await rawRequest(pico.versions['1.1.1'].dist.attestations.url)).status).toBe(200);
  });
});

describe('not found', () => {
  it.each(['nope-not-a-package', '__proto__', 'constructor', 'hasOwnProperty', '@nope%2fthing', '-/whoami'])(
    '404s %s with the registry error body',
    async (name) => {
      const res = await rawRequest(`${reg.url}${name}`);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toBe('application/json');
      expect(JSON.parse(res.body.toString('utf8'))).toEqual({ error: 'Not found' });
    },
  );

  it('refuses writes', async () => {
    expect((await rawRequest(`${reg.url}axios`, {}, 'PUT')).status).toBe(405);
  });
});

describe('request log', () => {
  it('records method, path and Accept of every request, and no accept key when none was sent', async () => {
    const r = await startFixtureRegistry();
    try {
      await rawRequest(`${r.url}semver`, { accept: NPM_CORGI_ACCEPT });
      await rawRequest(`${r.url}@esbuild%2flinux-x64`);
      await rawRequest(`${r.url}semver/-/semver-7.7.3.tgz`, {}, 'HEAD');
      await rawRequest(`${r.url}missing?write=true`);
      expect(r.requests).toEqual([
        { method: 'GET', path: '/semver', accept: NPM_CORGI_ACCEPT },
        { method: 'GET', path: '/@esbuild%2flinux-x64' },
        { method: 'HEAD', path: '/semver/-/semver-7.7.3.tgz' },
        { method: 'GET', path: '/missing?write=true' },
      ]);
      expect('accept' in r.requests[1]!).toBe(false);
    } finally {
      await r.close();
    }
  });
});

describe('failNames', () => {
  it('answers the configured status for every route of that name, and only that name', async () => {
    const failNames = new Map<string, number | 'timeout'>([['axios', 503]]);
    const r = await startFixtureRegistry({ failNames });
    try {
      const res = await rawRequest(`${r.url}axios`);
      expect(res.status).toBe(503);
      expect(JSON.parse(res.body.toString('utf8'))).toEqual({ error: 'Service Unavailable' });
      expect((await rawRequest(`${r.url}axios/-/axios-1.14.0.tgz`)).status).toBe(503);
      expect((await rawRequest(`${r.url}-/npm/v1/attestations/axios@1.14.0`)).status).toBe(503);
      expect((await rawRequest(`${r.url}semver`)).status).toBe(200);
      // read at request time: a test can heal the name
      failNames.delete('axios');
      expect((await rawRequest(`${r.url}axios`)).status).toBe(200);
      failNames.set('semver', 429);
      expect((await rawRequest(`${r.url}semver`)).status).toBe(429);
    } finally {
      await r.close();
    }
  });

  it("hangs on 'timeout' and close() still returns", async () => {
    const r = await startFixtureRegistry({ failNames: new Map([['ua-parser-js', 'timeout']]) });
    const started = Date.now();
    await expect(rawRequest(`${r.url}ua-parser-js`, {}, 'GET', 400)).rejects.toThrow(/timeout after 400 ms/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(r.requests.map((q) => q.path)).toEqual(['/ua-parser-js']);
    // a hung request is still open when close() runs: it must not wait for it
    const hung = rawRequest(`${r.url}ua-parser-js`, {}, 'GET', 10_000).catch((e: Error) => e);
    await new Promise((res) => setTimeout(res, 50));
    const closing = Date.now();
    await r.close();
    expect(Date.now() - closing).toBeLessThan(1000);
    // the client sees the connection dropped, not an answer (and not its own 10 s timeout)
    expect(((await hung) as Error).message).toMatch(/socket hang up|ECONNRESET/);
  });
});

describe('custom fixture directories', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lockwarden-fixture-test-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function write(file: string, doc: object): void {
    writeFileSync(join(dir, file), JSON.stringify(doc));
  }
  const base = (name: string, versions: Record<string, object>, extra: object = {}) => ({
    _id: name,
    name,
    'dist-tags': { latest: Object.keys(versions).at(-1) },
    time: { created: '2020-01-01T00:00:00.000Z', modified: '2020-02-01T00:00:00.000Z' },
    versions: Object.fromEntries(Object.entries(versions).map(([v, m]) => [v, { name, version: v, dist: {}, ...m }])),
    ...extra,
  });

  it('keeps a deliberately fixed integrity and shasum as written', async () => {
    const wrong = `sha512-${Buffer.alloc(64, 7).toString('base64')}`;
    write(
      'x.json',
      base('tampered', { '1.0.0': {}, '1.0.1': { dist: { integrity: wrong, shasum: 'f'.repeat(40) } } }, { _fixture: { fixedIntegrity: ['1.0.1'] } }),
    );
    const r = await startFixtureRegistry({ dir });
    try {
      const doc = (await getJson(`${r.url}tampered`)).json;
      expect(doc.versions['1.0.1'].dist.integrity).toBe(wrong);
      expect(doc.versions['1.0.1'].dist.shasum).toBe('f'.repeat(40));
      const tgz = await rawRequest(doc.versions['1.0.1'].dist.tarball);
      expect(`sha512-${createHash('sha512').update(tgz.body).digest('base64')}`).not.toBe(wrong);
      // versions not listed are computed as usual
      const ok = await rawRequest(doc.versions['1.0.0'].dist.tarball);
      expect(`sha512-${createHash('sha512').update(ok.body).digest('base64')}`).toBe(doc.versions['1.0.0'].dist.integrity);
    } finally {
      await r.close();
    }
  });

  it('treats gypfile: true as an install script and packs binding.gyp, and adds fixture files', async () => {
    write('n.json', base('native-thing', { '2.0.0': { gypfile: true } }, { _fixture: { files: { '2.0.0': { 'src/addon.cc': '// addon\n' } } } }));
    const r = await startFixtureRegistry({ dir });
    try {
      const abbr = (await getJson(`${r.url}native-thing`, { accept: ABBREVIATED })).json;
      expect(abbr.versions['2.0.0'].hasInstallScript).toBe(true);
      const full = (await getJson(`${r.url}native-thing`)).json;
      const files = readTar(gunzipSync((await rawRequest(full.versions['2.0.0'].dist.tarball)).body));
      expect(files.has('package/binding.gyp')).toBe(true);
      expect(files.get('package/src/addon.cc')!.toString()).toBe('// addon\n');
    } finally {
      await r.close();
    }
  });

  it('keeps a __proto__ version key as data', async () => {
    writeFileSync(
      join(dir, 'p.json'),
      '{"_id":"weird","name":"weird","dist-tags":{"latest":"1.0.0"},"versions":{"1.0.0":{"name":"weird","version":"1.0.0","dist":{}},"__proto__":{"name":"weird","version":"__proto__","dist":{}}}}',
    );
    const r = await startFixtureRegistry({ dir });
    try {
      const abbr = await rawRequest(`${r.url}weird`, { accept: ABBREVIATED });
      const parsed = JSON.parse(abbr.body.toString('utf8'));
      expect(Object.keys(parsed.versions).sort()).toEqual(['1.0.0', '__proto__']);
      expect(({} as Record<string, unknown>)['version']).toBeUndefined();
    } finally {
      await r.close();
    }
  });

  it('rejects a version that declares attestations without provenance facts', async () => {
    write('a.json', base('attested', { '1.0.0': { dist: { attestations: { provenance: { predicateType: 'https://slsa.dev/provenance/v1' } } } } }));
    await expect(startFixtureRegistry({ dir })).rejects.toThrow(/_fixture\.provenance\["1\.0\.0"\] is missing/);
  });

  it('rejects two files defining the same package', async () => {
    write('a.json', base('dup', { '1.0.0': {} }));
    write('b.json', base('dup', { '1.0.1': {} }));
    await expect(startFixtureRegistry({ dir })).rejects.toThrow(/already defined/);
  });
});
