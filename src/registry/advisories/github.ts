/**
 * GitHub's global advisories: `GET {api}/advisories?type=malware|reviewed&ecosystem=…&affects=a@1,b@2`
 * with the review's token, as many packages per request as fit in a URL, `Link: rel="next"` followed
 * (bounded). A rate limit ends the lookup at once: the source is unavailable for this review.
 */
import { z } from 'zod';
import { advisoryKey, type Advisory, type AdvisoryQuery, type Ecosystem } from '../../model/index.js';
import { normalizeName } from '../../versions/index.js';
import { HttpTransport, readAll, type HttpTuning, type RequestCounters } from '../http.js';
import { matchGithubRange } from './match.js';
import { parseJson, unanswered, Unreadable, type GithubAccess, type SourceAnswer, type SourceClient, type SourceContext } from './source.js';

export const DEFAULT_GITHUB_API = 'https://api.github.com';
const MAX_URL = 8000;
const MAX_PAGES = 10;
const PAGE_BYTES = 16 * 1024 * 1024;
const GH_ECOSYSTEM: Record<Ecosystem, string> = { npm: 'npm', pypi: 'pip' };

type Kind = 'advisories';
type AdvisoryType = 'malware' | 'reviewed';

const ghAdvisory = z.object({
  ghsa_id: z.string().min(1).max(100),
  cve_id: z.string().max(100).nullish(),
  html_url: z.string().max(500).nullish(),
  summary: z.string().max(100_000).nullish(),
  type: z.string().max(40).nullish(),
  severity: z.string().max(40).nullish(),
  published_at: z.string().max(60).nullish(),
  updated_at: z.string().max(60).nullish(),
  withdrawn_at: z.string().max(60).nullish(),
  vulnerabilities: z
    .array(
      z
        .object({
          package: z.object({ ecosystem: z.string().max(40), name: z.string().max(300) }).nullish(),
          vulnerable_version_range: z.string().max(500).nullish(),
        })
        .catch({}),
    )
    .max(10_000)
    .nullish(),
});
type GhAdvisory = z.infer<typeof ghAdvisory>;

/**
 * The GitHub API root: GITHUB_API_URL (set by GitHub Actions, also on Enterprise Server), else
 * `GHE_HOST` / `GHE_PROTOCOL` (Probot's Enterprise settings) → `{protocol}://{host}/api/v3`, else github.com's.
 */
export function githubApiUrl(env: NodeJS.ProcessEnv): string {
  const api = env['GITHUB_API_URL'];
  if (api && /^https?:\/\/[^\s]+$/i.test(api)) return api.replace(/\/+$/, '');
  const host = env['GHE_HOST'];
  return host ? `${env['GHE_PROTOCOL'] ?? 'https'}://${host}/api/v3` : DEFAULT_GITHUB_API;
}

interface Page {
  items: unknown[];
  next?: string;
  limited?: string;
}

export class GithubSource implements SourceClient {
  readonly name = 'github' as const;
  readonly network = true;
  readonly counters: RequestCounters = { requests: 0, packumentRequests: 0, retries: 0 };

  constructor(private readonly tuning: HttpTuning<Kind> = {}) {}

  async lookup(queries: readonly AdvisoryQuery[], ctx: SourceContext): Promise<SourceAnswer> {
    const access = ctx.github;
    if (!access) return { results: new Map(), dropped: 0, notConfigured: true };
    let token: string | undefined;
    try {
      token = await access.token();
    } catch {
      // the App could not get its installation token: knowledge the review lacks, said in a note
      return unanswered(queries, 'no GitHub token for this review (the installation token could not be obtained)');
    }
    if (!token) return { results: new Map(), dropped: 0, notConfigured: true };
    const http = this.transport(access, token);
    const results = new Map<string, Advisory[]>();
    let dropped = 0;
    const types: AdvisoryType[] = ctx.vulnerabilities ? ['malware', 'reviewed'] : ['malware'];
    for (const chunk of chunks(access.apiUrl, queries)) {
      const found = new Map<string, Advisory[]>(chunk.map((q) => [advisoryKey(q), []]));
      for (const type of types) {
        const r = await this.readAll(http, requestUrl(access.apiUrl, type, chunk), ctx);
        if (typeof r === 'string') return unanswered(queries, r, results, dropped);
        for (const item of r) dropped += attach(item, type, chunk, found);
      }
      for (const [k, v] of found) results.set(k, v);
    }
    return { results, dropped };
  }

  /** A transport sending the token only to the API's own origin (never along a redirect elsewhere). */
  private transport(access: GithubAccess, token: string): HttpTransport<Kind> {
    const origin = new URL(access.apiUrl).origin;
    return new HttpTransport<Kind>({
      retries: 2,
      ...this.tuning,
      authHeaderFor: (url) => (new URL(url).origin === origin ? `Bearer ${token}` : undefined),
      classifyError: (e) => (e instanceof Unreadable ? `unreadable answer from GitHub's advisories (${e.message})` : undefined),
      serverLabel: 'GitHub advisories',
      onSend: () => this.counters.requests++,
      onRetry: () => this.counters.retries++,
    });
  }

  /** Every page of one request (at most {@link MAX_PAGES}), or why not. */
  private async readAll(http: HttpTransport<Kind>, first: string, ctx: SourceContext): Promise<unknown[] | string> {
    const items: unknown[] = [];
    let url: string | undefined = first;
    const origin = new URL(first).origin;
    for (let page = 0; url !== undefined; page++) {
      if (page >= MAX_PAGES) return `more than ${MAX_PAGES} pages of advisories`;
      const r = await this.page(http, url, ctx);
      if (typeof r === 'string') return r;
      if (r.limited !== undefined) return r.limited;
      items.push(...r.items);
      url = r.next !== undefined && new URL(r.next).origin === origin ? r.next : undefined;
    }
    return items;
  }

  private async page(http: HttpTransport<Kind>, url: string, ctx: SourceContext): Promise<Page | string> {
    const spec = {
      kind: 'advisories' as const,
      name: 'advisories',
      url,
      headers: { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' },
      passStatuses: [403, 429],
    };
    const r = await http.withRetries(
      spec,
      async (res, readBody): Promise<Page> => {
        if (res.status === 403 || res.status === 429) return { items: [], limited: limitReason(res) };
        const body = parseJson(await readAll(readBody, PAGE_BYTES));
        if (!Array.isArray(body)) throw new Unreadable('not a list of advisories');
        const next = nextLink(res.headers.get('link'));
        return next !== undefined ? { items: body, next } : { items: body };
      },
      ctx.read.signal,
    );
    if (r.type === 'ok') return r.value;
    return r.type === 'fail' ? r.reason : 'GitHub advisories answered 404 Not Found';
  }
}

/** 403/429: rate limited (`x-ratelimit-remaining: 0` or `retry-after`), or refused: either way not waited for. */
function limitReason(res: Response): string {
  const limited = res.status === 429 || res.headers.get('x-ratelimit-remaining') === '0' || res.headers.get('retry-after') !== null;
  return limited ? `rate limited by GitHub (${res.status})` : `GitHub advisories responded ${res.status} Forbidden`;
}

function nextLink(link: string | null): string | undefined {
  if (!link || link.length > 20_000) return undefined;
  for (const part of link.split(',')) {
    const m = /^\s*<([^>]+)>\s*;\s*rel="?next"?\s*$/.exec(part);
    if (m) return m[1];
  }
  return undefined;
}

function requestUrl(api: string, type: AdvisoryType, chunk: readonly AdvisoryQuery[]): string {
  const eco = GH_ECOSYSTEM[chunk[0]!.ecosystem];
  const affects = chunk.map((q) => encodeURIComponent(`${q.name}@${q.version}`)).join(',');
  return `${api.replace(/\/+$/, '')}/advisories?type=${type}&ecosystem=${eco}&affects=${affects}&per_page=100`;
}

/** Queries grouped by ecosystem, as many per request as keep its URL under {@link MAX_URL} characters. */
function chunks(api: string, queries: readonly AdvisoryQuery[]): AdvisoryQuery[][] {
  const out: AdvisoryQuery[][] = [];
  for (const eco of ['npm', 'pypi'] as const) {
    let chunk: AdvisoryQuery[] = [];
    let length = requestUrl(api, 'reviewed', [{ ecosystem: eco, name: '', version: '' }]).length;
    for (const q of queries.filter((x) => x.ecosystem === eco)) {
      const add = encodeURIComponent(`${q.name}@${q.version}`).length + 1;
      if (chunk.length && length + add > MAX_URL) {
        out.push(chunk);
        chunk = [];
        length = requestUrl(api, 'reviewed', [q]).length - add;
      }
      chunk.push(q);
      length += add;
    }
    if (chunk.length) out.push(chunk);
  }
  return out;
}

/** Adds the advisory to every query of the chunk it covers; 1 when it covers none (dropped), else 0. */
function attach(item: unknown, type: AdvisoryType, chunk: readonly AdvisoryQuery[], found: Map<string, Advisory[]>): number {
  const p = ghAdvisory.safeParse(item);
  if (!p.success) return 1;
  const a = p.data;
  if (a.withdrawn_at) return 0;
  let used = false;
  for (const q of chunk) {
    const ranges = rangesFor(a, q);
    if (!ranges.length) continue;
    found.get(advisoryKey(q))!.push(advisoryOf(a, type, ranges));
    used = true;
  }
  return used ? 0 : 1;
}

function rangesFor(a: GhAdvisory, q: AdvisoryQuery): string[] {
  const name = normalizeName(q.ecosystem, q.name);
  return (a.vulnerabilities ?? []).flatMap((v) => {
    const pkg = v.package;
    const range = v.vulnerable_version_range;
    if (!pkg || !range || pkg.ecosystem !== GH_ECOSYSTEM[q.ecosystem] || normalizeName(q.ecosystem, pkg.name) !== name) return [];
    return matchGithubRange(range, q.ecosystem, q.version) ? [range] : [];
  });
}

function advisoryOf(a: GhAdvisory, type: AdvisoryType, affected: string[]): Advisory {
  const out: Advisory = {
    id: a.ghsa_id,
    aliases: a.cve_id ? [a.cve_id] : [],
    source: 'github',
    kind: type === 'malware' || a.type === 'malware' ? 'malicious' : 'vulnerability',
    summary: a.summary ?? '',
    affected: [...new Set(affected)].slice(0, 5),
    url: a.html_url && /^https?:\/\/\S+$/.test(a.html_url) ? a.html_url : `https://github.com/advisories/${encodeURIComponent(a.ghsa_id)}`,
  };
  if (a.severity) out.severity = a.severity.toLowerCase();
  if (a.published_at) out.published = a.published_at;
  if (a.updated_at) out.modified = a.updated_at;
  return out;
}
