/**
 * bun's text lockfile `bun.lock` (JSONC, lockfileVersion 0 and 1) → {@link Lockfile}, in one pass with
 * the {@link JsonScanner}; the binary `bun.lockb` cannot be reviewed and is refused with a clear
 * {@link LockfileError}. Shape, edge resolution and derived flags are in docs/FORMATS.md.
 * Untrusted keys and names are only ever Map keys.
 */
import { LockfileError } from '../../../errors.js';
import type { Lockfile } from '../../../model/index.js';
import { CHAR, JsonScanner } from '../../readers/json.js';
import { build } from './build.js';
import { type Entry, parentKey, type RawImporter, readEntry, readWorkspace } from './entry.js';

export interface BunParseOptions {
  maxDepth: number;
}

export const BUN_LOCKB_MESSAGE =
  'bun.lockb is a binary lockfile lockwarden cannot read; run `bun install --save-text-lockfile` (or upgrade to bun ≥1.2, which writes bun.lock) and commit bun.lock';

/** The first bytes of every binary bun lockfile. */
const LOCKB_MAGIC = '#!/usr/bin/env bun\nbun-lockfile-format-v';

function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(i + 1);
}

/** Is this a binary `bun.lockb` (by its file name, or by its content's magic header)? */
export function isBunLockb(file: string, content: string | Uint8Array): boolean {
  if (baseName(file) === 'bun.lockb') return true;
  const n = LOCKB_MAGIC.length;
  if (typeof content === 'string') return content.startsWith(LOCKB_MAGIC);
  if (content.length < n) return false;
  for (let i = 0; i < n; i++) if (content[i] !== LOCKB_MAGIC.charCodeAt(i)) return false;
  return true;
}

/** Throws the bun.lockb {@link LockfileError} when `file`/`content` is a binary bun lockfile. */
export function rejectBunLockb(file: string, content: string | Uint8Array): void {
  if (isBunLockb(file, content)) throw new LockfileError(BUN_LOCKB_MESSAGE, { file });
}

// whitespace and comments between tokens (a block comment's body cannot hold `*/`: no backtracking blow-up)
const W = String.raw`(?:\s|//[^\n]*(?![^\n])|/\*(?:[^*]|\*+[^*/])*\*+/)*`;
const SNIFF_RE = new RegExp(String.raw`^\{${W}"lockfileVersion"${W}:${W}\d+${W},${W}(?:"configVersion"${W}:${W}\d+${W},${W})?"workspaces"${W}:${W}\{`);

/**
 * Does the text look like a bun.lock? Its first member is `lockfileVersion` and the next (after an
 * optional `configVersion`) is the `workspaces` object: npm lockfiles start with `name` and have no
 * `workspaces` map, and the other formats are not JSON.
 */
export function sniffBun(text: string, start: number): boolean {
  // leading whitespace and comments (bounded: a sniff must stay cheap)
  let i = start;
  const limit = Math.min(text.length, start + 4096);
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? limit : nl + 1;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? limit : end + 2;
    } else break;
  }
  return i < limit && SNIFF_RE.test(text.slice(i, i + 1024));
}

/** Parses a bun.lock text (from `start`, after any BOM). */
export function parseBun(file: string, text: string, start: number, opts: BunParseOptions): Lockfile {
  const s = JsonScanner.reusing(text, file, opts.maxDepth, start, true);
  try {
    return readBun(s, file);
  } finally {
    s.release();
  }
}

/** Top-level members: the version, the workspaces, the packages; the rest is validated and skipped. */
interface Read {
  version: number | undefined;
  rawImporters: Map<string, RawImporter>;
  entries: Entry[];
  /** parent key → folder name → entry index (a key is its parent's key and its folder name) */
  folders: Map<string, Map<string, number>>;
}

/** Reads the document, then builds the model. */
function readBun(s: JsonScanner, file: string): Lockfile {
  const c = s.ws();
  if (c !== CHAR.LBRACE) s.unexpected(c, "'{'");
  if (s.openObject() === CHAR.RBRACE) s.fail('not a bun lockfile (empty object)');
  const read: Read = { version: undefined, rawImporters: new Map(), entries: [], folders: new Map() };
  const seenTop = new Set<string>();
  do {
    const keyLine = s.line;
    const keyCol = s.pos - s.lineStart + 1;
    const k = s.readString();
    if (seenTop.has(k)) s.failAt(`duplicate top-level key ${JSON.stringify(k.slice(0, 200))}`, keyLine, keyCol);
    seenTop.add(k);
    readMember(s, k, s.colon(), keyLine, keyCol, read);
  } while (s.nextMember());
  s.end('the lockfile');
  if (read.version === undefined) throw new LockfileError('not a bun lockfile: no lockfileVersion', { file, line: 1 });
  const { rawImporters } = read;
  if (!rawImporters.has('')) rawImporters.set('', { path: '', name: undefined, line: 1, prod: [], dev: [], optional: [], peer: [] });
  return build(file, read.version, rawImporters, read.entries, read.folders);
}

/** One top-level member `k` (its value's first character `c`). */
function readMember(s: JsonScanner, k: string, c: number, keyLine: number, keyCol: number, read: Read): void {
  if (k === 'lockfileVersion') {
    if (!(c === 45 || (c >= 48 && c <= 57))) s.unexpected(c, 'a number for lockfileVersion');
    const version = s.readNumber();
    read.version = version;
    if (version !== 0 && version !== 1) s.failAt(`unsupported bun lockfileVersion ${version} (supported: 0, 1)`, keyLine, keyCol);
  } else if (k === 'workspaces') {
    if (c !== CHAR.LBRACE) s.unexpected(c, 'an object for workspaces');
    readWorkspaces(s, read.rawImporters);
  } else if (k === 'packages') {
    if (c !== CHAR.LBRACE) s.unexpected(c, 'an object for packages');
    readPackages(s, read);
  } else {
    s.skipValue(c);
  }
}

function readWorkspaces(s: JsonScanner, rawImporters: Map<string, RawImporter>): void {
  if (s.openObject() === CHAR.RBRACE) return;
  do {
    const line = s.line;
    const col = s.pos - s.lineStart + 1;
    const path = s.readString();
    if (rawImporters.has(path)) s.failAt(`duplicate workspace ${JSON.stringify(path.slice(0, 200))}`, line, col);
    s.colon();
    rawImporters.set(path, readWorkspace(s, path, line));
  } while (s.nextMember());
}

function readPackages(s: JsonScanner, read: Read): void {
  if (s.openObject() === CHAR.RBRACE) return;
  const { entries, folders } = read;
  do {
    const line = s.line;
    const col = s.pos - s.lineStart + 1;
    const key = s.readString();
    if (key === '') s.failAt('empty package key', line, col);
    const parent = parentKey(key);
    const folder = parent === '' ? key : key.slice(parent.length + 1);
    let inParent = folders.get(parent);
    if (inParent === undefined) folders.set(parent, (inParent = new Map()));
    if (inParent.has(folder)) s.failAt(`duplicate package key ${JSON.stringify(key.slice(0, 200))}`, line, col);
    const v = s.colon();
    if (v !== CHAR.LBRACKET) s.unexpected(v, `an array for package "${key.slice(0, 200)}"`);
    inParent.set(folder, entries.length);
    entries.push(readEntry(s, key, parent, folder, line));
  } while (s.nextMember());
}
