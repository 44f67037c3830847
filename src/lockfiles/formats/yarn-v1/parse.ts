/**
 * yarn classic `yarn.lock` (`# yarn lockfile v1`) → {@link Lockfile}, in one pass over the lines; the
 * format, sources and the importer heuristic are in docs/FORMATS.md. A specifier repeated in two
 * entries is refused (it would let one file say two things), as is anything that is not the format;
 * specifiers are only ever Map keys, and time is linear in the size of the text.
 */
import { LockfileError } from '../../../errors.js';
import { checkPackageCount } from '../../shared/limits.js';
import type { Importer, LockPackage, Lockfile, PackageFlags, Source } from '../../../model/index.js';
import { classifyResolved, isDirectorySpec, isSemverVersion } from '../../shared/source.js';

export const YARN_V1_HEADER = '# yarn lockfile v1';

/** Does the text (from `start`) carry yarn v1's header comment among its first lines? */
export function sniffYarnV1(text: string, start: number): boolean {
  const head = text.slice(start, start + 1024);
  const at = head.indexOf(YARN_V1_HEADER);
  if (at < 0) return false;
  // the header is a comment line of its own; only comments and blank lines come before it
  if (at > 0 && head.charCodeAt(at - 1) !== 10) return false;
  for (const l of head.slice(0, at).split('\n')) {
    const t = l.trim();
    if (t !== '' && !t.startsWith('#')) return false;
  }
  return true;
}

const SP = 32;
const TAB = 9;
const CR = 13;
const QUOTE = 34;
const HASH = 35;
const COMMA = 44;
const COLON = 58;
const BACKSLASH = 92;

/** What the indent-4 lines belong to. */
const B_NONE = 0;
const B_DEPS = 1;
const B_OPTIONAL = 2;
const B_SKIP = 3;

interface Entry {
  line: number;
  specs: string[];
  version: string | undefined;
  resolved: string | undefined;
  integrity: string | undefined;
  /** `name@range` of each dependency in `dependencies`. */
  deps: string[] | undefined;
  /** `name@range` of each dependency in `optionalDependencies`. */
  optional: string[] | undefined;
}

class Reader {
  /** Position after the last token read. */
  pos = 0;
  constructor(
    readonly text: string,
    readonly file: string,
    public line: number,
    public lineStart: number,
    public end: number,
  ) {}

  fail(message: string, at = this.pos): never {
    throw new LockfileError(message, { file: this.file, line: this.line, column: at - this.lineStart + 1 });
  }

  /** A quoted (JSON) string or an unquoted token at `pos`. */
  token(what: string): string {
    const text = this.text;
    const end = this.end;
    let i = this.pos;
    if (i >= end) this.fail(`expected ${what}`);
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const from = i;
      let escaped = false;
      i++;
      for (;;) {
        if (i >= end) this.fail(`unterminated string (${what})`, from);
        const d = text.charCodeAt(i);
        if (d === QUOTE) break;
        if (d < 0x20) this.fail(`control character in a string (${what})`, i);
        if (d === BACKSLASH) {
          escaped = true;
          i++;
        }
        i++;
      }
      this.pos = i + 1;
      if (!escaped) return text.slice(from + 1, i);
      try {
        return JSON.parse(text.slice(from, i + 1)) as string;
      } catch {
        this.fail(`invalid string (${what})`, from);
      }
    }
    const from = i;
    while (i < end) {
      const d = text.charCodeAt(i);
      // Like yarn's own lexer, `#` ends nothing inside a token (`tooling@webpack/tooling#v1.23.3`).
      if (d === SP || d === COLON || d === COMMA || d === QUOTE || d === CR || d === TAB) break;
      i++;
    }
    if (i === from) this.fail(`expected ${what}`);
    this.pos = i;
    return text.slice(from, i);
  }

  spaces(): void {
    const text = this.text;
    while (this.pos < this.end && text.charCodeAt(this.pos) === SP) this.pos++;
  }

  peek(): number {
    return this.pos < this.end ? this.text.charCodeAt(this.pos) : -1;
  }

  /** Nothing but spaces (and a comment) up to the end of the line. */
  endOfLine(): void {
    this.spaces();
    if (this.pos < this.end && this.text.charCodeAt(this.pos) !== HASH) this.fail(`unexpected ${JSON.stringify(this.text[this.pos])}`);
  }
}

/** `name@range` → [name, range] (the `@` after the first character). */
export function splitSpecifier(spec: string): [string, string] {
  const at = spec.indexOf('@', 1);
  if (at < 0) return [spec, ''];
  return [spec.slice(0, at), spec.slice(at + 1)];
}

const LOCAL_PREFIXES = ['file:', 'link:', 'portal:'];

/** A `file:`/`link:` range naming a directory. */
function localDirectory(range: string): string | undefined {
  for (const p of LOCAL_PREFIXES) {
    if (range.startsWith(p)) {
      const path = range.slice(p.length);
      return p === 'file:' && !isDirectorySpec(path) ? undefined : normaliseRelative(path);
    }
  }
  return undefined;
}

function normaliseRelative(path: string): string {
  let p = path.replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  while (p.endsWith('/') && p.length > 1) p = p.slice(0, -1);
  return p;
}

/** `https://host/owner/repo.git#<commit>`: yarn v1 writes git dependencies over http(s) so. */
function isHttpGit(resolved: string): boolean {
  if (!resolved.startsWith('https://') && !resolved.startsWith('http://')) return false;
  let end = resolved.indexOf('#');
  if (end < 0) end = resolved.length;
  return resolved.endsWith('.git', end);
}

/** A specifier's range that names its source itself (a URL, git, a path) rather than registry versions. */
const SOURCE_RANGE = /^(?:[a-z][a-z0-9+.-]*:|\.{0,2}\/)/i;

/**
 * From `resolved`; without one, from the range of the entry's specifier when it names a source
 * (`file:`, git, a URL: not `npm:` aliases), else a registry version (or unknown).
 */
function sourceOf(resolved: string | undefined, range: string, name: string, version: string): Source {
  let from = resolved;
  if ((from === undefined || from === '') && !range.startsWith('npm:') && SOURCE_RANGE.test(range)) from = range;
  if (from !== undefined && from !== '') {
    if (isHttpGit(from)) return { type: 'git', url: from };
    return classifyResolved(from, name, version);
  }
  return { type: isSemverVersion(version) ? 'registry' : 'unknown' };
}

/** Parses yarn v1 lockfile text (BOM already skipped: parsing starts at `start`). */
export function parseYarnV1(file: string, text: string, start = 0): Lockfile {
  const n = text.length;
  const entries: Entry[] = [];
  const bySpec = new Map<string, number>();
  let header = false;
  let entry: Entry | undefined;
  let block = B_NONE;
  let line = 0;
  let pos = start;
  const r: Reader = new Reader(text, file, 0, start, start);
  while (pos < n) {
    line++;
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = n;
    let end = eol;
    if (end > pos && text.charCodeAt(end - 1) === CR) end--;
    r.line = line;
    r.lineStart = pos;
    r.end = end;
    let i = pos;
    while (i < end && text.charCodeAt(i) === SP) i++;
    const indent = i - pos;
    const c = i < end ? text.charCodeAt(i) : -1;
    pos = eol + 1;
    if (c === -1) continue; // blank line
    if (c === HASH) {
      if (!header && indent === 0 && text.startsWith(YARN_V1_HEADER, i)) header = true;
      continue;
    }
    r.pos = i;
    if (c === TAB) r.fail('tab in indentation');
    if (indent & 1) r.fail(`invalid indentation (${indent} spaces)`);
    if (indent === 0) {
      checkPackageCount(file, entries.length + 1, line);
      entry = addEntry(entries, bySpec, readKey(r, text), line);
      block = B_NONE;
    } else if (entry === undefined) r.fail('indented line outside an entry');
    else if (indent === 2) block = readField(r, entry);
    else if (indent === 4 && (block === B_DEPS || block === B_OPTIONAL)) readDependency(r, entry, block);
    else if (block !== B_SKIP) r.fail(`unexpected indentation (${indent} spaces)`); // B_SKIP: under a field not read
  }
  if (!header) throw new LockfileError(`not a yarn v1 lockfile (no "${YARN_V1_HEADER}" header)`, { file, line: 1 });
  return build(file, ...withoutOverridden(entries, bySpec));
}

/** An entry key: `specifier(, specifier)*:`. */
function readKey(r: Reader, text: string): string[] {
  const specs: string[] = [];
  for (;;) {
    specs.push(r.token('a specifier'));
    r.spaces();
    const d = r.peek();
    if (d === COMMA) {
      r.pos++;
      r.spaces();
      continue;
    }
    if (d === COLON) {
      r.pos++;
      r.endOfLine();
      return specs;
    }
    r.fail(d === -1 ? 'expected ":" after the entry key' : `unexpected ${JSON.stringify(text[r.pos])} in the entry key`);
  }
}

/** A new entry for the key's specifiers; a specifier an earlier entry claimed moves to this one. */
function addEntry(entries: Entry[], bySpec: Map<string, number>, specs: string[], line: number): Entry {
  const index = entries.length;
  const own: string[] = [];
  for (const spec of specs) {
    const other = bySpec.get(spec);
    if (other === index) continue; // `a@^1, a@^1:` says one thing twice
    // a specifier in an earlier entry too (a bad merge): yarn reads the last one, and so does this
    if (other !== undefined) entries[other]!.specs = entries[other]!.specs.filter((x) => x !== spec);
    bySpec.set(spec, index);
    own.push(spec);
  }
  const entry: Entry = { line, specs: own, version: undefined, resolved: undefined, integrity: undefined, deps: undefined, optional: undefined };
  entries.push(entry);
  return entry;
}

/** A field line (indent 2): a value the model keeps, or the start of a block. Returns the block now open. */
function readField(r: Reader, entry: Entry): number {
  const key = r.token('a field name');
  r.spaces();
  if (r.peek() === COLON) {
    r.pos++;
    r.endOfLine();
    // a block written twice (a bad merge): yarn keeps the last, so the first list is dropped
    if (key === 'dependencies') {
      entry.deps = undefined;
      return B_DEPS;
    }
    if (key === 'optionalDependencies') {
      entry.optional = undefined;
      return B_OPTIONAL;
    }
    return B_SKIP;
  }
  const value = r.token(`the value of "${key}"`);
  r.endOfLine();
  // a field written twice: the last wins, as in yarn (uid and unknown fields are not kept)
  if (key === 'version') entry.version = value;
  else if (key === 'resolved') entry.resolved = value;
  else if (key === 'integrity') entry.integrity = value;
  return B_NONE;
}

/** A dependency line (indent 4) of a `dependencies` or `optionalDependencies` block. */
function readDependency(r: Reader, entry: Entry, block: number): void {
  const name = r.token('a dependency name');
  if (r.peek() !== SP) r.fail('expected a space and a range after the dependency name');
  r.spaces();
  const range = r.token(`the range of "${name}"`);
  r.endOfLine();
  if (block === B_DEPS) (entry.deps ??= []).push(name + '@' + range);
  else (entry.optional ??= []).push(name + '@' + range);
}

/** The entries yarn can still reach: one whose every specifier a later entry took over is never installed. */
function withoutOverridden(entries: Entry[], bySpec: Map<string, number>): [Entry[], Map<string, number>] {
  if (entries.every((e) => e.specs.length > 0)) return [entries, bySpec];
  const kept = entries.filter((e) => e.specs.length > 0);
  const index = new Map<string, number>();
  kept.forEach((e, k) => {
    for (const spec of e.specs) index.set(spec, k);
  });
  return [kept, index];
}

const NO_FLAGS: Readonly<PackageFlags> = { dev: false, optional: false, devOptional: false, peer: false, hasInstallScript: false, bundled: false };

/**
 * `optional`: a package reached from the roots (entries nothing depends on, and local
 * directories) only through some `optionalDependencies` edge, as npm's flag means.
 */
function markOptional(m: number, required: Uint8Array, edges: Int32Array[], hard: Int32Array, packages: (LockPackage | undefined)[]): void {
  const seen = new Uint8Array(m);
  const queue = new Int32Array(m);
  let tail = 0;
  for (let e = 0; e < m; e++) {
    if (!required[e] || packages[e] === undefined) {
      seen[e] = 1;
      queue[tail++] = e;
    }
  }
  for (let head = 0; head < tail; head++) {
    const from = queue[head]!;
    const list = edges[from]!;
    for (let k = 0; k < hard[from]!; k++) {
      const t = list[k]!;
      if (!seen[t]) {
        seen[t] = 1;
        queue[tail++] = t;
      }
    }
  }
  // then through every edge: what is reached only now is optional (what is never reached, in a
  // cycle of its own, is left as is)
  for (let head = 0; head < tail; head++) {
    const from = queue[head]!;
    const list = edges[from]!;
    for (let k = 0; k < list.length; k++) {
      const t = list[k]!;
      if (!seen[t]) {
        seen[t] = 1;
        queue[tail++] = t;
        if (packages[t] !== undefined) packages[t]!.flags.optional = true;
      }
    }
  }
}

function build(file: string, entries: Entry[], bySpec: Map<string, number>): Lockfile {
  const m = entries.length;
  /** per entry: package id, or importer path for a local directory */
  const ids: string[] = new Array<string>(m);
  const local = new Uint8Array(m);
  const packages: (LockPackage | undefined)[] = new Array<LockPackage | undefined>(m);
  for (let e = 0; e < m; e++) {
    const en = entries[e]!;
    const first = en.specs[0]!;
    const [specName, range] = splitSpecifier(first);
    if (en.resolved === undefined) {
      const dir = localDirectory(range);
      if (dir !== undefined) {
        local[e] = 1;
        ids[e] = dir;
        continue;
      }
    }
    if (en.version === undefined) throw new LockfileError(`entry ${JSON.stringify(first)} has no version`, { file, line: en.line });
    let name = specName;
    let alias: string | undefined;
    if (range.startsWith('npm:')) {
      const [real] = splitSpecifier(range.slice(4));
      if (real !== '' && real !== specName) {
        name = real;
        alias = specName;
      }
    }
    const version = en.version;
    const pkg: LockPackage = {
      id: first,
      name,
      version,
      source: sourceOf(en.resolved, range, name, version),
      flags: { ...NO_FLAGS },
      line: en.line,
      deps: [],
    };
    if (alias !== undefined) pkg.alias = alias;
    if (en.integrity !== undefined) pkg.integrity = en.integrity;
    checkPackageCount(file, e + 1, en.line);
    packages[e] = pkg;
    ids[e] = first;
  }
  const required = new Uint8Array(m);
  const importers: Importer[] = [];
  const out: LockPackage[] = [];
  /** per entry: the entries of its `dependencies`, then those of its `optionalDependencies` */
  const edges: Int32Array[] = new Array<Int32Array>(m);
  const hard = new Int32Array(m); // how many of edges[e] are `dependencies`
  const targets: number[] = [];
  const stamp = new Int32Array(m); // e + 1 once target t is in e's list: no repeats, in linear time
  for (let e = 0; e < m; e++) {
    const en = entries[e]!;
    const deps: string[] = [];
    targets.length = 0;
    for (let list = 0; list < 2; list++) {
      const specs = list === 0 ? en.deps : en.optional;
      if (specs !== undefined) {
        for (const spec of specs) {
          const t = bySpec.get(spec);
          if (t === undefined || t === e) continue; // not in the file: nothing to point at
          if (!required[t]) required[t] = 1;
          if (stamp[t] === e + 1) continue;
          stamp[t] = e + 1;
          targets.push(t);
          deps.push(ids[t]!);
        }
      }
      if (list === 0) hard[e] = targets.length;
    }
    edges[e] = Int32Array.from(targets);
    if (local[e]) importers.push({ path: ids[e]!, name: splitSpecifier(en.specs[0]!)[0], line: en.line, deps });
    else {
      packages[e]!.deps = deps;
      out.push(packages[e]!);
    }
  }
  const rootDeps: string[] = [];
  for (let e = 0; e < m; e++) if (!required[e] && !local[e]) rootDeps.push(ids[e]!);
  markOptional(m, required, edges, hard, packages);
  return { ecosystem: 'npm', format: 'yarn-v1', file, importers: [{ path: '', line: 1, deps: rootDeps }, ...importers], packages: out };
}
