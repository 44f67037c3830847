/**
 * Lockfile parsing entry point: decodes the bytes, detects the format from the content and hands
 * the text to that format's parser.
 *
 * To add a format: write a module under ./formats exporting a {@link LockfileFormat} (its `sniff`
 * decides from the first bytes whether the content looks like that format), list it in
 * {@link FORMATS}, and set `supported` for its file names in `LOCKFILE_NAMES` (./paths.ts).
 */
import { LockfileError } from '../errors.js';
import type { Lockfile } from '../model/index.js';
import { decode } from './decode.js';
import type { FormatOptions, LockfileFormat } from './format.js';
import { bunFormat, rejectBunLockb } from './formats/bun/index.js';
import { npmFormat } from './formats/npm/index.js';
import { pipfileFormat } from './formats/pipfile/index.js';
import { pnpmFormat } from './formats/pnpm/index.js';
import { poetryFormat } from './formats/poetry.js';
import { pylockFormat } from './formats/pylock.js';
import { requirementsFormat } from './formats/requirements/index.js';
import { uvFormat } from './formats/uv.js';
import { yarnBerryFormat } from './formats/yarn-berry/index.js';
import { yarnV1Format } from './formats/yarn-v1/index.js';
import { baseName } from './paths.js';

export { ecosystemOfPath, isKnownLockfilePath, isLockfilePath, LOCKFILE_NAMES, LOCKFILE_PATTERNS } from './paths.js';
export type { FormatOptions, LockfileFormat } from './format.js';

export interface ParseLockfileOptions {
  /** Larger inputs are refused (default 64 MiB). */
  maxBytes?: number;
  /** Deeper JSON nesting is refused (default 128). */
  maxDepth?: number;
  /**
   * Requirements files: the texts of the files a `-r` line includes (transitively), by
   * repository-relative path, as `loadRequirementFiles` (./formats/requirements/) returns them.
   */
  includes?: ReadonlyMap<string, string> | undefined;
  /**
   * The file's real path, when `file` is only a name for messages (the App names the base side
   * `path (base)`): its name chooses the parser where the content cannot (requirements files).
   */
  path?: string | undefined;
}

export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 128;

/** Formats in order of preference (bun and pipfile first: their content is JSON that the npm sniff would also accept). */
export const FORMATS: readonly LockfileFormat[] = [
  bunFormat,
  pipfileFormat,
  npmFormat,
  yarnV1Format,
  yarnBerryFormat,
  pnpmFormat,
  poetryFormat,
  uvFormat,
  pylockFormat,
  requirementsFormat,
];

/**
 * The parser for a text: the first (in {@link FORMATS} order) whose sniff accepts the content and
 * whose file names include the base name of `realPath`, else the first whose sniff accepts it, else
 * the first that claims the path. Sniffs run in order and stop at a match the file name agrees
 * with: a Pipfile.lock is never scanned by the TOML formats' sniffs (a tenth of its parse time).
 */
function chooseParser(file: string, realPath: string, text: string, start: number): LockfileFormat {
  const name = baseName(realPath);
  let first: LockfileFormat | undefined;
  for (const p of FORMATS) {
    if (!p.sniff(text, start)) continue;
    if (p.fileNames.includes(name)) return p;
    first ??= p;
  }
  if (first !== undefined) return first;
  for (const p of FORMATS) if (p.matchesPath?.(realPath) === true) return p;
  throw new LockfileError('not a recognised lockfile', { file });
}

/**
 * Parses a lockfile. The format is detected from the content; `file` names it in the model and
 * in error messages. Throws {@link LockfileError} (with file, line and column where it applies)
 * for anything that is not a readable lockfile.
 */
export function parseLockfile(file: string, content: string | Uint8Array, opts: ParseLockfileOptions = {}): Lockfile {
  rejectBunLockb(file, content); // binary: never decoded, never ignored
  const o: FormatOptions = {
    maxBytes: opts.maxBytes ?? DEFAULT_MAX_BYTES,
    maxDepth: opts.maxDepth ?? DEFAULT_MAX_DEPTH,
    includes: opts.includes,
  };
  let text: string;
  if (typeof content === 'string') {
    // Each UTF-16 unit is at least one UTF-8 byte, and at most three.
    const size = content.length > o.maxBytes / 3 ? Buffer.byteLength(content, 'utf8') : content.length;
    if (size > o.maxBytes) throw new LockfileError(`file too large (${size} bytes; the limit is ${o.maxBytes})`, { file });
    text = content;
  } else {
    if (content.length > o.maxBytes) {
      throw new LockfileError(`file too large (${content.length} bytes; the limit is ${o.maxBytes})`, { file });
    }
    text = decode(file, content);
  }
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const parser = chooseParser(file, opts.path ?? file, text, start);
  try {
    return parser.parse(file, text, start, o);
  } catch (err) {
    if (err instanceof RangeError) {
      // Defensive: a stack overflow must not escape as a crash (maxDepth normally prevents it).
      throw new LockfileError(`input too deeply nested (${err.message})`, { file });
    }
    throw err;
  }
}

export type { Lockfile };
