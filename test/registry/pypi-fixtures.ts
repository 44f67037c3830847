/**
 * A small package index for the client tests, served on 127.0.0.1 by test/registry/server.ts:
 * documents shaped like the real index's JSON API (`/pypi/<name>/json`), Simple API JSON
 * (`/simple/<name>/`, PEP 691/700/592/740) and Integrity API (`/integrity/<name>/<v>/<file>/provenance`),
 * plus a file server with HTTP Range support that counts the bytes it sends.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, type Handler } from './server.js';

export interface FileSpec {
  filename: string;
  /** Served bytes (a wheel built by the test); default a few bytes of text. */
  body?: Buffer;
  uploadedAt: string;
  yanked?: string | true;
  provenance?: boolean;
  uploadedVia?: string;
}

export interface ReleaseSpec {
  version: string;
  files: FileSpec[];
}

export interface ProjectSpec {
  name: string;
  releases: ReleaseSpec[];
  latest?: string;
  requiresDist?: string[];
  owners?: { role: string; user: string }[];
  /** filename → provenance object served by the Integrity API. */
  provenance?: Map<string, unknown>;
}

export const SHA = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const bodyOf = (f: FileSpec): Buffer => f.body ?? Buffer.from(`contents of ${f.filename}\n`);

function jsonApiFile(f: FileSpec, fileBase: string): Record<string, unknown> {
  const b = bodyOf(f);
  const at = new Date(f.uploadedAt);
  return {
    comment_text: '',
    'core-metadata': false,
    digests: { blake2b_256: 'ab'.repeat(32), md5: 'cd'.repeat(16), sha256: SHA(b) },
    downloads: -1,
    filename: f.filename,
    has_sig: false,
    md5_digest: 'cd'.repeat(16),
    packagetype: f.filename.endsWith('.whl') ? 'bdist_wheel' : 'sdist',
    python_version: f.filename.endsWith('.whl') ? 'py3' : 'source',
    requires_python: '>=3.9',
    size: b.length,
    upload_time: at.toISOString().slice(0, 19),
    upload_time_iso_8601: at.toISOString().replace('Z', '123Z').replace('.000123Z', '.000123Z'),
    url: `${fileBase}${f.filename}`,
    yanked: f.yanked !== undefined,
    yanked_reason: typeof f.yanked === 'string' ? f.yanked : null,
    ...(f.uploadedVia ? { uploaded_via: f.uploadedVia } : {}),
  };
}

/** `GET /pypi/<name>/json` as the index answers it. */
export function jsonApiDocument(p: ProjectSpec, fileBase: string): Record<string, unknown> {
  const latest = p.latest ?? p.releases[p.releases.length - 1]?.version ?? '0';
  const releases: Record<string, unknown> = {};
  for (const r of p.releases) releases[r.version] = r.files.map((f) => jsonApiFile(f, fileBase));
  const latestFiles = p.releases.find((r) => r.version === latest)?.files ?? [];
  return {
    info: {
      author: '',
      author_email: 'Someone <someone@example.test>',
      bugtrack_url: null,
      classifiers: ['Programming Language :: Python :: 3'],
      description: 'Long description. '.repeat(50),
      description_content_type: 'text/markdown',
      docs_url: null,
      download_url: '',
      downloads: { last_day: -1, last_month: -1, last_week: -1 },
      dynamic: [],
      home_page: '',
      keywords: '',
      license: 'MIT',
      name: p.name,
      package_url: `${fileBase}project/${p.name}/`,
      platform: null,
      project_urls: { Source: `https://github.com/example/${p.name}` },
      provides_extra: [],
      release_url: `${fileBase}project/${p.name}/${latest}/`,
      requires_dist: p.requiresDist ?? null,
      requires_python: '>=3.9',
      summary: 'A project',
      version: latest,
      yanked: false,
      yanked_reason: null,
    },
    last_serial: 1234,
    releases,
    urls: latestFiles.map((f) => jsonApiFile(f, fileBase)),
    vulnerabilities: [],
    ...(p.owners ? { ownership: { roles: p.owners, organization: null } } : {}),
  };
}

/** `GET /simple/<name>/` with `Accept: application/vnd.pypi.simple.v1+json`. */
export function simpleDocument(p: ProjectSpec, fileBase: string, integrityBase: string): Record<string, unknown> {
  const files = p.releases.flatMap((r) =>
    r.files.map((f) => {
      const b = bodyOf(f);
      return {
        'core-metadata': false,
        'data-dist-info-metadata': false,
        filename: f.filename,
        hashes: { sha256: SHA(b) },
        'requires-python': '>=3.9',
        size: b.length,
        'upload-time': new Date(f.uploadedAt).toISOString().replace('.000Z', '.000123Z'),
        url: `${fileBase}${f.filename}`,
        yanked: f.yanked ?? false,
        provenance: f.provenance ? `${integrityBase}integrity/${p.name}/${r.version}/${f.filename}/provenance` : null,
      };
    }),
  );
  return { meta: { 'api-version': '1.3', '_last-serial': 1234 }, name: p.name, versions: p.releases.map((r) => r.version), files, 'alternate-locations': [] };
}

/** A PEP 740 provenance object for a GitHub Trusted Publisher. */
export function githubProvenance(
  repository: string,
  workflow: string,
  opts: { environment?: string; slsa?: boolean; filename?: string } = {},
): Record<string, unknown> {
  const statement = (predicateType: string, predicate: unknown) =>
    Buffer.from(
      JSON.stringify({
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: opts.filename ?? 'x-1.0-py3-none-any.whl', digest: { sha256: 'ab'.repeat(32) } }],
        predicateType,
        predicate,
      }),
    ).toString('base64');
  const attestation = (st: string) => ({
    version: 1,
    verification_material: { certificate: 'MIIC0zCCAlmg', transparency_entries: [{ logIndex: '1', kindVersion: { kind: 'dsse', version: '0.0.1' } }] },
    envelope: { statement: st, signature: 'MEUCIAvk' },
  });
  const attestations = [attestation(statement('pep740:publish/v1', null))];
  if (opts.slsa) {
    attestations.push(
      attestation(
        statement('https://slsa.dev/provenance/v1', {
          buildDefinition: {
            externalParameters: { workflow: { repository: `https://github.com/${repository}`, path: `.github/workflows/${workflow}`, ref: 'refs/tags/v1.0' } },
          },
        }),
      ),
    );
  }
  return {
    version: 1,
    attestation_bundles: [
      {
        publisher: { kind: 'GitHub', repository, workflow, environment: opts.environment ?? null, claims: { ref: 'refs/tags/v1.0', sha: 'c'.repeat(40) } },
        attestations,
      },
    ],
  };
}

export interface IndexState {
  projects: Map<string, ProjectSpec>;
  /** Bytes of file bodies sent (ranges included). */
  fileBytesSent: number;
  /** The file server ignores Range headers (answers 200 with the whole file). */
  ignoreRanges?: boolean;
  /** Send ETags and answer 304 to a matching If-None-Match. */
  etag?: boolean;
  /** Which routes exist. */
  jsonApi?: boolean;
  simpleJson?: boolean;
}

function serveFile(req: IncomingMessage, res: ServerResponse, body: Buffer, state: IndexState): void {
  const range = String(req.headers.range ?? '');
  let m: RegExpExecArray | null;
  if (!state.ignoreRanges && (m = /^bytes=(\d*)-(\d*)$/.exec(range))) {
    let start: number;
    let end: number;
    if (m[1] === '') {
      const n = Number(m[2]);
      start = Math.max(0, body.length - n);
      end = body.length - 1;
    } else {
      start = Number(m[1]);
      end = m[2] === '' ? body.length - 1 : Math.min(Number(m[2]), body.length - 1);
    }
    if (start >= body.length || start > end) {
      res.writeHead(416, { 'content-range': `bytes */${body.length}` });
      res.end();
      return;
    }
    const part = body.subarray(start, end + 1);
    state.fileBytesSent += part.length;
    res.writeHead(206, {
      'content-type': 'application/octet-stream',
      'content-range': `bytes ${start}-${end}/${body.length}`,
      'content-length': String(part.length),
      'accept-ranges': 'bytes',
    });
    res.end(part);
    return;
  }
  state.fileBytesSent += body.length;
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) });
  res.end(body);
}

/**
 * The index handler. `base` is the server's own URL (for the absolute file and provenance URLs in
 * documents); `fileBase` may point at another server (a separate file host).
 */
export function indexHandler(state: IndexState, urls: () => { base: string; fileBase: string }): Handler {
  return (req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    const { base, fileBase } = urls();
    const send = (doc: unknown, contentType: string) => {
      const text = JSON.stringify(doc);
      const headers: Record<string, string> = { 'content-type': contentType };
      if (state.etag) {
        const etag = `"${createHash('sha1').update(text).digest('hex')}"`;
        headers.etag = etag;
        if (req.headers['if-none-match'] === etag) {
          res.writeHead(304, headers);
          res.end();
          return;
        }
      }
      sendJson(res, text, { headers, gzip: String(req.headers['accept-encoding'] ?? '').includes('gzip') });
    };
    let m: RegExpExecArray | null;
    if ((m = /^\/pypi\/([^/]+)\/json$/.exec(path)) && state.jsonApi !== false) {
      const p = state.projects.get(m[1]!);
      if (!p) return sendJson(res, { message: 'Not Found' }, { status: 404 });
      return send(jsonApiDocument(p, fileBase), 'application/json');
    }
    if ((m = /^\/simple\/([^/]+)\/$/.exec(path))) {
      const p = state.projects.get(m[1]!);
      if (!p) return sendJson(res, { message: 'Not Found' }, { status: 404 });
      if (state.simpleJson === false || !String(req.headers.accept ?? '').includes('application/vnd.pypi.simple.v1+json')) {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body><a href="x">x</a></body></html>');
        return;
      }
      return send(simpleDocument(p, fileBase, base), 'application/vnd.pypi.simple.v1+json');
    }
    if ((m = /^\/integrity\/([^/]+)\/([^/]+)\/([^/]+)\/provenance$/.exec(path))) {
      const doc = state.projects.get(m[1]!)?.provenance?.get(m[3]!);
      if (doc === undefined) return sendJson(res, { message: 'Not Found' }, { status: 404 });
      return send(doc, 'application/vnd.pypi.integrity.v1+json');
    }
    if ((m = /^\/files\/([^/]+)$/.exec(path))) {
      for (const p of state.projects.values()) {
        for (const r of p.releases) {
          const f = r.files.find((x) => x.filename === m![1]);
          if (f) return serveFile(req, res, bodyOf(f), state);
        }
      }
    }
    sendJson(res, { message: 'Not Found' }, { status: 404 });
  };
}
