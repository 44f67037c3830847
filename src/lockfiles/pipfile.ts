/**
 * pipenv's `Pipfile.lock` (JSON) → {@link Lockfile} (ecosystem `pypi`, format `pipfile`).
 *
 * Shape (one pass over the text with {@link JsonScanner}; each package's line is its key's line):
 *
 * ```json
 * { "_meta": { "hash": {…}, "pipfile-spec": 6, "requires": {…},
 *              "sources": [{ "name": "pypi", "url": "<index url>", "verify_ssl": true }] },
 *   "default": { "<name>": { "version": "==1.0", "hashes": ["sha256:…"], "index": "pypi", "markers": "…" },
 *                "<name>": { "git": "<repo url>", "ref": "<commit>", "subdirectory"?: "…", "editable"?: true },
 *                "<name>": { "file": "<url or path of an archive>" } | { "path": "<dir or archive>", "editable"?: true } },
 *   "develop": { … same … } }
 * ```
 *
 * Sources: an index package is `registry` with the URL of its `index` (else the first of
 * `_meta.sources`) as recorded, as data only: it is never fetched nor used as configuration.
 * `git` (editable or not: a checkout of remote code either way) → `git` with the locked commit
 * (`<repo>@<ref>`); `file` → `url` (http/https) or `file`; `path` → `file` for an archive, `link`
 * for a directory; an editable local path → `editable`. The diff skips `link` and `editable`
 * entries (the project's own code), as the corpus oracle does.
 *
 * Versions are `version` without its `==`/`===`; a git entry without `version` takes its `ref`
 * (the commit pipenv locked). Pipfile.lock records no dependency graph: every package is a direct
 * dependency of the root importer. A package in both `default` and `develop` with the same version
 * and source is one package (not dev); develop-only packages are dev.
 *
 * Names must be PEP 508 project names (so `__proto__` and the like are refused, and ids stay
 * unique: a second copy of a name in `develop` is `develop:<name>`); untrusted strings are only
 * ever Map keys. Two entries of one section whose names normalise to the same project (PEP 503)
 * are an error naming both lines.
 */
import { LockfileError } from '../errors.js';
import type { LockPackage, Lockfile, PackageFlags, Source } from '../model.js';
import { normalizePythonName } from '../versions/index.js';
import { CHAR, EOF, JsonScanner } from './json.js';
import { distFileVersion, gitRepoUrl, hashesFromSpecs, isValidPythonName, normalizeHashSpec } from './python.js';

export interface PipfileParseOptions {
  maxDepth: number;
}

const COMMA = 44;

/**
 * Does the text look like a Pipfile.lock? A JSON object whose first member is `_meta` (npm and bun
 * lockfiles start with other members; pipenv always writes `_meta` first).
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
  return seenBrace && text.startsWith('"_meta"', i);
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

/** 1 for the bytes of lower-case hex digits. */
const LOWER_HEX = new Uint8Array(256);
for (const ch of '0123456789abcdef') LOWER_HEX[ch.charCodeAt(0)] = 1;
const SHA256_PREFIX = [115, 104, 97, 50, 53, 54, 58]; // `sha256:`

/** Is `bytes[start, end)` `sha256:` and 64 lower-case hex digits (nearly every hash)? */
function isPlainSha256(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start !== 71) return false;
  for (let i = 0; i < 7; i++) if (bytes[start + i] !== SHA256_PREFIX[i]) return false;
  for (let i = start + 7; i < end; i++) if (LOWER_HEX[bytes[i]!] === 0) return false;
  return true;
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
  versionAt: [number, number] | undefined;
  /** `algorithm:digest`, lower case ({@link normalizeHashSpec}). */
  hashes: string[];
  index: string | undefined;
  indexAt: [number, number] | undefined;
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
        } else top.sections.set(k, readSection(s, k === 'develop'));
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

/** A `default` or `develop` map. */
function readSection(s: JsonScanner, dev: boolean): Entry[] {
  const entries: Entry[] = [];
  if (s.openObject() === CHAR.RBRACE) return entries;
  do {
    const line = s.line;
    const column = s.column();
    const key = s.readString();
    if (!isValidPythonName(key)) s.failAt(`invalid package name ${JSON.stringify(key.slice(0, 100))}`, line, column);
    const v = s.colon();
    if (v !== CHAR.LBRACE) s.unexpected(v, `an object for package "${key.slice(0, 100)}"`);
    entries.push(readEntry(s, key, line, column, dev));
  } while (s.nextMember());
  return entries;
}

function readEntry(s: JsonScanner, key: string, line: number, column: number, dev: boolean): Entry {
  // every member set from the start: one object shape for all entries
  const e: Entry = {
    key,
    name: normalizePythonName(key),
    line,
    column,
    dev,
    version: undefined,
    versionAt: undefined,
    hashes: [],
    index: undefined,
    indexAt: undefined,
    git: undefined,
    ref: undefined,
    subdirectory: undefined,
    path: undefined,
    fileRef: undefined,
    editable: false,
  };
  if (s.openObject() === CHAR.RBRACE) return e;
  do {
    const k = s.readString();
    const v = s.colon();
    switch (k) {
      case 'version':
        e.versionAt = [s.line, s.column()];
        e.version = s.expectString(v, '"version"');
        break;
      case 'hashes':
        if (v !== CHAR.LBRACKET) s.unexpected(v, 'an array for "hashes"');
        for (let c = openArray(s); c !== CHAR.RBRACKET; c = nextElement(s)) {
          const at = s.pos;
          if (c !== CHAR.QUOTE) s.unexpected(c, 'a string for a hash');
          const end = s.scanString();
          if (end >= 0 && isPlainSha256(s.bytes, at + 1, end)) {
            e.hashes.push(s.src.slice(at + 1, end)); // what pipenv writes: checked on the bytes, already normal
            continue;
          }
          const spec = end >= 0 ? s.src.slice(at + 1, end) : s.decoded;
          const h = normalizeHashSpec(spec);
          if (h === undefined) s.fail(`invalid hash "${spec.slice(0, 100)}" (expected algorithm:hexdigest)`, at);
          e.hashes.push(h);
        }
        break;
      case 'index':
        e.indexAt = [s.line, s.column()];
        e.index = s.expectString(v, '"index"');
        break;
      case 'git':
        e.git = s.expectString(v, '"git"');
        break;
      case 'ref':
        e.ref = s.expectString(v, '"ref"');
        break;
      case 'subdirectory':
        e.subdirectory = s.expectString(v, '"subdirectory"');
        break;
      case 'path':
        e.path = s.expectString(v, '"path"');
        break;
      case 'file':
        e.fileRef = s.expectString(v, '"file"');
        break;
      case 'editable':
        e.editable = s.expectBoolean(v, '"editable"');
        break;
      default:
        s.skipValue(v); // markers, extras, …
    }
  } while (s.nextMember());
  return e;
}

// ---------------------------------------------------------------------------------------------
// Model building

const ARCHIVE_RE = /\.(?:whl|tar\.gz|tar\.bz2|tar\.xz|tgz|zip|tar)$/i;

function isHttp(u: string): boolean {
  return /^https?:\/\//i.test(u);
}

function pinnedVersion(e: Entry, file: string): string | undefined {
  if (e.version === undefined) return undefined;
  const m = /^\s*===?\s*([^\s,;=<>!~*]+)\s*$/.exec(e.version);
  if (!m) {
    const [line, column] = e.versionAt!;
    throw new LockfileError(`version "${e.version.slice(0, 100)}" of "${e.key.slice(0, 100)}" is not pinned with ==`, { file, line, column });
  }
  return m[1]!;
}

function sourceOf(e: Entry, top: Top, file: string): { source: Source; version: string } {
  const pinned = pinnedVersion(e, file);
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
  if (pinned === undefined) {
    throw new LockfileError(`package "${e.key.slice(0, 100)}" has no "version" (nor git, file or path)`, { file, line: e.line, column: e.column });
  }
  let url: string | undefined;
  if (e.index !== undefined) {
    url = top.sources.get(e.index);
    if (url === undefined) {
      const [line, column] = e.indexAt!;
      throw new LockfileError(`package "${e.key.slice(0, 100)}" names index "${e.index.slice(0, 100)}", which is not in _meta.sources`, { file, line, column });
    }
  } else url = top.firstSource;
  return { source: url === undefined ? { type: 'registry' } : { type: 'registry', url }, version: pinned };
}

function flagsOf(dev: boolean): PackageFlags {
  return { dev, optional: false, devOptional: false, peer: false, hasInstallScript: false, bundled: false };
}

function build(file: string, top: Top): Lockfile {
  const packages: LockPackage[] = [];
  /** name → its package from `default` (a develop entry with the same version and source joins it). */
  const byName = new Map<string, LockPackage>();
  for (const section of ['default', 'develop']) {
    const entries = top.sections.get(section) ?? [];
    const seen = new Map<string, Entry>();
    for (const e of entries) {
      const before = seen.get(e.name);
      if (before !== undefined) {
        throw new LockfileError(`package "${e.key.slice(0, 100)}" is listed twice in "${section}" (also as "${before.key.slice(0, 100)}" on line ${before.line})`, {
          file,
          line: e.line,
          column: e.column,
        });
      }
      seen.set(e.name, e);
      const { source, version } = sourceOf(e, top, file);
      const { hashes, integrity } = hashesFromSpecs(e.hashes);
      const prior = e.dev ? byName.get(e.name) : undefined;
      if (prior !== undefined && prior.version === version && prior.source.type === source.type && prior.source.url === source.url && prior.integrity === integrity) {
        continue; // the same package in both sections: installed either way, so not dev
      }
      const pkg: LockPackage = {
        id: prior === undefined ? e.name : `develop:${e.name}`,
        name: e.name,
        version,
        source,
        flags: flagsOf(e.dev),
        line: e.line,
        deps: [],
      };
      if (hashes.length > 0) pkg.hashes = hashes;
      if (integrity !== undefined) pkg.integrity = integrity;
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
  };
}
