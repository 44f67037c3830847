/**
 * The HTTP transport shared by the registry clients: concurrency limit, timeouts and one deadline per
 * read, retries with backoff on 5xx / 429 / network errors, the caller's AbortSignal, bounded bodies
 * (docs/REGISTRY.md). Redirects are followed by hand, http(s) only, with `Authorization` recomputed per
 * hop, so credentials never follow a redirect to another host; failure reasons never echo a server's
 * text or a credential.
 */
import { STATUS_CODES } from 'node:http';
import { ReadCut, cutReason, sleep, untilCut } from './abort.js';

/** A registry read that failed after retries. Its message is short and never contains credentials. */
export class RegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryError';
  }
}

export const MAX_REDIRECTS = 5;

/** Limits how many async jobs run at once; the rest wait in FIFO order. */
export class Limiter {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly max: number) {}
  /** Runs `fn` when a slot is free; throws {@link ReadCut} when `signal` aborts while waiting for one. */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw new ReadCut(cutReason(signal));
    if (this.active >= this.max) await this.wait(signal);
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active--;
    }
  }

  /** Queues for a slot (handed over by the finishing job, `active` unchanged); leaves the queue when `signal` aborts. */
  private wait(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.queue.indexOf(granted);
        if (i >= 0) this.queue.splice(i, 1);
        reject(new ReadCut(cutReason(signal!)));
      };
      const granted = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.queue.push(granted);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** LRU bounded by the estimated bytes of its entries. */
export class ByteLru<E extends { bytes: number }> {
  private readonly map = new Map<string, E>();
  private total = 0;
  constructor(private readonly budget: number) {}
  get(key: string): E | undefined {
    const e = this.map.get(key);
    if (e) {
      this.map.delete(key);
      this.map.set(key, e);
    }
    return e;
  }
  set(key: string, e: E): void {
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
export type Attempt<T> =
  | { type: 'ok'; value: T }
  | { type: 'notFound' }
  | { type: 'notModified' }
  | { type: 'retry'; reason: string; retryAfterMs?: number }
  | { type: 'fail'; reason: string };

/** The outcome after retries. */
export type Final<T> = { type: 'ok'; value: T } | { type: 'notFound' } | { type: 'notModified' } | { type: 'fail'; reason: string };

export interface HttpRequestSpec<K extends string = string> {
  kind: K;
  name: string;
  version?: string;
  url: string;
  /** Request headers besides user-agent, authorization and the conditional ones (accept, accept-encoding, range). */
  headers: Record<string, string>;
  conditional?: { etag?: string; lastModified?: string };
  /** Error statuses handed to the consumer like a 2xx (e.g. 406 from a server without a representation). */
  passStatuses?: readonly number[];
  /**
   * A POST of a JSON body (only for pure reads such as an advisory query batch, so retrying it is
   * safe). Its redirects are not followed: the body must not be sent to a host the caller did not choose.
   */
  post?: { json: string };
  /** Statuses that end the read at once, without a retry (e.g. a rate limit that outlasts the review). */
  noRetryStatuses?: readonly number[];
}

/** Reported after every HTTP request (never carries credentials). */
export interface HttpRequestInfo<K extends string = string> {
  kind: K;
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

/** Reads the response body in chunks, failing with {@link TooLarge} past `limit` bytes. */
export type ReadBody = (limit: number, onChunk: (c: Uint8Array) => void) => Promise<void>;

/** What a read does with its response: the status is a success (or one the caller takes), the body not read yet. */
export type Consume<T> = (res: Response, readBody: ReadBody) => Promise<T>;

export interface HttpTransportOptions<K extends string> {
  /** Maximum requests in flight across the transport (default 8). */
  concurrency?: number;
  /** Maximum wait for response headers and between body chunks, ms (default 30000); a whole attempt is capped at 4×. */
  timeoutMs?: number;
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /**
   * The longest one read may take, all its attempts, backoffs and Retry-After waits included, ms
   * (default 4 × timeoutMs): counted from its first attempt; no retry starts after it.
   */
  deadlineMs?: number;
  /** Base of the exponential backoff, ms (default 300; the delay is base·2^n with jitter, capped at 10 s). */
  backoffMs?: number;
  /** A Retry-After longer than this (ms, default 60000) gives up instead of waiting. */
  maxRetryAfterMs?: number;
  userAgent?: string;
  fetchImpl?: typeof fetch;
  /** The `Authorization` header for a request URL (called for every hop, so redirects are re-checked). */
  authHeaderFor: (url: string) => string | undefined;
  onRequest?: (info: HttpRequestInfo<K>) => void;
  /** Called once per request sent (each attempt and redirect hop), before it is sent. */
  onSend?: (kind: K) => void;
  /** Called once per retry that is going to be waited for. */
  onRetry?: () => void;
  /** A fail reason for an error thrown while consuming a body (a malformed document); undefined: a network error. */
  classifyError?: (e: unknown) => string | undefined;
  /** Who answers, in reasons: `registry` (default) or e.g. `package index`. */
  serverLabel?: string;
}

/** Thrown by a {@link ReadBody} over its limit. */
export class TooLarge extends Error {
  constructor(readonly limit: number) {
    super('too large');
  }
}

class TimeoutSignal extends Error {}

/** The standard phrase for a status: a server's own status text is not echoed (it could carry anything). */
export function statusReason(status: number, label = 'registry'): string {
  const phrase = STATUS_CODES[status];
  return `${label} responded ${status}${phrase ? ` ${phrase}` : ''}`;
}

export function networkReason(e: unknown): string {
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

export class HttpTransport<K extends string> {
  readonly limiter: Limiter;
  readonly timeoutMs: number;
  private readonly retries: number;
  private readonly userAgent: string;
  private readonly fetchImpl: typeof fetch;
  private readonly backoffMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly deadlineMs: number;
  private readonly label: string;

  constructor(private readonly opts: HttpTransportOptions<K>) {
    this.limiter = new Limiter(Math.max(1, Math.floor(opts.concurrency ?? 8)));
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.retries = Math.max(0, Math.floor(opts.retries ?? 3));
    this.userAgent = opts.userAgent ?? `lockwarden (node ${process.version})`;
    this.fetchImpl = opts.fetchImpl ?? fetch;
    this.backoffMs = opts.backoffMs ?? 300;
    this.maxRetryAfterMs = opts.maxRetryAfterMs ?? 60_000;
    this.deadlineMs = opts.deadlineMs ?? this.timeoutMs * 4;
    this.label = opts.serverLabel ?? 'registry';
  }

  private backoff(retry: number): number {
    const ceiling = Math.min(10_000, this.backoffMs * 2 ** retry);
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  /**
   * Runs attempts until one succeeds, fails for good, the retries are used up, or the read's deadline
   * (counted from its first attempt) leaves no time for another. `signal` cuts it at once, wherever it is.
   */
  async withRetries<T>(spec: HttpRequestSpec<K>, consume: Consume<T>, signal?: AbortSignal): Promise<Final<T>> {
    const attempts = this.retries + 1;
    let last = '';
    let deadline = Infinity;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let r: Attempt<T>;
      const late = (): Attempt<T> => ({
        type: 'fail',
        reason: `${last} (after ${attempt - 1} attempt${attempt === 2 ? '' : 's'}; no time left before the ${Math.round(this.deadlineMs / 1000)} s deadline)`,
      });
      try {
        r = await this.limiter.run(() => {
          if (attempt === 1) deadline = Date.now() + this.deadlineMs;
          // a retry that waited for a slot past the deadline is not sent
          else if (Date.now() >= deadline) return Promise.resolve(late());
          return this.attempt(spec, attempt, consume, deadline, signal);
        }, signal);
      } catch (e) {
        if (e instanceof ReadCut) return { type: 'fail', reason: e.message };
        throw e;
      }
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
      if (Date.now() + delay >= deadline)
        return {
          type: 'fail',
          reason: `${last} (after ${attempt} attempt${attempt === 1 ? '' : 's'}; no time left before the ${Math.round(this.deadlineMs / 1000)} s deadline)`,
        };
      this.opts.onRetry?.();
      if (!(await sleep(delay, signal))) return { type: 'fail', reason: cutReason(signal!) };
    }
    return { type: 'fail', reason: attempts > 1 ? `${last} (after ${attempts} attempts)` : last };
  }

  private async attempt<T>(
    spec: HttpRequestSpec<K>,
    attempt: number,
    consume: Consume<T>,
    deadline: number,
    signal: AbortSignal | undefined,
  ): Promise<Attempt<T>> {
    const controller = new AbortController();
    let timedOut: string | undefined;
    const onTimeout = (reason: string) => (): void => {
      timedOut ??= reason;
      controller.abort(new TimeoutSignal());
    };
    const onIdle = onTimeout(`timed out after ${this.timeoutMs} ms`);
    let idle = setTimeout(onIdle, this.timeoutMs);
    // the attempt's own cap, or what is left of the read's deadline (a slow body is cut there)
    const capMs = Math.max(0, Math.min(this.timeoutMs * 4, deadline - Date.now()));
    const hard = setTimeout(onTimeout(`timed out: no complete answer within ${Math.round(capMs / 1000)} s`), capMs);
    const touch = (): void => {
      clearTimeout(idle);
      idle = setTimeout(onIdle, this.timeoutMs);
    };
    // the caller's signal (the review's deadline, a newer push) aborts the request and its body at once
    let cut = false;
    const onCut = (): void => {
      cut = true;
      controller.abort(new ReadCut(cutReason(signal!)));
    };
    if (signal?.aborted) onCut();
    else signal?.addEventListener('abort', onCut, { once: true });
    let url = spec.url;
    let status: number | undefined;
    let bytes = 0;
    let started = Date.now();
    let res: Response | undefined;
    const report = (error?: string): void => {
      if (!this.opts.onRequest) return;
      const info: HttpRequestInfo<K> = {
        kind: spec.kind,
        name: spec.name,
        url,
        attempt,
        bytes,
        ms: Date.now() - started,
        conditional: spec.conditional !== undefined,
      };
      if (spec.version !== undefined) info.version = spec.version;
      if (status !== undefined) info.status = status;
      if (error !== undefined) info.error = error;
      try {
        this.opts.onRequest(info);
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
        const headers: Record<string, string> = { ...spec.headers, 'user-agent': this.userAgent };
        const auth = this.opts.authHeaderFor(url);
        if (auth) headers.authorization = auth;
        if (spec.conditional?.etag) headers['if-none-match'] = spec.conditional.etag;
        else if (spec.conditional?.lastModified) headers['if-modified-since'] = spec.conditional.lastModified;
        this.opts.onSend?.(spec.kind);
        started = Date.now();
        bytes = 0;
        status = undefined;
        res = await this.fetchImpl(url, { ...requestBody(spec, headers), headers, signal: controller.signal, redirect: 'manual' });
        touch();
        status = res.status;
        if (spec.noRetryStatuses?.includes(status)) {
          await res.body?.cancel().catch(() => undefined);
          return finish({ type: 'fail', reason: status === 429 ? `rate limited by the ${this.label} (429)` : statusReason(status, this.label) });
        }
        if (status >= 300 && status < 400 && status !== 304) {
          const location = res.headers.get('location');
          await res.body?.cancel().catch(() => undefined);
          if (spec.post) return finish({ type: 'fail', reason: `${statusReason(status, this.label)}: a redirected query is not followed` });
          if (!location || hop >= MAX_REDIRECTS)
            return finish({ type: 'fail', reason: location ? 'too many redirects' : `${statusReason(status, this.label)} without a location` });
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
      // a status the caller handles itself (GitHub's rate limit, say) is not retried here
      if ((status === 429 || status >= 500) && !spec.passStatuses?.includes(status)) {
        const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
        await res.body?.cancel().catch(() => undefined);
        const reason = status === 429 ? `rate limited by the ${this.label} (429)` : statusReason(status, this.label);
        return finish(retryAfterMs !== undefined ? { type: 'retry', reason, retryAfterMs } : { type: 'retry', reason });
      }
      if ((status < 200 || status >= 300) && !spec.passStatuses?.includes(status)) {
        await res.body?.cancel().catch(() => undefined);
        return finish({ type: 'fail', reason: statusReason(status, this.label) });
      }
      const response = res;
      const readBody: ReadBody = async (limit, onChunk) => {
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
      await response.body?.cancel().catch(() => undefined);
      return finish({ type: 'ok', value });
    } catch (e) {
      await res?.body?.cancel().catch(() => undefined);
      if (cut) return finish({ type: 'fail', reason: cutReason(signal!) });
      if (e instanceof TooLarge) return finish({ type: 'fail', reason: `${this.label} document too large (over ${e.limit} bytes)` });
      const failReason = this.opts.classifyError?.(e);
      if (failReason !== undefined) return finish({ type: 'fail', reason: failReason });
      if (timedOut !== undefined) return finish({ type: 'retry', reason: timedOut });
      return finish({ type: 'retry', reason: networkReason(e) });
    } finally {
      clearTimeout(idle);
      clearTimeout(hard);
      signal?.removeEventListener('abort', onCut);
    }
  }
}

/** The method and body of a request: GET, or a POST of the spec's JSON (its content type set in `headers`). */
function requestBody(spec: HttpRequestSpec<string>, headers: Record<string, string>): { method: string; body?: string } {
  if (!spec.post) return { method: 'GET' };
  headers['content-type'] = 'application/json';
  return { method: 'POST', body: spec.post.json };
}

/** Reads a whole (bounded) body into one buffer. */
export async function readAll(readBody: ReadBody, limit: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  await readBody(limit, (chunk) => parts.push(Buffer.from(chunk)));
  return Buffer.concat(parts);
}

// ---- what both registry clients build on the transport ---------------------------------------

/** The transport settings a client takes in its own options and hands on unchanged. */
export type HttpTuning<K extends string> = Pick<
  HttpTransportOptions<K>,
  'concurrency' | 'timeoutMs' | 'retries' | 'deadlineMs' | 'backoffMs' | 'maxRetryAfterMs' | 'userAgent' | 'fetchImpl' | 'onRequest'
>;

/** The request counts a client reports in its stats, kept by {@link countingTransport}. */
export interface RequestCounters {
  requests: number;
  packumentRequests: number;
  retries: number;
}

/**
 * A transport that counts into `counters`: every request sent, the ones for a package's document
 * (`isDocument`), and every retry. Only the tuning the caller was given is passed on, so the
 * transport's defaults hold for the rest.
 */
export function countingTransport<K extends string>(
  counters: RequestCounters,
  isDocument: (kind: K) => boolean,
  base: Pick<HttpTransportOptions<K>, 'authHeaderFor' | 'classifyError' | 'serverLabel'>,
  tuning: HttpTuning<K>,
): HttpTransport<K> {
  const opts: HttpTransportOptions<K> = {
    ...base,
    onSend: (kind) => {
      counters.requests++;
      if (isDocument(kind)) counters.packumentRequests++;
    },
    onRetry: () => counters.retries++,
  };
  for (const key of TUNING_KEYS) {
    const value = tuning[key];
    if (value !== undefined) Object.assign(opts, { [key]: value });
  }
  return new HttpTransport(opts);
}

const TUNING_KEYS = [
  'concurrency',
  'timeoutMs',
  'retries',
  'deadlineMs',
  'backoffMs',
  'maxRetryAfterMs',
  'userAgent',
  'fetchImpl',
  'onRequest',
] as const satisfies readonly (keyof HttpTuning<string>)[];

/**
 * The promise `memo` holds for `key`, else the one `start()` makes, kept there. A call answered by a
 * kept promise is counted by `onHit`. Used for a review's one-request-per-name memo (kept for the
 * review); {@link Inflight} shares requests while they run.
 */
export function memoized<T>(memo: Map<string, Promise<T>>, key: string, start: () => Promise<T>, onHit: () => void): Promise<T> {
  const kept = memo.get(key);
  if (kept) {
    onHit();
    return kept;
  }
  const p = start();
  memo.set(key, p);
  return p;
}

interface Running {
  promise: Promise<unknown>;
  controller: AbortController;
  /** Callers still waiting that could abort; a caller without a signal keeps the run alive for good. */
  waiting: number;
  unbounded: boolean;
}

/**
 * One in-flight promise per key: concurrent callers (of any review) share it; it is forgotten once
 * settled. A caller whose signal aborts stops waiting at once (rejected with {@link ReadCut}); the
 * shared run itself is aborted only when every caller has stopped waiting.
 */
export class Inflight {
  private readonly running = new Map<string, Running>();
  constructor(private readonly onHit: () => void) {}

  run<T>(key: string, start: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    let r = this.running.get(key);
    if (r) this.onHit();
    else {
      const controller = new AbortController();
      const entry: Running = { promise: Promise.resolve(), controller, waiting: 0, unbounded: false };
      entry.promise = start(controller.signal).finally(() => this.forget(key, entry));
      r = entry;
      this.running.set(key, r);
    }
    const run = r;
    if (!signal) {
      run.unbounded = true;
      return run.promise as Promise<T>;
    }
    run.waiting++;
    const leave = (): void => {
      if (--run.waiting > 0 || run.unbounded) return;
      // nobody waits any more: stop it, and let a later caller start afresh rather than join a cut read
      this.forget(key, run);
      run.controller.abort(signal.reason);
    };
    return untilCut(run.promise as Promise<T>, signal, leave);
  }

  private forget(key: string, run: Running): void {
    if (this.running.get(key) === run) this.running.delete(key);
  }
}

/** A cached document's validators, or the ones a response carries. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

/** The conditional part of a request revalidating `cached`; undefined when it has no validators. */
export function conditionalFor(cached: Validators | undefined): Validators | undefined {
  if (!cached || !(cached.etag || cached.lastModified)) return undefined;
  const out: Validators = {};
  if (cached.etag) out.etag = cached.etag;
  if (cached.lastModified) out.lastModified = cached.lastModified;
  return out;
}

/** The ETag and Last-Modified a response carries (the ones it has). */
export function validatorsOf(res: Response): Validators {
  const out: Validators = {};
  const etag = res.headers.get('etag');
  const lastModified = res.headers.get('last-modified');
  if (etag) out.etag = etag;
  if (lastModified) out.lastModified = lastModified;
  return out;
}
