/**
 * A fixture OSV API on 127.0.0.1, shaped like the real service: `POST /v1/querybatch` (ids and
 * `modified` only, at most 1000 queries, paged with `page_token` when `pageSize` is set) and
 * `GET /v1/vulns/{id}`. Requests of any other shape get 400 and are recorded in `errors`.
 * Failures can be scripted (`failNext`): 429 with Retry-After, 503, a body that is not JSON.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fixtureRecords, type FixtureOsvRecord } from './advisory-records.js';
import { listen, requestPath } from './local-server.js';

export interface FixtureOsv {
  url: string;
  /** Every request: method, path and, for querybatch, the number of queries. */
  requests: { method: string; path: string; queries?: number }[];
  /** Shape errors the server answered 400 for. */
  errors: string[];
  /** Records served (add more to change what the service knows). */
  records: Map<string, FixtureOsvRecord>;
  /** Answers the next `times` requests whose path starts with `prefix` with `status` (and headers, body). */
  failNext(prefix: string, status: number, opts?: { times?: number; headers?: Record<string, string>; body?: string }): void;
  /** Ids per page of one query's answer (default: all on one page). */
  pageSize: number | undefined;
  close(): Promise<void>;
}

const ECOSYSTEMS = new Set(['npm', 'PyPI']);

export async function startFixtureOsv(opts: { records?: FixtureOsvRecord[] } = {}): Promise<FixtureOsv> {
  const records = new Map((opts.records ?? fixtureRecords().map((r) => r.record)).map((r) => [r.id, r]));
  const failures: { prefix: string; status: number; left: number; headers: Record<string, string>; body?: string }[] = [];
  const state: Omit<FixtureOsv, 'url' | 'close'> = {
    requests: [],
    errors: [],
    records,
    pageSize: undefined,
    failNext: (prefix, status, o = {}) => {
      const f: (typeof failures)[number] = { prefix, status, left: o.times ?? 1, headers: o.headers ?? {} };
      if (o.body !== undefined) f.body = o.body;
      failures.push(f);
    },
  };
  const server = createServer((req, res) => {
    void handle(req, res, state, failures).catch(() => {
      res.statusCode = 500;
      res.end();
    });
  });
  const l = await listen(server, '127.0.0.1');
  return Object.assign(state, { url: `http://127.0.0.1:${l.port}`, close: l.close });
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  state: Omit<FixtureOsv, 'url' | 'close'>,
  failures: { prefix: string; status: number; left: number; headers: Record<string, string>; body?: string }[],
): Promise<void> {
  const p = requestPath(req.url ?? '/') ?? '';
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const entry: FixtureOsv['requests'][number] = { method: req.method ?? '', path: p };
  state.requests.push(entry);
  const f = failures.find((x) => x.left > 0 && p.startsWith(x.prefix));
  if (f) {
    f.left--;
    res.writeHead(f.status, { 'content-type': 'application/json', ...f.headers });
    res.end(f.body ?? JSON.stringify({ code: f.status, message: 'scripted failure' }));
    return;
  }
  const bad = (why: string): void => {
    state.errors.push(`${req.method} ${p}: ${why}`);
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 3, message: why }));
  };
  if (req.method === 'POST' && p === '/v1/querybatch') {
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return bad('content-type is not application/json');
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return bad('body is not JSON');
    }
    const problem = batchProblem(parsed);
    if (problem) return bad(problem);
    const queries = (parsed as { queries: Query[] }).queries;
    entry.queries = queries.length;
    return send(res, { results: queries.map((q) => answer(q, state)) });
  }
  const m = /^\/v1\/vulns\/([^/]+)$/.exec(p);
  if (req.method === 'GET' && m) {
    const r = state.records.get(m[1] as string);
    if (!r) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 5, message: 'Bug not found.' }));
      return;
    }
    return send(res, r);
  }
  bad('not an OSV API operation');
}

interface Query {
  package: { name: string; ecosystem: string };
  version: string;
  page_token?: string;
}

/** Why a querybatch body is not what the service accepts (undefined: it is). */
function batchProblem(v: unknown): string | undefined {
  const o = v as { queries?: unknown } | null;
  if (!o || typeof o !== 'object' || !Array.isArray(o.queries)) return 'expected {queries: [...]}';
  if (Object.keys(o).length !== 1) return 'unknown top-level key';
  if (o.queries.length > 1000) return `too many queries in one batch (${o.queries.length} > 1000)`;
  for (const q of o.queries as Record<string, unknown>[]) {
    const pkg = q['package'] as Record<string, unknown> | undefined;
    if (!pkg || typeof pkg['name'] !== 'string' || typeof pkg['ecosystem'] !== 'string') return 'a query without package.name and package.ecosystem';
    if (!ECOSYSTEMS.has(pkg['ecosystem'] as string)) return `unknown ecosystem ${String(pkg['ecosystem'])}`;
    if (typeof q['version'] !== 'string' || q['version'] === '') return 'a query without a version';
    if (Object.keys(q).some((k) => k !== 'package' && k !== 'version' && k !== 'page_token')) return 'unknown query key';
  }
  return undefined;
}

/** The ids of the records listing this exact version (or, for ranges, any record naming the package: the client re-checks). */
function answer(q: Query, state: Omit<FixtureOsv, 'url' | 'close'>): { vulns?: { id: string; modified: string }[]; next_page_token?: string } {
  const norm = (n: string) => (q.package.ecosystem === 'PyPI' ? n.replace(/[-_.]+/g, '-').toLowerCase() : n);
  const hits = [...state.records.values()]
    .filter((r) => r.affected.some((a) => a.package.ecosystem === q.package.ecosystem && norm(a.package.name) === norm(q.package.name)))
    .filter((r) => r.affected.some((a) => (a.versions ?? []).includes(q.version) || (a.ranges ?? []).length > 0))
    .map((r) => ({ id: r.id, modified: r.modified ?? '' }));
  const start = q.page_token !== undefined ? Number(q.page_token) : 0;
  const size = state.pageSize ?? hits.length;
  const page = hits.slice(start, start + size);
  const out: { vulns?: { id: string; modified: string }[]; next_page_token?: string } = {};
  if (page.length) out.vulns = page;
  if (start + size < hits.length) out.next_page_token = String(start + size);
  return out;
}

function send(res: ServerResponse, value: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}
