/** npm lockfiles, lockfileVersion 1: the nested `dependencies` tree read into locations as npm would lay them out, then the model. */
import type { Importer, LockPackage, Lockfile, PackageFlags } from '../../../model/index.js';
import { CHAR, type JsonScanner } from '../../readers/json.js';
import { checkPackageCount } from '../../shared/limits.js';
import { isDirectorySpec } from '../../shared/source.js';
import { resolveLists } from './build.js';
import {
  DEAD,
  K_BUNDLED,
  K_DEPENDENCIES,
  K_DEV,
  K_INTEGRITY,
  K_OPTIONAL,
  K_REQUIRES,
  K_RESOLVED,
  K_VERSION,
  LINK,
  L_DEPENDENCIES,
  expectEntryObject,
  expectObject,
  memberCode,
  newPackage,
  readList,
  type Parse,
  type Section,
} from './entries.js';
import { NM, NOT_FOUND, SLASH_NM } from './layout.js';
import { readName } from './names.js';

/** A `file:<directory>` version: npm links it (a workspace or local package), it is not a package. */
function isLinkedDirectory(version: string | undefined, resolved: string | undefined): boolean {
  return version !== undefined && version.charCodeAt(0) === 102 && version.startsWith('file:') && resolved === undefined && isDirectorySpec(version);
}

/**
 * Reads a v1 `dependencies` object (the children of `parent`, '' for the top level, whose
 * `node_modules` is directory `dir`) into `sec`.
 */
export function readV1Dependencies(s: JsonScanner, c: number, parent: string, dir: number, sec: Section, p: Parse): void {
  expectObject(s, c, '"dependencies"');
  if (s.openObject() === CHAR.RBRACE) return;
  do readV1Entry(s, parent, dir, sec, p);
  while (s.nextMember());
}

/** What a v1 entry's members say (its nested `dependencies` are read into the section as they come). */
interface V1Members {
  version: string | undefined;
  resolved: string | undefined;
  integrity: string | undefined;
  flags: PackageFlags;
}

/** One entry (its key at `pos`): placed in its folder, its members read, then made a package or a linked directory. */
function readV1Entry(s: JsonScanner, parent: string, dir: number, sec: Section, p: Parse): void {
  const { entries, layout } = sec;
  const names = p.names;
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
  if (layout.folders.get(dir, nameId) !== NOT_FOUND) {
    // Duplicate key: the last one wins, like JSON.parse, so the earlier subtree goes too.
    const prefix = id + SLASH_NM;
    const keys = entries.keys;
    for (let j = 0; j < entries.length; j++) if (keys[j] === id || keys[j]!.startsWith(prefix)) entries.bits[j]! |= DEAD;
  }
  const i = entries.add(id);
  checkPackageCount(s.file, i + 1, line);
  entries.dir[i] = dir;
  entries.folder[i] = nameId;
  const m = readV1Members(s, i, id, dir, nameId, sec, p);
  let node: number;
  if (isLinkedDirectory(m.version, m.resolved)) {
    node = layout.addNode(normaliseRelative(m.version!.slice('file:'.length)));
    entries.bits[i]! |= LINK;
    entries.others.set(i, { line, name: undefined, resolved: undefined });
    sec.linked.set(id, node);
    layout.keysMayRepeat = true;
  } else {
    let real = name;
    let version = m.version ?? '';
    const aliased = splitAlias(version);
    if (aliased) {
      real = aliased.name;
      version = aliased.version;
    }
    entries.packages[i] = newPackage(id, line, name, real, version, m.resolved, m.integrity, m.flags);
    node = layout.addNode(id);
    entries.node[i] = node;
  }
  layout.folders.set(dir, nameId, node);
}

/** The members of entry `i` (location `id`, folder `nameId` of directory `dir`); nested `dependencies` are read recursively. */
function readV1Members(s: JsonScanner, i: number, id: string, dir: number, nameId: number, sec: Section, p: Parse): V1Members {
  const { entries, layout } = sec;
  const m: V1Members = {
    version: undefined,
    resolved: undefined,
    integrity: undefined,
    flags: { dev: false, optional: false, devOptional: false, peer: false, hasInstallScript: false, bundled: false },
  };
  if (s.openObject() === CHAR.RBRACE) return m;
  const flags = m.flags;
  do {
    const k = memberCode(s);
    const w = s.colon();
    switch (k) {
      case K_VERSION:
        m.version = s.expectString(w, 'version');
        break;
      case K_RESOLVED:
        m.resolved = readV1Resolved(s, w);
        break;
      case K_INTEGRITY:
        m.integrity = s.expectString(w, 'integrity');
        break;
      case K_DEV:
        flags.dev = s.expectBoolean(w, 'dev');
        break;
      case K_OPTIONAL:
        flags.optional = s.expectBoolean(w, 'optional');
        break;
      case K_BUNDLED:
        flags.bundled = s.expectBoolean(w, 'bundled');
        break;
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
      default:
        s.skipValue(w);
    }
  } while (s.nextMember());
  return m;
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
export function buildV1(file: string, version: number, topName: string | undefined, sec: Section, p: Parse): Lockfile {
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
