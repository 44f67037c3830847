/**
 * The advisory client: the configured sources (OSV API, GitHub advisories, local directory) asked in
 * parallel for one review's versions, each answer kept for the TTL by source and version. A source that
 * fails is listed as unavailable; what the others know still counts.
 */
import type {
  Advisory,
  AdvisoryClient,
  AdvisoryGap,
  AdvisoryLookup,
  AdvisoryLookupOptions,
  AdvisoryQuery,
  AdvisorySource,
  AdvisoryStats,
  ReadOptions,
} from '../../model/index.js';
import { advisoryKey } from '../../model/index.js';
import { normalizeName } from '../../versions/index.js';
import type { HttpTuning } from '../http.js';
import { DEFAULT_ADVISORY_TTL_MS, TtlCache } from './cache.js';
import { GithubSource } from './github.js';
import { LocalDirSource } from './local-dir.js';
import { OsvSource } from './osv.js';
import type { GithubAccess, SourceAnswer, SourceClient, SourceContext } from './source.js';

export { DEFAULT_OSV_URL, OSV_BATCH_LIMIT } from './osv.js';
export { DEFAULT_GITHUB_API, githubApiUrl } from './github.js';
export { DEFAULT_ADVISORY_TTL_MS } from './cache.js';
export type { GithubAccess } from './source.js';

export interface AdvisoryClientOptions {
  /** The OSV API root (default none: the caller passes DEFAULT_OSV_URL unless switched off). */
  osvUrl?: string | undefined;
  /** GitHub's advisories: the API root and token (CLI: GITHUB_TOKEN); the App passes them per review. */
  github?: GithubAccess | boolean | undefined;
  /** A local directory of OSV records. */
  directory?: string | undefined;
  ttlMs?: number;
  now?: () => number;
  tuning?: HttpTuning<never>;
}

/** Per review: the App's installation token and API root, and the sources a repository switched off. */
export interface AdvisoryReviewOptions {
  github?: GithubAccess | undefined;
  off?: readonly AdvisorySource[];
}

export class Advisories implements AdvisoryClient {
  private readonly clients: SourceClient[] = [];
  private readonly cache: TtlCache<Advisory[]>;
  private readonly githubAccess: GithubAccess | undefined;
  private readonly githubOn: boolean;

  constructor(opts: AdvisoryClientOptions) {
    const ttl = opts.ttlMs ?? DEFAULT_ADVISORY_TTL_MS;
    this.cache = new TtlCache(ttl, opts.now);
    const tuning = (opts.tuning ?? {}) as HttpTuning<string>;
    if (opts.osvUrl) this.clients.push(new OsvSource({ url: opts.osvUrl, ttlMs: ttl, tuning, ...(opts.now ? { now: opts.now } : {}) }));
    this.githubOn = opts.github !== undefined && opts.github !== false;
    if (this.githubOn) this.clients.push(new GithubSource(tuning));
    this.githubAccess = typeof opts.github === 'object' ? opts.github : undefined;
    if (opts.directory) this.clients.push(new LocalDirSource(opts.directory));
  }

  get sources(): AdvisorySource[] {
    return this.clients.map((c) => c.name);
  }

  lookup(queries: readonly AdvisoryQuery[], read: ReadOptions, opts: AdvisoryLookupOptions = {}): Promise<AdvisoryLookup> {
    return this.run(queries, read, opts, {});
  }

  /** A view for one review: its GitHub access (the App's installation token), sources switched off by the repository. */
  review(r: AdvisoryReviewOptions): AdvisoryClient {
    return {
      sources: this.sources.filter((s) => !r.off?.includes(s)),
      lookup: (queries, read, opts = {}) => this.run(queries, read, opts, r),
      stats: () => this.stats(),
    };
  }

  stats(): AdvisoryStats {
    const requests: Record<AdvisorySource, number> = { osv: 0, github: 0, local: 0 };
    for (const c of this.clients) if (c instanceof OsvSource || c instanceof GithubSource) requests[c.name] = c.counters.requests;
    return { requests, cacheHits: this.cache.hits, cacheMisses: this.cache.misses };
  }

  private async run(queries: readonly AdvisoryQuery[], read: ReadOptions, opts: AdvisoryLookupOptions, r: AdvisoryReviewOptions): Promise<AdvisoryLookup> {
    const normalised = dedupe(queries.map((q) => ({ ...q, name: normalizeName(q.ecosystem, q.name) })));
    const ctx: SourceContext = { read, vulnerabilities: opts.vulnerabilities !== false, github: r.github ?? this.githubAccess };
    const active = this.clients.filter((c) => !(opts.offline && c.network) && !r.off?.includes(c.name));
    const answers = await Promise.all(active.map((c) => this.ask(c, normalised, ctx)));
    const out: AdvisoryLookup = { results: new Map(normalised.map((q) => [advisoryKey(q), []])), unavailable: [], dropped: [] };
    answers.forEach((a, i) => {
      const source = active[i]!.name;
      for (const [k, list] of a.results) out.results.get(k)?.push(...list);
      if (a.gap) out.unavailable.push({ source, ...a.gap } satisfies AdvisoryGap);
      if (a.dropped) out.dropped.push({ source, count: a.dropped });
    });
    return out;
  }

  /** One source's answer: cached versions from the cache, the rest asked (an internal error is the source's gap). */
  private async ask(client: SourceClient, queries: readonly AdvisoryQuery[], ctx: SourceContext): Promise<SourceAnswer> {
    if (!client.network) return safely(client, queries, ctx);
    const results = new Map<string, Advisory[]>();
    const misses: AdvisoryQuery[] = [];
    // GitHub is asked for malware only when vulnerabilities are not wanted: such an answer is kept apart
    const scope = client.name === 'github' && !ctx.vulnerabilities ? 'malware' : 'all';
    const cacheKey = (k: string) => `${client.name}|${scope}|${k}`;
    for (const q of queries) {
      const hit = this.cache.get(cacheKey(advisoryKey(q)));
      if (hit) results.set(advisoryKey(q), hit);
      else misses.push(q);
    }
    if (!misses.length) return { results, dropped: 0 };
    const a = await safely(client, misses, ctx);
    for (const [k, list] of a.results) {
      results.set(k, list);
      this.cache.set(cacheKey(k), list);
    }
    return { ...a, results };
  }
}

async function safely(client: SourceClient, queries: readonly AdvisoryQuery[], ctx: SourceContext): Promise<SourceAnswer> {
  try {
    return await client.lookup(queries, ctx);
  } catch (e) {
    return { results: new Map(), dropped: 0, gap: { reason: `internal error: ${(e as Error).message}`, packages: queries.length, internal: true } };
  }
}

function dedupe(queries: AdvisoryQuery[]): AdvisoryQuery[] {
  const seen = new Map<string, AdvisoryQuery>();
  for (const q of queries) seen.set(advisoryKey(q), q);
  return [...seen.values()];
}
