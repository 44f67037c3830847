/** npm lockfiles, lockfileVersion 2 and 3: the model from the `packages` map (edges resolved by node's lookup). */
import type { Importer, LockPackage, Lockfile } from '../../../model/index.js';
import { DEAD, LINK, L_DEPENDENCIES, L_DEV, L_OPTIONAL, L_PEER, type Parse, type Section } from './entries.js';
import { DANGLING, NM, NOT_FOUND, parentDirectory, SLASH_NM } from './layout.js';

/** Resolves the first `kinds` dependency lists of entry `i` (a location in directory `dir`) into a new array. */
export function resolveLists(sec: Section, p: Parse, i: number, kinds: readonly number[], self: number, own: number, dir: number): string[] {
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
export function buildModern(file: string, version: number, topName: string | undefined, sec: Section, p: Parse): Lockfile {
  const { importerEntries, links } = placeEntries(sec);
  const rootEntry = importerEntries.get('');
  importerEntries.delete('');
  const linkNames = placeLinks(sec, p, importerEntries, links);
  const packages: LockPackage[] = [];
  const { entries, layout } = sec;
  for (let i = 0; i < entries.length; i++) {
    const pkg = entries.packages[i];
    if (pkg === undefined || entries.bits[i]! & DEAD) continue;
    if (entries.hasLists(i, 3)) pkg.deps = resolveLists(sec, p, i, PACKAGE_LISTS, entries.node[i]!, layout.findDir(pkg.id), entries.dir[i]!);
    packages.push(pkg);
  }
  const importers: Importer[] = [rootImporter(sec, p, rootEntry, topName)];
  for (const [path, i] of importerEntries) {
    const other = entries.others.get(i)!;
    const imp: Importer = {
      path,
      line: other.line,
      deps: importerDeps(sec, p, i, entries.node[i]!, path, layout.dir(parentDirectory(path))),
    };
    const name = other.name ?? linkNames.get(path);
    if (name !== undefined) imp.name = name;
    importers.push(imp);
  }
  return { ecosystem: 'npm', format: `npm-v${version}`, file, importers, packages };
}

/**
 * Puts each installed entry in its folder (a duplicate key: the last wins, the earlier is dead) and
 * collects the importers (keys outside node_modules, '' included) and the links.
 */
function placeEntries(sec: Section): { importerEntries: Map<string, number>; links: Map<string, number> } {
  const { entries, layout } = sec;
  const { keys, dir, folder, node, bits } = entries;
  const folders = layout.folders;
  const importerEntries = new Map<string, number>();
  const links = new Map<string, number>();
  for (let i = 0; i < entries.length; i++) {
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
  return { importerEntries, links };
}

/** Points each link's folder at its target (an importer, or the package installed there); returns workspace names by path. */
function placeLinks(sec: Section, p: Parse, importerEntries: Map<string, number>, links: Map<string, number>): Map<string, string> {
  const { entries, layout } = sec;
  const { dir, folder, node } = entries;
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
      target = installedAt(sec, p, t);
    }
    layout.folders.set(dir[i]!, folder[i]!, target);
  }
  return linkNames;
}

/** The node of the package installed at location `t`, if any (else DANGLING). */
function installedAt(sec: Section, p: Parse, t: string): number {
  const { layout } = sec;
  const cut = t.lastIndexOf(SLASH_NM);
  const at = cut >= 0 ? cut + SLASH_NM.length : t.charCodeAt(0) === 110 && t.startsWith(NM) ? NM.length : -1;
  if (at < 0) return DANGLING;
  const d = cut >= 0 ? layout.findDir(t.slice(0, cut)) : 0;
  const found = d === NOT_FOUND ? NOT_FOUND : layout.folders.get(d, p.names.ofString(t.slice(at)));
  return found !== NOT_FOUND ? found : DANGLING;
}

/** The root importer: its entry's dependencies, or (no root entry) the top-level packages no package depends on. */
function rootImporter(sec: Section, p: Parse, rootEntry: number | undefined, topName: string | undefined): Importer {
  const { entries, layout } = sec;
  const rootOther = rootEntry === undefined ? undefined : entries.others.get(rootEntry)!;
  const root: Importer = { path: '', line: rootOther?.line ?? 1, deps: [] };
  const rootName = rootOther?.name ?? topName;
  if (rootName !== undefined) root.name = rootName;
  if (rootEntry !== undefined) {
    root.deps = importerDeps(sec, p, rootEntry, -1, '', 0);
    return root;
  }
  // No root entry: the v1 heuristic (top-level packages no package depends on).
  const { keys, dir, folder, node, bits } = entries;
  for (let i = 0; i < entries.length; i++) {
    if (folder[i]! >= 0 && !(bits[i]! & (LINK | DEAD)) && dir[i] === 0 && !layout.isRequired(node[i]!)) root.deps.push(keys[i]!);
  }
  return root;
}
