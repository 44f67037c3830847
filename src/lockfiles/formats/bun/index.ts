/** bun's text lockfile `bun.lock` (the binary `bun.lockb` is refused by name and content). */
import type { LockfileFormat } from '../../format.js';
import { parseBun, sniffBun } from './parse.js';

export { BUN_LOCKB_MESSAGE, isBunLockb, parseBun, rejectBunLockb, sniffBun } from './parse.js';

export const bunFormat: LockfileFormat = {
  id: 'bun',
  fileNames: ['bun.lock'],
  // JSONC whose first members are `lockfileVersion` and the `workspaces` map (before npm, which takes any object).
  sniff: sniffBun,
  parse: (file, text, start, opts) => parseBun(file, text, start, { maxDepth: opts.maxDepth }),
};
