/**
 * bun.lock's edges and flags: dependencies resolve like node_modules (nearest folder first, up to
 * the top level), and dev/optional/devOptional are derived from the graph as npm would write them.
 */
import type { Importer, LockPackage, Lockfile } from '../../../model/index.js';
import { checkPackageCount } from '../../shared/limits.js';
import { type Entry, K_PACKAGE, K_WORKSPACE, parentKey, type RawImporter } from './entry.js';

/** What the packages resolve through: the folders and the entries. */
class Resolver {
  /** The folders searched from key `k`, nearest first (memoised: most keys share the top level's list). */
  private readonly chains: Map<string, Map<string, number>[]>;

  constructor(
    private readonly folders: Map<string, Map<string, number>>,
    readonly entries: readonly Entry[],
    private readonly rawImporters: Map<string, RawImporter>,
  ) {
    const top = folders.get('');
    this.chains = new Map([['', top ? [top] : []]]);
  }

  /** Its own folder, each ancestor's that has packages, the top level last. */
  private chainOf(k: string): Map<string, number>[] {
    let c = this.chains.get(k);
    if (c !== undefined) return c;
    const up = this.chainOf(parentKey(k));
    const own = this.folders.get(k);
    c = own ? [own, ...up] : up;
    this.chains.set(k, c);
    return c;
  }

  /** Resolves dependency `dep` from the folder of key `from` ('' = top level), walking up: an entry index or -1. */
  lookup(from: string, dep: string): number {
    const c = this.chainOf(from);
    for (let k = 0; k < c.length; k++) {
      const i = c[k]!.get(dep);
      if (i !== undefined) return i;
    }
    return -1;
  }

  /** Where an edge to entry `i` lands: its package id, or a workspace's importer path; undefined: nowhere. */
  target(i: number): string | undefined {
    const e = this.entries[i]!;
    if (e.kind === K_PACKAGE) return e.key;
    if (e.kind === K_WORKSPACE && this.rawImporters.has(e.workspace!)) return e.workspace!;
    return undefined;
  }
}

/** Package edges as entry indices: one range of `pool` per entry, the non-optional ones first. */
interface Edges {
  pool: Int32Array;
  edgeStart: Int32Array;
  requiredEnd: Int32Array;
}

/** Importers' roots by the kinds of edges that reach them. */
interface Roots {
  /** dependencies, peer, optional */
  prod: number[];
  /** dependencies, dev, peer */
  nonOpt: number[];
  /** dependencies, peer */
  prodNonOpt: number[];
}

export function build(
  file: string,
  version: number,
  rawImporters: Map<string, RawImporter>,
  entries: Entry[],
  folders: Map<string, Map<string, number>>,
): Lockfile {
  const r = new Resolver(folders, entries, rawImporters);
  const edges = packageEdges(r);
  const roots: Roots = { prod: [], nonOpt: [], prodNonOpt: [] };
  const importers = importerEdges(r, rawImporters, roots);
  const packages = flagged(file, entries, edges, roots);
  return { ecosystem: 'npm', format: `bun-v${version}`, file, importers, packages };
}

/** Resolves each package's dependencies (sets its `deps`) and records the edges for the flags. */
function packageEdges(r: Resolver): Edges {
  const entries = r.entries;
  const n = entries.length;
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
      const t = r.lookup(e.key, names[d]!);
      if (t < 0 || t === i) continue;
      let seen = false;
      for (let k = first; k < used && !seen; k++) seen = pool[k] === t;
      if (seen) continue;
      const id = r.target(t);
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
  return { pool, edgeStart, requiredEnd };
}

// workspace path → the key of its workspace entry (nested dependencies live under it)
function workspaceKeys(entries: readonly Entry[]): Map<string, string> {
  const wsKey = new Map<string, string>();
  for (const e of entries) if (e.kind === K_WORKSPACE && !wsKey.has(e.workspace!)) wsKey.set(e.workspace!, e.key);
  return wsKey;
}

/** The importers with their dependencies; collects the roots of each kind. */
function importerEdges(r: Resolver, rawImporters: Map<string, RawImporter>, roots: Roots): Importer[] {
  const wsKey = workspaceKeys(r.entries);
  const importers: Importer[] = [];
  for (const imp of rawImporters.values()) {
    const from = imp.path === '' ? '' : (wsKey.get(imp.path) ?? '');
    const ids: string[] = [];
    const seen = new Set<number>();
    const add = (names: string[], ...lists: number[][]): void => {
      for (const name of names) {
        const t = r.lookup(from, name);
        if (t < 0) continue;
        for (const l of lists) l.push(t);
        if (seen.has(t)) continue;
        seen.add(t);
        const id = r.target(t);
        if (id !== undefined && id !== imp.path) ids.push(id);
      }
    };
    add(imp.prod, roots.prod, roots.nonOpt, roots.prodNonOpt);
    add(imp.peer, roots.prod, roots.nonOpt, roots.prodNonOpt);
    add(imp.dev, roots.nonOpt);
    add(imp.optional, roots.prod);
    const importer: Importer = { path: imp.path, line: imp.line, deps: ids };
    if (imp.name !== undefined) importer.name = imp.name;
    importers.push(importer);
  }
  return importers;
}

/** The packages reachable from `roots` (through every edge, or the non-optional ones only). */
function reach(entries: readonly Entry[], edges: Edges, roots: number[], all: boolean): Uint8Array {
  const { pool, edgeStart, requiredEnd } = edges;
  const seen = new Uint8Array(entries.length);
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
}

/** The packages in file order, with dev/optional/devOptional set from what reaches them. */
function flagged(file: string, entries: readonly Entry[], edges: Edges, roots: Roots): LockPackage[] {
  const prod = reach(entries, edges, roots.prod, true);
  const nonOpt = reach(entries, edges, roots.nonOpt, false);
  const prodNonOpt = reach(entries, edges, roots.prodNonOpt, false);
  const packages: LockPackage[] = [];
  for (let i = 0; i < entries.length; i++) {
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
  return packages;
}
