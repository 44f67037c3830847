/**
 * npm `package-lock.json` (lockfileVersion 1, 2, 3) and `npm-shrinkwrap.json` → {@link Lockfile}.
 *
 * One pass over the text with {@link JsonScanner}: the parser reads only the members the model
 * needs and validates (without building) everything else (`engines`, `funding`, `bin`, `license`…).
 * Lines are those of each entry's key.
 *
 * - v2/v3: the `packages` map, keyed by install location (`node_modules/a/node_modules/b`). The
 *   legacy `dependencies` tree of v2 is ignored when `packages` is present.
 * - v1: the nested `dependencies` tree; locations are rebuilt as npm would lay them out.
 *
 * Dependency edges follow node's lookup rule: from a package's location, `<loc>/node_modules/<dep>`,
 * then each ancestor directory's `node_modules/<dep>`, up to the top-level `node_modules/<dep>`.
 * `link: true` entries are not packages: edges go through them to their target (a workspace or
 * local-directory importer).
 *
 * v1 has no list of the root project's dependencies. Heuristic: a top-level package that no
 * other package `requires` is a direct dependency of the root. (A direct dependency that is also
 * required by another package is therefore seen as indirect.) A v1 `file:<directory>` entry is a
 * linked directory (a workspace): it becomes an importer, like v2/v3 link targets.
 *
 * Untrusted names and paths are only ever Map keys. Speed: member names are matched in place,
 * dependency names are resolved through a per-directory index (no per-edge concatenation), and
 * the resolved ids are written over the names' array.
 */
import type { Importer, LockPackage, Lockfile, PackageFlags, Source } from '../model.js';
import { CHAR, EOF, JsonScanner } from './json.js';
import { classifyResolved, isDirectorySpec, isSemverVersion } from './source.js';

export interface ParseOptions {
  maxDepth: number;
}

/** What a dependency edge lands on: a package (its id) or an importer (its path). */
interface Node {
  key: string;
  /** Some package or importer depends on it (for the root heuristic). */
  required: boolean;
}

/** One entry as read from the file, before the model is built. */
interface RawEntry extends Node {
  key: string;
  line: number;
  /** The directory whose `node_modules` holds this entry ('' for the top level). */
  dir: string;
  /** The folder name it is installed as (the name it is required by). */
  folder: string;
  /** v1: replaced by a later duplicate key (or inside such an entry). */
  dead: boolean;
  /** v1: what is installed in its own `node_modules` (when anything is). */
  children: Map<string, Node | null> | undefined;
  name: string | undefined;
  version: string | undefined;
  resolved: string | undefined;
  integrity: string | undefined;
  link: boolean;
  /** Becomes the package's `flags` as is. */
  flags: PackageFlags;
  dependencies: string[] | undefined;
  optionalDependencies: string[] | undefined;
  peerDependencies: string[] | undefined;
  devDependencies: string[] | undefined;
}

function newEntry(key: string, line: number, dir = '', folder = ''): RawEntry {
  return {
    key,
    line,
    dir,
    folder,
    required: false,
    dead: false,
    children: undefined,
    name: undefined,
    version: undefined,
    resolved: undefined,
    integrity: undefined,
    link: false,
    flags: { dev: false, optional: false, devOptional: false, peer: false, hasInstallScript: false, bundled: false },
    dependencies: undefined,
    optionalDependencies: undefined,
    peerDependencies: undefined,
    devDependencies: undefined,
  };
}

function expectObject(s: JsonScanner, c: number, what: string): void {
  if (c !== CHAR.LBRACE) s.unexpected(c, `an object for ${what}`);
}

/** Like expectObject for an entry, without building the message unless it is needed. */
function expectEntryObject(s: JsonScanner, c: number, key: string): void {
  if (c !== CHAR.LBRACE) s.unexpected(c, `an object for "${key}"`);
}

// Entry members the parser reads, identified in place (no string is built for a member name).
const K_OTHER = 0;
const K_VERSION = 1;
const K_RESOLVED = 2;
const K_INTEGRITY = 3;
const K_NAME = 4;
const K_LINK = 5;
const K_DEV = 6;
const K_OPTIONAL = 7;
const K_DEV_OPTIONAL = 8;
const K_PEER = 9;
const K_IN_BUNDLE = 10;
const K_HAS_INSTALL_SCRIPT = 11;
const K_DEPENDENCIES = 12;
const K_OPTIONAL_DEPENDENCIES = 13;
const K_PEER_DEPENDENCIES = 14;
const K_DEV_DEPENDENCIES = 15;
const K_BUNDLED = 16;
const K_REQUIRES = 17;

const KEY_CODES = new Map<string, number>([
  ['version', K_VERSION],
  ['resolved', K_RESOLVED],
  ['integrity', K_INTEGRITY],
  ['name', K_NAME],
  ['link', K_LINK],
  ['dev', K_DEV],
  ['optional', K_OPTIONAL],
  ['devOptional', K_DEV_OPTIONAL],
  ['peer', K_PEER],
  ['inBundle', K_IN_BUNDLE],
  ['hasInstallScript', K_HAS_INSTALL_SCRIPT],
  ['dependencies', K_DEPENDENCIES],
  ['optionalDependencies', K_OPTIONAL_DEPENDENCIES],
  ['peerDependencies', K_PEER_DEPENDENCIES],
  ['devDependencies', K_DEV_DEPENDENCIES],
  ['bundled', K_BUNDLED],
  ['requires', K_REQUIRES],
]);

/** Are the bytes at `start` those of the (ASCII) word `w`? */
function same(b: Uint8Array, start: number, w: string): boolean {
  for (let i = 0; i < w.length; i++) if (b[start + i] !== w.charCodeAt(i)) return false;
  return true;
}

/** Reads a member name (quote at `pos`) and returns its K_ code, without allocating in the common case. */
function memberCode(s: JsonScanner): number {
  const start = s.pos + 1;
  const end = s.scanString();
  if (end < 0) return KEY_CODES.get(s.decoded) ?? K_OTHER;
  const src = s.bytes;
  switch (end - start) {
    case 3: return same(src, start, 'dev') ? K_DEV : K_OTHER;
    case 4: return same(src, start, 'name') ? K_NAME : same(src, start, 'link') ? K_LINK : same(src, start, 'peer') ? K_PEER : K_OTHER;
    case 7: return same(src, start, 'version') ? K_VERSION : same(src, start, 'bundled') ? K_BUNDLED : K_OTHER;
    case 8: return same(src, start, 'resolved') ? K_RESOLVED : same(src, start, 'optional') ? K_OPTIONAL : same(src, start, 'inBundle') ? K_IN_BUNDLE : same(src, start, 'requires') ? K_REQUIRES : K_OTHER;
    case 9: return same(src, start, 'integrity') ? K_INTEGRITY : K_OTHER;
    case 11: return same(src, start, 'devOptional') ? K_DEV_OPTIONAL : K_OTHER;
    case 12: return same(src, start, 'dependencies') ? K_DEPENDENCIES : K_OTHER;
    case 15: return same(src, start, 'devDependencies') ? K_DEV_DEPENDENCIES : K_OTHER;
    case 16: return same(src, start, 'peerDependencies') ? K_PEER_DEPENDENCIES : same(src, start, 'hasInstallScript') ? K_HAS_INSTALL_SCRIPT : K_OTHER;
    case 20: return same(src, start, 'optionalDependencies') ? K_OPTIONAL_DEPENDENCIES : K_OTHER;
    default: return K_OTHER;
  }
}

/** Reads a v2/v3 `packages` entry; `c` is the value's first character. */
function readPackageEntry(s: JsonScanner, c: number, key: string, line: number): RawEntry {
  expectEntryObject(s, c, key);
  const e = newEntry(key, line);
  if (s.openObject() === CHAR.RBRACE) return e;
  do {
    const k = memberCode(s);
    const v = s.colon();
    switch (k) {
      case K_VERSION: e.version = s.expectString(v, 'version'); break;
      case K_RESOLVED: e.resolved = s.expectString(v, 'resolved'); break;
      case K_INTEGRITY: e.integrity = s.expectString(v, 'integrity'); break;
      case K_NAME: e.name = s.expectString(v, 'name'); break;
      case K_LINK: e.link = s.expectBoolean(v, 'link'); break;
      case K_DEV: e.flags.dev = s.expectBoolean(v, 'dev'); break;
      case K_OPTIONAL: e.flags.optional = s.expectBoolean(v, 'optional'); break;
      case K_DEV_OPTIONAL: e.flags.devOptional = s.expectBoolean(v, 'devOptional'); break;
      case K_PEER: e.flags.peer = s.expectBoolean(v, 'peer'); break;
      case K_IN_BUNDLE: e.flags.bundled = s.expectBoolean(v, 'inBundle'); break;
      case K_HAS_INSTALL_SCRIPT: e.flags.hasInstallScript = s.expectBoolean(v, 'hasInstallScript'); break;
      case K_DEPENDENCIES: expectObject(s, v, 'dependencies'); e.dependencies = s.readKeys(); break;
      case K_OPTIONAL_DEPENDENCIES: expectObject(s, v, 'optionalDependencies'); e.optionalDependencies = s.readKeys(); break;
      case K_PEER_DEPENDENCIES: expectObject(s, v, 'peerDependencies'); e.peerDependencies = s.readKeys(); break;
      case K_DEV_DEPENDENCIES: expectObject(s, v, 'devDependencies'); e.devDependencies = s.readKeys(); break;
      default: s.skipValue(v);
    }
  } while (s.nextMember());
  return e;
}

/** Reads the v2/v3 `packages` object, in file order (duplicate keys are resolved when building). */
function readPackages(s: JsonScanner, c: number): RawEntry[] {
  expectObject(s, c, '"packages"');
  const out: RawEntry[] = [];
  if (s.openObject() === CHAR.RBRACE) return out;
  do {
    const line = s.line;
    const key = s.readString();
    out.push(readPackageEntry(s, s.colon(), key, line));
  } while (s.nextMember());
  return out;
}

/** A v1 tree as read: entries in file order and where they are installed. */
interface V1Tree {
  entries: RawEntry[];
  layout: Layout;
  /** location → the importer (its path) of a `file:<directory>` entry (a linked directory) */
  linked: Map<string, Node>;
}

/** A `file:<directory>` version: npm links it (a workspace or local package), it is not a package. */
function isLinkedDirectory(e: RawEntry): boolean {
  const v = e.version;
  return v !== undefined && v.startsWith('file:') && e.resolved === undefined && isDirectorySpec(v);
}

/** Reads a v1 `dependencies` object (the children of `parent`, '' for the top level) into `tree`. */
function readV1Dependencies(s: JsonScanner, c: number, parent: string, tree: V1Tree): Map<string, Node | null> {
  expectObject(s, c, '"dependencies"');
  const siblings = tree.layout.childrenOf(parent);
  if (s.openObject() === CHAR.RBRACE) return siblings;
  do {
    const line = s.line;
    const name = s.readString();
    const v = s.colon();
    expectEntryObject(s, v, name);
    const id = parent === '' ? NM + name : parent + SLASH_NM + name;
    if (siblings.has(name)) {
      // Duplicate key: the last one wins, like JSON.parse, so the earlier subtree goes too.
      const prefix = id + SLASH_NM;
      for (const old of tree.entries) if (old.key === id || old.key.startsWith(prefix)) old.dead = true;
    }
    const e = newEntry(id, line, parent, name);
    tree.entries.push(e);
    if (s.openObject() !== CHAR.RBRACE) {
      do {
        const k = memberCode(s);
        const w = s.colon();
        switch (k) {
          case K_VERSION: e.version = s.expectString(w, 'version'); break;
          case K_RESOLVED: e.resolved = s.expectString(w, 'resolved'); break;
          case K_INTEGRITY: e.integrity = s.expectString(w, 'integrity'); break;
          case K_DEV: e.flags.dev = s.expectBoolean(w, 'dev'); break;
          case K_OPTIONAL: e.flags.optional = s.expectBoolean(w, 'optional'); break;
          case K_BUNDLED: e.flags.bundled = s.expectBoolean(w, 'bundled'); break;
          case K_REQUIRES:
            // An object in entries; very old files may have a boolean.
            if (w === CHAR.LBRACE) e.dependencies = s.readKeys();
            else s.skipValue(w);
            break;
          case K_DEPENDENCIES: e.children = readV1Dependencies(s, w, id, tree); break;
          default: s.skipValue(w);
        }
      } while (s.nextMember());
    }
    let target: Node = e;
    if (isLinkedDirectory(e)) {
      target = { key: normaliseRelative(e.version!.slice('file:'.length)), required: false };
      e.link = true;
      tree.linked.set(id, target);
    }
    siblings.set(name, target);
  } while (s.nextMember());
  return siblings;
}

interface TopLevel {
  version: number | undefined;
  name: string | undefined;
  packages: RawEntry[] | undefined;
  v1: V1Tree | undefined;
}

const SUPPORTED_VERSIONS = new Set([1, 2, 3]);

/** Reads the top-level `packages` or `dependencies` member (the version is known). */
function readSection(s: JsonScanner, v: number, key: string, top: TopLevel): void {
  const version = top.version!;
  if (key === 'packages') {
    top.packages = readPackages(s, v);
  } else if (version >= 2 && top.packages !== undefined) {
    // v2 repeats the tree in v1 form for old npm versions: skip it when `packages` was read.
    s.skipValue(v);
  } else {
    const tree: V1Tree = { entries: [], layout: new Layout(), linked: new Map() };
    readV1Dependencies(s, v, '', tree);
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

function readNpm(s: JsonScanner, file: string, text: string, opts: ParseOptions): Lockfile {
  const c = s.ws();
  if (c === EOF) s.fail('empty file: not a recognised lockfile');
  if (c !== CHAR.LBRACE) {
    s.skipValue(c); // invalid JSON is reported as such
    s.end();
    s.failAt('not a recognised lockfile (the JSON document is not an object)', 1, 1);
  }
  const top: TopLevel = { version: undefined, name: undefined, packages: undefined, v1: undefined };
  const deferred: { key: string; pos: number; line: number; lineStart: number; depth: number }[] = [];
  if (s.openObject() !== CHAR.RBRACE) {
    do {
      const k = s.readString();
      const v = s.colon();
      switch (k) {
        case 'lockfileVersion': {
          const line = s.line;
          const col = s.column();
          if (v === CHAR.MINUS || (v >= CHAR.ZERO && v <= CHAR.NINE)) {
            const n = s.readNumber();
            if (!SUPPORTED_VERSIONS.has(n)) s.failAt(`unsupported npm lockfileVersion ${n} (supported: 1, 2, 3)`, line, col);
            top.version = n;
          } else {
            const start = s.pos;
            s.skipValue(v);
            const raw = s.src.slice(start, Math.min(s.pos, start + 40));
            s.failAt(`unsupported npm lockfileVersion ${raw} (supported: 1, 2, 3)`, line, col);
          }
          break;
        }
        case 'name':
          if (v === CHAR.QUOTE) top.name = s.readString();
          else s.skipValue(v);
          break;
        case 'packages':
        case 'dependencies': {
          if (top.version === undefined) {
            // Not known to be a lockfile yet (package.json and lerna.json have such members too):
            // validate now, read after the whole document once `lockfileVersion` is known.
            deferred.push({ key: k, pos: s.pos, line: s.line, lineStart: s.lineStart, depth: s.depth });
            s.skipValue(v);
          } else {
            readSection(s, v, k, top);
          }
          break;
        }
        default:
          s.skipValue(v);
      }
    } while (s.nextMember());
  }
  s.end();
  if (top.version === undefined) s.failAt('not a recognised lockfile (no "lockfileVersion")', 1, 1);
  for (const d of deferred) {
    const again: JsonScanner = new JsonScanner(text, file, opts.maxDepth, d.pos, s.bytes);
    again.line = d.line;
    again.lineStart = d.lineStart;
    again.depth = d.depth;
    readSection(again, again.ws(), d.key, top);
  }
  if (top.version >= 2 && top.packages !== undefined) return buildModern(file, top.version, top.name, top.packages);
  return buildV1(file, top.version, top.name, top.v1 ?? { entries: [], layout: new Layout(), linked: new Map() });
}

// ---------------------------------------------------------------------------------------------
// Model building

const NM = 'node_modules/';
const SLASH_NM = '/node_modules/';

/**
 * Where edges land, indexed by directory: `dir → (folder name → id)`, for every location
 * `<dir>/node_modules/<name>` (`dir` is '' for the top level). An edge to a link lands on the link's
 * target (an importer path or a package id); `null` marks a link whose target is not in the file.
 */
class Layout {
  private readonly children = new Map<string, Map<string, Node | null>>();
  private readonly chains = new Map<string, Map<string, Node | null>[]>();

  /** The (new or existing) folder map of `dir`'s `node_modules`. */
  childrenOf(dir: string): Map<string, Node | null> {
    let m = this.children.get(dir);
    if (m === undefined) {
      m = new Map();
      this.children.set(dir, m);
    }
    return m;
  }

  /**
   * The `node_modules` folders node searches from directory `dir`, nearest first: `<dir>/node_modules`,
   * then each ancestor directory's, up to the top level. Memoised per directory.
   */
  private chain(dir: string): Map<string, Node | null>[] {
    let c = this.chains.get(dir);
    if (c !== undefined) return c;
    const own = this.children.get(dir);
    if (dir === '' || dir === '..' || dir.endsWith('/..')) {
      c = own ? [own] : []; // the top, or outside the project (where the search stops)
    } else {
      const rest = this.chain(parentDirectory(dir));
      c = own ? [own, ...rest] : rest;
    }
    this.chains.set(dir, c);
    return c;
  }

  /**
   * Resolves dependency names required from `location` (whose own `node_modules` is searched
   * first, then those from `dir`, the directory holding it); drops unresolved ones, self and repeats.
   */
  resolve(self: RawEntry | undefined, location: string, dir: string, a: string[] | undefined, b?: string[], c?: string[], d?: string[]): string[] {
    if (a === undefined && b === undefined && c === undefined && d === undefined) return [];
    return this.resolveFrom(location === '' ? undefined : this.children.get(location), self, dir, a, b, c, d);
  }

  /**
   * {@link resolve} with the location's own folder map already known. Marks what it finds as
   * required; `self` (the node resolving) is never its own dependency.
   */
  resolveFrom(
    own: Map<string, Node | null> | undefined,
    self: Node | undefined,
    dir: string,
    a: string[] | undefined,
    b?: string[],
    c?: string[],
    d?: string[],
  ): string[] {
    const chain = this.chain(dir);
    // The result is written over the first list (a fresh array the parser made for this entry):
    // position n never passes the name being read, and no other array is allocated.
    const out = (a ?? b ?? c ?? d)!;
    let n = 0;
    for (let l = 0; l < 4; l++) {
      const list = l === 0 ? a : l === 1 ? b : l === 2 ? c : d;
      if (list === undefined) continue;
      const len = list.length;
      for (let i = 0; i < len; i++) {
        const dep = list[i]!;
        let t = own !== undefined ? own.get(dep) : undefined;
        if (t === undefined) {
          for (let k = 0; k < chain.length; k++) {
            t = chain[k]!.get(dep);
            if (t !== undefined) break;
          }
        }
        if (t === undefined || t === null || t === self) continue;
        const id = t.key;
        let seen = false;
        for (let k = 0; k < n; k++) {
          if (out[k] === id) {
            seen = true;
            break;
          }
        }
        if (!seen) {
          out[n++] = id;
          t.required = true;
        }
      }
    }
    out.length = n;
    return out;
  }
}

/**
 * The directory searched after `dir`'s own `node_modules`: its parent, skipping `node_modules` and
 * `@scope` folders; '' (the project root) at the top; `..` for a location outside the project
 * (the root's folders are not its ancestors).
 */
function parentDirectory(dir: string): string {
  let up = dir;
  for (;;) {
    const cut = up.lastIndexOf('/');
    up = cut < 0 ? '' : up.slice(0, cut);
    if (up === '') break;
    const base = up.slice(up.lastIndexOf('/') + 1);
    if (base === '..') return up;
    if (base !== 'node_modules' && !base.startsWith('@')) break;
  }
  if (up === '' && (dir.startsWith('../') || dir.startsWith('/'))) return '..';
  return up;
}

/** Sets `dir` and `folder` from the entry's location; false for a location outside node_modules (an importer). */
function splitLocation(e: RawEntry): boolean {
  const key = e.key;
  const i = key.lastIndexOf(SLASH_NM);
  if (i >= 0) {
    e.dir = key.slice(0, i);
    e.folder = key.slice(i + SLASH_NM.length);
    return true;
  }
  if (key.charCodeAt(0) === 110 && key.startsWith(NM)) {
    e.dir = '';
    e.folder = key.slice(NM.length);
    return true;
  }
  return false;
}

function sourceOf(e: RawEntry, name: string, version: string): Source {
  if (e.flags.bundled) return e.resolved !== undefined ? { type: 'bundled', url: e.resolved } : { type: 'bundled' };
  if (e.resolved !== undefined) return classifyResolved(e.resolved, name, version);
  if (isSemverVersion(version)) return { type: 'registry' };
  // v1 writes git, tarball and file specs as the version
  if (version !== '' && !version.startsWith('npm:')) {
    const s = classifyResolved(version, name, version);
    if (s.type !== 'file' || version.startsWith('file:')) return s;
  }
  return { type: 'unknown' };
}

function toPackage(e: RawEntry, name: string, version: string, source: Source, deps: string[]): LockPackage {
  // Two literal shapes rather than adding `integrity` afterwards (keeps every property in-object).
  const p: LockPackage =
    e.integrity !== undefined
      ? { id: e.key, name, version, source, integrity: e.integrity, flags: e.flags, line: e.line, deps }
      : { id: e.key, name, version, source, flags: e.flags, line: e.line, deps };
  if (name !== e.folder) p.alias = e.folder;
  return p;
}

/** v2/v3: the `packages` map. A duplicate key replaces the earlier entry (last wins, like JSON.parse). */
function buildModern(file: string, version: number, topName: string | undefined, entries: RawEntry[]): Lockfile {
  const importerEntries = new Map<string, RawEntry>(); // keys outside node_modules, '' included
  const inNodeModules: RawEntry[] = [];
  const links = new Map<string, RawEntry>();
  const layout = new Layout();
  for (const e of entries) {
    if (!splitLocation(e)) {
      importerEntries.delete(e.key); // last wins, in its own place
      importerEntries.set(e.key, e);
      continue;
    }
    const siblings = layout.childrenOf(e.dir);
    if (siblings.has(e.folder)) {
      for (const old of inNodeModules) if (old.key === e.key) old.dead = true;
      links.delete(e.key);
    }
    inNodeModules.push(e);
    if (e.link) links.set(e.key, e);
    else siblings.set(e.folder, e);
  }
  const rootEntry = importerEntries.get('');
  importerEntries.delete('');

  const linkNames = new Map<string, string>();
  for (const e of links.values()) {
    let t = e.resolved ?? '';
    // A link to a link (unusual): follow a few hops.
    for (let hops = 0; hops < 8; hops++) {
      const next = links.get(t);
      if (next === undefined) break;
      t = next.resolved ?? '';
    }
    let target: Node | null = importerEntries.get(t) ?? null;
    if (target !== null) {
      // A workspace without a `name` member is named by the folder its link installs it as.
      if (!linkNames.has(t)) linkNames.set(t, e.folder);
    } else if (t !== '' && !links.has(t)) {
      const probe = newEntry(t, 0);
      if (splitLocation(probe)) target = layout.childrenOf(probe.dir).get(probe.folder) ?? null;
    }
    layout.childrenOf(e.dir).set(e.folder, target);
  }

  const packages: LockPackage[] = [];
  for (const e of inNodeModules) {
    if (e.link || e.dead) continue;
    const name = e.name !== undefined && e.name !== '' ? e.name : e.folder;
    const v = e.version ?? '';
    const deps = layout.resolve(e, e.key, e.dir, e.dependencies, e.optionalDependencies, e.peerDependencies);
    packages.push(toPackage(e, name, v, sourceOf(e, name, v), deps));
  }

  const root: Importer = { path: '', line: rootEntry?.line ?? 1, deps: [] };
  const rootName = rootEntry?.name ?? topName;
  if (rootName !== undefined) root.name = rootName;
  if (rootEntry) {
    const r = rootEntry;
    root.deps = layout.resolve(undefined, '', '', r.dependencies, r.devDependencies, r.optionalDependencies, r.peerDependencies);
  } else {
    // No root entry: the v1 heuristic (top-level packages no package depends on).
    for (const e of inNodeModules) if (!e.link && !e.dead && e.dir === '' && !e.required) root.deps.push(e.key);
  }
  const importers: Importer[] = [root];
  for (const e of importerEntries.values()) {
    const imp: Importer = {
      path: e.key,
      line: e.line,
      deps: layout.resolve(e, e.key, parentDirectory(e.key), e.dependencies, e.devDependencies, e.optionalDependencies, e.peerDependencies),
    };
    const name = e.name ?? linkNames.get(e.key);
    if (name !== undefined) imp.name = name;
    importers.push(imp);
  }
  return { ecosystem: 'npm', format: `npm-v${version}`, file, importers, packages };
}

/** Splits a v1 `npm:real@1.2.3` alias version. */
function splitAlias(version: string): { name: string; version: string } | undefined {
  if (!version.startsWith('npm:')) return undefined;
  const spec = version.slice(4);
  const at = spec.lastIndexOf('@');
  if (at <= 0) return { name: spec, version: '' };
  return { name: spec.slice(0, at), version: spec.slice(at + 1) };
}

/**
 * v1 (and v2 files without `packages`): the nested `dependencies` tree. A `file:<directory>`
 * entry (a workspace or local package, which npm links) becomes an importer at that path, like the
 * link entries of v2/v3; packages nested under it keep their location under the link.
 *
 * v1 has no list of the root's own dependencies: the root is given the top-level entries that no
 * package (or linked directory) requires.
 */
function buildV1(file: string, version: number, topName: string | undefined, tree: V1Tree): Lockfile {
  const { layout, linked } = tree;
  const packages: LockPackage[] = [];
  const importers: Importer[] = [];
  for (const e of tree.entries) {
    if (e.dead) continue;
    if (e.link) {
      const node = linked.get(e.key)!;
      const deps = e.dependencies ? layout.resolveFrom(e.children, node, e.dir, e.dependencies) : [];
      importers.push({ path: node.key, name: e.folder, line: e.line, deps });
      continue;
    }
    let name = e.folder;
    let v = e.version ?? '';
    const aliased = splitAlias(v);
    if (aliased) {
      name = aliased.name;
      v = aliased.version;
    }
    const deps = e.dependencies ? layout.resolveFrom(e.children, e, e.dir, e.dependencies) : [];
    packages.push(toPackage(e, name, v, sourceOf(e, name, v), deps));
  }
  const rootDeps: string[] = [];
  for (const e of tree.entries) {
    if (e.dead || e.dir !== '') continue;
    const node = e.link ? linked.get(e.key)! : e;
    if (!node.required) rootDeps.push(node.key);
  }
  const root: Importer = { path: '', line: 1, deps: rootDeps };
  if (topName !== undefined) root.name = topName;
  return { ecosystem: 'npm', format: `npm-v${version}`, file, importers: [root, ...importers], packages };
}

/** `./packages/a/` → `packages/a` (a `file:` spec relative to the project root). */
function normaliseRelative(path: string): string {
  let p = path.replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  while (p.endsWith('/') && p.length > 1) p = p.slice(0, -1);
  return p;
}
