import { createHash } from 'node:crypto';
import { Octokit } from '@octokit/rest';
import { startFakeGitHub, type FakeGitHub } from '../../test-support/fake-github.js';
import { loadGitHubOpenApi } from '../../test-support/openapi-validate.js';

/** Any JWT-shaped bearer is accepted as the app's JWT. */
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.c2lnbmF0dXJl';
const LOCK_V1 = `${JSON.stringify({ name: 'app', lockfileVersion: 3, packages: { '': {}, 'node_modules/a': { version: '1.0.0' } } }, null, 2)}\n`;
const LOCK_V2 = LOCK_V1.replace('"1.0.0"', '"1.1.0"');

let fake: FakeGitHub;

beforeEach(async () => {
  fake = await startFakeGitHub();
});

afterEach(async () => {
  try {
    fake.assertClean();
  } finally {
    await fake.close();
  }
});

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function gh(auth: string = 'test-token'): Octokit {
  return new Octokit({ baseUrl: fake.url, auth, log: quiet });
}

function blobSha(content: string | Buffer): string {
  const b = typeof content === 'string' ? Buffer.from(content) : content;
  return createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');
}

/** An untyped request, for bodies GitHub (and Octokit's types) would reject. */
function send(route: string, params: Record<string, unknown>, client: Octokit = gh()) {
  return client.request(route, params);
}

async function status(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (err) {
    return (err as { status: number }).status;
  }
}

/** Takes the recorded errors (so afterEach's assertClean only sees unexpected ones). */
function takeErrors(): string[] {
  return fake.errors.splice(0);
}

/** acme/app with main (base) and feature (head, one commit on top): lockfile modified, file added, file renamed, file removed. */
function seed(): { base: string; head: string } {
  fake.addRepo({ owner: 'acme', name: 'app' });
  fake.addInstallation(42, 'acme');
  const base = fake.commit(
    'acme/app',
    { 'package.json': '{"name":"app"}\n', 'package-lock.json': LOCK_V1, 'README.md': 'hello\n', 'docs/old.md': 'same\ncontent\n' },
    { branch: 'main' },
  );
  const head = fake.commit(
    'acme/app',
    { 'package.json': '{"name":"app"}\n', 'package-lock.json': LOCK_V2, 'src/index.js': 'a\nb\nc\n', 'docs/new.md': 'same\ncontent\n' },
    { branch: 'feature', parent: base },
  );
  fake.addPullRequest('acme/app', { number: 7, baseRef: 'main', baseSha: base, headRef: 'feature', headSha: head, user: 'alice', title: 'Bump a' });
  return { base, head };
}

describe('OpenAPI description', () => {
  test('is loaded and indexed once per process', async () => {
    const api = loadGitHubOpenApi();
    expect(loadGitHubOpenApi()).toBe(api);
    expect(api.operationCount).toBeGreaterThan(1000);
    const second = await startFakeGitHub();
    try {
      expect(second.openApiLoadMs).toBeLessThan(50); // cached: no second parse of 13 MB
    } finally {
      await second.close();
    }
  });
});

describe('repositories and git data', () => {
  test('GET /repos/{owner}/{repo}', async () => {
    fake.addRepo({ owner: 'acme', name: 'secret', private: true, defaultBranch: 'trunk', id: 1234 });
    fake.addRepo({ owner: 'bob', name: 'tool', ownerType: 'User' });
    const { data } = await gh().repos.get({ owner: 'acme', repo: 'secret' });
    expect(data).toMatchObject({
      id: 1234,
      full_name: 'acme/secret',
      private: true,
      default_branch: 'trunk',
      fork: false,
      owner: { login: 'acme', type: 'Organization' },
    });
    const tool = (await gh().repos.get({ owner: 'BOB', repo: 'TOOL' })).data;
    expect(tool.owner.type).toBe('User');
    expect(tool.full_name).toBe('bob/tool');
    expect(await status(gh().repos.get({ owner: 'acme', repo: 'nope' }))).toBe(404);
  });

  test('owner types: stated by addRepo (an account first seen as an installation takes it), conflicts rejected', async () => {
    fake.addInstallation(5, 'bob');
    fake.addRepo({ owner: 'bob', name: 'tool', ownerType: 'User' });
    expect((await gh(JWT).apps.getRepoInstallation({ owner: 'bob', repo: 'tool' })).data).toMatchObject({
      id: 5,
      target_type: 'User',
      account: { login: 'bob', type: 'User' },
    });
    expect(() => fake.addRepo({ owner: 'bob', name: 'other', ownerType: 'Organization' })).toThrow('bob is already a User');
    fake.addRepo({ owner: 'acme', name: 'one' });
    expect((await gh().repos.get({ owner: 'acme', repo: 'one' })).data.owner.type).toBe('Organization');
    expect(() => fake.addRepo({ owner: 'acme', name: 'one' })).toThrow(/already exists/);
  });

  test('commits have real git ids (trees, blobs and commits as git computes them)', () => {
    fake.addRepo({ owner: 'acme', name: 'app' });
    const sha = fake.commit('acme/app', [
      { path: 'hello.txt', content: 'hello\n' },
      { path: 'src/a.js', content: Buffer.from('x\n') },
    ]);
    // `git write-tree` / `git commit-tree -m 'Update files'` with the fake's author and date (1704067260 +0000)
    expect(sha).toBe('148ceedacc002da050a4afff48f75f3ae66c910f');
    expect(blobSha('hello\n')).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });

  test('commit() rejects paths git would not store and unknown parents', () => {
    fake.addRepo({ owner: 'acme', name: 'app' });
    expect(() => fake.commit('acme/app', { '../x': 'a' })).toThrow(/invalid file path/);
    expect(() => fake.commit('acme/app', { 'a//b': 'a' })).toThrow(/invalid file path/);
    expect(() => fake.commit('acme/app', { a: '1', 'a/b': '2' })).toThrow(/is a file/);
    expect(() => fake.commit('acme/app', { a: '1' }, { parent: 'f'.repeat(40) })).toThrow(/not a commit/);
    expect(() => fake.commit('acme/none', { a: '1' })).toThrow(/unknown repository/);
  });

  test('git trees: recursive (any value of recursive), top level, by commit sha or branch', async () => {
    const { head } = seed();
    const commit = await gh().git.getTree({ owner: 'acme', repo: 'app', tree_sha: head, recursive: '1' });
    expect(commit.data.truncated).toBe(false);
    const paths = commit.data.tree.map((e) => `${e.type} ${e.mode} ${e.path}`);
    expect(paths).toEqual([
      'tree 040000 docs',
      'blob 100644 docs/new.md',
      'blob 100644 package-lock.json',
      'blob 100644 package.json',
      'tree 040000 src',
      'blob 100644 src/index.js',
    ]);
    const lock = commit.data.tree.find((e) => e.path === 'package-lock.json');
    expect(lock).toMatchObject({ sha: blobSha(LOCK_V2), size: Buffer.byteLength(LOCK_V2) });
    // the tree sha itself, a branch name, recursive=0 (GitHub: any value means recursive)
    const byTree = await gh().git.getTree({ owner: 'acme', repo: 'app', tree_sha: commit.data.sha, recursive: '0' });
    expect(byTree.data.tree).toHaveLength(6);
    const byBranch = await gh().git.getTree({ owner: 'acme', repo: 'app', tree_sha: 'feature' });
    expect(byBranch.data.tree.map((e) => e.path)).toEqual(['docs', 'package-lock.json', 'package.json', 'src']);
    expect(await status(gh().git.getTree({ owner: 'acme', repo: 'app', tree_sha: 'a'.repeat(40) }))).toBe(404);
  });

  test('blobs: base64 JSON (60-character lines like GitHub) and raw', async () => {
    seed();
    const sha = blobSha(LOCK_V2);
    const { data } = await gh().git.getBlob({ owner: 'acme', repo: 'app', file_sha: sha });
    expect(data).toMatchObject({ sha, encoding: 'base64', size: Buffer.byteLength(LOCK_V2) });
    expect(data.content.split('\n').every((l) => l.length <= 60)).toBe(true);
    expect(Buffer.from(data.content, 'base64').toString()).toBe(LOCK_V2);
    const raw = await gh().git.getBlob({ owner: 'acme', repo: 'app', file_sha: sha, mediaType: { format: 'raw' } });
    expect(raw.data as unknown).toBe(LOCK_V2);
    expect(await status(gh().git.getBlob({ owner: 'acme', repo: 'app', file_sha: blobSha('nothing') }))).toBe(404);
  });
});

describe('contents', () => {
  test('raw, JSON and directory forms; ref by branch, sha or default branch', async () => {
    const { base, head } = seed();
    const raw = await gh().repos.getContent({ owner: 'acme', repo: 'app', path: 'package-lock.json', ref: head, mediaType: { format: 'raw' } });
    expect(raw.data as unknown).toBe(LOCK_V2);
    expect(raw.headers['content-type']).toBe('application/vnd.github.v3.raw; charset=utf-8');
    const json = await gh().repos.getContent({ owner: 'acme', repo: 'app', path: 'package-lock.json', ref: 'feature' });
    expect(json.data).toMatchObject({
      type: 'file',
      encoding: 'base64',
      name: 'package-lock.json',
      path: 'package-lock.json',
      sha: blobSha(LOCK_V2),
      size: Buffer.byteLength(LOCK_V2),
    });
    expect(Buffer.from((json.data as { content: string }).content, 'base64').toString()).toBe(LOCK_V2);
    // no ref: the default branch
    const dflt = await gh().repos.getContent({ owner: 'acme', repo: 'app', path: 'package-lock.json', mediaType: { format: 'raw' } });
    expect(dflt.data as unknown).toBe(LOCK_V1);
    const old = await gh().repos.getContent({ owner: 'acme', repo: 'app', path: 'README.md', ref: base, mediaType: { format: 'raw' } });
    expect(old.data as unknown).toBe('hello\n');
    const dir = await gh().repos.getContent({ owner: 'acme', repo: 'app', path: 'docs', ref: 'feature' });
    expect(Array.isArray(dir.data)).toBe(true);
    expect((dir.data as { name: string; type: string }[]).map((e) => `${e.type} ${e.name}`)).toEqual(['file new.md']);
    const root = await gh().repos.getContent({ owner: 'acme', repo: 'app', path: '', ref: 'main' });
    expect((root.data as { name: string }[]).map((e) => e.name)).toEqual(['README.md', 'docs', 'package-lock.json', 'package.json']);
    // the raw media type on a directory answers JSON, as GitHub does (Probot's config loader relies on it)
    const rawDir = await gh().repos.getContent({ owner: 'acme', repo: 'app', path: 'docs', mediaType: { format: 'raw' } });
    expect(rawDir.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  test('404s look like GitHub: missing file, missing repository, unknown ref', async () => {
    seed();
    for (const p of [
      gh().repos.getContent({ owner: 'acme', repo: 'app', path: '.github/lockwarden.yml', mediaType: { format: 'raw' } }),
      gh().repos.getContent({ owner: 'acme', repo: '.github', path: '.github/lockwarden.yml', mediaType: { format: 'raw' } }),
      gh().repos.getContent({ owner: 'acme', repo: 'app', path: 'package.json', ref: 'no-such-branch' }),
    ]) {
      await expect(p).rejects.toMatchObject({ status: 404 });
    }
    const res = await fetch(`${fake.url}/repos/acme/app/contents/.github%2Flockwarden.yml`, { headers: { authorization: 'token t' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ message: 'Not Found' });
    const noRef = await fetch(`${fake.url}/repos/acme/app/contents/package.json?ref=nope`, { headers: { authorization: 'token t' } });
    expect(await noRef.json()).toMatchObject({ message: 'No commit found for the ref nope' });
    expect(fake.requests.filter((r) => r.status === 404)).toHaveLength(5);
  });

  test('a path with unencoded slashes reaches the same file', async () => {
    fake.addRepo({ owner: 'acme', name: 'app' });
    fake.commit('acme/app', { '.github/lockwarden.yml': 'severity: high\n' }, { branch: 'main' });
    const res = await fetch(`${fake.url}/repos/acme/app/contents/.github/lockwarden.yml`, {
      headers: { authorization: 'token t', accept: 'application/vnd.github.raw' },
    });
    expect(res.headers.get('content-type')).toBe('application/vnd.github.raw; charset=utf-8');
    expect(await res.text()).toBe('severity: high\n');
    expect(fake.requests[0]).toMatchObject({
      path: '/repos/acme/app/contents/.github/lockwarden.yml',
      route: 'GET /repos/{owner}/{repo}/contents/{path}',
      status: 200,
    });
  });

  test('over 1 MB: JSON has encoding "none" and no content, raw still works; over 100 MB: raw fails', async () => {
    fake.addRepo({ owner: 'acme', name: 'big' });
    const mb = 1024 * 1024;
    const exactly = Buffer.alloc(mb, 'a');
    const over = Buffer.alloc(mb + 1, 'b');
    const huge = Buffer.alloc(100 * mb + 1, 'c');
    fake.commit('acme/big', { 'exactly.txt': exactly, 'over.txt': over, 'huge.bin': huge }, { branch: 'main' });
    const a = await gh().repos.getContent({ owner: 'acme', repo: 'big', path: 'exactly.txt' });
    expect((a.data as { encoding: string }).encoding).toBe('base64');
    const b = await gh().repos.getContent({ owner: 'acme', repo: 'big', path: 'over.txt' });
    expect(b.data).toMatchObject({ encoding: 'none', content: '', size: mb + 1, sha: blobSha(over) });
    const braw = await gh().repos.getContent({ owner: 'acme', repo: 'big', path: 'over.txt', mediaType: { format: 'raw' } });
    expect((braw.data as unknown as string).length).toBe(mb + 1);
    await expect(gh().repos.getContent({ owner: 'acme', repo: 'big', path: 'huge.bin', mediaType: { format: 'raw' } })).rejects.toMatchObject({
      status: 403,
      response: { data: { errors: [{ code: 'too_large' }] } },
    });
    await expect(gh().git.getBlob({ owner: 'acme', repo: 'big', file_sha: blobSha(huge) })).rejects.toMatchObject({ status: 403 });
  });
});

describe('pull requests and comparisons', () => {
  test('GET a pull request', async () => {
    const { base, head } = seed();
    const { data } = await gh().pulls.get({ owner: 'acme', repo: 'app', pull_number: 7 });
    expect(data).toMatchObject({
      number: 7,
      state: 'open',
      title: 'Bump a',
      draft: false,
      user: { login: 'alice', type: 'User' },
      base: { ref: 'main', sha: base, repo: { full_name: 'acme/app' } },
      head: { ref: 'feature', sha: head, repo: { full_name: 'acme/app' } },
      changed_files: 4,
      commits: 1,
    });
    expect(await status(gh().pulls.get({ owner: 'acme', repo: 'app', pull_number: 8 }))).toBe(404);
    fake.addPullRequest('acme/app', { number: 8, baseRef: 'main', baseSha: base, headRef: 'dependabot/npm/a', headSha: head, user: 'dependabot[bot]' });
    const bot = (await gh().pulls.get({ owner: 'acme', repo: 'app', pull_number: 8 })).data.user;
    expect([bot.login, bot.type]).toEqual(['dependabot[bot]', 'Bot']);
  });

  test('files: statuses, blob shas, line counts, exact renames', async () => {
    seed();
    const { data } = await gh().pulls.listFiles({ owner: 'acme', repo: 'app', pull_number: 7 });
    const byName = new Map(data.map((f) => [f.filename, f]));
    expect([...byName.keys()]).toEqual(['README.md', 'docs/new.md', 'package-lock.json', 'src/index.js']);
    expect(byName.get('package-lock.json')).toMatchObject({ status: 'modified', sha: blobSha(LOCK_V2), additions: 1, deletions: 1, changes: 2 });
    expect(byName.get('src/index.js')).toMatchObject({ status: 'added', sha: blobSha('a\nb\nc\n'), additions: 3, deletions: 0, changes: 3 });
    expect(byName.get('README.md')).toMatchObject({ status: 'removed', additions: 0, deletions: 1 });
    expect(byName.get('docs/new.md')).toMatchObject({ status: 'renamed', previous_filename: 'docs/old.md', changes: 0 });
  });

  test('files: pagination with per_page/page and a Link header; octokit.paginate follows it', async () => {
    fake.addRepo({ owner: 'acme', name: 'many' });
    const base = fake.commit('acme/many', { 'keep.txt': 'k' }, { branch: 'main' });
    const files: Record<string, string> = { 'keep.txt': 'k' };
    for (let i = 0; i < 75; i++) files[`f/${String(i).padStart(3, '0')}.txt`] = `${i}\n`;
    const head = fake.commit('acme/many', files, { branch: 'pr', parent: base });
    fake.addPullRequest('acme/many', { number: 1, baseRef: 'main', baseSha: base, headRef: 'pr', headSha: head });
    const first = await gh().pulls.listFiles({ owner: 'acme', repo: 'many', pull_number: 1, per_page: 30 });
    expect(first.data).toHaveLength(30);
    const link = first.headers.link as string;
    expect(link).toBe(
      `<${fake.url}/repos/acme/many/pulls/1/files?per_page=30&page=2>; rel="next", <${fake.url}/repos/acme/many/pulls/1/files?per_page=30&page=3>; rel="last"`,
    );
    const last = await gh().pulls.listFiles({ owner: 'acme', repo: 'many', pull_number: 1, per_page: 30, page: 3 });
    expect(last.data.map((f) => f.filename)).toEqual(Array.from({ length: 15 }, (_, i) => `f/${String(60 + i).padStart(3, '0')}.txt`));
    expect(last.headers.link).toContain('rel="prev"');
    expect(last.headers.link).toContain('rel="first"');
    expect(last.headers.link).not.toContain('rel="next"');
    const all = await gh().paginate(gh().pulls.listFiles, { owner: 'acme', repo: 'many', pull_number: 1, per_page: 30 });
    expect(new Set(all.map((f) => f.filename)).size).toBe(75);
    // default page size 30, at most 100
    expect((await gh().pulls.listFiles({ owner: 'acme', repo: 'many', pull_number: 1 })).data).toHaveLength(30);
    expect((await gh().pulls.listFiles({ owner: 'acme', repo: 'many', pull_number: 1, per_page: 500 })).data).toHaveLength(75);
  });

  test('files: capped at 3000 like GitHub', async () => {
    fake.addRepo({ owner: 'acme', name: 'huge' });
    const base = fake.commit('acme/huge', { 'a.txt': 'a' }, { branch: 'main' });
    const files: Record<string, string> = { 'a.txt': 'a' };
    for (let i = 0; i < 3005; i++) files[`d/${String(i).padStart(4, '0')}`] = `${i}`;
    const head = fake.commit('acme/huge', files, { branch: 'pr', parent: base });
    fake.addPullRequest('acme/huge', { number: 2, baseRef: 'main', baseSha: base, headRef: 'pr', headSha: head });
    const first = await gh().pulls.listFiles({ owner: 'acme', repo: 'huge', pull_number: 2, per_page: 100 });
    expect(first.headers.link).toContain('page=30>; rel="last"');
    const all = await gh().paginate(gh().pulls.listFiles, { owner: 'acme', repo: 'huge', pull_number: 2, per_page: 100 });
    expect(all).toHaveLength(3000);
    expect(all[2999]?.filename).toBe('d/2999');
    const pr = await gh().pulls.get({ owner: 'acme', repo: 'huge', pull_number: 2 });
    expect(pr.data.changed_files).toBe(3005); // the pull request itself still counts them all
  });

  test("files come from the merge base: changes landed on the base branch since are not the PR's", async () => {
    const { base } = seed();
    const moved = fake.commit(
      'acme/app',
      { 'package.json': '{"name":"app"}\n', 'package-lock.json': LOCK_V1, 'README.md': 'hello\n', 'docs/old.md': 'same\ncontent\n', 'later.txt': 'x' },
      { branch: 'main', parent: base },
    );
    const pr = await gh().pulls.get({ owner: 'acme', repo: 'app', pull_number: 7 });
    const head = pr.data.head.sha;
    fake.addPullRequest('acme/app', { number: 9, baseRef: 'main', baseSha: moved, headRef: 'feature', headSha: head });
    const files = (await gh().pulls.listFiles({ owner: 'acme', repo: 'app', pull_number: 9 })).data.map((f) => f.filename);
    expect(files).not.toContain('later.txt');
    expect(files).toContain('package-lock.json');
    const cmp = await gh().repos.compareCommitsWithBasehead({ owner: 'acme', repo: 'app', basehead: `${moved}...${head}` });
    expect(cmp.data).toMatchObject({ status: 'diverged', ahead_by: 1, behind_by: 1, merge_base_commit: { sha: base } });
  });

  test('compare: commits, files, status; files capped at 300', async () => {
    const { base, head } = seed();
    const cmp = await gh().repos.compareCommitsWithBasehead({ owner: 'acme', repo: 'app', basehead: 'main...feature' });
    expect(cmp.data).toMatchObject({
      status: 'ahead',
      ahead_by: 1,
      behind_by: 0,
      total_commits: 1,
      base_commit: { sha: base },
      merge_base_commit: { sha: base },
    });
    expect(cmp.data.commits.map((c) => c.sha)).toEqual([head]);
    expect(cmp.data.files?.map((f) => f.filename)).toEqual(['README.md', 'docs/new.md', 'package-lock.json', 'src/index.js']);
    const same = await gh().repos.compareCommitsWithBasehead({ owner: 'acme', repo: 'app', basehead: `${head}...feature` });
    expect(same.data).toMatchObject({ status: 'identical', ahead_by: 0, files: [] });
    const behind = await gh().repos.compareCommitsWithBasehead({ owner: 'acme', repo: 'app', basehead: 'feature...main' });
    expect(behind.data).toMatchObject({ status: 'behind', behind_by: 1 });

    const files: Record<string, string> = {};
    for (let i = 0; i < 305; i++) files[`x/${String(i).padStart(3, '0')}`] = `${i}`;
    fake.commit('acme/app', files, { branch: 'wide', parent: head });
    const wide = await gh().repos.compareCommitsWithBasehead({ owner: 'acme', repo: 'app', basehead: 'feature...wide' });
    expect(wide.data.files).toHaveLength(300);
    // paginated: commits by page, files on the first page only
    const p2 = await gh().repos.compareCommitsWithBasehead({ owner: 'acme', repo: 'app', basehead: 'main...wide', per_page: 1, page: 2 });
    expect(p2.data.commits).toHaveLength(1);
    expect(p2.data.files).toBeUndefined();
    expect(p2.headers.link).toContain('rel="prev"');
    expect(await status(gh().repos.compareCommitsWithBasehead({ owner: 'acme', repo: 'app', basehead: 'main...nope' }))).toBe(404);
  });

  test('fork pull requests: head repository is the fork; check runs list same-repository pulls only', async () => {
    const { base, head } = seed();
    fake.addPullRequest('acme/app', { number: 8, baseRef: 'main', baseSha: base, headRef: 'patch-1', headSha: head, headRepo: 'mallory/app' });
    const pr = await gh().pulls.get({ owner: 'acme', repo: 'app', pull_number: 8 });
    expect(pr.data.head.repo).toMatchObject({ full_name: 'mallory/app', fork: true });
    expect(pr.data.head.label).toBe('mallory:patch-1');
    expect(pr.data.user?.login).toBe('mallory');
    const fork = await gh().repos.get({ owner: 'mallory', repo: 'app' });
    expect(fork.data).toMatchObject({ fork: true, parent: { full_name: 'acme/app' } });
    const run = await gh().checks.create({ owner: 'acme', repo: 'app', name: 'lockwarden', head_sha: head });
    expect(run.data.pull_requests.map((p) => p.number)).toEqual([7]);
  });
});

describe('pull request updates and forks', () => {
  test('addPullRequest with an existing number replaces the pull request (a push), keeping its id', async () => {
    const { base, head } = seed();
    const before = (await gh().pulls.get({ owner: 'acme', repo: 'app', pull_number: 7 })).data;
    const pushed = fake.commit('acme/app', { 'package.json': '{"name":"app"}\n', 'package-lock.json': LOCK_V1 }, { branch: 'feature' });
    fake.addPullRequest('acme/app', { number: 7, baseRef: 'main', baseSha: base, headRef: 'feature', headSha: pushed });
    const after = (await gh().pulls.get({ owner: 'acme', repo: 'app', pull_number: 7 })).data;
    expect(after.id).toBe(before.id);
    expect(after.head.sha).toBe(pushed);
    expect(after.commits).toBe(2); // head, then the push on top of it
    const cmp = await gh().repos.compareCommitsWithBasehead({ owner: 'acme', repo: 'app', basehead: `${base}...${pushed}` });
    expect(cmp.data.commits.map((c) => c.sha)).toEqual([head, pushed]);
    const files = (await gh().pulls.listFiles({ owner: 'acme', repo: 'app', pull_number: 7 })).data.map((f) => `${f.status} ${f.filename}`);
    expect(files).toEqual(['removed README.md', 'removed docs/old.md']);
  });

  test('a repository added on its own becomes a fork when used as headRepo, sharing git objects', async () => {
    const { base, head } = seed();
    fake.addRepo({ owner: 'mallory', name: 'app', ownerType: 'User' });
    const own = fake.commit('mallory/app', { 'evil.js': 'x' }, { branch: 'side' });
    fake.addPullRequest('acme/app', { number: 8, baseRef: 'main', baseSha: base, headRef: 'feature', headSha: head, headRepo: 'mallory/app' });
    const repo = (await gh().repos.get({ owner: 'mallory', repo: 'app' })).data;
    expect(repo).toMatchObject({ fork: true, parent: { full_name: 'acme/app' }, owner: { type: 'User' } });
    // one network: each repository's commits are readable through the other, as on GitHub
    expect((await gh().repos.getContent({ owner: 'acme', repo: 'app', path: 'evil.js', ref: own, mediaType: { format: 'raw' } })).data as unknown).toBe('x');
    expect(
      (await gh().repos.getContent({ owner: 'mallory', repo: 'app', path: 'package-lock.json', ref: head, mediaType: { format: 'raw' } })).data as unknown,
    ).toBe(LOCK_V2);
  });

  test("Probot: app authentication and the config loader (repository, then the owner's .github repository)", async () => {
    const { ProbotOctokit } = await import('probot');
    const { generateKeyPairSync } = await import('node:crypto');
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    seed();
    fake.addRepo({ owner: 'acme', name: '.github' });
    fake.commit('acme/.github', { '.github/lockwarden.yml': 'failOn: high\n' }, { branch: 'main' });
    const Octo = ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } });
    const octokit = new Octo({ auth: { appId: 1, privateKey, installationId: 42 }, baseUrl: fake.url });
    const got = await octokit.config.get({ owner: 'acme', repo: 'app', path: '.github/lockwarden.yml' });
    expect(got.config).toEqual({ failOn: 'high' });
    expect(got.files.map((f) => [f.repo, f.config])).toEqual([
      ['app', null],
      ['.github', { failOn: 'high' }],
    ]);
    const routes = fake.requests.map((r) => `${r.status} ${r.method} ${r.path}`);
    expect(routes).toEqual([
      '201 POST /app/installations/42/access_tokens',
      '404 GET /repos/acme/app/contents/.github/lockwarden.yml',
      '200 GET /repos/acme/.github/contents/.github/lockwarden.yml',
    ]);
    expect(fake.requests[0]?.headers.authorization).toMatch(/^bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(fake.requests[1]?.headers.authorization).toMatch(/^token ghs_/);
  });
});

describe('check runs', () => {
  const annotation = (i: number) => ({
    path: 'package-lock.json',
    start_line: i + 1,
    end_line: i + 1,
    annotation_level: 'warning' as const,
    message: `finding ${i}`,
  });

  test('create, then update with 2×50 annotations: GitHub accumulates them (100)', async () => {
    const { head } = seed();
    const created = await gh().checks.create({ owner: 'acme', repo: 'app', name: 'lockwarden', head_sha: head, status: 'in_progress', external_id: 'pr-7' });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({
      name: 'lockwarden',
      head_sha: head,
      status: 'in_progress',
      conclusion: null,
      external_id: 'pr-7',
      app: { id: 1, slug: 'lockwarden' },
    });
    expect(created.data.started_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const id = created.data.id;
    const batch = (from: number) => Array.from({ length: 50 }, (_, i) => annotation(from + i));
    await gh().checks.update({ owner: 'acme', repo: 'app', check_run_id: id, output: { title: 'Review', summary: 'first half', annotations: batch(0) } });
    const done = await gh().checks.update({
      owner: 'acme',
      repo: 'app',
      check_run_id: id,
      conclusion: 'failure',
      output: { title: 'Lockfile review', summary: 'two findings', text: 'details', annotations: batch(50) },
      actions: [{ label: 'Re-run', description: 'Review again', identifier: 'rerun' }],
    });
    expect(done.data).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      output: { title: 'Lockfile review', summary: 'two findings', text: 'details', annotations_count: 100 },
    });
    expect(done.data.completed_at).not.toBeNull();
    const run = fake.checkRuns[0]!;
    expect(fake.checkRuns).toHaveLength(1);
    expect(run.output.annotations).toHaveLength(100);
    expect(run.output.annotations[99]).toEqual(annotation(99));
    expect(run.actions).toEqual([{ label: 'Re-run', description: 'Review again', identifier: 'rerun' }]);
    const got = await gh().checks.get({ owner: 'acme', repo: 'app', check_run_id: id });
    expect(got.data.output.annotations_count).toBe(100);
    expect(await status(gh().checks.get({ owner: 'acme', repo: 'app', check_run_id: id + 1 }))).toBe(404);
  });

  test('51 annotations in one request: 422 and an error', async () => {
    const { head } = seed();
    const err = await gh()
      .checks.create({
        owner: 'acme',
        repo: 'app',
        name: 'lockwarden',
        head_sha: head,
        output: { title: 't', summary: 's', annotations: Array.from({ length: 51 }, (_, i) => annotation(i)) },
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 422, response: { data: { message: 'Validation Failed' } } });
    expect(takeErrors()).toEqual(['POST /repos/acme/app/check-runs: body.output.annotations: has 51 items, at most 50 allowed']);
    expect(fake.checkRuns).toHaveLength(0);
  });

  test('a bad enum value is reported with its path', async () => {
    const { head } = seed();
    const annotations: unknown[] = [0, 1, 2, 3].map(annotation);
    annotations[3] = { ...(annotations[3] as object), annotation_level: 'critical' };
    const s = await status(
      send('POST /repos/{owner}/{repo}/check-runs', {
        owner: 'acme',
        repo: 'app',
        name: 'x',
        head_sha: head,
        output: { title: 't', summary: 's', annotations },
      }),
    );
    expect(s).toBe(422);
    expect(takeErrors()).toEqual([
      'POST /repos/acme/app/check-runs: body.output.annotations[3].annotation_level: "critical" is not one of notice, warning, failure',
    ]);
  });

  test('missing required fields, wrong types, unknown properties, too long texts', async () => {
    const { head } = seed();
    const post = (body: Record<string, unknown>) => status(send('POST /repos/{owner}/{repo}/check-runs', { owner: 'acme', repo: 'app', ...body }));
    expect(await post({ name: 'x' })).toBe(422);
    expect(await post({ name: 'x', head_sha: head, output: { title: 't' } })).toBe(422);
    expect(await post({ name: 'x', head_sha: head, details_ur: 'https://example.invalid' })).toBe(422);
    expect(await post({ name: 'x', head_sha: head, output: { title: 't', summary: 's'.repeat(65536) } })).toBe(422);
    expect(
      await post({
        name: 'x',
        head_sha: head,
        output: { title: 't', summary: 's', annotations: [{ path: 'a', start_line: '1', end_line: 1, annotation_level: 'notice', message: 'm' }] },
      }),
    ).toBe(422);
    expect(await post({ name: 'x', head_sha: head, started_at: 'yesterday' })).toBe(422);
    expect(takeErrors()).toEqual([
      'POST /repos/acme/app/check-runs: body.head_sha: required property is missing',
      'POST /repos/acme/app/check-runs: body.output.summary: required property is missing',
      "POST /repos/acme/app/check-runs: body.details_ur: unknown property (not in GitHub's schema, GitHub would ignore it)",
      'POST /repos/acme/app/check-runs: body.output.summary: is 65536 characters long, at most 65535 allowed',
      'POST /repos/acme/app/check-runs: body.output.annotations[0].start_line: "1" is a string, expected an integer',
      'POST /repos/acme/app/check-runs: body.started_at: "yesterday" is not an ISO 8601 date-time (YYYY-MM-DDTHH:MM:SSZ)',
    ]);
    // exactly at the limit is fine
    expect(await post({ name: 'x', head_sha: head, output: { title: 't', summary: 's'.repeat(65535) } })).toBe(200);
  });

  test("GitHub's rules beyond the schema: conclusion with completed, known head sha, annotation lines", async () => {
    const { head } = seed();
    const post = (body: Record<string, unknown>) => status(send('POST /repos/{owner}/{repo}/check-runs', { owner: 'acme', repo: 'app', name: 'x', ...body }));
    expect(await post({ head_sha: head, status: 'completed' })).toBe(422);
    expect(await post({ head_sha: 'b'.repeat(40) })).toBe(422);
    expect(await post({ head_sha: head, conclusion: 'stale' })).toBe(422);
    expect(
      await post({
        head_sha: head,
        output: { title: 't', summary: 's', annotations: [{ path: 'a', start_line: 3, end_line: 2, annotation_level: 'notice', message: 'm' }] },
      }),
    ).toBe(422);
    expect(
      await post({
        head_sha: head,
        output: {
          title: 't',
          summary: 's',
          annotations: [{ path: 'a', start_line: 1, end_line: 1, annotation_level: 'notice', message: 'm', title: 't'.repeat(256) }],
        },
      }),
    ).toBe(422);
    const errors = takeErrors();
    expect(errors).toEqual([
      'POST /repos/acme/app/check-runs: body.conclusion: is required with status "completed" or completed_at',
      `POST /repos/acme/app/check-runs: body.head_sha: No commit found for SHA: ${'b'.repeat(40)}`,
      'POST /repos/acme/app/check-runs: body.conclusion: only GitHub can set "stale"',
      'POST /repos/acme/app/check-runs: body.output.annotations[0].end_line: 2 is before start_line 3',
      'POST /repos/acme/app/check-runs: body.output.annotations[0].title: is longer than 255 characters',
    ]);
    // the update's schema (anyOf) says the same for PATCH
    const run = await gh().checks.create({ owner: 'acme', repo: 'app', name: 'x', head_sha: head });
    expect(
      await status(
        send('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', { owner: 'acme', repo: 'app', check_run_id: run.data.id, status: 'completed' }),
      ),
    ).toBe(422);
    const [patchError] = takeErrors();
    expect(patchError).toMatch(
      /^PATCH \/repos\/acme\/app\/check-runs\/\d+: body: matches none of the 2 alternatives: \(1\) body\.conclusion: required property is missing \(2\) body\.status: "completed" is not one of queued, in_progress$/,
    );
    // conclusion alone completes the run
    const done = await gh().checks.update({
      owner: 'acme',
      repo: 'app',
      check_run_id: run.data.id,
      conclusion: 'success',
      completed_at: '2024-05-01T10:00:00.000Z',
    });
    expect(done.data).toMatchObject({ status: 'completed', conclusion: 'success', completed_at: '2024-05-01T10:00:00Z' });
  });

  test('list for a ref: filters check_name, status, app_id, filter=latest|all; paginated', async () => {
    const { head } = seed();
    const create = (name: string, extra: Record<string, unknown> = {}) => gh().checks.create({ owner: 'acme', repo: 'app', name, head_sha: head, ...extra });
    const a1 = await create('lockwarden');
    const a2 = await create('lockwarden', { conclusion: 'success' });
    await create('other', { status: 'in_progress' });
    const list = (q: Record<string, unknown>) =>
      gh()
        .checks.listForRef({ owner: 'acme', repo: 'app', ref: head, ...q })
        .then((r) => r.data);
    expect((await list({})).check_runs.map((r) => r.id)).toEqual([a2.data.id + 1, a2.data.id]);
    expect((await list({ filter: 'all' })).total_count).toBe(3);
    expect((await list({ filter: 'all', check_name: 'lockwarden' })).check_runs.map((r) => r.id)).toEqual([a2.data.id, a1.data.id]);
    expect((await list({ status: 'in_progress' })).check_runs.map((r) => r.name)).toEqual(['other']);
    expect((await list({ app_id: 1, check_name: 'lockwarden' })).check_runs).toHaveLength(1);
    expect((await list({ app_id: 2 })).total_count).toBe(0);
    expect((await gh().checks.listForRef({ owner: 'acme', repo: 'app', ref: 'feature', filter: 'all' })).data.total_count).toBe(3);
    const page = await gh().checks.listForRef({ owner: 'acme', repo: 'app', ref: head, filter: 'all', per_page: 2, page: 2 });
    expect(page.data).toMatchObject({ total_count: 3 });
    expect(page.data.check_runs).toHaveLength(1);
    expect(page.headers.link).toContain('rel="first"');
    // an enum violation in the query
    expect(await status(send('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', { owner: 'acme', repo: 'app', ref: head, status: 'done' }))).toBe(422);
    expect(takeErrors()).toEqual([`GET /repos/acme/app/commits/${head}/check-runs: query.status: "done" is not one of queued, in_progress, completed`]);
  });
});

describe('comments and reactions', () => {
  test('create, list (paginated), update, react, delete', async () => {
    seed();
    const created = await gh().issues.createComment({ owner: 'acme', repo: 'app', issue_number: 7, body: 'first' });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ body: 'first', user: { login: 'lockwarden[bot]', type: 'Bot' }, performed_via_github_app: { slug: 'lockwarden' } });
    for (let i = 0; i < 4; i++) await gh().issues.createComment({ owner: 'acme', repo: 'app', issue_number: 7, body: `more ${i}` });
    const page1 = await gh().issues.listComments({ owner: 'acme', repo: 'app', issue_number: 7, per_page: 2 });
    expect(page1.data.map((c) => c.body)).toEqual(['first', 'more 0']);
    expect(page1.headers.link).toContain('page=3>; rel="last"');
    const all = await gh().paginate(gh().issues.listComments, { owner: 'acme', repo: 'app', issue_number: 7, per_page: 2 });
    expect(all).toHaveLength(5);
    const updated = await gh().issues.updateComment({ owner: 'acme', repo: 'app', comment_id: created.data.id, body: 'edited' });
    expect(updated.data.body).toBe('edited');
    expect(fake.comments.find((c) => c.id === created.data.id)).toMatchObject({ body: 'edited', repo: 'acme/app', issue: 7, user: 'lockwarden[bot]' });
    const r1 = await gh().reactions.createForIssueComment({ owner: 'acme', repo: 'app', comment_id: created.data.id, content: 'eyes' });
    const r2 = await gh().reactions.createForIssueComment({ owner: 'acme', repo: 'app', comment_id: created.data.id, content: 'eyes' });
    expect([r1.status, r2.status]).toEqual([201, 200]);
    expect(r2.data.id).toBe(r1.data.id);
    const again = (await gh().issues.listComments({ owner: 'acme', repo: 'app', issue_number: 7 })).data[0];
    expect(again?.reactions).toMatchObject({ total_count: 1, eyes: 1 });
    const del = await gh().issues.deleteComment({ owner: 'acme', repo: 'app', comment_id: created.data.id });
    expect(del.status).toBe(204);
    expect(fake.comments).toHaveLength(4);
    expect(await status(gh().issues.updateComment({ owner: 'acme', repo: 'app', comment_id: created.data.id, body: 'x' }))).toBe(404);
    expect(await status(gh().issues.createComment({ owner: 'acme', repo: 'app', issue_number: 99, body: 'x' }))).toBe(404);
  });

  test('comments seeded by the test are listed and editable', async () => {
    seed();
    fake.comments.push({
      id: 55,
      repo: 'acme/app',
      issue: 7,
      body: 'old report <!-- lockwarden -->',
      user: 'lockwarden[bot]',
      created_at: '2024-02-01T00:00:00Z',
      updated_at: '2024-02-01T00:00:00Z',
    });
    fake.comments.push({
      id: 56,
      repo: 'acme/app',
      issue: 7,
      body: 'lgtm',
      user: 'alice',
      created_at: '2024-02-02T00:00:00Z',
      updated_at: '2024-02-02T00:00:00Z',
    });
    const list = await gh().issues.listComments({ owner: 'acme', repo: 'app', issue_number: 7 });
    expect(list.data.map((c) => [c.id, c.user?.login, c.user?.type])).toEqual([
      [55, 'lockwarden[bot]', 'Bot'],
      [56, 'alice', 'User'],
    ]);
    const since = await gh().issues.listComments({ owner: 'acme', repo: 'app', issue_number: 7, since: '2024-02-01T12:00:00Z' });
    expect(since.data.map((c) => c.id)).toEqual([56]);
    await gh().issues.updateComment({ owner: 'acme', repo: 'app', comment_id: 55, body: 'new report' });
    expect(fake.comments[0]?.body).toBe('new report');
    const next = await gh().issues.createComment({ owner: 'acme', repo: 'app', issue_number: 7, body: 'x' });
    expect(next.data.id).toBeGreaterThan(56);
  });

  test('comment bodies: 65536 characters at most, not blank', async () => {
    seed();
    const ok = await gh().issues.createComment({ owner: 'acme', repo: 'app', issue_number: 7, body: 'x'.repeat(65536) });
    expect(ok.status).toBe(201);
    expect(await status(gh().issues.createComment({ owner: 'acme', repo: 'app', issue_number: 7, body: 'x'.repeat(65537) }))).toBe(422);
    expect(await status(gh().issues.updateComment({ owner: 'acme', repo: 'app', comment_id: ok.data.id, body: '  ' }))).toBe(422);
    expect(await status(send('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: 'acme', repo: 'app', issue_number: 7 }))).toBe(422);
    expect(takeErrors()).toEqual([
      'POST /repos/acme/app/issues/7/comments: body.body: Body is too long (maximum is 65536 characters), got 65537',
      `PATCH /repos/acme/app/issues/comments/${ok.data.id}: body.body: Body cannot be blank`,
      'POST /repos/acme/app/issues/7/comments: body: a JSON request body is required',
    ]);
  });

  test('reactions: content enum', async () => {
    seed();
    const c = await gh().issues.createComment({ owner: 'acme', repo: 'app', issue_number: 7, body: 'x' });
    expect(
      await status(
        send('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', { owner: 'acme', repo: 'app', comment_id: c.data.id, content: 'thumbsup' }),
      ),
    ).toBe(422);
    expect(takeErrors()).toEqual([
      `POST /repos/acme/app/issues/comments/${c.data.id}/reactions: body.content: "thumbsup" is not one of +1, -1, laugh, confused, heart, hooray, rocket, eyes`,
    ]);
  });
});

describe('permissions', () => {
  test('legacy permission: maintain → write, triage → read; role_name as set', async () => {
    fake.addRepo({ owner: 'acme', name: 'app' });
    fake.addRepo({ owner: 'acme', name: 'closed', private: true });
    const cases: [string, 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none', string][] = [
      ['ann', 'admin', 'admin'],
      ['max', 'maintain', 'write'],
      ['wes', 'write', 'write'],
      ['tri', 'triage', 'read'],
      ['red', 'read', 'read'],
      ['non', 'none', 'none'],
    ];
    for (const [user, perm] of cases) fake.setPermission('acme/app', user, perm);
    for (const [user, perm, legacy] of cases) {
      const { data } = await gh().repos.getCollaboratorPermissionLevel({ owner: 'acme', repo: 'app', username: user });
      expect([data.permission, data.role_name, data.user?.login]).toEqual([legacy, perm, user]);
    }
    const tri = (await gh().repos.getCollaboratorPermissionLevel({ owner: 'acme', repo: 'app', username: 'tri' })).data;
    expect(tri.user?.permissions).toEqual({ admin: false, maintain: false, push: false, triage: true, pull: true });
    // not set: read on a public repository, none on a private one
    expect((await gh().repos.getCollaboratorPermissionLevel({ owner: 'acme', repo: 'app', username: 'stranger' })).data.permission).toBe('read');
    expect((await gh().repos.getCollaboratorPermissionLevel({ owner: 'acme', repo: 'closed', username: 'stranger' })).data.permission).toBe('none');
  });
});

describe('GitHub App authentication', () => {
  test('installation token, app info, installations, repository installation', async () => {
    seed();
    fake.addRepo({ owner: 'other', name: 'lib' });
    fake.addInstallation(43, 'other');
    const app = gh(JWT);
    const token = await app.apps.createInstallationAccessToken({ installation_id: 42 });
    expect(token.status).toBe(201);
    expect(token.data).toMatchObject({ repository_selection: 'all', permissions: { checks: 'write', contents: 'read' } });
    expect(token.data.token).toMatch(/^ghs_[A-Za-z0-9]{36}$/);
    expect(Date.parse(token.data.expires_at) - Date.now()).toBeGreaterThan(59 * 60 * 1000);
    expect((await gh(token.data.token).repos.get({ owner: 'acme', repo: 'app' })).data.id).toBeGreaterThan(0);
    // the token of acme's installation cannot read other's repositories
    expect(await status(gh(token.data.token).repos.get({ owner: 'other', repo: 'lib' }))).toBe(404);
    expect(takeErrors()).toEqual(["GET /repos/other/lib: the token of installation 42 (acme) cannot access other's repositories"]);
    expect((await app.apps.getAuthenticated()).data).toMatchObject({ id: 1, slug: 'lockwarden', name: 'lockwarden' });
    expect((await app.apps.listInstallations()).data.map((i) => [i.id, i.account && 'login' in i.account ? i.account.login : null])).toEqual([
      [42, 'acme'],
      [43, 'other'],
    ]);
    expect((await app.apps.getRepoInstallation({ owner: 'other', repo: 'lib' })).data.id).toBe(43);
    expect(await status(app.apps.createInstallationAccessToken({ installation_id: 99 }))).toBe(404);
    const scoped = await app.apps.createInstallationAccessToken({ installation_id: 42, repositories: ['app'], permissions: { contents: 'read' } });
    expect(scoped.data).toMatchObject({ repository_selection: 'selected', permissions: { contents: 'read' }, repositories: [{ full_name: 'acme/app' }] });
    expect(await status(app.apps.createInstallationAccessToken({ installation_id: 42, permissions: { administration: 'write' } }))).toBe(422);
    expect(takeErrors()).toEqual([
      'POST /app/installations/42/access_tokens: body.permissions.administration: write is more than the app was granted (nothing)',
    ]);
  });

  test('wrong credentials are recorded: none, a token where the JWT is needed, the JWT on a repository', async () => {
    seed();
    expect(await status(gh('not-a-jwt').apps.createInstallationAccessToken({ installation_id: 42 }))).toBe(401);
    expect(await status(gh(JWT).repos.get({ owner: 'acme', repo: 'app' }))).toBe(403);
    expect((await fetch(`${fake.url}/repos/acme/app`)).status).toBe(401);
    expect(takeErrors()).toEqual([
      "POST /app/installations/42/access_tokens: this endpoint needs the app's JWT, not an installation token",
      "GET /repos/acme/app: the app's JWT was used where an installation token is needed",
      'GET /repos/acme/app: no credentials (Authorization header)',
    ]);
  });

  test('installation tokens expire after an hour', async () => {
    let now = new Date('2024-06-01T12:00:00Z');
    const timed = await startFakeGitHub({ now: () => now });
    try {
      timed.addRepo({ owner: 'acme', name: 'app' });
      timed.addInstallation(42, 'acme');
      const { data } = await new Octokit({ baseUrl: timed.url, auth: JWT, log: quiet }).apps.createInstallationAccessToken({ installation_id: 42 });
      expect(data.expires_at).toBe('2024-06-01T13:00:00Z');
      const client = new Octokit({ baseUrl: timed.url, auth: data.token, log: quiet });
      expect(await status(client.repos.get({ owner: 'acme', repo: 'app' }))).toBe(200);
      now = new Date('2024-06-01T13:00:00Z');
      expect(await status(client.repos.get({ owner: 'acme', repo: 'app' }))).toBe(401);
      expect(timed.errors).toEqual(['GET /repos/acme/app: expired installation token']);
      timed.errors.length = 0;
      timed.assertClean();
    } finally {
      await timed.close();
    }
  });
});

describe('unmatched requests, parameters and failure injection', () => {
  test('paths GitHub does not have, and operations the fake does not implement', async () => {
    seed();
    expect((await fetch(`${fake.url}/repos/acme/app/nope`, { headers: { authorization: 'token t' } })).status).toBe(404);
    expect(await status(gh().issues.listForRepo({ owner: 'acme', repo: 'app' }))).toBe(404);
    expect(await status(send('DELETE /repos/{owner}/{repo}', { owner: 'acme', repo: 'app' }))).toBe(404);
    expect(takeErrors()).toEqual([
      "unmatched: GET /repos/acme/app/nope (not an operation of GitHub's REST API description)",
      'unmatched: GET /repos/acme/app/issues (GET /repos/{owner}/{repo}/issues is not implemented by the fake)',
      'unmatched: DELETE /repos/acme/app (DELETE /repos/{owner}/{repo} is not implemented by the fake)',
    ]);
  });

  test('path and query parameters: types and unknown names', async () => {
    seed();
    const get = (path: string) => fetch(`${fake.url}${path}`, { headers: { authorization: 'token t' } }).then((r) => r.status);
    expect(await get('/repos/acme/app/pulls/seven')).toBe(422);
    expect(await get('/repos/acme/app/pulls/7/files?per_page=ten')).toBe(422);
    expect(await get('/repos/acme/app/pulls/7/files?perPage=10')).toBe(422);
    expect(await get('/repos/acme/app/pulls/7/files?__proto__=x')).toBe(422);
    expect(takeErrors()).toEqual([
      'GET /repos/acme/app/pulls/seven: path.pull_number: "seven" is not an integer',
      'GET /repos/acme/app/pulls/7/files: query.per_page: "ten" is not an integer',
      "GET /repos/acme/app/pulls/7/files: query.perPage: unknown parameter (not in GitHub's description of this operation)",
      "GET /repos/acme/app/pulls/7/files: query.__proto__: unknown parameter (not in GitHub's description of this operation)",
    ]);
    const last = fake.requests[fake.requests.length - 1]!;
    expect(Object.getPrototypeOf(last.query)).toBeNull();
    expect(last.query['__proto__']).toBe('x');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  test('invalid JSON bodies are recorded', async () => {
    seed();
    const res = await fetch(`${fake.url}/repos/acme/app/check-runs`, {
      method: 'POST',
      headers: { authorization: 'token t', 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(res.status).toBe(400);
    expect(takeErrors()).toEqual(['POST /repos/acme/app/check-runs: the request body is not valid JSON']);
  });

  test('failNext: consumed by matching requests, with status, headers and body', async () => {
    seed();
    fake.failNext('get', /\/pulls\/7$/, 502, { times: 2 });
    fake.failNext('POST', /check-runs$/, 403, { headers: { 'retry-after': '7' }, body: { message: 'You have exceeded a secondary rate limit.' } });
    expect(await status(gh().pulls.get({ owner: 'acme', repo: 'app', pull_number: 7 }))).toBe(502);
    expect(await status(gh().pulls.listFiles({ owner: 'acme', repo: 'app', pull_number: 7 }))).toBe(200); // path does not match
    expect(await status(gh().pulls.get({ owner: 'acme', repo: 'app', pull_number: 7 }))).toBe(502);
    expect(await status(gh().pulls.get({ owner: 'acme', repo: 'app', pull_number: 7 }))).toBe(200);
    const err = await gh()
      .checks.create({ owner: 'acme', repo: 'app', name: 'x', head_sha: fake.commit('acme/app', { a: 'b' }) })
      .catch((e: unknown) => e as { status: number; response: { headers: Record<string, string>; data: unknown } });
    expect(err).toMatchObject({ status: 403, response: { headers: { 'retry-after': '7' }, data: { message: 'You have exceeded a secondary rate limit.' } } });
    expect(fake.checkRuns).toHaveLength(0);
    expect(fake.requests.map((r) => r.status)).toEqual([502, 200, 502, 200, 403]);
  });

  test('assertClean reports unused injections and errors, then starts over', async () => {
    seed();
    fake.failNext('GET', /\/pulls\//, 500, { times: 3 });
    await status(gh().pulls.get({ owner: 'acme', repo: 'app', pull_number: 7 }));
    await status(gh().request('GET /nope'));
    expect(() => fake.assertClean()).toThrow(
      'fake GitHub: 2 problem(s):\n' +
        "  - unmatched: GET /nope (not an operation of GitHub's REST API description)\n" +
        '  - unused failNext: GET /\\/pulls\\// → 500 (2 of 3 left)',
    );
    expect(() => fake.assertClean()).not.toThrow();
    expect(await status(gh().pulls.get({ owner: 'acme', repo: 'app', pull_number: 7 }))).toBe(200);
  });
});

describe('response validation and validate: false', () => {
  test("the fake's responses are checked against the documented response schemas", () => {
    const api = loadGitHubOpenApi();
    const broken = { id: 1, name: 'x', head_sha: 'a', status: 'done' };
    const issues = api.validateSchema('#/components/schemas/check-run', broken).map((i) => `${i.location}: ${i.message}`);
    expect(issues).toContain('value.status: "done" is not one of queued, in_progress, completed, waiting, requested, pending');
    expect(issues).toContain('value.node_id: required property is missing');
    expect(api.validateSchema('#/components/schemas/nullable-simple-user', null)).toEqual([]);
    expect(api.validateSchema('#/components/schemas/simple-user', null).map((i) => i.message)).toEqual(['is null, expected an object (not nullable)']);
  });

  test("validate: false serves the same API without the description, still enforcing GitHub's rules", async () => {
    const plain = await startFakeGitHub({ validate: false });
    try {
      expect(plain.openApiLoadMs).toBeUndefined();
      plain.addRepo({ owner: 'acme', name: 'app' });
      const head = plain.commit('acme/app', { 'a.txt': 'a' }, { branch: 'main' });
      const client = new Octokit({ baseUrl: plain.url, auth: 't', log: quiet });
      expect((await client.repos.get({ owner: 'acme', repo: 'app' })).data.default_branch).toBe('main');
      const annotations = Array.from({ length: 51 }, (_, i) => ({
        path: 'a.txt',
        start_line: i + 1,
        end_line: i + 1,
        annotation_level: 'notice',
        message: 'm',
      }));
      expect(
        await status(
          send(
            'POST /repos/{owner}/{repo}/check-runs',
            { owner: 'acme', repo: 'app', name: 'x', head_sha: head, output: { title: 't', summary: 's', annotations } },
            client,
          ),
        ),
      ).toBe(422);
      expect(await status(send('GET /repos/{owner}/{repo}/issues', { owner: 'acme', repo: 'app' }, client))).toBe(404);
      expect(plain.errors).toEqual([
        'POST /repos/acme/app/check-runs: body.output.annotations: has 51 items, at most 50 per request allowed',
        'unmatched: GET /repos/acme/app/issues (not implemented by the fake)',
      ]);
      plain.errors.length = 0;
    } finally {
      await plain.close();
    }
  });
});
