/**
 * The Python package index client, the only code that talks to a Python index: two documents per
 * project (JSON API and Simple API JSON), degrading when an index lacks one (docs/REGISTRY.md). Hosts
 * come from {@link PypiIndexConfig} only (never from a lockfile), file URLs only from the index's own
 * documents, credentials only to the index's origin. Without the Simple API JSON no attestations are
 * claimed, so no trust signal can fire on a guess.
 */
import { comparePep440, isPep440, normalizePythonName } from '../versions/index.js';
import * as pep440 from '@renovatebot/pep440';
import { createHash } from 'node:crypto';
import { ReadCut } from './abort.js';
import {
  ByteLru,
  Inflight,
  RegistryError,
  TooLarge,
  conditionalFor,
  countingTransport,
  memoized,
  readAll,
  validatorsOf,
  type HttpRequestInfo,
  type HttpRequestSpec,
  type HttpTransport,
  type ReadBody,
  type Validators,
} from './http.js';
import { deriveApiRoot, normalizeIndexUrl, type PypiIndexConfig } from './pip-config.js';
import {
  describeIssue,
  jsonApiProjectSchema,
  provenanceObjectSchema,
  PYPI_PUBLISH_PREDICATE,
  releaseFilesSchema,
  SIMPLE_JSON_V1,
  simpleFileSchema,
  simpleProjectSchema,
  SLSA_PREDICATE_PREFIX,
  statementSchema,
  type JsonApiFile,
  type Publisher,
  type SimpleFile,
} from './pypi-schema.js';
import type {
  DistFile,
  DocumentRepairs,
  Packument,
  ProvenanceSource,
  PythonContentsRequest,
  PythonContentsResult,
  PythonIndexClient,
  ReadOptions,
  RegistryResult,
  RegistryStats,
  SdistInfo,
  VersionMeta,
  WheelListing,
} from '../model/index.js';
import { readSdist, SdistError, sdistFormat, type SdistLimits } from '../archives/sdist.js';
import { ArchiveCache } from './contents/cache.js';
import { ByteBudget, readPythonContents } from './contents/python-contents.js';
import { MemberCache } from './contents/wheel-members.js';
import { DEFAULT_ZIP_LIMITS, listZipMembers, WheelZipError, type RangeSource, type ZipLimits } from '../archives/wheel-zip.js';

export type PypiRequestKind = 'project' | 'simple' | 'provenance' | 'wheel' | 'sdist';
/** Reported after every HTTP request (never carries credentials). */
export type PypiRequestInfo = HttpRequestInfo<PypiRequestKind>;

export interface PypiIndexClientOptions {
  config: PypiIndexConfig;
  /** The JSON API / Integrity API root (default: the index URL without `simple/`); null: do without. */
  jsonApiUrl?: string | null;
  /** Maximum requests in flight across the client (default 8). */
  concurrency?: number;
  /** Maximum wait for response headers and between body chunks, ms (default 30000); a whole attempt is capped at 4×. */
  timeoutMs?: number;
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** The longest one read may take, all attempts and waits included, ms (default 4 × timeoutMs). */
  deadlineMs?: number;
  /** Byte budget of the cache of parsed documents and wheel listings (default 64 MiB). */
  cacheBytes?: number;
  /** Largest JSON document accepted, after decompression (default 64 MiB). */
  maxDocumentBytes?: number;
  /** Largest wheel downloaded whole when the server ignores range requests (default 64 MiB). */
  maxWheelDownloadBytes?: number;
  /** First tail read of a wheel (default 8 KiB). */
  wheelTailBytes?: number;
  /** Largest sdist downloaded by inspectSdist (default 16 MiB); a larger size in the index is refused before any request. */
  maxSdistBytes?: number;
  /** Caps while reading an sdist (unpacked bytes, members, extended headers, pyproject.toml). */
  sdistLimits?: Partial<SdistLimits>;
  zipLimits?: Partial<ZipLimits>;
  userAgent?: string;
  fetchImpl?: typeof fetch;
  onRequest?: (info: PypiRequestInfo) => void;
  /** Base of the exponential backoff, ms (default 300). */
  backoffMs?: number;
  /** A Retry-After longer than this (ms, default 60000) gives up instead of waiting. */
  maxRetryAfterMs?: number;
  /** Content analysis: the archive cache (memory, and `LOCKWARDEN_CACHE_DIR` on disk), shared with the npm client. */
  archiveCache?: ArchiveCache;
  /** Content analysis: wheels up to this size are downloaded whole (default 1 MiB); larger ones are read by range. */
  wholeWheelBytes?: number;
  /** Content analysis: bytes one review may download for Python contents (default 512 MiB). */
  maxReviewContentBytes?: number;
}

const MiB = 1024 * 1024;
const MAX_PROVENANCE_BYTES = 16 * MiB;
const JSON_ACCEPT = 'application/json';
const SIMPLE_ACCEPT = `${SIMPLE_JSON_V1}, application/vnd.pypi.simple.latest+json;q=0.9`;
const INTEGRITY_ACCEPT = 'application/vnd.pypi.integrity.v1+json, application/json;q=0.9';

// ---- names, files, versions (pure) -----------------------------------------------------------

/** A valid project name (PEP 508: letters, digits, `.`, `_`, `-`; starting and ending alphanumeric). */
export function isValidProjectName(name: string): boolean {
  return name.length > 0 && name.length <= 200 && /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(name);
}

/** `wheel` for `.whl`, `sdist` for source archives, else `other` (the index's `packagetype` wins when it says). */
export function distKind(filename: string, packagetype?: string | null): DistFile['kind'] {
  if (packagetype === 'bdist_wheel') return 'wheel';
  if (packagetype === 'sdist') return 'sdist';
  if (packagetype) return 'other';
  const f = filename.toLowerCase();
  if (f.endsWith('.whl')) return 'wheel';
  if (/\.(tar\.gz|tgz|tar\.bz2|tar\.xz|tar|zip)$/.test(f)) return 'sdist';
  return 'other';
}

/**
 * The version in a wheel or sdist file name of project `name` (PEP 503-normalised), or undefined:
 * wheels `{name}-{version}(-{build})?-{py}-{abi}-{platform}.whl`, sdists `{name}-{version}.{ext}`
 * (older sdists keep `-` in the name, so every split whose prefix normalises to the name is tried).
 */
export function versionFromFilename(filename: string, name: string): string | undefined {
  const lower = filename.toLowerCase();
  if (lower.endsWith('.whl')) {
    const parts = filename.slice(0, -4).split('-');
    if (parts.length < 5 || parts.length > 6 || normalizePythonName(parts[0]!) !== name) return undefined;
    return parts[1] || undefined;
  }
  const ext = /\.(tar\.gz|tgz|tar\.bz2|tar\.xz|tar|zip)$/.exec(lower);
  if (!ext) return undefined;
  const stem = filename.slice(0, filename.length - ext[0].length);
  for (let i = stem.indexOf('-'); i > 0; i = stem.indexOf('-', i + 1)) {
    if (normalizePythonName(stem.slice(0, i)) === name) {
      const v = stem.slice(i + 1);
      return v && !v.includes('-') ? v : undefined;
    }
  }
  return undefined;
}

/** An ISO time normalised (`2024-01-01T00:00:00.123Z`), or undefined when unreadable. */
function isoTime(...candidates: (string | null | undefined)[]): string | undefined {
  for (const c of candidates) {
    if (!c) continue;
    // the JSON API's legacy `upload_time` has no zone: it is UTC
    const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(c) ? c : `${c}Z`);
    if (!Number.isNaN(t)) return new Date(t).toISOString();
  }
  return undefined;
}

function sha256Of(...candidates: (string | null | undefined)[]): string | undefined {
  for (const c of candidates) {
    if (c && /^[0-9a-fA-F]{64}$/.test(c)) return c.toLowerCase();
  }
  return undefined;
}

/** A file URL from a document, resolved against the document's URL (the Simple API allows relative URLs). */
function resolveFileUrl(raw: string, base: string): string {
  try {
    return new URL(raw, base).href;
  } catch {
    return raw;
  }
}

/** What the JSON API document contributes, reduced. */
export interface JsonApiData {
  latest: string;
  requiresDist?: string[];
  owners?: Array<{ role: string; user: string }>;
  /** version → files; undefined when the document has no `releases` (then the files come from the Simple API). */
  releases?: Map<string, DistFile[]>;
  /** Releases whose file list was malformed: left out. */
  malformed?: string[];
}

/** What the Simple API page contributes, reduced. */
export interface SimpleData {
  files: DistFile[];
  versions?: string[];
  /** filename → PEP 740 provenance URL (absolute). */
  provenanceUrls: Map<string, string>;
  /** File names (or undefined when unreadable) of malformed file entries: left out. */
  malformed?: Array<string | undefined>;
}

function fileFromJsonApi(f: JsonApiFile, base: string): DistFile {
  const d: DistFile = { filename: f.filename, kind: distKind(f.filename, f.packagetype), url: resolveFileUrl(f.url, base) };
  const sha = sha256Of(f.digests?.sha256);
  if (sha) d.sha256 = sha;
  if (typeof f.size === 'number') d.size = f.size;
  const at = isoTime(f.upload_time_iso_8601, f.upload_time);
  if (at) d.uploadedAt = at;
  if (f.yanked) d.yanked = true;
  if (f.uploaded_via) d.uploadedVia = f.uploaded_via;
  return d;
}

/** Reduces a JSON API project document (already JSON-parsed). Throws InvalidIndexDocument. */
export function reduceJsonApi(doc: unknown, base: string): { data: JsonApiData; yankedReasons: Map<string, string> } {
  const parsed = jsonApiProjectSchema.safeParse(doc);
  if (!parsed.success) throw new InvalidIndexDocument(`JSON API document: ${describeIssue(parsed.error)}`);
  const p = parsed.data;
  const data: JsonApiData = { latest: p.info.version };
  if (p.info.requires_dist) data.requiresDist = [...p.info.requires_dist];
  if (p.ownership?.roles) data.owners = p.ownership.roles.map((r) => ({ role: r.role, user: r.user }));
  const yankedReasons = new Map<string, string>();
  if (p.releases !== undefined && p.releases !== null) {
    if (typeof p.releases !== 'object' || Array.isArray(p.releases)) throw new InvalidIndexDocument('JSON API document: releases: expected an object');
    const releases = new Map<string, DistFile[]>();
    // own keys of the JSON.parse result, `__proto__` included, into a Map
    for (const version of Object.keys(p.releases)) {
      const files = releaseFilesSchema.safeParse((p.releases as Record<string, unknown>)[version]);
      if (!files.success) {
        (data.malformed ??= []).push(version);
        continue;
      }
      releases.set(
        version,
        files.data.map((f) => {
          if (f.yanked && f.yanked_reason) yankedReasons.set(f.filename, f.yanked_reason);
          return fileFromJsonApi(f, base);
        }),
      );
    }
    data.releases = releases;
  }
  return { data, yankedReasons };
}

/** Reduces a Simple API project page (PEP 691 JSON, already parsed). Throws InvalidIndexDocument. */
export function reduceSimple(doc: unknown, base: string): { data: SimpleData; yankedReasons: Map<string, string> } {
  const parsed = simpleProjectSchema.safeParse(doc);
  if (!parsed.success) throw new InvalidIndexDocument(`Simple API document: ${describeIssue(parsed.error)}`);
  const major = /^(\d+)\./.exec(parsed.data.meta['api-version'])?.[1];
  if (major !== '1') throw new InvalidIndexDocument(`Simple API version ${parsed.data.meta['api-version'].slice(0, 20)} is not supported`);
  const yankedReasons = new Map<string, string>();
  const provenanceUrls = new Map<string, string>();
  const malformed: Array<string | undefined> = [];
  const valid: SimpleFile[] = [];
  for (const raw of parsed.data.files) {
    const f = simpleFileSchema.safeParse(raw);
    if (f.success) valid.push(f.data);
    else
      malformed.push(
        raw !== null && typeof raw === 'object' && typeof (raw as { filename?: unknown }).filename === 'string'
          ? (raw as { filename: string }).filename
          : undefined,
      );
  }
  const files = valid.map((f: SimpleFile) => {
    const d: DistFile = { filename: f.filename, kind: distKind(f.filename), url: resolveFileUrl(f.url, base) };
    const sha = sha256Of(f.hashes.sha256);
    if (sha) d.sha256 = sha;
    if (typeof f.size === 'number') d.size = f.size;
    const at = isoTime(f['upload-time']);
    if (at) d.uploadedAt = at;
    if (f.yanked) {
      d.yanked = true;
      if (typeof f.yanked === 'string') yankedReasons.set(f.filename, f.yanked);
    }
    if (f.provenance !== undefined) d.provenance = f.provenance !== null;
    if (f.provenance) provenanceUrls.set(f.filename, resolveFileUrl(f.provenance, base));
    return d;
  });
  const data: SimpleData = { files, provenanceUrls };
  if (malformed.length > 0) data.malformed = malformed;
  if (parsed.data.versions) data.versions = [...parsed.data.versions];
  return { data, yankedReasons };
}

/** The highest final (not pre-, not dev-) release, else the highest of all, by PEP 440. */
function latestOf(versions: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestFinal: string | undefined;
  for (const v of versions) {
    if (best === undefined || comparePep440(v, best) > 0) best = v;
    if (isPep440(v) && !pep440.explain(v)?.is_prerelease && (bestFinal === undefined || comparePep440(v, bestFinal) > 0)) bestFinal = v;
  }
  return bestFinal ?? best;
}

/**
 * Merges the two documents into the slim packument (either may be missing). Files are matched by
 * file name: the JSON API says which release a file belongs to, the Simple API adds provenance (and
 * whatever the JSON API lacks). A release has attestations only when every one of its files has
 * provenance, so a file added by other means (a stolen token) takes them away.
 */
export function mergeProject(
  name: string,
  json: { data: JsonApiData; yankedReasons: Map<string, string> } | undefined,
  simple: { data: SimpleData; yankedReasons: Map<string, string> } | undefined,
): Packument {
  const byVersion = new Map<string, DistFile[]>();
  const simpleByName = new Map<string, DistFile>();
  for (const f of simple?.data.files ?? []) simpleByName.set(f.filename, f);
  const placed = new Set<string>();
  if (json?.data.releases) {
    for (const [version, files] of json.data.releases) {
      byVersion.set(
        version,
        files.map((f) => {
          placed.add(f.filename);
          const s = simpleByName.get(f.filename);
          if (!s) return f;
          const merged: DistFile = { ...f };
          if (s.provenance !== undefined) merged.provenance = s.provenance;
          if (merged.sha256 === undefined && s.sha256 !== undefined) merged.sha256 = s.sha256;
          if (merged.size === undefined && s.size !== undefined) merged.size = s.size;
          if (merged.uploadedAt === undefined && s.uploadedAt !== undefined) merged.uploadedAt = s.uploadedAt;
          if (s.yanked) merged.yanked = true;
          return merged;
        }),
      );
    }
  }
  // files only the Simple API lists (no JSON API, no `releases`, or uploaded between the two reads)
  for (const f of simple?.data.files ?? []) {
    if (placed.has(f.filename)) continue;
    const v = versionFromFilename(f.filename, name);
    if (v === undefined) continue;
    const list = byVersion.get(v);
    if (list) list.push(f);
    else byVersion.set(v, [f]);
  }
  for (const v of simple?.data.versions ?? []) if (!byVersion.has(v)) byVersion.set(v, []);
  const repairs = malformedReleases(name, json?.data.malformed ?? [], simple?.data.malformed ?? [], byVersion);

  const reasons = new Map([...(simple?.yankedReasons ?? []), ...(json?.yankedReasons ?? [])]);
  const versions = new Map<string, VersionMeta>();
  let created: string | undefined;
  let modified: string | undefined;
  let anyTime = false;
  for (const [version, files] of byVersion) {
    const meta: VersionMeta = { version, scripts: {}, files };
    let first: string | undefined;
    for (const f of files) {
      if (!f.uploadedAt) continue;
      anyTime = true;
      if (first === undefined || f.uploadedAt < first) first = f.uploadedAt;
      if (modified === undefined || f.uploadedAt > modified) modified = f.uploadedAt;
    }
    if (first) {
      meta.publishedAt = first;
      if (created === undefined || first < created) created = first;
    }
    if (files.length > 0 && files.every((f) => f.yanked)) {
      const reason = files.map((f) => reasons.get(f.filename)).find((r) => r !== undefined);
      meta.yanked = reason !== undefined ? { reason } : {};
    }
    if (files.length > 0 && files.every((f) => f.provenance === true)) {
      meta.trustedPublisher = {};
      meta.attestations = { provenance: { predicateType: PYPI_PUBLISH_PREDICATE } };
    }
    if (json && version === json.data.latest && json.data.requiresDist) meta.requiresDist = json.data.requiresDist;
    if (repairs.versions.has(version)) meta.dropped = ['files'];
    versions.set(version, meta);
  }
  const distTags = new Map<string, string>();
  const latest = json?.data.latest ?? latestOf(versions.keys());
  if (latest !== undefined) distTags.set('latest', latest);
  const p: Packument = { name, versions, distTags, abbreviated: !anyTime };
  if (created) p.created = created;
  if (modified) p.modified = modified;
  if (json?.data.owners) p.owners = json.data.owners;
  if (repairs.doc.droppedCount > 0) p.repairs = repairs.doc;
  return p;
}

/**
 * The releases whose files were (partly) malformed: their versions keep what was readable and are
 * marked `dropped: ['files']` (so a reviewed one fails closed); entries no version can be read from are only counted.
 */
function malformedReleases(
  name: string,
  releases: readonly string[],
  files: ReadonlyArray<string | undefined>,
  byVersion: Map<string, DistFile[]>,
): { versions: Set<string>; doc: DocumentRepairs } {
  const versions = new Set<string>(releases);
  const doc: DocumentRepairs = { dropped: [], droppedCount: 0, skippedVersions: 0, versionsOverCap: 0, entriesOverCap: 0 };
  for (const v of releases) if (doc.dropped.length < 20) doc.dropped.push(`${v.slice(0, 60)}: files`);
  doc.droppedCount += releases.length;
  for (const f of files) {
    const v = f === undefined ? undefined : versionFromFilename(f, name);
    doc.droppedCount++;
    if (v === undefined) {
      doc.skippedVersions++;
      if (doc.dropped.length < 20) doc.dropped.push('a file entry without a readable name');
      continue;
    }
    versions.add(v);
    if (doc.dropped.length < 20) doc.dropped.push(`${v.slice(0, 60)}: files (${f!.slice(0, 80)})`);
  }
  for (const v of versions) if (!byVersion.has(v)) byVersion.set(v, []);
  return { versions, doc };
}

/** `https://github.com/<owner>/<repo>` and `.github/workflows/<file>` from a GitHub publisher, etc. */
export function provenanceFromPublisher(publisher: Publisher): ProvenanceSource {
  const out: ProvenanceSource = {};
  const kind = publisher.kind.toLowerCase();
  const claims =
    publisher.claims !== null && typeof publisher.claims === 'object' && !Array.isArray(publisher.claims)
      ? (publisher.claims as Record<string, unknown>)
      : undefined;
  const ref = claims && Object.hasOwn(claims, 'ref') ? claims.ref : undefined;
  if (typeof ref === 'string') out.ref = ref;
  const slug = publisher.repository?.replace(/^\/+|\/+$/g, '');
  if (kind === 'github' && slug) {
    out.repository = `https://github.com/${slug}`;
    if (publisher.workflow) out.workflow = publisher.workflow.includes('/') ? publisher.workflow : `.github/workflows/${publisher.workflow}`;
  } else if (kind === 'gitlab' && slug) {
    out.repository = `https://gitlab.com/${slug}`;
    if (publisher.workflow_filepath) out.workflow = publisher.workflow_filepath;
  } else {
    // other publishers (Google service accounts, ActiveState, …): a comparable identity
    const identity = slug ?? publisher.email ?? undefined;
    if (identity) out.repository = `${kind}:${identity}`;
  }
  return out;
}

/** Reads a PEP 740 provenance object (already JSON-parsed) into a {@link ProvenanceSource}. Throws InvalidIndexDocument. */
export function provenanceFromObject(doc: unknown): ProvenanceSource {
  const parsed = provenanceObjectSchema.safeParse(doc);
  if (!parsed.success) throw new InvalidIndexDocument(`provenance document: ${describeIssue(parsed.error)}`);
  const bundles = parsed.data.attestation_bundles;
  const known = bundles.find((b) => ['github', 'gitlab'].includes(b.publisher.kind.toLowerCase())) ?? bundles[0]!;
  const out = provenanceFromPublisher(known.publisher);
  let predicateType: string | undefined;
  for (const a of known.attestations) {
    let statement: unknown;
    try {
      statement = JSON.parse(Buffer.from(a.envelope.statement, 'base64').toString('utf8'));
    } catch {
      throw new InvalidIndexDocument('provenance document: an attestation statement is not base64 JSON');
    }
    const st = statementSchema.safeParse(statement);
    if (!st.success) throw new InvalidIndexDocument(`provenance document: attestation statement: ${describeIssue(st.error)}`);
    if (st.data.predicateType.startsWith(SLSA_PREDICATE_PREFIX)) {
      predicateType = st.data.predicateType;
      const wf = st.data.predicate?.buildDefinition?.externalParameters?.workflow;
      if (wf?.ref && out.ref === undefined) out.ref = wf.ref;
    } else if (predicateType === undefined) {
      predicateType = st.data.predicateType;
    }
  }
  out.predicateType = predicateType ?? PYPI_PUBLISH_PREDICATE;
  return out;
}

// ---- the client ------------------------------------------------------------------------------

/** A document that failed validation: not retried, reported as an invalid index document. */
export class InvalidIndexDocument extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidIndexDocument';
  }
}

class WheelTooLarge extends Error {
  constructor(readonly limit: number) {
    super('wheel too large');
  }
}

class BadRange extends Error {}

/** A whole index file as downloaded (its media type: pip reads `application/zip` as a ZIP). */
interface WholeFile {
  body: Buffer;
  contentType: string;
  bytes: number;
}

/** The server has no such representation (406, or another content type than asked): degrade. */
const UNSUPPORTED = Symbol('unsupported');

/** `failClosed`: the index's document itself was refused (not JSON, wrong shape, too large), not the network. */
type DocOutcome<T> = { type: 'ok'; data: T } | { type: 'notFound' } | { type: 'unsupported' } | { type: 'fail'; reason: string; failClosed?: boolean };

type Reduced<T> = { data: T; yankedReasons: Map<string, string> };

type CacheEntry =
  | { kind: 'json'; value: Reduced<JsonApiData>; etag?: string; lastModified?: string; bytes: number }
  | { kind: 'simple'; value: Reduced<SimpleData>; etag?: string; lastModified?: string; bytes: number }
  | { kind: 'provenance'; provenance: ProvenanceSource | null; bytes: number }
  | { kind: 'wheel'; listing: WheelListing; bytes: number }
  | { kind: 'sdist'; info: SdistInfo; bytes: number };

interface ProjectOutcome {
  result: RegistryResult;
  provenanceUrls: Map<string, string>;
}

function mediaType(res: Response): string {
  return (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

function classify(e: unknown): string | undefined {
  if (e instanceof InvalidIndexDocument) return `invalid package index document: ${e.message}`;
  if (e instanceof WheelTooLarge) return `the file server ignores range requests and the wheel is larger than the download cap (${e.limit} bytes)`;
  if (e instanceof BadRange) return `bad range response: ${e.message}`;
  if (e instanceof WheelZipError) return `unreadable wheel: ${e.message}`;
  return undefined;
}

/** The URL of a file from the index's documents, refused unless plain http(s) without credentials. */
function indexFileUrl(file: DistFile): string {
  let url: URL;
  try {
    url = new URL(file.url);
  } catch {
    throw new RegistryError(`${file.filename}: the index gave no valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RegistryError(`${file.filename}: the index gave a non-http URL`);
  if (url.username || url.password) throw new RegistryError(`${file.filename}: the index gave a URL with credentials`);
  return url.href;
}

/** `bytes a-b/total` → numbers; undefined when unreadable. */
function parseContentRange(v: string | null): { start: number; end: number; total: number } | undefined {
  const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec((v ?? '').trim());
  if (!m) return undefined;
  const [start, end, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!Number.isSafeInteger(total) || start > end || end >= total) return undefined;
  return { start, end, total };
}

class Shared {
  readonly cache: ByteLru<CacheEntry>;
  readonly counters: RegistryStats = { requests: 0, packumentRequests: 0, cacheHits: 0, notModified: 0, retries: 0 };
  private readonly inflight = new Inflight(() => this.counters.cacheHits++);
  readonly apiRoot: string | undefined;
  /** The DistFile objects this client made: the only files listWheel fetches. */
  readonly ownFiles = new WeakSet<DistFile>();
  private readonly http: HttpTransport<PypiRequestKind>;
  private readonly maxDocumentBytes: number;
  private readonly maxWheelDownloadBytes: number;
  private readonly wheelTailBytes: number;
  private readonly zipLimits: ZipLimits;
  private readonly maxSdistBytes: number;
  private readonly sdistLimits: Partial<SdistLimits>;
  private readonly archives: ArchiveCache;
  private readonly members = new MemberCache();
  /** Verified whole index files by sha256, kept briefly (see indexFile). */
  private readonly wholeFiles = new ByteLru<WholeFile>(32 * MiB);
  private readonly wholeWheelBytes: number;
  readonly maxReviewContentBytes: number;

  constructor(
    readonly config: PypiIndexConfig,
    opts: PypiIndexClientOptions,
  ) {
    if (opts.jsonApiUrl === null) this.apiRoot = undefined;
    else if (opts.jsonApiUrl !== undefined) {
      const n = normalizeIndexUrl(opts.jsonApiUrl, 'jsonApiUrl');
      if (n.auth) throw new RegistryError('jsonApiUrl: put credentials in the index URL, not here');
      this.apiRoot = n.url;
    } else this.apiRoot = deriveApiRoot(config.indexUrl);
    this.cache = new ByteLru<CacheEntry>(Math.max(0, opts.cacheBytes ?? 64 * MiB));
    this.maxDocumentBytes = opts.maxDocumentBytes ?? 64 * MiB;
    this.maxWheelDownloadBytes = opts.maxWheelDownloadBytes ?? 64 * MiB;
    this.wheelTailBytes = opts.wheelTailBytes ?? 8192;
    this.zipLimits = { ...DEFAULT_ZIP_LIMITS, ...opts.zipLimits };
    this.maxSdistBytes = opts.maxSdistBytes ?? 16 * MiB;
    this.sdistLimits = { ...opts.sdistLimits };
    this.archives = opts.archiveCache ?? new ArchiveCache();
    this.wholeWheelBytes = opts.wholeWheelBytes ?? MiB;
    this.maxReviewContentBytes = opts.maxReviewContentBytes ?? 512 * MiB;
    const isDocument = (kind: PypiRequestKind): boolean => kind === 'project' || kind === 'simple';
    this.http = countingTransport(
      this.counters,
      isDocument,
      { authHeaderFor: (url) => this.config.authHeaderFor(url), classifyError: classify, serverLabel: 'package index' },
      opts,
    );
  }

  /** Shares one in-flight promise per key across views (aborted once no caller waits for it any more). */
  dedupe<T>(key: string, start: (signal: AbortSignal) => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    return this.inflight.run(key, start, signal);
  }

  /** {@link dedupe} for reads that throw: a cut read is a RegistryError saying why. */
  dedupeOrThrow<T>(key: string, start: (signal: AbortSignal) => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    return this.dedupe(key, start, signal).catch((e: unknown) => {
      throw e instanceof ReadCut ? new RegistryError(e.message) : e;
    });
  }

  async project(rawName: string, signal: AbortSignal | undefined): Promise<ProjectOutcome> {
    if (!isValidProjectName(rawName)) return { result: { ok: false, reason: 'invalid project name' }, provenanceUrls: new Map() };
    const name = normalizePythonName(rawName);
    try {
      return await this.dedupe(`project ${name}`, (shared) => this.fetchProject(name, shared), signal);
    } catch (e) {
      if (e instanceof ReadCut) return { result: { ok: false, reason: e.message }, provenanceUrls: new Map() };
      throw e;
    }
  }

  private async fetchProject(name: string, signal: AbortSignal): Promise<ProjectOutcome> {
    const simpleUrl = `${this.config.indexUrl}${name}/`;
    const jsonUrl = this.apiRoot !== undefined ? `${this.apiRoot}pypi/${name}/json` : undefined;
    const [json, simple] = await Promise.all([
      jsonUrl !== undefined
        ? this.fetchDoc(
            'json',
            name,
            jsonUrl,
            JSON_ACCEPT,
            (type) => /^application\/([a-z.+-]*\+)?json$/.test(type),
            (doc) => reduceJsonApi(doc, jsonUrl),
            signal,
          )
        : Promise.resolve<DocOutcome<Reduced<JsonApiData>>>({ type: 'unsupported' }),
      this.fetchDoc(
        'simple',
        name,
        simpleUrl,
        SIMPLE_ACCEPT,
        (type) => type === SIMPLE_JSON_V1,
        (doc) => reduceSimple(doc, simpleUrl),
        signal,
      ),
    ]);
    const none = new Map<string, string>();
    for (const d of [json, simple]) {
      if (d.type === 'fail')
        return { result: d.failClosed ? { ok: false, reason: d.reason, failClosed: true } : { ok: false, reason: d.reason }, provenanceUrls: none };
    }
    if (json.type !== 'ok' && simple.type !== 'ok') {
      if (json.type === 'notFound' || simple.type === 'notFound')
        return { result: { ok: false, notFound: true, reason: 'not found in the package index (404)' }, provenanceUrls: none };
      return { result: { ok: false, reason: 'the package index serves neither the JSON API nor the Simple API as JSON' }, provenanceUrls: none };
    }
    const packument = mergeProject(name, json.type === 'ok' ? json.data : undefined, simple.type === 'ok' ? simple.data : undefined);
    for (const meta of packument.versions.values()) for (const f of meta.files ?? []) this.ownFiles.add(f);
    return { result: { ok: true, packument }, provenanceUrls: simple.type === 'ok' ? simple.data.data.provenanceUrls : none };
  }

  /**
   * One document with its ETag revalidation. A 406, or a content type `isType` refuses (an HTML
   * page from a server without this API), is "unsupported": the caller degrades.
   */
  private async fetchDoc<T>(
    kind: 'json' | 'simple',
    name: string,
    url: string,
    accept: string,
    isType: (mediaType: string) => boolean,
    parse: (doc: unknown) => Reduced<T>,
    signal: AbortSignal,
  ): Promise<DocOutcome<Reduced<T>>> {
    const entry = this.cache.get(url);
    const cached = entry?.kind === kind ? (entry as unknown as { value: Reduced<T>; bytes: number } & Validators) : undefined;
    const spec: HttpRequestSpec<PypiRequestKind> = {
      kind: kind === 'json' ? 'project' : 'simple',
      name,
      url,
      headers: { accept, 'accept-encoding': 'gzip' },
      passStatuses: [406],
    };
    const conditional = conditionalFor(cached);
    if (conditional) spec.conditional = conditional;
    let validators: Validators = {};
    let size = 0;
    let rejected = false;
    const out = await this.http.withRetries(
      spec,
      async (res, readBody) => {
        if (res.status === 406 || !isType(mediaType(res))) return UNSUPPORTED;
        try {
          const body = await readAll(readBody, this.maxDocumentBytes);
          size = body.length;
          let doc: unknown;
          try {
            doc = JSON.parse(body.toString('utf8'));
          } catch {
            throw new InvalidIndexDocument(`${kind === 'json' ? 'JSON API' : 'Simple API'} document is not JSON`);
          }
          const value = parse(doc);
          validators = validatorsOf(res);
          return value;
        } catch (e) {
          rejected = e instanceof InvalidIndexDocument || e instanceof TooLarge;
          throw e;
        }
      },
      signal,
    );
    switch (out.type) {
      case 'ok':
        if (out.value === UNSUPPORTED) return { type: 'unsupported' };
        if (validators.etag || validators.lastModified) {
          this.cache.set(url, { kind, value: out.value, ...validators, bytes: 1024 + size * 2 } as CacheEntry);
        } else this.cache.delete(url);
        return { type: 'ok', data: out.value };
      case 'notModified':
        this.counters.notModified++;
        this.cache.set(url, entry!);
        return { type: 'ok', data: cached!.value };
      case 'notFound':
        this.cache.delete(url);
        return { type: 'notFound' };
      default:
        return rejected ? { type: 'fail', reason: out.reason, failClosed: true } : { type: 'fail', reason: out.reason };
    }
  }

  async provenance(rawName: string, version: string, project: Promise<ProjectOutcome>, signal: AbortSignal | undefined): Promise<ProvenanceSource | null> {
    if (!isValidProjectName(rawName)) throw new RegistryError('invalid project name');
    if (!version || version.length > 256 || /[\s/\u0000-\u001f]/.test(version)) throw new RegistryError('invalid version');
    const name = normalizePythonName(rawName);
    const { result, provenanceUrls } = await project;
    if (!result.ok) {
      if (result.notFound) return null;
      throw new RegistryError(result.reason);
    }
    const file = result.packument.versions.get(version)?.files?.find((f) => f.provenance === true);
    if (!file) return null;
    let url: string | undefined;
    if (this.apiRoot !== undefined) url = `${this.apiRoot}integrity/${name}/${encodeURIComponent(version)}/${encodeURIComponent(file.filename)}/provenance`;
    else {
      // no API root: the Simple API's own provenance URL, if it is on the index's origin
      const fromDoc = provenanceUrls.get(file.filename);
      if (fromDoc !== undefined && new URL(fromDoc).origin === new URL(this.config.indexUrl).origin) url = fromDoc;
    }
    if (url === undefined) throw new RegistryError('the package index has no Integrity API configured (set jsonApiUrl)');
    const cached = this.cache.get(url);
    if (cached?.kind === 'provenance') {
      this.counters.cacheHits++;
      return cached.provenance;
    }
    const at = url;
    return this.dedupeOrThrow(
      `provenance ${at}`,
      async (shared) => {
        const spec: HttpRequestSpec<PypiRequestKind> = {
          kind: 'provenance',
          name,
          version,
          url: at,
          headers: { accept: INTEGRITY_ACCEPT, 'accept-encoding': 'gzip' },
        };
        const out = await this.http.withRetries(
          spec,
          async (_res, readBody) => {
            const body = await readAll(readBody, Math.min(this.maxDocumentBytes, MAX_PROVENANCE_BYTES));
            let doc: unknown;
            try {
              doc = JSON.parse(body.toString('utf8'));
            } catch {
              throw new InvalidIndexDocument('provenance document is not JSON');
            }
            return provenanceFromObject(doc);
          },
          shared,
        );
        if (out.type === 'ok') {
          this.cache.set(at, { kind: 'provenance', provenance: out.value, bytes: 200 + JSON.stringify(out.value).length * 2 });
          return out.value;
        }
        if (out.type === 'notFound') return null;
        if (out.type === 'notModified') throw new RegistryError('unexpected 304 for a provenance document');
        throw new RegistryError(out.reason);
      },
      signal,
    );
  }

  async wheel(file: DistFile, signal: AbortSignal | undefined): Promise<WheelListing> {
    if (!this.ownFiles.has(file)) throw new RegistryError(`${file.filename}: not a file from the package index's documents`);
    if (file.kind !== 'wheel') throw new RegistryError(`${file.filename}: not a wheel`);
    let url: URL;
    try {
      url = new URL(file.url);
    } catch {
      throw new RegistryError(`${file.filename}: the index gave no valid URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RegistryError(`${file.filename}: the index gave a non-http URL`);
    if (url.username || url.password) throw new RegistryError(`${file.filename}: the index gave a URL with credentials`);
    const key = `wheel ${file.sha256 ?? url.href}`;
    const cached = this.cache.get(key);
    if (cached?.kind === 'wheel') {
      this.counters.cacheHits++;
      return cached.listing;
    }
    return this.dedupeOrThrow(
      key,
      async (shared) => {
        let members: string[];
        try {
          members = await listZipMembers(this.rangeSource(file, url.href, shared), { initialTail: this.wheelTailBytes, limits: this.zipLimits });
        } catch (e) {
          if (e instanceof WheelZipError) throw new RegistryError(`${file.filename}: unreadable wheel: ${e.message}`);
          throw e;
        }
        const listing: WheelListing = { filename: file.filename, members };
        this.cache.set(key, { kind: 'wheel', listing, bytes: 200 + members.reduce((n, m) => n + 2 * m.length + 40, 0) });
        return listing;
      },
      signal,
    );
  }

  /**
   * A whole index file, up to `limit` bytes. Readers of the same file at once share one download, and
   * a file whose sha256 is the index's is kept a while: inspectSdist and content analysis download an
   * sdist once. A shared download capped lower than this reader's cap is done again with its own.
   */
  async indexFile(file: DistFile, limit: number, signal: AbortSignal | undefined): Promise<WholeFile | { tooLarge: true }> {
    const id = file.sha256 ?? indexFileUrl(file);
    const hit = this.wholeFiles.get(id);
    if (hit && hit.body.length <= limit) return hit;
    const got = await this.dedupeOrThrow(`file ${id}`, (shared) => this.downloadFile(file, limit, shared), signal);
    if ('tooLarge' in got && got.cap < limit) return this.downloadFile(file, limit, signal);
    return got;
  }

  private async downloadFile(file: DistFile, cap: number, signal: AbortSignal | undefined): Promise<WholeFile | { tooLarge: true; cap: number }> {
    const out = await this.http.withRetries(
      // identity: the sha256 is of the file as uploaded, never of a re-encoded body
      {
        kind: file.kind === 'wheel' ? 'wheel' : 'sdist',
        name: file.filename,
        url: indexFileUrl(file),
        headers: { accept: '*/*', 'accept-encoding': 'identity' },
      },
      async (res, readBody): Promise<WholeFile | { tooLarge: true; cap: number }> => {
        try {
          const body = await readAll(readBody, cap);
          return { body, contentType: mediaType(res), bytes: body.length };
        } catch (e) {
          if (e instanceof TooLarge) return { tooLarge: true, cap };
          throw e;
        }
      },
      signal,
    );
    if (out.type === 'notFound') throw new RegistryError(`${file.filename}: not found on the file server (404)`);
    if (out.type === 'notModified') throw new RegistryError(`${file.filename}: unexpected 304`);
    if (out.type === 'fail') throw new RegistryError(`${file.filename}: ${out.reason}`);
    const v = out.value;
    if (!('tooLarge' in v) && file.sha256 !== undefined && createHash('sha256').update(v.body).digest('hex') === file.sha256)
      this.wholeFiles.set(file.sha256, v);
    return v;
  }

  async sdist(file: DistFile, signal: AbortSignal | undefined): Promise<SdistInfo> {
    if (!this.ownFiles.has(file)) throw new RegistryError(`${file.filename}: not a file from the package index's documents`);
    if (file.kind !== 'sdist') throw new RegistryError(`${file.filename}: not a source distribution`);
    if (sdistFormat(file.filename) === undefined) throw new RegistryError(`${file.filename}: only .tar.gz and .zip source distributions are read`);
    const url = indexFileUrl(file);
    if (file.size !== undefined && file.size > this.maxSdistBytes) {
      throw new RegistryError(`${file.filename}: ${file.size} bytes, over the sdist download cap (${this.maxSdistBytes} bytes)`);
    }
    const key = `sdist ${file.sha256 ?? url}`;
    const cached = this.cache.get(key);
    if (cached?.kind === 'sdist') {
      this.counters.cacheHits++;
      return cached.info;
    }
    return this.dedupeOrThrow(
      key,
      async (shared) => {
        const out = await this.indexFile(file, this.maxSdistBytes, shared);
        if ('tooLarge' in out || out.body.length > this.maxSdistBytes)
          throw new RegistryError(`${file.filename}: larger than the sdist download cap (${this.maxSdistBytes} bytes)`);
        const { body, contentType } = out;
        if (file.size !== undefined && body.length !== file.size)
          throw new RegistryError(`${file.filename}: the file is ${body.length} bytes, the index says ${file.size}`);
        if (file.sha256 !== undefined && createHash('sha256').update(body).digest('hex') !== file.sha256) {
          throw new RegistryError(`${file.filename}: the file's sha256 is not the one the index lists`);
        }
        let info: SdistInfo;
        try {
          info = await readSdist(body, file.filename, { limits: this.sdistLimits, contentType });
        } catch (e) {
          if (e instanceof SdistError) throw new RegistryError(`${file.filename}: unreadable sdist: ${e.message}`);
          throw e;
        }
        this.cache.set(key, { kind: 'sdist', info, bytes: 512 + JSON.stringify(info).length * 2 });
        return info;
      },
      signal,
    );
  }

  /** Range reads of one wheel over HTTP; a server that ignores ranges answers with the whole (bounded) file. */
  /** Two releases' distribution contents (src/registry/contents/python-contents.ts), within one review's byte budget. */
  distContents(req: PythonContentsRequest, budget: ByteBudget, signal: AbortSignal | undefined): Promise<PythonContentsResult> {
    return readPythonContents(
      req,
      {
        isOwnFile: (f) => this.ownFiles.has(f),
        rangeSource: (f, cut, onWhole) => this.rangeSource(f, indexFileUrl(f), cut, onWhole),
        download: async (f, limit, cut) => {
          try {
            const got = await this.indexFile(f, limit, cut);
            if ('tooLarge' in got || got.body.length > limit)
              return { reason: `archive over the ${limit}-byte cap (content.maxArchiveBytes)`, failClosed: true };
            return { bytes: got.body };
          } catch (e) {
            if (e instanceof RegistryError) return { reason: e.message.replace(`${f.filename}: `, '') };
            throw e;
          }
        },
        cache: this.archives,
        members: this.members,
        wholeWheelBytes: this.wholeWheelBytes,
        budget,
      },
      signal,
    );
  }

  private rangeSource(file: DistFile, url: string, signal: AbortSignal | undefined, onWhole?: (bytes: Uint8Array) => void): RangeSource {
    let whole: Uint8Array | undefined;
    let knownSize: number | undefined;
    const get = async (
      range: string,
      expect: (total: number) => { start: number; end: number } | undefined,
      cap: number,
    ): Promise<{ bytes: Uint8Array; start: number; size: number }> => {
      const out = await this.http.withRetries(
        // no accept-encoding: with a Range header fetch asks for `identity` itself (ranges of an encoded body would be useless)
        { kind: 'wheel', name: file.filename, url, headers: { accept: '*/*', range } },
        async (res, readBody: ReadBody) => {
          if (res.status === 200) {
            // the range was ignored: take the whole file, up to the cap
            let body: Buffer;
            try {
              body = await readAll(readBody, this.maxWheelDownloadBytes);
            } catch (e) {
              if (e instanceof TooLarge) throw new WheelTooLarge(this.maxWheelDownloadBytes);
              throw e;
            }
            return { bytes: body as Uint8Array, start: 0, size: body.length, whole: true };
          }
          if (res.status !== 206) throw new BadRange(`status ${res.status}`);
          if (res.headers.get('content-encoding') && res.headers.get('content-encoding') !== 'identity') throw new BadRange('encoded range');
          const cr = parseContentRange(res.headers.get('content-range'));
          if (!cr) throw new BadRange('missing or invalid Content-Range');
          const want = expect(cr.total);
          if (!want || cr.start !== want.start || cr.end !== want.end - 1) throw new BadRange('the server sent another range than asked');
          const body = await readAll(readBody, Math.min(cap, cr.end - cr.start + 1));
          if (body.length !== cr.end - cr.start + 1) throw new BadRange('short range body');
          return { bytes: body as Uint8Array, start: cr.start, size: cr.total, whole: false };
        },
        signal,
      );
      if (out.type === 'ok') {
        if (file.size !== undefined && out.value.size !== file.size)
          throw new RegistryError(`${file.filename}: the file is ${out.value.size} bytes, the index says ${file.size}`);
        if (knownSize !== undefined && out.value.size !== knownSize) throw new RegistryError(`${file.filename}: the file changed size between reads`);
        knownSize = out.value.size;
        if (out.value.whole) {
          whole = out.value.bytes;
          onWhole?.(whole);
        }
        return out.value;
      }
      if (out.type === 'notFound') throw new RegistryError(`${file.filename}: not found on the file server (404)`);
      if (out.type === 'notModified') throw new RegistryError(`${file.filename}: unexpected 304`);
      throw new RegistryError(`${file.filename}: ${out.reason}`);
    };
    return {
      tail: async (length) => {
        if (whole) return { bytes: whole.subarray(Math.max(0, whole.length - length)), start: Math.max(0, whole.length - length), size: whole.length };
        return get(`bytes=-${length}`, (total) => ({ start: Math.max(0, total - length), end: total }), length);
      },
      range: async (start, end) => {
        if (whole) return whole.subarray(start, end);
        const r = await get(`bytes=${start}-${end - 1}`, (total) => (end <= total ? { start, end } : undefined), end - start);
        return r.start === start && r.bytes.length === end - start ? r.bytes : r.bytes.subarray(start, end);
      },
    };
  }
}

class View implements PythonIndexClient {
  private readonly projects = new Map<string, Promise<ProjectOutcome>>();
  private readonly provenances = new Map<string, Promise<ProvenanceSource | null>>();
  /** A call this review has made before: answered from the memo. */
  private readonly hit = (): void => {
    this.shared.counters.cacheHits++;
  };
  /** Python content bytes this review may still download. */
  private readonly contentBudget: ByteBudget;
  constructor(private readonly shared: Shared) {
    this.contentBudget = new ByteBudget(shared.maxReviewContentBytes);
  }

  get apiRoot(): string | undefined {
    return this.shared.apiRoot;
  }

  private project(name: string, signal: AbortSignal | undefined): Promise<ProjectOutcome> {
    const key = isValidProjectName(name) ? normalizePythonName(name) : name;
    return memoized(this.projects, key, () => this.shared.project(name, signal), this.hit);
  }

  async getPackument(name: string, opts: ReadOptions = {}): Promise<RegistryResult> {
    return (await this.project(name, opts.signal)).result;
  }

  getProvenance(name: string, version: string, opts: ReadOptions = {}): Promise<ProvenanceSource | null> {
    const key = `${isValidProjectName(name) ? normalizePythonName(name) : name}@${version}`;
    // the release's files come from this review's own project documents (no extra request)
    const project = (): Promise<ProjectOutcome> =>
      isValidProjectName(name)
        ? this.project(name, opts.signal)
        : Promise.resolve({ result: { ok: false, reason: 'invalid project name' }, provenanceUrls: new Map() });
    return memoized(this.provenances, key, () => this.shared.provenance(name, version, project(), opts.signal), this.hit);
  }

  listWheel(file: DistFile, opts: ReadOptions = {}): Promise<WheelListing> {
    return this.shared.wheel(file, opts.signal);
  }

  getDistContents(request: PythonContentsRequest, opts: ReadOptions = {}): Promise<PythonContentsResult> {
    return this.shared.distContents(request, this.contentBudget, opts.signal);
  }

  inspectSdist(file: DistFile, opts: ReadOptions = {}): Promise<SdistInfo> {
    return this.shared.sdist(file, opts.signal);
  }

  stats(): RegistryStats {
    return { ...this.shared.counters };
  }

  review(): PythonIndexClient {
    return new View(this.shared);
  }
}

export function createPypiIndexClient(opts: PypiIndexClientOptions): PythonIndexClient {
  return new View(new Shared(opts.config, opts));
}
