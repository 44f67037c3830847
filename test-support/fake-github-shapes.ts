/**
 * Response objects of the fake GitHub API, with the field names (and the required fields) of the
 * response schemas in GitHub's OpenAPI description: users, repositories, pull requests, check runs,
 * comments, installations. API URLs point at the fake itself; `html_url`s at the configured web origin.
 */

export interface Account {
  login: string;
  type: 'User' | 'Organization' | 'Bot';
  id: number;
}

export interface RepoView {
  id: number;
  name: string;
  owner: Account;
  private: boolean;
  fork: boolean;
  defaultBranch: string;
  /** The repository this one is a fork of. */
  parent: RepoView | undefined;
}

export interface Origins {
  /** The fake's own origin, e.g. `http://127.0.0.1:PORT` (API URLs). */
  api: string;
  /** Where `html_url`s point (default `https://github.com`). */
  web: string;
}

export const STATIC_TIME = '2024-01-01T00:00:00Z';

/** A legacy global node id (`04:User1` in base64), the form GitHub's examples show. */
export function nodeId(type: string, id: number | string): string {
  return Buffer.from(`0${type.length}:${type}${id}`).toString('base64');
}

/** An ISO 8601 time without milliseconds, as GitHub writes them. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function simpleUser(o: Origins, a: Account): Record<string, unknown> {
  const u = `${o.api}/users/${encodeURIComponent(a.login)}`;
  return {
    login: a.login,
    id: a.id,
    node_id: nodeId(a.type === 'Organization' ? 'Organization' : a.type === 'Bot' ? 'Bot' : 'User', a.id),
    avatar_url: `${o.web}/${encodeURIComponent(a.login)}.png`,
    gravatar_id: '',
    url: u,
    html_url: `${o.web}/${a.type === 'Bot' ? `apps/${encodeURIComponent(a.login.replace(/\[bot\]$/, ''))}` : encodeURIComponent(a.login)}`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type: a.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

export function fullName(r: RepoView): string {
  return `${r.owner.login}/${r.name}`;
}

/** The `repository` schema; `full` adds the fields of `full-repository` (GET /repos/{owner}/{repo}). */
export function repository(o: Origins, r: RepoView, full = false): Record<string, unknown> {
  const name = fullName(r);
  const u = `${o.api}/repos/${name}`;
  const html = `${o.web}/${name}`;
  const out: Record<string, unknown> = {
    id: r.id,
    node_id: nodeId('Repository', r.id),
    name: r.name,
    full_name: name,
    owner: simpleUser(o, r.owner),
    private: r.private,
    html_url: html,
    description: null,
    fork: r.fork,
    url: u,
    archive_url: `${u}/{archive_format}{/ref}`,
    assignees_url: `${u}/assignees{/user}`,
    blobs_url: `${u}/git/blobs{/sha}`,
    branches_url: `${u}/branches{/branch}`,
    collaborators_url: `${u}/collaborators{/collaborator}`,
    comments_url: `${u}/comments{/number}`,
    commits_url: `${u}/commits{/sha}`,
    compare_url: `${u}/compare/{base}...{head}`,
    contents_url: `${u}/contents/{+path}`,
    contributors_url: `${u}/contributors`,
    deployments_url: `${u}/deployments`,
    downloads_url: `${u}/downloads`,
    events_url: `${u}/events`,
    forks_url: `${u}/forks`,
    git_commits_url: `${u}/git/commits{/sha}`,
    git_refs_url: `${u}/git/refs{/sha}`,
    git_tags_url: `${u}/git/tags{/sha}`,
    git_url: `${html.replace(/^https?:/, 'git:')}.git`,
    issue_comment_url: `${u}/issues/comments{/number}`,
    issue_events_url: `${u}/issues/events{/number}`,
    issues_url: `${u}/issues{/number}`,
    keys_url: `${u}/keys{/key_id}`,
    labels_url: `${u}/labels{/name}`,
    languages_url: `${u}/languages`,
    merges_url: `${u}/merges`,
    milestones_url: `${u}/milestones{/number}`,
    notifications_url: `${u}/notifications{?since,all,participating}`,
    pulls_url: `${u}/pulls{/number}`,
    releases_url: `${u}/releases{/id}`,
    ssh_url: `git@${hostOf(o.web)}:${name}.git`,
    stargazers_url: `${u}/stargazers`,
    statuses_url: `${u}/statuses/{sha}`,
    subscribers_url: `${u}/subscribers`,
    subscription_url: `${u}/subscription`,
    tags_url: `${u}/tags`,
    teams_url: `${u}/teams`,
    trees_url: `${u}/git/trees{/sha}`,
    clone_url: `${html}.git`,
    mirror_url: null,
    hooks_url: `${u}/hooks`,
    svn_url: html,
    homepage: null,
    language: null,
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    size: 0,
    default_branch: r.defaultBranch,
    open_issues_count: 0,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: r.private ? 'private' : 'public',
    pushed_at: STATIC_TIME,
    created_at: STATIC_TIME,
    updated_at: STATIC_TIME,
    license: null,
    allow_forking: true,
    web_commit_signoff_required: false,
    forks: 0,
    open_issues: 0,
    watchers: 0,
  };
  if (full) {
    out.subscribers_count = 0;
    out.network_count = 0;
    if (r.parent) {
      let root = r.parent;
      while (root.parent) root = root.parent;
      out.parent = repository(o, r.parent);
      out.source = repository(o, root);
    }
  }
  return out;
}

function hostOf(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return 'localhost';
  }
}
