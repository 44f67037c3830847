/**
 * An in-process, stateful fake of GitHub's REST API for lockwarden's GitHub App tests and its offline
 * demo. Served on 127.0.0.1 (node:http); Octokit talks to it with `baseUrl: fake.url`.
 *
 * Every request is matched against GitHub's OpenAPI description (`@octokit/openapi`) and validated:
 * path and query parameters, JSON bodies (required properties, types, enums, lengths, item counts,
 * composition, and properties GitHub does not know). On top of the schema the fake enforces GitHub's
 * documented rules (50 annotations per request, `conclusion` with `status: completed`, comment length,
 * commits that must exist...). A violation answers 422 like GitHub and is recorded in `errors`; so is a
 * request the description does not have or the fake does not implement (404), and authentication
 * mistakes (an installation token where GitHub wants the app's JWT and vice versa, no credentials, an
 * installation token used on another account's repository). `assertClean()` throws on any of them and
 * on `failNext` injections that were never used. The fake's own JSON responses are checked against the
 * documented response schemas as well (`validateResponses`), so a drift of the fake shows up too.
 *
 * State is plain data: repositories hold git objects with real git ids (see fake-github-git.ts),
 * branches and pull requests; `checkRuns`, `comments` and `reactions` are arrays the tests may read
 * (and seed). Only the endpoints lockwarden uses are implemented (see HANDLERS below).
 */
import { createHash } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { BLOB_MODE, GitStore, TREE_MODE, type FileChange, type FlatEntry, type GitCommit } from './fake-github-git.js';
import { fullName, isoSeconds, nodeId, repository, simpleUser, STATIC_TIME, type Account, type Origins, type RepoView } from './fake-github-shapes.js';
import { formatIssue, loadGitHubOpenApi, RouteTable, type GitHubOpenApi, type OpenApiOperation, type ValidationIssue } from './openapi-validate.js';
import { FakeAdvisories } from './fake-github-advisories.js';

// ---------------------------------------------------------------------------------------------
// Public types

export interface FakeRepoFile {
  path: string;
  content: string | Buffer;
}

export type FakePermission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export interface FakeGitHubOptions {
  /** Validate requests against GitHub's OpenAPI description (default true; needs the dev dependency @octokit/openapi). */
  validate?: boolean;
  /** Also validate the fake's own JSON responses against the documented response schemas (default: same as `validate`). */
  validateResponses?: boolean;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The GitHub App's id (default 1) and slug (default `lockwarden`). */
  appId?: number;
  appSlug?: string;
  /** The origin of `html_url`s (default `https://github.com`). */
  webUrl?: string;
  /** The clock (default: the real one). */
  now?: () => Date;
}

export interface FakeRequest {
  method: string;
  /** The decoded path, without the query string. */
  path: string;
  /** Null-prototype object. */
  query: Record<string, string>;
  /** The parsed JSON body; undefined when there is none. */
  body: unknown;
  /** Lower-case names; null-prototype object. */
  headers: Record<string, string>;
  /** The operation it matched, e.g. `GET /repos/{owner}/{repo}/pulls/{pull_number}`. */
  route?: string;
  /** The status the fake answered. */
  status?: number;
}

export interface FakeCheckRunAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

export interface FakeCheckRun {
  id: number;
  /** `owner/name` */
  repo: string;
  head_sha: string;
  name: string;
  status: string;
  conclusion: string | null;
  external_id: string | null;
  details_url: string | null;
  started_at: string | null;
  completed_at: string | null;
  output: {
    title: string | null;
    summary: string | null;
    text: string | null;
    /** Every annotation sent, accumulated over the create and all updates (as GitHub does). */
    annotations: FakeCheckRunAnnotation[];
    images: unknown[];
  };
  actions: { label: string; description: string; identifier: string }[];
  app_id: number;
}

export interface FakeComment {
  id: number;
  /** `owner/name` */
  repo: string;
  issue: number;
  body: string;
  /** The author's login (`lockwarden[bot]` for comments the app creates). */
  user: string;
  created_at: string;
  updated_at: string;
}

export interface FakeReaction {
  id: number;
  repo: string;
  comment_id: number;
  content: string;
  user: string;
  created_at: string;
}

export interface FakeGitHub {
  /** e.g. `http://127.0.0.1:PORT` (Octokit's `baseUrl`). */
  url: string;
  /** Time spent loading and indexing the OpenAPI description (once per process; 0 when already cached), or undefined without validation. */
  openApiLoadMs: number | undefined;
  addRepo(r: {
    owner: string;
    name: string;
    defaultBranch?: string;
    private?: boolean;
    id?: number;
    ownerType?: 'User' | 'Organization' /** `owner/name` of the repository this one is a fork of. */;
    parent?: string;
  }): void;
  /**
   * Creates a commit whose tree is exactly `files` and returns its sha (a real git commit id). Its
   * parent is `opts.parent`, else the current head of `opts.branch` if that branch exists; `opts.branch`
   * is then moved to it.
   */
  commit(
    repo: string,
    files: Record<string, string | Buffer> | FakeRepoFile[] /* a list for paths like `__proto__` */,
    opts?: { branch?: string; parent?: string; message?: string },
  ): string;
  /**
   * Adds a pull request, or replaces it (same number: a new head after a push). `headRepo` is a fork
   * (created if unknown; an existing repository becomes a fork of `repo`, sharing its git objects).
   */
  addPullRequest(
    repo: string,
    pr: {
      number: number;
      baseRef: string;
      baseSha: string;
      headRef: string;
      headSha: string;
      headRepo?: string;
      user?: string;
      title?: string;
      draft?: boolean;
    },
  ): void;
  setPermission(repo: string, user: string, permission: FakePermission): void;
  /**
   * A comment on an issue or PR written by someone other than the app (a user, or another App's bot:
   * a login ending in `[bot]`), as if posted through the API; returns its id.
   */
  addComment(repo: string, issue: number, body: string, user: string): number;
  addInstallation(id: number, account: string): void;
  /** The next `times` (default 1) requests matching method and path get `status` (with optional headers and JSON body). */
  failNext(method: string, path: RegExp, status: number, opts?: { times?: number; headers?: Record<string, string>; body?: unknown }): void;
  requests: FakeRequest[];
  checkRuns: FakeCheckRun[];
  comments: FakeComment[];
  reactions: FakeReaction[];
  errors: string[];
  /** GitHub's global security advisories the fake serves at `GET /advisories`. */
  advisories: FakeAdvisories;
  /** Throws an Error listing every entry of `errors` and every unused failNext injection, then clears both. */
  assertClean(): void;
  close(): Promise<void>;
}

export async function startFakeGitHub(opts: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const validate = opts.validate ?? true;
  let api: GitHubOpenApi | undefined;
  let openApiLoadMs: number | undefined;
  if (validate) {
    const started = performance.now();
    api = loadGitHubOpenApi();
    openApiLoadMs = performance.now() - started;
  }
  const fake = new Fake(opts, api, openApiLoadMs, opts.validateResponses ?? validate);
  await fake.listen(opts.port ?? 0);
  return fake;
}

// ---------------------------------------------------------------------------------------------
// Internals

const MB = 1024 * 1024;
/** Above this, the contents API's JSON form has `encoding: "none"` and no content. */
const CONTENTS_JSON_LIMIT = MB;
/** Above this, neither the contents nor the blobs API return a file. */
const BLOB_LIMIT = 100 * MB;
const PULL_FILES_CAP = 3000;
const COMPARE_FILES_CAP = 300;
const COMPARE_COMMITS_UNPAGED = 250;
const TREE_ENTRIES_CAP = 100_000;
const COMMENT_BODY_MAX = 65536;
const ANNOTATIONS_PER_REQUEST = 50;
const ANNOTATION_TEXT_MAX_BYTES = 64 * 1024;
const TOKEN_LIFETIME_MS = 60 * 60 * 1000;
const REQUEST_BODY_MAX = 10 * MB;

const APP_PERMISSIONS: Record<string, string> = { checks: 'write', contents: 'read', issues: 'write', metadata: 'read', pull_requests: 'write' };
const APP_EVENTS = ['check_run', 'check_suite', 'pull_request'];
const LEVELS: Record<string, number> = { read: 1, write: 2, admin: 3 };

/** Operations that take the app's JWT (everything else takes an installation token). */
const JWT_ROUTES = new Set([
  'GET /app',
  'GET /app/installations',
  'POST /app/installations/{installation_id}/access_tokens',
  'GET /repos/{owner}/{repo}/installation',
]);

interface Network {
  commits: Set<string>;
  trees: Set<string>;
  blobs: Set<string>;
  repos: RepoState[];
}

interface RepoState extends RepoView {
  parent: RepoState | undefined;
  branches: Map<string, string>;
  network: Network;
  pulls: Map<number, PullState>;
  permissions: Map<string, FakePermission>;
}

interface PullState {
  id: number;
  number: number;
  baseRef: string;
  baseSha: string;
  headRef: string;
  headSha: string;
  headRepo: RepoState;
  user: Account;
  title: string;
  draft: boolean;
}

interface Installation {
  id: number;
  account: Account;
}

interface IssuedToken {
  installation: number;
  expires: number;
}

interface Injection {
  method: string;
  path: RegExp;
  status: number;
  left: number;
  times: number;
  headers: Record<string, string>;
  body: unknown;
}

interface Ctx {
  method: string;
  /** Decoded path. */
  path: string;
  rawPath: string;
  label: string;
  params: Map<string, string>;
  query: URLSearchParams;
  body: any;
  headers: Record<string, string>;
  op: OpenApiOperation | undefined;
}

interface Reply {
  status: number;
  json?: unknown;
  raw?: Buffer;
  headers?: Record<string, string>;
}

type Handler = (ctx: Ctx) => Reply;

function nullObject<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function toBuffer(c: string | Buffer): Buffer {
  return typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
}

/** Base64 with a newline every 60 characters and at the end, as GitHub writes file contents. */
function githubBase64(b: Buffer): string {
  const s = b.toString('base64');
  let out = '';
  for (let i = 0; i < s.length; i += 60) out += `${s.slice(i, i + 60)}\n`;
  return out;
}

function encodePath(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}

function intParam(v: string | null): number | undefined {
  if (v === null || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

function isJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

class Fake implements FakeGitHub {
  url = '';
  readonly requests: FakeRequest[] = [];
  readonly checkRuns: FakeCheckRun[] = [];
  readonly comments: FakeComment[] = [];
  readonly reactions: FakeReaction[] = [];
  readonly errors: string[] = [];

  private readonly server = createServer((req, res) => void this.onRequest(req, res));
  private readonly sockets = new Set<Socket>();
  private readonly store = new GitStore();
  private readonly accounts = new Map<string, Account>();
  /** Logins whose account type addRepo stated explicitly. */
  private readonly typed = new Set<string>();
  private readonly repos = new Map<string, RepoState>();
  private readonly installations = new Map<number, Installation>();
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly injections: Injection[] = [];
  private readonly suites = new Map<string, number>();
  private readonly handlerRoutes = new RouteTable<Handler>();
  private readonly handlers = new Map<string, Handler>();
  private readonly diffs = new Map<string, FileChange[]>();
  /** GitHub's global security advisories (`GET /advisories`); empty until a test adds some. */
  readonly advisories = new FakeAdvisories();
  private readonly appId: number;
  private readonly slug: string;
  private readonly web: string;
  private readonly now: () => Date;
  private readonly bot: Account;
  private nextAccountId = 1001;
  private nextRepoId = 5001;
  private nextPullId = 70001;
  private tokenCount = 0;
  private requestCount = 0;

  constructor(
    opts: FakeGitHubOptions,
    private readonly api: GitHubOpenApi | undefined,
    readonly openApiLoadMs: number | undefined,
    private readonly validateResponses: boolean,
  ) {
    this.appId = opts.appId ?? 1;
    this.slug = opts.appSlug ?? 'lockwarden';
    this.web = (opts.webUrl ?? 'https://github.com').replace(/\/+$/, '');
    this.now = opts.now ?? (() => new Date());
    this.bot = { login: `${this.slug}[bot]`, type: 'Bot', id: 900_000 + this.appId };
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    for (const [key, handler] of Object.entries(this.handlerTable())) {
      const [method, template] = key.split(' ') as [string, string];
      this.handlers.set(key, handler);
      this.handlerRoutes.add(method, template, handler);
    }
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    const addr = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${addr.port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      for (const s of this.sockets) s.destroy();
      this.server.close(() => resolve());
    });
  }

  private get origins(): Origins {
    return { api: this.url, web: this.web };
  }

  private iso(): string {
    return isoSeconds(this.now());
  }

  // -------------------------------------------------------------------------------------------
  // State setup

  private account(login: string, type: 'User' | 'Organization' = 'User'): Account {
    const key = login.toLowerCase();
    let a = this.accounts.get(key);
    if (!a) {
      a = key === this.bot.login.toLowerCase() ? this.bot : { login, type: /\[bot\]$/i.test(login) ? 'Bot' : type, id: this.nextAccountId++ };
      this.accounts.set(key, a);
    }
    return a;
  }

  private repoState(name: string): RepoState {
    const r = this.repos.get(name.toLowerCase());
    if (!r) throw new Error(`fake GitHub: unknown repository ${name} (call addRepo first)`);
    return r;
  }

  addRepo(r: {
    owner: string;
    name: string;
    defaultBranch?: string;
    private?: boolean;
    id?: number;
    ownerType?: 'User' | 'Organization';
    parent?: string;
  }): void {
    const key = `${r.owner}/${r.name}`.toLowerCase();
    if (this.repos.has(key)) throw new Error(`fake GitHub: repository ${r.owner}/${r.name} already exists`);
    if (!/^[A-Za-z0-9-]+$/.test(r.owner) || !/^[A-Za-z0-9._-]+$/.test(r.name)) throw new Error(`fake GitHub: invalid repository name ${r.owner}/${r.name}`);
    const known = this.accounts.get(r.owner.toLowerCase());
    if (known && r.ownerType && known.type !== r.ownerType) {
      // an account made in passing (an installation, a permission, a PR author) takes the type stated here
      if (this.typed.has(known.login.toLowerCase()) || known.type === 'Bot')
        throw new Error(`fake GitHub: ${r.owner} is already a${known.type === 'Organization' ? 'n' : ''} ${known.type}`);
      known.type = r.ownerType;
    }
    if (r.ownerType) this.typed.add(r.owner.toLowerCase());
    const owner = known ?? this.account(r.owner, r.ownerType ?? 'Organization');
    const parent = r.parent === undefined ? undefined : this.repoState(r.parent);
    const id = r.id ?? this.nextRepoId++;
    const network: Network = parent ? parent.network : { commits: new Set(), trees: new Set(), blobs: new Set(), repos: [] };
    const repo: RepoState = {
      id,
      name: r.name,
      owner,
      private: r.private ?? false,
      fork: parent !== undefined,
      defaultBranch: r.defaultBranch ?? 'main',
      parent,
      branches: new Map(),
      network,
      pulls: new Map(),
      permissions: new Map(),
    };
    if (parent) for (const [b, sha] of parent.branches) repo.branches.set(b, sha);
    network.repos.push(repo);
    this.repos.set(key, repo);
  }

  commit(repoName: string, files: Record<string, string | Buffer> | FakeRepoFile[], opts: { branch?: string; parent?: string; message?: string } = {}): string {
    const repo = this.repoState(repoName);
    const list: [string, Buffer][] = Array.isArray(files)
      ? files.map((f) => [f.path, toBuffer(f.content)])
      : Object.keys(files).map((p) => [p, toBuffer(files[p] as string | Buffer)]);
    const tree = this.store.putFiles(list);
    let parent = opts.parent;
    if (parent === undefined && opts.branch !== undefined) parent = repo.branches.get(opts.branch);
    if (parent !== undefined && !repo.network.commits.has(parent)) throw new Error(`fake GitHub: parent ${parent} is not a commit of ${repoName}`);
    const sha = this.store.putCommit(tree, parent === undefined ? [] : [parent], opts.message ?? 'Update files');
    repo.network.commits.add(sha);
    repo.network.trees.add(tree);
    for (const e of this.store.flatten(tree).values()) (e.type === 'tree' ? repo.network.trees : repo.network.blobs).add(e.sha);
    if (opts.branch !== undefined) repo.branches.set(opts.branch, sha);
    return sha;
  }

  addPullRequest(
    repoName: string,
    pr: {
      number: number;
      baseRef: string;
      baseSha: string;
      headRef: string;
      headSha: string;
      headRepo?: string;
      user?: string;
      title?: string;
      draft?: boolean;
    },
  ): void {
    const repo = this.repoState(repoName);
    let headRepo = repo;
    if (pr.headRepo !== undefined && pr.headRepo.toLowerCase() !== repoName.toLowerCase()) {
      if (!this.repos.has(pr.headRepo.toLowerCase())) {
        const [owner, name] = pr.headRepo.split('/');
        if (!owner || !name) throw new Error(`fake GitHub: headRepo must be owner/name, got ${pr.headRepo}`);
        this.addRepo({ owner, name, parent: repoName, ownerType: this.accounts.get(owner.toLowerCase())?.type === 'Organization' ? 'Organization' : 'User' });
      }
      headRepo = this.repoState(pr.headRepo);
      if (headRepo.network !== repo.network) this.joinNetwork(headRepo, repo);
    }
    for (const sha of [pr.baseSha, pr.headSha]) {
      if (!repo.network.commits.has(sha)) throw new Error(`fake GitHub: ${sha} is not a commit of ${repoName} (create it with commit())`);
    }
    const existing = repo.pulls.get(pr.number);
    repo.pulls.set(pr.number, {
      id: existing?.id ?? this.nextPullId++,
      number: pr.number,
      baseRef: pr.baseRef,
      baseSha: pr.baseSha,
      headRef: pr.headRef,
      headSha: pr.headSha,
      headRepo,
      user: this.account(pr.user ?? headRepo.owner.login, pr.user === undefined ? (headRepo.owner.type === 'Organization' ? 'Organization' : 'User') : 'User'),
      title: pr.title ?? `Pull request #${pr.number}`,
      draft: pr.draft ?? false,
    });
  }

  /** Makes `fork` (added on its own) a fork of `base`: their git objects become one network, as on GitHub. */
  private joinNetwork(fork: RepoState, base: RepoState): void {
    const from = fork.network;
    for (const sha of from.commits) base.network.commits.add(sha);
    for (const sha of from.trees) base.network.trees.add(sha);
    for (const sha of from.blobs) base.network.blobs.add(sha);
    for (const r of from.repos) {
      r.network = base.network;
      base.network.repos.push(r);
    }
    if (!fork.parent) {
      fork.parent = base;
      fork.fork = true;
    }
  }

  setPermission(repoName: string, user: string, permission: FakePermission): void {
    this.repoState(repoName).permissions.set(user.toLowerCase(), permission);
    this.account(user);
  }

  addComment(repoName: string, issue: number, body: string, user: string): number {
    const repo = this.repoState(repoName);
    if (!repo.pulls.has(issue)) throw new Error(`fake GitHub: no pull request #${issue} in ${repoName}`);
    if (user.toLowerCase() === this.bot.login.toLowerCase()) throw new Error('fake GitHub: the app writes its own comments through the API');
    const problems = commentBodyProblems(body);
    if (problems.length) throw new Error(`fake GitHub: invalid comment body: ${problems.map((p) => p[1]).join('; ')}`);
    this.account(user);
    const now = this.iso();
    const c: FakeComment = { id: this.nextId(this.comments, 1_000_001), repo: fullName(repo), issue, body, user, created_at: now, updated_at: now };
    this.comments.push(c);
    return c.id;
  }

  addInstallation(id: number, login: string): void {
    if (!Number.isInteger(id) || id <= 0) throw new Error(`fake GitHub: invalid installation id ${id}`);
    this.installations.set(id, { id, account: this.accounts.get(login.toLowerCase()) ?? this.account(login, 'Organization') });
  }

  failNext(method: string, path: RegExp, status: number, opts: { times?: number; headers?: Record<string, string>; body?: unknown } = {}): void {
    const times = opts.times ?? 1;
    this.injections.push({
      method: method.toUpperCase(),
      path,
      status,
      left: times,
      times,
      headers: opts.headers ?? {},
      body:
        opts.body === undefined
          ? { message: STATUS_CODES[status] ?? 'Error', documentation_url: 'https://docs.github.com/rest', status: String(status) }
          : opts.body,
    });
  }

  assertClean(): void {
    const problems = [...this.errors];
    for (const inj of this.injections) {
      if (inj.left > 0) problems.push(`unused failNext: ${inj.method} ${inj.path} → ${inj.status} (${inj.left} of ${inj.times} left)`);
    }
    this.errors.length = 0;
    this.injections.length = 0;
    if (problems.length > 0) throw new Error(`fake GitHub: ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }

  // -------------------------------------------------------------------------------------------
  // Request handling

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const search = new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1));
    const method = (req.method ?? 'GET').toUpperCase();
    let path = rawPath;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      // keep it as sent
    }
    const headers = nullObject<string>();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const query = nullObject<string>();
    for (const [k, v] of search) query[k] = v;
    const record: FakeRequest = { method, path, query, body: undefined, headers };
    this.requests.push(record);
    let reply: Reply;
    try {
      const raw = await readBody(req, REQUEST_BODY_MAX);
      reply = this.dispatch(method, rawPath, path, search, headers, raw, record);
    } catch (err) {
      this.errors.push(`${method} ${path}: fake GitHub failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      reply = { status: 500, json: { message: 'Server Error' } };
    }
    record.status = reply.status;
    this.send(res, reply);
  }

  private dispatch(
    method: string,
    rawPath: string,
    path: string,
    query: URLSearchParams,
    headers: Record<string, string>,
    raw: Buffer | 'too-large',
    record: FakeRequest,
  ): Reply {
    const label = `${method} ${path}`;
    if (raw === 'too-large') {
      this.errors.push(`${label}: request body over ${REQUEST_BODY_MAX} bytes`);
      return { status: 413, json: { message: 'Payload Too Large' } };
    }
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        this.errors.push(`${label}: the request body is not valid JSON`);
        return { status: 400, json: { message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/rest' } };
      }
      record.body = body;
    }
    let handler: Handler | undefined;
    let params: Map<string, string>;
    let op: OpenApiOperation | undefined;
    let template: string;
    if (this.api) {
      const m = this.api.match(method, rawPath);
      if (!m) {
        this.errors.push(`unmatched: ${label} (not an operation of GitHub's REST API description)`);
        return this.notFound(undefined);
      }
      op = m.value;
      template = m.template;
      params = m.params;
      handler = this.handlers.get(`${method} ${template}`);
      if (!handler) {
        this.errors.push(`unmatched: ${label} (${method} ${template} is not implemented by the fake)`);
        return this.notFound(op);
      }
    } else {
      const m = this.handlerRoutes.match(method, rawPath);
      if (!m) {
        this.errors.push(`unmatched: ${label} (not implemented by the fake)`);
        return this.notFound(undefined);
      }
      handler = m.value;
      template = m.template;
      params = m.params;
    }
    record.route = `${method} ${template}`;
    const ctx: Ctx = { method, path, rawPath, label, params, query, body, headers, op };
    if (this.api && op) {
      const issues = this.api.validateRequest(op, { params, query, body });
      if (issues.length > 0) return this.invalid(ctx, issues);
    }
    const denied = this.authenticate(ctx, record.route);
    if (denied) return denied;
    const injected = this.takeInjection(method, path);
    if (injected) return injected;
    const reply = handler(ctx);
    if (this.validateResponses && this.api && op && reply.json !== undefined) {
      for (const issue of this.api.validateResponse(op, reply.status, reply.json)) {
        this.errors.push(`fake response to ${label} (${reply.status}) does not match the schema: ${formatIssue(issue)}`);
      }
    }
    return reply;
  }

  private authenticate(ctx: Ctx, route: string): Reply | undefined {
    const header = ctx.headers.authorization ?? '';
    const m = /^(token|bearer)\s+(\S+)$/i.exec(header.trim());
    const docs = { documentation_url: ctx.op?.docsUrl ?? 'https://docs.github.com/rest', status: '401' };
    if (!m) {
      this.errors.push(`${ctx.label}: no credentials (Authorization header)`);
      return { status: 401, json: { message: 'Requires authentication', ...docs } };
    }
    const token = m[2] as string;
    const jwt = isJwt(token);
    if (JWT_ROUTES.has(route)) {
      if (!jwt) {
        this.errors.push(`${ctx.label}: this endpoint needs the app's JWT, not an installation token`);
        return { status: 401, json: { message: 'A JSON web token could not be decoded', ...docs } };
      }
      return undefined;
    }
    if (jwt) {
      this.errors.push(`${ctx.label}: the app's JWT was used where an installation token is needed`);
      return { status: 403, json: { message: 'Resource not accessible by integration', ...docs, status: '403' } };
    }
    const issued = this.tokens.get(token);
    if (issued) {
      if (this.now().getTime() >= issued.expires) {
        this.errors.push(`${ctx.label}: expired installation token`);
        return { status: 401, json: { message: 'Bad credentials', ...docs } };
      }
      const owner = ctx.params.get('owner');
      const inst = this.installations.get(issued.installation);
      if (owner !== undefined && inst && inst.account.login.toLowerCase() !== owner.toLowerCase()) {
        this.errors.push(`${ctx.label}: the token of installation ${inst.id} (${inst.account.login}) cannot access ${owner}'s repositories`);
        return this.notFound(ctx.op);
      }
    }
    return undefined;
  }

  private takeInjection(method: string, path: string): Reply | undefined {
    for (const inj of this.injections) {
      if (inj.left <= 0 || inj.method !== method) continue;
      inj.path.lastIndex = 0;
      if (!inj.path.test(path)) continue;
      inj.left--;
      return { status: inj.status, json: inj.body, headers: inj.headers };
    }
    return undefined;
  }

  private send(res: ServerResponse, reply: Reply): void {
    const headers: Record<string, string> = {
      'x-github-request-id': `FAKE:${(++this.requestCount).toString(16).toUpperCase().padStart(6, '0')}`,
      'x-github-api-version-selected': '2022-11-28',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-used': '1',
      'x-ratelimit-reset': String(Math.floor(this.now().getTime() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
    };
    let payload: Buffer | undefined;
    if (reply.raw !== undefined) {
      payload = reply.raw;
    } else if (reply.json !== undefined && reply.status !== 204 && reply.status !== 304) {
      payload = Buffer.from(JSON.stringify(reply.json));
      headers['content-type'] = 'application/json; charset=utf-8';
      headers['x-github-media-type'] = 'github.v3; format=json';
    }
    for (const [k, v] of Object.entries(reply.headers ?? {})) headers[k.toLowerCase()] = v;
    if (payload) headers['content-length'] = String(payload.length);
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  // -------------------------------------------------------------------------------------------
  // Replies

  private notFound(op: OpenApiOperation | undefined, message = 'Not Found'): Reply {
    return { status: 404, json: { message, documentation_url: op?.docsUrl ?? 'https://docs.github.com/rest', status: '404' } };
  }

  /** 422 like GitHub; every problem is recorded in `errors`. */
  private invalid(ctx: Ctx, issues: ValidationIssue[], message = 'Validation Failed'): Reply {
    for (const i of issues) this.errors.push(`${ctx.label}: ${formatIssue(i)}`);
    return {
      status: 422,
      json: {
        message,
        errors: issues.map((i) => ({
          resource: resourceOf(ctx.op),
          field: i.location.replace(/^(body|query|path)\.?/, ''),
          code: i.code,
          message: formatIssue(i),
        })),
        documentation_url: ctx.op?.docsUrl ?? 'https://docs.github.com/rest',
        status: '422',
      },
    };
  }

  private rule(ctx: Ctx, problems: [string, string][], message = 'Validation Failed'): Reply | undefined {
    if (problems.length === 0) return undefined;
    return this.invalid(
      ctx,
      problems.map(([location, msg]) => ({ location, message: msg, code: 'invalid' as const })),
      message,
    );
  }

  private json(status: number, json: unknown, headers?: Record<string, string>): Reply {
    return headers ? { status, json, headers } : { status, json };
  }

  /** `per_page` (default 30, at most 100) and `page`, with a Link header like GitHub's. */
  private paginate<T>(ctx: Ctx, items: T[], defaultPerPage = 30): { items: T[]; headers: Record<string, string> | undefined } {
    const requested = intParam(ctx.query.get('per_page'));
    const perPage = requested === undefined || requested === 0 ? defaultPerPage : Math.min(requested, 100);
    const page = Math.max(1, intParam(ctx.query.get('page')) ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const slice = items.slice((page - 1) * perPage, page * perPage);
    if (last === 1) return { items: slice, headers: undefined };
    const link = (p: number) => {
      const q = new URLSearchParams(ctx.query);
      q.set('page', String(p));
      return `<${this.url}${ctx.rawPath}?${q.toString()}>`;
    };
    const parts: string[] = [];
    if (page > 1) parts.push(`${link(Math.min(page - 1, last))}; rel="prev"`);
    if (page < last) parts.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
    if (page > 1) parts.push(`${link(1)}; rel="first"`);
    return { items: slice, headers: { link: parts.join(', ') } };
  }

  // -------------------------------------------------------------------------------------------
  // Lookups

  private repoOf(ctx: Ctx): RepoState | undefined {
    return this.repos.get(`${ctx.params.get('owner') ?? ''}/${ctx.params.get('repo') ?? ''}`.toLowerCase());
  }

  /** A full sha, a unique abbreviated sha, a branch (`main`, `heads/main`, `refs/heads/main`). */
  private resolveRef(repo: RepoState, ref: string): string | undefined {
    if (/^[0-9a-f]{40}$/i.test(ref)) return repo.network.commits.has(ref.toLowerCase()) ? ref.toLowerCase() : undefined;
    const branch = ref.replace(/^refs\/heads\//, '').replace(/^heads\//, '');
    const b = repo.branches.get(branch);
    if (b !== undefined) return b;
    if (/^[0-9a-f]{7,39}$/i.test(ref)) {
      const found = [...repo.network.commits].filter((s) => s.startsWith(ref.toLowerCase()));
      if (found.length === 1) return found[0];
    }
    return undefined;
  }

  private commitOf(sha: string): GitCommit {
    const c = this.store.commits.get(sha);
    if (!c) throw new Error(`fake GitHub: no commit ${sha}`);
    return c;
  }

  /** Files changed by a pull request: merge base (or, for unrelated histories, the base sha) against head. */
  private pullDiff(pr: PullState): { files: FileChange[]; base: string } {
    const base = this.store.mergeBase(pr.baseSha, pr.headSha) ?? pr.baseSha;
    return { files: this.diff(base, pr.headSha), base };
  }

  private diff(baseSha: string, headSha: string): FileChange[] {
    const key = `${baseSha}..${headSha}`;
    let files = this.diffs.get(key);
    if (!files) {
      files = this.store.diffTrees(this.commitOf(baseSha).tree, this.commitOf(headSha).tree);
      this.diffs.set(key, files);
    }
    return files;
  }

  // -------------------------------------------------------------------------------------------
  // Shapes

  private integration(): Record<string, unknown> {
    const owner: Account = { login: this.slug, type: 'Organization', id: 100 };
    return {
      id: this.appId,
      slug: this.slug,
      node_id: nodeId('App', this.appId),
      client_id: `Iv1.${createHash('sha1').update(`client:${this.appId}`).digest('hex').slice(0, 16)}`,
      owner: simpleUser(this.origins, owner),
      name: this.slug,
      description: 'Reviews pull requests that change dependency lockfiles and flags supply-chain attacks.',
      external_url: `${this.web}/apps/${this.slug}`,
      html_url: `${this.web}/apps/${this.slug}`,
      created_at: STATIC_TIME,
      updated_at: STATIC_TIME,
      permissions: { ...APP_PERMISSIONS },
      events: [...APP_EVENTS],
      installations_count: this.installations.size,
    };
  }

  private installation(inst: Installation): Record<string, unknown> {
    const a = inst.account;
    return {
      id: inst.id,
      account: simpleUser(this.origins, a),
      repository_selection: 'all',
      access_tokens_url: `${this.url}/app/installations/${inst.id}/access_tokens`,
      repositories_url: `${this.url}/installation/repositories`,
      html_url:
        a.type === 'Organization' ? `${this.web}/organizations/${a.login}/settings/installations/${inst.id}` : `${this.web}/settings/installations/${inst.id}`,
      app_id: this.appId,
      app_slug: this.slug,
      target_id: a.id,
      target_type: a.type,
      permissions: { ...APP_PERMISSIONS },
      events: [...APP_EVENTS],
      created_at: STATIC_TIME,
      updated_at: STATIC_TIME,
      single_file_name: null,
      has_multiple_single_files: false,
      single_file_paths: [],
      suspended_by: null,
      suspended_at: null,
    };
  }

  private user(login: string): Record<string, unknown> {
    return simpleUser(this.origins, this.account(login));
  }

  private gitCommit(repo: RepoState, sha: string): Record<string, unknown> {
    const c = this.commitOf(sha);
    const full = fullName(repo);
    const who = { name: 'Lockwarden Fake', email: 'fake@lockwarden.invalid', date: isoSeconds(new Date(c.date * 1000)) };
    return {
      sha,
      node_id: nodeId('Commit', sha),
      commit: {
        url: `${this.url}/repos/${full}/git/commits/${sha}`,
        author: who,
        committer: who,
        message: c.message,
        tree: { sha: c.tree, url: `${this.url}/repos/${full}/git/trees/${c.tree}` },
        comment_count: 0,
        verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
      },
      url: `${this.url}/repos/${full}/commits/${sha}`,
      html_url: `${this.web}/${full}/commit/${sha}`,
      comments_url: `${this.url}/repos/${full}/commits/${sha}/comments`,
      author: null,
      committer: null,
      parents: c.parents.map((p) => ({ sha: p, url: `${this.url}/repos/${full}/commits/${p}`, html_url: `${this.web}/${full}/commit/${p}` })),
    };
  }

  private diffEntry(repo: RepoState, headSha: string, f: FileChange): Record<string, unknown> {
    const full = fullName(repo);
    const out: Record<string, unknown> = {
      sha: f.sha,
      filename: f.filename,
      status: f.status,
      additions: f.additions,
      deletions: f.deletions,
      changes: f.changes,
      blob_url: `${this.web}/${full}/blob/${headSha}/${encodePath(f.filename)}`,
      raw_url: `${this.web}/${full}/raw/${headSha}/${encodePath(f.filename)}`,
      contents_url: `${this.url}/repos/${full}/contents/${encodePath(f.filename)}?ref=${headSha}`,
    };
    if (f.previous_filename !== undefined) out.previous_filename = f.previous_filename;
    return out;
  }

  private pull(repo: RepoState, pr: PullState): Record<string, unknown> {
    const o = this.origins;
    const full = fullName(repo);
    const u = `${this.url}/repos/${full}/pulls/${pr.number}`;
    const html = `${this.web}/${full}/pull/${pr.number}`;
    const issueUrl = `${this.url}/repos/${full}/issues/${pr.number}`;
    const { files, base } = this.pullDiff(pr);
    const commits = this.store.commitsBetween(base, pr.headSha).length || 1;
    const side = (r: RepoState, ref: string, sha: string) => ({
      label: `${r.owner.login}:${ref}`,
      ref,
      sha,
      user: simpleUser(o, r.owner),
      repo: repository(o, r),
    });
    const perm = repo.permissions.get(pr.user.login.toLowerCase());
    const association =
      pr.user.login.toLowerCase() === repo.owner.login.toLowerCase()
        ? 'OWNER'
        : perm === 'admin' || perm === 'maintain' || perm === 'write'
          ? 'COLLABORATOR'
          : 'CONTRIBUTOR';
    return {
      url: u,
      id: pr.id,
      node_id: nodeId('PullRequest', pr.id),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: issueUrl,
      number: pr.number,
      state: 'open',
      locked: false,
      title: pr.title,
      user: simpleUser(o, pr.user),
      body: null,
      created_at: STATIC_TIME,
      updated_at: STATIC_TIME,
      closed_at: null,
      merged_at: null,
      merge_commit_sha: null,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      labels: [],
      milestone: null,
      draft: pr.draft,
      commits_url: `${u}/commits`,
      review_comments_url: `${u}/comments`,
      review_comment_url: `${this.url}/repos/${full}/pulls/comments{/number}`,
      comments_url: `${issueUrl}/comments`,
      statuses_url: `${this.url}/repos/${full}/statuses/${pr.headSha}`,
      head: side(pr.headRepo, pr.headRef, pr.headSha),
      base: side(repo, pr.baseRef, pr.baseSha),
      _links: {
        self: { href: u },
        html: { href: html },
        issue: { href: issueUrl },
        comments: { href: `${issueUrl}/comments` },
        review_comments: { href: `${u}/comments` },
        review_comment: { href: `${this.url}/repos/${full}/pulls/comments{/number}` },
        commits: { href: `${u}/commits` },
        statuses: { href: `${this.url}/repos/${full}/statuses/${pr.headSha}` },
      },
      author_association: association,
      auto_merge: null,
      active_lock_reason: null,
      merged: false,
      mergeable: true,
      rebaseable: true,
      mergeable_state: 'clean',
      merged_by: null,
      comments: this.comments.filter((c) => sameRepo(c.repo, full) && c.issue === pr.number).length,
      review_comments: 0,
      maintainer_can_modify: false,
      commits,
      additions: files.reduce((n, f) => n + f.additions, 0),
      deletions: files.reduce((n, f) => n + f.deletions, 0),
      changed_files: files.length,
    };
  }

  private checkRunJson(run: FakeCheckRun): Record<string, unknown> {
    const repo = this.repos.get(run.repo.toLowerCase());
    const full = repo ? fullName(repo) : run.repo;
    const suiteKey = `${full.toLowerCase()}@${run.head_sha}`;
    let suite = this.suites.get(suiteKey);
    if (suite === undefined) this.suites.set(suiteKey, (suite = 30001 + this.suites.size));
    const pulls: unknown[] = [];
    for (const pr of repo?.pulls.values() ?? []) {
      if (pr.headSha !== run.head_sha || pr.headRepo !== repo) continue;
      const mini = (r: RepoState) => ({ id: r.id, url: `${this.url}/repos/${fullName(r)}`, name: r.name });
      pulls.push({
        id: pr.id,
        number: pr.number,
        url: `${this.url}/repos/${full}/pulls/${pr.number}`,
        head: { ref: pr.headRef, sha: pr.headSha, repo: mini(pr.headRepo) },
        base: { ref: pr.baseRef, sha: pr.baseSha, repo: mini(repo) },
      });
    }
    return {
      id: run.id,
      head_sha: run.head_sha,
      node_id: nodeId('CheckRun', run.id),
      external_id: run.external_id,
      url: `${this.url}/repos/${full}/check-runs/${run.id}`,
      html_url: `${this.web}/${full}/runs/${run.id}`,
      details_url: run.details_url ?? `${this.web}/apps/${this.slug}`,
      status: run.status,
      conclusion: run.conclusion,
      started_at: run.started_at,
      completed_at: run.completed_at,
      output: {
        title: run.output.title,
        summary: run.output.summary,
        text: run.output.text,
        annotations_count: run.output.annotations.length,
        annotations_url: `${this.url}/repos/${full}/check-runs/${run.id}/annotations`,
      },
      name: run.name,
      check_suite: { id: suite },
      app: this.integration(),
      pull_requests: pulls,
    };
  }

  private commentJson(c: FakeComment): Record<string, unknown> {
    const repo = this.repos.get(c.repo.toLowerCase());
    const full = repo ? fullName(repo) : c.repo;
    const mine = this.reactions.filter((r) => r.comment_id === c.id && sameRepo(r.repo, full));
    const count = (content: string) => mine.filter((r) => r.content === content).length;
    const bot = c.user.toLowerCase() === this.bot.login.toLowerCase();
    return {
      id: c.id,
      node_id: nodeId('IssueComment', c.id),
      url: `${this.url}/repos/${full}/issues/comments/${c.id}`,
      html_url: `${this.web}/${full}/pull/${c.issue}#issuecomment-${c.id}`,
      body: c.body,
      user: this.user(c.user),
      created_at: c.created_at,
      updated_at: c.updated_at,
      issue_url: `${this.url}/repos/${full}/issues/${c.issue}`,
      author_association: 'NONE',
      performed_via_github_app: bot ? this.integration() : null,
      reactions: {
        url: `${this.url}/repos/${full}/issues/comments/${c.id}/reactions`,
        total_count: mine.length,
        '+1': count('+1'),
        '-1': count('-1'),
        laugh: count('laugh'),
        hooray: count('hooray'),
        confused: count('confused'),
        heart: count('heart'),
        rocket: count('rocket'),
        eyes: count('eyes'),
      },
    };
  }

  private contentEntry(repo: RepoState, ref: string, e: FlatEntry, withContent: boolean): Record<string, unknown> {
    const full = fullName(repo);
    const name = e.path.slice(e.path.lastIndexOf('/') + 1);
    const self = `${this.url}/repos/${full}/contents/${encodePath(e.path)}?ref=${encodeURIComponent(ref)}`;
    const git = `${this.url}/repos/${full}/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}`;
    const html = `${this.web}/${full}/${e.type === 'tree' ? 'tree' : 'blob'}/${encodeURIComponent(ref)}/${encodePath(e.path)}`;
    const out: Record<string, unknown> = {
      type: e.type === 'tree' ? 'dir' : 'file',
      size: e.size ?? 0,
      name,
      path: e.path,
      sha: e.sha,
      url: self,
      git_url: git,
      html_url: html,
      // deliberately not an API route: an app must not download files from here (an unmatched request)
      download_url: e.type === 'tree' ? null : `${this.url}/raw/${full}/${encodeURIComponent(ref)}/${encodePath(e.path)}`,
      _links: { self, git, html },
    };
    if (withContent && e.type === 'blob') {
      const content = this.store.blobs.get(e.sha) ?? Buffer.alloc(0);
      const small = content.length <= CONTENTS_JSON_LIMIT;
      out.encoding = small ? 'base64' : 'none';
      out.content = small ? githubBase64(content) : '';
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Handlers

  private handlerTable(): Record<string, Handler> {
    return {
      'POST /app/installations/{installation_id}/access_tokens': (ctx) => this.createToken(ctx),
      'GET /app': () => this.json(200, this.integration()),
      'GET /advisories': (ctx) => this.advisories.handle(ctx.query, ctx.headers, this.url, this.errors),
      'GET /app/installations': (ctx) => {
        const all = [...this.installations.values()].sort((a, b) => a.id - b.id).map((i) => this.installation(i));
        const page = this.paginate(ctx, all);
        return this.json(200, page.items, page.headers);
      },
      'GET /repos/{owner}/{repo}/installation': (ctx) => {
        const repo = this.repoOf(ctx);
        const inst = repo && [...this.installations.values()].find((i) => i.account.login.toLowerCase() === repo.owner.login.toLowerCase());
        return inst ? this.json(200, this.installation(inst)) : this.notFound(ctx.op);
      },
      'GET /repos/{owner}/{repo}': (ctx) => {
        const repo = this.repoOf(ctx);
        return repo ? this.json(200, repository(this.origins, repo, true)) : this.notFound(ctx.op);
      },
      'GET /repos/{owner}/{repo}/pulls/{pull_number}': (ctx) => {
        const repo = this.repoOf(ctx);
        const pr = repo?.pulls.get(Number(ctx.params.get('pull_number')));
        return repo && pr ? this.json(200, this.pull(repo, pr)) : this.notFound(ctx.op);
      },
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/files': (ctx) => {
        const repo = this.repoOf(ctx);
        const pr = repo?.pulls.get(Number(ctx.params.get('pull_number')));
        if (!repo || !pr) return this.notFound(ctx.op);
        const files = this.pullDiff(pr).files.slice(0, PULL_FILES_CAP);
        const page = this.paginate(ctx, files);
        return this.json(
          200,
          page.items.map((f) => this.diffEntry(pr.headRepo, pr.headSha, f)),
          page.headers,
        );
      },
      'GET /repos/{owner}/{repo}/compare/{basehead}': (ctx) => this.compare(ctx),
      'GET /repos/{owner}/{repo}/git/trees/{tree_sha}': (ctx) => this.tree(ctx),
      'GET /repos/{owner}/{repo}/contents/{path}': (ctx) => this.contents(ctx),
      'GET /repos/{owner}/{repo}/git/blobs/{file_sha}': (ctx) => this.blob(ctx),
      'POST /repos/{owner}/{repo}/check-runs': (ctx) => this.createCheckRun(ctx),
      'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}': (ctx) => this.updateCheckRun(ctx),
      'GET /repos/{owner}/{repo}/check-runs/{check_run_id}': (ctx) => {
        const run = this.findCheckRun(ctx);
        return run ? this.json(200, this.checkRunJson(run)) : this.notFound(ctx.op);
      },
      'GET /repos/{owner}/{repo}/commits/{ref}/check-runs': (ctx) => this.listCheckRuns(ctx),
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments': (ctx) => {
        const repo = this.repoOf(ctx);
        const issue = Number(ctx.params.get('issue_number'));
        if (!repo?.pulls.has(issue)) return this.notFound(ctx.op);
        const since = ctx.query.get('since');
        const sinceMs = since === null ? undefined : Date.parse(since);
        const list = this.comments
          .filter((c) => sameRepo(c.repo, fullName(repo)) && c.issue === issue && (sinceMs === undefined || Date.parse(c.updated_at) >= sinceMs))
          .sort((a, b) => a.id - b.id);
        const page = this.paginate(ctx, list);
        return this.json(
          200,
          page.items.map((c) => this.commentJson(c)),
          page.headers,
        );
      },
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': (ctx) => {
        const repo = this.repoOf(ctx);
        const issue = Number(ctx.params.get('issue_number'));
        if (!repo?.pulls.has(issue)) return this.notFound(ctx.op);
        const bad = this.rule(ctx, commentBodyProblems(ctx.body?.body));
        if (bad) return bad;
        const now = this.iso();
        const c: FakeComment = {
          id: this.nextId(this.comments, 1_000_001),
          repo: fullName(repo),
          issue,
          body: ctx.body.body,
          user: this.bot.login,
          created_at: now,
          updated_at: now,
        };
        this.comments.push(c);
        return this.json(201, this.commentJson(c), { location: `${this.url}/repos/${fullName(repo)}/issues/comments/${c.id}` });
      },
      'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}': (ctx) => {
        const c = this.findComment(ctx);
        if (!c) return this.notFound(ctx.op);
        const bad = this.rule(ctx, commentBodyProblems(ctx.body?.body));
        if (bad) return bad;
        c.body = ctx.body.body;
        c.updated_at = this.iso();
        return this.json(200, this.commentJson(c));
      },
      'DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}': (ctx) => {
        const c = this.findComment(ctx);
        if (!c) return this.notFound(ctx.op);
        this.comments.splice(this.comments.indexOf(c), 1);
        return { status: 204 };
      },
      'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions': (ctx) => {
        const c = this.findComment(ctx);
        if (!c) return this.notFound(ctx.op);
        const content = String(ctx.body?.content);
        if (!['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes'].includes(content)) {
          return this.rule(ctx, [['body.content', `${JSON.stringify(content)} is not a reaction`]]) as Reply;
        }
        const existing = this.reactions.find((r) => r.comment_id === c.id && sameRepo(r.repo, c.repo) && r.content === content && r.user === this.bot.login);
        const r = existing ?? {
          id: this.nextId(this.reactions, 2_000_001),
          repo: c.repo,
          comment_id: c.id,
          content,
          user: this.bot.login,
          created_at: this.iso(),
        };
        if (!existing) this.reactions.push(r);
        return this.json(existing ? 200 : 201, {
          id: r.id,
          node_id: nodeId('Reaction', r.id),
          user: this.user(r.user),
          content: r.content,
          created_at: r.created_at,
        });
      },
      'GET /repos/{owner}/{repo}/collaborators/{username}/permission': (ctx) => {
        const repo = this.repoOf(ctx);
        if (!repo) return this.notFound(ctx.op);
        const login = ctx.params.get('username') as string;
        const role: FakePermission =
          repo.permissions.get(login.toLowerCase()) ?? (login.toLowerCase() === repo.owner.login.toLowerCase() ? 'admin' : repo.private ? 'none' : 'read');
        const legacy = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
        const rank = ['none', 'read', 'triage', 'write', 'maintain', 'admin'].indexOf(role);
        return this.json(200, {
          permission: legacy,
          role_name: role,
          user: {
            ...this.user(login),
            permissions: { admin: rank >= 5, maintain: rank >= 4, push: rank >= 3, triage: rank >= 2, pull: rank >= 1 },
            role_name: role,
          },
        });
      },
    };
  }

  private nextId(list: { id: number }[], first: number): number {
    let max = first - 1;
    for (const x of list) if (x.id > max) max = x.id;
    return max + 1;
  }

  private createToken(ctx: Ctx): Reply {
    const inst = this.installations.get(Number(ctx.params.get('installation_id')));
    if (!inst) return this.notFound(ctx.op);
    const body = (ctx.body ?? {}) as { repositories?: string[]; repository_ids?: number[]; permissions?: Record<string, string> };
    const problems: [string, string][] = [];
    const owned = [...this.repos.values()].filter((r) => r.owner === inst.account);
    const selected: RepoState[] = [];
    for (const name of body.repositories ?? []) {
      const r = owned.find((x) => x.name.toLowerCase() === String(name).toLowerCase());
      if (r) selected.push(r);
      else problems.push(['body.repositories', `${JSON.stringify(name)} is not a repository of ${inst.account.login}`]);
    }
    for (const id of body.repository_ids ?? []) {
      const r = owned.find((x) => x.id === id);
      if (r) selected.push(r);
      else problems.push(['body.repository_ids', `${id} is not a repository of ${inst.account.login}`]);
    }
    for (const [perm, level] of Object.entries(body.permissions ?? {})) {
      const granted = Object.hasOwn(APP_PERMISSIONS, perm) ? APP_PERMISSIONS[perm] : undefined;
      const asked = Object.hasOwn(LEVELS, level) ? (LEVELS[level] as number) : 9;
      if (granted === undefined || asked > (LEVELS[granted] as number)) {
        problems.push([`body.permissions.${perm}`, `${level} is more than the app was granted (${granted ?? 'nothing'})`]);
      }
    }
    const bad = this.rule(ctx, problems, 'There is at least one repository or permission that is not accessible to the installation.');
    if (bad) return bad;
    const token = `ghs_${createHash('sha256')
      .update(`${this.appId}:${inst.id}:${++this.tokenCount}`)
      .digest('base64url')
      .replace(/[-_]/g, 'x')
      .slice(0, 36)}`;
    const expires = this.now().getTime() + TOKEN_LIFETIME_MS;
    this.tokens.set(token, { installation: inst.id, expires });
    const out: Record<string, unknown> = {
      token,
      expires_at: isoSeconds(new Date(expires)),
      permissions: body.permissions ? { ...body.permissions } : { ...APP_PERMISSIONS },
      repository_selection: selected.length > 0 ? 'selected' : 'all',
    };
    if (selected.length > 0) out.repositories = selected.map((r) => repository(this.origins, r));
    return this.json(201, out);
  }

  private compare(ctx: Ctx): Reply {
    const repo = this.repoOf(ctx);
    if (!repo) return this.notFound(ctx.op);
    const basehead = ctx.params.get('basehead') as string;
    const sep = basehead.indexOf('...');
    if (sep < 0) return this.notFound(ctx.op);
    const side = (s: string) => {
      const colon = s.indexOf(':');
      if (colon < 0) return this.resolveRef(repo, s);
      const owner = s.slice(0, colon).toLowerCase();
      const other = repo.network.repos.find((r) => r.owner.login.toLowerCase() === owner);
      return other ? this.resolveRef(other, s.slice(colon + 1)) : undefined;
    };
    const base = side(basehead.slice(0, sep));
    const head = side(basehead.slice(sep + 3));
    if (base === undefined || head === undefined) return this.notFound(ctx.op);
    const mergeBase = this.store.mergeBase(base, head);
    if (mergeBase === undefined) return this.notFound(ctx.op, `No common ancestor between ${basehead.slice(0, sep)} and ${basehead.slice(sep + 3)}.`);
    const ahead = this.store.commitsBetween(base, head);
    const behind = this.store.commitsBetween(head, base);
    const full = fullName(repo);
    const paged = ctx.query.has('page') || ctx.query.has('per_page');
    let commits: GitCommit[];
    let headers: Record<string, string> | undefined;
    if (paged) {
      const page = this.paginate(ctx, ahead);
      commits = page.items;
      headers = page.headers;
    } else {
      commits = ahead.slice(-COMPARE_COMMITS_UNPAGED);
    }
    const out: Record<string, unknown> = {
      url: `${this.url}/repos/${full}/compare/${basehead}`,
      html_url: `${this.web}/${full}/compare/${basehead}`,
      permalink_url: `${this.web}/${full}/compare/${repo.owner.login}:${base.slice(0, 7)}...${repo.owner.login}:${head.slice(0, 7)}`,
      diff_url: `${this.web}/${full}/compare/${basehead}.diff`,
      patch_url: `${this.web}/${full}/compare/${basehead}.patch`,
      base_commit: this.gitCommit(repo, base),
      merge_base_commit: this.gitCommit(repo, mergeBase),
      status: base === head ? 'identical' : behind.length === 0 ? 'ahead' : ahead.length === 0 ? 'behind' : 'diverged',
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: commits.map((c) => this.gitCommit(repo, c.sha)),
    };
    // like GitHub: files (up to 300) are listed with the first page only
    if (!paged || (intParam(ctx.query.get('page')) ?? 1) <= 1) {
      out.files = this.diff(mergeBase, head)
        .slice(0, COMPARE_FILES_CAP)
        .map((f) => this.diffEntry(repo, head, f));
    }
    return this.json(200, out, headers);
  }

  private tree(ctx: Ctx): Reply {
    const repo = this.repoOf(ctx);
    if (!repo) return this.notFound(ctx.op);
    const given = ctx.params.get('tree_sha') as string;
    let treeSha: string | undefined;
    if (/^[0-9a-f]{40}$/i.test(given) && repo.network.trees.has(given.toLowerCase())) treeSha = given.toLowerCase();
    else {
      const commit = this.resolveRef(repo, given);
      if (commit !== undefined) treeSha = this.commitOf(commit).tree;
    }
    if (treeSha === undefined) return this.notFound(ctx.op);
    const full = fullName(repo);
    // like GitHub, any value of `recursive` (even 0 or false) asks for the whole tree
    const recursive = ctx.query.has('recursive');
    const entries = recursive
      ? [...this.store.flatten(treeSha).values()]
      : (this.store.trees.get(treeSha) ?? []).map(
          (e): FlatEntry => ({ path: e.name, type: e.type, sha: e.sha, size: e.type === 'blob' ? (this.store.blobs.get(e.sha)?.length ?? 0) : undefined }),
        );
    const truncated = entries.length > TREE_ENTRIES_CAP;
    const tree = entries.slice(0, TREE_ENTRIES_CAP).map((e) => {
      const out: Record<string, unknown> = { path: e.path, mode: e.type === 'tree' ? TREE_MODE : BLOB_MODE, type: e.type, sha: e.sha };
      if (e.type === 'blob') out.size = e.size ?? 0;
      out.url = `${this.url}/repos/${full}/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}`;
      return out;
    });
    return this.json(200, { sha: treeSha, url: `${this.url}/repos/${full}/git/trees/${treeSha}`, tree, truncated });
  }

  private contents(ctx: Ctx): Reply {
    const repo = this.repoOf(ctx);
    if (!repo) return this.notFound(ctx.op);
    const ref = ctx.query.get('ref') ?? repo.defaultBranch;
    const sha = this.resolveRef(repo, ref);
    if (sha === undefined) {
      if (ctx.query.get('ref') === null && repo.branches.size === 0) return this.notFound(ctx.op, 'This repository is empty.');
      return this.notFound(ctx.op, `No commit found for the ref ${ref}`);
    }
    const path = (ctx.params.get('path') ?? '').replace(/^\/+|\/+$/g, '');
    const entry = this.store.lookup(this.commitOf(sha).tree, path);
    if (!entry) return this.notFound(ctx.op);
    const format = mediaFormat(ctx.headers.accept);
    if (entry.type === 'tree') {
      const listing = (this.store.trees.get(entry.sha) ?? []).map((e) =>
        this.contentEntry(
          repo,
          ref,
          {
            path: path === '' ? e.name : `${path}/${e.name}`,
            type: e.type,
            sha: e.sha,
            size: e.type === 'blob' ? (this.store.blobs.get(e.sha)?.length ?? 0) : 0,
          },
          false,
        ),
      );
      if (format === 'object') return this.json(200, { ...this.contentEntry(repo, ref, { ...entry, path, size: 0 }, false), entries: listing });
      return this.json(200, listing);
    }
    const content = this.store.blobs.get(entry.sha) ?? Buffer.alloc(0);
    if (format === 'raw') return this.rawBlob(ctx, content);
    return this.json(200, this.contentEntry(repo, ref, { ...entry, size: content.length }, true));
  }

  private rawBlob(ctx: Ctx, content: Buffer): Reply {
    if (content.length > BLOB_LIMIT) {
      return {
        status: 403,
        json: {
          message:
            'This API returns blobs up to 100 MB in size. The requested blob is too large to fetch via the API, but you can always clone the repository via Git to obtain it.',
          errors: [{ resource: 'Blob', field: 'data', code: 'too_large' }],
          documentation_url: ctx.op?.docsUrl ?? 'https://docs.github.com/rest',
          status: '403',
        },
      };
    }
    const v3 = /vnd\.github\.v3\.raw/i.test(ctx.headers.accept ?? '');
    return {
      status: 200,
      raw: content,
      headers: { 'content-type': `application/vnd.github${v3 ? '.v3' : ''}.raw; charset=utf-8`, 'x-github-media-type': `github.v3; param=raw` },
    };
  }

  private blob(ctx: Ctx): Reply {
    const repo = this.repoOf(ctx);
    const sha = (ctx.params.get('file_sha') ?? '').toLowerCase();
    const content = repo?.network.blobs.has(sha) ? this.store.blobs.get(sha) : undefined;
    if (!repo || !content) return this.notFound(ctx.op);
    if (mediaFormat(ctx.headers.accept) === 'raw' || content.length > BLOB_LIMIT) return this.rawBlob(ctx, content);
    return this.json(200, {
      sha,
      node_id: nodeId('Blob', sha),
      size: content.length,
      url: `${this.url}/repos/${fullName(repo)}/git/blobs/${sha}`,
      content: githubBase64(content),
      encoding: 'base64',
    });
  }

  // --- check runs

  private findCheckRun(ctx: Ctx): FakeCheckRun | undefined {
    const repo = this.repoOf(ctx);
    const id = Number(ctx.params.get('check_run_id'));
    return repo ? this.checkRuns.find((r) => r.id === id && sameRepo(r.repo, fullName(repo))) : undefined;
  }

  /** GitHub's rules beyond the schema (and the schema's limits again, for `validate: false`). */
  private checkRunProblems(repo: RepoState, body: any, creating: boolean): [string, string][] {
    const problems: [string, string][] = [];
    if (creating) {
      const sha = String(body.head_sha ?? '');
      if (!/^[0-9a-f]{40}$/i.test(sha) || !repo.network.commits.has(sha.toLowerCase())) problems.push(['body.head_sha', `No commit found for SHA: ${sha}`]);
      if (typeof body.name !== 'string' || body.name === '') problems.push(['body.name', 'a check run needs a name']);
    }
    if ((body.status === 'completed' || body.completed_at !== undefined) && body.conclusion === undefined) {
      problems.push(['body.conclusion', 'is required with status "completed" or completed_at']);
    }
    if (body.conclusion === 'stale') problems.push(['body.conclusion', 'only GitHub can set "stale"']);
    const output = body.output;
    if (output && typeof output === 'object') {
      for (const k of ['summary', 'text'] as const) {
        if (typeof output[k] === 'string' && output[k].length > 65535)
          problems.push([`body.output.${k}`, `is ${output[k].length} characters long, at most 65535 allowed`]);
      }
      const annotations: any[] = Array.isArray(output.annotations) ? output.annotations : [];
      if (annotations.length > ANNOTATIONS_PER_REQUEST)
        problems.push(['body.output.annotations', `has ${annotations.length} items, at most ${ANNOTATIONS_PER_REQUEST} per request allowed`]);
      annotations.forEach((a, i) => {
        const at = `body.output.annotations[${i}]`;
        if (!a || typeof a !== 'object') return;
        if (!Number.isInteger(a.start_line) || a.start_line < 1) problems.push([`${at}.start_line`, 'line numbers start at 1']);
        if (!Number.isInteger(a.end_line) || a.end_line < a.start_line) problems.push([`${at}.end_line`, `${a.end_line} is before start_line ${a.start_line}`]);
        if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line) {
          problems.push([`${at}.start_column`, 'columns are only allowed when start_line equals end_line']);
        }
        if (typeof a.title === 'string' && [...a.title].length > 255) problems.push([`${at}.title`, 'is longer than 255 characters']);
        for (const k of ['message', 'raw_details'] as const) {
          if (typeof a[k] === 'string' && Buffer.byteLength(a[k]) > ANNOTATION_TEXT_MAX_BYTES) problems.push([`${at}.${k}`, 'is larger than 64 KB']);
        }
      });
    }
    if (Array.isArray(body.actions) && body.actions.length > 3) problems.push(['body.actions', `has ${body.actions.length} items, at most 3 allowed`]);
    return problems;
  }

  private applyCheckRun(run: FakeCheckRun, body: any, now: string): void {
    for (const k of ['name', 'details_url', 'external_id'] as const) if (typeof body[k] === 'string') run[k] = body[k];
    if (typeof body.started_at === 'string') run.started_at = isoSeconds(new Date(body.started_at));
    if (typeof body.status === 'string') {
      run.status = body.status;
      if (body.status !== 'completed') {
        run.conclusion = null;
        run.completed_at = null;
      }
    }
    if (typeof body.conclusion === 'string') {
      run.conclusion = body.conclusion;
      run.status = 'completed';
      run.completed_at = typeof body.completed_at === 'string' ? isoSeconds(new Date(body.completed_at)) : now;
    }
    const output = body.output;
    if (output && typeof output === 'object') {
      for (const k of ['title', 'summary', 'text'] as const) if (typeof output[k] === 'string') run.output[k] = output[k];
      if (Array.isArray(output.annotations)) for (const a of output.annotations as FakeCheckRunAnnotation[]) run.output.annotations.push({ ...a });
      if (Array.isArray(output.images)) run.output.images = [...output.images];
    }
    if (Array.isArray(body.actions)) run.actions = body.actions.map((a: FakeCheckRun['actions'][number]) => ({ ...a }));
  }

  private createCheckRun(ctx: Ctx): Reply {
    const repo = this.repoOf(ctx);
    if (!repo) return this.notFound(ctx.op);
    const body = ctx.body ?? {};
    const bad = this.rule(ctx, this.checkRunProblems(repo, body, true));
    if (bad) return bad;
    const now = this.iso();
    const run: FakeCheckRun = {
      id: this.nextId(this.checkRuns, 4_000_001),
      repo: fullName(repo),
      head_sha: String(body.head_sha).toLowerCase(),
      name: body.name,
      status: 'queued',
      conclusion: null,
      external_id: null,
      details_url: null,
      started_at: now,
      completed_at: null,
      output: { title: null, summary: null, text: null, annotations: [], images: [] },
      actions: [],
      app_id: this.appId,
    };
    this.applyCheckRun(run, body, now);
    this.checkRuns.push(run);
    return this.json(201, this.checkRunJson(run));
  }

  private updateCheckRun(ctx: Ctx): Reply {
    const repo = this.repoOf(ctx);
    const run = this.findCheckRun(ctx);
    if (!repo || !run) return this.notFound(ctx.op);
    const body = ctx.body ?? {};
    const bad = this.rule(ctx, this.checkRunProblems(repo, body, false));
    if (bad) return bad;
    this.applyCheckRun(run, body, this.iso());
    return this.json(200, this.checkRunJson(run));
  }

  private listCheckRuns(ctx: Ctx): Reply {
    const repo = this.repoOf(ctx);
    if (!repo) return this.notFound(ctx.op);
    const sha = this.resolveRef(repo, ctx.params.get('ref') as string);
    if (sha === undefined) return this.notFound(ctx.op, `No commit found for SHA: ${ctx.params.get('ref')}`);
    const name = ctx.query.get('check_name');
    const status = ctx.query.get('status');
    const appId = intParam(ctx.query.get('app_id'));
    let runs = this.checkRuns.filter(
      (r) =>
        sameRepo(r.repo, fullName(repo)) &&
        r.head_sha === sha &&
        (name === null || r.name === name) &&
        (status === null || r.status === status) &&
        (appId === undefined || r.app_id === appId),
    );
    runs.sort((a, b) => b.id - a.id);
    if ((ctx.query.get('filter') ?? 'latest') === 'latest') {
      const seen = new Set<string>();
      runs = runs.filter((r) => {
        if (seen.has(r.name)) return false;
        seen.add(r.name);
        return true;
      });
    }
    const page = this.paginate(ctx, runs);
    return this.json(200, { total_count: runs.length, check_runs: page.items.map((r) => this.checkRunJson(r)) }, page.headers);
  }

  // --- comments

  private findComment(ctx: Ctx): FakeComment | undefined {
    const repo = this.repoOf(ctx);
    const id = Number(ctx.params.get('comment_id'));
    return repo ? this.comments.find((c) => c.id === id && sameRepo(c.repo, fullName(repo))) : undefined;
  }
}

function sameRepo(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function commentBodyProblems(body: unknown): [string, string][] {
  if (typeof body !== 'string' || body.trim() === '') return [['body.body', 'Body cannot be blank']];
  const len = body.length > COMMENT_BODY_MAX ? [...body].length : body.length;
  if (len > COMMENT_BODY_MAX) return [['body.body', `Body is too long (maximum is ${COMMENT_BODY_MAX} characters), got ${len}`]];
  return [];
}

/** `raw` for GitHub's raw media types, `object` for the object type, `json` otherwise. */
function mediaFormat(accept: string | undefined): 'raw' | 'object' | 'json' {
  const a = accept ?? '';
  if (/application\/vnd\.github(\.v3)?\.raw/i.test(a)) return 'raw';
  if (/application\/vnd\.github(\.v3)?\.object/i.test(a)) return 'object';
  return 'json';
}

function resourceOf(op: OpenApiOperation | undefined): string {
  const id = op?.operationId ?? '';
  if (id.startsWith('checks/')) return 'CheckRun';
  if (id.startsWith('issues/')) return 'IssueComment';
  if (id.startsWith('reactions/')) return 'Reaction';
  if (id.startsWith('apps/')) return 'Installation';
  return 'Resource';
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
