/**
 * The only code in lockwarden that talks to GitHub: a thin layer over an installation's Octokit
 * (Probot's, with its retry and throttling plugins) exposing exactly the calls the App makes.
 */
import type { ProbotOctokit } from 'probot';

export type Octokit = InstanceType<typeof ProbotOctokit>;

/** GitHub's pulls.listFiles stops at 3000 files. */
export const PULL_FILES_LIMIT = 3000;
/** The contents API's JSON form carries files up to 1 MB; larger ones come through the blobs API. */
export const CONTENTS_JSON_LIMIT = 1024 * 1024;

export interface ChangedFile {
  filename: string;
  status: string;
  previousFilename?: string;
}

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
  annotations?: Annotation[];
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  title?: string;
  message: string;
  raw_details?: string;
}

export interface IssueComment {
  id: number;
  body: string;
  user: { login: string; type: string } | null;
  /** The id of the GitHub App that performed it, when GitHub says (`performed_via_github_app`). */
  appId: number | null;
}

function status(e: unknown): number | undefined {
  return typeof e === 'object' && e !== null && 'status' in e ? Number((e as { status: unknown }).status) : undefined;
}

export class GitHubApi {
  constructor(readonly octokit: Octokit) {}

  /** A file on the repository's default branch, or null when it does not exist. */
  async readDefaultBranchFile(owner: string, repo: string, path: string): Promise<string | null> {
    const buf = await this.readFile(owner, repo, path, undefined);
    return buf === null ? null : buf.toString('utf8');
  }

  /**
   * A file at a commit (raw bytes), or null when absent. Uses the raw media type; when GitHub refuses
   * (too large for the contents API), falls back to the blobs API by the file's blob sha.
   */
  async readFile(owner: string, repo: string, path: string, ref: string | undefined): Promise<Buffer | null> {
    try {
      const res = await this.octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
        owner,
        repo,
        path,
        ...(ref ? { ref } : {}),
        headers: { accept: 'application/vnd.github.raw' },
      });
      return toBuffer(res.data);
    } catch (e) {
      const s = status(e);
      if (s === 404) return null;
      if (s !== 403 && s !== 413 && s !== 422) throw e;
    }
    // Too large for the contents API: find its blob sha and read the blob.
    const meta = await this.octokit.request('GET /repos/{owner}/{repo}/contents/{path}', { owner, repo, path, ...(ref ? { ref } : {}) });
    const sha = Array.isArray(meta.data) ? undefined : (meta.data as { sha?: string }).sha;
    if (!sha) return null;
    return this.readBlob(owner, repo, sha);
  }

  async readBlob(owner: string, repo: string, sha: string): Promise<Buffer> {
    const res = await this.octokit.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', { owner, repo, file_sha: sha });
    const data = res.data as { content: string; encoding: string };
    return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8');
  }

  /** Files changed by a pull request, or null when the PR has more than GitHub lists (3000). */
  async listPullFiles(owner: string, repo: string, pullNumber: number): Promise<ChangedFile[] | null> {
    const files = await this.octokit.paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', { owner, repo, pull_number: pullNumber, per_page: 100 });
    if (files.length >= PULL_FILES_LIMIT) return null;
    return files.map((f) => ({ filename: f.filename, status: f.status, ...(f.previous_filename ? { previousFilename: f.previous_filename } : {}) }));
  }

  /** Files that differ between two commits, by comparing their recursive trees (no file limit). */
  async diffTrees(owner: string, repo: string, baseSha: string, headSha: string, keep: (path: string) => boolean): Promise<ChangedFile[]> {
    const [base, head] = await Promise.all([this.tree(owner, repo, baseSha, keep), this.tree(owner, repo, headSha, keep)]);
    const out: ChangedFile[] = [];
    for (const [path, sha] of head) {
      const b = base.get(path);
      if (b === undefined) out.push({ filename: path, status: 'added' });
      else if (b !== sha) out.push({ filename: path, status: 'modified' });
    }
    for (const path of base.keys()) if (!head.has(path)) out.push({ filename: path, status: 'removed' });
    return out.sort((a, b) => a.filename.localeCompare(b.filename));
  }

  private async tree(owner: string, repo: string, sha: string, keep: (path: string) => boolean): Promise<Map<string, string>> {
    const res = await this.octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', { owner, repo, tree_sha: sha, recursive: '1' });
    const out = new Map<string, string>();
    for (const e of res.data.tree) if (e.type === 'blob' && e.path && e.sha && keep(e.path)) out.set(e.path, e.sha);
    if (res.data.truncated) throw new Error(`the tree of ${sha.slice(0, 7)} is too large for GitHub to list`);
    return out;
  }

  async getPull(owner: string, repo: string, pullNumber: number) {
    const res = await this.octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner, repo, pull_number: pullNumber });
    return res.data;
  }

  async createCheckRun(owner: string, repo: string, headSha: string, name: string, externalId: string): Promise<number> {
    const res = await this.octokit.request('POST /repos/{owner}/{repo}/check-runs', {
      owner,
      repo,
      name,
      head_sha: headSha,
      status: 'in_progress',
      external_id: externalId,
      started_at: new Date().toISOString(),
      output: { title: 'Reviewing dependency changes…', summary: 'lockwarden is reviewing the lockfile changes of this commit.' },
    });
    return Number(res.data.id);
  }

  async completeCheckRun(
    owner: string,
    repo: string,
    checkRunId: number,
    conclusion: 'success' | 'neutral' | 'failure' | 'cancelled',
    output: CheckRunOutput,
  ): Promise<void> {
    await this.octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
      owner,
      repo,
      check_run_id: checkRunId,
      status: 'completed',
      conclusion,
      completed_at: new Date().toISOString(),
      output,
    });
  }

  /** Adds annotations to a check run (GitHub accumulates them across updates; 50 per request). */
  async addAnnotations(owner: string, repo: string, checkRunId: number, output: CheckRunOutput): Promise<void> {
    await this.octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', { owner, repo, check_run_id: checkRunId, output });
  }

  async listCheckRuns(owner: string, repo: string, ref: string, name: string) {
    return this.octokit.paginate('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', { owner, repo, ref, check_name: name, per_page: 100 });
  }

  async listComments(owner: string, repo: string, issue: number): Promise<IssueComment[]> {
    const all = await this.octokit.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner, repo, issue_number: issue, per_page: 100 });
    return all.map((c) => ({
      id: c.id,
      body: c.body ?? '',
      user: c.user ? { login: c.user.login, type: c.user.type } : null,
      appId: c.performed_via_github_app?.id ?? null,
    }));
  }

  async createComment(owner: string, repo: string, issue: number, body: string): Promise<number> {
    const res = await this.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner, repo, issue_number: issue, body });
    return Number(res.data.id);
  }

  async updateComment(owner: string, repo: string, commentId: number, body: string): Promise<void> {
    await this.octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: commentId, body });
  }

  async react(owner: string, repo: string, commentId: number, content: '+1' | 'confused'): Promise<void> {
    await this.octokit.request('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', { owner, repo, comment_id: commentId, content });
  }

  /** This App's id and slug (`GET /app`: the octokit must be authenticated as the App, with its JWT). */
  async authenticatedApp(): Promise<{ id: number; slug: string }> {
    const res = await this.octokit.request('GET /app');
    const { id, slug } = res.data ?? {};
    if (typeof id !== 'number' || typeof slug !== 'string' || !slug) throw new Error('GET /app did not name the App');
    return { id, slug };
  }

  /** `admin`, `write`, `read` or `none` (GitHub maps maintain → write, triage → read). */
  async permission(owner: string, repo: string, username: string): Promise<string> {
    try {
      const res = await this.octokit.request('GET /repos/{owner}/{repo}/collaborators/{username}/permission', { owner, repo, username });
      return res.data.permission;
    } catch (e) {
      if (status(e) === 404) return 'none';
      throw e;
    }
  }
}

function toBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  throw new Error('unexpected content response');
}
