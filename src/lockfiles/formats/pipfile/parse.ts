/**
 * pipenv's `Pipfile.lock` (JSON) → {@link Lockfile} (ecosystem `pypi`, format `pipfile`), one pass with
 * the {@link JsonScanner}; docs/FORMATS.md has the mapping. Index URLs are kept as data only: never
 * fetched nor used as configuration. Names must be PEP 508 project names (so `__proto__` is refused),
 * untrusted strings are only ever Map keys, and two entries of a section normalising to one project
 * are an error naming both lines.
 */
import { LockfileError } from '../../../errors.js';
import { checkPackageCount } from '../../shared/limits.js';
import type { LockHash, LockPackage, Lockfile, PackageFlags, Source, UnreviewedRequirement } from '../../../model/index.js';
import { normalizePythonName } from '../../../versions/index.js';
import { CHAR, EOF, JsonScanner } from '../../readers/json.js';
import { distFileVersion, gitRepoUrl, hashesFromSpecs, normalizeHashSpec } from '../../shared/python.js';

export interface PipfileParseOptions {
  maxDepth: number;
}

const COMMA = 44;

/**
 * Does the text look like a Pipfile.lock? A JSON object whose first member is `_meta`, `default` or
 * `develop` (npm and bun lockfiles start with other members).
 */
export function sniffPipfile(text: string, start: number): boolean {
  const limit = Math.min(text.length, start + 4096);
  let i = start;
  let seenBrace = false;
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else if (c === CHAR.LBRACE && !seenBrace) {
      seenBrace = true;
      i++;
    } else break;
  }
  // pipenv writes `_meta` first; pipenv 3-9 (2017) sorted it last, after `default` and `develop`
  return seenBrace && (text.startsWith('"_meta"', i) || text.startsWith('"default"', i) || text.startsWith('"develop"', i));
}

// ---------------------------------------------------------------------------------------------
// Arrays (the scanner reads objects; these two read arrays with its public state)

/** Enters an array whose `[` is at `pos`; returns the first element's first character, or `]` (consumed) for an empty array. */
function openArray(s: JsonScanner): number {
  if (++s.depth > s.maxDepth) s.fail(`nesting deeper than ${s.maxDepth} levels`);
  s.pos++;
  const c = s.ws();
  if (c === CHAR.RBRACKET) {
    s.pos++;
    s.depth--;
  } else if (c === EOF) s.unexpected(c, "a value or ']'");
  return c;
}

/** After an element: consumes `,` and returns the next element's first character, or consumes `]` and returns it. */
function nextElement(s: JsonScanner): number {
  let c = s.ws();
  if (c === COMMA) {
    s.pos++;
    c = s.ws();
    if (c === EOF || c === CHAR.RBRACKET) s.unexpected(c, 'a value');
    return c;
  }
  if (c === CHAR.RBRACKET) {
    s.pos++;
    s.depth--;
    return c;
  }
  return s.unexpected(c, "',' or ']'");
}

/** `sha2` read as one little-endian word. */
const SHA2 = 0x32616873;

/**
 * Is `bytes[start, start + 71)` `sha256:` and 64 lower-case hex digits (nearly every hash)? The
 * digits four at a time, from little-endian words of the scanner's bytes: a byte is a digit when
 * `b + (0x80 - 0x30)` has its top bit set (b >= 0x30) and `b + (0x7f - 0x39)` has not (b <= 0x39),
 * likewise for 0x61–0x66; the sums carry into the next byte only for bytes from 0x80, which are
 * refused anyway (the word's own top bits are collected too).
 */
function isPlainSha256(view: DataView, bytes: Uint8Array, start: number): boolean {
  if (view.getUint32(start, true) !== SHA2 || bytes[start + 4] !== 53 || bytes[start + 5] !== 54 || bytes[start + 6] !== 58) return false;
  let bad = 0;
  for (let i = start + 7, end = start + 71; i < end; i += 4) {
    const w = view.getUint32(i, true);
    bad |= w | ~(((w + 0x50505050) & ~(w + 0x46464646)) | ((w + 0x1f1f1f1f) & ~(w + 0x19191919)));
  }
  return (bad & 0x80808080) === 0;
}

/** Is the 64-digit digest at `b` greater than the one at `a` (both plain, lower-case hex)? Big-endian words compare as the text. */
function digestAfter(view: DataView, a: number, b: number): boolean {
  for (let i = 0; i < 64; i += 4) {
    const x = view.getUint32(a + i, false);
    const y = view.getUint32(b + i, false);
    if (x !== y) return y > x;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Names

/**
 * One pass over a `default`/`develop` key: is it a PEP 508 project name (`isValidPythonName`'s rule),
 * and is it already PEP 503 normal (lower-case letters and digits, no run of separators)? Returns
 * the normal name, or undefined when the key is not a project name.
 */
function projectName(key: string): string | undefined {
  const n = key.length;
  if (n === 0 || n > 512) return undefined;
  let normal = true;
  let prevSep = false;
  for (let i = 0; i < n; i++) {
    const c = key.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) prevSep = false;
    else if (c >= 65 && c <= 90) {
      normal = false;
      prevSep = false;
    } else if (c === 45 || c === 46 || c === 95) {
      if (i === 0 || i === n - 1) return undefined;
      if (prevSep || c !== 45) normal = false;
      prevSep = true;
    } else return undefined;
  }
  return normal ? key : normalizePythonName(key);
}

// ---------------------------------------------------------------------------------------------

/** One `default`/`develop` entry as read. */
interface Entry {
  key: string;
  name: string;
  line: number;
  column: number;
  dev: boolean;
  version: string | undefined;
  hashes: LockHash[];
  integrity: string | undefined;
  index: string | undefined;
  indexLine: number;
  indexColumn: number;
  git: string | undefined;
  ref: string | undefined;
  subdirectory: string | undefined;
  path: string | undefined;
  fileRef: string | undefined;
  editable: boolean;
}

interface Top {
  sources: Map<string, string>;
  firstSource: string | undefined;
  sections: Map<string, Entry[]>;
}

export function parsePipfile(file: string, text: string, start: number, opts: PipfileParseOptions): Lockfile {
  const s = JsonScanner.reusing(text, file, opts.maxDepth, start);
  let top: Top;
  try {
    top = readTop(s);
  } finally {
    s.release();
  }
  return build(file, top);
}

function readTop(s: JsonScanner): Top {
  const c = s.ws();
  if (c === EOF) s.fail('empty file: not a recognised lockfile');
  if (c !== CHAR.LBRACE) {
    s.skipValue(c);
    s.end();
    s.failAt('not a recognised lockfile (the JSON document is not an object)', 1, 1);
  }
  const top: Top = { sources: new Map(), firstSource: undefined, sections: new Map() };
  const view = new DataView(s.bytes.buffer, s.bytes.byteOffset, s.bytes.byteLength);
  let sawMeta = false;
  if (s.openObject() !== CHAR.RBRACE) {
    do {
      const line = s.line;
      const column = s.column();
      const k = s.readString();
      const v = s.colon();
      if (k === '_meta' || k === 'default' || k === 'develop') {
        if ((k === '_meta' && sawMeta) || top.sections.has(k)) s.failAt(`duplicate "${k}" member`, line, column);
        if (v !== CHAR.LBRACE) s.unexpected(v, `an object for "${k}"`);
        if (k === '_meta') {
          sawMeta = true;
          readMeta(s, top);
        } else top.sections.set(k, readSection(s, view, k === 'develop'));
      } else s.skipValue(v);
    } while (s.nextMember());
  }
  s.end();
  if (!sawMeta) s.failAt('not a Pipfile.lock (no "_meta" member)', 1, 1);
  return top;
}

/** `_meta`: only `sources` is read (name → index URL); `hash`, `pipfile-spec`, `requires` are validated and dropped. */
function readMeta(s: JsonScanner, top: Top): void {
  if (s.openObject() === CHAR.RBRACE) return;
  do {
    const k = s.readString();
    const v = s.colon();
    if (k !== 'sources') {
      s.skipValue(v);
      continue;
    }
    if (v !== CHAR.LBRACKET) s.unexpected(v, 'an array for "sources"');
    for (let c = openArray(s); c !== CHAR.RBRACKET; c = nextElement(s)) {
      if (c !== CHAR.LBRACE) s.unexpected(c, 'an object for a source');
      let name: string | undefined;
      let url: string | undefined;
      if (s.openObject() !== CHAR.RBRACE) {
        do {
          const m = s.readString();
          const d = s.colon();
          if (m === 'name') name = s.expectString(d, 'a source name');
          else if (m === 'url') url = s.expectString(d, 'a source url');
          else s.skipValue(d);
        } while (s.nextMember());
      }
      if (url !== undefined) {
        if (top.firstSource === undefined) top.firstSource = url;
        if (name !== undefined && !top.sources.has(name)) top.sources.set(name, url);
      }
    }
  } while (s.nextMember());
}

/** A `default` or `develop` map (`view`: the scanner's bytes, for reading hashes four bytes at a time). */
function readSection(s: JsonScanner, view: DataView, dev: boolean): Entry[] {
  const entries: Entry[] = [];
  if (s.openObject() === CHAR.RBRACE) return entries;
  do {
    const line = s.line;
    const column = s.column();
    const key = s.readString();
    // pip reads `"colorama ": "==0.3.7"` as colorama: the spaces around a name are not part of it
    const name = projectName(key.trim());
    if (name === undefined) s.failAt(`invalid package name ${JSON.stringify(key.slice(0, 100))}`, line, column);
    const v = s.colon();
    if (v === CHAR.QUOTE) entries.push(stringEntry(s, key, name, line, column, dev));
    else if (v !== CHAR.LBRACE) s.unexpected(v, `an object for package "${key.slice(0, 100)}"`);
    else entries.push(readEntry(s, view, key, name, line, column, dev));
  } while (s.nextMember());
  return entries;
}

// Entry members read (the others are validated and skipped).
const K_OTHER = 0;
const K_VERSION = 1;
const K_HASHES = 2;
const K_INDEX = 3;
const K_GIT = 4;
const K_REF = 5;
const K_SUBDIRECTORY = 6;
const K_PATH = 7;
const K_FILE = 8;
const K_EDITABLE = 9;

const KEY_CODES = new Map<string, number>([
  ['version', K_VERSION],
  ['hashes', K_HASHES],
  ['index', K_INDEX],
  ['git', K_GIT],
  ['ref', K_REF],
  ['subdirectory', K_SUBDIRECTORY],
  ['path', K_PATH],
  ['file', K_FILE],
  ['editable', K_EDITABLE],
]);

/** Is `bytes[start, start + w.length)` the ASCII word `w`? */
function same(bytes: Uint8Array, start: number, w: string): boolean {
  for (let i = 0; i < w.length; i++) if (bytes[start + i] !== w.charCodeAt(i)) return false;
  return true;
}

/** Reads an entry's member name (quote at `pos`) and returns its K_ code: by length and bytes, no string made. */
function memberCode(s: JsonScanner): number {
  const start = s.pos + 1;
  const end = s.scanString();
  if (end < 0) return KEY_CODES.get(s.decoded) ?? K_OTHER;
  const b = s.bytes;
  switch (end - start) {
    case 3:
      return same(b, start, 'git') ? K_GIT : same(b, start, 'ref') ? K_REF : K_OTHER;
    case 4:
      return same(b, start, 'path') ? K_PATH : same(b, start, 'file') ? K_FILE : K_OTHER;
    case 5:
      return same(b, start, 'index') ? K_INDEX : K_OTHER;
    case 6:
      return same(b, start, 'hashes') ? K_HASHES : K_OTHER;
    case 7:
      return same(b, start, 'version') ? K_VERSION : K_OTHER;
    case 8:
      return same(b, start, 'editable') ? K_EDITABLE : K_OTHER;
    case 12:
      return same(b, start, 'subdirectory') ? K_SUBDIRECTORY : K_OTHER;
    default:
      return K_OTHER;
  }
}

/** `"name": "==1.0"`: an entry that is only its version, as pipenv 3-9 wrote them (pipenv still installs them). */
function stringEntry(s: JsonScanner, key: string, name: string, line: number, column: number, dev: boolean): Entry {
  const e = emptyEntry(key, name, line, column, dev);
  e.version = s.expectString(CHAR.QUOTE, 'a version');
  return e;
}

function readEntry(s: JsonScanner, view: DataView, key: string, name: string, line: number, column: number, dev: boolean): Entry {
  const e = emptyEntry(key, name, line, column, dev);
  if (s.openObject() === CHAR.RBRACE) return e;
  return readEntryMembers(s, view, e);
}

function emptyEntry(key: string, name: string, line: number, column: number, dev: boolean): Entry {
  // every member set from the start: one object shape for all entries
  return {
    key,
    name,
    line,
    column,
    dev,
    version: undefined,
    hashes: NO_HASHES,
    integrity: undefined,
    index: undefined,
    indexLine: 0,
    indexColumn: 0,
    git: undefined,
    ref: undefined,
    subdirectory: undefined,
    path: undefined,
    fileRef: undefined,
    editable: false,
  };
}

function readEntryMembers(s: JsonScanner, view: DataView, e: Entry): Entry {
  do {
    const k = memberCode(s);
    const v = s.colon();
    switch (k) {
      case K_VERSION:
        e.version = s.expectString(v, '"version"');
        break;
      case K_HASHES:
        if (v !== CHAR.LBRACKET) s.unexpected(v, 'an array for "hashes"');
        readHashes(s, view, e);
        break;
      case K_INDEX:
        e.indexLine = s.line;
        e.indexColumn = s.column();
        e.index = s.expectString(v, '"index"');
        break;
      case K_GIT:
        e.git = s.expectString(v, '"git"');
        break;
      case K_REF:
        e.ref = s.expectString(v, '"ref"');
        break;
      case K_SUBDIRECTORY:
        e.subdirectory = s.expectString(v, '"subdirectory"');
        break;
      case K_PATH:
        e.path = s.expectString(v, '"path"');
        break;
      case K_FILE:
        e.fileRef = s.expectString(v, '"file"');
        break;
      case K_EDITABLE:
        e.editable = s.expectBoolean(v, '"editable"');
        break;
      default:
        s.skipValue(v); // markers, extras, …
    }
  } while (s.nextMember());
  return e;
}

/** The hashes of an entry without any (shared, never modified: `build` leaves `hashes` out then). */
const NO_HASHES: LockHash[] = [];

/**
 * An entry's `hashes` array (`[` at `pos`) → `e.hashes` and `e.integrity`. What pipenv writes —
 * `sha256:` and 64 lower-case hex digits, sorted — is checked on the scanner's bytes and made into
 * {@link LockHash}es as it is read, the integrity growing by concatenation (V8 links the pieces and
 * copies them once, when the string is first compared: cheaper than `join`); any other list
 * (another algorithm, upper case, repeats, out of order) goes through {@link normalizeHashSpec} and
 * {@link hashesFromSpecs}, with the same result. A second `hashes` member adds to the first.
 */
function readHashes(s: JsonScanner, view: DataView, e: Entry): void {
  const b = s.bytes;
  const src = s.src;
  const len = src.length;
  const hashes: LockHash[] = [];
  let integrity: string | undefined;
  /** Every hash as normalised text, once the list has left the fast path (undefined until then). */
  let specs: string[] | undefined = e.hashes.length > 0 ? specsOf(e.hashes) : undefined;
  let prev = -1; // offset of the previous plain hash's digest while the list is plain and sorted
  for (let c = openArray(s); c !== CHAR.RBRACKET; c = nextElement(s)) {
    const at = s.pos;
    if (c !== CHAR.QUOTE) s.unexpected(c, 'a string for a hash');
    // a plain hash holds no quote, backslash or control character: its closing quote is at +72
    if (specs === undefined && at + 72 < len && b[at + 72] === CHAR.QUOTE && isPlainSha256(view, b, at + 1) && (prev < 0 || digestAfter(view, prev, at + 8))) {
      s.pos = at + 73;
      prev = at + 8;
      const digest = src.slice(at + 8, at + 72);
      integrity = integrity === undefined ? src.slice(at + 1, at + 72) : integrity + ' sha256:' + digest;
      hashes.push({ algorithm: 'sha256', digest });
      continue;
    }
    specs ??= specsOf(hashes);
    const end = s.scanString();
    const spec = end >= 0 ? src.slice(at + 1, end) : s.decoded;
    const h = normalizeHashSpec(spec);
    if (h === undefined) s.fail(`invalid hash "${spec.slice(0, 100)}" (expected algorithm:hexdigest)`, at);
    specs.push(h);
  }
  if (specs === undefined) {
    e.hashes = hashes;
    e.integrity = integrity;
  } else {
    const r = hashesFromSpecs(specs);
    e.hashes = r.hashes;
    e.integrity = r.integrity;
  }
}

/** `algorithm:digest` of each hash. */
function specsOf(hashes: readonly LockHash[]): string[] {
  return hashes.map((h) => `${h.algorithm}:${h.digest}`);
}

// ---------------------------------------------------------------------------------------------
// Model building

const ARCHIVE_RE = /\.(?:whl|tar\.gz|tar\.bz2|tar\.xz|tgz|zip|tar)$/i;

function isHttp(u: string): boolean {
  return /^https?:\/\//i.test(u);
}

/**
 * `==<version>` as pipenv writes it (ASCII, no space, none of `,;=<>!~*`): the version; otherwise
 * undefined, and the regular expression of {@link pinnedVersion} decides.
 */
function simplePin(v: string): string | undefined {
  const n = v.length;
  if (n < 3 || v.charCodeAt(0) !== 61 || v.charCodeAt(1) !== 61) return undefined;
  for (let i = 2; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c <= 32 || c >= 127 || c === 44 || c === 59 || c === 61 || c === 60 || c === 62 || c === 33 || c === 126 || c === 42) return undefined;
  }
  return v.slice(2);
}

/** The version an entry pins with `==`/`===`; undefined when it has none or does not pin one (`*`, `>=1`). */
function pinnedVersion(e: Entry): string | undefined {
  if (e.version === undefined) return undefined;
  const simple = simplePin(e.version);
  if (simple !== undefined) return simple;
  return /^\s*===?\s*([^\s,;=<>!~*]+)\s*$/.exec(e.version)?.[1];
}

/** Why an index entry is not reviewed: pipenv installs whatever the index offers for it. */
function unpinnedReason(e: Entry): string {
  return e.version === undefined ? 'no version in the lockfile' : `not pinned with == (version ${JSON.stringify(e.version.slice(0, 100))})`;
}

/** The entry's source and version; undefined for an index entry that pins no version. */
function sourceOf(e: Entry, top: Top, file: string): { source: Source; version: string } | undefined {
  const pinned = pinnedVersion(e);
  if (e.git !== undefined) {
    const { repo, rev } = gitRepoUrl(e.git);
    const commit = e.ref ?? rev;
    let url = commit === undefined ? repo : `${repo}@${commit}`;
    if (e.subdirectory !== undefined) url += `#subdirectory=${e.subdirectory}`;
    return { source: { type: 'git', url }, version: pinned ?? commit ?? e.git.trim() };
  }
  const local = e.fileRef ?? e.path;
  if (local !== undefined) {
    if (isHttp(local)) return { source: { type: 'url', url: local }, version: pinned ?? distFileVersion(local) ?? local };
    const archive = ARCHIVE_RE.test(local.replace(/[?#].*$/, ''));
    const type = e.editable ? 'editable' : archive ? 'file' : 'link';
    return { source: { type, url: local }, version: pinned ?? (archive ? distFileVersion(local) : undefined) ?? local };
  }
  if (pinned === undefined) return undefined;
  let url: string | undefined;
  if (e.index !== undefined) {
    url = top.sources.get(e.index);
    if (url === undefined) {
      const line = e.indexLine;
      const column = e.indexColumn;
      throw new LockfileError(`package "${e.key.slice(0, 100)}" names index "${e.index.slice(0, 100)}", which is not in _meta.sources`, { file, line, column });
    }
  } else url = top.firstSource;
  return { source: url === undefined ? { type: 'registry' } : { type: 'registry', url }, version: pinned };
}

function samePin(a: Entry, at: { source: Source; version: string }, b: Entry, bt: { source: Source; version: string }): boolean {
  return at.version === bt.version && at.source.type === bt.source.type && at.source.url === bt.source.url && a.integrity === b.integrity;
}

function flagsOf(dev: boolean): PackageFlags {
  return { dev, optional: false, devOptional: false, peer: false, hasInstallScript: false, bundled: false };
}

function build(file: string, top: Top): Lockfile {
  const packages: LockPackage[] = [];
  /** name → its package from `default` (a develop entry with the same version and source joins it). */
  const byName = new Map<string, LockPackage>();
  const unreviewed: UnreviewedRequirement[] = [];
  for (const section of ['default', 'develop']) {
    const entries = top.sections.get(section) ?? [];
    const seen = new Map<string, [Entry, { source: Source; version: string }]>();
    for (const e of entries) {
      const located = sourceOf(e, top, file);
      if (located === undefined) {
        unreviewed.push({ name: e.name, line: e.line, reason: unpinnedReason(e) });
        continue;
      }
      const before = seen.get(e.name);
      if (before !== undefined) {
        if (samePin(before[0], before[1], e, located)) continue; // `Sphinx` and `sphinx`, one pin said twice
        // two pins of one project: pip refuses them too, and the review cannot know which one installs
        throw new LockfileError(
          `package "${e.key.slice(0, 100)}" is listed twice in "${section}" (also as "${before[0].key.slice(0, 100)}" on line ${before[0].line})`,
          {
            file,
            line: e.line,
            column: e.column,
          },
        );
      }
      seen.set(e.name, [e, located]);
      const { source, version } = located;
      const hashes = e.hashes;
      const integrity = e.integrity;
      const prior = e.dev ? byName.get(e.name) : undefined;
      if (
        prior !== undefined &&
        prior.version === version &&
        prior.source.type === source.type &&
        prior.source.url === source.url &&
        prior.integrity === integrity
      ) {
        continue; // the same package in both sections: installed either way, so not dev
      }
      const id = prior === undefined ? e.name : `develop:${e.name}`;
      const flags = flagsOf(e.dev);
      // one literal per shape (integrity is set exactly when there are hashes)
      const pkg: LockPackage =
        integrity === undefined
          ? { id, name: e.name, version, source, flags, line: e.line, deps: [] }
          : { id, name: e.name, version, source, flags, line: e.line, deps: [], hashes, integrity };
      checkPackageCount(file, packages.length + 1, e.line);
      packages.push(pkg);
      if (!e.dev) byName.set(e.name, pkg);
    }
  }
  return {
    ecosystem: 'pypi',
    format: 'pipfile',
    file,
    importers: [{ path: '', line: 1, deps: packages.map((p) => p.id) }],
    packages,
    ...(unreviewed.length ? { unreviewed } : {}),
  };
}
