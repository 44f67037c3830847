/**
 * How many packages one lockfile may hold. The largest real lockfiles seen (../shared/corpus, big
 * monorepos) hold about 7,000; past this cap a file is refused while it is read, so a hostile one
 * cannot make the parser, the diff and the report hold millions of packages.
 */
import { LockfileError } from '../../errors.js';

export const MAX_PACKAGES = 50_000;

/** Throws when the `count`-th package of `file` (at `line`) is over the cap. */
export function checkPackageCount(file: string, count: number, line?: number): void {
  if (count <= MAX_PACKAGES) return;
  throw new LockfileError(
    `more than ${MAX_PACKAGES.toLocaleString('en-US')} packages: refused (real lockfiles hold far fewer)`,
    line !== undefined ? { file, line } : { file },
  );
}
