/**
 * What one CLI review covers, whichever form read it (two files, two commits, two directories): the
 * lockfiles for the engine, the settings files for the guard-rail checks, and the changed files that
 * could not be reviewed (each fails the review, as the App fails closed on them).
 */
import { LockfileError } from '../errors.js';
import type { GuardRailFile } from '../model/guard-rail.js';
import type { Incomplete, LockfileInput, ReviewResult } from '../core/review.js';

export interface ChangeSet {
  lockfiles: LockfileInput[];
  guardRailFiles: GuardRailFile[];
  /** Changed files not reviewed (unsupported, over a cap, a symbolic link): every entry is `failClosed`. */
  notReviewed: Incomplete[];
  /** A head lockfile's name in error messages, naming the side: `packages/a/yarn.lock (head, 5d6e7f8)`. */
  headLabels?: ReadonlyMap<string, string>;
  /** `between HEAD~1 (1a2b3c4) and HEAD (5d6e7f8)`: said when nothing under review changed (the two-file form has none). */
  between?: string;
}

/** Most lockfiles one review reads, as the App (more fail closed). */
export const MAX_LOCKFILES = 20;

/** Most bytes of one settings file: real ones are a few kilobytes; past it the file fails closed, unread. */
export const MAX_GUARD_RAIL_BYTES = 1024 * 1024;

/** An entry for a changed file that is not reviewed: the review cannot pass while it is there. */
export function notReviewedFile(file: string, reason: string): Incomplete {
  return { name: file, version: null, reason, failClosed: true };
}

/** The review's result with the files not reviewed added: any of them fails it, whatever else it found. */
export function withNotReviewed(result: ReviewResult, set: ChangeSet): ReviewResult {
  for (const i of set.notReviewed) result.incomplete.push(i);
  if (set.notReviewed.length > 0) result.conclusion = 'failure';
  if (set.between !== undefined && set.lockfiles.length === 0 && set.guardRailFiles.length === 0 && set.notReviewed.length === 0)
    result.notes.push({ kind: 'no-change', message: `no lockfile or settings file changed ${set.between}` });
  return result;
}

/** A parse error of a head lockfile, renamed to say the side (`file (head, 5d6e7f8):12: …`); others unchanged. */
export function withSideLabel(e: LockfileError, set: ChangeSet): LockfileError {
  const label = e.file !== undefined ? set.headLabels?.get(e.file) : undefined;
  if (label === undefined || !e.message.startsWith(e.file!)) return e;
  const renamed = new LockfileError('', {});
  renamed.message = label + e.message.slice(e.file!.length);
  return renamed;
}
