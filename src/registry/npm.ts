/**
 * The npm registry client. Hosts come from {@link NpmRegistryConfig} only (never from a lockfile's
 * `resolved` or a document's `dist.attestations.url`); credentials go only to their nerf-dart, recomputed
 * for every URL including redirects. Packuments stream through a capped selective parser; a document
 * refused outright comes back `failClosed` (the server caused it). Sharing and caching: docs/REGISTRY.md.
 */
import { ReadCut } from './abort.js';
import { escapePackageName } from './npm-names.js';
import {
  ByteLru,
  Inflight,
  RegistryError,
  TooLarge,
  conditionalFor,
  countingTransport,
  memoized,
  validatorsOf,
  type HttpRequestInfo,
  type HttpTransport,
  type Consume,
  type Validators,
} from './http.js';
import { JsonSyntaxError, SelectiveJsonParser } from '../readers/json-select.js';
import type { NpmRegistryConfig } from './npmrc.js';
import { InvalidDocumentError, PackumentReducer, estimatePackumentBytes } from './packument.js';
import { InvalidAttestationError, provenanceFromAttestations } from './provenance.js';
import type {
  ArchiveAdmission,
  ContentsPrefetch,
  ContentsReadOptions,
  ContentsRequest,
  ContentsResult,
  Packument,
  ProvenanceSource,
  ReadOptions,
  RegistryClient,
  RegistryResult,
  RegistryStats,
} from '../model/index.js';
import { ArchiveCache } from './contents/cache.js';
import { type Downloaded, downloadTarball } from './contents/download.js';
import { ArchiveReadAhead } from './contents/prefetch.js';
import { readNpmContents } from './contents/npm-contents.js';

/** Reported after every HTTP request (never carries credentials). */
export type RegistryRequestInfo = HttpRequestInfo<'packument' | 'provenance' | 'tarball'>;

export interface NpmRegistryClientOptions {
  config: NpmRegistryConfig;
  /** Maximum document requests in flight across the client (default 8). */
  concurrency?: number;
  /**
   * Maximum archive downloads in flight across the client (default 16, pnpm's network concurrency),
   * apart from the documents', so neither queues behind the other.
   */
  archiveConcurrency?: number;
  /** Maximum wait for response headers and between body chunks, ms (default 30000); a whole attempt is capped at 4×. */
  timeoutMs?: number;
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** The longest one read may take, all attempts and waits included, ms (default 4 × timeoutMs). */
  deadlineMs?: number;
  /** Byte budget of the cache of slim documents (default 64 MiB). */
  cacheBytes?: number;
  /** Largest document body accepted, after decompression (default 256 MiB). */
  maxDocumentBytes?: number;
  userAgent?: string;
  fetchImpl?: typeof fetch;
  onRequest?: (info: RegistryRequestInfo) => void;
  /** The archive cache of content analysis (default: memory only; `LOCKWARDEN_CACHE_DIR` gives a directory, src/registry/clients.ts). */
  archiveCache?: ArchiveCache;
  /** Base of the exponential backoff, ms (default 300; the delay is base·2^n with jitter, capped at 10 s). */
  backoffMs?: number;
  /** A Retry-After longer than this (ms, default 60000) gives up instead of waiting. */
  maxRetryAfterMs?: number;
}

export { RegistryError, parseRetryAfter } from './http.js';
export { escapePackageName } from './npm-names.js';

const MiB = 1024 * 1024;
const FULL_ACCEPT = 'application/json';
const MAX_ATTESTATION_BYTES = 16 * MiB;

/** `scheme://host:port` of a registry URL: what messages may name (no credentials, no path). */
function originOf(url: string): string | undefined {
  try {
    const o = new URL(url).origin;
    return o === 'null' ? undefined : o;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------

type CacheEntry =
  | { kind: 'packument'; packument: Packument; etag?: string; lastModified?: string; bytes: number }
  | { kind: 'provenance'; provenance: ProvenanceSource | null; bytes: number };

interface RequestSpec {
  kind: 'packument' | 'provenance' | 'tarball';
  name: string;
  version?: string;
  url: string;
  accept: string;
  conditional?: Validators;
}

/** A body that failed to parse or validate is not retried: the reason names the problem. */
function classifyDocumentError(e: unknown): string | undefined {
  if (e instanceof JsonSyntaxError || e instanceof InvalidDocumentError) return `invalid registry document: ${e.message}`;
  if (e instanceof InvalidAttestationError) return e.message;
  return undefined;
}

class Shared {
  readonly config: NpmRegistryConfig;
  readonly cache: ByteLru<CacheEntry>;
  readonly counters: RegistryStats = { requests: 0, packumentRequests: 0, cacheHits: 0, notModified: 0, retries: 0 };
  private readonly inflight = new Inflight(() => this.counters.cacheHits++);
  private readonly maxDocumentBytes: number;
  private readonly http: HttpTransport<RegistryRequestInfo['kind']>;
  private readonly archiveHttp: HttpTransport<RegistryRequestInfo['kind']>;
  readonly archives: ArchiveCache;

  constructor(opts: NpmRegistryClientOptions) {
    this.config = opts.config;
    this.archives = opts.archiveCache ?? new ArchiveCache();
    this.cache = new ByteLru<CacheEntry>(Math.max(0, opts.cacheBytes ?? 64 * MiB));
    this.maxDocumentBytes = opts.maxDocumentBytes ?? 256 * MiB;
    const base = { authHeaderFor: (url: string) => this.config.authHeaderFor(url), classifyError: classifyDocumentError };
    const isDocument = (kind: RegistryRequestInfo['kind']): boolean => kind === 'packument';
    this.http = countingTransport(this.counters, isDocument, base, opts);
    this.archiveHttp = countingTransport(this.counters, isDocument, base, { ...opts, concurrency: opts.archiveConcurrency ?? 16 });
  }

  /** Shares one in-flight promise per key across views (aborted once no caller waits for it any more). */
  dedupe<T>(key: string, start: (signal: AbortSignal) => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    return this.inflight.run(key, start, signal);
  }

  async packument(name: string, signal: AbortSignal | undefined): Promise<RegistryResult> {
    const escaped = escapePackageName(name);
    if (escaped === undefined) return { ok: false, reason: 'invalid package name' };
    const url = this.config.registryFor(name) + escaped;
    try {
      const r = await this.dedupe(`p ${url}`, (shared) => this.fetchPackument(name, url, shared), signal);
      // which registry answered, for messages (an origin carries no path and no credentials)
      if (r.ok) r.packument.origin ??= originOf(url);
      else if (r.notFound) r.origin = originOf(url);
      return r;
    } catch (e) {
      if (e instanceof ReadCut) return { ok: false, reason: e.message };
      throw e;
    }
  }

  private async fetchPackument(name: string, url: string, signal: AbortSignal): Promise<RegistryResult> {
    const cachedEntry = this.cache.get(url);
    const cached = cachedEntry?.kind === 'packument' ? cachedEntry : undefined;
    const spec: RequestSpec = { kind: 'packument', name, url, accept: FULL_ACCEPT };
    const conditional = conditionalFor(cached);
    if (conditional) spec.conditional = conditional;
    let validators: Validators = {};
    // set when the server's document itself was refused (not JSON, not an object, too large): fail closed
    let rejected = false;
    const out = await this.withRetries(spec, signal, async (res, readBody) => {
      try {
        const reducer = new PackumentReducer(name);
        const parser = new SelectiveJsonParser(reducer.selector);
        await readBody(this.maxDocumentBytes, (chunk) => parser.write(chunk));
        const packument = reducer.finish(parser.end());
        validators = validatorsOf(res);
        return packument;
      } catch (e) {
        rejected = e instanceof TooLarge || classifyDocumentError(e) !== undefined;
        throw e;
      }
    });
    switch (out.type) {
      case 'ok':
        if (validators.etag || validators.lastModified) {
          this.cache.set(url, { kind: 'packument', packument: out.value, ...validators, bytes: estimatePackumentBytes(out.value) });
        } else {
          this.cache.delete(url);
        }
        return { ok: true, packument: out.value };
      case 'notModified':
        // `cached` is held here even if the LRU evicted it meanwhile
        this.counters.notModified++;
        this.cache.set(url, cached!);
        return { ok: true, packument: cached!.packument };
      case 'notFound':
        this.cache.delete(url);
        return { ok: false, notFound: true, reason: 'not found in the registry (404)' };
      default:
        return rejected ? { ok: false, reason: out.reason, failClosed: true } : { ok: false, reason: out.reason };
    }
  }

  async provenance(name: string, version: string, signal: AbortSignal | undefined): Promise<ProvenanceSource | null> {
    const escaped = escapePackageName(name, '/');
    if (escaped === undefined) throw new RegistryError('invalid package name');
    if (!version || version.length > 256 || /[\s/\u0000-\u001f]/.test(version)) throw new RegistryError('invalid version');
    // only ever the configured registry for this name, never the document's attestations url
    const url = `${this.config.registryFor(name)}-/npm/v1/attestations/${escaped}@${encodeURIComponent(version)}`;
    const cached = this.cache.get(url);
    if (cached?.kind === 'provenance') {
      this.counters.cacheHits++;
      return cached.provenance;
    }
    const read = this.dedupe(
      `a ${url}`,
      async (shared) => {
        const out = await this.withRetries({ kind: 'provenance', name, version, url, accept: FULL_ACCEPT }, shared, async (_res, readBody) => {
          const parts: Buffer[] = [];
          await readBody(Math.min(this.maxDocumentBytes, MAX_ATTESTATION_BYTES), (chunk) => parts.push(Buffer.from(chunk)));
          let doc: unknown;
          try {
            doc = JSON.parse(Buffer.concat(parts).toString('utf8'));
          } catch {
            throw new InvalidAttestationError('attestations document is not JSON');
          }
          return provenanceFromAttestations(doc);
        });
        if (out.type === 'ok') {
          // a published version's attestations do not change: keep the answer across reviews
          const p = out.value;
          const bytes = 200 + (p ? JSON.stringify(p).length * 2 : 0);
          this.cache.set(url, { kind: 'provenance', provenance: p, bytes });
          return p;
        }
        if (out.type === 'notFound') return null;
        if (out.type === 'notModified') throw new RegistryError('unexpected 304 for attestations');
        throw new RegistryError(out.reason);
      },
      signal,
    );
    return read.catch((e: unknown) => {
      throw e instanceof ReadCut ? new RegistryError(e.message) : e;
    });
  }

  /**
   * A version's verified archive contents (src/registry/contents), shared across reviews by integrity;
   * bytes the review read ahead (./contents/prefetch.ts) are taken instead of a download.
   */
  contents(req: ContentsRequest, opts: ContentsReadOptions, ahead: ArchiveReadAhead | undefined): Promise<ContentsResult> {
    const deps = {
      registryFor: (name: string) => this.config.registryFor(name),
      cache: this.archives,
      download: async (url: string, limit: number, cut: AbortSignal | undefined, admission: ArchiveAdmission | undefined): Promise<Downloaded> => {
        const early = await ahead?.take(url, limit, cut);
        return early ? { bytes: early } : this.downloadArchive(req, url, limit, cut, admission);
      },
    };
    return readNpmContents(req, deps, opts.signal, opts.admission);
  }

  /** The read-ahead of one review: its own downloads, on the same transport as the others. */
  readAhead(): ArchiveReadAhead {
    return new ArchiveReadAhead({
      registryFor: (name) => this.config.registryFor(name),
      cache: this.archives,
      download: (req, url, limit, cut, admission) => this.downloadArchive(req, url, limit, cut, admission),
    });
  }

  private downloadArchive(
    req: Pick<ContentsRequest, 'name' | 'version'>,
    url: string,
    limit: number,
    cut: AbortSignal | undefined,
    admission: ArchiveAdmission | undefined,
  ): Promise<Downloaded> {
    const spec = { kind: 'tarball' as const, name: req.name, version: req.version, url, accept: '*/*' };
    return downloadTarball((consume, s) => this.withRetries(spec, s, consume), limit, cut, admission);
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  private withRetries<T>(spec: RequestSpec, signal: AbortSignal | undefined, consume: Consume<T>) {
    const { accept, ...rest } = spec;
    const http = spec.kind === 'tarball' ? this.archiveHttp : this.http;
    return http.withRetries({ ...rest, headers: { accept, 'accept-encoding': 'gzip' } }, consume, signal);
  }
}

class View implements RegistryClient {
  private readonly packuments = new Map<string, Promise<RegistryResult>>();
  private readonly provenances = new Map<string, Promise<ProvenanceSource | null>>();
  private ahead: ArchiveReadAhead | undefined;
  /** A call this review has made before: answered from the memo. */
  private readonly hit = (): void => {
    this.shared.counters.cacheHits++;
  };
  constructor(private readonly shared: Shared) {}

  getPackument(name: string, opts: ReadOptions = {}): Promise<RegistryResult> {
    return memoized(this.packuments, name, () => this.shared.packument(name, opts.signal), this.hit);
  }

  getProvenance(name: string, version: string, opts: ReadOptions = {}): Promise<ProvenanceSource | null> {
    return memoized(this.provenances, `${name}@${version}`, () => this.shared.provenance(name, version, opts.signal), this.hit);
  }

  registryUrl(name: string): string {
    return this.shared.config.registryFor(name);
  }

  getContents(request: ContentsRequest, opts: ContentsReadOptions = {}): Promise<ContentsResult> {
    return this.shared.contents(request, opts, this.ahead);
  }

  prefetchContents(request: ContentsPrefetch, opts: ReadOptions = {}): void {
    this.ahead ??= this.shared.readAhead();
    this.ahead.start(request, opts.signal);
  }

  stats(): RegistryStats {
    return { ...this.shared.counters };
  }

  review(): RegistryClient {
    return new View(this.shared);
  }
}

export function createNpmRegistryClient(opts: NpmRegistryClientOptions): RegistryClient {
  return new View(new Shared(opts));
}
