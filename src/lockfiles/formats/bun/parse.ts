/**
 * bun's text lockfile `bun.lock` (JSONC, lockfileVersion 0 and 1) → {@link Lockfile}; and the
 * binary `bun.lockb`, which is refused with a clear {@link LockfileError} (it cannot be reviewed).
 *
 * Shape (one pass over the text with the {@link JsonScanner} in JSONC mode; lines are those of each entry's key):
 *
 * ```jsonc
 * { "lockfileVersion": 1,
 *   "workspaces": { "": { "name", "dependencies", "devDependencies", "optionalDependencies", "peerDependencies" },
 *                   "packages/a": { … } },
 *   "packages": {
 *     "<key>": ["name@version", "<registry tarball url or ''>", INFO, "sha512-…"],   // npm
 *     "<key>": ["name@github:user/repo#…" | "name@git+…", INFO, "<bun tag>", "<integrity>"?], // git
 *     "<key>": ["name@https://…tgz" | "name@./x.tgz", INFO, "<integrity>"?],               // tarball
 *     "<key>": ["name@workspace:packages/a", INFO?],    // a workspace: not a package, edges land on its importer
 *     "<key>": ["name@link:path", INFO] | ["name@file:dir", INFO] | ["name@root:", …],     // not packages
 *   },
 *   "trustedDependencies", "patchedDependencies", "overrides", "catalog(s)", "configVersion": validated, ignored }
 * ```
 *
 * A key is an install path of package names (`parent/child`, `@s/a/@s/b`): the package installed
 * in `parent`'s node_modules. INFO holds `dependencies`, `optionalDependencies`,
 * `peerDependencies` (+ `optionalPeers`), `os`, `cpu`, `bin`… An alias entry is keyed by the alias
 * (`"alias": ["real@1.0.0", …]`). Edges resolve like node_modules: dependency `d` of key `K` is
 * `K/d` if present, else `parent(K)/d`, … else the top-level `d`; a workspace's dependencies are
 * looked up under the workspace package's own key first.
 *
 * bun.lock records no dev/optional flags: they are derived from the graph as npm would write them
 * (dev: unreachable from any importer's non-dev dependencies; optional: reachable only through
 * optional edges; devOptional: needed by dev or optional paths only). It records no install-script
 * flag either (`hasInstallScript` stays false; the registry metadata decides online).
 *
 * Untrusted keys and names are only ever Map keys.
 */
import { LockfileError } from '../../../errors.js';
import { checkPackageCount } from '../../shared/limits.js';
import type { Importer, LockPackage, Lockfile, Source } from '../../../model/index.js';
import { CHAR, JsonScanner } from '../../readers/json.js';
import { classifyResolved } from '../../shared/source.js';

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
const SNIFF_RE = new RegExp(
  String.raw`^\{${W}"lockfileVersion"${W}:${W}\d+${W},${W}(?:"configVersion"${W}:${W}\d+${W},${W})?"workspaces"${W}:${W}\{`,
);

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

// ---------------------------------------------------------------------------------------------

const DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

/** Per importer: dependency names by kind. */
interface RawImporter {
  path: string;
  name: string | undefined;
  line: number;
  prod: string[];
  dev: string[];
  optional: string[];
  peer: string[];
}

const K_PACKAGE = 0;
const K_WORKSPACE = 1;
const K_OTHER = 2;

/** One `packages` entry as read. */
interface Entry {
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
function parentKey(key: string): string {
  const cut = key.lastIndexOf('/');
  if (cut < 0) return '';
  const before = key.lastIndexOf('/', cut - 1);
  const seg = key.slice(before + 1, cut);
  // `…/@scope/name`: the last name is two segments
  if (seg.startsWith('@')) return before < 0 ? '' : key.slice(0, before);
  return key.slice(0, cut);
}

function isGit(res: string): boolean {
  return (
    res.startsWith('git+') ||
    res.startsWith('git://') ||
    res.startsWith('github:') ||
    res.startsWith('gitlab:') ||
    res.startsWith('bitbucket:')
  );
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

/** Reads one `packages` entry (its `[` at `pos`). */
function readEntry(s: JsonScanner, key: string, parent: string, folder: string, line: number): Entry {
  const col = s.pos - s.lineStart + 1;
  let c = s.openArray();
  if (c !== CHAR.QUOTE) s.failAt(`package "${key}": expected ["name@resolution", …]`, line, col);
  // name@resolution, sliced from the text when it has no escape (no intermediate string)
  const src = s.src;
  const p0 = s.pos + 1;
  let name: string;
  let res: string;
  let q = p0;
  let ch = 0;
  while (q < src.length && (ch = src.charCodeAt(q)) !== 34 && ch !== 92 && ch >= 32) q++;
  if (ch === 34) {
    const at = src.indexOf('@', p0 + 1);
    s.pos = q + 1;
    if (at < 0 || at >= q) s.failAt(`package "${key}": invalid identifier ${JSON.stringify(src.slice(p0, Math.min(q, p0 + 200)))} (expected name@resolution)`, line, col);
    name = src.slice(p0, at);
    res = src.slice(at + 1, q);
  } else {
    const ident = s.readString();
    const at = ident.indexOf('@', 1);
    if (at <= 0) s.failAt(`package "${key}": invalid identifier ${JSON.stringify(ident.slice(0, 200))} (expected name@resolution)`, line, col);
    name = ident.slice(0, at);
    res = ident.slice(at + 1);
  }
  // The rest: a string before INFO (npm: the registry URL), INFO, strings after INFO.
  let before: string | undefined;
  let after0: string | undefined;
  let after1: string | undefined;
  let nAfter = 0;
  let info: Info | undefined;
  c = s.nextElement();
  while (c !== CHAR.RBRACKET) {
    if (c === CHAR.QUOTE) {
      if (info === undefined) {
        if (before === undefined) before = s.readString();
        else s.skipString();
      } else if (nAfter < 2) {
        if (nAfter++ === 0) after0 = s.readString();
        else after1 = s.readString();
      } else s.skipString();
    } else if (c === CHAR.LBRACE && info === undefined) {
      info = { deps: [], optional: undefined, peers: undefined, optionalPeers: undefined, version: undefined };
      readInfo(s, info);
    } else s.skipValue(c);
    c = s.nextElement();
  }

  const entry: Entry = { key, parent, folder, kind: K_OTHER, pkg: undefined, workspace: undefined, deps: [], required: 0 };
  if (res.startsWith('workspace:')) {
    entry.kind = K_WORKSPACE;
    entry.workspace = res.slice('workspace:'.length);
    return entry;
  }
  if (res.startsWith('root:') || res.startsWith('link:')) return entry;
  let version: string;
  let source: Source;
  let integrity: string | undefined;
  if (isGit(res)) {
    version = info?.version ?? res;
    source = { type: 'git', url: res };
    integrity = after1 || undefined;
  } else if (res.startsWith('http://') || res.startsWith('https://')) {
    version = info?.version ?? res;
    source = { type: 'tarball', url: res };
    integrity = after0 || undefined;
  } else if (res.startsWith('file:') || res.startsWith('.') || res.startsWith('/')) {
    const path = res.startsWith('file:') ? res.slice(5) : res;
    if (!ARCHIVE_RE.test(path)) return entry; // a local directory: not a package
    version = info?.version ?? res;
    source = { type: 'file', url: res };
    integrity = after0 || undefined;
  } else {
    if (res === '') s.failAt(`package "${key}": empty version in ${JSON.stringify(`${name}@`.slice(0, 200))}`, line, col);
    version = res;
    const url = before;
    source = url ? classifyResolved(url, name, version) : { type: 'registry' };
    integrity = after0 || undefined;
  }
  entry.kind = K_PACKAGE;
  const pkg: LockPackage = {
    id: key,
    name,
    version,
    source,
    flags: { dev: false, optional: false, devOptional: false, peer: false, hasInstallScript: false, bundled: false },
    line,
    deps: [],
  };
  if (folder !== name) pkg.alias = folder;
  if (integrity !== undefined) pkg.integrity = integrity;
  entry.pkg = pkg;
  if (info) {
    const optPeers = info.optionalPeers;
    const deps = info.deps;
    const peers = info.peers;
    if (peers) for (const p of peers) if (!optPeers?.has(p)) deps.push(p);
    entry.required = deps.length;
    if (info.optional) for (const p of info.optional) deps.push(p);
    if (optPeers && peers) for (const p of peers) if (optPeers.has(p)) deps.push(p);
    entry.deps = deps;
  }
  return entry;
}

function readWorkspace(s: JsonScanner, path: string, line: number): RawImporter {
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

/** Parses a bun.lock text (from `start`, after any BOM). */
export function parseBun(file: string, text: string, start: number, opts: BunParseOptions): Lockfile {
  const s = JsonScanner.reusing(text, file, opts.maxDepth, start, true);
  try {
    return readBun(s, file);
  } finally {
    s.release();
  }
}

function readBun(s: JsonScanner, file: string): Lockfile {
  let c = s.ws();
  if (c !== CHAR.LBRACE) s.unexpected(c, "'{'");
  if (s.openObject() === CHAR.RBRACE) s.fail('not a bun lockfile (empty object)');
  let version: number | undefined;
  const rawImporters = new Map<string, RawImporter>();
  const entries: Entry[] = [];
  /** parent key → folder name → entry index (a key is its parent's key and its folder name) */
  const folders = new Map<string, Map<string, number>>();
  const seenTop = new Set<string>();
  do {
    const keyLine = s.line;
    const keyCol = s.pos - s.lineStart + 1;
    const k = s.readString();
    if (seenTop.has(k)) s.failAt(`duplicate top-level key ${JSON.stringify(k.slice(0, 200))}`, keyLine, keyCol);
    seenTop.add(k);
    c = s.colon();
    if (k === 'lockfileVersion') {
      if (!(c === 45 || (c >= 48 && c <= 57))) s.unexpected(c, 'a number for lockfileVersion');
      version = s.readNumber();
      if (version !== 0 && version !== 1) s.failAt(`unsupported bun lockfileVersion ${version} (supported: 0, 1)`, keyLine, keyCol);
    } else if (k === 'workspaces') {
      if (c !== CHAR.LBRACE) s.unexpected(c, 'an object for workspaces');
      if (s.openObject() !== CHAR.RBRACE) {
        do {
          const line = s.line;
          const col = s.pos - s.lineStart + 1;
          const path = s.readString();
          if (rawImporters.has(path)) s.failAt(`duplicate workspace ${JSON.stringify(path.slice(0, 200))}`, line, col);
          s.colon();
          rawImporters.set(path, readWorkspace(s, path, line));
        } while (s.nextMember());
      }
    } else if (k === 'packages') {
      if (c !== CHAR.LBRACE) s.unexpected(c, 'an object for packages');
      if (s.openObject() !== CHAR.RBRACE) {
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
    } else {
      s.skipValue(c);
    }
  } while (s.nextMember());
  s.end('the lockfile');
  if (version === undefined) throw new LockfileError('not a bun lockfile: no lockfileVersion', { file, line: 1 });
  if (!rawImporters.has('')) rawImporters.set('', { path: '', name: undefined, line: 1, prod: [], dev: [], optional: [], peer: [] });

  return build(file, version, rawImporters, entries, folders);
}

// ---------------------------------------------------------------------------------------------
// Edges and flags

function build(
  file: string,
  version: number,
  rawImporters: Map<string, RawImporter>,
  entries: Entry[],
  folders: Map<string, Map<string, number>>,
): Lockfile {
  const n = entries.length;
  /**
   * The folders searched from key `k`, nearest first: its own, each ancestor's that has packages,
   * the top level last. Memoised per key (most keys share the top level's list).
   */
  const top = folders.get('');
  const topChain: Map<string, number>[] = top ? [top] : [];
  const chains = new Map<string, Map<string, number>[]>([['', topChain]]);
  const chainOf = (k: string): Map<string, number>[] => {
    let c = chains.get(k);
    if (c !== undefined) return c;
    const up = chainOf(parentKey(k));
    const own = folders.get(k);
    c = own ? [own, ...up] : up;
    chains.set(k, c);
    return c;
  };
  /** Resolves dependency `dep` from the folder of key `from` ('' = top level), walking up: an entry index or -1. */
  const lookup = (from: string, dep: string): number => {
    const c = chainOf(from);
    for (let k = 0; k < c.length; k++) {
      const i = c[k]!.get(dep);
      if (i !== undefined) return i;
    }
    return -1;
  };

  // workspace path → the key of its workspace entry (nested dependencies live under it)
  const wsKey = new Map<string, string>();
  for (const e of entries) if (e.kind === K_WORKSPACE && !wsKey.has(e.workspace!)) wsKey.set(e.workspace!, e.key);

  /** Where an edge to entry `i` lands: its package id, or a workspace's importer path; undefined: nowhere. */
  const target = (i: number): string | undefined => {
    const e = entries[i]!;
    if (e.kind === K_PACKAGE) return e.key;
    if (e.kind === K_WORKSPACE && rawImporters.has(e.workspace!)) return e.workspace!;
    return undefined;
  };

  // package edges: entry indices, one range of `pool` per entry, the non-optional ones first
  let pool = new Int32Array(1024);
  let used = 0;
  const edgeStart = new Int32Array(n + 1);
  const requiredEnd = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const e = entries[i]!;
    edgeStart[i] = used;
    requiredEnd[i] = used;
    if (e.kind !== K_PACKAGE) continue;
    const names = e.deps;
    const ids: string[] = [];
    const first = used;
    for (let d = 0; d < names.length; d++) {
      const t = lookup(e.key, names[d]!);
      if (t < 0 || t === i) continue;
      let seen = false;
      for (let k = first; k < used && !seen; k++) seen = pool[k] === t;
      if (seen) continue;
      const id = target(t);
      if (id === undefined) continue;
      if (used === pool.length) {
        const grown = new Int32Array(pool.length * 2);
        grown.set(pool);
        pool = grown;
      }
      pool[used++] = t;
      ids.push(id);
      if (d < e.required) requiredEnd[i] = used;
    }
    e.pkg!.deps = ids;
  }
  edgeStart[n] = used;

  const importers: Importer[] = [];
  const rootsProd: number[] = []; // dependencies, peer, optional
  const rootsNonOpt: number[] = []; // dependencies, dev, peer
  const rootsProdNonOpt: number[] = []; // dependencies, peer
  for (const imp of rawImporters.values()) {
    const from = imp.path === '' ? '' : (wsKey.get(imp.path) ?? '');
    const ids: string[] = [];
    const seen = new Set<number>();
    const add = (names: string[], ...lists: number[][]): void => {
      for (const name of names) {
        const t = lookup(from, name);
        if (t < 0) continue;
        for (const l of lists) l.push(t);
        if (seen.has(t)) continue;
        seen.add(t);
        const id = target(t);
        if (id !== undefined && id !== imp.path) ids.push(id);
      }
    };
    add(imp.prod, rootsProd, rootsNonOpt, rootsProdNonOpt);
    add(imp.peer, rootsProd, rootsNonOpt, rootsProdNonOpt);
    add(imp.dev, rootsNonOpt);
    add(imp.optional, rootsProd);
    const importer: Importer = { path: imp.path, line: imp.line, deps: ids };
    if (imp.name !== undefined) importer.name = imp.name;
    importers.push(importer);
  }

  const reach = (roots: number[], all: boolean): Uint8Array => {
    const seen = new Uint8Array(n);
    const queue: number[] = [];
    for (const r of roots) {
      if (seen[r] === 0 && entries[r]!.kind === K_PACKAGE) {
        seen[r] = 1;
        queue.push(r);
      }
    }
    for (let q = 0; q < queue.length; q++) {
      const i = queue[q]!;
      const lim = all ? edgeStart[i + 1]! : requiredEnd[i]!;
      for (let k = edgeStart[i]!; k < lim; k++) {
        const t = pool[k]!;
        if (seen[t] === 0 && entries[t]!.kind === K_PACKAGE) {
          seen[t] = 1;
          queue.push(t);
        }
      }
    }
    return seen;
  };
  const prod = reach(rootsProd, true);
  const nonOpt = reach(rootsNonOpt, false);
  const prodNonOpt = reach(rootsProdNonOpt, false);

  const packages: LockPackage[] = [];
  for (let i = 0; i < n; i++) {
    const p = entries[i]!.pkg;
    if (!p) continue;
    const dev = prod[i] === 0;
    const optional = nonOpt[i] === 0;
    p.flags.dev = dev;
    p.flags.optional = optional;
    p.flags.devOptional = !dev && !optional && prodNonOpt[i] === 0;
    checkPackageCount(file, packages.length + 1, p.line);
    packages.push(p);
  }
  return { ecosystem: 'npm', format: `bun-v${version}`, file, importers, packages };
}
