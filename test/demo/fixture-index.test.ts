/**
 * The fixture package index serves the public index's document shapes: the JSON API, the Simple
 * API as PEP 503 HTML or PEP 691 JSON by Accept, the Integrity API (PEP 740), PEP 658 metadata and
 * files with byte ranges, and redirects non-normalised names.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  blake2b256Hex,
  buildProject,
  latestRelease,
  loadProjectDocs,
  negotiate,
  parseProjectDoc,
  parseRange,
  startFixtureIndex,
  type FixtureIndex,
} from '../../test-support/fixture-index.js';
import { readZipCentralDirectory } from '../../test-support/wheel.js';
import { getJson, rawRequest } from './helpers.js';

const PIP_ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01';

let idx: FixtureIndex;
beforeAll(async () => {
  idx = await startFixtureIndex();
});
afterAll(async () => {
  await idx.close();
});

function pathOf(url: string): string {
  return new URL(url).pathname;
}

describe('JSON API', () => {
  it('serves /pypi/<project>/json with info, every release, urls, ownership and sorted compact keys', async () => {
    const res = await rawRequest(`${idx.url}pypi/litellm/json`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    const text = res.body.toString('utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).not.toMatch(/": /); // compact separators
    const doc = JSON.parse(text);
    expect(Object.keys(doc)).toEqual(['info', 'last_serial', 'ownership', 'releases', 'urls', 'vulnerabilities']);
    expect(doc.info.name).toBe('litellm');
    expect(doc.info.version).toBe('1.82.8'); // the latest release
    expect(doc.info.requires_dist).toEqual(['click', 'httpx>=0.23.0', 'jinja2<4.0.0,>=3.1.2', 'python-dotenv>=0.2.0']);
    expect(doc.info.yanked).toBe(false);
    expect(doc.ownership).toEqual({
      organization: 'BerriAI',
      roles: [
        { role: 'Owner', user: 'ishaan-jaff' },
        { role: 'Owner', user: 'krrishdholakia' },
      ],
    });
    expect(Object.keys(doc.releases)).toEqual([
      '0.1.1',
      '1.0.0',
      '1.55.0',
      '1.82.0',
      '1.82.1',
      '1.82.2',
      '1.82.3',
      '1.82.4',
      '1.82.5',
      '1.82.6',
      '1.82.7',
      '1.82.8',
    ]);
    expect(res.headers['x-pypi-last-serial']).toBe(String(doc.last_serial));
    const wheel = doc.releases['1.82.8'].find((f: { packagetype: string }) => f.packagetype === 'bdist_wheel');
    expect(Object.keys(wheel).sort()).toEqual(
      [
        'comment_text',
        'core-metadata',
        'digests',
        'downloads',
        'filename',
        'has_sig',
        'md5_digest',
        'packagetype',
        'python_version',
        'requires_python',
        'size',
        'upload_time',
        'upload_time_iso_8601',
        'url',
        'yanked',
        'yanked_reason',
      ].sort(),
    );
    expect(wheel.filename).toBe('litellm-1.82.8-py3-none-any.whl');
    expect(wheel.python_version).toBe('py3');
    expect(wheel.upload_time).toBe('2026-03-24T10:52:09');
    expect(wheel.upload_time_iso_8601).toBe('2026-03-24T10:52:09Z');
    expect(wheel.uploaded_via).toBeUndefined(); // the public JSON API does not carry it
    expect(doc.urls).toEqual(doc.releases['1.82.8']);
    const sdist = doc.releases['1.82.8'].find((f: { packagetype: string }) => f.packagetype === 'sdist');
    expect(sdist.python_version).toBe('source');
    expect(sdist['core-metadata']).toBe(false);
    // the digests are those of the bytes served at url
    const file = await rawRequest(wheel.url);
    expect(file.status).toBe(200);
    expect(file.body.length).toBe(wheel.size);
    expect(createHash('sha256').update(file.body).digest('hex')).toBe(wheel.digests.sha256);
    expect(createHash('md5').update(file.body).digest('hex')).toBe(wheel.digests.md5);
    expect(wheel.md5_digest).toBe(wheel.digests.md5);
    const b = wheel.digests.blake2b_256;
    expect(blake2b256Hex(file.body)).toBe(b);
    expect(pathOf(wheel.url)).toBe(`/packages/${b.slice(0, 2)}/${b.slice(2, 4)}/${b.slice(4)}/litellm-1.82.8-py3-none-any.whl`);
  });

  it('serves one release at /pypi/<project>/<version>/json without releases', async () => {
    const res = await getJson(`${idx.url}pypi/ultralytics/8.3.40/json`);
    expect(res.status).toBe(200);
    expect(res.json.releases).toBeUndefined();
    expect(res.json.info.version).toBe('8.3.40');
    expect(res.json.urls.map((f: { filename: string }) => f.filename)).toEqual(['ultralytics-8.3.40-py3-none-any.whl', 'ultralytics-8.3.40.tar.gz']);
    const slash = await getJson(`${idx.url}pypi/ultralytics/8.3.40/json/`);
    expect(slash.json).toEqual(res.json);
    expect((await rawRequest(`${idx.url}pypi/ultralytics/9.9.9/json`)).status).toBe(404);
    expect((await rawRequest(`${idx.url}pypi/no-such-project/json`)).status).toBe(404);
  });

  it('marks yanked releases with their reason, and the project document skips them for info', async () => {
    const doc = (await getJson(`${idx.url}pypi/ultralytics/json`)).json;
    expect(doc.info.version).toBe('8.3.41');
    for (const f of doc.releases['8.3.39']) {
      expect(f.yanked).toBe(true);
      expect(f.yanked_reason).toBe('Broken ONNX export');
    }
    expect(doc.releases['8.3.40'][0].yanked_reason).toBeNull();
    const one = (await getJson(`${idx.url}pypi/ultralytics/8.3.39/json`)).json;
    expect(one.info.yanked).toBe(true);
    expect(one.info.yanked_reason).toBe('Broken ONNX export');
  });

  it('redirects non-normalised names to the PEP 503 name', async () => {
    for (const [from, to] of [
      ['pypi/MarkupSafe/json', '/pypi/markupsafe/json'],
      ['pypi/PyYAML/6.0.2/json', '/pypi/pyyaml/6.0.2/json'],
      ['pypi/python_dotenv/json/', '/pypi/python-dotenv/json/'],
    ] as const) {
      const res = await rawRequest(`${idx.url}${from}`);
      expect({ from, status: res.status, location: res.headers['location'] }).toEqual({ from, status: 301, location: to });
    }
  });
});

describe('Simple API', () => {
  it('serves PEP 503 HTML by default, with sha256 fragments, requires-python, metadata and provenance attributes', async () => {
    const res = await rawRequest(`${idx.url}simple/pyyaml/`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html');
    expect(res.headers['vary']).toBe('Accept');
    const html = res.body.toString('utf8');
    expect(html).toContain('<meta name="pypi:repository-version" content="1.4">');
    expect(html).toContain('<title>Links for pyyaml</title>');
    const anchors = [...html.matchAll(/<a href="([^"#]+)#sha256=([0-9a-f]{64})" ([^>]*)>([^<]+)<\/a>/g)];
    const json = (await getJson(`${idx.url}pypi/pyyaml/json`)).json;
    const all = Object.values<Array<{ filename: string; digests: { sha256: string }; url: string }>>(json.releases).flat();
    expect(anchors.map((a) => a[4]).sort()).toEqual(all.map((f) => f.filename).sort());
    for (const [, href, sha, attrs, filename] of anchors) {
      const f = all.find((x) => x.filename === filename)!;
      expect({ filename, href, sha }).toEqual({ filename, href: f.url, sha: f.digests.sha256 });
      expect(attrs).toContain('data-requires-python="&gt;=');
      expect(attrs).toMatch(/data-provenance="http:\/\/127\.0\.0\.1:\d+\/integrity\/pyyaml\//);
      if (filename!.endsWith('.whl')) expect(attrs).toMatch(/data-dist-info-metadata="sha256=[0-9a-f]{64}" data-core-metadata="sha256=[0-9a-f]{64}"/);
      else expect(attrs).not.toContain('core-metadata');
    }
    // a yanked file carries data-yanked with the reason
    const u = (await rawRequest(`${idx.url}simple/ultralytics/`)).body.toString('utf8');
    expect(u).toMatch(/data-yanked="Broken ONNX export"[^>]*>ultralytics-8\.3\.39-py3-none-any\.whl</);
    // files uploaded with a token have no data-provenance
    expect(u).not.toMatch(/data-provenance="[^"]*"[^>]*>ultralytics-8\.3\.41/);
    expect(u).toMatch(/data-provenance="[^"]*"[^>]*>ultralytics-8\.3\.40-py3-none-any\.whl</);
  });

  it("serves PEP 691 JSON for pip's Accept header, with versions, upload-time, size, yanked and provenance", async () => {
    const res = await rawRequest(`${idx.url}simple/litellm/`, { accept: PIP_ACCEPT });
    expect(res.headers['content-type']).toBe('application/vnd.pypi.simple.v1+json');
    const doc = JSON.parse(res.body.toString('utf8'));
    expect(doc.meta['api-version']).toBe('1.4');
    expect(doc.name).toBe('litellm');
    expect(doc['project-status']).toEqual({ status: 'active' });
    expect(doc.versions).toEqual(['0.1.1', '1.0.0', '1.55.0', '1.82.0', '1.82.1', '1.82.2', '1.82.3', '1.82.4', '1.82.5', '1.82.6', '1.82.7', '1.82.8']);
    const w6 = doc.files.find((f: { filename: string }) => f.filename === 'litellm-1.82.6-py3-none-any.whl');
    const w8 = doc.files.find((f: { filename: string }) => f.filename === 'litellm-1.82.8-py3-none-any.whl');
    expect(w8['upload-time']).toBe('2026-03-24T10:52:09Z');
    expect(w8.yanked).toBe(false);
    expect(w8.provenance).toBeNull();
    expect(w6.provenance).toBe(`${idx.url}integrity/litellm/1.82.6/litellm-1.82.6-py3-none-any.whl/provenance`);
    expect(w8['core-metadata']).toEqual({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(w8['data-dist-info-metadata']).toEqual(w8['core-metadata']);
    expect(w8.size).toBeGreaterThan(90_000);
    const uy = JSON.parse((await rawRequest(`${idx.url}simple/ultralytics/`, { accept: PIP_ACCEPT })).body.toString('utf8'));
    expect(uy.files.find((f: { filename: string }) => f.filename === 'ultralytics-8.3.39.tar.gz').yanked).toBe('Broken ONNX export');
  });

  it('chooses the representation by Accept q-values and falls back to HTML', async () => {
    const html = await rawRequest(`${idx.url}simple/idna/`, { accept: 'application/vnd.pypi.simple.v1+json; q=0.1, text/html' });
    expect(html.headers['content-type']).toBe('text/html');
    const v1html = await rawRequest(`${idx.url}simple/idna/`, { accept: 'application/vnd.pypi.simple.v1+html' });
    expect(v1html.headers['content-type']).toBe('application/vnd.pypi.simple.v1+html');
    expect(v1html.body.toString()).toContain('<h1>Links for idna</h1>');
    const none = await rawRequest(`${idx.url}simple/idna/`, { accept: 'image/png' });
    expect(none.headers['content-type']).toBe('text/html');
    expect(negotiate('*/*', ['a/b', 'c/d'])).toBe('a/b');
    expect(negotiate('c/*;q=0.5, a/b;q=0', ['a/b', 'c/d'])).toBe('c/d');
    expect(negotiate('x/y', ['a/b'])).toBeUndefined();
  });

  it('serves the project list at /simple/ in both forms', async () => {
    const html = (await rawRequest(`${idx.url}simple/`)).body.toString('utf8');
    expect(html).toContain('<a href="/simple/markupsafe/">MarkupSafe</a>');
    const json = JSON.parse((await rawRequest(`${idx.url}simple/`, { accept: PIP_ACCEPT })).body.toString('utf8'));
    expect(json.projects.map((p: { name: string }) => p.name)).toContain('PyYAML');
    expect(json.projects).toHaveLength(idx.projects.size);
  });

  it('redirects non-normalised names and the path without its slash', async () => {
    for (const [from, to] of [
      ['simple/MarkupSafe/', '/simple/markupsafe/'],
      ['simple/Python.Dotenv/', '/simple/python-dotenv/'],
      ['simple/litellm', '/simple/litellm/'],
    ] as const) {
      const res = await rawRequest(`${idx.url}${from}`);
      expect({ from, status: res.status, location: res.headers['location'] }).toEqual({ from, status: 301, location: to });
    }
    expect((await rawRequest(`${idx.url}simple/not-a-project/`)).status).toBe(404);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await rawRequest(`${idx.url}simple/certifi/`);
    const again = await rawRequest(`${idx.url}simple/certifi/`, { 'if-none-match': String(first.headers['etag']) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });
});

describe('Integrity API (PEP 740)', () => {
  it('serves the provenance object with the Trusted Publisher of an attested file', async () => {
    const file = 'ultralytics-8.3.40-py3-none-any.whl';
    const res = await rawRequest(`${idx.url}integrity/ultralytics/8.3.40/${file}/provenance`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.pypi.integrity.v1+json');
    const doc = JSON.parse(res.body.toString('utf8'));
    expect(doc.version).toBe(1);
    expect(doc.attestation_bundles).toHaveLength(1);
    const bundle = doc.attestation_bundles[0];
    expect(bundle.publisher).toEqual({ claims: null, environment: '', kind: 'GitHub', repository: 'ultralytics/ultralytics', workflow: 'publish.yml' });
    const att = bundle.attestations[0];
    expect(att.version).toBe(1);
    expect(att.verification_material.transparency_entries[0].kindVersion).toEqual({ kind: 'dsse', version: '0.0.1' });
    const statement = JSON.parse(Buffer.from(att.envelope.statement, 'base64').toString('utf8'));
    const served = (await getJson(`${idx.url}pypi/ultralytics/8.3.40/json`)).json.urls.find((f: { filename: string }) => f.filename === file);
    expect(statement).toEqual({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: file, digest: { sha256: served.digests.sha256 } }],
      predicateType: 'pep740:publish/v1',
      predicate: null,
    });
    const lit = JSON.parse((await rawRequest(`${idx.url}integrity/litellm/1.82.6/litellm-1.82.6.tar.gz/provenance`)).body.toString('utf8'));
    expect(lit.attestation_bundles[0].publisher).toMatchObject({ repository: 'BerriAI/litellm', workflow: 'publish_to_pypi.yml', environment: 'pypi' });
  });

  it('answers 404 with a message for files uploaded without provenance, and 406 for other media types', async () => {
    const res = await getJson(`${idx.url}integrity/litellm/1.82.8/litellm-1.82.8-py3-none-any.whl/provenance`);
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ message: 'No provenance available for litellm-1.82.8-py3-none-any.whl' });
    expect((await rawRequest(`${idx.url}integrity/litellm/1.82.8/nope.whl/provenance`)).status).toBe(404);
    const json = await rawRequest(`${idx.url}integrity/litellm/1.82.6/litellm-1.82.6.tar.gz/provenance`, { accept: 'application/json' });
    expect(json.headers['content-type']).toBe('application/json');
    expect((await rawRequest(`${idx.url}integrity/litellm/1.82.6/litellm-1.82.6.tar.gz/provenance`, { accept: 'text/html' })).status).toBe(406);
  });
});

describe('files, PEP 658 metadata and ranges', () => {
  async function wheelUrl(project: string, version: string): Promise<{ url: string; size: number; meta: string }> {
    const doc = (await getJson(`${idx.url}pypi/${project}/${version}/json`)).json;
    const w = doc.urls.find((f: { packagetype: string }) => f.packagetype === 'bdist_wheel');
    return { url: w.url, size: w.size, meta: w['core-metadata'].sha256 };
  }

  it('serves <wheel>.metadata with the hash the Simple API announces', async () => {
    const { url, meta } = await wheelUrl('litellm', '1.82.8');
    const res = await rawRequest(`${url}.metadata`);
    expect(res.status).toBe(200);
    expect(createHash('sha256').update(res.body).digest('hex')).toBe(meta);
    const text = res.body.toString('utf8');
    expect(text).toMatch(/^Metadata-Version: 2\.1\nName: litellm\nVersion: 1\.82\.8\n/);
    expect(text).toContain('Requires-Dist: httpx>=0.23.0\n');
  });

  it('answers a suffix range with 206 and the ZIP central directory, naming the .pth member', async () => {
    const { url, size } = await wheelUrl('litellm', '1.82.8');
    const before = idx.requests.length;
    const res = await rawRequest(url, { range: 'bytes=-4096' });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes ${size - 4096}-${size - 1}/${size}`);
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.body.length).toBe(4096);
    const members = readZipCentralDirectory(res.body, size).map((e) => e.path);
    expect(members).toContain('litellm_init.pth');
    expect(members).toContain('litellm-1.82.8.dist-info/RECORD');
    const log = idx.requests.slice(before);
    expect(log).toEqual([{ method: 'GET', path: pathOf(url), range: 'bytes=-4096', status: 206, bytes: 4096 }]);
    // the previous release has no .pth
    const prev = await wheelUrl('litellm', '1.82.6');
    const prevTail = await rawRequest(prev.url, { range: 'bytes=-4096' });
    expect(
      readZipCentralDirectory(prevTail.body, prev.size)
        .map((e) => e.path)
        .some((p) => p.endsWith('.pth')),
    ).toBe(false);
  });

  it('answers start-end and open-ended ranges, clamps the end, and gives 416 past the end', async () => {
    const { url, size } = await wheelUrl('idna', '3.10');
    const whole = (await rawRequest(url)).body;
    const a = await rawRequest(url, { range: 'bytes=0-3' });
    expect(a.status).toBe(206);
    expect(a.body.toString('latin1')).toBe('PK\x03\x04');
    const b = await rawRequest(url, { range: `bytes=${size - 10}-` });
    expect(b.body.equals(whole.subarray(size - 10))).toBe(true);
    const c = await rawRequest(url, { range: `bytes=5-${size + 100}` });
    expect(c.headers['content-range']).toBe(`bytes 5-${size - 1}/${size}`);
    const d = await rawRequest(url, { range: `bytes=${size}-` });
    expect(d.status).toBe(416);
    expect(d.headers['content-range']).toBe(`bytes */${size}`);
    const e = await rawRequest(url, { range: 'bytes=-0' });
    expect(e.status).toBe(416);
    // a suffix longer than the file is the whole file
    const f = await rawRequest(url, { range: `bytes=-${size * 2}` });
    expect(f.status).toBe(206);
    expect(f.body.equals(whole)).toBe(true);
    // several ranges or another unit: the whole body
    expect((await rawRequest(url, { range: 'bytes=0-1,4-5' })).status).toBe(200);
    expect((await rawRequest(url, { range: 'items=0-1' })).status).toBe(200);
    expect(parseRange('bytes=9-3', 100)).toEqual({ kind: 'none' });
  });

  it('ignores Range when ignoreRange is set, and logs the bytes sent', async () => {
    const { url, size } = await wheelUrl('litellm', '1.82.8');
    idx.ignoreRange = true;
    try {
      const before = idx.requests.length;
      const res = await rawRequest(url, { range: 'bytes=-4096' });
      expect(res.status).toBe(200);
      expect(res.headers['accept-ranges']).toBeUndefined();
      expect(res.body.length).toBe(size);
      expect(idx.requests.slice(before)).toEqual([{ method: 'GET', path: pathOf(url), range: 'bytes=-4096', status: 200, bytes: size }]);
    } finally {
      idx.ignoreRange = false;
    }
    expect((await rawRequest(url, { range: 'bytes=-10' })).status).toBe(206);
  });

  it('answers HEAD with the length and no body', async () => {
    const { url, size } = await wheelUrl('click', '8.1.7');
    const res = await rawRequest(url, {}, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(String(size));
    expect(res.body.length).toBe(0);
    expect(idx.requests[idx.requests.length - 1]).toMatchObject({ method: 'HEAD', status: 200, bytes: 0 });
  });
});

describe('failures and documents', () => {
  it('fails the requests of configured names with a status or a timeout', async () => {
    const failNames = new Map<string, number | 'timeout'>([['idna', 503]]);
    const local = await startFixtureIndex({ failNames });
    try {
      expect((await rawRequest(`${local.url}simple/idna/`)).status).toBe(503);
      expect((await rawRequest(`${local.url}pypi/IDNA/json`)).status).toBe(503);
      expect((await rawRequest(`${local.url}simple/certifi/`)).status).toBe(200);
      failNames.set('idna', 'timeout');
      await expect(rawRequest(`${local.url}pypi/idna/json`, {}, 'GET', 300)).rejects.toThrow(/timeout/);
    } finally {
      await local.close();
    }
  });

  it('builds the same bytes every time', () => {
    const docs = loadProjectDocs(fileURLToPath(new URL('../../examples/pypi/index/', import.meta.url)));
    const a = buildProject(docs.get('litellm')!);
    const b = buildProject(docs.get('litellm')!);
    expect(a.releases.flatMap((r) => r.files.map((f) => f.sha256))).toEqual(b.releases.flatMap((r) => r.files.map((f) => f.sha256)));
  });

  it('picks the latest release like the index: not yanked, then final, then highest', () => {
    const mk = (releases: Record<string, object>) =>
      buildProject(
        parseProjectDoc(
          {
            name: 'demo-pkg',
            releases: Object.fromEntries(Object.entries(releases).map(([v, r]) => [v, { upload_time: '2024-01-01T00:00:00Z', files: [], ...r }])),
          },
          'x.json',
        ),
      );
    expect(latestRelease(mk({ '1.0': {}, '2.0': { yanked: 'bad' }, '3.0rc1': {} }))!.version).toBe('1.0');
    expect(latestRelease(mk({ '2.0': { yanked: true }, '3.0rc1': {} }))!.version).toBe('3.0rc1');
    expect(latestRelease(mk({ '1.0': { yanked: true }, '1.1': { yanked: true } }))!.version).toBe('1.1');
  });

  it('rejects malformed documents with the file and the path of the problem', () => {
    const bad: Array<[unknown, RegExp]> = [
      [{ name: 'x', releases: { '1.0': { files: [{ wheel: 'py3-none-any' }] } } }, /releases\.1\.0\.files\.0: upload_time missing/],
      [{ name: 'x', releases: { 'not a version': { upload_time: '2024-01-01T00:00:00Z', files: [] } } }, /not a PEP 440 version/],
      [JSON.parse('{"name":"x","releases":{"__proto__":{"upload_time":"2024-01-01T00:00:00Z","files":[]}}}'), /__proto__: not a PEP 440 version/],
      [{ name: 'x', releases: { '1.0': { upload_time: 'yesterday', files: [] } } }, /upload_time/],
      [
        { name: 'x', releases: { '1.0': { upload_time: '2024-01-01T00:00:00Z', files: [{ wheel: 'py3-none-any', extra_members: { '../evil.pth': 'x' } }] } } },
        /extra_members/,
      ],
      [{ name: 'x', releases: { '1.0': { upload_time: '2024-01-01T00:00:00Z', files: [{ sdist: true }, { sdist: true }] } } }, /a second sdist/],
      [
        { name: 'x', releases: { '1.0': { upload_time: '2024-01-01T00:00:00Z', files: [{ wheel: 'py3-none-any' }, { wheel: 'py3-none-any' }] } } },
        /a second wheel/,
      ],
      [{ name: 'x', releases: { '1.0': {}, '1.0.0': {} } }, /files/],
      [
        { name: 'x', releases: { '1.0': { upload_time: '2024-01-01T00:00:00Z', files: [] }, '1.0.0': { upload_time: '2024-01-01T00:00:00Z', files: [] } } },
        /the same version as 1\.0/,
      ],
      [{ name: 'x', surprise: 1, releases: {} }, /surprise|Unrecognized/],
      [{ name: '-bad-', releases: {} }, /name/],
    ];
    for (const [doc, message] of bad) expect(() => parseProjectDoc(doc, 'doc.json')).toThrow(message);
    expect(() => parseProjectDoc({ name: 'x', releases: {} }, 'doc.json')).not.toThrow();
  });

  it('requires documents to be named by the PEP 503 name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockwarden-index-'));
    try {
      writeFileSync(join(dir, 'My_Pkg.json'), JSON.stringify({ name: 'My_Pkg', releases: {} }));
      expect(() => loadProjectDocs(dir)).toThrow(/must be named my-pkg\.json/);
      rmSync(join(dir, 'My_Pkg.json'));
      writeFileSync(join(dir, 'broken.json'), '{ "name": ');
      expect(() => loadProjectDocs(dir)).toThrow(/broken\.json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
