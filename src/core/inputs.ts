/** The review's first step: lockfile texts in, the changes between base and head out (parse, then diff). */
import { parseLockfile } from '../lockfiles/index.js';
import { diffLockfiles } from '../diff/index.js';
import { dominantRegistryOrigin, registryOriginsOf } from '../signals/index.js';
import type { Change, Lockfile, Unreviewed } from '../model/index.js';

export interface LockfileInput {
  /** Path of the lockfile (in the repository, or on disk): used in messages and annotations. */
  file: string;
  /** Name for the base side in error messages, when it differs (the CLI reads two paths). */
  baseFile?: string;
  /** The base side's real path when `baseFile` is only a label (`path (base)`): chooses the parser by name. */
  basePath?: string;
  /** Base version of the lockfile, or null when the PR adds the file. */
  base: string | Uint8Array | null;
  /** Head version of the lockfile, or null when the PR deletes the file. */
  head: string | Uint8Array | null;
  /** Requirements files: the texts of the files each side includes with `-r`, by repository-relative path. */
  baseIncludes?: ReadonlyMap<string, string>;
  headIncludes?: ReadonlyMap<string, string>;
}

function parseSide(file: string, content: string | Uint8Array | null, includes: ReadonlyMap<string, string> | undefined, path: string): Lockfile | null {
  return content === null ? null : parseLockfile(file, content, { includes, path });
}

/** Parses and diffs every lockfile. Throws LockfileError on bad input (naming file and line). */
export function diffInputs(inputs: readonly LockfileInput[], unreviewed: Unreviewed[] = [], baseOrigins?: Map<string, Set<string>>): Change[] {
  const changes: Change[] = [];
  for (const input of inputs) {
    const base = parseSide(input.baseFile ?? input.file, input.base, input.baseIncludes, input.basePath ?? input.baseFile ?? input.file);
    const head = parseSide(input.file, input.head, input.headIncludes, input.file);
    const trusted = registryOriginsOf(base);
    baseOrigins?.set(head?.file ?? input.file, base === null ? dominantRegistryOrigin(head) : trusted);
    for (const u of head?.unreviewed ?? []) unreviewed.push({ lockfile: u.file ?? input.file, name: u.name, line: u.line, reason: u.reason });
    // A loop, not push(...): a spread of a big diff's changes overflows the stack.
    if (head) for (const c of diffLockfiles(base, head)) changes.push(c);
    else if (base) {
      // The PR deletes the lockfile: everything in it is removed. Diff against an empty lockfile of the same shape.
      const empty: Lockfile = { ...base, importers: [], packages: [] };
      for (const c of diffLockfiles(base, empty)) changes.push(c);
    }
  }
  return withoutDuplicates(changes);
}

/** A requirements file included by another changed one: its changes come from both reviews, keep one. */
function withoutDuplicates(changes: Change[]): Change[] {
  const seen = new Set<string>();
  return changes.filter((c) => {
    const k = `${c.lockfile}\u0000${c.line}\u0000${c.ecosystem}\u0000${c.name}\u0000${c.from}\u0000${c.to}\u0000${c.kind}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
