/** Changes grouped by the lockfile they come from, for reports of a change touching several lockfiles. */
import type { ReviewedChange } from '../model/index.js';

/** The changes by lockfile, lockfiles in the order they first appear; one group when all share one. */
export function byLockfile(changes: readonly ReviewedChange[]): Array<{ lockfile: string; changes: ReviewedChange[] }> {
  const groups = new Map<string, ReviewedChange[]>();
  for (const c of changes) {
    const g = groups.get(c.lockfile);
    if (g) g.push(c);
    else groups.set(c.lockfile, [c]);
  }
  return [...groups].map(([lockfile, cs]) => ({ lockfile, changes: cs }));
}
