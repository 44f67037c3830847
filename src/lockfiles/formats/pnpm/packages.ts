/**
 * A pnpm document's `packages`, then their edges: v5/v6 list dependencies in each package entry,
 * v9 in `snapshots` (keyed by the package key with its peer suffix).
 */
import type { LockPackage, PackageFlags } from '../../../model/index.js';
import { checkPackageCount } from '../../shared/limits.js';
import { DEP_FIELDS, fail, type Major, map, parseKey, refToId, sourceOf, str, stripPeers } from './nodes.js';
import { type YEntry, YMap } from './yaml.js';

export interface DocumentPackages {
  packages: LockPackage[];
  byId: Map<string, LockPackage>;
}

/**
 * The packages of one document, with their edges. Ids are `prefix` + the `packages` key, and edges
 * only point at packages of the same document.
 */
export function readPackages(file: string, doc: YMap, major: Major, prefix: string): DocumentPackages {
  const read: DocumentPackages = { packages: [], byId: new Map() };
  const pkgSection = doc.entries.get('packages');
  if (pkgSection !== undefined && pkgSection.value !== null && !(pkgSection.value instanceof YMap)) {
    fail(file, '"packages" is not a mapping', pkgSection.line);
  }
  /** v5/v6: package → its dependency references, resolved once every id is known */
  const pendingDeps: Array<[LockPackage, YMap]> = [];
  const pkgMap = map(pkgSection?.value);
  if (pkgMap !== undefined) {
    for (const [key, entry] of pkgMap.entries) {
      const { pkg, body } = packageOf(file, major, prefix, key, entry);
      checkPackageCount(file, read.packages.length + 1, entry.line);
      read.packages.push(pkg);
      read.byId.set(pkg.id, pkg);
      if (major !== 9) {
        for (const field of DEP_FIELDS) {
          const deps = map(body.get(field));
          if (deps !== undefined) pendingDeps.push([pkg, deps]);
        }
      }
    }
  }
  if (major !== 9) {
    for (const [pkg, deps] of pendingDeps) addEdges(read.byId, major, prefix, pkg, deps);
  } else {
    snapshotEdges(read.byId, map(doc.get('snapshots')), prefix);
  }
  return read;
}

/** The package of one `packages` entry, and the entry's mapping. */
function packageOf(file: string, major: Major, prefix: string, key: string, entry: YEntry): { pkg: LockPackage; body: YMap } {
  const value = entry.value;
  if (value !== null && !(value instanceof YMap)) fail(file, `package entry ${JSON.stringify(key)} is not a mapping`, entry.line);
  const body = value ?? new YMap();
  const parsed = parseKey(major, key);
  const name = str(body.get('name')) ?? parsed?.name;
  const version = str(body.get('version')) ?? parsed?.version;
  if (name === undefined || name === '') fail(file, `cannot tell the package name of ${JSON.stringify(key)}`, entry.line);
  const { source, integrity, local } = sourceOf(map(body.get('resolution')), name, version ?? '');
  const flags: PackageFlags = {
    dev: str(body.get('dev')) === 'true',
    optional: str(body.get('optional')) === 'true',
    devOptional: false,
    peer: false,
    hasInstallScript: str(body.get('requiresBuild')) === 'true',
    bundled: false,
  };
  if (flags.hasInstallScript) flags.buildFlagOnly = true;
  const pkg: LockPackage = { id: prefix + key, name, version: version ?? '', source, flags, line: entry.line, deps: [] };
  if (integrity !== undefined) pkg.integrity = integrity;
  if (local && pkg.version === '') pkg.version = '0.0.0';
  return { pkg, body };
}

/** v9: each snapshot's optional flag and dependencies, on the package it snapshots. */
function snapshotEdges(byId: Map<string, LockPackage>, snapshots: YMap | undefined, prefix: string): void {
  if (snapshots === undefined) return;
  for (const [key, entry] of snapshots.entries) {
    const pkg = byId.get(prefix + stripPeers(key));
    if (pkg === undefined) continue; // a snapshot without package metadata: nothing to attach edges to
    const body = map(entry.value);
    if (body === undefined) continue;
    if (str(body.get('optional')) === 'true') pkg.flags.optional = true;
    for (const field of DEP_FIELDS) {
      const deps = map(body.get(field));
      if (deps !== undefined) addEdges(byId, 9, prefix, pkg, deps);
    }
  }
}

/** Edges from `pkg` to the packages its dependency references (`name: ref`) point at. */
function addEdges(byId: Map<string, LockPackage>, major: Major, prefix: string, pkg: LockPackage, deps: YMap): void {
  for (const [depName, e] of deps.entries) {
    const ref = str(e.value);
    if (ref === undefined) continue;
    const id = refToId(major, depName, ref);
    const target = id === null ? undefined : byId.get(prefix + id);
    if (target === undefined) continue;
    if (depName !== target.name && target.alias === undefined) target.alias = depName;
    // the target's own id string: `includes` then compares by reference
    if (!pkg.deps.includes(target.id)) pkg.deps.push(target.id);
  }
}
