/** lockwarden's version, read from its package.json when the CLI starts. */
import { readFileSync } from 'node:fs';

/**
 * package.json is two levels above this module both as source (src/cli/) and as built (dist/cli/),
 * in a checkout and in the published package alike, so the version has one home.
 */
function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error('package.json has no version');
  return pkg.version;
}

export const VERSION = readVersion();
