/**
 * pnpm `pnpm-lock.yaml` (lockfile versions 5.x, 6.x and 9.x) → the common model.
 *
 * The text is read by {@link readPnpmYamlDocuments} (the YAML subset pnpm writes, with key lines;
 * anchors, aliases and tags are refused), then:
 * - one {@link LockPackage} per `packages` entry; `id` is the entry's key (`/name/1.0.0_peer@1`
 *   in v5, `/name@1.0.0(peer@1)` in v6, `name@1.0.0` in v9, where peer-resolved instances live in
 *   `snapshots`); `line` is the key's line. Local directories (`resolution: {directory}`) become
 *   `link` packages, which the diff leaves out.
 * - `deps`: v5/v6 from the entry's `dependencies`/`optionalDependencies`; v9 from every snapshot of
 *   the package (peer suffixes dropped), merged. `link:` references (workspaces) are not packages.
 * - importers: `importers` (workspaces; `.` is the root, path ''), or the top-level
 *   `dependencies`/`devDependencies`/`optionalDependencies` of a v5/v6 single-project file.
 * - source: `resolution.integrity` alone is a registry package (no URL in the file); `tarball`
 *   is classified like npm's `resolved`; `{repo, commit}` is git (`repo#commit`).
 * - alias: the first other name a package is depended on by (`bm: /balanced-match/1.0.2`, an npm alias).
 * - flags: `dev`/`optional` (v5/v6; `optional` also from v9 snapshots), `requiresBuild` → hasInstallScript.
 * Everything keyed by input is in `Map`s.
 *
 * The env document. pnpm 11 and later lock `configDependencies` (and, when the project pins it, pnpm
 * itself: `packageManagerDependencies`) in a YAML document before the lockfile: the file's first line
 * is `---`, then the env lockfile (`lockfileVersion`, `importers: {.: {configDependencies: {name:
 * {specifier, version}}, packageManagerDependencies: …}}`, `packages`, `snapshots`), a line `---`,
 * then the lockfile as usual. pnpm finds it exactly that way (a leading `---` line, the next `---`
 * line ends it; pnpm 10.33+ skips it, older pnpm cannot read such a file). Config dependencies are
 * installed before anything else and may carry pnpmfile hooks and patches, so they are packages of
 * the model like any other (reviewed by the diff and the signals, by their real name), marked:
 * - ids `env:<packages key>` ({@link ENV_PREFIX}: never a project package's id), lines in the file;
 * - importers `(config)` ({@link CONFIG_IMPORTER}) and `(packageManager)`
 *   ({@link PACKAGE_MANAGER_IMPORTER}), depending on them directly (so `directOf` says which).
 * Accepted: the lockfile alone (one optional leading `---`), or the env document and the lockfile.
 * Refused, naming the line: more documents, a second document in a file not starting with a bare
 * `---`, a separator with text after it, an empty document (the reader) or no lockfile after the env document, an env document with
 * other keys, importers or fields than the above, or with a config dependency its `packages` do
 * not pin, config dependencies inside the lockfile's importers (swapped documents), the reserved
 * importer paths in the lockfile, and an env document before a lockfile that is not 9.x.
 */
import { LockfileError } from '../../../errors.js';
import { checkPackageCount } from '../../shared/limits.js';
import type { Importer, LockPackage, Lockfile, PackageFlags, Source } from '../../../model/index.js';
import { readPnpmYamlDocuments, YMap, type YDocument, type YNode } from './yaml.js';
import { classifyResolved } from '../../shared/source.js';

type Major = 5 | 6 | 9;

const DEP_FIELDS = ['dependencies', 'optionalDependencies'] as const;
const IMPORTER_DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

/** Top-level keys pnpm writes; pnpm 6 sorted them, so `importers` and others can come before `lockfileVersion`. */
const SORTED_FIRST_KEY = /^(?:importers|dependencies|devDependencies|optionalDependencies|specifiers|overrides|neverBuiltDependencies|onlyBuiltDependencies|patchedDependencies|packageExtensionsChecksum|settings|catalogs|time|packages):/;
const TOP_LEVEL_VERSION = /^(?:lockfileVersion|'lockfileVersion'|"lockfileVersion")\s*:/m;

/**
 * Does the text (from `start`) begin like a pnpm lockfile: `lockfileVersion:` as its first key, or
 * another key pnpm writes first with `lockfileVersion:` further down at the top level?
 */
export function sniffPnpm(text: string, start: number): boolean {
  let pos = start;
  const n = text.length;
  // Skip blank lines, comments and a `---` document start.
  for (let lines = 0; pos < n && lines < 50; lines++) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = n;
    let i = pos;
    while (i < nl && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 13)) i++;
    if (i === nl || text.charCodeAt(i) === 35 || (i === pos && text.startsWith('---', i))) {
      pos = nl + 1;
      continue;
    }
    if (i !== pos) return false;
    const head = text.slice(i, i + 40);
    return /^(?:lockfileVersion|'lockfileVersion'|"lockfileVersion")\s*:/.test(head) || (SORTED_FIRST_KEY.test(head) && TOP_LEVEL_VERSION.test(text.slice(nl)));
  }
  return false;
}

function str(node: YNode | undefined): string | undefined {
  return typeof node === 'string' ? node : undefined;
}

function map(node: YNode | undefined): YMap | undefined {
  return node instanceof YMap ? node : undefined;
}

/** `name@rest` → index of the separating `@` (a scoped name's leading `@` skipped), or -1. */
function atSplit(s: string): number {
  return s.indexOf('@', 1);
}

/** Drops a v6/v9 peer (or patch) suffix: `1.0.0(react@18.2.0)` → `1.0.0`. */
function stripPeers(s: string): string {
  const p = s.indexOf('(');
  return p < 0 ? s : s.slice(0, p);
}

/** Parses a `packages` key into name and version (without peer suffixes); null when it has no such shape. */
function parseKey(major: Major, key: string): { name: string; version: string } | null {
  if (major === 5) {
    if (key.charCodeAt(0) !== 47) return null;
    const body = key.slice(1);
    let slash = body.indexOf('/');
    if (body.charCodeAt(0) === 64) slash = body.indexOf('/', slash + 1);
    if (slash <= 0) return null;
    let version = body.slice(slash + 1);
    const u = version.indexOf('_');
    if (u >= 0) version = version.slice(0, u);
    const p = version.indexOf('(');
    if (p >= 0) version = version.slice(0, p);
    return { name: body.slice(0, slash), version };
  }
  const body = major === 6 && key.charCodeAt(0) === 47 ? key.slice(1) : key;
  const at = atSplit(body);
  if (at <= 0) return null;
  const name = body.slice(0, at);
  // a v6 non-registry key (`github.com/a/b/sha`, `file:x`) is not `name@version`
  if (name.includes(':') || (name.charCodeAt(0) !== 64 && name.includes('/'))) return null;
  return { name, version: stripPeers(body.slice(at + 1)) };
}

/** The `packages` id a dependency reference points to, or null for `link:` (a workspace or local link). */
function refToId(major: Major, name: string, ref: string): string | null {
  if (ref.startsWith('link:')) return null;
  if (major === 5) return ref.includes('/') ? ref : `/${name}/${ref}`;
  if (major === 6) {
    const head = stripPeers(ref);
    return head.includes('/') || head.includes(':') ? ref : `/${name}@${ref}`;
  }
  const head = stripPeers(ref);
  const at = atSplit(head);
  const colon = head.indexOf(':');
  // `other@1.0.0` (an npm alias) names the package itself; `1.0.0`, `file:x`, `https://…` are versions of `name`
  if (at > 0 && (colon < 0 || colon > at)) return head;
  return `${name}@${head}`;
}

function sourceOf(resolution: YMap | undefined, name: string, version: string): { source: Source; integrity?: string; local: boolean } {
  if (resolution === undefined) return { source: { type: 'unknown' }, local: false };
  const integrity = str(resolution.get('integrity'));
  const directory = str(resolution.get('directory'));
  if (directory !== undefined) return { source: { type: 'link', url: `file:${directory}` }, local: true };
  const tarball = str(resolution.get('tarball'));
  const repo = str(resolution.get('repo'));
  const type = str(resolution.get('type'));
  let source: Source;
  if (repo !== undefined || type === 'git') {
    const commit = str(resolution.get('commit'));
    source = { type: 'git', url: repo === undefined ? undefined : commit ? `${repo}#${commit}` : repo };
    if (source.url === undefined) delete source.url;
  } else if (tarball !== undefined) {
    source = classifyResolved(tarball, name, version);
  } else if (integrity !== undefined) {
    source = { type: 'registry' };
  } else {
    source = { type: 'unknown' };
  }
  return integrity === undefined ? { source, local: false } : { source, integrity, local: false };
}

function fail(file: string, message: string, line?: number): never {
  throw new LockfileError(message, line === undefined ? { file } : { file, line });
}

export interface PnpmParseOptions {
  maxDepth: number;
}

/** Importer path of the env document's `configDependencies` (a path no workspace has: see {@link ENV_PREFIX}). */
export const CONFIG_IMPORTER = '(config)';
/** Importer path of the env document's `packageManagerDependencies` (pnpm itself, when the project pins it). */
export const PACKAGE_MANAGER_IMPORTER = '(packageManager)';
/** Prefix of the ids of the env document's packages (`env:picocolors@1.1.1`): never the id of a project package. */
export const ENV_PREFIX = 'env:';

const ENV_IMPORTER_FIELDS = [
  ['configDependencies', CONFIG_IMPORTER],
  ['packageManagerDependencies', PACKAGE_MANAGER_IMPORTER],
] as const;
const ENV_KEYS = new Set(['lockfileVersion', 'importers', 'packages', 'snapshots']);

/** `lockfileVersion` of a document → its major (5, 6 or 9), refused otherwise. */
function majorOf(file: string, doc: YMap): Major {
  const lvEntry = doc.entries.get('lockfileVersion');
  if (lvEntry === undefined) fail(file, 'not a pnpm lockfile (no lockfileVersion)');
  const lv = str(lvEntry.value);
  const majorNum = lv === undefined ? NaN : Number.parseInt(lv, 10);
  if (majorNum !== 5 && majorNum !== 6 && majorNum !== 9) {
    fail(file, `unsupported pnpm lockfileVersion ${JSON.stringify(lv ?? null)} (5.x, 6.x and 9.x are supported)`, lvEntry.line);
  }
  return majorNum as Major;
}

/**
 * The packages of one document, with their edges. Ids are `prefix` + the `packages` key, and edges
 * only point at packages of the same document.
 */
function readPackages(file: string, doc: YMap, major: Major, prefix: string): { packages: LockPackage[]; byId: Map<string, LockPackage> } {
  const packages: LockPackage[] = [];
  const byId = new Map<string, LockPackage>();
  const pkgSection = doc.entries.get('packages');
  if (pkgSection !== undefined && pkgSection.value !== null && !(pkgSection.value instanceof YMap)) {
    fail(file, '"packages" is not a mapping', pkgSection.line);
  }
  const pkgMap = map(pkgSection?.value);
  /** v5/v6: package → its dependency references, resolved once every id is known */
  const pendingDeps: Array<[LockPackage, YMap]> = [];
  if (pkgMap !== undefined) {
    for (const [key, entry] of pkgMap.entries) {
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
      const id = prefix + key;
      const pkg: LockPackage = { id, name, version: version ?? '', source, flags, line: entry.line, deps: [] };
      if (integrity !== undefined) pkg.integrity = integrity;
      if (local && pkg.version === '') pkg.version = '0.0.0';
      checkPackageCount(file, packages.length + 1, entry.line);
      packages.push(pkg);
      byId.set(id, pkg);
      if (major !== 9) {
        for (const field of DEP_FIELDS) {
          const deps = map(body.get(field));
          if (deps !== undefined) pendingDeps.push([pkg, deps]);
        }
      }
    }
  }

  if (major !== 9) {
    for (const [pkg, deps] of pendingDeps) {
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
  } else {
    const snapshots = map(doc.get('snapshots'));
    if (snapshots !== undefined) {
      for (const [key, entry] of snapshots.entries) {
        const pkg = byId.get(prefix + stripPeers(key));
        if (pkg === undefined) continue; // a snapshot without package metadata: nothing to attach edges to
        const body = map(entry.value);
        if (body === undefined) continue;
        if (str(body.get('optional')) === 'true') pkg.flags.optional = true;
        for (const field of DEP_FIELDS) {
          const deps = map(body.get(field));
          if (deps === undefined) continue;
          for (const [depName, e] of deps.entries) {
            const ref = str(e.value);
            if (ref === undefined) continue;
            const id = refToId(9, depName, ref);
            const target = id === null ? undefined : byId.get(prefix + id);
            if (target === undefined) continue;
            if (depName !== target.name && target.alias === undefined) target.alias = depName;
            if (!pkg.deps.includes(target.id)) pkg.deps.push(target.id);
          }
        }
      }
    }
  }
  return { packages, byId };
}

/**
 * The importer `path` depending on the references in `fields` of `body` (`name: ref` or, v9,
 * `name: {specifier, version}`). With `strict`, a reference that is no package of the document is
 * refused (the env document's: pnpm would install something the file does not pin).
 */
function importerOf(
  file: string,
  major: Major,
  byId: Map<string, LockPackage>,
  prefix: string,
  path: string,
  body: YMap,
  line: number,
  fields: readonly string[],
  strict: boolean,
): Importer {
  const deps: string[] = [];
  for (const field of fields) {
    const m = map(body.get(field));
    if (m === undefined) continue;
    for (const [depName, e] of m.entries) {
      const v = e.value;
      const ref = typeof v === 'string' ? v : v instanceof YMap ? str(v.get('version')) : undefined;
      if (ref === undefined) {
        if (strict) fail(file, `${field} entry ${JSON.stringify(depName)} has no version`, e.line);
        continue;
      }
      const id = refToId(major, depName, ref);
      const target = id === null ? undefined : byId.get(prefix + (major === 9 ? stripPeers(id) : id));
      if (target === undefined) {
        if (strict) fail(file, `${field} entry ${JSON.stringify(depName)} (${ref}) has no entry in the document's packages`, e.line);
        continue;
      }
      if (depName !== target.name && target.alias === undefined) target.alias = depName;
      if (!deps.includes(target.id)) deps.push(target.id);
    }
  }
  return { path, line, deps };
}

/**
 * The env document pnpm 11+ writes before the lockfile: `lockfileVersion`, `importers` with only
 * `.` and only `configDependencies`/`packageManagerDependencies` in it, `packages`, `snapshots`.
 * Anything else (a project lockfile in first place, unknown keys) is refused, naming the line.
 */
function readEnvDocument(file: string, doc: YMap): { packages: LockPackage[]; importers: Importer[] } {
  for (const [key, entry] of doc.entries) {
    if (!ENV_KEYS.has(key)) fail(file, `unexpected ${JSON.stringify(key)} in the env document (the first of two YAML documents holds only pnpm's config dependencies and package manager)`, entry.line);
  }
  const major = majorOf(file, doc);
  if (major !== 9) fail(file, `env document with lockfileVersion ${JSON.stringify(str(doc.get('lockfileVersion')))} (pnpm writes it with 9.x)`, doc.entries.get('lockfileVersion')!.line);
  const impSection = doc.entries.get('importers');
  if (impSection === undefined) fail(file, 'the env document has no importers');
  const imps = map(impSection.value);
  if (imps === undefined) fail(file, '"importers" of the env document is not a mapping', impSection.line);
  const { packages, byId } = readPackages(file, doc, 9, ENV_PREFIX);
  const importers: Importer[] = [];
  for (const [path, entry] of imps.entries) {
    if (path !== '.') fail(file, `importer ${JSON.stringify(path)} in the env document (only "." is expected)`, entry.line);
    const body = entry.value === null ? new YMap() : map(entry.value);
    if (body === undefined) fail(file, 'importer "." of the env document is not a mapping', entry.line);
    for (const [field, e] of body.entries) {
      const known = ENV_IMPORTER_FIELDS.find(([f]) => f === field);
      if (known === undefined) fail(file, `unexpected ${JSON.stringify(field)} in the env document's importer (only configDependencies and packageManagerDependencies are expected)`, e.line);
      if (e.value !== null && !(e.value instanceof YMap)) fail(file, `${field} is not a mapping`, e.line);
      importers.push(importerOf(file, 9, byId, ENV_PREFIX, known[1], body, e.line, [field], true));
    }
  }
  return { packages, importers };
}

export function parsePnpm(file: string, text: string, start: number, opts: PnpmParseOptions): Lockfile {
  const docs = readPnpmYamlDocuments(file, text, start, opts.maxDepth, 2);
  let envDoc: YDocument | undefined;
  let mainDoc = docs[0]!;
  if (docs.length === 2) {
    [envDoc, mainDoc] = docs as [YDocument, YDocument];
    // pnpm reads an env document only when the file starts with a line `---` and the next line
    // `---` ends it; anything else is no pnpm lockfile pnpm would read the same way
    if (envDoc.markerLine !== 1 || !envDoc.bareMarker) {
      fail(file, 'a second YAML document: only a file whose first line is "---" may hold an env document before the lockfile', mainDoc.markerLine);
    }
    if (!mainDoc.bareMarker) fail(file, 'the line between the env document and the lockfile must be exactly "---"', mainDoc.markerLine);
    if (mainDoc.map.entries.size === 0) fail(file, 'the env document is not followed by a lockfile', mainDoc.markerLine);
  }
  // in file order: the env document is checked first
  const env = envDoc === undefined ? undefined : readEnvDocument(file, envDoc.map);
  const doc = mainDoc.map;
  const major = majorOf(file, doc);
  if (env !== undefined && major !== 9) fail(file, 'a lockfile after an env document must have lockfileVersion 9.x (pnpm 11 and later write both)', doc.entries.get('lockfileVersion')!.line);
  let hasContent = false;
  for (const k of ['importers', 'packages', 'specifiers', 'dependencies', 'devDependencies', 'optionalDependencies']) {
    if (doc.entries.has(k)) hasContent = true;
  }
  // pnpm writes `importers` (v9, workspaces) or `specifiers` (v5/v6 single projects) even when empty
  if (!hasContent) fail(file, 'not a recognised lockfile (a pnpm lockfileVersion, but no importers, specifiers, dependencies or packages)');

  const { packages, byId } = readPackages(file, doc, major, '');

  const importers: Importer[] = [];
  const importerSection = doc.entries.get('importers');
  if (importerSection !== undefined) {
    const imps = map(importerSection.value);
    if (imps === undefined && importerSection.value !== null) fail(file, '"importers" is not a mapping', importerSection.line);
    if (imps !== undefined) {
      for (const [path, entry] of imps.entries) {
        if (path === CONFIG_IMPORTER || path === PACKAGE_MANAGER_IMPORTER) fail(file, `importer ${JSON.stringify(path)}: that path is reserved for the env document`, entry.line);
        const body = map(entry.value) ?? new YMap();
        for (const [field] of ENV_IMPORTER_FIELDS) {
          const e = body.entries.get(field);
          if (e !== undefined) fail(file, `${field} in the lockfile's importer ${JSON.stringify(path)}: pnpm keeps them in the env document (a leading YAML document)`, e.line);
        }
        importers.push(importerOf(file, major, byId, '', path === '.' ? '' : path, body, entry.line, IMPORTER_DEP_FIELDS, false));
      }
    }
  } else {
    importers.push(importerOf(file, major, byId, '', '', doc, 1, IMPORTER_DEP_FIELDS, false));
  }

  if (env !== undefined) {
    // in file order: the env document's packages come first
    return { ecosystem: 'npm', format: `pnpm-v${major}`, file, importers: importers.concat(env.importers), packages: env.packages.concat(packages) };
  }
  return { ecosystem: 'npm', format: `pnpm-v${major}`, file, importers, packages };
}
