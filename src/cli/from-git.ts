/**
 * `--git <base>..<head>`: the change between two commits of the repository in the current directory,
 * read with git itself (rev-parse, diff --name-status, ls-tree, cat-file), never from the working
 * tree. Revisions are checked, then resolved to commit ids: only those ids reach later commands.
 */
import { isGuardRailPath } from '../guard-rails/paths.js';
import { isKnownLockfilePath } from '../lockfiles/index.js';
import { isRequirementsPath } from '../lockfiles/formats/requirements/index.js';
import { notReviewedFile, type ChangeSet } from './change-set.js';
import { collectChangeSet } from './collect.js';
import { GitFailed, gitOutput, gitRecords, type GitContext } from './git.js';
import { openGitObjects } from './git-objects.js';
import { GitCommitSide } from './git-side.js';
import { UsageError } from './options.js';

interface Range {
  base: string;
  head: string;
  /** `base...head`: from the merge base, as git diff reads it. */
  mergeBase: boolean;
}

/** `A..B` or `A...B` (an empty side is HEAD, as in git); a revision starting with `-` is refused. */
export function parseRange(spec: string): Range {
  if (spec.length > 500 || /[\u0000-\u001f\u007f]/.test(spec)) throw new UsageError('--git: the range must be one line of at most 500 characters');
  const three = spec.indexOf('...');
  const two = spec.indexOf('..');
  if (two < 0) throw new UsageError(`--git takes <base>..<head> (or <base>...<head>), got '${spec}'`);
  const [base, head] = three >= 0 ? [spec.slice(0, three), spec.slice(three + 3)] : [spec.slice(0, two), spec.slice(two + 2)];
  const range = { base: base || 'HEAD', head: head || 'HEAD', mergeBase: three >= 0 };
  for (const rev of [range.base, range.head]) if (rev.startsWith('-')) throw new UsageError(`--git: a revision cannot start with '-', got '${rev}'`);
  return range;
}

async function resolveCommit(ctx: GitContext, rev: string): Promise<string> {
  try {
    return (await gitOutput(ctx, ['rev-parse', '--verify', '--end-of-options', `${rev}^{commit}`])).trim();
  } catch (e) {
    if (e instanceof GitFailed) throw new UsageError(`--git: '${rev}' is not a commit of this repository (${e.firstLine})`);
    throw e;
  }
}

async function resolveRange(ctx: GitContext, range: Range): Promise<{ base: string; head: string; between: string }> {
  try {
    await gitOutput(ctx, ['rev-parse', '--git-dir']);
  } catch (e) {
    if (e instanceof GitFailed) throw new UsageError(`--git: ${e.firstLine}`);
    throw e;
  }
  let base = await resolveCommit(ctx, range.base);
  const head = await resolveCommit(ctx, range.head);
  let baseName = range.base;
  if (range.mergeBase) {
    try {
      base = (await gitOutput(ctx, ['merge-base', base, head])).trim();
    } catch (e) {
      if (e instanceof GitFailed) throw new UsageError(`--git: '${range.base}' and '${range.head}' have no merge base`);
      throw e;
    }
    baseName = `the merge base of ${range.base} and ${range.head}`;
  }
  return { base, head, between: `between ${baseName} (${base.slice(0, 7)}) and ${range.head} (${head.slice(0, 7)})` };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Lockfiles and settings files that differ between the commits; a candidate path git cannot name in UTF-8 fails closed. */
async function changedPaths(ctx: GitContext, base: string, head: string, set: ChangeSet): Promise<string[]> {
  const out: string[] = [];
  let status = true;
  await gitRecords(ctx, ['diff', '--name-status', '-z', '--no-renames', '--no-relative', '--no-ext-diff', '--no-textconv', base, head, '--'], (rec) => {
    status = !status; // records alternate: status, path
    if (!status) return;
    let path: string;
    try {
      path = utf8.decode(rec);
    } catch {
      const shown = rec.toString('utf8');
      if (isKnownLockfilePath(shown) || isGuardRailPath(shown)) set.notReviewed.push(notReviewedFile(shown, 'the path is not valid UTF-8: not reviewed'));
      return;
    }
    if (isKnownLockfilePath(path) || isGuardRailPath(path)) out.push(path);
  });
  return out.sort();
}

/** The requirements files (blobs) of a commit's whole tree. */
async function requirementsAt(ctx: GitContext, commit: string): Promise<string[]> {
  const out: string[] = [];
  await gitRecords(ctx, ['ls-tree', '-r', '-z', '--full-tree', commit], (rec) => {
    const tab = rec.indexOf(9);
    const path = rec.subarray(tab + 1).toString('utf8');
    if (tab > 0 && rec.subarray(0, tab).toString('latin1').split(' ')[1] === 'blob' && isRequirementsPath(path)) out.push(path);
  });
  return out;
}

export async function changeSetFromGit(spec: string, ctx: GitContext): Promise<ChangeSet> {
  const { base, head, between } = await resolveRange(ctx, parseRange(spec));
  const early: ChangeSet = { lockfiles: [], guardRailFiles: [], notReviewed: [] };
  const changed = await changedPaths(ctx, base, head, early);
  const objects = openGitObjects(ctx);
  try {
    const set = await collectChangeSet({
      base: new GitCommitSide(objects, base, `base, ${base.slice(0, 7)}`),
      head: new GitCommitSide(objects, head, `head, ${head.slice(0, 7)}`),
      changed,
      requirementsFiles: () => requirementsAt(ctx, head),
      between,
    });
    set.notReviewed.unshift(...early.notReviewed);
    return set;
  } finally {
    objects.close();
  }
}
