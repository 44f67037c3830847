/**
 * yarn berry (yarn 2+) `yarn.lock` → {@link Lockfile}.
 *
 * The file is Syml, the YAML subset yarn writes: `__metadata` (`version` ≥ 4, `cacheKey`), then one
 * top-level mapping per locked package, keyed by its comma-separated descriptors
 * (`"lodash@npm:^4.17.0, lodash@npm:^4.17.21":`), with scalar fields (`version`, `resolution`,
 * `checksum`, `conditions`, `languageName`, `linkType`) and mappings (`dependencies`,
 * `peerDependencies`, `dependenciesMeta`, `bin`…). One pass over the lines, indentation-based, with
 * line numbers; no YAML library (no anchors, aliases, tags or flow collections: yarn never writes
 * them, and they are refused with a {@link LockfileError}).
 *
 * Model:
 * - id: the entry's `resolution` (a locator, unique in the file).
 * - `workspace:` resolutions are importers (path from the reference, `.` → ''), not packages.
 * - `link:`/`portal:` and `file:` directories are `link` packages (left out by the diff).
 * - `patch:` resolutions are the patched package: name from the locator, version from `version`;
 *   the source is that of the inner locator (registry for `npm:`), its url the patch resolution.
 * - `npm:` resolutions come from the registry; url = the resolution (yarn writes no tarball URL).
 * - integrity: the `checksum` as written (cache-key prefix included).
 * - Edges: a dependency `name: range` goes to the entry whose descriptors include `name@range`
 *   (`name@npm:range` when the range has no protocol). Peer dependencies are not resolved in the
 *   lockfile and give no edges.
 * - Flags: yarn berry records neither dev nor install scripts; `optional` is set for entries with
 *   `conditions` (os/cpu-restricted) and for those every dependent marks optional in
 *   `dependenciesMeta`.
 *
 * Everything keyed by the file's text lives in Maps.
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
