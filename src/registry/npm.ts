/**
 * The npm registry client: the only code in lockwarden that talks to a package registry.
 *
 * - Hosts come from {@link NpmRegistryConfig} only (never from a lockfile's `resolved` or a
 *   document's `dist.attestations.url`); credentials go only to the nerf-dart they belong to,
 *   recomputed for every URL including redirects.
 * - Full packuments are streamed through a selective parser (json-select.ts) with a byte limit and
 *   reduced to the slim {@link Packument} as they arrive: the raw text is never held whole.
 * - One request per name per review (in-flight and repeated calls share it), a concurrency limit
 *   across all requests, retries with exponential backoff and jitter on 5xx / 429 / network errors /
 *   timeouts, and a byte-bounded LRU of slim documents revalidated with ETags across reviews.
 */
import { STATUS_CODES } from 'node:http';
import { JsonSyntaxError, SelectiveJsonParser } from './json-select.js';
import type { NpmRegistryConfig } from './npmrc.js';
import { InvalidDocumentError, PackumentReducer, estimatePackumentBytes } from './packument.js';
import { InvalidAttestationError, provenanceFromAttestations } from './provenance.js';
import type { Packument, ProvenanceSource, RegistryResult } from './types.js';

export interface RegistryStats {
  /** HTTP requests sent (every attempt and redirect hop counts). */
  requests: number;
  /** Of those, packument requests. */
  packumentRequests: number;
  /** Calls answered without a request of their own (repeated or concurrent calls, cached provenance). */
  cacheHits: number;
  /** 304 answers that reused a cached document. */
  notModified: number;
  /** Attempts repeated after a retryable failure. */
  retries: number;
}

/** Reported after every HTTP request (never carries credentials). */
export interface RegistryRequestInfo {
  kind: 'packument' | 'provenance';
  name: string;
  version?: string;
  url: string;
  /** 1-based attempt number. */
  attempt: number;
  status?: number;
  /** Short reason when the request failed or was answered with an error status. */
  error?: string;
  /** Body bytes read (after decompression). */
  bytes: number;
  ms: number;
  /** Sent with If-None-Match / If-Modified-Since. */
  conditional: boolean;
}

export interface RegistryClient {
  /** The slim packument for a name, from the name's configured registry. Never throws. */
  getPackument(name: string): Promise<RegistryResult>;
  /**
   * The source repository and workflow from the SLSA provenance of name@version, read from the
   * configured registry's attestations endpoint. null: the version has no provenance (404 or no
   * SLSA attestation). Throws {@link RegistryError} when it could not be read (network, status,
   * malformed document), so callers can tell "none" from "unknown".
   */
  getProvenance(name: string, version: string): Promise<ProvenanceSource | null>;
  stats(): RegistryStats;
  /**
   * A view for one review: its own one-request-per-name memo, sharing this client's cache (and its
   * ETags), concurrency limit and stats. A long-lived process (the App) keeps one client and calls
   * `review()` per pull request, so each review sees fresh (revalidated) documents.
   */
  review(): RegistryClient;
}

export interface NpmRegistryClientOptions {
  config: NpmRegistryConfig;
  /** Maximum requests in flight across the client (default 8). */
  concurrency?: number;
  /** Maximum wait for response headers and between body chunks, ms (default 30000); a whole attempt is capped at 4×. */
  timeoutMs?: number;
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** Byte budget of the cache of slim documents (default 64 MiB). */
  cacheBytes?: number;
  /** Largest document body accepted, after decompression (default 256 MiB). */
  maxDocumentBytes?: number;
  userAgent?: string;
  fetchImpl?: typeof fetch;
  onRequest?: (info: RegistryRequestInfo) => void;
  /** Base of the exponential backoff, ms (default 300; the delay is base·2^n with jitter, capped at 10 s). */
  backoffMs?: number;
  /** A Retry-After longer than this (ms, default 60000) gives up instead of waiting. */
  maxRetryAfterMs?: number;
}

/** A registry read that failed after retries. Its message is short and never contains credentials. */
export class RegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryError';
  }
}

const MiB = 1024 * 1024;
const FULL_ACCEPT = 'application/json';
const MAX_REDIRECTS = 5;
const MAX_ATTESTATION_BYTES = 16 * MiB;

/**
 * `@scope/name` → `@scope%2fname` (the registry's escaped form); undefined for names that cannot be
 * package names (empty, slashes beyond the scope, `.`/`..`, whitespace or control characters).
 */
export function escapePackageName(name: string, scopeSeparator = '%2f'): string | undefined {
  if (name.length === 0 || name.length > 1000 || /[\s\u0000-\u001f\u007f]/.test(name)) return undefined;
  const m = /^(?:@([^/@]+)\/)?([^/]+)$/.exec(name);
  if (!m) return undefined;
  const scope = m[1];
  const pkg = m[2]!;
  if (pkg === '.' || pkg === '..' || pkg.startsWith('@') || scope === '.' || scope === '..') return undefined;
  return scope !== undefined ? `@${encodeURIComponent(scope)}${scopeSeparator}${encodeURIComponent(pkg)}` : encodeURIComponent(pkg);
}

// ---------------------------------------------------------------------------------------------

class Limiter {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly max: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((r) => this.queue.push(r));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active--;
    }
  }
}

type CacheEntry =
  | { kind: 'packument'; packument: Packument; etag?: string; lastModified?: string; bytes: number }
  | { kind: 'provenance'; provenance: ProvenanceSource | null; bytes: number };

/** LRU bounded by the estimated bytes of its entries. */
class ByteLru {
  private readonly map = new Map<string, CacheEntry>();
  private total = 0;
  constructor(private readonly budget: number) {}
  get(key: string): CacheEntry | undefined {
    const e = this.map.get(key);
    if (e) {
      this.map.delete(key);
      this.map.set(key, e);
    }
    return e;
  }
  set(key: string, e: CacheEntry): void {
    this.delete(key);
    if (e.bytes > this.budget) return;
    this.map.set(key, e);
    this.total += e.bytes;
    for (const [k, old] of this.map) {
      if (this.total <= this.budget) break;
      this.map.delete(k);
      this.total -= old.bytes;
    }
  }
  delete(key: string): void {
    const e = this.map.get(key);
    if (e) {
      this.map.delete(key);
      this.total -= e.bytes;
    }
  }
  get bytes(): number {
    return this.total;
  }
  get size(): number {
    return this.map.size;
  }
}

/** The outcome of one HTTP attempt. */
type Attempt<T> =
  | { type: 'ok'; value: T }
  | { type: 'notFound' }
  | { type: 'notModified' }
  | { type: 'retry'; reason: string; retryAfterMs?: number }
  | { type: 'fail'; reason: string };

type Final<T> = { type: 'ok'; value: T } | { type: 'notFound' } | { type: 'notModified' } | { type: 'fail'; reason: string };

interface RequestSpec {
  kind: 'packument' | 'provenance';
  name: string;
  version?: string;
  url: string;
  accept: string;
  conditional?: { etag?: string; lastModified?: string };
}

class TimeoutSignal extends Error {}

/** The standard phrase for a status: a server's own status text is not echoed (it could carry anything). */
function statusReason(status: number): string {
  const phrase = STATUS_CODES[status];
  return `registry responded ${status}${phrase ? ` ${phrase}` : ''}`;
}

function networkReason(e: unknown): string {
  const err = e as { cause?: { code?: unknown; message?: unknown }; code?: unknown; message?: unknown };
  const code = err?.cause?.code ?? err?.code;
  if (typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code)) return `network error: ${code}`;
  const msg = err?.cause?.message ?? err?.message;
  // undici's messages are fixed strings ("fetch failed", "terminated", "other side closed"); keep them short
  return typeof msg === 'string' && msg.length < 80 && !/[@:]\/\//.test(msg) ? `network error: ${msg}` : 'network error';
}

/** Retry-After: delta-seconds or an HTTP date → ms (undefined when absent or unreadable). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

class Shared {
  readonly config: NpmRegistryConfig;
  readonly limiter: Limiter;
  readonly cache: ByteLru;
  readonly inflight = new Map<string, Promise<unknown>>();
  readonly counters: RegistryStats = { requests: 0, packumentRequests: 0, cacheHits: 0, notModified: 0, retries: 0 };
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly maxDocumentBytes: number;
  private readonly userAgent: string;
  private readonly fetchImpl: typeof fetch;
  private readonly onRequest: ((info: RegistryRequestInfo) => void) | undefined;
  private readonly backoffMs: number;
  private readonly maxRetryAfterMs: number;

  constructor(opts: NpmRegistryClientOptions) {
    this.config = opts.config;
    this.limiter = new Limiter(Math.max(1, Math.floor(opts.concurrency ?? 8)));
    this.cache = new ByteLru(Math.max(0, opts.cacheBytes ?? 64 * MiB));
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.retries = Math.max(0, Math.floor(opts.retries ?? 3));
    this.maxDocumentBytes = opts.maxDocumentBytes ?? 256 * MiB;
    this.userAgent = opts.userAgent ?? `lockwarden (node ${process.version})`;
    this.fetchImpl = opts.fetchImpl ?? fetch;
    this.onRequest = opts.onRequest;
    this.backoffMs = opts.backoffMs ?? 300;
    this.maxRetryAfterMs = opts.maxRetryAfterMs ?? 60_000;
  }

  /** Shares one in-flight promise per key across views. */
  dedupe<T>(key: string, start: () => Promise<T>): Promise<T> {
    const running = this.inflight.get(key) as Promise<T> | undefined;
    if (running) {
      this.counters.cacheHits++;
      return running;
    }
    const p = start().finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  packument(name: string): Promise<RegistryResult> {
    const escaped = escapePackageName(name);
    if (escaped === undefined) return Promise.resolve({ ok: false, reason: 'invalid package name' });
    const url = this.config.registryFor(name) + escaped;
    return this.dedupe(`p ${url}`, () => this.fetchPackument(name, url));
  }

  private async fetchPackument(name: string, url: string): Promise<RegistryResult> {
    const cachedEntry = this.cache.get(url);
    const cached = cachedEntry?.kind === 'packument' ? cachedEntry : undefined;
    const spec: RequestSpec = { kind: 'packument', name, url, accept: FULL_ACCEPT };
    if (cached && (cached.etag || cached.lastModified)) {
      spec.conditional = {};
      if (cached.etag) spec.conditional.etag = cached.etag;
      if (cached.lastModified) spec.conditional.lastModified = cached.lastModified;
    }
    let validators: { etag?: string; lastModified?: string } = {};
    const out = await this.withRetries(spec, async (res, readBody) => {
      const reducer = new PackumentReducer(name);
      const parser = new SelectiveJsonParser(reducer.selector);
      await readBody(this.maxDocumentBytes, (chunk) => parser.write(chunk));
      const packument = reducer.finish(parser.end());
      validators = {};
      const etag = res.headers.get('etag');
      const lastModified = res.headers.get('last-modified');
      if (etag) validators.etag = etag;
      if (lastModified) validators.lastModified = lastModified;
      return packument;
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
        return { ok: false, reason: out.reason };
    }
  }

  async provenance(name: string, version: string): Promise<ProvenanceSource | null> {
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
    return this.dedupe(`a ${url}`, async () => {
      const out = await this.withRetries({ kind: 'provenance', name, version, url, accept: FULL_ACCEPT }, async (_res, readBody) => {
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
    });
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  private backoff(retry: number): number {
    const ceiling = Math.min(10_000, this.backoffMs * 2 ** retry);
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  private async withRetries<T>(
    spec: RequestSpec,
    consume: (res: Response, readBody: (limit: number, onChunk: (c: Uint8Array) => void) => Promise<void>) => Promise<T>,
  ): Promise<Final<T>> {
    const attempts = this.retries + 1;
    let last = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const r = await this.limiter.run(() => this.attempt(spec, attempt, consume));
      if (r.type !== 'retry') return r;
      last = r.reason;
      if (attempt === attempts) break;
      let delay = this.backoff(attempt - 1);
      if (r.retryAfterMs !== undefined) {
        if (r.retryAfterMs > this.maxRetryAfterMs) {
          return { type: 'fail', reason: `${r.reason}; Retry-After of ${Math.round(r.retryAfterMs / 1000)}s is too long` };
        }
        delay = r.retryAfterMs;
      }
      this.counters.retries++;
      await new Promise((res) => setTimeout(res, delay));
    }
    return { type: 'fail', reason: attempts > 1 ? `${last} (after ${attempts} attempts)` : last };
  }

  private async attempt<T>(
    spec: RequestSpec,
    attempt: number,
    consume: (res: Response, readBody: (limit: number, onChunk: (c: Uint8Array) => void) => Promise<void>) => Promise<T>,
  ): Promise<Attempt<T>> {
    const controller = new AbortController();
    let timedOut = false;
    const onTimeout = (): void => {
      timedOut = true;
      controller.abort(new TimeoutSignal());
    };
    let idle = setTimeout(onTimeout, this.timeoutMs);
    const hard = setTimeout(onTimeout, this.timeoutMs * 4);
    const touch = (): void => {
      clearTimeout(idle);
      idle = setTimeout(onTimeout, this.timeoutMs);
    };
    let url = spec.url;
    let status: number | undefined;
    let bytes = 0;
    let started = Date.now();
    let res: Response | undefined;
    const report = (error?: string): void => {
      if (!this.onRequest) return;
      const info: RegistryRequestInfo = { kind: spec.kind, name: spec.name, url, attempt, bytes, ms: Date.now() - started, conditional: spec.conditional !== undefined };
      if (spec.version !== undefined) info.version = spec.version;
      if (status !== undefined) info.status = status;
      if (error !== undefined) info.error = error;
      try {
        this.onRequest(info);
      } catch {
        // a listener's failure is not the request's
      }
    };
    const finish = (a: Attempt<T>): Attempt<T> => {
      report(a.type === 'retry' || a.type === 'fail' ? a.reason : undefined);
      return a;
    };
    try {
      for (let hop = 0; ; hop++) {
        const headers: Record<string, string> = { accept: spec.accept, 'accept-encoding': 'gzip', 'user-agent': this.userAgent };
        const auth = this.config.authHeaderFor(url);
        if (auth) headers.authorization = auth;
        if (spec.conditional?.etag) headers['if-none-match'] = spec.conditional.etag;
        else if (spec.conditional?.lastModified) headers['if-modified-since'] = spec.conditional.lastModified;
        this.counters.requests++;
        if (spec.kind === 'packument') this.counters.packumentRequests++;
        started = Date.now();
        bytes = 0;
        status = undefined;
        res = await this.fetchImpl(url, { headers, signal: controller.signal, redirect: 'manual' });
        touch();
        status = res.status;
        if (status >= 300 && status < 400 && status !== 304) {
          const location = res.headers.get('location');
          await res.body?.cancel().catch(() => undefined);
          if (!location || hop >= MAX_REDIRECTS) return finish({ type: 'fail', reason: location ? 'too many redirects' : `${statusReason(status)} without a location` });
          let next: URL;
          try {
            next = new URL(location, url);
          } catch {
            return finish({ type: 'fail', reason: 'redirect to an invalid URL' });
          }
          if (next.protocol !== 'http:' && next.protocol !== 'https:') return finish({ type: 'fail', reason: 'redirect to a non-http URL' });
          if (next.username || next.password) return finish({ type: 'fail', reason: 'redirect to a URL with credentials' });
          report();
          url = next.href;
          continue;
        }
        break;
      }
      if (status === 304) {
        await res.body?.cancel().catch(() => undefined);
        return finish(spec.conditional ? { type: 'notModified' } : { type: 'fail', reason: 'unexpected 304 Not Modified' });
      }
      if (status === 404) {
        await res.body?.cancel().catch(() => undefined);
        return finish({ type: 'notFound' });
      }
      if (status === 429 || status >= 500) {
        const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
        await res.body?.cancel().catch(() => undefined);
        const reason = status === 429 ? 'rate limited by the registry (429)' : statusReason(status);
        return finish(retryAfterMs !== undefined ? { type: 'retry', reason, retryAfterMs } : { type: 'retry', reason });
      }
      if (status < 200 || status >= 300) {
        await res.body?.cancel().catch(() => undefined);
        return finish({ type: 'fail', reason: statusReason(status) });
      }
      const response = res;
      const readBody = async (limit: number, onChunk: (c: Uint8Array) => void): Promise<void> => {
        const declared = Number(response.headers.get('content-length'));
        if (!response.headers.get('content-encoding') && Number.isFinite(declared) && declared > limit) {
          throw new TooLarge(limit);
        }
        if (!response.body) return;
        const reader = response.body.getReader();
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            touch();
            bytes += value.byteLength;
            if (bytes > limit) throw new TooLarge(limit);
            onChunk(value);
          }
        } catch (e) {
          await reader.cancel().catch(() => undefined);
          throw e;
        } finally {
          reader.releaseLock();
        }
      };
      const value = await consume(response, readBody);
      return finish({ type: 'ok', value });
    } catch (e) {
      await res?.body?.cancel().catch(() => undefined);
      if (e instanceof TooLarge) return finish({ type: 'fail', reason: `registry document too large (over ${e.limit} bytes)` });
      if (e instanceof JsonSyntaxError || e instanceof InvalidDocumentError) return finish({ type: 'fail', reason: `invalid registry document: ${e.message}` });
      if (e instanceof InvalidAttestationError) return finish({ type: 'fail', reason: e.message });
      if (timedOut) return finish({ type: 'retry', reason: `timed out after ${this.timeoutMs} ms` });
      return finish({ type: 'retry', reason: networkReason(e) });
    } finally {
      clearTimeout(idle);
      clearTimeout(hard);
    }
  }
}

class TooLarge extends Error {
  constructor(readonly limit: number) {
    super('too large');
  }
}

class View implements RegistryClient {
  private readonly packuments = new Map<string, Promise<RegistryResult>>();
  private readonly provenances = new Map<string, Promise<ProvenanceSource | null>>();
  constructor(private readonly shared: Shared) {}

  getPackument(name: string): Promise<RegistryResult> {
    const memo = this.packuments.get(name);
    if (memo) {
      this.shared.counters.cacheHits++;
      return memo;
    }
    const p = this.shared.packument(name);
    this.packuments.set(name, p);
    return p;
  }

  getProvenance(name: string, version: string): Promise<ProvenanceSource | null> {
    const key = `${name}@${version}`;
    const memo = this.provenances.get(key);
    if (memo) {
      this.shared.counters.cacheHits++;
      return memo;
    }
    const p = this.shared.provenance(name, version);
    this.provenances.set(key, p);
    return p;
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
