/**
 * yarn berry (yarn 2+) `yarn.lock` → {@link Lockfile}.
 *
 * The file is Syml, the YAML subset yarn writes: `__metadata` (`version` ≥ 4, `cacheKey`), then one
 * top-level mapping per locked package, keyed by its comma-separated descriptors
 * (`"lodash@npm:^4.17.0, lodash@npm:^4.17.21":`), with scalar fields (`version`, `resolution`,
 * `checksum`, `conditions`, `languageName`, `linkType`) and mappings (`dependencies`,
 * `peerDependencies`, `dependenciesMeta`, `bin`…). One pass over the lines, indentation-based, with
 * line numbers; no YAML library (no anchors, aliases, tags or flow collections: yarn never writes
 * them, and they are refused with a {@link LockfileError}).
 *
 * Model:
 * - id: the entry's `resolution` (a locator, unique in the file).
 * - `workspace:` resolutions are importers (path from the reference, `.` → ''), not packages.
 * - `link:`/`portal:` and `file:` directories are `link` packages (left out by the diff).
 * - `patch:` resolutions are the patched package: name from the locator, version from `version`;
 *   the source is that of the inner locator (registry for `npm:`), its url the patch resolution.
 * - `npm:` resolutions come from the registry; url = the resolution (yarn writes no tarball URL).
 * - integrity: the `checksum` as written (cache-key prefix included).
 * - Edges: a dependency `name: range` goes to the entry whose descriptors include `name@range`
 *   (`name@npm:range` when the range has no protocol). Peer dependencies are not resolved in the
 *   lockfile and give no edges.
 * - Flags: yarn berry records neither dev nor install scripts; `optional` is set for entries with
 *   `conditions` (os/cpu-restricted) and for those every dependent marks optional in
 *   `dependenciesMeta`.
 *
 * Everything keyed by the file's text lives in Maps.
 */
import semver from 'semver';
import { LockfileError } from '../../../errors.js';
import { checkPackageCount } from '../../shared/limits.js';
import type { Importer, LockPackage, Lockfile, Source } from '../../../model/index.js';
import { classifyResolved, isDirectorySpec } from '../../shared/source.js';

/** Does the text (from `start`) begin, after comments and blank lines, with `__metadata:`? */
export function sniffYarnBerry(text: string, start: number): boolean {
  let pos = start;
  const n = text.length;
  for (let guard = 0; pos < n && guard < 64; guard++) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = n;
    let i = pos;
    while (i < nl && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9 || text.charCodeAt(i) === 13)) i++;
    if (i === nl || text.charCodeAt(i) === 35 /* # */) {
      pos = nl + 1;
      continue;
    }
    return i === pos && (text.startsWith('__metadata:', i) || text.startsWith('"__metadata":', i));
  }
  return false;
}

const SECTION_NONE = 0;
const SECTION_DEPS = 1;
const SECTION_META = 2;
const SECTION_METADATA = 3;
const SECTION_OTHER = 4;

/** Does the range start with a protocol (`npm:`, `workspace:`, `git+ssh:`…)? Like /^[a-zA-Z][a-zA-Z0-9+.-]*:/. */
function hasProtocolPrefix(range: string): boolean {
  const n = range.length;
  for (let i = 0; i < n; i++) {
    const c = range.charCodeAt(i) | 32;
    if (c >= 97 && c <= 122) continue;
    if (i === 0) return false;
    const d = range.charCodeAt(i);
    if (d === 58) return true;
    if ((d >= 48 && d <= 57) || d === 43 || d === 46 || d === 45) continue;
    return false;
  }
  return false;
}

class Reader {
  line = 0;
  constructor(
    readonly file: string,
    readonly text: string,
  ) {}

  fail(message: string, line = this.line, column?: number): never {
    throw new LockfileError(message, column === undefined ? { file: this.file, line } : { file: this.file, line, column });
  }
}

/** Offset after the closing quote of the last {@link quoted} string. */
let quotedEnd = 0;

/** Reads a double-quoted scalar whose opening quote is at `q`; sets {@link quotedEnd}. */
function quoted(r: Reader, text: string, q: number, end: number): string {
  let i = q + 1;
  let escaped = false;
  for (;;) {
    if (i >= end) r.fail('unterminated string', r.line, q - lineStartOf(text, q) + 1);
    const c = text.charCodeAt(i);
    if (c === 34) break;
    if (c === 92) {
      escaped = true;
      i += 2;
      continue;
    }
    i++;
  }
  quotedEnd = i + 1;
  if (!escaped) return text.slice(q + 1, i);
  try {
    return JSON.parse(text.slice(q, i + 1)) as string;
  } catch {
    return r.fail('invalid escape in string', r.line, q - lineStartOf(text, q) + 1);
  }
}

function lineStartOf(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

/** Per entry, what the reader collected (parallel arrays). */
interface Entries {
  line: number[];
  descriptors: string[][];
  resolution: (string | undefined)[];
  version: (string | undefined)[];
  checksum: (string | undefined)[];
  conditions: boolean[];
  /** deps of entry e are depName/depRange[depStart[e], depStart[e+1]) */
  depStart: number[];
  /** names dependenciesMeta marks optional, per entry (rare: undefined when none) */
  optionalDeps: (string[] | undefined)[];
}

export interface YarnBerryParseResult extends Lockfile {
  /** The `__metadata` version and cache key as written. */
  metadata?: { version: number; cacheKey: string | undefined };
}

/** Parses a yarn berry `yarn.lock` (text from `start`, after any BOM). */
export function parseYarnBerry(file: string, text: string, start = 0): Lockfile {
  const r: Reader = new Reader(file, text);
  const n = text.length;
  const e: Entries = { line: [], descriptors: [], resolution: [], version: [], checksum: [], conditions: [], depStart: [], optionalDeps: [] };
  const depName: string[] = [];
  const depRange: string[] = [];
  /** descriptor → entry index */
  const byDescriptor = new Map<string, number>();
  let metaVersion: string | undefined;
  let cacheKey: string | undefined;
  let sawMetadata = false;

  let cur = -1; // current entry index; -2 while in __metadata
  let section = SECTION_NONE;
  let metaName: string | undefined; // dependenciesMeta: the dependency being described
  let lastIndent = 0;
  let lastOpens = false; // last key line had no value (a mapping follows)
  let fieldsSeen = 0; // bit set of scalar fields seen in the current entry (duplicate check)
  let pos = start;
  let lineNo = 0;

  while (pos < n) {
    lineNo++;
    r.line = lineNo;
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = n;
    let end = nl;
    if (end > pos && text.charCodeAt(end - 1) === 13) end--;
    let i = pos;
    while (i < end && text.charCodeAt(i) === 32) i++;
    const lineStart = pos;
    pos = nl + 1;
    if (i === end) continue; // blank
    let c = text.charCodeAt(i);
    if (c === 35) continue; // comment
    if (c === 9) r.fail('tab in indentation', lineNo, i - lineStart + 1);
    const indent = i - lineStart;
    if (indent > lastIndent + (lastOpens ? 2 : 0) || (indent > lastIndent && indent !== lastIndent + 2)) {
      r.fail('unexpected indentation', lineNo, indent + 1);
    }
    // key
    let key: string;
    let k: number;
    if (c === 34) {
      key = quoted(r, text, i, end);
      k = quotedEnd;
      if (k >= end || text.charCodeAt(k) !== 58) r.fail('expected ":" after the key', lineNo, k - lineStart + 1);
    } else {
      if (c === 38 || c === 42 || c === 33 || c === 123 || c === 91 || c === 45 || c === 63 || c === 124 || c === 62) {
        r.fail('unsupported YAML syntax (yarn lockfiles have no anchors, aliases, tags, lists or flow collections)', lineNo, indent + 1);
      }
      k = i;
      for (;;) {
        k = text.indexOf(':', k);
        if (k < 0 || k >= end) r.fail('expected "key: value"', lineNo, indent + 1);
        const after = k + 1 < end ? text.charCodeAt(k + 1) : 32;
        if (after === 32) break;
        k++;
      }
      key = text.slice(i, k);
      let ke = key.length;
      while (ke > 0 && key.charCodeAt(ke - 1) === 32) ke--;
      if (ke !== key.length) key = key.slice(0, ke);
    }
    // value
    let v = k + 1;
    while (v < end && text.charCodeAt(v) === 32) v++;
    let value: string | undefined;
    if (v < end) {
      c = text.charCodeAt(v);
      if (c === 34) {
        value = quoted(r, text, v, end);
        let after = quotedEnd;
        while (after < end && text.charCodeAt(after) === 32) after++;
        if (after < end && text.charCodeAt(after) !== 35) r.fail('unexpected text after a string', lineNo, after - lineStart + 1);
      } else {
        if (c === 38 || c === 42 || c === 33 || c === 123 || c === 91 || c === 124 || (c === 62 && v + 1 >= end)) {
          // `&anchor`, `*alias`, `!tag`, `{`/`[` flow, `|`/`>` block scalars: not Syml
          if (!(c === 42 && (v + 1 >= end || text.charCodeAt(v + 1) === 32))) {
            r.fail('unsupported YAML syntax (yarn lockfiles have no anchors, aliases, tags or flow collections)', lineNo, v - lineStart + 1);
          }
        }
        let ve = end;
        while (ve > v && text.charCodeAt(ve - 1) === 32) ve--;
        value = text.slice(v, ve);
      }
    }
    lastIndent = indent;
    lastOpens = value === undefined;

    if (indent === 0) {
      if (value !== undefined) r.fail(`top-level key "${clip(key)}" must be a mapping`, lineNo);
      section = SECTION_NONE;
      if (key === '__metadata') {
        if (sawMetadata) r.fail('duplicate __metadata', lineNo);
        sawMetadata = true;
        cur = -2;
        section = SECTION_METADATA;
        continue;
      }
      if (!sawMetadata) r.fail('expected __metadata before the entries', lineNo);
      cur = e.line.length;
      fieldsSeen = 0;
      e.line.push(lineNo);
      const descriptors = splitDescriptors(key);
      for (const d of descriptors) {
        if (byDescriptor.has(d)) r.fail(`duplicate descriptor "${clip(d)}"`, lineNo);
        byDescriptor.set(d, cur);
      }
      e.descriptors.push(descriptors);
      e.resolution.push(undefined);
      e.version.push(undefined);
      e.checksum.push(undefined);
      e.conditions.push(false);
      e.depStart.push(depName.length);
      e.optionalDeps.push(undefined);
      continue;
    }

    if (cur === -2) {
      if (indent !== 2) r.fail('unexpected nesting in __metadata', lineNo);
      if (key === 'version') {
        if (metaVersion !== undefined) r.fail('duplicate key "version"', lineNo);
        metaVersion = value ?? '';
      } else if (key === 'cacheKey') cacheKey = value;
      continue;
    }

    if (indent === 2) {
      metaName = undefined;
      let bit = 0;
      switch (key) {
        case 'version':
          bit = 1;
          e.version[cur] = value;
          break;
        case 'resolution':
          bit = 2;
          e.resolution[cur] = value;
          break;
        case 'checksum':
          bit = 4;
          e.checksum[cur] = value;
          break;
        case 'conditions':
          bit = 8;
          e.conditions[cur] = value !== undefined && value !== '';
          break;
        case 'dependencies':
          bit = 16;
          break;
        case 'dependenciesMeta':
          bit = 32;
          break;
        case 'languageName':
          bit = 64;
          break;
        case 'linkType':
          bit = 128;
          break;
      }
      if (bit !== 0) {
        if ((fieldsSeen & bit) !== 0) r.fail(`duplicate key "${key}"`, lineNo);
        fieldsSeen |= bit;
      }
      section = key === 'dependencies' ? SECTION_DEPS : key === 'dependenciesMeta' ? SECTION_META : SECTION_OTHER;
      if ((section === SECTION_DEPS || section === SECTION_META) && value !== undefined && value !== '') {
        r.fail(`"${key}" must be a mapping`, lineNo);
      }
      continue;
    }

    if (indent === 4) {
      if (section === SECTION_DEPS) {
        if (value === undefined) r.fail('a dependency needs a range', lineNo);
        depName.push(key);
        depRange.push(value);
      } else if (section === SECTION_META) {
        metaName = key;
      }
      continue;
    }

    if (indent === 6 && section === SECTION_META && metaName !== undefined && key === 'optional' && value === 'true') {
      const list = e.optionalDeps[cur];
      if (list === undefined) e.optionalDeps[cur] = [metaName];
      else list.push(metaName);
    }
    // deeper lines of other sections (`bin`, `peerDependenciesMeta`…): not needed
  }

  if (!sawMetadata) r.fail('not a yarn berry lockfile (no __metadata)', 1);
  const version = metaVersion === undefined ? NaN : Number(metaVersion);
  if (!Number.isInteger(version)) r.fail(`__metadata.version is missing or not an integer`, 1);
  if (version < 4) r.fail(`unsupported yarn lockfile version ${version} (yarn berry lockfiles have version 4 and up)`, 1);
  const count = e.line.length;
  e.depStart.push(depName.length);

  // ---- build the model
  const packages: LockPackage[] = [];
  const importers: Importer[] = [];
  /** entry → package index, -1 for importers */
  const pkgOf = new Int32Array(count).fill(-1);
  const optionalCount = new Int32Array(count); // dependents marking it optional
  const dependents = new Int32Array(count);

  const resolutions = new Set<string>();
  for (let x = 0; x < count; x++) {
    const resolution = e.resolution[x];
    if (resolution === undefined) r.fail('entry has no resolution', e.line[x]!);
    if (resolutions.has(resolution)) r.fail(`duplicate resolution "${clip(resolution)}"`, e.line[x]!);
    resolutions.add(resolution);
    const at = resolution.indexOf('@', 1);
    if (at <= 0) r.fail(`invalid resolution "${clip(resolution)}"`, e.line[x]!);
    const name = resolution.slice(0, at);
    const ref = resolution.slice(at + 1);
    const entryVersion = e.version[x];
    if (ref.startsWith('workspace:')) {
      let path = ref.slice(10);
      if (path === '.' || path === './') path = '';
      else if (path.startsWith('./')) path = path.slice(2);
      importers.push({ path, name, line: e.line[x]!, deps: [] });
      continue;
    }
    if (entryVersion === undefined) r.fail('entry has no version', e.line[x]!);
    let realName = name;
    let source: Source;
    if (ref.startsWith('npm:')) {
      const inner = ref.slice(4);
      const a = inner.indexOf('@', 1);
      if (a > 0) realName = inner.slice(0, a); // `npm:real@1.2.3` (yarn writes the real name outside)
      source = { type: 'registry', url: resolution };
    } else if (ref.startsWith('patch:')) {
      const hash = ref.indexOf('#');
      let inner = ref.slice(6, hash < 0 ? ref.length : hash);
      try {
        inner = decodeURIComponent(inner);
      } catch {
        // keep it encoded
      }
      const a = inner.indexOf('@', 1);
      if (a > 0) realName = inner.slice(0, a);
      const innerRef = a > 0 ? inner.slice(a + 1) : inner;
      const innerType = referenceSource(innerRef, realName, entryVersion).type;
      source = { type: innerType === 'link' ? 'file' : innerType, url: resolution };
    } else {
      source = referenceSource(ref, name, entryVersion);
    }
    const descriptors = e.descriptors[x]!;
    let alias: string | undefined;
    let hasReal = false;
    for (const d of descriptors) if (descriptorName(d) === realName) hasReal = true;
    if (!hasReal && descriptors.length > 0) alias = descriptorName(descriptors[0]!);
    const checksum = e.checksum[x];
    const pkg: LockPackage = {
      id: resolution,
      name: realName,
      version: entryVersion,
      source,
      flags: { dev: false, optional: e.conditions[x]!, devOptional: false, peer: false, hasInstallScript: false, bundled: false },
      line: e.line[x]!,
      deps: [],
    };
    if (alias !== undefined && alias !== realName) pkg.alias = alias;
    if (checksum !== undefined) pkg.integrity = checksum;
    checkPackageCount(file, packages.length + 1, pkg.line);
    pkgOf[x] = packages.length;
    packages.push(pkg);
  }

  // A descriptor missing from every key: the project's `resolutions` overrode it (the lockfile then
  // only has the override's descriptor). Fall back to the entry of that name whose version
  // satisfies the range (the highest), else the only entry of that name.
  let byName: Map<string, number[]> | undefined;
  const byNameFallback = (name: string, range: string): number => {
    if (byName === undefined) {
      byName = new Map();
      for (let x = 0; x < count; x++) {
        const p = pkgOf[x]!;
        if (p < 0) continue;
        const list = byName.get(packages[p]!.name);
        if (list === undefined) byName.set(packages[p]!.name, [x]);
        else list.push(x);
      }
    }
    let real = name;
    let r = range;
    if (r.startsWith('npm:')) {
      r = r.slice(4);
      const a = r.indexOf('@', 1);
      if (a > 0) {
        real = r.slice(0, a);
        r = r.slice(a + 1);
      }
    }
    const list = byName.get(real);
    if (list === undefined) return -1;
    if (list.length === 1) return list[0]!;
    let best = -1;
    let bestVersion = '';
    if (semver.validRange(r, { loose: true }) !== null) {
      for (const x of list) {
      const v = packages[pkgOf[x]!]!.version;
      if (packages[pkgOf[x]!]!.source.type !== 'registry' || !semver.satisfies(v, r, { loose: true, includePrerelease: true })) continue;
        if (best < 0 || semver.gt(v, bestVersion, { loose: true })) {
          best = x;
          bestVersion = v;
        }
      }
    }
    if (best >= 0) return best;
    // overridden to a version outside the range: when every entry of that name has one version
    // (a package and its patch), the patch (what yarn installs), else nothing
    const v0 = packages[pkgOf[list[0]!]!]!.version;
    for (const x of list) {
      const p = packages[pkgOf[x]!]!;
      if (p.version !== v0) return -1;
      if (p.id.includes('@patch:')) best = x;
    }
    return best;
  };

  // edges
  let imp = 0;
  const seen = new Set<number>();
  for (let x = 0; x < count; x++) {
    const p = pkgOf[x]!;
    const from = e.depStart[x]!;
    const to = e.depStart[x + 1]!;
    const out: string[] = [];
    seen.clear();
    const optional = e.optionalDeps[x];
    for (let d = from; d < to; d++) {
      let t = resolveDependency(byDescriptor, depName[d]!, depRange[d]!, e.resolution[x]!);
      if (t < 0) t = byNameFallback(depName[d]!, depRange[d]!);
      if (t < 0 || t === x || seen.has(t)) continue;
      seen.add(t);
      dependents[t]!++;
      if (optional !== undefined && optional.includes(depName[d]!)) optionalCount[t]!++;
      const tp = pkgOf[t]!;
      if (tp >= 0) out.push(packages[tp]!.id); // edges to workspaces: those are importers themselves
    }
    if (p >= 0) packages[p]!.deps = out;
    else importers[imp++]!.deps = out;
  }
  for (let x = 0; x < count; x++) {
    const p = pkgOf[x]!;
    if (p >= 0 && dependents[x]! > 0 && optionalCount[x] === dependents[x]) packages[p]!.flags.optional = true;
  }

  const lock: YarnBerryParseResult = { ecosystem: 'npm', format: `yarn-berry-v${version}`, file, importers, packages };
  Object.defineProperty(lock, 'metadata', { value: { version, cacheKey }, enumerable: false });
  return lock;
}

/** The entry a dependency `name: range` resolves to, or -1. */
function resolveDependency(byDescriptor: Map<string, number>, name: string, range: string, parent: string): number {
  const hasProtocol = hasProtocolPrefix(range);
  const descriptor = hasProtocol ? `${name}@${range}` : `${name}@npm:${range}`;
  const t = byDescriptor.get(descriptor);
  if (t !== undefined) return t;
  if (!hasProtocol) {
    // older lockfiles (metadata version 4) key some entries by the bare range
    const bare = byDescriptor.get(`${name}@${range}`);
    if (bare !== undefined) return bare;
  }
  // relative `link:`/`portal:`/`file:`/`patch:` descriptors are bound to the locator of the package declaring them
  if (hasProtocol && !range.startsWith('npm:')) {
    const bound = byDescriptor.get(`${descriptor}::locator=${encodeURIComponent(parent)}`);
    if (bound !== undefined) return bound;
  }
  // an alias to another protocol (`alias: "npm:real@workspace:^"`): yarn locks it as `real@workspace:^`
  if (range.startsWith('npm:')) {
    const inner = range.slice(4);
    const a = inner.indexOf('@', 1);
    if (a > 0) {
      const realRange = inner.slice(a + 1);
      const d2 = hasProtocolPrefix(realRange) ? `${inner.slice(0, a)}@${realRange}` : `${inner.slice(0, a)}@npm:${realRange}`;
      return byDescriptor.get(d2) ?? -1;
    }
  }
  return -1;
}

/** The source of a (non-npm, non-patch) locator reference. */
function referenceSource(ref: string, name: string, version: string): Source {
  if (ref.startsWith('npm:')) return { type: 'registry', url: `${name}@${ref}` };
  if (ref.startsWith('link:') || ref.startsWith('portal:')) return { type: 'link', url: ref };
  const params = ref.indexOf('::');
  const bare = params < 0 ? ref : ref.slice(0, params);
  if (bare.startsWith('file:')) {
    return { type: isDirectorySpec(bare.slice(5)) ? 'link' : 'file', url: ref };
  }
  if (/^(?:git\+|git:|github:|gitlab:|bitbucket:|ssh:)/.test(bare) || /\.git(?:#|$)/.test(bare) || bare.includes('#commit=')) {
    return { type: 'git', url: ref };
  }
  if (bare.startsWith('http://') || bare.startsWith('https://')) return classifyResolved(bare, name, version);
  return { type: 'unknown', url: ref };
}

/** The name part of a descriptor (`@scope/name@range` → `@scope/name`). */
function descriptorName(d: string): string {
  const at = d.indexOf('@', 1);
  return at < 0 ? d : d.slice(0, at);
}

function splitDescriptors(key: string): string[] {
  if (key.indexOf(',') < 0) return [key];
  const out: string[] = [];
  for (const part of key.split(',')) {
    const t = part.trim();
    if (t !== '') out.push(t);
  }
  return out;
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
