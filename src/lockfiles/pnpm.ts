/**
 * pnpm `pnpm-lock.yaml` (lockfile versions 5.x, 6.x and 9.x) → the common model.
 *
 * The text is read by {@link readPnpmYaml} (the YAML subset pnpm writes, with key lines; anchors,
 * aliases, tags and several documents are refused), then:
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
 */
import { LockfileError } from '../errors.js';
import type { Importer, LockPackage, Lockfile, PackageFlags, Source } from '../model.js';
import { readPnpmYaml, YMap, type YNode } from './pnpm-yaml.js';
import { classifyResolved } from './source.js';

type Major = 5 | 6 | 9;

const DEP_FIELDS = ['dependencies', 'optionalDependencies'] as const;
const IMPORTER_DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

/** Does the text (from `start`) begin like a pnpm lockfile: `lockfileVersion:` as its first key? */
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
    return i === pos && /^(?:lockfileVersion|'lockfileVersion'|"lockfileVersion")\s*:/.test(text.slice(i, i + 20));
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

export function parsePnpm(file: string, text: string, start: number, opts: PnpmParseOptions): Lockfile {
  const doc = readPnpmYaml(file, text, start, opts.maxDepth);
  const lvEntry = doc.entries.get('lockfileVersion');
  if (lvEntry === undefined) fail(file, 'not a pnpm lockfile (no lockfileVersion)');
  const lv = str(lvEntry.value);
  const majorNum = lv === undefined ? NaN : Number.parseInt(lv, 10);
  if (majorNum !== 5 && majorNum !== 6 && majorNum !== 9) {
    fail(file, `unsupported pnpm lockfileVersion ${JSON.stringify(lv ?? null)} (5.x, 6.x and 9.x are supported)`, lvEntry.line);
  }
  const major = majorNum as Major;
  let hasContent = false;
  for (const k of ['importers', 'packages', 'specifiers', 'dependencies', 'devDependencies', 'optionalDependencies']) {
    if (doc.entries.has(k)) hasContent = true;
  }
  // pnpm writes `importers` (v9, workspaces) or `specifiers` (v5/v6 single projects) even when empty
  if (!hasContent) fail(file, 'not a recognised lockfile (a pnpm lockfileVersion, but no importers, specifiers, dependencies or packages)');

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
      const pkg: LockPackage = { id: key, name, version: version ?? '', source, flags, line: entry.line, deps: [] };
      if (integrity !== undefined) pkg.integrity = integrity;
      if (local && pkg.version === '') pkg.version = '0.0.0';
      packages.push(pkg);
      byId.set(key, pkg);
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
        const target = id === null ? undefined : byId.get(id);
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
        const pkg = byId.get(stripPeers(key));
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
            const target = id === null ? undefined : byId.get(id);
            if (target === undefined) continue;
            if (depName !== target.name && target.alias === undefined) target.alias = depName;
            if (!pkg.deps.includes(target.id)) pkg.deps.push(target.id);
          }
        }
      }
    }
  }

  const importers: Importer[] = [];
  const importerOf = (path: string, body: YMap, line: number): Importer => {
    const deps: string[] = [];
    for (const field of IMPORTER_DEP_FIELDS) {
      const m = map(body.get(field));
      if (m === undefined) continue;
      for (const [depName, e] of m.entries) {
        const v = e.value;
        const ref = typeof v === 'string' ? v : v instanceof YMap ? str(v.get('version')) : undefined;
        if (ref === undefined) continue;
        const id = refToId(major, depName, ref);
        if (id === null) continue;
        const target = byId.get(major === 9 ? stripPeers(id) : id);
        if (target === undefined) continue;
        if (depName !== target.name && target.alias === undefined) target.alias = depName;
        if (!deps.includes(target.id)) deps.push(target.id);
      }
    }
    return { path, line, deps };
  };
  const importerSection = doc.entries.get('importers');
  if (importerSection !== undefined) {
    const imps = map(importerSection.value);
    if (imps === undefined && importerSection.value !== null) fail(file, '"importers" is not a mapping', importerSection.line);
    if (imps !== undefined) {
      for (const [path, entry] of imps.entries) {
        importers.push(importerOf(path === '.' ? '' : path, map(entry.value) ?? new YMap(), entry.line));
      }
    }
  } else {
    importers.push(importerOf('', doc, 1));
  }

  return { ecosystem: 'npm', format: `pnpm-v${major}`, file, importers, packages };
}
