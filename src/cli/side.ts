/** One side of a change (a commit, a directory) as the --git and directory forms read it. */

/** A file at a side: its bytes, absent, or refused unread (a symbolic link, not a regular file, over the cap). */
export type SideRead = { kind: 'file'; bytes: Uint8Array } | { kind: 'absent' } | { kind: 'refused'; reason: string };

export interface Side {
  /** How messages name the side: `base, 1a2b3c4` (a commit) or `base` (a directory). */
  label: string;
  /** The file at a repository-relative path, never through a symbolic link; over `maxBytes` it is refused. */
  read(path: string, maxBytes: number): Promise<SideRead>;
  /**
   * A requirements file's `-r` include: its text, or null when absent; throws `IncludeRefused` for one
   * that may not be read (each side's rule: git never follows a link, a directory one leading out of it).
   */
  include(path: string): Promise<string | null>;
}

/** Where the changed files come from, for {@link collectChangeSet} (./collect.ts). */
export interface ChangeSource {
  base: Side;
  head: Side;
  /** Repository-relative paths of lockfiles and settings files that differ between the sides, sorted. */
  changed: readonly string[];
  /** The requirements files at the head side (their `-r` includes may have changed while they did not). */
  requirementsFiles(): Promise<string[]>;
  /** `between HEAD~1 (1a2b3c4) and HEAD (5d6e7f8)`, for the report when nothing changed. */
  between: string;
}
