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
 * Untrusted names and paths are only ever Map keys or keys of the parser's own integer tables.
 * Speed: member names are matched in place; package and dependency names are interned as small
 * integers straight from the text ({@link Names}: a dependency name is never made into a string);
 * what each `node_modules` folder holds is an integer table keyed by (directory, name)
 * ({@link Folders}), so resolving an edge is a few integer probes.
 */
import type { Importer, LockPackage, Lockfile, PackageFlags, Source } from '../model.js';
import { CHAR, EOF, JsonScanner, hashString } from './json.js';
import { classifyResolved, isDirectorySpec, isSemverVersion } from './source.js';

export interface ParseOptions {
  maxDepth: number;
}

const NM = 'node_modules/';
const SLASH_NM = '/node_modules/';

// ---------------------------------------------------------------------------------------------
// Names, folders and directories

/**
 * Package names (folder names, dependency names) interned as small integers. A name read from the
 * text as a plain string (ASCII, no escape) is kept as its place in the text; any other as a string.
 */
class Names {
  private slots = new Int32Array(1024); // id + 1; 0: empty
  private mask = 1023;
  private readonly hashes: number[] = [];
  /** Offset of the name in the text, or -1 (then `strings` has it). */
  private readonly starts: number[] = [];
  private readonly lens: number[] = [];
  private readonly strings: (string | undefined)[] = [];

  constructor(
    private readonly src: string,
    private readonly bytes: Uint8Array,
  ) {}

  /** The id of the plain string `src[start, end)`, whose {@link hashString} is `h`. */
  ofRange(start: number, end: number, h: number): number {
    const b = this.bytes;
    const len = end - start;
    let slot = h & this.mask;
    for (;;) {
      const v = this.slots[slot]!;
      if (v === 0) return this.add(slot, h, start, len, undefined);
      const id = v - 1;
      if (this.hashes[id] === h && this.lens[id] === len) {
        const at = this.starts[id]!;
        let k = 0;
        if (at >= 0) while (k < len && b[at + k] === b[start + k]) k++;
        else {
          const str = this.strings[id]!;
          while (k < len && str.charCodeAt(k) === b[start + k]) k++;
        }
        if (k === len) return id;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  /** The id of `str`. */
  ofString(str: string, h = hashString(str)): number {
    let slot = h & this.mask;
    for (;;) {
      const v = this.slots[slot]!;
      if (v === 0) return this.add(slot, h, -1, str.length, str);
      const id = v - 1;
      if (this.hashes[id] === h && this.lens[id] === str.length && this.string(id) === str) return id;
      slot = (slot + 1) & this.mask;
    }
  }

  /** The name as a string (made once per name). */
  string(id: number): string {
    let s = this.strings[id];
    if (s === undefined) {
      const at = this.starts[id]!;
      s = this.src.slice(at, at + this.lens[id]!);
      this.strings[id] = s;
    }
    return s;
  }

  private add(slot: number, h: number, start: number, len: number, str: string | undefined): number {
    const id = this.hashes.length;
    this.hashes.push(h);
    this.starts.push(start);
    this.lens.push(len);
    this.strings.push(str);
    this.slots[slot] = id + 1;
    if (2 * (id + 1) > this.mask) this.grow();
    return id;
  }

  private grow(): void {
    const mask = this.mask * 2 + 1;
    const slots = new Int32Array(mask + 1);
    for (let id = 0; id < this.hashes.length; id++) {
      let slot = this.hashes[id]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** Reads a name (quote at `pos`) and interns it. */
function readName(s: JsonScanner, names: Names): number {
  const start = s.pos + 1;
  const end = s.scanName();
  return end < 0 ? names.ofString(s.decoded, s.hash) : names.ofRange(start, end, s.hash);
}

/** Name ids of dependency lists, one after the other; a list is a range of it. */
class Pool {
  ids = new Int32Array(1024);
  length = 0;

  push(id: number): void {
    if (this.length === this.ids.length) {
      const ids = new Int32Array(this.ids.length * 2);
      ids.set(this.ids);
      this.ids = ids;
    }
    this.ids[this.length++] = id;
  }
}

/** Reads the keys of an object whose `{` is at `pos` as name ids into the pool, validating (and dropping) the values. */
function readNames(s: JsonScanner, names: Names, pool: Pool): void {
  if (s.openObject() === CHAR.RBRACE) return;
  do {
    pool.push(readName(s, names));
    s.skipValue(s.colon());
  } while (s.nextMember());
}

/** What a dependency edge lands on: a package (its id) or an importer (its path). */
interface Node {
  key: string;
  /** Some package or importer depends on it (for the root heuristic). */
  required: boolean;
  /** Its index in the layout's nodes, once it is in a folder (-1 before). */
  index: number;
}

const NOT_FOUND = -1;
/** In a folder: a link whose target is not in the file. */
const DANGLING = -2;

/**
 * What `<dir>/node_modules/<name>` holds, for directory ids and name ids: a node index or
 * {@link DANGLING}. Open addressing over integer arrays.
 */
class Folders {
  private dirs = new Int32Array(1024); // dir + 1; 0: empty
  private names = new Int32Array(1024);
  private nodes = new Int32Array(1024);
  private mask = 1023;
  private size = 0;

  private static slot(dir: number, name: number, mask: number): number {
    const h = Math.imul(dir, 0x9e3779b1) ^ Math.imul(name + 0x165667b1, 0x85ebca77);
    return (h ^ (h >>> 15)) & mask;
  }

  /** The node index (or DANGLING) in `dir`'s `node_modules/<name>`; NOT_FOUND when nothing is there. */
  get(dir: number, name: number): number {
    const d = dir + 1;
    const mask = this.mask;
    for (let slot = Folders.slot(dir, name, mask); ; slot = (slot + 1) & mask) {
      const x = this.dirs[slot]!;
      if (x === 0) return NOT_FOUND;
      if (x === d && this.names[slot] === name) return this.nodes[slot]!;
    }
  }

  set(dir: number, name: number, node: number): void {
    const d = dir + 1;
    const mask = this.mask;
    for (let slot = Folders.slot(dir, name, mask); ; slot = (slot + 1) & mask) {
      const x = this.dirs[slot]!;
      if (x === 0) {
        this.dirs[slot] = d;
        this.names[slot] = name;
        this.nodes[slot] = node;
        if (2 * ++this.size > mask) this.grow();
        return;
      }
      if (x === d && this.names[slot] === name) {
        this.nodes[slot] = node;
        return;
      }
    }
  }

  private grow(): void {
    const { dirs, names, nodes } = this;
    const mask = this.mask * 2 + 1;
    this.dirs = new Int32Array(mask + 1);
    this.names = new Int32Array(mask + 1);
    this.nodes = new Int32Array(mask + 1);
    this.mask = mask;
    for (let i = 0; i < dirs.length; i++) {
      if (dirs[i] === 0) continue;
      let slot = Folders.slot(dirs[i]! - 1, names[i]!, mask);
      while (this.dirs[slot] !== 0) slot = (slot + 1) & mask;
      this.dirs[slot] = dirs[i]!;
      this.names[slot] = names[i]!;
      this.nodes[slot] = nodes[i]!;
    }
  }
}

/**
 * Where edges land: the directories (by path; '' is the project root, id 0) whose `node_modules`
 * may hold something, what each folder holds, and the nodes edges land on. An edge to a link
 * lands on the link's target (an importer or a package); a link whose target is not in the file
 * holds {@link DANGLING}.
 */
class Layout {
  readonly folders = new Folders();
  readonly nodes: Node[] = [];
  private readonly dirIds = new Map<string, number>([['', 0]]);
  private readonly dirPaths: string[] = [''];
  private readonly chains: (number[] | undefined)[] = [];

  /** The id of directory `path` (made when new). */
  dir(path: string): number {
    if (path === '') return 0;
    let id = this.dirIds.get(path);
    if (id === undefined) {
      id = this.dirPaths.length;
      this.dirIds.set(path, id);
      this.dirPaths.push(path);
    }
    return id;
  }

  /** The id of directory `path`, or NOT_FOUND when nothing was ever installed under it. */
  findDir(path: string): number {
    return this.dirIds.get(path) ?? NOT_FOUND;
  }

  /** The index of `node` among the nodes (added when new). */
  node(node: Node): number {
    if (node.index < 0) {
      node.index = this.nodes.length;
      this.nodes.push(node);
    }
    return node.index;
  }

  /**
   * The directories whose `node_modules` node searches from directory `dir`, nearest first:
   * `dir` itself, then each ancestor directory, up to the top level. Memoised per directory.
   */
  private chain(dir: number): number[] {
    let c = this.chains[dir];
    if (c !== undefined) return c;
    const path = this.dirPaths[dir]!;
    if (path === '' || path === '..' || path.endsWith('/..')) {
      c = [dir]; // the top, or outside the project (where the search stops)
    } else {
      c = [dir, ...this.chain(this.dir(parentDirectory(path)))];
    }
    this.chains[dir] = c;
    return c;
  }

  /**
   * Resolves the dependency names `pool.ids[from, to)` (appended to `out`) required from a location
   * whose own `node_modules` is directory `own` (NOT_FOUND: none) and that lies in directory `dir`.
   * Drops unresolved ones, `self` (the node resolving, or -1) and repeats; marks what it finds as
   * required.
   */
  resolve(out: string[], pool: Pool, from: number, to: number, self: number, own: number, dir: number): void {
    if (from >= to) return;
    const folders = this.folders;
    const chain = this.chain(dir);
    const ids = pool.ids;
    for (let i = from; i < to; i++) {
      const name = ids[i]!;
      let t = own !== NOT_FOUND ? folders.get(own, name) : NOT_FOUND;
      for (let k = 0; t === NOT_FOUND && k < chain.length; k++) t = folders.get(chain[k]!, name);
      if (t < 0 || t === self) continue; // not installed, or a dangling link
      const node = this.nodes[t]!;
      const id = node.key;
      let seen = false;
      for (let k = 0; k < out.length; k++) {
        if (out[k] === id) {
          seen = true;
          break;
        }
      }
      if (!seen) {
        out.push(id);
        node.required = true;
      }
    }
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

// ---------------------------------------------------------------------------------------------
// Reading

/** One entry as read from the file, before the model is built. */
interface RawEntry extends Node {
  line: number;
  /** The directory whose `node_modules` holds this entry ('' for the top level), and its id once known. */
  dir: string;
  dirId: number;
  /** The folder name it is installed as (the name it is required by), and its name id (-1: not in a `node_modules`). */
  folder: string;
  folderId: number;
  /** v1: replaced by a later duplicate key (or inside such an entry). */
  dead: boolean;
  /** v1: the directory id of its own `node_modules` (when anything is installed there), else NOT_FOUND. */
  own: number;
  name: string | undefined;
  version: string | undefined;
  resolved: string | undefined;
  integrity: string | undefined;
  link: boolean;
  /** Becomes the package's `flags` as is. */
  flags: PackageFlags;
  /** Dependency name lists as pool ranges [from, to) (v1: `requires` is `dependencies`). */
  depFrom: number;
  depTo: number;
  optFrom: number;
  optTo: number;
  peerFrom: number;
  peerTo: number;
  devFrom: number;
  devTo: number;
}

function newEntry(key: string, line: number, dir: string, folder: string, folderId: number): RawEntry {
  return {
    key,
    required: false,
    index: -1,
    line,
    dir,
    dirId: 0,
    folder,
    folderId,
    dead: false,
    own: NOT_FOUND,
    name: undefined,
    version: undefined,
    resolved: undefined,
    integrity: undefined,
    link: false,
    flags: { dev: false, optional: false, devOptional: false, peer: false, hasInstallScript: false, bundled: false },
    depFrom: 0,
    depTo: 0,
    optFrom: 0,
    optTo: 0,
    peerFrom: 0,
    peerTo: 0,
    devFrom: 0,
    devTo: 0,
  };
}

/** Does the entry have any of the dependency lists it resolves (v2/v3 package: dependencies, optional, peer)? */
function hasPackageDeps(e: RawEntry): boolean {
  return e.depTo > e.depFrom || e.optTo > e.optFrom || e.peerTo > e.peerFrom;
}

/** What one parse shares: the text's names and the dependency name lists. */
interface Parse {
  names: Names;
  pool: Pool;
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


/**
 * Sets `dir`, `folder` and `folderId` from the entry's location (`key`): the last
 * `/node_modules/` splits it, else a leading `node_modules/`. Without either the entry is not in
 * a `node_modules` (an importer) and `folderId` stays -1.
 */
function splitLocation(e: RawEntry, names: Names): void {
  const key = e.key;
  const i = key.lastIndexOf(SLASH_NM);
  if (i >= 0) {
    e.dir = key.slice(0, i);
    e.folderId = names.ofString(key.slice(i + SLASH_NM.length));
  } else if (key.charCodeAt(0) === 110 && key.startsWith(NM)) {
    e.folderId = names.ofString(key.slice(NM.length));
  } else {
    return;
  }
  e.folder = names.string(e.folderId);
}

/** {@link splitLocation} for a key that is the unescaped string `src[start, end)` (read from the bytes). */
function splitPlainLocation(e: RawEntry, s: JsonScanner, names: Names, start: number, end: number): void {
  const b = s.bytes;
  // the last '/node_modules/'
  let cut = -1;
  for (let j = end - SLASH_NM.length; j >= start; j--) {
    if (b[j] === 47 && b[j + 13] === 47 && b[j + 1] === 110 && b[j + 5] === 95 && same(b, j, SLASH_NM)) {
      cut = j;
      break;
    }
  }
  let from: number;
  if (cut >= 0) {
    e.dir = s.src.slice(start, cut);
    from = cut + SLASH_NM.length;
  } else if (b[start] === 110 && same(b, start, NM)) {
    from = start + NM.length;
  } else {
    return;
  }
  let h = 0;
  let all = 0;
  for (let j = from; j < end; j++) {
    const c = b[j]!;
    h = (Math.imul(h, 31) + c) | 0;
    all |= c;
  }
  // Outside ASCII, the bytes are stand-ins: the name goes by its string.
  e.folderId = all < 0x80 ? names.ofRange(from, end, h) : names.ofString(s.src.slice(from, end));
  e.folder = names.string(e.folderId);
}

/** Reads a v2/v3 `packages` entry whose key is at `pos`. */
function readPackageEntry(s: JsonScanner, p: Parse): RawEntry {
  const line = s.line;
  const start = s.pos + 1;
  const end = s.scanString();
  const key = end < 0 ? s.decoded : s.src.slice(start, end);
  const e = newEntry(key, line, '', '', -1);
  if (end < 0) splitLocation(e, p.names);
  else splitPlainLocation(e, s, p.names, start, end);
  const c = s.colon();
  expectEntryObject(s, c, key);
  if (s.openObject() === CHAR.RBRACE) return e;
  const { names, pool } = p;
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
      case K_DEPENDENCIES:
        expectObject(s, v, 'dependencies');
        e.depFrom = pool.length;
        readNames(s, names, pool);
        e.depTo = pool.length;
        break;
      case K_OPTIONAL_DEPENDENCIES:
        expectObject(s, v, 'optionalDependencies');
        e.optFrom = pool.length;
        readNames(s, names, pool);
        e.optTo = pool.length;
        break;
      case K_PEER_DEPENDENCIES:
        expectObject(s, v, 'peerDependencies');
        e.peerFrom = pool.length;
        readNames(s, names, pool);
        e.peerTo = pool.length;
        break;
      case K_DEV_DEPENDENCIES:
        expectObject(s, v, 'devDependencies');
        e.devFrom = pool.length;
        readNames(s, names, pool);
        e.devTo = pool.length;
        break;
      default: s.skipValue(v);
    }
  } while (s.nextMember());
  return e;
}

/** Reads the v2/v3 `packages` object, in file order (duplicate keys are resolved when building). */
function readPackages(s: JsonScanner, c: number, p: Parse): RawEntry[] {
  expectObject(s, c, '"packages"');
  const out: RawEntry[] = [];
  if (s.openObject() === CHAR.RBRACE) return out;
  do out.push(readPackageEntry(s, p));
  while (s.nextMember());
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

/**
 * Reads a v1 `dependencies` object (the children of `parent`, '' for the top level) into `tree`;
 * returns the id of the directory holding them.
 */
function readV1Dependencies(s: JsonScanner, c: number, parent: string, tree: V1Tree, p: Parse): number {
  expectObject(s, c, '"dependencies"');
  const layout = tree.layout;
  const folders = layout.folders;
  const dir = layout.dir(parent);
  if (s.openObject() === CHAR.RBRACE) return dir;
  const { names, pool } = p;
  do {
    const line = s.line;
    const nameId = readName(s, names);
    const name = names.string(nameId);
    const v = s.colon();
    expectEntryObject(s, v, name);
    const id = parent === '' ? NM + name : parent + SLASH_NM + name;
    if (folders.get(dir, nameId) !== NOT_FOUND) {
      // Duplicate key: the last one wins, like JSON.parse, so the earlier subtree goes too.
      const prefix = id + SLASH_NM;
      for (const old of tree.entries) if (old.key === id || old.key.startsWith(prefix)) old.dead = true;
    }
    const e = newEntry(id, line, parent, name, nameId);
    e.dirId = dir;
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
            if (w === CHAR.LBRACE) {
              e.depFrom = pool.length;
              readNames(s, names, pool);
              e.depTo = pool.length;
            } else {
              s.skipValue(w);
            }
            break;
          case K_DEPENDENCIES: e.own = readV1Dependencies(s, w, id, tree, p); break;
          default: s.skipValue(w);
        }
      } while (s.nextMember());
    }
    let target: Node = e;
    if (isLinkedDirectory(e)) {
      target = { key: normaliseRelative(e.version!.slice('file:'.length)), required: false, index: -1 };
      e.link = true;
      tree.linked.set(id, target);
    }
    folders.set(dir, nameId, layout.node(target));
  } while (s.nextMember());
  return dir;
}

interface TopLevel {
  version: number | undefined;
  name: string | undefined;
  packages: RawEntry[] | undefined;
  v1: V1Tree | undefined;
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
    const tree: V1Tree = { entries: [], layout: new Layout(), linked: new Map() };
    readV1Dependencies(s, v, '', tree, p);
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
  const p: Parse = { names: new Names(text, s.bytes), pool: new Pool() };
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
            readSection(s, v, k, top, p);
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
    readSection(again, again.ws(), d.key, top, p);
  }
  if (top.version >= 2 && top.packages !== undefined) return buildModern(file, top.version, top.name, top.packages, p);
  return buildV1(file, top.version, top.name, top.v1 ?? { entries: [], layout: new Layout(), linked: new Map() }, p);
}

// ---------------------------------------------------------------------------------------------
// Model building

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

/**
 * Resolves an importer's dependencies (dependencies, devDependencies, optionalDependencies,
 * peerDependencies) from location `location` in directory `dir`.
 */
function importerDeps(layout: Layout, pool: Pool, e: RawEntry, self: number, location: string, dir: number): string[] {
  const out: string[] = [];
  if (e.depTo <= e.depFrom && e.devTo <= e.devFrom && e.optTo <= e.optFrom && e.peerTo <= e.peerFrom) return out;
  const own = location === '' ? NOT_FOUND : layout.findDir(location);
  layout.resolve(out, pool, e.depFrom, e.depTo, self, own, dir);
  layout.resolve(out, pool, e.devFrom, e.devTo, self, own, dir);
  layout.resolve(out, pool, e.optFrom, e.optTo, self, own, dir);
  layout.resolve(out, pool, e.peerFrom, e.peerTo, self, own, dir);
  return out;
}

/** v2/v3: the `packages` map. A duplicate key replaces the earlier entry (last wins, like JSON.parse). */
function buildModern(file: string, version: number, topName: string | undefined, entries: RawEntry[], p: Parse): Lockfile {
  const { names, pool } = p;
  const layout = new Layout();
  const folders = layout.folders;
  const importerEntries = new Map<string, RawEntry>(); // keys outside node_modules, '' included
  const inNodeModules: RawEntry[] = [];
  const links = new Map<string, RawEntry>();
  for (const e of entries) {
    if (e.folderId < 0) {
      importerEntries.delete(e.key); // last wins, in its own place
      importerEntries.set(e.key, e);
      continue;
    }
    const dir = layout.dir(e.dir);
    if (folders.get(dir, e.folderId) !== NOT_FOUND) {
      for (const old of inNodeModules) if (old.key === e.key) old.dead = true;
      links.delete(e.key);
    }
    inNodeModules.push(e);
    e.dirId = dir;
    if (e.link) links.set(e.key, e);
    else folders.set(dir, e.folderId, layout.node(e));
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
    let target = DANGLING;
    const imp = importerEntries.get(t);
    if (imp !== undefined) {
      target = layout.node(imp);
      // A workspace without a `name` member is named by the folder its link installs it as.
      if (!linkNames.has(t)) linkNames.set(t, e.folder);
    } else if (t !== '' && !links.has(t)) {
      const probe = newEntry(t, 0, '', '', -1);
      splitLocation(probe, names);
      if (probe.folderId >= 0) {
        const d = layout.findDir(probe.dir);
        const found = d === NOT_FOUND ? NOT_FOUND : folders.get(d, probe.folderId);
        if (found !== NOT_FOUND) target = found;
      }
    }
    folders.set(e.dirId, e.folderId, target);
  }

  const packages: LockPackage[] = [];
  for (const e of inNodeModules) {
    if (e.link || e.dead) continue;
    const name = e.name !== undefined && e.name !== '' ? e.name : e.folder;
    const v = e.version ?? '';
    const deps: string[] = [];
    if (hasPackageDeps(e)) {
      const own = layout.findDir(e.key);
      const self = e.index;
      const dir = e.dirId;
      layout.resolve(deps, pool, e.depFrom, e.depTo, self, own, dir);
      layout.resolve(deps, pool, e.optFrom, e.optTo, self, own, dir);
      layout.resolve(deps, pool, e.peerFrom, e.peerTo, self, own, dir);
    }
    packages.push(toPackage(e, name, v, sourceOf(e, name, v), deps));
  }

  const root: Importer = { path: '', line: rootEntry?.line ?? 1, deps: [] };
  const rootName = rootEntry?.name ?? topName;
  if (rootName !== undefined) root.name = rootName;
  if (rootEntry) {
    root.deps = importerDeps(layout, pool, rootEntry, -1, '', 0);
  } else {
    // No root entry: the v1 heuristic (top-level packages no package depends on).
    for (const e of inNodeModules) if (!e.link && !e.dead && e.dir === '' && !e.required) root.deps.push(e.key);
  }
  const importers: Importer[] = [root];
  for (const e of importerEntries.values()) {
    const imp: Importer = {
      path: e.key,
      line: e.line,
      deps: importerDeps(layout, pool, e, e.index, e.key, layout.dir(parentDirectory(e.key))),
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
function buildV1(file: string, version: number, topName: string | undefined, tree: V1Tree, p: Parse): Lockfile {
  const { layout, linked } = tree;
  const pool = p.pool;
  const packages: LockPackage[] = [];
  const importers: Importer[] = [];
  for (const e of tree.entries) {
    if (e.dead) continue;
    if (e.link) {
      const node = linked.get(e.key)!;
      const deps: string[] = [];
      layout.resolve(deps, pool, e.depFrom, e.depTo, node.index, e.own, e.dirId);
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
    const deps: string[] = [];
    layout.resolve(deps, pool, e.depFrom, e.depTo, e.index, e.own, e.dirId);
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
