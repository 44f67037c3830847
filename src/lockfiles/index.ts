/**
 * Lockfile parsing entry point: decodes the bytes, detects the format from the content and hands
 * the text to that format's parser.
 *
 * To add a format: write its parser, add a {@link FormatParser} to {@link PARSERS} (its `sniff`
 * decides from the first bytes whether the content looks like that format), and set `supported`
 * for its file names in {@link LOCKFILE_NAMES}.
 */
import { LockfileError } from '../errors.js';
import type { Ecosystem, Lockfile } from '../model.js';
import { parseNpm } from './npm.js';
import { parsePnpm, sniffPnpm } from './pnpm.js';
import { parseBun, rejectBunLockb, sniffBun } from './bun.js';
import { parseYarnV1, sniffYarnV1 } from './yarn-v1.js';
import { parseYarnBerry, sniffYarnBerry } from './yarn-berry.js';
import { parsePipfile, sniffPipfile } from './pipfile.js';

export interface ParseLockfileOptions {
  /** Larger inputs are refused (default 64 MiB). */
  maxBytes?: number;
  /** Deeper JSON nesting is refused (default 128). */
  maxDepth?: number;
}

export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 128;

interface FormatParser {
  /** Format family, for messages. */
  id: string;
  /** File names this parser is meant for (a hint when several parsers accept the content). */
  fileNames: readonly string[];
  /** Does the text (from `start`, after any BOM) look like this format? */
  sniff(text: string, start: number): boolean;
  parse(file: string, text: string, start: number, opts: Required<ParseLockfileOptions>): Lockfile;
}

function firstNonSpace(text: string, start: number): number {
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return c;
  }
  return -1;
}

const npmParser: FormatParser = {
  id: 'npm',
  fileNames: ['package-lock.json', 'npm-shrinkwrap.json'],
  // Any JSON object: the npm parser itself tells a lockfile (lockfileVersion 1/2/3) from other JSON.
  sniff: (text, start) => firstNonSpace(text, start) === 0x7b,
  parse: (file, text, start, opts) => parseNpm(file, text, start, { maxDepth: opts.maxDepth }),
};

const yarnV1Parser: FormatParser = {
  id: 'yarn-v1',
  fileNames: ['yarn.lock'],
  // The `# yarn lockfile v1` header comment (yarn berry files have `__metadata` instead).
  sniff: sniffYarnV1,
  parse: (file, text, start) => parseYarnV1(file, text, start),
};

const bunParser: FormatParser = {
  id: 'bun',
  fileNames: ['bun.lock'],
  // JSONC whose first members are `lockfileVersion` and the `workspaces` map (before npm, which takes any object).
  sniff: sniffBun,
  parse: (file, text, start, opts) => parseBun(file, text, start, { maxDepth: opts.maxDepth }),
};

const yarnBerryParser: FormatParser = {
  id: 'yarn-berry',
  fileNames: ['yarn.lock'],
  // The first line that is not a comment is `__metadata:` (yarn 2+; yarn v1 files have no `__metadata`).
  sniff: sniffYarnBerry,
  parse: (file, text, start) => parseYarnBerry(file, text, start),
};

const pnpmParser: FormatParser = {
  id: 'pnpm',
  fileNames: ['pnpm-lock.yaml'],
  // `lockfileVersion:` as the first key of a YAML document (JSON lockfiles start with `{`, yarn's with comments and entries).
  sniff: sniffPnpm,
  parse: (file, text, start, opts) => parsePnpm(file, text, start, { maxDepth: opts.maxDepth }),
};

const pipfileParser: FormatParser = {
  id: 'pipfile',
  fileNames: ['Pipfile.lock'],
  // A JSON object whose first member is `_meta` (before npm, which takes any object).
  sniff: sniffPipfile,
  parse: (file, text, start, opts) => parsePipfile(file, text, start, { maxDepth: opts.maxDepth }),
};

/** Parsers in order of preference (bun and pipfile first: their content is JSON that the npm sniff would also accept). */
const PARSERS: readonly FormatParser[] = [bunParser, pipfileParser, npmParser, yarnV1Parser, yarnBerryParser, pnpmParser];

/** Lockfile names lockwarden knows, and whether it can parse them yet. */
export const LOCKFILE_NAMES: ReadonlyArray<{ fileName: string; ecosystem: Ecosystem; supported: boolean }> = [
  { fileName: 'package-lock.json', ecosystem: 'npm', supported: true },
  { fileName: 'npm-shrinkwrap.json', ecosystem: 'npm', supported: true },
  { fileName: 'yarn.lock', ecosystem: 'npm', supported: true },
  { fileName: 'pnpm-lock.yaml', ecosystem: 'npm', supported: true },
  { fileName: 'bun.lock', ecosystem: 'npm', supported: true },
  { fileName: 'bun.lockb', ecosystem: 'npm', supported: false },
  { fileName: 'Pipfile.lock', ecosystem: 'pypi', supported: true },
];

function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(i + 1);
}

/** Is this path a lockfile lockwarden can parse (by its file name, in any folder)? */
export function isLockfilePath(path: string): boolean {
  const name = baseName(path);
  return LOCKFILE_NAMES.some((l) => l.supported && l.fileName === name);
}

/** Is this path a lockfile lockwarden knows of, supported or not yet? */
export function isKnownLockfilePath(path: string): boolean {
  const name = baseName(path);
  return LOCKFILE_NAMES.some((l) => l.fileName === name);
}

/** Offset of the first invalid UTF-8 sequence (only called once decoding failed). */
function invalidUtf8Offset(b: Uint8Array): number {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = c & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return n;
}

function decode(file: string, bytes: Uint8Array): string {
  try {
    // Strips a UTF-8 BOM (ignoreBOM: false).
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const at = invalidUtf8Offset(bytes);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at; i++) {
      if (bytes[i] === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    throw new LockfileError('invalid UTF-8', { file, line, column: at - lineStart + 1 });
  }
}

/**
 * Parses a lockfile. The format is detected from the content; `file` names it in the model and
 * in error messages. Throws {@link LockfileError} (with file, line and column where it applies)
 * for anything that is not a readable lockfile.
 */
export function parseLockfile(file: string, content: string | Uint8Array, opts: ParseLockfileOptions = {}): Lockfile {
  rejectBunLockb(file, content); // binary: never decoded, never ignored
  const o: Required<ParseLockfileOptions> = {
    maxBytes: opts.maxBytes ?? DEFAULT_MAX_BYTES,
    maxDepth: opts.maxDepth ?? DEFAULT_MAX_DEPTH,
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

  const candidates = PARSERS.filter((p) => p.sniff(text, start));
  if (candidates.length === 0) throw new LockfileError('not a recognised lockfile', { file });
  const name = baseName(file);
  const parser = candidates.find((p) => p.fileNames.includes(name)) ?? candidates[0]!;
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
