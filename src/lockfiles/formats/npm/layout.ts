/** npm lockfiles: what each `node_modules` folder holds, and node's lookup from a location up to the top level. */
import type { Pool } from './names.js';

export const NM = 'node_modules/';
export const SLASH_NM = '/node_modules/';

export const NOT_FOUND = -1;
/** Up to this many dependencies of one node are deduplicated by a linear scan (the common case). */
const LINEAR_SEEN = 32;
/** In a folder: a link whose target is not in the file. */
export const DANGLING = -2;

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
export class Layout {
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
export function parentDirectory(dir: string): string {
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
export function isPlainName(name: string): boolean {
  if (name.includes('node_modules')) return false;
  let start = 0;
  for (;;) {
    const slash = name.indexOf('/', start);
    if (slash < 0) return name.charCodeAt(start) !== 64 && !(name.length - start === 2 && name.endsWith('..'));
    if (name.charCodeAt(start) !== 64) return false;
    start = slash + 1;
  }
}
