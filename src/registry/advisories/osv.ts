/**
 * The OSV API: `POST {base}/v1/querybatch` (ids only, chunked at the service's 1000 queries, paged per
 * query with `page_token`), then `GET {base}/v1/vulns/{id}` once per distinct id (cached for the TTL).
 * Every record is re-checked against the version asked: a record naming another package is dropped.
 */
import { z } from 'zod';
import { advisoryKey, type Advisory, type AdvisoryQuery } from '../../model/index.js';
import { countingTransport, readAll, type HttpTransport, type HttpTuning, type RequestCounters } from '../http.js';
import { TtlCache } from './cache.js';
import { OSV_ECOSYSTEM } from './match.js';
import { parseOsvRecord, type OsvRecord } from './osv-schema.js';
import { advisoryFromOsv } from './records.js';
import { parseJson, unanswered, Unreadable, type SourceAnswer, type SourceClient, type SourceContext } from './source.js';

export { DEFAULT_OSV_URL } from './records.js';
/** The service's limit of queries per querybatch. */
export const OSV_BATCH_LIMIT = 1000;
/** Pages followed per query, and distinct records read per review, at most. */
const MAX_PAGES = 5;
const MAX_IDS = 5000;
const BATCH_BYTES = 32 * 1024 * 1024;
const RECORD_BYTES = 4 * 1024 * 1024;

type Kind = 'querybatch' | 'vuln';

const batchAnswer = z.object({
  results: z.array(
    z.object({
      vulns: z
        .array(z.object({ id: z.string().min(1).max(200) }))
        .max(10_000)
        .optional(),
      next_page_token: z.string().max(2000).optional(),
    }),
  ),
});

interface Pending {
  query: AdvisoryQuery;
  pageToken?: string;
}

export interface OsvOptions {
  url: string;
  ttlMs: number;
  now?: () => number;
  tuning?: HttpTuning<Kind>;
}

export class OsvSource implements SourceClient {
  readonly name = 'osv' as const;
  readonly network = true;
  readonly counters: RequestCounters = { requests: 0, packumentRequests: 0, retries: 0 };
  private readonly http: HttpTransport<Kind>;
  private readonly base: string;
  private readonly records: TtlCache<OsvRecord | null>;

  constructor(opts: OsvOptions) {
    this.base = opts.url.replace(/\/+$/, '');
    this.records = new TtlCache(opts.ttlMs, opts.now);
    this.http = countingTransport<Kind>(
      this.counters,
      () => false,
      {
        authHeaderFor: () => undefined,
        classifyError: (e) => (e instanceof Unreadable ? `unreadable answer from the advisory service (${e.message})` : undefined),
        serverLabel: 'advisory service',
      },
      { retries: 2, ...opts.tuning },
    );
  }

  async lookup(queries: readonly AdvisoryQuery[], ctx: SourceContext): Promise<SourceAnswer> {
    const ids = await this.queryIds(queries, ctx);
    if (ids.byKey.size === 0 && ids.reason !== undefined) return unanswered(queries, ids.reason);
    const distinct = new Set([...ids.byKey.values()].flat());
    if (distinct.size > MAX_IDS) return unanswered(queries, `more than ${MAX_IDS} advisories for one review`);
    const records = await this.readRecords([...distinct], ctx);
    const results = new Map<string, Advisory[]>();
    let dropped = records.dropped;
    let missing = ids.unanswered;
    for (const q of queries) {
      const key = advisoryKey(q);
      const list = ids.byKey.get(key);
      if (!list) continue;
      if (list.some((id) => records.failed.has(id))) {
        missing++;
        continue;
      }
      const found = list.flatMap((id) => {
        const record = records.byId.get(id);
        return record ? (advisoryFromOsv(record, 'osv', q, this.base) ?? []) : [];
      });
      // a record the service named that does not cover this version is dropped
      dropped += list.filter((id) => records.byId.has(id)).length - found.length;
      results.set(key, found);
    }
    const answer: SourceAnswer = { results, dropped };
    if (missing) answer.gap = { reason: records.reason ?? ids.reason ?? 'advisory service unavailable', packages: missing };
    return answer;
  }

  /**
   * The record ids the service lists for each query: one POST per 1000 queries, then a round for the
   * queries with a next page. A query whose batch failed, or still paging after the last round, is not
   * answered (its list is not complete).
   */
  private async queryIds(
    queries: readonly AdvisoryQuery[],
    ctx: SourceContext,
  ): Promise<{ byKey: Map<string, string[]>; unanswered: number; reason?: string }> {
    const byKey = new Map<string, string[]>();
    let pending: Pending[] = queries.map((query) => ({ query }));
    let failed = 0;
    let reason: string | undefined;
    for (let page = 0; pending.length && page < MAX_PAGES; page++) {
      const next: Pending[] = [];
      for (let i = 0; i < pending.length; i += OSV_BATCH_LIMIT) {
        const chunk = pending.slice(i, i + OSV_BATCH_LIMIT);
        const r = await this.batch(chunk, ctx);
        if (typeof r === 'string') {
          failed += chunk.length;
          reason ??= r;
          for (const p of chunk) byKey.delete(advisoryKey(p.query));
          continue;
        }
        chunk.forEach((p, j) => {
          const key = advisoryKey(p.query);
          const res = r[j]!;
          byKey.set(key, [...(byKey.get(key) ?? []), ...(res.vulns ?? []).map((v) => v.id)]);
          if (res.next_page_token) next.push({ query: p.query, pageToken: res.next_page_token });
        });
      }
      pending = next;
    }
    for (const p of pending) byKey.delete(advisoryKey(p.query));
    if (pending.length) reason ??= `more than ${MAX_PAGES} pages of advisories`;
    const out: { byKey: Map<string, string[]>; unanswered: number; reason?: string } = { byKey, unanswered: failed + pending.length };
    if (reason !== undefined) out.reason = reason;
    return out;
  }

  /** One querybatch POST: the results in query order, or why not. */
  private async batch(chunk: readonly Pending[], ctx: SourceContext): Promise<z.infer<typeof batchAnswer>['results'] | string> {
    const body = {
      queries: chunk.map((p) => ({
        package: { name: p.query.name, ecosystem: OSV_ECOSYSTEM[p.query.ecosystem] },
        version: p.query.version,
        ...(p.pageToken !== undefined ? { page_token: p.pageToken } : {}),
      })),
    };
    const spec = {
      kind: 'querybatch' as const,
      name: 'querybatch',
      url: `${this.base}/v1/querybatch`,
      headers: { accept: 'application/json' },
      post: { json: JSON.stringify(body) },
    };
    const r = await this.http.withRetries(
      spec,
      async (_res, readBody) => {
        const parsed = batchAnswer.safeParse(parseJson(await readAll(readBody, BATCH_BYTES)));
        if (!parsed.success || parsed.data.results.length !== chunk.length) throw new Unreadable('not a querybatch answer for these queries');
        return parsed.data.results;
      },
      ctx.read.signal,
    );
    if (r.type === 'ok') return r.value;
    return r.type === 'fail' ? r.reason : 'advisory service answered 404 Not Found for querybatch';
  }

  /** Each record once (cached by id for the TTL); ids whose read failed, with the first reason. */
  private async readRecords(
    ids: readonly string[],
    ctx: SourceContext,
  ): Promise<{ byId: Map<string, OsvRecord>; failed: Set<string>; dropped: number; reason?: string }> {
    const byId = new Map<string, OsvRecord>();
    const failed = new Set<string>();
    let dropped = 0;
    let reason: string | undefined;
    await Promise.all(
      ids.map(async (id) => {
        const cached = this.records.get(id);
        if (cached !== undefined) {
          if (cached) byId.set(id, cached);
          return;
        }
        const r = await this.readRecord(id, ctx);
        if (typeof r === 'string') {
          failed.add(id);
          reason ??= r;
        } else {
          dropped += r.dropped;
          this.records.set(id, r.record);
          if (r.record && r.record.id === id) byId.set(id, r.record);
          else if (r.record) dropped++;
        }
      }),
    );
    return reason !== undefined ? { byId, failed, dropped, reason } : { byId, failed, dropped };
  }

  private async readRecord(id: string, ctx: SourceContext): Promise<{ record: OsvRecord | null; dropped: number } | string> {
    const spec = { kind: 'vuln' as const, name: id, url: `${this.base}/v1/vulns/${encodeURIComponent(id)}`, headers: { accept: 'application/json' } };
    const r = await this.http.withRetries(spec, async (_res, readBody) => parseOsvRecord(parseJson(await readAll(readBody, RECORD_BYTES))), ctx.read.signal);
    if (r.type === 'ok') return r.value;
    if (r.type === 'notFound') return { record: null, dropped: 1 };
    return r.type === 'fail' ? r.reason : 'unexpected answer';
  }

  get cacheStats(): { hits: number; misses: number } {
    return { hits: this.records.hits, misses: this.records.misses };
  }
}
