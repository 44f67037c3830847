/** The exact format label of one lockfile version, read from its content (so it is known even when a parser refuses it). */
import { basename } from 'node:path';

export function formatOf(family, path, text) {
  if (family === 'npm') {
    if (basename(path) === 'npm-shrinkwrap.json') return 'npm-shrinkwrap';
    const m = /"lockfileVersion"\s*:\s*(\d+)/.exec(text);
    return m ? `npm-v${m[1]}` : 'npm-v1'; // no lockfileVersion: an "ancient" file, read as version 1 by npm
  }
  if (family === 'yarn') return /^__metadata:/m.test(text) ? 'yarn-berry' : 'yarn-v1';
  if (family === 'pnpm') {
    const m = /^lockfileVersion:\s*'?(\d+)/m.exec(text);
    return m ? `pnpm-v${m[1]}` : 'pnpm-v?';
  }
  return family;
}

/** The oracle family of a format label. */
export function oracleFamily(format) {
  if (format.startsWith('npm')) return 'npm';
  if (format.startsWith('pnpm')) return 'pnpm';
  return format;
}
