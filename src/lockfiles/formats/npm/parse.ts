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
 * ({@link Folders}), so resolving an edge is a few integer probes. Entries are kept as typed-array
 * columns ({@link Entries}) and each package object is made as soon as its entry is read, so the
 * parser allocates little besides the model itself.
 */
import { LockfileError } from '../../../errors.js';
import { checkPackageCount } from '../../shared/limits.js';
import type { Importer, LockPackage, Lockfile, PackageFlags, Source } from '../../../model/index.js';
import { CHAR, EOF, JsonScanner, hashString } from '../../readers/json.js';
import { classifyResolved, isDirectorySpec, isSemverVersion } from '../../shared/source.js';

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
  private slots: Int32Array; // id + 1; 0: empty
  private mask: number;
  private count = 0;
  /** Per id, four numbers: its hash, its offset in the text (-1: `strings` has it), its length, and 2 if it is {@link isPlainName}, 1 if not, 0 not known yet. */
  private info: Int32Array;
  /** Per id (set when the id is made; the array is made at its expected size, not grown by pushes). */
  private readonly strings: (string | undefined)[];

  /** `capacity`: a power of two, about the number of names expected (the table grows past half of it). */
  constructor(
    private readonly src: string,
    private readonly bytes: Uint8Array,
    capacity: number,
  ) {
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.info = new Int32Array(capacity * 2);
    this.strings = new Array<string | undefined>(capacity >> 1);
  }

  /** The id of the plain string `src[start, end)`, whose {@link hashString} is `h`. */
  ofRange(start: number, end: number, h: number): number {
    const b = this.bytes;
    const info = this.info;
    const len = end - start;
    let slot = h & this.mask;
    for (;;) {
      const v = this.slots[slot]!;
      if (v === 0) return this.add(slot, h, start, len, undefined);
      const id = v - 1;
      if (info[4 * id] === h && info[4 * id + 2] === len) {
        const at = info[4 * id + 1]!;
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
      if (this.info[4 * id] === h && this.info[4 * id + 2] === str.length && this.string(id) === str) return id;
      slot = (slot + 1) & this.mask;
    }
  }

  /** {@link isPlainName}, checked once per name. */
  isPlain(id: number): boolean {
    let v = this.info[4 * id + 3]!;
    if (v === 0) {
      v = isPlainName(this.string(id)) ? 2 : 1;
      this.info[4 * id + 3] = v;
    }
    return v === 2;
  }

  /** The name as a string (made once per name). */
  string(id: number): string {
    let s = this.strings[id];
    if (s === undefined) {
      const at = this.info[4 * id + 1]!;
      s = this.src.slice(at, at + this.info[4 * id + 2]!);
      this.strings[id] = s;
    }
    return s;
  }

  private add(slot: number, h: number, start: number, len: number, str: string | undefined): number {
    const id = this.count++;
    const info = this.info;
    info[4 * id] = h;
    info[4 * id + 1] = start;
    info[4 * id + 2] = len;
    this.strings[id] = str;
    this.slots[slot] = id + 1;
    if (2 * this.count > this.mask) this.grow();
    return id;
  }

  private grow(): void {
    const mask = this.mask * 2 + 1;
    const slots = new Int32Array(mask + 1);
    for (let id = 0; id < this.count; id++) {
      let slot = this.info[4 * id]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
    this.mask = mask;
    const info = new Int32Array((mask + 1) * 2);
    info.set(this.info);
    this.info = info;
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
  ids: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.ids = new Int32Array(capacity);
  }

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

const NOT_FOUND = -1;
/** Up to this many dependencies of one node are deduplicated by a linear scan (the common case). */
const LINEAR_SEEN = 32;
/** In a folder: a link whose target is not in the file. */
const DANGLING = -2;

/**
 * What `<dir>/node_modules/<name>` holds, for directory ids and name ids: a node index or
 * {@link DANGLING}. Open addressing over integer arrays.
 */
class Folders {
  private dirs: Int32Array; // dir + 1; 0: empty
  private names: Int32Array;
  private nodes: Int32Array;
  private mask: number;
  private size = 0;

  /** `capacity`: a power of two (the table grows past half of it). */
  constructor(capacity: number) {
    this.dirs = new Int32Array(capacity);
    this.names = new Int32Array(capacity);
    this.nodes = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

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
  readonly folders: Folders;
  /** Per node (what an edge lands on: a package, or an importer through a link): its id or path. */
  readonly nodeKeys: string[];
  private nodeCount = 0;
  /** Per node: some package or importer depends on it (for the root heuristic). */
  private required: Uint8Array;
  /** `capacity`: a power of two, about the number of entries expected. */
  constructor(capacity: number) {
    this.folders = new Folders(capacity * 2);
    this.required = new Uint8Array(capacity);
    this.nodeKeys = new Array<string>(capacity); // set node by node (not grown by pushes)
  }

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

  /**
   * v1, while every name is plain ({@link isPlainName}): directories by (parent directory, name)
   * instead of by path, and a directory's parent is its parent in the tree. Both are what the
   * path would give then (a location string is one (parent, name) pair, and its parent directory
   * is the parent's location), without hashing the location strings.
   */
  private treeDirs: Folders | undefined;
  private readonly treeParent: number[] = [];

  /** v1: starts with directories found from the nesting (see {@link treeDirs}). */
  dirsByTree(): void {
    this.treeDirs = new Folders(64);
  }

  /** v1: the directory of location `path`, entry `name` of the `node_modules` of directory `parent`. */
  childDir(path: string, parent: number, name: number): number {
    const tree = this.treeDirs;
    if (tree === undefined) return this.dir(path);
    let id = tree.get(parent, name);
    if (id === NOT_FOUND) {
      id = this.dirPaths.length;
      this.dirPaths.push(path);
      this.treeParent[id] = parent;
      tree.set(parent, name, id);
    }
    return id;
  }

  /** v1: directories go by path from now on (those found from the nesting are indexed by theirs). */
  dirsByPath(): void {
    if (this.treeDirs === undefined) return;
    for (let id = 1; id < this.dirPaths.length; id++) this.dirIds.set(this.dirPaths[id]!, id);
    this.treeDirs = undefined;
    this.treeParent.length = 0;
  }

  /** A new node, for a package or importer whose id or path is `key`. */
  addNode(key: string): number {
    const n = this.nodeCount++;
    this.nodeKeys[n] = key;
    if (n === this.required.length) {
      const r = new Uint8Array(n * 2);
      r.set(this.required);
      this.required = r;
    }
    return n;
  }

  /** Does some package or importer depend on node `n`? */
  isRequired(n: number): boolean {
    return this.required[n] === 1;
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
    } else if (this.treeDirs !== undefined) {
      c = [dir, ...this.chain(this.treeParent[dir]!)];
    } else {
      c = [dir, ...this.chain(this.dir(parentDirectory(path)))];
    }
    this.chains[dir] = c;
    return c;
  }

  /**
   * Set when two nodes may have the same key (v1: a name that is not {@link isPlainName}, such as
   * one containing `node_modules`, or a linked directory). Edges are kept once per key: by node
   * when keys are unique, else by key.
   */
  keysMayRepeat = false;
  /** node → the first node with the same key (when keys may repeat), made on first use. */
  private keyClass: Int32Array | undefined;

  /** The ids found so far for the location being resolved, and their nodes' key classes. */
  private readonly found: string[] = [];
  private foundClass = new Int32Array(64);
  private nFound = 0;
  /** The key classes found, once there are {@link LINEAR_SEEN} of them (a linear scan before). */
  private foundSet: Set<number> | undefined;

  /**
   * Resolves the dependency names `pool.ids[from, to)` required from a location whose own
   * `node_modules` is directory `own` (NOT_FOUND: none) and that lies in directory `dir`, adding
   * them to what {@link take} returns. Drops unresolved ones, `self` (the node resolving, or -1)
   * and repeats; marks what it finds as required.
   */
  resolve(pool: Pool, from: number, to: number, self: number, own: number, dir: number): void {
    if (from >= to) return;
    const folders = this.folders;
    const chain = this.chain(dir);
    const ids = pool.ids;
    const keyClass = this.keysMayRepeat ? this.classes() : undefined;
    for (let i = from; i < to; i++) {
      const name = ids[i]!;
      let t = own !== NOT_FOUND ? folders.get(own, name) : NOT_FOUND;
      for (let k = 0; t === NOT_FOUND && k < chain.length; k++) t = folders.get(chain[k]!, name);
      if (t < 0 || t === self) continue; // not installed, or a dangling link
      const cls = keyClass === undefined ? t : keyClass[t]!;
      const n = this.nFound;
      const seen = this.foundClass;
      if (n < LINEAR_SEEN) {
        let k = 0;
        while (k < n && seen[k] !== cls) k++;
        if (k < n) continue;
      } else {
        // a node with thousands of dependencies (a hostile root): a set keeps this linear
        if (n === LINEAR_SEEN) this.foundSet = new Set(seen.subarray(0, n));
        if (this.foundSet!.has(cls)) continue;
        this.foundSet!.add(cls);
      }
      if (n === seen.length) {
        this.foundClass = new Int32Array(n * 2);
        this.foundClass.set(seen);
      }
      this.foundClass[n] = cls;
      this.found[n] = this.nodeKeys[t]!;
      this.nFound = n + 1;
      this.required[t] = 1;
    }
  }

  /** The ids {@link resolve} found since the last take (a new array). */
  take(): string[] {
    const n = this.nFound;
    if (n === 0) return [];
    this.nFound = 0;
    this.foundSet = undefined;
    return this.found.slice(0, n);
  }

  /** Key classes of the nodes (see {@link keyClass}). */
  private classes(): Int32Array {
    const keys = this.nodeKeys;
    const n = this.nodeCount;
    let c = this.keyClass;
    if (c === undefined || c.length !== n) {
      c = new Int32Array(n);
      const first = new Map<string, number>();
      for (let i = 0; i < n; i++) {
        const key = keys[i]!;
        const f = first.get(key);
        if (f === undefined) first.set(key, i);
        c[i] = f ?? i;
      }
      this.keyClass = c;
    }
    return c;
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

/**
 * A v1 name whose location `<parent>/node_modules/<name>` reads back unambiguously: no
 * `node_modules` in it, and {@link parentDirectory} of a location under it is its own location
 * (each `/`-separated part but the last is an `@scope`; the last is neither an `@scope` nor `..`).
 */
function isPlainName(name: string): boolean {
  if (name.includes('node_modules')) return false;
  let start = 0;
  for (;;) {
    const slash = name.indexOf('/', start);
    if (slash < 0) return name.charCodeAt(start) !== 64 && !(name.length - start === 2 && name.endsWith('..'));
    if (name.charCodeAt(start) !== 64) return false;
    start = slash + 1;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

const DEAD = 1;
const LINK = 2;

/** What building a link or an importer needs (an entry that is not a package). */
interface Other {
  line: number;
  /** v2/v3: the `name` member */
  name: string | undefined;
  /** v2/v3: the `resolved` member (a link's target) */
  resolved: string | undefined;
}

/**
 * The entries of one `packages` map or v1 tree as read, in file order, column by column (no
 * object per entry: a package is made as soon as its entry is read, and nothing else is kept).
 */
class Entries {
  length = 0;
  /** Location: the v2/v3 key, or the v1 location rebuilt from the nesting. */
  readonly keys: string[];
  /** The package the entry becomes, if it is one (not a link, an importer, a v1 linked directory). */
  readonly packages: (LockPackage | undefined)[];
  /** What a link or importer needs. */
  readonly others = new Map<number, Other>();
  /** Id of the directory whose `node_modules` holds it. */
  dir: Int32Array;
  /** Name id of the folder it is installed as; -1: not in a `node_modules` (an importer). */
  folder: Int32Array;
  /** v1: directory id of its own `node_modules` (when anything is installed there), else NOT_FOUND. */
  own: Int32Array;
  /** Its layout node (-1: none). */
  node: Int32Array;
  /** Dependency name lists as pool ranges [from, to): dependencies, optional, peer, dev (v1: `requires` is dependencies). */
  lists: Int32Array;
  /** DEAD (replaced by a later duplicate key, or inside such an entry in v1), LINK. */
  bits: Uint8Array;

  /** `capacity`: about the number of entries expected (the columns grow past it). */
  constructor(capacity: number) {
    // made at the expected size and set entry by entry (not grown by pushes)
    this.keys = new Array<string>(capacity);
    this.packages = new Array<LockPackage | undefined>(capacity);
    this.dir = new Int32Array(capacity);
    this.folder = new Int32Array(capacity);
    this.own = new Int32Array(capacity);
    this.node = new Int32Array(capacity);
    this.lists = new Int32Array(capacity * 8);
    this.bits = new Uint8Array(capacity);
  }

  /** Appends an entry at `key`; returns its index. */
  add(key: string): number {
    const i = this.length++;
    if (i === this.dir.length) this.grow();
    this.keys[i] = key;
    this.packages[i] = undefined;
    this.folder[i] = -1;
    this.own[i] = NOT_FOUND;
    this.node[i] = -1;
    // lists and bits past `length` are still zero (columns only grow, by copy)
    return i;
  }

  /** Does entry `i` have a non-empty list among `kinds` (list indices)? */
  hasLists(i: number, kinds: number): boolean {
    const l = this.lists;
    for (let k = 0; k < kinds; k++) if (l[i * 8 + 2 * k + 1]! > l[i * 8 + 2 * k]!) return true;
    return false;
  }

  private grow(): void {
    const n = this.dir.length * 2;
    const int = (a: Int32Array, size: number) => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.dir = int(this.dir, n);
    this.folder = int(this.folder, n);
    this.own = int(this.own, n);
    this.node = int(this.node, n);
    this.lists = int(this.lists, n * 8);
    const bits = new Uint8Array(n);
    bits.set(this.bits);
    this.bits = bits;
  }
}

// Dependency lists (their order in Entries.lists).
const L_DEPENDENCIES = 0;
const L_OPTIONAL = 1;
const L_PEER = 2;
const L_DEV = 3;

/** Reads a dependency object (`{` at `pos`) as list `kind` of entry `i`. */
function readList(s: JsonScanner, p: Parse, entries: Entries, i: number, kind: number): void {
  const pool = p.pool;
  const at = i * 8 + 2 * kind;
  entries.lists[at] = pool.length;
  readNames(s, p.names, pool);
  entries.lists[at + 1] = pool.length;
}

/** What one parse shares: the text's names and the dependency name lists. */
interface Parse {
  names: Names;
  pool: Pool;
  /** A power of two, about the number of entries the text may hold. */
  capacity: number;
}

function expectObject(s: JsonScanner, c: number, what: string): void {
  if (c !== CHAR.LBRACE) s.unexpected(c, `an object for ${what}`);
}

/** Like expectObject for an entry, without building the message unless it is needed. */
function expectEntryObject(s: JsonScanner, c: number, key: string): void {
  if (c !== CHAR.LBRACE) s.unexpected(c, `an object for "${key}"`);
}

function sourceOf(bundled: boolean, resolved: string | undefined, name: string, version: string): Source {
  if (bundled) return resolved !== undefined ? { type: 'bundled', url: resolved } : { type: 'bundled' };
  if (resolved !== undefined) return classifyResolved(resolved, name, version);
  if (isSemverVersion(version)) return { type: 'registry' };
  // v1 writes git, tarball and file specs as the version
  if (version !== '' && !version.startsWith('npm:')) {
    const s = classifyResolved(version, name, version);
    if (s.type !== 'file' || version.startsWith('file:')) return s;
  }
  return { type: 'unknown' };
}

/** A package (its `deps` are resolved once the whole section is read). */
function newPackage(
  id: string,
  line: number,
  folder: string,
  name: string,
  version: string,
  resolved: string | undefined,
  integrity: string | undefined,
  flags: PackageFlags,
): LockPackage {
  const source = sourceOf(flags.bundled, resolved, name, version);
  // Two literal shapes rather than adding `integrity` afterwards (keeps every property in-object).
  const p: LockPackage =
    integrity !== undefined
      ? { id, name, version, source, integrity, flags, line, deps: [] }
      : { id, name, version, source, flags, line, deps: [] };
  if (name !== folder) p.alias = folder;
  return p;
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


/** A section as read: its entries and where they are installed. */
interface Section {
  entries: Entries;
  layout: Layout;
  /** v1: location → the importer node of a `file:<directory>` entry (a linked directory) */
  linked: Map<string, number>;
}

function newSection(p: Parse): Section {
  return { entries: new Entries(p.capacity), layout: new Layout(p.capacity), linked: new Map() };
}

/**
 * Sets the directory and folder of entry `i` from its location `key`: the last `/node_modules/`
 * splits it, else a leading `node_modules/`. Without either the entry is not in a `node_modules`
 * (an importer) and its folder stays -1.
 */
function splitLocation(sec: Section, i: number, key: string, names: Names): void {
  const cut = key.lastIndexOf(SLASH_NM);
  if (cut >= 0) {
    sec.entries.dir[i] = sec.layout.dir(key.slice(0, cut));
    sec.entries.folder[i] = names.ofString(key.slice(cut + SLASH_NM.length));
  } else if (key.charCodeAt(0) === 110 && key.startsWith(NM)) {
    sec.entries.folder[i] = names.ofString(key.slice(NM.length));
  }
}

/** {@link splitLocation} for a key that is the unescaped string `src[start, end)` (read from the bytes). */
function splitPlainLocation(sec: Section, i: number, s: JsonScanner, names: Names, start: number, end: number): void {
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
    sec.entries.dir[i] = sec.layout.dir(s.src.slice(start, cut));
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
  sec.entries.folder[i] = all < 0x80 ? names.ofRange(from, end, h) : names.ofString(s.src.slice(from, end));
}

/** Reads a v2/v3 `packages` entry whose key is at `pos`. */
function readPackageEntry(s: JsonScanner, p: Parse, sec: Section): void {
  const line = s.line;
  const start = s.pos + 1;
  const end = s.scanString();
  const key = end < 0 ? s.decoded : s.src.slice(start, end);
  const entries = sec.entries;
  const i = entries.add(key);
  // the root entry ("", first) is the project, not a package
  checkPackageCount(s.file, i, s.line);
  if (end < 0) splitLocation(sec, i, key, p.names);
  else splitPlainLocation(sec, i, s, p.names, start, end);
  const c = s.colon();
  expectEntryObject(s, c, key);
  let name: string | undefined;
  let version: string | undefined;
  let resolved: string | undefined;
  let integrity: string | undefined;
  let link = false;
  const flags: PackageFlags = { dev: false, optional: false, devOptional: false, peer: false, hasInstallScript: false, bundled: false };
  if (s.openObject() !== CHAR.RBRACE) {
    do {
      const k = memberCode(s);
      const v = s.colon();
      switch (k) {
        case K_VERSION: version = s.expectString(v, 'version'); break;
        case K_RESOLVED: resolved = s.expectString(v, 'resolved'); break;
        case K_INTEGRITY: integrity = s.expectString(v, 'integrity'); break;
        case K_NAME: name = s.expectString(v, 'name'); break;
        case K_LINK: link = s.expectBoolean(v, 'link'); break;
        case K_DEV: flags.dev = s.expectBoolean(v, 'dev'); break;
        case K_OPTIONAL: flags.optional = s.expectBoolean(v, 'optional'); break;
        case K_DEV_OPTIONAL: flags.devOptional = s.expectBoolean(v, 'devOptional'); break;
        case K_PEER: flags.peer = s.expectBoolean(v, 'peer'); break;
        case K_IN_BUNDLE: flags.bundled = s.expectBoolean(v, 'inBundle'); break;
        case K_HAS_INSTALL_SCRIPT: flags.hasInstallScript = s.expectBoolean(v, 'hasInstallScript'); break;
        case K_DEPENDENCIES:
          expectObject(s, v, 'dependencies');
          readList(s, p, entries, i, L_DEPENDENCIES);
          break;
        case K_OPTIONAL_DEPENDENCIES:
          expectObject(s, v, 'optionalDependencies');
          readList(s, p, entries, i, L_OPTIONAL);
          break;
        case K_PEER_DEPENDENCIES:
          expectObject(s, v, 'peerDependencies');
          readList(s, p, entries, i, L_PEER);
          break;
        case K_DEV_DEPENDENCIES:
          expectObject(s, v, 'devDependencies');
          readList(s, p, entries, i, L_DEV);
          break;
        default: s.skipValue(v);
      }
    } while (s.nextMember());
  }
  const folderId = entries.folder[i]!;
  if (folderId < 0 || link) {
    if (link) entries.bits[i] = LINK;
    entries.others.set(i, { line, name, resolved });
    return;
  }
  const folder = p.names.string(folderId);
  const real = name !== undefined && name !== '' ? name : folder;
  entries.packages[i] = newPackage(key, line, folder, real, version ?? '', resolved, integrity, flags);
}

/** Reads the v2/v3 `packages` object, in file order (duplicate keys are resolved when building). */
function readPackages(s: JsonScanner, c: number, p: Parse): Section {
  expectObject(s, c, '"packages"');
  const sec = newSection(p);
  if (s.openObject() === CHAR.RBRACE) return sec;
  do readPackageEntry(s, p, sec);
  while (s.nextMember());
  return sec;
}

/** A `file:<directory>` version: npm links it (a workspace or local package), it is not a package. */
function isLinkedDirectory(version: string | undefined, resolved: string | undefined): boolean {
  return version !== undefined && version.charCodeAt(0) === 102 && version.startsWith('file:') && resolved === undefined && isDirectorySpec(version);
}

/**
 * Reads a v1 `dependencies` object (the children of `parent`, '' for the top level, whose
 * `node_modules` is directory `dir`) into `sec`.
 */
function readV1Dependencies(s: JsonScanner, c: number, parent: string, dir: number, sec: Section, p: Parse): void {
  expectObject(s, c, '"dependencies"');
  const { entries, layout } = sec;
  const folders = layout.folders;
  if (s.openObject() === CHAR.RBRACE) return;
  const names = p.names;
  do {
    const line = s.line;
    const nameId = readName(s, names);
    const name = names.string(nameId);
    const v = s.colon();
    expectEntryObject(s, v, name);
    if (!names.isPlain(nameId)) {
      // Such a name can make two locations one string, or a location whose parent directory is
      // not its parent in the tree: keys may repeat, directories go by path from now on.
      layout.keysMayRepeat = true;
      layout.dirsByPath();
    }
    const id = parent === '' ? NM + name : parent + SLASH_NM + name;
    if (folders.get(dir, nameId) !== NOT_FOUND) {
      // Duplicate key: the last one wins, like JSON.parse, so the earlier subtree goes too.
      const prefix = id + SLASH_NM;
      const keys = entries.keys;
      for (let j = 0; j < entries.length; j++) if (keys[j] === id || keys[j]!.startsWith(prefix)) entries.bits[j]! |= DEAD;
    }
    const i = entries.add(id);
    checkPackageCount(s.file, i + 1, line);
    entries.dir[i] = dir;
    entries.folder[i] = nameId;
    let version: string | undefined;
    let resolved: string | undefined;
    let integrity: string | undefined;
    const flags: PackageFlags = { dev: false, optional: false, devOptional: false, peer: false, hasInstallScript: false, bundled: false };
    if (s.openObject() !== CHAR.RBRACE) {
      do {
        const k = memberCode(s);
        const w = s.colon();
        switch (k) {
          case K_VERSION: version = s.expectString(w, 'version'); break;
          case K_RESOLVED: resolved = readV1Resolved(s, w); break;
          case K_INTEGRITY: integrity = s.expectString(w, 'integrity'); break;
          case K_DEV: flags.dev = s.expectBoolean(w, 'dev'); break;
          case K_OPTIONAL: flags.optional = s.expectBoolean(w, 'optional'); break;
          case K_BUNDLED: flags.bundled = s.expectBoolean(w, 'bundled'); break;
          case K_REQUIRES:
            // An object in entries; very old files may have a boolean.
            if (w === CHAR.LBRACE) readList(s, p, entries, i, L_DEPENDENCIES);
            else s.skipValue(w);
            break;
          case K_DEPENDENCIES: {
            const own = layout.childDir(id, dir, nameId);
            readV1Dependencies(s, w, id, own, sec, p);
            entries.own[i] = own; // after: reading may have grown the columns
            break;
          }
          default: s.skipValue(w);
        }
      } while (s.nextMember());
    }
    let node: number;
    if (isLinkedDirectory(version, resolved)) {
      node = layout.addNode(normaliseRelative(version!.slice('file:'.length)));
      entries.bits[i]! |= LINK;
      entries.others.set(i, { line, name: undefined, resolved: undefined });
      sec.linked.set(id, node);
      layout.keysMayRepeat = true;
    } else {
      let real = name;
      let v = version ?? '';
      const aliased = splitAlias(v);
      if (aliased) {
        real = aliased.name;
        v = aliased.version;
      }
      entries.packages[i] = newPackage(id, line, name, real, v, resolved, integrity, flags);
      node = layout.addNode(id);
      entries.node[i] = node;
    }
    folders.set(dir, nameId, node);
  } while (s.nextMember());
}

/**
 * A v1 entry's `resolved`: a string, or `false`, which npm 6 wrote for some bundled copies and
 * means "no resolved URL". Anything else is refused.
 */
function readV1Resolved(s: JsonScanner, c: number): string | undefined {
  if (c === CHAR.LOWER_F) {
    s.expectBoolean(c, 'resolved');
    return undefined;
  }
  return s.expectString(c, 'resolved');
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

// ---------------------------------------------------------------------------------------------
// Model building

/** Resolves the first `kinds` dependency lists of entry `i` (a location in directory `dir`) into a new array. */
function resolveLists(sec: Section, p: Parse, i: number, kinds: readonly number[], self: number, own: number, dir: number): string[] {
  const { entries, layout } = sec;
  const l = entries.lists;
  for (const k of kinds) layout.resolve(p.pool, l[i * 8 + 2 * k]!, l[i * 8 + 2 * k + 1]!, self, own, dir);
  return layout.take();
}

const PACKAGE_LISTS = [L_DEPENDENCIES, L_OPTIONAL, L_PEER];
const IMPORTER_LISTS = [L_DEPENDENCIES, L_DEV, L_OPTIONAL, L_PEER];

/** An importer's dependencies (dependencies, devDependencies, optionalDependencies, peerDependencies) from `location` in directory `dir`. */
function importerDeps(sec: Section, p: Parse, i: number, self: number, location: string, dir: number): string[] {
  if (!sec.entries.hasLists(i, 4)) return [];
  const own = location === '' ? NOT_FOUND : sec.layout.findDir(location);
  return resolveLists(sec, p, i, IMPORTER_LISTS, self, own, dir);
}

/** v2/v3: the `packages` map. A duplicate key replaces the earlier entry (last wins, like JSON.parse). */
function buildModern(file: string, version: number, topName: string | undefined, sec: Section, p: Parse): Lockfile {
  const { entries, layout } = sec;
  const { keys, dir, folder, node, bits } = entries;
  const folders = layout.folders;
  const n = entries.length;
  const importerEntries = new Map<string, number>(); // keys outside node_modules, '' included
  const links = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    if (folder[i]! < 0) {
      importerEntries.delete(key); // last wins, in its own place
      importerEntries.set(key, i);
      continue;
    }
    if (folders.get(dir[i]!, folder[i]!) !== NOT_FOUND) {
      for (let j = 0; j < i; j++) if (folder[j]! >= 0 && keys[j] === key) bits[j]! |= DEAD;
      links.delete(key);
    }
    if (bits[i]! & LINK) {
      links.set(key, i);
    } else {
      node[i] = layout.addNode(key);
      folders.set(dir[i]!, folder[i]!, node[i]!);
    }
  }
  const rootEntry = importerEntries.get('');
  importerEntries.delete('');

  const linkNames = new Map<string, string>();
  for (const i of links.values()) {
    let t = entries.others.get(i)!.resolved ?? '';
    // A link to a link (unusual): follow a few hops.
    for (let hops = 0; hops < 8; hops++) {
      const next = links.get(t);
      if (next === undefined) break;
      t = entries.others.get(next)!.resolved ?? '';
    }
    let target = DANGLING;
    const imp = importerEntries.get(t);
    if (imp !== undefined) {
      if (node[imp]! < 0) node[imp] = layout.addNode(t);
      target = node[imp]!;
      // A workspace without a `name` member is named by the folder its link installs it as.
      if (!linkNames.has(t)) linkNames.set(t, p.names.string(folder[i]!));
    } else if (t !== '' && !links.has(t)) {
      // the package installed there, if any
      const cut = t.lastIndexOf(SLASH_NM);
      const at = cut >= 0 ? cut + SLASH_NM.length : t.charCodeAt(0) === 110 && t.startsWith(NM) ? NM.length : -1;
      if (at >= 0) {
        const d = cut >= 0 ? layout.findDir(t.slice(0, cut)) : 0;
        const found = d === NOT_FOUND ? NOT_FOUND : folders.get(d, p.names.ofString(t.slice(at)));
        if (found !== NOT_FOUND) target = found;
      }
    }
    folders.set(dir[i]!, folder[i]!, target);
  }

  const packages: LockPackage[] = [];
  for (let i = 0; i < n; i++) {
    const pkg = entries.packages[i];
    if (pkg === undefined || bits[i]! & DEAD) continue;
    if (entries.hasLists(i, 3)) pkg.deps = resolveLists(sec, p, i, PACKAGE_LISTS, node[i]!, layout.findDir(pkg.id), dir[i]!);
    packages.push(pkg);
  }

  const rootOther = rootEntry === undefined ? undefined : entries.others.get(rootEntry)!;
  const root: Importer = { path: '', line: rootOther?.line ?? 1, deps: [] };
  const rootName = rootOther?.name ?? topName;
  if (rootName !== undefined) root.name = rootName;
  if (rootEntry !== undefined) {
    root.deps = importerDeps(sec, p, rootEntry, -1, '', 0);
  } else {
    // No root entry: the v1 heuristic (top-level packages no package depends on).
    for (let i = 0; i < n; i++) {
      if (folder[i]! >= 0 && !(bits[i]! & (LINK | DEAD)) && dir[i] === 0 && !layout.isRequired(node[i]!)) root.deps.push(keys[i]!);
    }
  }
  const importers: Importer[] = [root];
  for (const [path, i] of importerEntries) {
    const other = entries.others.get(i)!;
    const imp: Importer = {
      path,
      line: other.line,
      deps: importerDeps(sec, p, i, node[i]!, path, layout.dir(parentDirectory(path))),
    };
    const name = other.name ?? linkNames.get(path);
    if (name !== undefined) imp.name = name;
    importers.push(imp);
  }
  return { ecosystem: 'npm', format: `npm-v${version}`, file, importers, packages };
}

/** Splits a v1 `npm:real@1.2.3` alias version. */
function splitAlias(version: string): { name: string; version: string } | undefined {
  if (version.charCodeAt(0) !== 110 || !version.startsWith('npm:')) return undefined;
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
function buildV1(file: string, version: number, topName: string | undefined, sec: Section, p: Parse): Lockfile {
  const { entries, layout, linked } = sec;
  const { keys, dir, own, node, bits } = entries;
  const n = entries.length;
  const packages: LockPackage[] = [];
  const importers: Importer[] = [];
  const DEPS = [L_DEPENDENCIES];
  for (let i = 0; i < n; i++) {
    if (bits[i]! & DEAD) continue;
    if (bits[i]! & LINK) {
      const target = linked.get(keys[i]!)!;
      const deps = resolveLists(sec, p, i, DEPS, target, own[i]!, dir[i]!);
      importers.push({ path: layout.nodeKeys[target]!, name: p.names.string(entries.folder[i]!), line: entries.others.get(i)!.line, deps });
      continue;
    }
    const pkg = entries.packages[i]!;
    if (entries.hasLists(i, 1)) pkg.deps = resolveLists(sec, p, i, DEPS, node[i]!, own[i]!, dir[i]!);
    packages.push(pkg);
  }
  const rootDeps: string[] = [];
  for (let i = 0; i < n; i++) {
    if (bits[i]! & DEAD || dir[i] !== 0) continue;
    const target = bits[i]! & LINK ? linked.get(keys[i]!)! : node[i]!;
    if (!layout.isRequired(target)) rootDeps.push(layout.nodeKeys[target]!);
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
