/**
 * The change set of two sides: the changed lockfiles (with the requirements files whose includes
 * changed) and settings files, read at both sides. What cannot be reviewed is listed, failing closed:
 * an unsupported lockfile, files over the App's caps, a symbolic link, a file over its size cap.
 */
import type { LockfileInput } from '../core/review.js';
import { MAX_GUARD_RAIL_FILES, isGuardRailPath } from '../guard-rails/paths.js';
import { DEFAULT_MAX_BYTES, isKnownLockfilePath, isLockfilePath } from '../lockfiles/index.js';
import { isRequirementsPath, loadIncludedFiles } from '../lockfiles/formats/requirements/index.js';
import type { GuardRailFile } from '../model/guard-rail.js';
import { MAX_GUARD_RAIL_BYTES, MAX_LOCKFILES, notReviewedFile, type ChangeSet } from './change-set.js';
import { requirementsWithChangedIncludes } from './include-changes.js';
import type { ChangeSource, Side, SideRead } from './side.js';

function unsupportedReason(path: string): string {
  const name = path.split('/').pop()!;
  return name === 'bun.lockb'
    ? 'bun.lockb is binary and is not supported yet: not reviewed (commit the text bun.lock instead: bun install --save-text-lockfile)'
    : `${name} is not supported yet: not reviewed`;
}

export async function collectChangeSet(source: ChangeSource): Promise<ChangeSet> {
  const headLabels = new Map<string, string>();
  const set: ChangeSet = { lockfiles: [], guardRailFiles: [], notReviewed: [], headLabels, between: source.between };
  const lockfiles = source.changed.filter(isLockfilePath);
  for (const p of source.changed) if (isKnownLockfilePath(p) && !isLockfilePath(p)) set.notReviewed.push(notReviewedFile(p, unsupportedReason(p)));
  const viaIncludes = await requirementsWithChangedIncludes(source, new Set(lockfiles), set.notReviewed);
  const all = [...lockfiles, ...viaIncludes].sort();
  for (const p of all.slice(MAX_LOCKFILES)) set.notReviewed.push(notReviewedFile(p, `more than ${MAX_LOCKFILES} lockfiles changed: not reviewed`));
  for (const p of all.slice(0, MAX_LOCKFILES)) {
    const input = await readLockfile(source, p, set);
    if (input === undefined) continue;
    set.lockfiles.push(input);
    headLabels.set(p, `${p} (${source.head.label})`);
  }
  const settings = source.changed.filter((p) => isGuardRailPath(p) && !isKnownLockfilePath(p));
  for (const p of settings.slice(MAX_GUARD_RAIL_FILES))
    set.notReviewed.push(notReviewedFile(p, `more than ${MAX_GUARD_RAIL_FILES} settings files changed: not reviewed`));
  for (const p of settings.slice(0, MAX_GUARD_RAIL_FILES)) {
    const file = await readGuardRailFile(source, p, set);
    if (file !== undefined) set.guardRailFiles.push(file);
  }
  return set;
}

/** Both sides of a file, or undefined after listing why it is not reviewed. */
async function readBoth(source: ChangeSource, path: string, maxBytes: number, set: ChangeSet): Promise<[SideRead, SideRead] | undefined> {
  const both: [SideRead, SideRead] = [await source.base.read(path, maxBytes), await source.head.read(path, maxBytes)];
  const refused = both.findIndex((r) => r.kind === 'refused');
  if (refused >= 0) {
    const side = refused === 0 ? source.base : source.head;
    set.notReviewed.push(notReviewedFile(path, `${(both[refused] as { reason: string }).reason} (${side.label}): not reviewed`));
    return undefined;
  }
  // changed, yet a file at neither side (a submodule, a name git cannot give in UTF-8): not reviewed, said so
  if (both.every((r) => r.kind === 'absent')) {
    set.notReviewed.push(notReviewedFile(path, 'not a file at either side (a submodule?): not reviewed'));
    return undefined;
  }
  return both;
}

const bytesOf = (r: SideRead) => (r.kind === 'file' ? r.bytes : null);

async function readLockfile(source: ChangeSource, path: string, set: ChangeSet): Promise<LockfileInput | undefined> {
  const both = await readBoth(source, path, DEFAULT_MAX_BYTES, set);
  if (both === undefined) return undefined;
  const [base, head] = both.map(bytesOf) as [Uint8Array | null, Uint8Array | null];
  const input: LockfileInput = { file: path, baseFile: `${path} (${source.base.label})`, basePath: path, base, head };
  if (isRequirementsPath(path)) {
    // `-r` includes, read at the same side as the file (never from the working tree)
    const [bi, hi] = [await includesAt(source.base, path, base), await includesAt(source.head, path, head)];
    if (bi) input.baseIncludes = bi;
    if (hi) input.headIncludes = hi;
  }
  return input;
}

function includesAt(side: Side, path: string, bytes: Uint8Array | null): Promise<Map<string, string> | undefined> {
  if (bytes === null) return Promise.resolve(undefined);
  return loadIncludedFiles(path, Buffer.from(bytes).toString('utf8'), (p) => side.include(p));
}

async function readGuardRailFile(source: ChangeSource, path: string, set: ChangeSet): Promise<GuardRailFile | undefined> {
  const both = await readBoth(source, path, MAX_GUARD_RAIL_BYTES, set);
  if (both === undefined) return undefined;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const texts: Array<string | null> = [];
  for (const [i, r] of both.entries()) {
    try {
      texts.push(r.kind === 'file' ? decoder.decode(r.bytes) : null);
    } catch {
      set.notReviewed.push(notReviewedFile(path, `not valid UTF-8 (${(i === 0 ? source.base : source.head).label}): not reviewed`));
      return undefined;
    }
  }
  return { file: path, base: texts[0]!, head: texts[1]! };
}
