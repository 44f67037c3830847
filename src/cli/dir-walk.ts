/**
 * A bounded walk of one directory tree for the directory form: the lockfiles and settings files in it
 * by relative path, symbolic links recorded and never followed. What the bounds leave out is named,
 * so the review fails closed rather than passing over it.
 */
import { opendirSync, type Dir } from 'node:fs';
import path from 'node:path';
import { isGuardRailPath } from '../guard-rails/paths.js';
import { isKnownLockfilePath } from '../lockfiles/index.js';

/** Deepest folder walked (the tree's root is level 0). */
export const MAX_WALK_DEPTH = 20;
/** Most entries (files, folders, links) walked in one tree. */
export const MAX_WALK_ENTRIES = 200_000;
/** Folders never walked: git's own, installed packages, virtualenvs and caches (not part of a change). */
export const SKIPPED_DIRS: readonly string[] = ['.git', 'node_modules', '.venv', 'venv', '__pycache__', '.tox', '.nox'];

export type EntryKind = 'file' | 'link' | 'other';

export interface TreeWalk {
  /** Lockfiles and settings files by `/`-separated relative path. */
  entries: Map<string, EntryKind>;
  /** What the bounds left out, one sentence each. */
  problems: string[];
}

const isCandidate = (p: string) => isKnownLockfilePath(p) || isGuardRailPath(p);

export function walkTree(root: string): TreeWalk {
  const walk: TreeWalk = { entries: new Map(), problems: [] };
  const queue: Array<{ rel: string; depth: number }> = [{ rel: '', depth: 0 }];
  let count = 0;
  let tooDeep: string | undefined;
  let badName: string | undefined;
  while (queue.length > 0) {
    const dir = queue.shift()!;
    // synchronous reads, streamed: a folder of a million names is never held at once, and no
    // thread-pool round trip per entry (ten times faster on a loaded machine)
    const handle: Dir = opendirSync(path.join(root, dir.rel), { bufferSize: 256 });
    for (let d = handle.readSync(); d !== null; d = handle.readSync()) {
      if (++count > MAX_WALK_ENTRIES) {
        handle.closeSync();
        walk.problems.push(`more than ${MAX_WALK_ENTRIES.toLocaleString('en-US')} entries: the rest of the tree was not compared`);
        return walk;
      }
      const rel = dir.rel ? `${dir.rel}/${d.name}` : d.name;
      if (d.name.includes('\uFFFD')) badName ??= rel; // not valid UTF-8: the name cannot be read back
      if (d.isDirectory()) {
        if (SKIPPED_DIRS.includes(d.name)) continue;
        if (dir.depth + 1 > MAX_WALK_DEPTH) tooDeep ??= rel;
        else queue.push({ rel, depth: dir.depth + 1 });
      } else if (isCandidate(rel)) walk.entries.set(rel, d.isSymbolicLink() ? 'link' : d.isFile() ? 'file' : 'other');
    }
    handle.closeSync();
  }
  if (tooDeep !== undefined) walk.problems.push(`folders deeper than ${MAX_WALK_DEPTH} levels were not compared (first: ${tooDeep})`);
  if (badName !== undefined) walk.problems.push(`a name that is not valid UTF-8 was not compared (${badName})`);
  return walk;
}
