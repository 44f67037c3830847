/**
 * npm `package-lock.json` (lockfileVersion 1, 2, 3) and `npm-shrinkwrap.json` → {@link Lockfile}, in
 * one pass with the {@link JsonScanner}, building only what the model needs; layouts, the edge rule and
 * the speed notes are in docs/FORMATS.md. Untrusted names and paths are only ever Map keys or keys of
 * the parser's own integer tables.
 */
import { LockfileError } from '../../../errors.js';
import type { Lockfile } from '../../../model/index.js';
import { CHAR, EOF, JsonScanner } from '../../readers/json.js';
import { buildModern } from './build.js';
import { newSection, readPackages, type Parse, type Section } from './entries.js';
import { Names, Pool } from './names.js';
import { buildV1, readV1Dependencies } from './v1.js';

export interface ParseOptions {
  maxDepth: number;
}

interface TopLevel {
  version: number | undefined;
  name: string | undefined;
  packages: Section | undefined;
  v1: Section | undefined;
}

const SUPPORTED_VERSIONS = new Set([1, 2, 3]);

/** Reads the top-level `packages` or `dependencies` member (the version is known). */
function readSection(s: JsonScanner, v: number, key: string, top: TopLevel, p: Parse): void {
  const version = top.version!;
  if (key === 'packages') {
    top.packages = readPackages(s, v, p);
  } else if (version >= 2 && top.packages !== undefined) {
    // v2 repeats the tree in v1 form for old npm versions: skip it when `packages` was read.
    s.skipValue(v);
  } else {
    const tree = newSection(p);
    tree.layout.dirsByTree();
    readV1Dependencies(s, v, '', 0, tree, p);
    top.v1 = tree;
  }
}

/** Parses npm lockfile text (BOM already skipped: parsing starts at `start`). */
export function parseNpm(file: string, text: string, start: number, opts: ParseOptions): Lockfile {
  const s: JsonScanner = JsonScanner.reusing(text, file, opts.maxDepth, start);
  try {
    return readNpm(s, file, text, opts);
  } finally {
    s.release();
  }
}

/** Where a deferred top-level member starts. */
interface Deferred {
  key: string;
  pos: number;
  line: number;
  lineStart: number;
  depth: number;
}

/** A scanner positioned at a deferred member's value. */
function rescan(s: JsonScanner, text: string, file: string, opts: ParseOptions, d: Deferred): JsonScanner {
  const again: JsonScanner = new JsonScanner(text, file, opts.maxDepth, d.pos, s.bytes);
  again.line = d.line;
  again.lineStart = d.lineStart;
  again.depth = d.depth;
  return again;
}

/**
 * A document without lockfileVersion: npm before 5 wrote npm-shrinkwrap.json so, and npm still
 * reads such an "ancient" file as version 1. It is one only when it has no `packages` and its
 * `dependencies` hold at least one package entry (package.json's hold ranges and are refused).
 */
function readAncient(s: JsonScanner, text: string, file: string, opts: ParseOptions, deferred: Deferred[], top: TopLevel, p: Parse): void {
  const deps = deferred.filter((d) => d.key === 'dependencies').pop();
  const refuse = (): never => s.failAt('not a recognised lockfile (no "lockfileVersion")', 1, 1);
  if (deps === undefined || deferred.some((d) => d.key === 'packages')) refuse();
  top.version = 1;
  const again = rescan(s, text, file, opts, deps!);
  try {
    readSection(again, again.ws(), 'dependencies', top, p);
  } catch (err) {
    if (err instanceof LockfileError) refuse();
    throw err;
  }
  if (top.v1!.entries.length === 0) refuse();
}

/** Reads the top-level members (deferring the sections read before the version is known), then builds the model. */
function readNpm(s: JsonScanner, file: string, text: string, opts: ParseOptions): Lockfile {
  const c = s.ws();
  if (c === EOF) s.fail('empty file: not a recognised lockfile');
  if (c !== CHAR.LBRACE) {
    s.skipValue(c); // invalid JSON is reported as such
    s.end();
    s.failAt('not a recognised lockfile (the JSON document is not an object)', 1, 1);
  }
  const top: TopLevel = { version: undefined, name: undefined, packages: undefined, v1: undefined };
  // Sized for the text (an entry takes some 300 to 600 bytes): tables rarely grow.
  let capacity = 64;
  while (capacity < text.length / 400 && capacity < 1 << 20) capacity *= 2;
  const p: Parse = { names: new Names(text, s.bytes, capacity), pool: new Pool(capacity * 2), capacity };
  const deferred: Deferred[] = [];
  if (s.openObject() !== CHAR.RBRACE) {
    do {
      const k = s.readString();
      readMember(s, k, s.colon(), top, p, deferred);
    } while (s.nextMember());
  }
  s.end();
  if (top.version === undefined) {
    readAncient(s, text, file, opts, deferred, top, p);
    return buildV1(file, 1, top.name, top.v1!, p);
  }
  for (const d of deferred) {
    const again = rescan(s, text, file, opts, d);
    readSection(again, again.ws(), d.key, top, p);
  }
  if (top.version >= 2 && top.packages !== undefined) return buildModern(file, top.version, top.name, top.packages, p);
  return buildV1(file, top.version, top.name, top.v1 ?? newSection(p), p);
}

/** One top-level member `k` (its value's first character `v`). */
function readMember(s: JsonScanner, k: string, v: number, top: TopLevel, p: Parse, deferred: Deferred[]): void {
  switch (k) {
    case 'lockfileVersion':
      top.version = readVersion(s, v);
      break;
    case 'name':
      if (v === CHAR.QUOTE) top.name = s.readString();
      else s.skipValue(v);
      break;
    case 'packages':
    case 'dependencies':
      if (top.version === undefined) {
        // Not known to be a lockfile yet (package.json and lerna.json have such members too):
        // validate now, read after the whole document once `lockfileVersion` is known.
        deferred.push({ key: k, pos: s.pos, line: s.line, lineStart: s.lineStart, depth: s.depth });
        s.skipValue(v);
      } else {
        readSection(s, v, k, top, p);
      }
      break;
    default:
      s.skipValue(v);
  }
}

/** `lockfileVersion`: 1, 2 or 3, else refused (quoting what is there). */
function readVersion(s: JsonScanner, v: number): number {
  const line = s.line;
  const col = s.column();
  if (v === CHAR.MINUS || (v >= CHAR.ZERO && v <= CHAR.NINE)) {
    const n = s.readNumber();
    if (!SUPPORTED_VERSIONS.has(n)) s.failAt(`unsupported npm lockfileVersion ${n} (supported: 1, 2, 3)`, line, col);
    return n;
  }
  const start = s.pos;
  s.skipValue(v);
  const raw = s.src.slice(start, Math.min(s.pos, start + 40));
  return s.failAt(`unsupported npm lockfileVersion ${raw} (supported: 1, 2, 3)`, line, col);
}
