/**
 * A tiny registry-shaped HTTP server on 127.0.0.1 for the registry tests, plus builders for
 * documents shaped like the real registry's (full and abbreviated packuments, attestations).
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';

export interface SeenRequest {
  method: string;
  /** Path and query as sent (still escaped). */
  path: string;
  headers: IncomingHttpHeaders;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void | Promise<void>;

export interface TestServer {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  port: number;
  requests: SeenRequest[];
  /** Highest number of requests being answered at the same time. */
  maxConcurrent: number;
  handler: Handler;
  close(): Promise<void>;
}

export async function startServer(handler: Handler): Promise<TestServer> {
  let active = 0;
  const state: TestServer = {
    url: '',
    port: 0,
    requests: [],
    maxConcurrent: 0,
    handler,
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    const seen: SeenRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers };
    state.requests.push(seen);
    active++;
    state.maxConcurrent = Math.max(state.maxConcurrent, active);
    res.on('close', () => active--);
    Promise.resolve(state.handler(req, res, seen)).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(599);
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  state.port = port;
  state.url = `http://127.0.0.1:${port}/`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

export interface SendOptions {
  status?: number;
  headers?: Record<string, string>;
  gzip?: boolean;
}

export function sendJson(res: ServerResponse, body: unknown, opts: SendOptions = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  let payload: Buffer = Buffer.from(text, 'utf8');
  const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
  if (opts.gzip) {
    payload = gzipSync(payload);
    headers['content-encoding'] = 'gzip';
  }
  headers['content-length'] = String(payload.length);
  res.writeHead(opts.status ?? 200, headers);
  res.end(payload);
}

export const ABBREVIATED_ACCEPT = 'application/vnd.npm.install-v1+json';

export interface VersionSpec {
  version: string;
  time?: string;
  npmUser?: { name: string; email?: string; trustedPublisher?: { id: string; oidcConfigId?: string } };
  maintainers?: { name: string; email?: string }[];
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  gypfile?: boolean;
  deprecated?: string;
  repository?: string | { type: string; url: string };
  integrity?: string;
  shasum?: string;
  provenance?: boolean;
}

/** A FULL packument shaped like the registry's (with the fields lockwarden drops, too). */
export function fullPackument(name: string, versions: VersionSpec[], registryUrl = 'http://127.0.0.1:1/'): Record<string, unknown> {
  const time: Record<string, string> = { created: versions[0]?.time ?? '2020-01-01T00:00:00.000Z' };
  const vs: Record<string, unknown> = {};
  for (const v of versions) {
    if (v.time) time[v.version] = v.time;
    const file = `${name.split('/').pop()}-${v.version}.tgz`;
    vs[v.version] = {
      name,
      version: v.version,
      description: `The ${name} package`,
      main: 'index.js',
      license: 'MIT',
      keywords: ['test', 'fixture'],
      author: { name: 'Someone', email: 'someone@example.test' },
      ...(v.scripts ? { scripts: v.scripts } : {}),
      ...(v.dependencies ? { dependencies: v.dependencies } : {}),
      devDependencies: { jest: '^30.0.0' },
      ...(v.gypfile !== undefined ? { gypfile: v.gypfile } : {}),
      ...(v.deprecated ? { deprecated: v.deprecated } : {}),
      ...(v.repository ? { repository: v.repository } : {}),
      gitHead: 'a'.repeat(40),
      _id: `${name}@${v.version}`,
      _nodeVersion: '20.11.0',
      _npmVersion: '10.2.4',
      dist: {
        integrity: v.integrity ?? `sha512-${Buffer.from(`${name}@${v.version}`).toString('base64')}`,
        shasum: v.shasum ?? 'b'.repeat(40),
        tarball: `${registryUrl}${name}/-/${file}`,
        fileCount: 3,
        unpackedSize: 1234,
        signatures: [{ keyid: 'SHA256:fixture', sig: 'MEUCIQ' }],
        ...(v.provenance
          ? {
              attestations: {
                url: `${registryUrl}-/npm/v1/attestations/${name}@${v.version}`,
                provenance: { predicateType: 'https://slsa.dev/provenance/v1' },
              },
            }
          : {}),
      },
      ...(v.npmUser ? { _npmUser: v.npmUser } : {}),
      ...(v.maintainers ? { maintainers: v.maintainers } : {}),
      directories: {},
      _hasShrinkwrap: false,
    };
  }
  const last = versions[versions.length - 1];
  time.modified = last?.time ?? time.created!;
  return {
    _id: name,
    _rev: '3-abcdef',
    name,
    'dist-tags': last ? { latest: last.version } : {},
    versions: vs,
    time,
    maintainers: last?.maintainers ?? [],
    description: `The ${name} package`,
    readme: `# ${name}\n\n${'Long readme text. '.repeat(200)}`,
    readmeFilename: 'README.md',
    license: 'MIT',
  };
}

const ABBREVIATED_VERSION_FIELDS = [
  'name',
  'version',
  'dependencies',
  'optionalDependencies',
  'devDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'bundleDependencies',
  'bin',
  'directories',
  'engines',
  'os',
  'cpu',
  '_hasShrinkwrap',
  'deprecated',
  'dist',
  'funding',
];

/** The abbreviated ("corgi") document the registry derives from a full one. */
export function abbreviate(full: Record<string, unknown>): Record<string, unknown> {
  const versions: Record<string, unknown> = {};
  for (const [v, m] of Object.entries(full.versions as Record<string, Record<string, unknown>>)) {
    const out: Record<string, unknown> = {};
    for (const f of ABBREVIATED_VERSION_FIELDS) if (m[f] !== undefined) out[f] = m[f];
    const scripts = (m.scripts ?? {}) as Record<string, string>;
    if (scripts.preinstall || scripts.install || scripts.postinstall || m.gypfile) out.hasInstallScript = true;
    versions[v] = out;
  }
  return { name: full.name, 'dist-tags': full['dist-tags'], versions, modified: (full.time as Record<string, string>).modified };
}

/** An in-toto statement wrapped like the registry's attestations endpoint answers. */
export function attestationsDocument(statement: Record<string, unknown>, predicateType: string): Record<string, unknown> {
  const publish = {
    _type: 'https://in-toto.io/Statement/v1',
    predicateType: 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1',
    predicate: { name: 'x', version: '1.0.0', registry: 'fixture' },
  };
  const bundle = (payload: unknown) => ({
    mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.2',
    verificationMaterial: { publicKey: { hint: 'fixture' }, tlogEntries: [] },
    dsseEnvelope: {
      payload: Buffer.from(JSON.stringify(payload)).toString('base64'),
      payloadType: 'application/vnd.in-toto+json',
      signatures: [{ sig: 'MEQCIF', keyid: '' }],
    },
  });
  return {
    attestations: [
      { predicateType: publish.predicateType, bundle: bundle(publish) },
      { predicateType, bundle: bundle({ ...statement, predicateType }) },
    ],
  };
}

export function slsaV1Statement(repository: string, path: string, ref: string): Record<string, unknown> {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'pkg:npm/x@1.0.0', digest: { sha512: 'ab' } }],
    predicate: {
      buildDefinition: {
        buildType: 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
        externalParameters: { workflow: { ref, repository, path } },
        internalParameters: { github: { event_name: 'push' } },
        resolvedDependencies: [{ uri: `git+${repository}@${ref}`, digest: { gitCommit: 'c'.repeat(40) } }],
      },
      runDetails: { builder: { id: 'https://github.com/actions/runner/github-hosted' }, metadata: { invocationId: 'x' } },
    },
  };
}

export function slsaV02Statement(uri: string, entryPoint: string): Record<string, unknown> {
  return {
    _type: 'https://in-toto.io/Statement/v0.1',
    subject: [{ name: 'pkg:npm/x@1.0.0', digest: { sha512: 'ab' } }],
    predicate: {
      buildType: 'https://github.com/npm/cli/gha/v2',
      builder: { id: 'https://github.com/actions/runner' },
      invocation: { configSource: { uri, digest: { sha1: 'c'.repeat(40) }, entryPoint }, parameters: {}, environment: {} },
      metadata: {},
      materials: [],
    },
  };
}

export interface RegistryContent {
  /** Full packuments keyed by package name. */
  packuments: Map<string, Record<string, unknown>>;
  /** Attestations documents keyed by `name@version`. */
  attestations?: Map<string, Record<string, unknown>>;
  /** gzip answers when the client accepts it. */
  gzip?: boolean;
  /** Send an ETag and answer 304 to a matching If-None-Match. */
  etag?: boolean;
}

/** Serves packuments (full or abbreviated by Accept) and attestations under `prefix`, like the registry. */
export function registryHandler(content: RegistryContent, prefix = '/'): Handler {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (!path.startsWith(prefix)) return sendJson(res, { error: 'Not found' }, { status: 404 });
    const rest = path.slice(prefix.length);
    const accepts = String(req.headers['accept-encoding'] ?? '');
    const gzip = content.gzip === true && accepts.includes('gzip');
    let body: unknown;
    if (rest.startsWith('-/npm/v1/attestations/')) {
      const spec = decodeURIComponent(rest.slice('-/npm/v1/attestations/'.length));
      body = content.attestations?.get(spec);
    } else {
      const full = content.packuments.get(decodeURIComponent(rest));
      if (full) body = String(req.headers.accept ?? '').includes(ABBREVIATED_ACCEPT) ? abbreviate(full) : full;
    }
    if (body === undefined) return sendJson(res, { error: 'Not found' }, { status: 404 });
    const text = JSON.stringify(body);
    const headers: Record<string, string> = {};
    if (content.etag) {
      const etag = `"${createHash('sha1').update(text).digest('hex')}"`;
      headers.etag = etag;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
    }
    sendJson(res, text, { headers, gzip });
  };
}
