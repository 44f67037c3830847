/**
 * A local npm registry serving fixture documents shaped like the real registry's, for lockwarden's
 * tests, its bundled example and its demo.
 *
 * Fixtures are FULL packuments (`examples/registry/*.json`, one per package). At start-up the server
 * builds each version's tarball deterministically in memory, computes its `integrity`/`shasum`, and
 * writes those, its own origin (`dist.tarball`, `dist.attestations.url`), `fileCount` and
 * `unpackedSize` into the documents it serves. A fixture may carry a top-level `_fixture` object, which
 * is never served:
 *
 * ```jsonc
 * "_fixture": {
 *   // build facts for versions whose stored dist declares `attestations` (provenance)
 *   "provenance": { "1.14.0": { "repository": "https://github.com/axios/axios",
 *                               "workflow": ".github/workflows/publish.yml",
 *                               "ref": "refs/heads/v1.x", "commit": "<40 hex>" } },
 *   // extra or replacement files for a version's tarball (paths relative to `package/`)
 *   "files": { "1.14.0": { "index.js": "..." } },
 *   // versions whose stored dist.integrity / dist.shasum are kept as written (deliberately wrong)
 *   "fixedIntegrity": ["1.0.1"]
 * }
 * ```
 *
 * Only ever listens on 127.0.0.1. Every request is recorded in `requests`.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { attestationsResponse, SLSA_PROVENANCE_V1, type ProvenanceDeclaration } from './attestations.js';
import { abbreviatePackument, ABBREVIATED_MEDIA_TYPE, INSTALL_SCRIPT_NAMES, isObject } from './packument.js';
import { listen, requestPath } from './local-server.js';
import { createTgz, type TarEntry } from './tarball.js';
import { repoRoot } from './repo-root.js';

type JsonObject = Record<string, unknown>;

export interface FixtureRegistryOptions {
  /** Directory of packument fixtures (default: the repository's `examples/registry`). */
  dir?: string;
  host?: '127.0.0.1';
  /** 0 (default) picks a free port. */
  port?: number;
  /**
   * Package names whose requests (packument, version, tarball, attestations) fail: with this HTTP
   * status, or `'timeout'` to accept the request and never answer. Read at request time, so a test may
   * change the map between requests.
   */
  failNames?: Map<string, number | 'timeout'>;
  /** Packuments built in memory, shaped like fixture files (`_fixture` too): served instead of `dir`'s unless `dir` is given. */
  documents?: readonly Record<string, unknown>[];
  /** Archives served as they are for `name@version` (real tarballs): the documents' dist is computed from them. */
  archives?: ReadonlyMap<string, Buffer>;
}

export interface FixtureRequest {
  method: string;
  /** The request target as sent (path and query). */
  path: string;
  accept?: string;
}

export interface FixtureRegistry {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  close(): Promise<void>;
  requests: FixtureRequest[];
}

/** The repository's `examples/registry`, found relative to this module (works from `test-support/` and `dist-support/`). */
export function defaultFixtureDir(): string {
  return join(repoRoot(), 'examples', 'registry') + sep;
}

// ---------------------------------------------------------------------------------------------
// Loading fixtures

interface FixtureExtras {
  provenance: Map<string, ProvenanceDeclaration>;
  files: Map<string, Map<string, string>>;
  fixedIntegrity: Set<string>;
}

interface LoadedFixture {
  file: string;
  doc: JsonObject;
  extras: FixtureExtras;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function readExtras(raw: unknown, file: string): FixtureExtras {
  const extras: FixtureExtras = { provenance: new Map(), files: new Map(), fixedIntegrity: new Set() };
  if (raw === undefined) return extras;
  if (!isObject(raw)) throw new Error(`${file}: _fixture must be an object`);
  const prov = raw['provenance'];
  if (isObject(prov)) {
    for (const [version, d] of Object.entries(prov)) {
      if (!isObject(d)) throw new Error(`${file}: _fixture.provenance["${version}"] must be an object`);
      const repository = str(d['repository']);
      const workflow = str(d['workflow']);
      const ref = str(d['ref']);
      const commit = str(d['commit']);
      if (!repository || !workflow || !ref || !commit) {
        throw new Error(`${file}: _fixture.provenance["${version}"] needs repository, workflow, ref and commit`);
      }
      const decl: ProvenanceDeclaration = { repository, workflow, ref, commit };
      const eventName = str(d['eventName']);
      const runId = str(d['runId']);
      if (eventName) decl.eventName = eventName;
      if (runId) decl.runId = runId;
      extras.provenance.set(version, decl);
    }
  }
  const files = raw['files'];
  if (isObject(files)) {
    for (const [version, entries] of Object.entries(files)) {
      if (!isObject(entries)) throw new Error(`${file}: _fixture.files["${version}"] must be an object`);
      const m = new Map<string, string>();
      for (const [path, content] of Object.entries(entries)) {
        if (typeof content !== 'string') throw new Error(`${file}: _fixture.files["${version}"]["${path}"] must be a string`);
        m.set(path, content);
      }
      extras.files.set(version, m);
    }
  }
  const fixed = raw['fixedIntegrity'];
  if (Array.isArray(fixed)) for (const v of fixed) if (typeof v === 'string') extras.fixedIntegrity.add(v);
  return extras;
}

/** Reads every `*.json` packument in `dir`, keyed by package name. */
export function loadFixtures(dir: string): Map<string, LoadedFixture> {
  const out = new Map<string, LoadedFixture>();
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  for (const f of names) {
    const file = join(dir, f);
    addFixture(out, JSON.parse(readFileSync(file, 'utf8')), file);
  }
  return out;
}

/** Adds one packument (a fixture file's parsed content, or a document built in memory) under its name. */
function addFixture(out: Map<string, LoadedFixture>, parsed: unknown, file: string): void {
  if (!isObject(parsed)) throw new Error(`${file}: not a JSON object`);
  const name = str(parsed['name']);
  if (!name) throw new Error(`${file}: missing "name"`);
  if (!isObject(parsed['versions'])) throw new Error(`${file}: missing "versions"`);
  if (out.has(name)) throw new Error(`${file}: package ${name} is already defined by ${out.get(name)!.file}`);
  const extras = readExtras(parsed['_fixture'], file);
  const doc: JsonObject = { ...parsed };
  delete doc['_fixture'];
  out.set(name, { file, doc, extras });
}

/** The fixtures a registry serves: `dir`'s (default unless documents are given), then the in-memory documents. */
function fixturesOf(opts: FixtureRegistryOptions): Map<string, LoadedFixture> {
  const out = opts.dir !== undefined || opts.documents === undefined ? loadFixtures(opts.dir ?? defaultFixtureDir()) : new Map<string, LoadedFixture>();
  for (const doc of opts.documents ?? []) addFixture(out, doc, `document ${String(doc['name'])}`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Tarballs

const STUB_JS =
  "'use strict';\n" + '// lockwarden fixture: stands in for the file the real package shipped here. It does nothing.\n' + 'process.exitCode = 0;\n';

/** Fields of a version manifest that go into the tarball's package.json, in this order. */
const TARBALL_MANIFEST_FIELDS = [
  'name',
  'version',
  'description',
  'keywords',
  'homepage',
  'bugs',
  'license',
  'author',
  'type',
  'main',
  'bin',
  'scripts',
  'dependencies',
  'optionalDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'bundleDependencies',
  'engines',
  'os',
  'cpu',
  'libc',
  'gypfile',
  'funding',
  'repository',
];

function safeRelPath(p: string): string | undefined {
  const clean = p.replace(/^\.\//, '');
  if (!clean || clean.startsWith('/') || clean.split('/').some((s) => s === '..' || s === '' || s === '.')) return undefined;
  return clean;
}

/** Files the manifest refers to: main, bin targets, and scripts run as `node <file>` at install time. */
function referencedFiles(manifest: JsonObject): Map<string, number> {
  const files = new Map<string, number>();
  const main = str(manifest['main']);
  files.set(safeRelPath(main ?? 'index.js') ?? 'index.js', 0o644);
  const bin = manifest['bin'];
  if (typeof bin === 'string') {
    const p = safeRelPath(bin);
    if (p) files.set(p, 0o755);
  } else if (isObject(bin)) {
    for (const target of Object.values(bin)) {
      const p = typeof target === 'string' ? safeRelPath(target) : undefined;
      if (p) files.set(p, 0o755);
    }
  }
  const scripts = manifest['scripts'];
  if (isObject(scripts)) {
    for (const name of INSTALL_SCRIPT_NAMES) {
      const script = str(scripts[name]);
      if (!script) continue;
      for (const m of script.matchAll(/\bnode\s+([^\s&|;]+\.js)\b/g)) {
        const p = safeRelPath(m[1]!);
        if (p && !files.has(p)) files.set(p, 0o644);
      }
    }
  }
  if (manifest['gypfile'] === true) files.set('binding.gyp', 0o644);
  return files;
}

function tarballManifest(manifest: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const f of TARBALL_MANIFEST_FIELDS) if (manifest[f] !== undefined) out[f] = manifest[f];
  return out;
}

/** The deterministic tarball of one version: `package/package.json` plus the files it refers to. */
export function buildVersionTarball(manifest: JsonObject, extraFiles?: Map<string, string>): { tgz: Buffer; fileCount: number; unpackedSize: number } {
  const entries = new Map<string, TarEntry>();
  entries.set('package.json', { path: 'package/package.json', content: `${JSON.stringify(tarballManifest(manifest), null, 2)}\n` });
  for (const [p, mode] of referencedFiles(manifest)) {
    if (p === 'package.json') continue;
    const content = p === 'binding.gyp' ? '{ "targets": [] }\n' : mode === 0o755 ? `#!/usr/bin/env node\n${STUB_JS}` : STUB_JS;
    entries.set(p, { path: `package/${p}`, content, mode });
  }
  if (extraFiles) {
    for (const [p, content] of extraFiles) {
      const rel = safeRelPath(p);
      if (!rel) throw new Error(`fixture file path not allowed: ${p}`);
      entries.set(rel, { path: `package/${rel}`, content, mode: entries.get(rel)?.mode ?? 0o644 });
    }
  }
  const ordered = [
    entries.get('package.json')!,
    ...[...entries.entries()]
      .filter(([k]) => k !== 'package.json')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, e]) => e),
  ];
  const unpackedSize = ordered.reduce((n, e) => n + Buffer.byteLength(e.content), 0);
  return { tgz: createTgz(ordered), fileCount: ordered.length, unpackedSize };
}

/** `name-1.2.3.tgz` (the scope is dropped from the file name, as the registry does). */
export function tarballFileName(name: string, version: string): string {
  const base = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
  return `${base}-${version}.tgz`;
}

/** The path the registry serves a tarball at: `/@scope/name/-/name-1.2.3.tgz`. */
export function tarballPath(name: string, version: string): string {
  return `/${name}/-/${tarballFileName(name, version)}`;
}

/** The packument path npm requests: `/name` or `/@scope%2fname`. */
export function packumentPath(name: string): string {
  return `/${name.replace('/', '%2f')}`;
}

// ---------------------------------------------------------------------------------------------
// Serving

interface Representation {
  body: Buffer;
  etag: string;
  contentType: string;
  gz?: Buffer;
}

function representation(body: Buffer | string, contentType: string): Representation {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return { body: buf, contentType, etag: `W/"${createHash('sha1').update(buf).digest('hex')}"` };
}

interface PackageEntry {
  full: Representation;
  abbreviated: Representation;
  /** version → full manifest document */
  versions: Map<string, Representation>;
  distTags: Map<string, string>;
  /** tarball file name → tarball */
  tarballs: Map<string, Representation>;
  /** version → attestations body */
  attestations: Map<string, Representation>;
}

function acceptsAbbreviated(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (type !== ABBREVIATED_MEDIA_TYPE) return false;
    const q = params.find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  });
}

function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (coding !== 'gzip' && coding !== 'x-gzip') return false;
    const q = params.find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  });
}

function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (t: string): string => t.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || opaque(t) === opaque(etag));
}

function buildEntries(fixtures: Map<string, LoadedFixture>, origin: string, archives?: ReadonlyMap<string, Buffer>): Map<string, PackageEntry> {
  const entries = new Map<string, PackageEntry>();
  const registry = origin.replace(/\/$/, '');
  for (const [name, { file, doc, extras }] of fixtures) {
    const versionsIn = doc['versions'] as JsonObject;
    const time = isObject(doc['time']) ? doc['time'] : {};
    const versionsOut: JsonObject = Object.create(null) as JsonObject;
    const entry: PackageEntry = {
      full: representation('', 'application/json'),
      abbreviated: representation('', ABBREVIATED_MEDIA_TYPE),
      versions: new Map(),
      distTags: new Map(),
      tarballs: new Map(),
      attestations: new Map(),
    };
    for (const [version, manifestRaw] of Object.entries(versionsIn)) {
      if (!isObject(manifestRaw)) throw new Error(`${file}: versions["${version}"] is not an object`);
      const given = archives?.get(`${name}@${version}`);
      const { tgz, fileCount, unpackedSize } = given
        ? { tgz: given, fileCount: undefined, unpackedSize: undefined }
        : buildVersionTarball(manifestRaw, extras.files.get(version));
      const fileName = tarballFileName(name, version);
      entry.tarballs.set(fileName, representation(tgz, 'application/octet-stream'));
      const storedDist = isObject(manifestRaw['dist']) ? manifestRaw['dist'] : {};
      const fixed = extras.fixedIntegrity.has(version);
      const dist: JsonObject = {
        integrity:
          fixed && typeof storedDist['integrity'] === 'string' ? storedDist['integrity'] : `sha512-${createHash('sha512').update(tgz).digest('base64')}`,
        shasum: fixed && typeof storedDist['shasum'] === 'string' ? storedDist['shasum'] : createHash('sha1').update(tgz).digest('hex'),
        tarball: `${registry}${tarballPath(name, version)}`,
        fileCount,
        unpackedSize,
      };
      if (storedDist['attestations'] !== undefined) {
        const decl = extras.provenance.get(version);
        if (!decl) throw new Error(`${file}: version ${version} declares dist.attestations but _fixture.provenance["${version}"] is missing`);
        const storedAtt = isObject(storedDist['attestations']) ? storedDist['attestations'] : {};
        const attPath = `/-/npm/v1/attestations/${name.replace('/', '%2f')}@${version}`;
        dist['attestations'] = {
          url: `${registry}${attPath}`,
          provenance: isObject(storedAtt['provenance']) ? storedAtt['provenance'] : { predicateType: SLSA_PROVENANCE_V1 },
        };
        const subject = {
          name,
          version,
          sha512Hex: createHash('sha512').update(tgz).digest('hex'),
          registry,
          ...(typeof time[version] === 'string' ? { publishedAt: time[version] as string } : {}),
        };
        entry.attestations.set(version, representation(JSON.stringify(attestationsResponse(subject, decl)), 'application/json'));
      }
      for (const [k, v] of Object.entries(storedDist)) {
        if (!(k in dist) && k !== 'tarball' && k !== 'integrity' && k !== 'shasum') dist[k] = v;
      }
      const manifest: JsonObject = { ...manifestRaw, dist };
      versionsOut[version] = manifest;
      entry.versions.set(version, representation(JSON.stringify(manifest), 'application/json'));
    }
    const fullDoc: JsonObject = { ...doc, versions: versionsOut };
    const tags = isObject(doc['dist-tags']) ? doc['dist-tags'] : {};
    for (const [tag, v] of Object.entries(tags)) if (typeof v === 'string') entry.distTags.set(tag, v);
    entry.full = representation(JSON.stringify(fullDoc), 'application/json');
    entry.abbreviated = representation(JSON.stringify(abbreviatePackument(fullDoc)), ABBREVIATED_MEDIA_TYPE);
    entries.set(name, entry);
  }
  return entries;
}

type Route =
  | { kind: 'packument'; name: string }
  | { kind: 'version'; name: string; spec: string }
  | { kind: 'tarball'; name: string; file: string }
  | { kind: 'attestations'; name: string; version: string }
  | { kind: 'ping' }
  | { kind: 'none' };

function route(target: string): Route {
  const path = requestPath(target);
  if (path === undefined) return { kind: 'none' };
  if (path === '/-/ping') return { kind: 'ping' };
  const attPrefix = '/-/npm/v1/attestations/';
  if (path.startsWith(attPrefix)) {
    const spec = path.slice(attPrefix.length);
    const at = spec.lastIndexOf('@');
    if (at <= 0) return { kind: 'none' };
    return { kind: 'attestations', name: spec.slice(0, at), version: spec.slice(at + 1) };
  }
  if (path.startsWith('/-/')) return { kind: 'none' };
  const segs = path.slice(1).split('/');
  let name: string;
  let rest: string[];
  if (segs[0]?.startsWith('@')) {
    if (segs.length < 2 || !segs[1]) return { kind: 'none' };
    name = `${segs[0]}/${segs[1]}`;
    rest = segs.slice(2);
  } else {
    name = segs[0] ?? '';
    rest = segs.slice(1);
  }
  if (!name) return { kind: 'none' };
  if (rest.length === 0) return { kind: 'packument', name };
  if (rest.length === 1 && rest[0]) return { kind: 'version', name, spec: rest[0] };
  if (rest.length === 2 && rest[0] === '-' && rest[1]) return { kind: 'tarball', name, file: rest[1] };
  return { kind: 'none' };
}

function sendJson(req: IncomingMessage, res: ServerResponse, status: number, body: object): void {
  const buf = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': buf.length });
  res.end(req.method === 'HEAD' ? undefined : buf);
}

function send(req: IncomingMessage, res: ServerResponse, rep: Representation, opts: { gzip: boolean; vary?: string }): void {
  const headers: Record<string, string | number> = { ETag: rep.etag, 'Cache-Control': 'public, max-age=300' };
  if (opts.vary) headers['Vary'] = opts.vary;
  if (etagMatches(req.headers['if-none-match'], rep.etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  let body = rep.body;
  if (opts.gzip && acceptsGzip(req.headers['accept-encoding'])) {
    rep.gz ??= gzipSync(rep.body);
    body = rep.gz;
    headers['Content-Encoding'] = 'gzip';
  }
  headers['Content-Type'] = rep.contentType;
  headers['Content-Length'] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Starts the fixture registry on 127.0.0.1. */
export async function startFixtureRegistry(opts: FixtureRegistryOptions = {}): Promise<FixtureRegistry> {
  const host = opts.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new Error('the fixture registry only listens on 127.0.0.1');
  const fixtures = fixturesOf(opts);
  const failNames = opts.failNames;
  const requests: FixtureRequest[] = [];
  let entries = new Map<string, PackageEntry>();

  const server = createServer((req, res) => {
    const target = req.url ?? '/';
    const record: FixtureRequest = { method: req.method ?? 'GET', path: target };
    const accept = req.headers['accept'];
    if (accept !== undefined) record.accept = accept;
    requests.push(record);

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(req, res, 405, { error: 'Method not allowed' });
      return;
    }
    const r = route(target);
    if (r.kind === 'ping') {
      sendJson(req, res, 200, {});
      return;
    }
    if (r.kind === 'none') {
      sendJson(req, res, 404, { error: 'Not found' });
      return;
    }
    const failure = failNames?.get(r.name);
    if (failure === 'timeout') return; // accept, never answer: close() destroys the socket
    if (typeof failure === 'number') {
      sendJson(req, res, failure, { error: STATUS_CODES[failure] ?? 'Error' });
      return;
    }
    const entry = entries.get(r.name);
    if (!entry) {
      sendJson(req, res, 404, { error: 'Not found' });
      return;
    }
    switch (r.kind) {
      case 'packument':
        send(req, res, acceptsAbbreviated(accept) ? entry.abbreviated : entry.full, { gzip: true, vary: 'Accept, Accept-Encoding' });
        return;
      case 'version': {
        const version = entry.versions.has(r.spec) ? r.spec : entry.distTags.get(r.spec);
        const rep = version === undefined ? undefined : entry.versions.get(version);
        if (!rep) sendJson(req, res, 404, { error: `version not found: ${r.spec}` });
        else send(req, res, rep, { gzip: true, vary: 'Accept-Encoding' });
        return;
      }
      case 'tarball': {
        const rep = entry.tarballs.get(r.file);
        if (!rep) sendJson(req, res, 404, { error: 'Not found' });
        else send(req, res, rep, { gzip: false });
        return;
      }
      case 'attestations': {
        const rep = entry.attestations.get(r.version);
        if (!rep) sendJson(req, res, 404, { error: 'Not found' });
        else send(req, res, rep, { gzip: true, vary: 'Accept-Encoding' });
        return;
      }
    }
  });

  const listening = await listen(server, host, opts.port);
  const url = `http://${host}:${listening.port}/`;
  try {
    entries = buildEntries(fixtures, url, opts.archives);
  } catch (e) {
    await listening.close().catch(() => undefined);
    throw e;
  }

  return {
    url,
    requests,
    close: () => listening.close(),
  };
}
