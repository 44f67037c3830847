/**
 * The files of a pull request (or merge group) a review reads: its changed lockfiles and settings files,
 * listed once, and each lockfile's base and head contents with its `-r` includes.
 */
import type { Incomplete, LockfileInput } from '../core/review.js';
import { isGuardRailPath } from '../guard-rails/paths.js';
import { isRequirementsPath, loadIncludedFiles } from '../lockfiles/formats/requirements/index.js';
import { isKnownLockfilePath, isLockfilePath } from '../lockfiles/index.js';
import type { ChangedFile, GitHubApi } from './api.js';
import { touchesGuardRail } from './guard-rail-files.js';
import type { ReviewTarget } from './review-job.js';

/** Most lockfiles one review reads; a change to more fails closed, naming the rest. */
export const MAX_LOCKFILES = 20;

type Commits = Pick<ReviewTarget, 'owner' | 'repo' | 'baseSha' | 'headSha' | 'pullNumber'>;

function unsupportedReason(path: string): string {
  const name = path.split('/').pop()!;
  return name === 'bun.lockb'
    ? 'bun.lockb is binary and is not supported yet: not reviewed (commit the text bun.lock instead: bun install --save-text-lockfile)'
    : `${name} is not supported yet: not reviewed`;
}

const isLockfileChange = (f: ChangedFile) => isKnownLockfilePath(f.filename) || (f.previousFilename !== undefined && isKnownLockfilePath(f.previousFilename));

/** The changed lockfiles and guard-rail settings files, listed once. */
export async function changedFiles(api: GitHubApi, t: Commits): Promise<ChangedFile[]> {
  const files = t.pullNumber !== undefined ? await api.listPullFiles(t.owner, t.repo, t.pullNumber) : null;
  const wanted = (p: string) => isKnownLockfilePath(p) || isGuardRailPath(p);
  // Beyond listFiles' 3000-file limit (or for merge groups), compare the two trees directly.
  const all = files ?? (await api.diffTrees(t.owner, t.repo, t.baseSha, t.headSha, wanted));
  return all.filter((f) => isLockfileChange(f) || touchesGuardRail(f));
}

/** The changed lockfiles lockwarden can parse, and those it knows of but cannot (bun.lockb). */
export function splitLockfiles(listed: readonly ChangedFile[]): { supported: ChangedFile[]; unsupported: ChangedFile[] } {
  const changed = listed.filter(isLockfileChange);
  const supported = changed.filter((f) => isLockfilePath(f.filename) || (f.status === 'removed' && isLockfilePath(f.previousFilename ?? f.filename)));
  return { supported, unsupported: changed.filter((f) => !supported.includes(f)) };
}

/** A lockfile the pull request changes but that is not reviewed could carry anything: each fails closed. */
export function notReviewedLockfiles(supported: readonly ChangedFile[], unsupported: readonly ChangedFile[]): Incomplete[] {
  return [...unsupported, ...supported.slice(MAX_LOCKFILES)].map((f) => ({
    name: f.filename,
    version: null,
    reason: isLockfilePath(f.filename) ? `more than ${MAX_LOCKFILES} lockfiles changed: not reviewed` : unsupportedReason(f.filename),
    failClosed: true,
  }));
}

/** The files a requirements file includes with `-r`, read at `ref` (undefined when it includes none). */
function includesAt(api: GitHubApi, t: Commits, file: string, ref: string, content: Buffer): Promise<Map<string, string> | undefined> {
  return loadIncludedFiles(file, content.toString('utf8'), async (p) => (await api.readFile(t.owner, t.repo, p, ref))?.toString('utf8') ?? null);
}

/** One changed lockfile at both commits, with its `-r` includes read at the same commits (never outside the repository). */
async function readLockfile(api: GitHubApi, t: Commits, f: ChangedFile): Promise<LockfileInput> {
  const basePath = f.previousFilename ?? f.filename;
  const [base, head] = await Promise.all([
    f.status === 'added' ? null : api.readFile(t.owner, t.repo, basePath, t.baseSha),
    f.status === 'removed' ? null : api.readFile(t.owner, t.repo, f.filename, t.headSha),
  ]);
  const input: LockfileInput = { file: f.filename, baseFile: `${basePath} (base)`, basePath, base, head };
  if (isRequirementsPath(f.filename)) {
    const [bi, hi] = await Promise.all([
      base === null ? undefined : includesAt(api, t, basePath, t.baseSha, base),
      head === null ? undefined : includesAt(api, t, f.filename, t.headSha, head),
    ]);
    if (bi) input.baseIncludes = bi;
    if (hi) input.headIncludes = hi;
  }
  return input;
}

export function readLockfileInputs(api: GitHubApi, t: Commits, files: readonly ChangedFile[]): Promise<LockfileInput[]> {
  return Promise.all(files.map((f) => readLockfile(api, t, f)));
}
