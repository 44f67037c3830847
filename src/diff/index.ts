/**
 * Two parsed lockfiles → the list of package changes.
 *
 * The rule (the corpus oracle's):
 * - Each lockfile is reduced, per real package name, to its set of installed versions. Root,
 *   workspace, link and local-directory entries are not packages (importers, or `link` sources).
 * - removed = versions in base and not in head; added = in head and not in base. Both lists are
 *   sorted by semver and paired index by index: each pair is `upgraded` or `downgraded`;
 *   leftovers are `added` (`from: null`) or `removed` (`to: null`).
 * - A (name, version) on both sides whose set of sources differs is `source-changed`. A source is
 *   `resolved` without its `#fragment`, plus `integrity`; bundled copies and copies with neither
 *   are left out (and nothing is reported when one side has no comparable copy left).
 *
 * Each change is filled for the signals and the report: line of the (shallowest) entry, the
 * importers depending on it directly, and one shortest path (`via`) from a direct dependency,
 * found by a breadth-first search over `deps` from the importers (head graph; base for removals).
 * Pure: the inputs are not modified.
 */
import semver from 'semver';
import type { Change, ChangeKind, LockPackage, Lockfile } from '../model.js';

/** Copies of one version of a package, in file order. */
type Copies = LockPackage[];

/** name → every copy of that name (any version), in file order. Local directories are not packages. */
function indexByName(lock: Lockfile | null): Map<string, LockPackage[]> {
  const idx = new Map<string, LockPackage[]>();
  if (lock === null) return idx;
  for (const p of lock.packages) {
    if (p.source.type === 'link') continue;
    const list = idx.get(p.name);
    if (list === undefined) idx.set(p.name, [p]);
    else list.push(p);
  }
  return idx;
}

/** version → copies, for one name. */
function byVersion(list: LockPackage[] | undefined): Map<string, Copies> {
  const m = new Map<string, Copies>();
  if (list === undefined) return m;
  for (const p of list) {
    const copies = m.get(p.version);
    if (copies === undefined) m.set(p.version, [p]);
    else copies.push(p);
  }
  return m;
}

/** Same versions and sources, copy by copy (the common case: nothing changed for this name). */
function sameCopies(a: LockPackage[], b: LockPackage[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.version !== y.version || x.source.url !== y.source.url || x.integrity !== y.integrity || x.flags.bundled !== y.flags.bundled) {
      return false;
    }
  }
  return true;
}

const parsedCache = new Map<string, semver.SemVer | null>();

function parseVersion(v: string): semver.SemVer | null {
  let p = parsedCache.get(v);
  if (p === undefined) {
    p = semver.parse(v, { loose: true });
    if (parsedCache.size > 50_000) parsedCache.clear();
    parsedCache.set(v, p);
  }
  return p;
}

/** Semver order (build metadata breaks ties); versions that are not semver sort after, by text. */
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (pa && pb) {
    const c = pa.compare(pb) || pa.compareBuild(pb);
    if (c !== 0) return c;
  } else if (pa) return -1;
  else if (pb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The source set of some copies (bundled and source-less copies left out). */
function sourceSet(copies: Copies): Set<string> {
  const out = new Set<string>();
  for (const p of copies) {
    if (p.flags.bundled || p.source.type === 'bundled') continue;
    const url = p.source.url;
    if (url === undefined && p.integrity === undefined) continue;
    const hash = url === undefined ? -1 : url.indexOf('#');
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

function installDepth(id: string): number {
  let n = 0;
  for (let i = id.indexOf('node_modules/'); i >= 0; i = id.indexOf('node_modules/', i + 1)) n++;
  return n;
}

/** The shallowest copy (then the first in the file). */
function representative(copies: Copies): LockPackage {
  let best = copies[0]!;
  if (copies.length === 1) return best;
  let bestDepth = installDepth(best.id);
  for (let i = 1; i < copies.length; i++) {
    const c = copies[i]!;
    const d = installDepth(c.id);
    if (d < bestDepth || (d === bestDepth && c.line < best.line)) {
      best = c;
      bestDepth = d;
    }
  }
  return best;
}

/** Who depends on what, for `direct`, `directOf` and `via`. Built lazily, once per lockfile. */
class Graph {
  private readonly index = new Map<string, number>();
  private readonly packages: readonly LockPackage[];
  /** index → the index it was first reached from; -1: a direct dependency; -2: not reached */
  private readonly parent: Int32Array;
  /** index → BFS visit order (smaller = no farther from an importer) */
  private readonly order: Int32Array;
  /** index → importer paths depending on it directly */
  private readonly directOf = new Map<number, string[]>();

  constructor(lock: Lockfile) {
    const pkgs = lock.packages;
    this.packages = pkgs;
    for (let i = 0; i < pkgs.length; i++) this.index.set(pkgs[i]!.id, i);
    const parent = new Int32Array(pkgs.length).fill(-2);
    const order = new Int32Array(pkgs.length);
    const queue = new Int32Array(pkgs.length);
    let tail = 0;
    for (const imp of lock.importers) {
      for (const d of imp.deps) {
        const i = this.index.get(d);
        if (i === undefined) continue; // a workspace (through a link): an importer itself
        const list = this.directOf.get(i);
        if (list === undefined) this.directOf.set(i, [imp.path]);
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
        const i = this.index.get(deps[k]!);
        if (i === undefined || parent[i] !== -2) continue;
        parent[i] = from;
        order[i] = tail;
        queue[tail++] = i;
      }
    }
    this.parent = parent;
    this.order = order;
  }

  /** Importer paths depending directly on any of the copies, sorted ('' first). */
  importersOf(copies: Copies): string[] {
    let out: string[] | undefined;
    for (const c of copies) {
      const i = this.index.get(c.id);
      const list = i === undefined ? undefined : this.directOf.get(i);
      if (list === undefined) continue;
      if (out === undefined) out = [...list];
      else for (const path of list) if (!out.includes(path)) out.push(path);
    }
    if (out === undefined) return [];
    if (out.length > 1) out.sort();
    return out;
  }

  /** Names on one shortest path from a direct dependency down to the nearest copy (excluded). */
  via(copies: Copies): string[] {
    let best = -1;
    let bestOrder = Infinity;
    for (const c of copies) {
      const i = this.index.get(c.id);
      if (i === undefined || this.parent[i] === -2) continue;
      if (this.order[i]! < bestOrder) {
        best = i;
        bestOrder = this.order[i]!;
      }
    }
    if (best < 0) return []; // unreachable from any importer (extraneous)
    const path: string[] = [];
    for (let p = this.parent[best]!; p >= 0; p = this.parent[p]!) path.push(this.packages[p]!.name);
    return path.reverse();
  }
}

class Side {
  private graph: Graph | undefined;
  constructor(readonly lock: Lockfile | null) {}
  g(): Graph {
    // Only called for a side that has the package, so `lock` is set.
    this.graph ??= new Graph(this.lock!);
    return this.graph;
  }
}

/**
 * Diffs two lockfiles of the same project. `base` is null when the file is added by the change.
 * Changes are sorted by name, then version.
 */
export function diffLockfiles(base: Lockfile | null, head: Lockfile): Change[] {
  const baseIdx = indexByName(base);
  const headIdx = indexByName(head);
  const baseSide = new Side(base);
  const headSide = new Side(head);
  const changes: Change[] = [];

  const make = (
    name: string,
    kind: ChangeKind,
    from: string | null,
    to: string | null,
    baseCopies: Copies | undefined,
    headCopies: Copies | undefined,
  ): Change => {
    // Graph facts come from head, or from base for a removal.
    const onHead = headCopies !== undefined;
    const copies = (onHead ? headCopies : baseCopies)!;
    const graph = (onHead ? headSide : baseSide).g();
    const directOf = graph.importersOf(copies);
    const rep = representative(copies);
    const line = rep.line;
    const direct = directOf.length > 0;
    const via = direct ? [] : graph.via(copies);
    const nameInBase = baseIdx.has(name);
    const ecosystem = head.ecosystem;
    const lockfile = head.file;
    // One literal per shape (no property added afterwards): cheaper for thousands of changes.
    let c: Change;
    if (baseCopies === undefined) {
      c = { ecosystem, name, from, to, kind, lockfile, line, direct, directOf, via, head: rep, nameInBase };
    } else if (!onHead) {
      c = { ecosystem, name, from, to, kind, lockfile, line, direct, directOf, via, base: rep, nameInBase };
    } else {
      const base = representative(baseCopies);
      c = { ecosystem, name, from, to, kind, lockfile, line, direct, directOf, via, base, head: rep, nameInBase };
    }
    return c;
  };

  const names: string[] = [...headIdx.keys()];
  for (const n of baseIdx.keys()) if (!headIdx.has(n)) names.push(n);
  names.sort();

  const group: Change[] = [];
  for (const name of names) {
    const bl = baseIdx.get(name);
    const hl = headIdx.get(name);
    if (bl !== undefined && hl !== undefined && sameCopies(bl, hl)) continue;
    const bv = byVersion(bl);
    const hv = byVersion(hl);
    const removed: string[] = [];
    const added: string[] = [];
    group.length = 0;
    for (const v of bv.keys()) if (!hv.has(v)) removed.push(v);
    for (const [v, headCopies] of hv) {
      const baseCopies = bv.get(v);
      if (baseCopies === undefined) {
        added.push(v);
        continue;
      }
      // Same version on both sides: compare the sets of sources.
      const bs = sourceSet(baseCopies);
      const hs = sourceSet(headCopies);
      if (bs.size > 0 && hs.size > 0 && !sameSet(bs, hs)) group.push(make(name, 'source-changed', v, v, baseCopies, headCopies));
    }
    if (removed.length > 1) removed.sort(compareVersions);
    if (added.length > 1) added.sort(compareVersions);
    const pairs = Math.min(removed.length, added.length);
    for (let i = 0; i < pairs; i++) {
      const from = removed[i]!;
      const to = added[i]!;
      group.push(make(name, compareVersions(to, from) > 0 ? 'upgraded' : 'downgraded', from, to, bv.get(from), hv.get(to)));
    }
    for (let i = pairs; i < added.length; i++) group.push(make(name, 'added', null, added[i]!, undefined, hv.get(added[i]!)));
    for (let i = pairs; i < removed.length; i++) group.push(make(name, 'removed', removed[i]!, null, bv.get(removed[i]!), undefined));
    if (group.length > 1) group.sort(compareChanges);
    for (let i = 0; i < group.length; i++) changes.push(group[i]!);
  }
  return changes;
}
const KIND_ORDER: Record<ChangeKind, number> = { upgraded: 0, downgraded: 1, 'source-changed': 2, added: 3, removed: 4 };

function compareChanges(a: Change, b: Change): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  const va = a.to ?? a.from ?? '';
  const vb = b.to ?? b.from ?? '';
  const c = compareVersions(va, vb);
  if (c !== 0) return c;
  const k = KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  if (k !== 0) return k;
  return compareVersions(a.from ?? '', b.from ?? '');
}
