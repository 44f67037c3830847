/**
 * Reading bun.lock's `workspaces` members and `packages` entries (`["name@resolution", …, INFO, …]`)
 * into what ./build.ts resolves. See ./parse.ts for the shapes.
 */
import type { LockPackage, Source } from '../../../model/index.js';
import { CHAR, type JsonScanner } from '../../readers/json.js';
import { classifyResolved } from '../../shared/source.js';

const DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

/** Per importer: dependency names by kind. */
export interface RawImporter {
  path: string;
  name: string | undefined;
  line: number;
  prod: string[];
  dev: string[];
  optional: string[];
  peer: string[];
}

export const K_PACKAGE = 0;
export const K_WORKSPACE = 1;
export const K_OTHER = 2;

/** One `packages` entry as read. */
export interface Entry {
  key: string;
  /** The key of the folder it is installed in ('' = top level), and its own folder name. */
  parent: string;
  folder: string;
  kind: number;
  /** K_PACKAGE: the package */
  pkg: LockPackage | undefined;
  /** K_WORKSPACE: the workspace path */
  workspace: string | undefined;
  /** Dependency names: the first `required` are non-optional. */
  deps: string[];
  required: number;
}

/** Where a key's parent lies: the key without its last package name ('' at the top level). */
export function parentKey(key: string): string {
  const cut = key.lastIndexOf('/');
  if (cut < 0) return '';
  const before = key.lastIndexOf('/', cut - 1);
  const seg = key.slice(before + 1, cut);
  // `…/@scope/name`: the last name is two segments
  if (seg.startsWith('@')) return before < 0 ? '' : key.slice(0, before);
  return key.slice(0, cut);
}

function isGit(res: string): boolean {
  return res.startsWith('git+') || res.startsWith('git://') || res.startsWith('github:') || res.startsWith('gitlab:') || res.startsWith('bitbucket:');
}

const ARCHIVE_RE = /\.(?:tgz|tar\.gz|tar)$/i;

/** What an entry's INFO object holds that the model needs. */
interface Info {
  deps: string[];
  /** made when present (rare) */
  optional: string[] | undefined;
  peers: string[] | undefined;
  optionalPeers: Set<string> | undefined;
  version: string | undefined;
}

/** An entry's array as read: the identifier split at its `@`, the strings around INFO, INFO. */
interface RawEntry {
  name: string;
  res: string;
  /** The string before INFO (npm: the registry URL). */
  before: string | undefined;
  /** The first two strings after INFO. */
  after0: string | undefined;
  after1: string | undefined;
  info: Info | undefined;
}

const INFO_KEYS = ['dependencies', 'optionalDependencies', 'peerDependencies', 'optionalPeers', 'version'] as const;

/**
 * Reads an object key (its quote at `pos`) and returns its index in `words`, or -1, without
 * making a string of it (a key with an escape is decoded first, so escapes cannot hide a member).
 */
function matchKey(s: JsonScanner, words: readonly string[]): number {
  const src = s.src;
  const start = s.pos + 1;
  let i = start;
  const n = src.length;
  let c = 0;
  while (i < n && (c = src.charCodeAt(i)) !== 34 && c !== 92) i++;
  if (c === 92) return words.indexOf(s.readString());
  s.skipString(); // validates (control characters, end of input)
  const len = i - start;
  for (let w = 0; w < words.length; w++) {
    const word = words[w]!;
    if (word.length === len && src.startsWith(word, start)) return w;
  }
  return -1;
}

function readInfo(s: JsonScanner, info: Info): void {
  if (s.openObject() === CHAR.RBRACE) return;
  do {
    const k = matchKey(s, INFO_KEYS);
    const c = s.colon();
    if (k >= 0 && k <= 2) {
      if (c !== CHAR.LBRACE) s.unexpected(c, `an object for ${INFO_KEYS[k]}`);
      s.readKeysInto(k === 0 ? info.deps : k === 1 ? (info.optional ??= []) : (info.peers ??= []));
    } else if (k === 3) {
      if (c !== CHAR.LBRACKET) s.unexpected(c, 'an array for optionalPeers');
      const set = new Set<string>();
      let d = s.openArray();
      while (d !== CHAR.RBRACKET) {
        if (d !== CHAR.QUOTE) s.unexpected(d, 'a string in optionalPeers');
        set.add(s.readString());
        d = s.nextElement();
      }
      info.optionalPeers = set;
    } else if (k === 4 && c === CHAR.QUOTE) {
      info.version = s.readString();
    } else {
      s.skipValue(c);
    }
  } while (s.nextMember());
}

/** Reads one `packages` entry (its `[` at `pos`): read the array, then make the entry. */
export function readEntry(s: JsonScanner, key: string, parent: string, folder: string, line: number): Entry {
  const col = s.pos - s.lineStart + 1;
  if (s.openArray() !== CHAR.QUOTE) s.failAt(`package "${key}": expected ["name@resolution", …]`, line, col);
  const raw = readIdentifier(s, key, line, col);
  readRest(s, raw);
  return entryOf(s, raw, key, parent, folder, line, col);
}

/** The `name@resolution` string (its quote at `pos`), sliced from the text when it has no escape (no intermediate string). */
function readIdentifier(s: JsonScanner, key: string, line: number, col: number): RawEntry {
  const src = s.src;
  const p0 = s.pos + 1;
  let q = p0;
  let ch = 0;
  while (q < src.length && (ch = src.charCodeAt(q)) !== 34 && ch !== 92 && ch >= 32) q++;
  const raw: RawEntry = { name: '', res: '', before: undefined, after0: undefined, after1: undefined, info: undefined };
  if (ch === 34) {
    const at = src.indexOf('@', p0 + 1);
    s.pos = q + 1;
    if (at < 0 || at >= q)
      s.failAt(`package "${key}": invalid identifier ${JSON.stringify(src.slice(p0, Math.min(q, p0 + 200)))} (expected name@resolution)`, line, col);
    raw.name = src.slice(p0, at);
    raw.res = src.slice(at + 1, q);
  } else {
    const ident = s.readString();
    const at = ident.indexOf('@', 1);
    if (at <= 0) s.failAt(`package "${key}": invalid identifier ${JSON.stringify(ident.slice(0, 200))} (expected name@resolution)`, line, col);
    raw.name = ident.slice(0, at);
    raw.res = ident.slice(at + 1);
  }
  return raw;
}

/** The rest of the array: a string before INFO (npm: the registry URL), INFO, strings after INFO. */
function readRest(s: JsonScanner, raw: RawEntry): void {
  let nAfter = 0;
  let c = s.nextElement();
  while (c !== CHAR.RBRACKET) {
    if (c === CHAR.QUOTE) {
      if (raw.info === undefined) {
        if (raw.before === undefined) raw.before = s.readString();
        else s.skipString();
      } else if (nAfter < 2) {
        if (nAfter++ === 0) raw.after0 = s.readString();
        else raw.after1 = s.readString();
      } else s.skipString();
    } else if (c === CHAR.LBRACE && raw.info === undefined) {
      raw.info = { deps: [], optional: undefined, peers: undefined, optionalPeers: undefined, version: undefined };
      readInfo(s, raw.info);
    } else s.skipValue(c);
    c = s.nextElement();
  }
}

/** The entry of a read array: a workspace, a package, or neither (links, local directories, the root). */
function entryOf(s: JsonScanner, raw: RawEntry, key: string, parent: string, folder: string, line: number, col: number): Entry {
  const entry: Entry = { key, parent, folder, kind: K_OTHER, pkg: undefined, workspace: undefined, deps: [], required: 0 };
  const res = raw.res;
  if (res.startsWith('workspace:')) {
    entry.kind = K_WORKSPACE;
    entry.workspace = res.slice('workspace:'.length);
    return entry;
  }
  if (res.startsWith('root:') || res.startsWith('link:')) return entry;
  if (res === '') s.failAt(`package "${key}": empty version in ${JSON.stringify(`${raw.name}@`.slice(0, 200))}`, line, col);
  const located = locate(raw);
  if (located === undefined) return entry; // a local directory: not a package
  entry.kind = K_PACKAGE;
  const pkg: LockPackage = {
    id: key,
    name: raw.name,
    version: located.version,
    source: located.source,
    flags: { dev: false, optional: false, devOptional: false, peer: false, hasInstallScript: false, bundled: false },
    line,
    deps: [],
  };
  if (folder !== raw.name) pkg.alias = folder;
  if (located.integrity !== undefined) pkg.integrity = located.integrity;
  entry.pkg = pkg;
  if (raw.info) addDeps(entry, raw.info);
  return entry;
}

/** Version, source and integrity by the kind of resolution; undefined for a local directory. */
function locate(raw: RawEntry): { version: string; source: Source; integrity: string | undefined } | undefined {
  const { res, info } = raw;
  if (isGit(res)) return { version: info?.version ?? res, source: { type: 'git', url: res }, integrity: raw.after1 || undefined };
  if (res.startsWith('http://') || res.startsWith('https://')) {
    return { version: info?.version ?? res, source: { type: 'tarball', url: res }, integrity: raw.after0 || undefined };
  }
  if (res.startsWith('file:') || res.startsWith('.') || res.startsWith('/')) {
    const path = res.startsWith('file:') ? res.slice(5) : res;
    if (!ARCHIVE_RE.test(path)) return undefined;
    return { version: info?.version ?? res, source: { type: 'file', url: res }, integrity: raw.after0 || undefined };
  }
  const url = raw.before;
  return { version: res, source: url ? classifyResolved(url, raw.name, res) : { type: 'registry' }, integrity: raw.after0 || undefined };
}

/** The dependency names of a package entry: required (dependencies, non-optional peers) first. */
function addDeps(entry: Entry, info: Info): void {
  const optPeers = info.optionalPeers;
  const deps = info.deps;
  const peers = info.peers;
  if (peers) for (const p of peers) if (!optPeers?.has(p)) deps.push(p);
  entry.required = deps.length;
  if (info.optional) for (const p of info.optional) deps.push(p);
  if (optPeers && peers) for (const p of peers) if (optPeers.has(p)) deps.push(p);
  entry.deps = deps;
}

export function readWorkspace(s: JsonScanner, path: string, line: number): RawImporter {
  const imp: RawImporter = { path, name: undefined, line, prod: [], dev: [], optional: [], peer: [] };
  const c0 = s.ws();
  if (c0 !== CHAR.LBRACE) s.unexpected(c0, `an object for workspace "${path}"`);
  if (s.openObject() === CHAR.RBRACE) return imp;
  do {
    const k = s.readString();
    const c = s.colon();
    const field = DEP_FIELDS.indexOf(k as (typeof DEP_FIELDS)[number]);
    if (field >= 0) {
      if (c !== CHAR.LBRACE) s.unexpected(c, `an object for ${k}`);
      s.readKeysInto(field === 0 ? imp.prod : field === 1 ? imp.dev : field === 2 ? imp.optional : imp.peer);
    } else if (k === 'name' && c === CHAR.QUOTE) {
      imp.name = s.readString();
    } else {
      s.skipValue(c);
    }
  } while (s.nextMember());
  return imp;
}
