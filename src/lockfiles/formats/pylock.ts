/**
 * PEP 751 `pylock.toml` (and `pylock.<name>.toml`), `lock-version = "1.x"` → the common model, from
 * {@link readToml}'s tables; the mapping is in docs/FORMATS.md. PEP 751 does not record the project's
 * own dependencies, so the root depends on the packages nothing depends on.
 */
import type { Importer, LockPackage, Lockfile, Source } from '../../model/index.js';
import {
  addDep,
  fileNameOf,
  flagsOf,
  gitSource,
  HashList,
  lockError,
  optString,
  PackageSet,
  pep440Equal,
  projectName,
  quote,
  setHashList,
  unreferenced,
} from '../shared/python-lock.js';
import { readToml, TomlTable, tomlKind, type TomlValue } from '../readers/toml.js';
import type { LockfileFormat } from '../format.js';

/** Is this file name a PEP 751 lock file: `pylock.toml` or `pylock.<name>.toml`? */
export function isPylockFileName(name: string): boolean {
  return name === 'pylock.toml' || /^pylock\.[^./\\]+\.toml$/.test(name);
}

/** `lock-version` (bare or quoted) then `=`, at `lastIndex`. */
const LOCK_VERSION_KEY = /(?:lock-version|"lock-version"|'lock-version')[ \t]*=/y;

/**
 * Does the text look like a pylock.toml: a top-level `lock-version` before any table header (within
 * the first 200 lines)? Character checks per line; only a line starting with `l` or a quote is
 * matched against the key.
 */
export function sniffPylock(text: string, start: number): boolean {
  let pos = start;
  const n = text.length;
  for (let lines = 0; pos < n && lines < 200; lines++) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = n;
    let i = pos;
    for (let c = text.charCodeAt(i); i < nl && (c === 32 || c === 9 || c === 13 || c === 12 || c === 11); c = text.charCodeAt(++i));
    pos = nl + 1;
    const c = text.charCodeAt(i);
    if (c === 91 /* [ */) return false;
    if (c === 108 /* l */ || c === 34 || c === 39) {
      LOCK_VERSION_KEY.lastIndex = i;
      if (LOCK_VERSION_KEY.test(text) && LOCK_VERSION_KEY.lastIndex <= nl) return true;
    }
  }
  return false;
}

export interface PylockParseOptions {
  maxDepth: number;
}

function table(file: string, t: TomlTable, key: string): TomlTable | undefined {
  const v = t.get(key);
  if (v === undefined) return undefined;
  if (!(v instanceof TomlTable)) lockError(file, `"${key}" is ${tomlKind(v)}, not a table`, t.lineOf(key)!);
  return v;
}

/** The hashes of one archive, sdist or wheel table. */
function distHashes(file: string, d: TomlValue, line: number, out: HashList): void {
  if (!(d instanceof TomlTable)) lockError(file, `a distribution is ${tomlKind(d)}, not a table`, line);
  const h = table(file, d, 'hashes');
  if (h === undefined) return;
  const where = optString(file, d, 'name', 'distribution') ?? optString(file, d, 'url', 'distribution') ?? optString(file, d, 'path', 'distribution');
  const fileName = where === undefined ? undefined : fileNameOf(where);
  // nearly always `{sha256 = "…"}` alone
  const sha256 = h.size === 1 ? h.get('sha256') : undefined;
  if (typeof sha256 === 'string') {
    out.addParts(file, 'sha256', sha256, h, fileName);
    return;
  }
  h.map.forEach((digest, algorithm) => {
    if (typeof digest !== 'string') lockError(file, `hash "${algorithm}" is ${tomlKind(digest)}, not a string`, h.lineOf(algorithm)!);
    out.addParts(file, algorithm, digest, h, fileName);
  });
}

function sourceOf(file: string, el: TomlTable, index: string | undefined): Source {
  const vcs = table(file, el, 'vcs');
  if (vcs !== undefined) {
    const url = optString(file, vcs, 'url', 'vcs') ?? optString(file, vcs, 'path', 'vcs') ?? '';
    const commit = optString(file, vcs, 'commit-id', 'vcs');
    const type = optString(file, vcs, 'type', 'vcs');
    if (type === 'git') return gitSource(url, commit);
    return { type: 'unknown', url: commit === undefined ? url : `${url}#${commit}` };
  }
  const directory = table(file, el, 'directory');
  if (directory !== undefined) {
    const path = optString(file, directory, 'path', 'directory');
    return { type: directory.get('editable') === true ? 'editable' : 'link', ...(path === undefined ? {} : { url: path }) };
  }
  const archive = table(file, el, 'archive');
  if (archive !== undefined) {
    const url = optString(file, archive, 'url', 'archive');
    if (url !== undefined) return { type: 'url', url };
    const path = optString(file, archive, 'path', 'archive');
    return path === undefined ? { type: 'file' } : { type: 'file', url: path };
  }
  return index === undefined ? { type: 'registry' } : { type: 'registry', url: index };
}

const GROUP_IN_MARKER = /(["'])([^"']*)\1\s+in\s+dependency_groups/g;

/**
 * The marker limits the package to dependency groups, none of them a default group. `seen`: the
 * answers for the markers met so far in this file (a lockfile repeats a handful of them).
 */
function devOnlyMarker(marker: string | undefined, defaults: ReadonlySet<string>, seen: Map<string, boolean>): boolean {
  if (marker === undefined || !marker.includes('dependency_groups')) return false;
  let dev = seen.get(marker);
  if (dev === undefined) {
    dev = groupsOnly(marker, defaults);
    seen.set(marker, dev);
  }
  return dev;
}

function groupsOnly(marker: string, defaults: ReadonlySet<string>): boolean {
  let named = false;
  for (const m of marker.matchAll(GROUP_IN_MARKER)) {
    named = true;
    if (defaults.has(m[2]!)) return false;
  }
  return named;
}

export function parsePylock(file: string, text: string, start: number, opts: PylockParseOptions): Lockfile {
  const doc = readToml(file, text, start, { maxDepth: opts.maxDepth });
  const lv = doc.get('lock-version');
  if (lv === undefined) lockError(file, 'not a pylock.toml (no "lock-version")', 1);
  if (typeof lv !== 'string' || !/^1\.\d+$/.test(lv)) {
    lockError(file, `unsupported pylock lock-version ${typeof lv === 'string' ? quote(lv) : tomlKind(lv)} (1.x is supported)`, doc.lineOf('lock-version')!);
  }
  const defaults = new Set<string>();
  const dg = doc.get('default-groups');
  if (dg !== undefined) {
    if (!Array.isArray(dg)) lockError(file, `"default-groups" is ${tomlKind(dg)}, not an array`, doc.lineOf('default-groups')!);
    for (const g of dg) if (typeof g === 'string') defaults.add(g);
  }

  const pkgsV = doc.get('packages');
  if (pkgsV !== undefined && !Array.isArray(pkgsV)) lockError(file, `"packages" is ${tomlKind(pkgsV)}, not an array of tables`, doc.lineOf('packages')!);
  const set = new PackageSet(file);
  const markers = new Map<string, boolean>();
  const pending: Array<[LockPackage, TomlValue, number]> = [];
  for (const el of pkgsV ?? []) {
    if (!(el instanceof TomlTable)) lockError(file, `a "packages" item is ${tomlKind(el)}, not a table`, doc.lineOf('packages')!);
    const name = projectName(file, el.get('name'), el.lineOf('name') ?? el.line);
    const version = optString(file, el, 'version', 'package', name) ?? '';
    const index = optString(file, el, 'index', 'package', name);
    const marker = optString(file, el, 'marker', 'package', name);
    const pkg = set.add(name, version, sourceOf(file, el, index), flagsOf(devOnlyMarker(marker, defaults, markers)), el.line);
    const hashes = new HashList();
    for (const key of ['archive', 'sdist'] as const) {
      const d = el.get(key);
      if (d !== undefined) distHashes(file, d, el.lineOf(key)!, hashes);
    }
    const wheels = el.get('wheels');
    if (wheels !== undefined) {
      if (!Array.isArray(wheels)) lockError(file, `"wheels" is ${tomlKind(wheels)}, not an array`, el.lineOf('wheels')!);
      for (const w of wheels) distHashes(file, w, el.lineOf('wheels')!, hashes);
    }
    setHashList(pkg, hashes);
    const deps = el.get('dependencies');
    if (deps !== undefined) pending.push([pkg, deps, el.lineOf('dependencies')!]);
  }

  for (const [pkg, deps, line] of pending) {
    if (!Array.isArray(deps)) lockError(file, `"dependencies" is ${tomlKind(deps)}, not an array`, line);
    for (const d of deps) {
      if (!(d instanceof TomlTable)) lockError(file, `a dependency is ${tomlKind(d)}, not a table`, line);
      let c = set.named(projectName(file, d.get('name'), d.lineOf('name') ?? d.line, 'dependency'));
      const v = optString(file, d, 'version', 'dependency');
      if (c.length > 1 && v !== undefined) {
        const byVersion = c.filter((p) => pep440Equal(p.version, v));
        if (byVersion.length > 0) c = byVersion;
      }
      for (const t of c) addDep(pkg, t);
    }
  }

  const root: Importer = { path: '', line: 1, deps: unreferenced(set.packages) };
  return { ecosystem: 'pypi', format: 'pylock', file, importers: [root], packages: set.packages };
}

export const pylockFormat: LockfileFormat = {
  id: 'pylock',
  fileNames: ['pylock.toml'],
  // A top-level `lock-version` key before any table header (poetry's is inside `[metadata]`).
  sniff: sniffPylock,
  parse: (file, text, start, opts) => parsePylock(file, text, start, { maxDepth: opts.maxDepth }),
};
