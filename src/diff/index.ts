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
/** name → version → copies */
type VersionIndex = Map<string, Map<string, Copies>>;

function indexPackages(lock: Lockfile | null): VersionIndex {
  const idx: VersionIndex = new Map();
  if (lock === null) return idx;
  for (const p of lock.packages) {
    if (p.source.type === 'link') continue; // local directories are not packages
    let versions = idx.get(p.name);
    if (versions === undefined) {
      versions = new Map();
      idx.set(p.name, versions);
    }
    const copies = versions.get(p.version);
    if (copies === undefined) versions.set(p.version, [p]);
    else copies.push(p);
  }
  return idx;
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
  /** package id → importer paths depending on it directly */
  private readonly directOf = new Map<string, string[]>();
  /** package id → the package it was first reached from (null: a direct dependency) */
  private readonly parent = new Map<string, string | null>();
  /** package id → BFS visit order (smaller = no farther from an importer) */
  private readonly order = new Map<string, number>();
  private readonly byId = new Map<string, LockPackage>();

  constructor(lock: Lockfile) {
    for (const p of lock.packages) this.byId.set(p.id, p);
    const queue: string[] = [];
    for (const imp of lock.importers) {
      for (const d of imp.deps) {
        if (!this.byId.has(d)) continue; // a workspace (through a link): an importer itself
        const list = this.directOf.get(d);
        if (list === undefined) this.directOf.set(d, [imp.path]);
        else if (!list.includes(imp.path)) list.push(imp.path);
        if (!this.parent.has(d)) {
          this.parent.set(d, null);
          this.order.set(d, queue.length);
          queue.push(d);
        }
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const id = queue[qi]!;
      for (const d of this.byId.get(id)!.deps) {
        if (this.parent.has(d) || !this.byId.has(d)) continue;
        this.parent.set(d, id);
        this.order.set(d, queue.length);
        queue.push(d);
      }
    }
  }

  /** Importer paths depending directly on any of the copies, sorted ('' first). */
  importersOf(copies: Copies): string[] {
    const out = new Set<string>();
    for (const c of copies) for (const path of this.directOf.get(c.id) ?? []) out.add(path);
    return [...out].sort();
  }

  /** Names on one shortest path from a direct dependency down to the nearest copy (excluded). */
  via(copies: Copies): string[] {
    let best: string | undefined;
    let bestOrder = Infinity;
    for (const c of copies) {
      const o = this.order.get(c.id);
      if (o !== undefined && o < bestOrder) {
        best = c.id;
        bestOrder = o;
      }
    }
    if (best === undefined) return []; // unreachable from any importer (extraneous)
    const path: string[] = [];
    for (let p = this.parent.get(best); p !== null && p !== undefined; p = this.parent.get(p)) {
      path.push(this.byId.get(p)!.name);
    }
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
  const baseIdx = indexPackages(base);
  const headIdx = indexPackages(head);
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
  ): void => {
    // Graph facts come from head, or from base for a removal.
    const onHead = headCopies !== undefined;
    const copies = (onHead ? headCopies : baseCopies)!;
    const graph = (onHead ? headSide : baseSide).g();
    const directOf = graph.importersOf(copies);
    const rep = representative(copies);
    const c: Change = {
      ecosystem: head.ecosystem,
      name,
      from,
      to,
      kind,
      lockfile: head.file,
      line: rep.line,
      direct: directOf.length > 0,
      directOf,
      via: directOf.length > 0 ? [] : graph.via(copies),
      nameInBase: baseIdx.has(name),
    };
    if (baseCopies) c.base = representative(baseCopies);
    if (headCopies) c.head = onHead ? rep : representative(headCopies);
    changes.push(c);
  };

  const names = new Set<string>(headIdx.keys());
  for (const n of baseIdx.keys()) names.add(n);

  for (const name of names) {
    const bv = baseIdx.get(name);
    const hv = headIdx.get(name);
    const removed: string[] = [];
    const added: string[] = [];
    if (bv) for (const v of bv.keys()) if (!hv || !hv.has(v)) removed.push(v);
    if (hv) {
      for (const [v, headCopies] of hv) {
        const baseCopies = bv?.get(v);
        if (baseCopies === undefined) {
          added.push(v);
          continue;
        }
        // Same version on both sides: compare sources (cheap when the single copies agree).
        if (baseCopies.length === 1 && headCopies.length === 1) {
          const b = baseCopies[0]!;
          const h = headCopies[0]!;
          if (b.source.url === h.source.url && b.integrity === h.integrity && b.flags.bundled === h.flags.bundled) continue;
        }
        const bs = sourceSet(baseCopies);
        const hs = sourceSet(headCopies);
        if (bs.size > 0 && hs.size > 0 && !sameSet(bs, hs)) make(name, 'source-changed', v, v, baseCopies, headCopies);
      }
    }
    if (removed.length === 0 && added.length === 0) continue;
    removed.sort(compareVersions);
    added.sort(compareVersions);
    const pairs = Math.min(removed.length, added.length);
    for (let i = 0; i < pairs; i++) {
      const from = removed[i]!;
      const to = added[i]!;
      make(name, compareVersions(to, from) > 0 ? 'upgraded' : 'downgraded', from, to, bv!.get(from), hv!.get(to));
    }
    for (let i = pairs; i < added.length; i++) make(name, 'added', null, added[i]!, undefined, hv!.get(added[i]!));
    for (let i = pairs; i < removed.length; i++) make(name, 'removed', removed[i]!, null, bv!.get(removed[i]!), undefined);
  }

  changes.sort(compareChanges);
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
