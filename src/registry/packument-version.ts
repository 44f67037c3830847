/**
 * One version entry of a packument, read field by field: a malformed field is dropped and named in
 * `VersionMeta.dropped`, the rest of the version is kept. What the streaming parser keeps of an entry
 * is bounded by {@link versionSelector}: scalars only (an object where a string belongs is kept empty,
 * so it is dropped here), short strings, capped maps.
 */
import { TruncatedString, droppedEntries, type ObjectSelector, type Selector } from '../readers/json-select.js';
import type { Share } from './packument-share.js';
import type { InstallScripts, VersionMeta } from '../model/index.js';

export const INSTALL_SCRIPT_NAMES = ['preinstall', 'install', 'postinstall', 'prepare'] as const;

/** Caps on one version entry (real packages stay far below: a few hundred dependencies, scripts of a few KB). */
export const VERSION_CAPS = {
  /** Dependencies kept per version; a longer map is dropped whole (a partial list would mislead new-dependency). */
  dependencies: 10_000,
  maintainers: 1_000,
  /** Bytes of script text kept; a longer script is kept cut, and still counts as an install script. */
  scriptBytes: 64 * 1024,
  /** Bytes of a name, version, range, e-mail, hash or URL. */
  fieldBytes: 1024,
  /** Bytes of free text (deprecation message, repository). */
  textBytes: 4096,
} as const;

const scalar = (maxString: number = VERSION_CAPS.fieldBytes): ObjectSelector => ({ maxString });
const sel = (fields: Record<string, Selector>, extra: Partial<ObjectSelector> = {}): ObjectSelector => ({ fields: new Map(Object.entries(fields)), ...extra });

const personSelector = sel({ name: scalar(), email: scalar() });

export const versionSelector: ObjectSelector = sel({
  version: scalar(),
  name: scalar(),
  bin: { any: scalar(), maxEntries: 1000, maxString: VERSION_CAPS.fieldBytes },
  _npmUser: sel({ name: scalar(), email: scalar(), trustedPublisher: sel({ id: scalar() }) }),
  // a string item ("name <email>") is kept too: the item selector keeps scalars
  maintainers: { items: personSelector, maxEntries: VERSION_CAPS.maintainers },
  scripts: sel(Object.fromEntries(INSTALL_SCRIPT_NAMES.map((s) => [s, scalar(VERSION_CAPS.scriptBytes)]))),
  gypfile: scalar(),
  hasInstallScript: scalar(),
  deprecated: scalar(VERSION_CAPS.textBytes),
  dependencies: { any: scalar(), maxEntries: VERSION_CAPS.dependencies },
  repository: sel({ url: scalar(VERSION_CAPS.textBytes) }, { maxString: VERSION_CAPS.textBytes }),
  dist: sel({ integrity: scalar(), shasum: scalar(), tarball: scalar(), attestations: sel({ url: scalar(), provenance: sel({ predicateType: scalar() }) }) }),
});

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);
const EMPTY_SCRIPTS: InstallScripts = Object.freeze({});

/** Reads one version entry; `raw` comes from the parser (null-prototype objects, scalars only). */
export function readVersion(version: string, raw: Raw, share: Share): VersionMeta {
  const dropped: string[] = [];
  const meta: VersionMeta = { version, scripts: readScripts(raw['scripts'], share, dropped) };
  readPublisher(raw, meta, share, dropped);
  readFlags(raw, meta, dropped);
  readDist(raw['dist'], meta, share, dropped);
  readDependencies(raw['dependencies'], meta, share, dropped);
  readText(raw, meta, share, dropped);
  readManifestFields(raw, meta, share, dropped);
  if (dropped.length > 0) meta.dropped = dropped;
  return meta;
}

function readScripts(v: unknown, share: Share, dropped: string[]): InstallScripts {
  if (v == null) return EMPTY_SCRIPTS;
  if (!isObj(v)) {
    dropped.push('scripts');
    return EMPTY_SCRIPTS;
  }
  const found: InstallScripts = {};
  const parts: string[] = ['s'];
  for (const s of INSTALL_SCRIPT_NAMES) {
    let text = v[s];
    if (text == null) continue;
    // a script over the cap is still a script: keep its head and say it was cut
    if (text instanceof TruncatedString) text = `${text.head}\n… [cut by lockwarden: the script is ${text.bytes} bytes in the registry document]`;
    if (typeof text !== 'string') {
      dropped.push(`scripts.${s}`);
      continue;
    }
    found[s] = text;
    parts.push(s, text);
  }
  return parts.length > 1 ? share.obj(JSON.stringify(parts), () => found) : EMPTY_SCRIPTS;
}

function readPublisher(raw: Raw, meta: VersionMeta, share: Share, dropped: string[]): void {
  const user = raw['_npmUser'];
  if (user != null) {
    const tp = isObj(user) ? user['trustedPublisher'] : undefined;
    if (!isObj(user) || typeof user['name'] !== 'string' || !optString(user['email']) || (tp != null && (!isObj(tp) || !optString(tp['id']))))
      dropped.push('_npmUser');
    else {
      meta.npmUser = share.person({ name: user['name'], email: user['email'] as string | undefined });
      if (isObj(tp)) {
        const id = tp['id'];
        meta.trustedPublisher = share.obj(JSON.stringify(['t', id ?? null]), () => (typeof id === 'string' && id ? { id: share.str(id) } : {}));
      }
    }
  }
  const m = raw['maintainers'];
  if (m == null) return;
  const ok =
    Array.isArray(m) &&
    droppedEntries(m) === 0 &&
    m.every((p) => typeof p === 'string' || (isObj(p) && typeof p['name'] === 'string' && optString(p['email'])));
  if (!ok) {
    dropped.push(Array.isArray(m) && droppedEntries(m) > 0 ? `maintainers (over ${VERSION_CAPS.maintainers})` : 'maintainers');
    return;
  }
  const people = (m as Array<string | { name: string; email?: string }>).map((p) => share.person(p));
  meta.maintainers = share.obj(JSON.stringify(['m', ...people.map((p) => [p.name, p.email ?? null])]), () => people);
}

function readFlags(raw: Raw, meta: VersionMeta, dropped: string[]): void {
  for (const f of ['gypfile', 'hasInstallScript'] as const) {
    const v = raw[f];
    if (typeof v === 'boolean') meta[f] = v;
    else if (v != null) dropped.push(f);
  }
}

function readDist(dist: unknown, meta: VersionMeta, share: Share, dropped: string[]): void {
  if (dist == null) return;
  if (!isObj(dist)) {
    dropped.push('dist');
    return;
  }
  for (const [f, key] of [
    ['integrity', 'integrity'],
    ['shasum', 'shasum'],
    ['tarball', 'tarball'],
  ] as const) {
    const v = dist[f];
    if (typeof v === 'string') {
      if (v) meta[key] = v;
    } else if (v != null) dropped.push(`dist.${f}`);
  }
  const att = dist['attestations'];
  if (att == null) return;
  const prov = isObj(att) ? att['provenance'] : undefined;
  if (!isObj(att) || !optString(att['url']) || (prov != null && (!isObj(prov) || !optString(prov['predicateType'])))) {
    dropped.push('dist.attestations');
    return;
  }
  const a: NonNullable<VersionMeta['attestations']> = {};
  if (typeof att['url'] === 'string' && att['url']) a.url = att['url'];
  if (isObj(prov)) a.provenance = typeof prov['predicateType'] === 'string' && prov['predicateType'] ? { predicateType: share.str(prov['predicateType']) } : {};
  meta.attestations = a;
}

function readDependencies(deps: unknown, meta: VersionMeta, share: Share, dropped: string[]): void {
  if (deps == null) return;
  if (!isObj(deps) || droppedEntries(deps) > 0) {
    dropped.push(isObj(deps) ? `dependencies (over ${VERSION_CAPS.dependencies} entries)` : 'dependencies');
    return;
  }
  const names = Object.keys(deps);
  if (!names.every((n) => typeof deps[n] === 'string')) {
    dropped.push('dependencies');
    return;
  }
  // JSON keeps the key unambiguous whatever characters the names contain
  const key = JSON.stringify(['d', ...names.map((n) => [n, deps[n]])]);
  meta.dependencies = share.obj(
    key,
    () => {
      // a fresh null-prototype object (never `{}`: names are attacker-chosen)
      const out = Object.create(null) as Record<string, string>;
      for (const n of names) out[share.str(n)] = share.str(deps[n] as string);
      return out;
    },
    names.length,
  );
}

function readText(raw: Raw, meta: VersionMeta, share: Share, dropped: string[]): void {
  const dep = raw['deprecated'];
  if (typeof dep === 'string') meta.deprecated = share.str(dep);
  else if (dep instanceof TruncatedString) meta.deprecated = share.str(`${dep.head}…`);
  // `deprecated: false` is how some old documents say "not deprecated"
  else if (dep != null && dep !== false) dropped.push('deprecated');
  const repo = raw['repository'];
  if (typeof repo === 'string') meta.repository = share.str(repo);
  else if (isObj(repo) && typeof repo['url'] === 'string') meta.repository = share.str(repo['url']);
  else if (repo != null && !(isObj(repo) && repo['url'] == null)) dropped.push('repository');
  const v = raw['version'];
  if (v != null && typeof v !== 'string') dropped.push('version');
}

/** `name` and `bin` (manifest-mismatch compares them with the tarball's package.json). */
function readManifestFields(raw: Raw, meta: VersionMeta, share: Share, dropped: string[]): void {
  const name = raw['name'];
  if (typeof name === 'string') meta.manifestName = share.str(name);
  else if (name != null) dropped.push('name');
  const bin = raw['bin'];
  if (bin == null) return;
  if (typeof bin === 'string') {
    const base = typeof name === 'string' ? (name.split('/').pop() ?? name) : '';
    meta.bin = Object.assign(Object.create(null) as Record<string, string>, { [base]: share.str(bin) });
    return;
  }
  if (!isObj(bin) || droppedEntries(bin) > 0 || !Object.values(bin).every((v) => typeof v === 'string')) {
    dropped.push('bin');
    return;
  }
  const out = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(bin)) out[share.str(k)] = share.str(v as string);
  meta.bin = out;
}

function optString(v: unknown): boolean {
  return v == null || typeof v === 'string';
}
