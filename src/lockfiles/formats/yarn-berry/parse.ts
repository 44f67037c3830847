/**
 * yarn berry (yarn 2+) `yarn.lock` (Syml, the YAML subset yarn writes) → {@link Lockfile}; the fields
 * and the model are in docs/FORMATS.md. It is read without a YAML library: anchors, aliases, tags and
 * flow collections (yarn never writes them) are refused with a {@link LockfileError}. Everything keyed
 * by the file's text lives in Maps.
 */
import type { Lockfile } from '../../../model/index.js';
import { buildYarnBerry } from './build.js';
import { readYarnBerry } from './read.js';

/** Does the text (from `start`) begin, after comments and blank lines, with `__metadata:`? */
export function sniffYarnBerry(text: string, start: number): boolean {
  let pos = start;
  const n = text.length;
  for (let guard = 0; pos < n && guard < 64; guard++) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = n;
    let i = pos;
    while (i < nl && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9 || text.charCodeAt(i) === 13)) i++;
    if (i === nl || text.charCodeAt(i) === 35 /* # */) {
      pos = nl + 1;
      continue;
    }
    return i === pos && (text.startsWith('__metadata:', i) || text.startsWith('"__metadata":', i));
  }
  return false;
}

export interface YarnBerryParseResult extends Lockfile {
  /** The `__metadata` version and cache key as written. */
  metadata?: { version: number; cacheKey: string | undefined };
}

/** Parses a yarn berry `yarn.lock` (text from `start`, after any BOM): read the entries, then build the model. */
export function parseYarnBerry(file: string, text: string, start = 0): Lockfile {
  const read = readYarnBerry(file, text, start);
  const { packages, importers } = buildYarnBerry(file, read);
  const lock: YarnBerryParseResult = { ecosystem: 'npm', format: `yarn-berry-v${read.version}`, file, importers, packages };
  Object.defineProperty(lock, 'metadata', { value: { version: read.version, cacheKey: read.cacheKey }, enumerable: false });
  return lock;
}
