/**
 * Two parsed lockfiles → the list of package changes, by the corpus oracle's rule: per name, versions
 * only in base and only in head are paired in semver order (upgraded/downgraded, leftovers added or
 * removed), and a version whose set of sources differs is `source-changed`. Pairing, the `via` search
 * and the speed notes are in docs/FORMATS.md ("The diff"). Pure: the inputs are not modified.
 */
import type { Change, ChangeKind, LockPackage, Lockfile } from '../model/index.js';
import { compareSemver, versionComparator, type VersionComparator } from '../versions/index.js';

/** Semver order (build metadata breaks ties); versions that are not semver sort after, by text. */
export const compareVersions: VersionComparator = compareSemver;

// The order of the lockfile being diffed (semver for npm, PEP 440 for Python): set by diffLockfiles.
let cmpVersions: VersionComparator = compareSemver;

/**
 * Sorts a short array in place (insertion sort: stable, like Array.prototype.sort, whose set-up
 * costs more than the sorting of the few versions of one name); long ones go to the built-in sort.
 */
function sortSmall<T>(a: T[], cmp: (x: T, y: T) => number): void {
  const n = a.length;
  if (n > 16) {
    a.sort(cmp);
    return;
  }
  for (let i = 1; i < n; i++) {
    const x = a[i]!;
    let j = i - 1;
    while (j >= 0 && cmp(a[j]!, x) > 0) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = x;
  }
}

const NONE = -1;

/** Who depends on what, for `direct`, `directOf` and `via`. */
class Graph {
  /**
   * index → the index `deps` and the graph know it by: the last package with the same id (ids are
   * unique in a parsed lockfile; a hand-made one may repeat them).
   */
  private readonly canon: Int32Array | null;
  /** index → the index it was first reached from; -1: a direct dependency; -2: not reached */
  private readonly parent: Int32Array;
  /** index → BFS visit order (smaller = no farther from an importer) */
  private readonly order: Int32Array;
  /** index → importer paths depending on it directly (in importer order) */
  private readonly directOf: (string[] | undefined)[];

  constructor(
    private readonly packages: readonly LockPackage[],
    lock: Lockfile,
  ) {
    const pkgs = packages;
    const n = pkgs.length;
    const index = new Map<string, number>();
    for (let i = 0; i < n; i++) index.set(pkgs[i]!.id, i);
    let canon: Int32Array | null = null;
    if (index.size !== n) {
      canon = new Int32Array(n);
      for (let i = 0; i < n; i++) canon[i] = index.get(pkgs[i]!.id)!;
    }
    this.canon = canon;
    const parent = new Int32Array(n).fill(-2);
    const order = new Int32Array(n);
    const queue = new Int32Array(n);
    const directOf: (string[] | undefined)[] = new Array<string[] | undefined>(n);
    let tail = 0;
    for (const imp of lock.importers) {
      const deps = imp.deps;
      for (let k = 0; k < deps.length; k++) {
        const i = index.get(deps[k]!);
        if (i === undefined) continue; // a workspace (through a link): an importer itself
        const list = directOf[i];
        if (list === undefined) directOf[i] = [imp.path];
        else if (!list.includes(imp.path)) list.push(imp.path);
        if (parent[i] === -2) {
          parent[i] = -1;
          order[i] = tail;
          queue[tail++] = i;
        }
      }
    }
    for (let head = 0; head < tail; head++) {
      const from = queue[head]!;
      const deps = pkgs[from]!.deps;
      for (let k = 0; k < deps.length; k++) {
        const i = index.get(deps[k]!);
        if (i === undefined || parent[i] !== -2) continue;
        parent[i] = from;
        order[i] = tail;
        queue[tail++] = i;
      }
    }
    this.parent = parent;
    this.order = order;
    this.directOf = directOf;
  }

  /** Importer paths depending directly on any of the copies, sorted ('' first). */
  importersOf(copies: Int32Array, from: number, count: number): string[] {
    const canon = this.canon;
    let out: string[] | undefined;
    for (let k = from; k < from + count; k++) {
      const i = canon === null ? copies[k]! : canon[copies[k]!]!;
      const list = this.directOf[i];
      if (list === undefined) continue;
      if (out === undefined) out = list.slice();
      else for (const path of list) if (!out.includes(path)) out.push(path);
    }
    if (out === undefined) return [];
    if (out.length > 1) out.sort();
    return out;
  }

  /** Names on one shortest path from a direct dependency down to the nearest copy (excluded). */
  via(copies: Int32Array, from: number, count: number): string[] {
    const canon = this.canon;
    const parent = this.parent;
    const order = this.order;
    let best = -1;
    let bestOrder = Infinity;
    for (let k = from; k < from + count; k++) {
      const i = canon === null ? copies[k]! : canon[copies[k]!]!;
      if (parent[i] === -2) continue;
      if (order[i]! < bestOrder) {
        best = i;
        bestOrder = order[i]!;
      }
    }
    if (best < 0) return []; // unreachable from any importer (extraneous)
    let p = parent[best]!;
    if (p < 0) return [];
    let len = 0;
    for (let q = p; q >= 0; q = parent[q]!) len++;
    const path = new Array<string>(len);
    for (; p >= 0; p = parent[p]!) path[--len] = this.packages[p]!.name;
    return path;
  }
}

/** The package names of both sides: name → a small integer (shared by both sides). */
class Names {
  readonly ids = new Map<string, number>();
  readonly names: string[] = [];

  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }
}

/** One lockfile: its packages by name (as index chains, in file order), and its graph once needed. */
class Side {
  readonly packages: readonly LockPackage[];
  /** name id → index of its first package, or NONE (local directories, `link` sources, are not packages) */
  first: Int32Array;
  /** index → index of the next package of the same name, or NONE */
  readonly next: Int32Array;
  private graph: Graph | undefined;

  constructor(
    readonly lock: Lockfile | null,
    names: Names,
  ) {
    const pkgs = lock === null ? [] : lock.packages;
    this.packages = pkgs;
    const n = pkgs.length;
    const next = new Int32Array(n).fill(NONE);
    let first = new Int32Array(Math.max(16, names.names.length + n)).fill(NONE);
    // last[i]: for the first index i of a name, the last index of that name so far
    const last = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const p = pkgs[i]!;
      if (p.source.type === 'link' || p.source.type === 'editable') continue; // local directories: the project's own code
      const id = names.id(p.name);
      if (id >= first.length) {
        const grown = new Int32Array(first.length * 2).fill(NONE);
        grown.set(first);
        first = grown;
      }
      const f = first[id]!;
      if (f === NONE) {
        first[id] = i;
        last[i] = i;
      } else {
        next[last[f]!] = i;
        last[f] = i;
      }
    }
    this.first = first;
    this.next = next;
  }

  /** Index of the first package named by name `id`, or NONE. */
  firstOf(id: number): number {
    return id < this.first.length ? this.first[id]! : NONE;
  }

  g(): Graph {
    // Only called for a side that has the package, so `lock` is set.
    this.graph ??= new Graph(this.packages, this.lock!);
    return this.graph;
  }
}

/** Same versions and sources, copy by copy (the common case: nothing changed for this name). */
function sameCopies(bs: Side, b: number, hs: Side, h: number): boolean {
  const bp = bs.packages;
  const hp = hs.packages;
  const bn = bs.next;
  const hn = hs.next;
  for (;;) {
    const x = bp[b]!;
    const y = hp[h]!;
    if (x.version !== y.version || x.source.url !== y.source.url || x.integrity !== y.integrity || x.flags.bundled !== y.flags.bundled) {
      return false;
    }
    b = bn[b]!;
    h = hn[h]!;
    if (b === NONE || h === NONE) return b === h;
  }
}

/**
 * The copies of one name on one side, grouped by version: `versions[k]` (k < `count`, in order of
 * first appearance) has the copies `copies[start[k], start[k + 1])` (indices into the side's
 * packages, in file order). One instance per side, refilled name after name (no allocation).
 */
class Versions {
  versions: string[] = [];
  count = 0;
  copies = new Int32Array(16);
  start = new Int32Array(17);
  /** per copy in chain order: its version's k */
  private slot = new Int32Array(16);
  /** version → k, for names with many versions */
  private readonly byV = new Map<string, number>();
  private mapped = false;

  fill(side: Side, f: number): void {
    const pkgs = side.packages;
    const next = side.next;
    const versions = this.versions;
    if (next[f] === NONE) {
      versions[0] = pkgs[f]!.version;
      this.count = 1;
      this.mapped = false;
      this.copies[0] = f;
      this.start[0] = 0;
      this.start[1] = 1;
      return;
    }
    let n = 0;
    for (let i = f; i !== NONE; i = next[i]!) n++;
    if (n > this.copies.length) {
      this.copies = new Int32Array(n);
      this.slot = new Int32Array(n);
      this.start = new Int32Array(n + 1);
    }
    const slot = this.slot;
    const byV = this.byV;
    let count = 0;
    let mapped = false;
    let j = 0;
    for (let i = f; i !== NONE; i = next[i]!) {
      const v = pkgs[i]!.version;
      let k = -1;
      if (mapped) k = byV.get(v) ?? -1;
      else {
        for (let x = 0; x < count; x++) {
          if (versions[x] === v) {
            k = x;
            break;
          }
        }
      }
      if (k < 0) {
        k = count++;
        versions[k] = v;
        if (mapped) byV.set(v, k);
        else if (count > 16) {
          mapped = true;
          byV.clear();
          for (let x = 0; x < count; x++) byV.set(versions[x]!, x);
        }
      }
      slot[j++] = k;
    }
    this.count = count;
    this.mapped = mapped;
    // Counting sort of the copies by version (stable: file order within a version).
    const start = this.start;
    start.fill(0, 0, count + 1);
    for (let x = 0; x < n; x++) start[slot[x]! + 1]!++;
    for (let k = 0; k < count; k++) start[k + 1]! += start[k]!;
    // slot[x] becomes the copy's place (start is restored as the places are taken)
    for (let x = 0; x < n; x++) slot[x] = start[slot[x]!]!++;
    for (let k = count; k > 0; k--) start[k] = start[k - 1]!;
    start[0] = 0;
    const copies = this.copies;
    j = 0;
    for (let i = f; i !== NONE; i = next[i]!) copies[slot[j++]!] = i;
  }

  /** k of version `v`, or -1. */
  indexOf(v: string): number {
    if (this.mapped) return this.byV.get(v) ?? -1;
    const versions = this.versions;
    for (let k = 0; k < this.count; k++) if (versions[k] === v) return k;
    return -1;
  }
}

/** Version indices sorted in version order of their versions (a few: insertion sort). */
function sortByVersion(ks: number[], vs: Versions): void {
  const versions = vs.versions;
  const n = ks.length;
  if (n > 16) {
    ks.sort((x, y) => cmpVersions(versions[x]!, versions[y]!));
    return;
  }
  for (let i = 1; i < n; i++) {
    const x = ks[i]!;
    let j = i - 1;
    while (j >= 0 && cmpVersions(versions[ks[j]!]!, versions[x]!) > 0) {
      ks[j + 1] = ks[j]!;
      j--;
    }
    ks[j + 1] = x;
  }
}

/** The source set of some copies (bundled and source-less copies left out). */
function sourceSet(pkgs: readonly LockPackage[], vs: Versions, k: number): Set<string> {
  const out = new Set<string>();
  for (let j = vs.start[k]!; j < vs.start[k + 1]!; j++) {
    const p = pkgs[vs.copies[j]!]!;
    if (p.flags.bundled || p.source.type === 'bundled') continue;
    const url = p.source.url;
    if (url === undefined && p.integrity === undefined) continue;
    // A git source's fragment is its commit, a yarn `patch:` locator's its patch and hash (the
    // content itself in both): a moved commit or another patch at the same version is a change.
    const hash = url === undefined || p.source.type === 'git' || url.includes('@patch:') ? -1 : url.indexOf('#');
    const bare = url === undefined ? '' : hash >= 0 ? url.slice(0, hash) : url;
    out.add(`${bare}\u0000${p.integrity ?? ''}`);
  }
  return out;
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** How many `node_modules/` the id has (occurrences never overlap: the search resumes after each). */
function installDepth(id: string): number {
  let n = 0;
  for (let i = id.indexOf('node_modules/'); i >= 0; i = id.indexOf('node_modules/', i + 13)) n++;
  return n;
}

/** The shallowest of `count` copies from `copies[from]` (then the first in the file). */
function representative(pkgs: readonly LockPackage[], copies: Int32Array, from: number, count: number): LockPackage {
  let best = pkgs[copies[from]!]!;
  if (count === 1) return best;
  let bestDepth = installDepth(best.id);
  for (let k = from + 1; k < from + count; k++) {
    const c = pkgs[copies[k]!]!;
    const d = installDepth(c.id);
    if (d < bestDepth || (d === bestDepth && c.line < best.line)) {
      best = c;
      bestDepth = d;
    }
  }
  return best;
}

/** What every change of one diff shares. */
interface Context {
  base: Side;
  head: Side;
  ecosystem: Change['ecosystem'];
  lockfile: string;
}

/** A one-copy list for {@link makeChange} (read during the call only). */
const ONE = new Int32Array(1);

/**
 * One change. Its graph facts and line come from `count` copies from `copies[from]` on head, or
 * on base for a removal (`onHead` false). `base` is the base copy of a change with both sides.
 */
function makeChange(
  ctx: Context,
  name: string,
  kind: ChangeKind,
  from: string | null,
  to: string | null,
  onHead: boolean,
  copies: Int32Array,
  off: number,
  count: number,
  base: LockPackage | undefined,
  nameInBase: boolean,
): Change {
  const side = onHead ? ctx.head : ctx.base;
  const graph = side.g();
  const directOf = graph.importersOf(copies, off, count);
  const rep = representative(side.packages, copies, off, count);
  const line = rep.line;
  const direct = directOf.length > 0;
  const via = direct ? [] : graph.via(copies, off, count);
  const ecosystem = ctx.ecosystem;
  // A requirements file's package from a `-r` include is annotated in the included file.
  const lockfile = rep.file ?? ctx.lockfile;
  // One literal per shape (no property added afterwards): cheaper for thousands of changes.
  if (!onHead) return { ecosystem, name, from, to, kind, lockfile, line, direct, directOf, via, base: rep, nameInBase };
  if (base === undefined) return { ecosystem, name, from, to, kind, lockfile, line, direct, directOf, via, head: rep, nameInBase };
  return { ecosystem, name, from, to, kind, lockfile, line, direct, directOf, via, base, head: rep, nameInBase };
}

/** A change of version `k` of `vs` (on head, or on base for a removal). */
function changeOf(
  ctx: Context,
  name: string,
  kind: ChangeKind,
  from: string | null,
  to: string | null,
  onHead: boolean,
  vs: Versions,
  k: number,
  base: LockPackage | undefined,
  nameInBase: boolean,
): Change {
  const s = vs.start[k]!;
  return makeChange(ctx, name, kind, from, to, onHead, vs.copies, s, vs.start[k + 1]! - s, base, nameInBase);
}

/** The base representative of version `k` of `vs`. */
function baseRep(ctx: Context, vs: Versions, k: number): LockPackage {
  const s = vs.start[k]!;
  return representative(ctx.base.packages, vs.copies, s, vs.start[k + 1]! - s);
}

/** The changes of one name (sorted), appended to `out`. */
function diffName(ctx: Context, name: string, bf: number | undefined, hf: number | undefined, out: Change[]): void {
  const nameInBase = bf !== undefined;
  // A new name with one copy (every package of a new lockfile, most new packages): one change.
  if (bf === undefined && ctx.head.next[hf!] === NONE) {
    ONE[0] = hf!;
    out.push(makeChange(ctx, name, 'added', null, ctx.head.packages[hf!]!.version, true, ONE, 0, 1, undefined, false));
    return;
  }
  let bv: Versions | undefined;
  let hv: Versions | undefined;
  if (bf !== undefined) {
    bv = BASE_VERSIONS;
    bv.fill(ctx.base, bf);
  }
  if (hf !== undefined) {
    hv = HEAD_VERSIONS;
    hv.fill(ctx.head, hf);
  }
  const removed = REMOVED; // k in bv
  const added = ADDED; // k in hv
  const group = GROUP;
  removed.length = 0;
  added.length = 0;
  group.length = 0;
  if (bv !== undefined) {
    for (let k = 0; k < bv.count; k++) if (hv === undefined || hv.indexOf(bv.versions[k]!) < 0) removed.push(k);
  }
  if (hv !== undefined) {
    for (let k = 0; k < hv.count; k++) {
      const v = hv.versions[k]!;
      const bk = bv === undefined ? -1 : bv.indexOf(v);
      if (bk < 0) {
        added.push(k);
        continue;
      }
      // Same version on both sides: compare the sets of sources.
      const bs = sourceSet(ctx.base.packages, bv!, bk);
      const hs = sourceSet(ctx.head.packages, hv, k);
      if (bs.size > 0 && hs.size > 0 && !sameSet(bs, hs)) {
        group.push(changeOf(ctx, name, 'source-changed', v, v, true, hv, k, baseRep(ctx, bv!, bk), nameInBase));
      }
    }
  }
  if (removed.length > 1) sortByVersion(removed, bv!);
  if (added.length > 1) sortByVersion(added, hv!);
  const pairs = Math.min(removed.length, added.length);
  for (let i = 0; i < pairs; i++) {
    const bk = removed[i]!;
    const hk = added[i]!;
    const from = bv!.versions[bk]!;
    const to = hv!.versions[hk]!;
    const kind = cmpVersions(to, from) > 0 ? 'upgraded' : 'downgraded';
    group.push(changeOf(ctx, name, kind, from, to, true, hv!, hk, baseRep(ctx, bv!, bk), nameInBase));
  }
  for (let i = pairs; i < added.length; i++) {
    const hk = added[i]!;
    group.push(changeOf(ctx, name, 'added', null, hv!.versions[hk]!, true, hv!, hk, undefined, nameInBase));
  }
  for (let i = pairs; i < removed.length; i++) {
    const bk = removed[i]!;
    group.push(changeOf(ctx, name, 'removed', bv!.versions[bk]!, null, false, bv!, bk, undefined, nameInBase));
  }
  if (group.length > 1) sortSmall(group, compareChanges);
  for (let i = 0; i < group.length; i++) out.push(group[i]!);
  group.length = 0;
}

// Scratch of diffName, reused name after name (diffLockfiles runs to completion, never reentered).
const BASE_VERSIONS = new Versions();
const HEAD_VERSIONS = new Versions();
const REMOVED: number[] = [];
const ADDED: number[] = [];
const GROUP: Change[] = [];

/**
 * Diffs two lockfiles of the same project. `base` is null when the file is added by the change.
 * Changes are sorted by name, then version.
 */
export function diffLockfiles(base: Lockfile | null, head: Lockfile): Change[] {
  const all = new Names();
  cmpVersions = versionComparator(head.ecosystem);
  const ctx: Context = { base: new Side(base, all), head: new Side(head, all), ecosystem: head.ecosystem, lockfile: head.file };
  // The names whose copies differ (most names of a real change are untouched).
  const ids: number[] = [];
  for (let id = 0; id < all.names.length; id++) {
    const bf = ctx.base.firstOf(id);
    const hf = ctx.head.firstOf(id);
    if (bf === NONE || hf === NONE || !sameCopies(ctx.base, bf, ctx.head, hf)) ids.push(id);
  }
  const names = ids.map((id) => all.names[id]!);
  names.sort();
  const changes: Change[] = [];
  for (const name of names) {
    const id = all.ids.get(name)!;
    const bf = ctx.base.firstOf(id);
    const hf = ctx.head.firstOf(id);
    diffName(ctx, name, bf === NONE ? undefined : bf, hf === NONE ? undefined : hf, changes);
  }
  return changes;
}

const KIND_ORDER: Record<ChangeKind, number> = { upgraded: 0, downgraded: 1, 'source-changed': 2, added: 3, removed: 4 };

function compareChanges(a: Change, b: Change): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  const va = a.to ?? a.from ?? '';
  const vb = b.to ?? b.from ?? '';
  const c = cmpVersions(va, vb);
  if (c !== 0) return c;
  const k = KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  if (k !== 0) return k;
  return cmpVersions(a.from ?? '', b.from ?? '');
}
