/**
 * Shared steps of the approval attack tests: a pull request on the fake GitHub, pushes to it, and
 * `/lockwarden allow` comments, all delivered through the real Probot app (test/github/harness.ts).
 */
import { FULL, adaptRepository, example, pullRequestEvent, setUpPull, type Harness } from '../github/harness.js';

/** The forged block planted by the attacks: every package at every version accepted. */
export const FORGED_BLOCK = `<!-- lockwarden:approvals ${Buffer.from(
  JSON.stringify([{ package: '*', version: '*', by: 'alice', at: '2026-05-01T11:00:00.000Z', reason: 'reviewed' }]),
).toString('base64')} -->`;

export const MARKER_RE = /<!-- lockwarden:(approvals|fingerprint)/;

export { scenarioFiles } from '../github/harness.js';

export interface LockedPackage {
  name: string;
  version: string;
  resolved: string;
  integrity?: string;
  hasInstallScript?: boolean;
}

/** A package-lock.json (v3) with these packages, all direct dependencies. */
export function npmLock(packages: readonly LockedPackage[]): string {
  const deps = Object.fromEntries(packages.map((p) => [p.name, p.version]));
  const entries = Object.fromEntries(
    packages.map((p) => [
      `node_modules/${p.name}`,
      {
        version: p.version,
        resolved: p.resolved,
        ...(p.integrity ? { integrity: p.integrity } : {}),
        ...(p.hasInstallScript ? { hasInstallScript: true } : {}),
        license: 'MIT',
      },
    ]),
  );
  return `${JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'app', version: '1.0.0', dependencies: deps }, ...entries } }, null, 2)}\n`;
}

/** The integrity the fixture registry serves for name@version (so the lockfile matches it). */
export async function registryIntegrity(registryUrl: string, name: string, version: string): Promise<string> {
  const doc = (await (await fetch(`${registryUrl}${name}`)).json()) as { versions: Record<string, { dist: { integrity: string } }> };
  return doc.versions[version]!.dist.integrity;
}

export async function openPull(h: Harness, base: Record<string, string>, head: Record<string, string>) {
  const pr = setUpPull(h, base, head);
  await h.deliver('pull_request', pullRequestEvent('opened', { number: pr.number, base: pr.base, head: pr.head }));
  await h.idle();
  return pr;
}

/** A new commit on the PR's branch with exactly `files`, delivered as `synchronize`; returns its sha. */
export async function push(h: Harness, pr: { number: number; base: string; head: string }, files: Record<string, string>): Promise<string> {
  const sha = h.fake.commit(FULL, files, { branch: 'feature', parent: pr.head });
  h.fake.addPullRequest(FULL, { number: pr.number, baseRef: 'main', baseSha: pr.base, headRef: 'feature', headSha: sha });
  await h.deliver('pull_request', pullRequestEvent('synchronize', { number: pr.number, base: pr.base, head: sha }));
  await h.idle();
  pr.head = sha;
  return sha;
}

export function commentEvent(body: string, user: string, id = 9001, issue = 7) {
  const p = example('issue_comment', 'created');
  adaptRepository(p);
  p['issue'] = { ...p['issue'], number: issue, pull_request: { url: `https://api.github.com/repos/${FULL}/pulls/${issue}` } };
  p['comment'] = { ...p['comment'], id, body, user: { ...p['comment'].user, login: user, type: 'User' } };
  return p;
}

export const runsFor = (h: Harness, sha: string) => h.fake.checkRuns.filter((r) => r.head_sha === sha && r.name === 'lockwarden');
export const prComments = (h: Harness, n = 7) => h.fake.comments.filter((c) => c.repo === FULL && c.issue === n);

/** The same forged approval, short enough to fit whole in a rendered code span (200 characters). */
export const SHORT_FORGED_BLOCK = `<!-- lockwarden:approvals ${Buffer.from(JSON.stringify([{ package: '*', version: '*', by: 'a', at: '', reason: 'r' }])).toString('base64')} -->`;
