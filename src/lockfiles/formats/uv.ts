/**
 * uv `uv.lock` (`version = 1`, any `revision`) → the common model, from {@link readToml}'s tables: the
 * project and its workspace members are importers, every other `[[package]]` a package; the mapping is
 * in docs/FORMATS.md.
 */
import type { Importer, LockPackage, Lockfile, Source } from '../../model/index.js';
import {
  addDep,
  fileNameOf,
  flagsOf,
  gitSource,
  HashList,
  lockError,
  markDevOnly,
  optString,
  PackageSet,
  pep440Equal,
  projectName,
  quote,
  setHashList,
} from '../shared/python-lock.js';
import { readToml, TomlTable, tomlKind, type TomlValue } from '../readers/toml.js';
import type { LockfileFormat } from '../format.js';

const SOURCE_KINDS = ['registry', 'git', 'url', 'path', 'directory', 'editable', 'virtual'] as const;
type SourceKind = (typeof SOURCE_KINDS)[number];

/** Does the text look like a uv.lock: a top-level `version = <n>` first, then `requires-python` or `[[package]]`? */
export function sniffUv(text: string, start: number): boolean {
  let pos = start;
  const n = text.length;
  for (let lines = 0; pos < n && lines < 50; lines++) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = n;
    const line = text.slice(pos, nl).trim();
    pos = nl + 1;
    if (line === '' || line.startsWith('#')) continue;
    if (!/^version\s*=\s*\d+\s*(?:#.*)?$/.test(line)) return false;
    return /(?:^|\n)(?:requires-python\s*=|\[\[package\]\])/.test(text.slice(pos, pos + 4096)) || text.includes('\n[[package]]');
  }
  return false;
}

export interface UvParseOptions {
  maxDepth: number;
}

interface Entry {
  table: TomlTable;
  name: string;
  kind: SourceKind | undefined;
  /** `kind=value` of the source table, to tell forks of one name and version apart. */
  sourceKey: string;
  pkg?: LockPackage;
  importer?: Importer;
}

function sourceTable(file: string, t: TomlTable, key: string): { kind: SourceKind | undefined; value: string; sourceKey: string } | undefined {
  const v = t.get(key);
  if (v === undefined) return undefined;
  if (!(v instanceof TomlTable)) lockError(file, `"${key}" is ${tomlKind(v)}, not a table`, t.lineOf(key)!);
  for (const kind of SOURCE_KINDS) {
    const value = v.get(kind);
    if (value === undefined) continue;
    if (typeof value !== 'string') lockError(file, `source "${kind}" is ${tomlKind(value)}, not a string`, v.lineOf(kind)!);
    return { kind, value, sourceKey: `${kind}=${value}` };
  }
  return { kind: undefined, value: '', sourceKey: '' };
}

function sourceOf(kind: SourceKind | undefined, value: string): Source {
  switch (kind) {
    case 'registry':
      return { type: 'registry', url: value };
    case 'git':
      return gitSource(value, undefined);
    case 'url':
      return { type: 'url', url: value };
    case 'path':
      return { type: 'file', url: value };
    case 'directory':
      return { type: 'link', url: value };
    case 'editable':
      return { type: 'editable', url: value };
    default:
      return { type: 'unknown' };
  }
}

/** A dependency item `{ name, version?, source?, marker?, extra? }`. */
interface DepRef {
  name: string;
  version: string | undefined;
  sourceKey: string | undefined;
}

function depRefs(file: string, v: TomlValue, line: number): DepRef[] {
  if (!Array.isArray(v)) lockError(file, `a dependency list is ${tomlKind(v)}, not an array`, line);
  const out: DepRef[] = [];
  for (const d of v) {
    if (!(d instanceof TomlTable)) lockError(file, `a dependency is ${tomlKind(d)}, not a table`, line);
    const name = projectName(file, d.get('name'), d.lineOf('name') ?? d.line, 'dependency');
    const version = optString(file, d, 'version', 'dependency');
    const source = sourceTable(file, d, 'source');
    out.push({ name, version, sourceKey: source?.sourceKey });
  }
  return out;
}

/** The dependency lists of a table of groups (`[package.optional-dependencies]`, `[package.dev-dependencies]`). */
function groupRefs(file: string, t: TomlTable, key: string): DepRef[] {
  const v = t.get(key);
  if (v === undefined) return [];
  if (!(v instanceof TomlTable)) lockError(file, `"${key}" is ${tomlKind(v)}, not a table`, t.lineOf(key)!);
  const out: DepRef[] = [];
  for (const [group, list] of v.map) for (const ref of depRefs(file, list, v.lineOf(group)!)) out.push(ref);
  return out;
}

function hashesOf(file: string, t: TomlTable): HashList {
  const out = new HashList();
  const one = (d: TomlValue, line: number): void => {
    if (!(d instanceof TomlTable)) lockError(file, `a distribution is ${tomlKind(d)}, not a table`, line);
    const hash = optString(file, d, 'hash', 'distribution');
    if (hash === undefined) return;
    const where = optString(file, d, 'filename', 'distribution') ?? optString(file, d, 'url', 'distribution') ?? optString(file, d, 'path', 'distribution');
    out.add(file, hash, d.line, where === undefined ? undefined : fileNameOf(where));
  };
  const sdist = t.get('sdist');
  if (sdist !== undefined) one(sdist, t.lineOf('sdist')!);
  const wheels = t.get('wheels');
  if (wheels !== undefined) {
    if (!Array.isArray(wheels)) lockError(file, `"wheels" is ${tomlKind(wheels)}, not an array`, t.lineOf('wheels')!);
    for (const w of wheels) one(w, t.lineOf('wheels')!);
  }
  return out;
}

/** Parses a uv.lock: the TOML document, then its packages and importers, then the edges. */
export function parseUv(file: string, text: string, start: number, opts: UvParseOptions): Lockfile {
  const doc = readToml(file, text, start, { maxDepth: opts.maxDepth });
  const version = doc.get('version');
  if (version === undefined) lockError(file, 'not a uv lockfile (no top-level "version")', 1);
  if (version !== 1)
    lockError(
      file,
      `unsupported uv.lock version ${typeof version === 'string' ? quote(version) : String(version)} (version 1 is supported)`,
      doc.lineOf('version')!,
    );
  const members = workspaceMembers(file, doc);
  const pkgsV = doc.get('package');
  if (pkgsV !== undefined && !Array.isArray(pkgsV)) lockError(file, `"package" is ${tomlKind(pkgsV)}, not an array of tables`, doc.lineOf('package')!);
  const set = new PackageSet(file);
  const importers: Importer[] = [];
  const entries = readEntries(file, doc, pkgsV ?? [], members, set, importers);
  linkEntries(file, entries, new Resolver(set, entries), set.packages);
  // the root first, then members in file order
  importers.sort((a, b) => (a.path === '' ? -1 : b.path === '' ? 1 : 0));
  if (!importers.some((i) => i.path === '')) importers.unshift({ path: '', line: 1, deps: [] });
  return { ecosystem: 'pypi', format: 'uv', file, importers, packages: set.packages };
}

/** `[manifest] members`: the workspace's projects (an editable one is an importer, not a package). */
function workspaceMembers(file: string, doc: TomlTable): Set<string> {
  const members = new Set<string>();
  const manifest = doc.get('manifest');
  if (manifest instanceof TomlTable) {
    const m = manifest.get('members');
    if (Array.isArray(m)) for (const x of m) members.add(projectName(file, x, manifest.lineOf('members')!, 'workspace member'));
  }
  return members;
}

/** Each `[[package]]`: an importer (virtual, or an editable workspace member) or a package added to `set`. */
function readEntries(file: string, doc: TomlTable, pkgs: TomlValue[], members: Set<string>, set: PackageSet, importers: Importer[]): Entry[] {
  const entries: Entry[] = [];
  for (const el of pkgs) {
    if (!(el instanceof TomlTable)) lockError(file, `a "package" item is ${tomlKind(el)}, not a table`, doc.lineOf('package')!);
    const name = projectName(file, el.get('name'), el.lineOf('name') ?? el.line);
    const src = sourceTable(file, el, 'source');
    const kind = src?.kind;
    const value = src?.value ?? '';
    const entry: Entry = { table: el, name, kind, sourceKey: src?.sourceKey ?? '' };
    if (kind === 'virtual' || (kind === 'editable' && (value === '.' || members.has(name)))) {
      entry.importer = { path: value === '.' ? '' : value, name, line: el.line, deps: [] };
      importers.push(entry.importer);
    } else {
      const v = optString(file, el, 'version', 'package', name);
      if (v === undefined && kind === 'registry') lockError(file, `package ${quote(name)} from an index has no "version"`, el.line);
      const pkg = set.add(name, v ?? '', sourceOf(kind, value), flagsOf(false), el.line);
      setHashList(pkg, hashesOf(file, el));
      entry.pkg = pkg;
    }
    entries.push(entry);
  }
  return entries;
}

/** Which locked packages a dependency reference means: by name, then version, then source. */
class Resolver {
  private readonly keyOf = new Map<LockPackage, string>();
  constructor(
    private readonly set: PackageSet,
    entries: readonly Entry[],
  ) {
    for (const e of entries) if (e.pkg !== undefined) this.keyOf.set(e.pkg, e.sourceKey);
  }

  resolve(ref: DepRef): readonly LockPackage[] {
    let c = this.set.named(ref.name);
    if (c.length <= 1) return c;
    if (ref.version !== undefined) {
      const v = ref.version;
      const byVersion = c.filter((p) => pep440Equal(p.version, v));
      if (byVersion.length > 0) c = byVersion;
    }
    if (c.length > 1 && ref.sourceKey !== undefined) {
      const byKey = c.filter((p) => this.keyOf.get(p) === ref.sourceKey);
      if (byKey.length > 0) c = byKey;
    }
    return c;
  }

  /** Edges from `from` to what `refs` resolve to (a workspace member, an importer, is not a package: no edge). */
  link(from: { deps: string[] }, refs: readonly DepRef[], roots?: string[]): void {
    for (const ref of refs) {
      for (const t of this.resolve(ref)) {
        addDep(from, t);
        roots?.push(t.id);
      }
    }
  }
}

/** Every entry's edges; importers' dependencies are the roots that decide which packages are dev-only. */
function linkEntries(file: string, entries: readonly Entry[], r: Resolver, packages: readonly LockPackage[]): void {
  const prodRoots: string[] = [];
  const devRoots: string[] = [];
  for (const e of entries) {
    const t = e.table;
    const deps = t.get('dependencies');
    const main = deps === undefined ? [] : depRefs(file, deps, t.lineOf('dependencies')!);
    const extras = groupRefs(file, t, 'optional-dependencies');
    if (e.pkg !== undefined) {
      r.link(e.pkg, main);
      r.link(e.pkg, extras);
      continue;
    }
    const imp = e.importer!;
    r.link(imp, main, prodRoots);
    r.link(imp, extras, prodRoots);
    r.link(imp, groupRefs(file, t, 'dev-dependencies'), devRoots);
  }
  markDevOnly(packages, prodRoots, devRoots);
}

export const uvFormat: LockfileFormat = {
  id: 'uv',
  fileNames: ['uv.lock'],
  // A top-level `version = <n>` as the first line, then `requires-python` or `[[package]]`.
  sniff: sniffUv,
  parse: (file, text, start, opts) => parseUv(file, text, start, { maxDepth: opts.maxDepth }),
};
