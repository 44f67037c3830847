/**
 * The settings files a pull request changes that can weaken the repository's defences (src/guard-rails),
 * read at base and head. Only files in the PR's changed files are read, at most MAX_GUARD_RAIL_FILES;
 * `.github/lockwarden.yml` is read only to show that it changed, never as configuration.
 */
import { isGuardRailPath, MAX_GUARD_RAIL_FILES } from '../guard-rails/paths.js';
import type { GuardRailFile, Incomplete } from '../model/index.js';
import type { ChangedFile, GitHubApi } from './api.js';

/** Reads at a time: a PR touching 200 package.json files must not open 400 requests at once. */
const CONCURRENCY = 8;

export interface ChangedGuardRails {
  files: GuardRailFile[];
  /** Changed settings files past the cap, not read (the review fails closed). */
  skipped: number;
}

/** Is this changed file (or the file it was renamed from) a guard-rail file? */
export function touchesGuardRail(f: ChangedFile): boolean {
  return isGuardRailPath(f.filename) || (f.previousFilename !== undefined && isGuardRailPath(f.previousFilename));
}

async function readOne(api: GitHubApi, owner: string, repo: string, f: ChangedFile, refs: { base: string; head: string }): Promise<GuardRailFile> {
  const basePath = f.previousFilename ?? f.filename;
  const [base, head] = await Promise.all([
    f.status === 'added' ? null : api.readFile(owner, repo, basePath, refs.base),
    f.status === 'removed' ? null : api.readFile(owner, repo, f.filename, refs.head),
  ]);
  return { file: f.filename, base: base?.toString('utf8') ?? null, head: head?.toString('utf8') ?? null };
}

export async function readGuardRailFiles(
  api: GitHubApi,
  t: { owner: string; repo: string; baseSha: string; headSha: string },
  changed: readonly ChangedFile[],
): Promise<ChangedGuardRails> {
  const touched = changed.filter(touchesGuardRail);
  const wanted = touched.slice(0, MAX_GUARD_RAIL_FILES);
  const files: GuardRailFile[] = new Array(wanted.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < wanted.length; i = next++) files[i] = await readOne(api, t.owner, t.repo, wanted[i]!, { base: t.baseSha, head: t.headSha });
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, wanted.length) }, worker));
  return { files, skipped: touched.length - wanted.length };
}

/** The entry that fails the check when settings files were left unread over the cap. */
export function guardRailsOverCap(c: ChangedGuardRails): Incomplete[] {
  if (c.skipped === 0) return [];
  const reason = `${c.skipped} more changed settings files were not reviewed for weakened guard rails: over the cap of ${MAX_GUARD_RAIL_FILES} per review`;
  return [{ name: `${c.skipped} settings files`, version: null, reason, failClosed: true }];
}
