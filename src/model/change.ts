/** What the diff (src/diff) makes of two lockfiles: one {@link Change} per package that changed. */
import type { Ecosystem, LockPackage } from './lockfile.js';

export type ChangeKind = 'added' | 'removed' | 'upgraded' | 'downgraded' | 'source-changed';

export interface Change {
  ecosystem: Ecosystem;
  name: string;
  from: string | null;
  to: string | null;
  kind: ChangeKind;
  /** The lockfile path this change was found in. */
  lockfile: string;
  /** Line in the head lockfile (base lockfile for removals). */
  line: number;
  /** Directly depended on by the root project or a workspace. */
  direct: boolean;
  /** Importer paths ('' = root) that depend on it directly. */
  directOf: string[];
  /** One shortest path of package names from a direct dependency to this package (excluding itself). Empty when direct. */
  via: string[];
  /** The packages behind the change (for signals). */
  base?: LockPackage;
  head?: LockPackage;
  /** The same name was present in base at all (any version). */
  nameInBase: boolean;
}
