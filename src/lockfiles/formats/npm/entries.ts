/** npm lockfiles: the entries of a v2/v3 `packages` map (or a v1 tree) read column by column, one package made per entry. */
import type { LockPackage, PackageFlags, Source } from '../../../model/index.js';
import { CHAR, type JsonScanner } from '../../readers/json.js';
import { checkPackageCount } from '../../shared/limits.js';
import { classifyResolved, isSemverVersion } from '../../shared/source.js';
import { Layout, NM, NOT_FOUND, SLASH_NM } from './layout.js';
import { type Names, type Pool, readNames } from './names.js';

export const DEAD = 1;
export const LINK = 2;

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
export const L_DEPENDENCIES = 0;
export const L_OPTIONAL = 1;
export const L_PEER = 2;
export const L_DEV = 3;

/** Reads a dependency object (`{` at `pos`) as list `kind` of entry `i`. */
export function readList(s: JsonScanner, p: Parse, entries: Entries, i: number, kind: number): void {
  const pool = p.pool;
  const at = i * 8 + 2 * kind;
  entries.lists[at] = pool.length;
  readNames(s, p.names, pool);
  entries.lists[at + 1] = pool.length;
}

/** What one parse shares: the text's names and the dependency name lists. */
export interface Parse {
  names: Names;
  pool: Pool;
  /** A power of two, about the number of entries the text may hold. */
  capacity: number;
}

export function expectObject(s: JsonScanner, c: number, what: string): void {
  if (c !== CHAR.LBRACE) s.unexpected(c, `an object for ${what}`);
}

/** Like expectObject for an entry, without building the message unless it is needed. */
export function expectEntryObject(s: JsonScanner, c: number, key: string): void {
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
export function newPackage(
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
    integrity !== undefined ? { id, name, version, source, integrity, flags, line, deps: [] } : { id, name, version, source, flags, line, deps: [] };
  if (name !== folder) p.alias = folder;
  return p;
}

// Entry members the parser reads, identified in place (no string is built for a member name).
const K_OTHER = 0;
export const K_VERSION = 1;
export const K_RESOLVED = 2;
export const K_INTEGRITY = 3;
const K_NAME = 4;
const K_LINK = 5;
export const K_DEV = 6;
export const K_OPTIONAL = 7;
const K_DEV_OPTIONAL = 8;
const K_PEER = 9;
const K_IN_BUNDLE = 10;
const K_HAS_INSTALL_SCRIPT = 11;
export const K_DEPENDENCIES = 12;
const K_OPTIONAL_DEPENDENCIES = 13;
const K_PEER_DEPENDENCIES = 14;
const K_DEV_DEPENDENCIES = 15;
export const K_BUNDLED = 16;
export const K_REQUIRES = 17;

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
export function memberCode(s: JsonScanner): number {
  const start = s.pos + 1;
  const end = s.scanString();
  if (end < 0) return KEY_CODES.get(s.decoded) ?? K_OTHER;
  const src = s.bytes;
  switch (end - start) {
    case 3:
      return same(src, start, 'dev') ? K_DEV : K_OTHER;
    case 4:
      return same(src, start, 'name') ? K_NAME : same(src, start, 'link') ? K_LINK : same(src, start, 'peer') ? K_PEER : K_OTHER;
    case 7:
      return same(src, start, 'version') ? K_VERSION : same(src, start, 'bundled') ? K_BUNDLED : K_OTHER;
    case 8:
      return same(src, start, 'resolved')
        ? K_RESOLVED
        : same(src, start, 'optional')
          ? K_OPTIONAL
          : same(src, start, 'inBundle')
            ? K_IN_BUNDLE
            : same(src, start, 'requires')
              ? K_REQUIRES
              : K_OTHER;
    case 9:
      return same(src, start, 'integrity') ? K_INTEGRITY : K_OTHER;
    case 11:
      return same(src, start, 'devOptional') ? K_DEV_OPTIONAL : K_OTHER;
    case 12:
      return same(src, start, 'dependencies') ? K_DEPENDENCIES : K_OTHER;
    case 15:
      return same(src, start, 'devDependencies') ? K_DEV_DEPENDENCIES : K_OTHER;
    case 16:
      return same(src, start, 'peerDependencies') ? K_PEER_DEPENDENCIES : same(src, start, 'hasInstallScript') ? K_HAS_INSTALL_SCRIPT : K_OTHER;
    case 20:
      return same(src, start, 'optionalDependencies') ? K_OPTIONAL_DEPENDENCIES : K_OTHER;
    default:
      return K_OTHER;
  }
}

/** A section as read: its entries and where they are installed. */
export interface Section {
  entries: Entries;
  layout: Layout;
  /** v1: location → the importer node of a `file:<directory>` entry (a linked directory) */
  linked: Map<string, number>;
}

export function newSection(p: Parse): Section {
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
  const m = readPackageMembers(s, p, entries, i);
  const folderId = entries.folder[i]!;
  if (folderId < 0 || m.link) {
    if (m.link) entries.bits[i] = LINK;
    entries.others.set(i, { line, name: m.name, resolved: m.resolved });
    return;
  }
  const folder = p.names.string(folderId);
  const real = m.name !== undefined && m.name !== '' ? m.name : folder;
  entries.packages[i] = newPackage(key, line, folder, real, m.version ?? '', m.resolved, m.integrity, m.flags);
}

/** What a v2/v3 entry's members say (its dependency lists go straight into `entries`). */
interface PackageMembers {
  name: string | undefined;
  version: string | undefined;
  resolved: string | undefined;
  integrity: string | undefined;
  link: boolean;
  flags: PackageFlags;
}

/** The members of entry `i` (its `{` at `pos`). */
function readPackageMembers(s: JsonScanner, p: Parse, entries: Entries, i: number): PackageMembers {
  const m: PackageMembers = {
    name: undefined,
    version: undefined,
    resolved: undefined,
    integrity: undefined,
    link: false,
    flags: { dev: false, optional: false, devOptional: false, peer: false, hasInstallScript: false, bundled: false },
  };
  if (s.openObject() === CHAR.RBRACE) return m;
  const flags = m.flags;
  do {
    const k = memberCode(s);
    const v = s.colon();
    switch (k) {
      case K_VERSION:
        m.version = s.expectString(v, 'version');
        break;
      case K_RESOLVED:
        m.resolved = s.expectString(v, 'resolved');
        break;
      case K_INTEGRITY:
        m.integrity = s.expectString(v, 'integrity');
        break;
      case K_NAME:
        m.name = s.expectString(v, 'name');
        break;
      case K_LINK:
        m.link = s.expectBoolean(v, 'link');
        break;
      case K_DEV:
        flags.dev = s.expectBoolean(v, 'dev');
        break;
      case K_OPTIONAL:
        flags.optional = s.expectBoolean(v, 'optional');
        break;
      case K_DEV_OPTIONAL:
        flags.devOptional = s.expectBoolean(v, 'devOptional');
        break;
      case K_PEER:
        flags.peer = s.expectBoolean(v, 'peer');
        break;
      case K_IN_BUNDLE:
        flags.bundled = s.expectBoolean(v, 'inBundle');
        break;
      case K_HAS_INSTALL_SCRIPT:
        flags.hasInstallScript = s.expectBoolean(v, 'hasInstallScript');
        break;
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
      default:
        s.skipValue(v);
    }
  } while (s.nextMember());
  return m;
}

/** Reads the v2/v3 `packages` object, in file order (duplicate keys are resolved when building). */
export function readPackages(s: JsonScanner, c: number, p: Parse): Section {
  expectObject(s, c, '"packages"');
  const sec = newSection(p);
  if (s.openObject() === CHAR.RBRACE) return sec;
  do readPackageEntry(s, p, sec);
  while (s.nextMember());
  return sec;
}
