/** pnpm `pnpm-lock.yaml` (v5 to v9, with pnpm 10's env document). */
import type { LockfileFormat } from '../../format.js';
import { parsePnpm, sniffPnpm } from './parse.js';

export { CONFIG_IMPORTER, ENV_PREFIX, PACKAGE_MANAGER_IMPORTER } from './env.js';
export { parsePnpm, sniffPnpm };

export const pnpmFormat: LockfileFormat = {
  id: 'pnpm',
  fileNames: ['pnpm-lock.yaml'],
  // `lockfileVersion:` as the first key of a YAML document (JSON lockfiles start with `{`, yarn's with comments and entries).
  sniff: sniffPnpm,
  parse: (file, text, start, opts) => parsePnpm(file, text, start, { maxDepth: opts.maxDepth }),
};
