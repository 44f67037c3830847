/**
 * The oracle: turns a lockfile into (name, version, source) entries with an established parser and
 * computes the change set between two versions, per "The oracle's change rule" of the shared corpus.
 */
import yarnLockfile from '@yarnpkg/lockfile';
import { parseSyml } from '@yarnpkg/parsers';
import { parseAllDocuments } from 'yaml';
import { parse as parseJsonc } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { parseRequirementsBatch } from './pip-requirements.mjs';

/** PEP 503 name normalisation. */
export const pep503 = (n) => n.toLowerCase().replace(/[-_.]+/g, '-');

const noFragment = (u) => (typeof u === 'string' ? u.replace(/#.*$/, '') : '');
const joinSource = (...parts) => {
  const kept = parts.filter((p) => typeof p === 'string' && p !== '');
  return kept.length === 0 ? null : kept.join(' ');
};

/** `@scope/name@range` → [name, range] (the last `@` that is not the scope's). */
function splitDescriptor(d) {
  const at = d.indexOf('@', 1);
  return at < 0 ? [d, ''] : [d.slice(0, at), d.slice(at + 1)];
}

// ---- npm package-lock.json / npm-shrinkwrap.json ----

function npmEntries(text) {
  const doc = JSON.parse(text);
  if (doc === null || typeof doc !== 'object') throw new Error('not a JSON object');
  if (doc.packages && typeof doc.packages === 'object') return npmPackagesEntries(doc.packages);
  const out = [];
  walkNpmV1(doc.dependencies ?? {}, out);
  return out;
}

function npmPackagesEntries(packages) {
  const out = [];
  for (const [key, e] of Object.entries(packages)) {
    if (key === '' || e.link === true) continue;
    const at = key.lastIndexOf('node_modules/');
    if (at < 0) continue; // a workspace's own folder
    if (typeof e.resolved === 'string' && e.resolved.startsWith('file:')) continue; // local directory
    const name = typeof e.name === 'string' ? e.name : key.slice(at + 'node_modules/'.length);
    out.push({ name, version: e.version ?? '', source: joinSource(noFragment(e.resolved), e.integrity) });
  }
  return out;
}

function walkNpmV1(deps, out) {
  for (const [key, e] of Object.entries(deps)) {
    let name = key;
    let version = e.version ?? '';
    const alias = /^npm:(@?[^@]+)@(.+)$/.exec(version);
    if (alias) [, name, version] = alias;
    if (!version.startsWith('file:')) {
      out.push({ name, version, source: joinSource(noFragment(e.resolved), e.integrity) });
    }
    if (e.dependencies) walkNpmV1(e.dependencies, out);
  }
}

// ---- yarn v1 ----

function yarnV1Entries(text) {
  const parsed = yarnLockfile.parse(text);
  if (parsed.type !== 'success') throw new Error(`@yarnpkg/lockfile: ${parsed.type}`);
  const out = [];
  for (const [key, e] of Object.entries(parsed.object)) {
    let [name, range] = splitDescriptor(key);
    const alias = /^npm:(@?[^@]+)@/.exec(range);
    if (alias) name = alias[1];
    if (/^(file|link|workspace):/.test(range)) continue;
    out.push({ name, version: e.version ?? '', source: joinSource(noFragment(e.resolved), e.integrity) });
  }
  return out;
}

// ---- yarn berry ----

function yarnBerryEntries(text) {
  const doc = parseSyml(text);
  const out = [];
  for (const [key, e] of Object.entries(doc)) {
    if (key === '__metadata' || !e || typeof e !== 'object') continue;
    const resolution = String(e.resolution ?? key.split(',')[0].trim());
    const [name, ref] = splitDescriptor(resolution);
    if (/^(workspace|link|portal|file):/.test(ref)) continue;
    const source = ref.startsWith('npm:') ? joinSource(e.checksum) : joinSource(ref, e.checksum);
    out.push({ name, version: String(e.version ?? ''), source });
  }
  return out;
}

// ---- pnpm ----

/** name and version from a `packages` key of any lockfile version (5.x, 6.0, 9.0). */
function pnpmKey(key) {
  let k = key.startsWith('/') ? key.slice(1) : key;
  k = k.replace(/\(.*$/, ''); // 6.0 / 9.0 peer suffix
  const at = k.indexOf('@', 1);
  if (at > 0 && !k.slice(0, at).includes('/', k.startsWith('@') ? k.indexOf('/') + 1 : 0)) {
    return [k.slice(0, at), k.slice(at + 1)];
  }
  // 5.x: name/version_peer
  const parts = k.split('/');
  const scoped = parts[0].startsWith('@');
  const name = scoped ? `${parts[0]}/${parts[1]}` : parts[0];
  const version = (scoped ? parts[2] : parts[1]) ?? '';
  return [name, version.replace(/_.*$/, '')];
}

/**
 * Every document's `packages`: pnpm 11 writes an env document (config dependencies, pnpm itself)
 * before the lockfile, and both are installed.
 */
function pnpmEntries(text) {
  const out = [];
  for (const d of parseAllDocuments(text)) {
    if (d.errors.length > 0) throw d.errors[0];
    pnpmDocEntries(d.toJS({ maxAliasCount: -1 }), out);
  }
  return out;
}

function pnpmDocEntries(doc, out) {
  for (const [key, e] of Object.entries(doc?.packages ?? {})) {
    const [keyName, keyVersion] = pnpmKey(key);
    const name = e?.name ?? keyName;
    const version = String(e?.version ?? keyVersion);
    const r = e?.resolution ?? {};
    const source = joinSource(r.tarball, r.integrity, r.repo, r.commit, r.directory);
    if (r.type === 'directory') continue;
    out.push({ name, version, source });
  }
}

// ---- bun.lock ----

function bunEntries(text) {
  const errors = [];
  const doc = parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length > 0) throw new Error(`jsonc-parser: error ${errors[0].error} at offset ${errors[0].offset}`);
  const out = [];
  for (const e of Object.values(doc?.packages ?? {})) {
    if (!Array.isArray(e) || typeof e[0] !== 'string') continue;
    const [name, ref] = splitDescriptor(e[0]);
    if (/^(workspace|link|file|root):/.test(ref)) continue;
    const registry = typeof e[1] === 'string' ? e[1] : '';
    const integrity = typeof e[3] === 'string' ? e[3] : '';
    if (/^(github|git\+|git:|https?:)/.test(ref)) {
      out.push({ name, version: ref, source: joinSource(ref, registry, typeof e[2] === 'string' ? e[2] : '') });
    } else out.push({ name, version: ref, source: joinSource(registry, integrity) });
  }
  return out;
}

// ---- Python TOML locks ----

const sortedHashes = (list) => [...new Set(list.filter(Boolean))].sort().join(' ');

/** A poetry package's file hashes: its own `files` (poetry 1.5+), else `[metadata.files]` or the older `[metadata.hashes]`. */
function poetryHashes(doc, p) {
  if (Array.isArray(p.files)) return p.files.map((f) => f.hash);
  const byName = (table) => {
    if (!table) return undefined;
    const key = Object.keys(table).find((k) => pep503(k) === pep503(p.name));
    return key === undefined ? undefined : table[key];
  };
  const files = byName(doc.metadata?.files);
  if (Array.isArray(files)) {
    // the files of every locked version of the name are listed together: keep this version's
    const version = String(p.version);
    const own = files.filter((f) => typeof f === 'object' && typeof f.file === 'string' && (f.file.includes(`-${version}-`) || f.file.includes(`-${version}.`)));
    return (own.length > 0 ? own : files).map((f) => (typeof f === 'string' ? f : f.hash));
  }
  const hashes = byName(doc.metadata?.hashes);
  return Array.isArray(hashes) ? hashes.map((h) => (h.includes(':') ? h : `sha256:${h}`)) : [];
}

function poetryEntries(text) {
  const doc = parseToml(text);
  const out = [];
  for (const p of doc.package ?? []) {
    const src = p.source ?? {};
    if (src.type === 'directory' || p.develop === true) continue;
    const hashes = poetryHashes(doc, p);
    const origin = src.type === 'git' ? `${src.url} ${src.resolved_reference ?? src.reference ?? ''}` : src.type === 'url' || src.type === 'file' ? src.url : '';
    out.push({ name: pep503(p.name), version: String(p.version ?? ''), source: joinSource(origin, sortedHashes(hashes)) });
  }
  return out;
}

function uvEntries(text) {
  const doc = parseToml(text);
  const out = [];
  for (const p of doc.package ?? []) {
    const src = p.source ?? {};
    if (src.editable !== undefined || src.virtual !== undefined || src.directory !== undefined) continue;
    const hashes = [p.sdist?.hash, ...(p.wheels ?? []).map((w) => w.hash)];
    const origin = src.git ?? src.url ?? src.path ?? '';
    out.push({ name: pep503(p.name), version: String(p.version ?? ''), source: joinSource(origin, sortedHashes(hashes)) });
  }
  return out;
}

function pylockEntries(text) {
  const doc = parseToml(text);
  const out = [];
  for (const p of doc.packages ?? []) {
    if (p.directory !== undefined) continue;
    const hashOf = (f) => (f?.hashes ? Object.entries(f.hashes).map(([a, d]) => `${a}:${d}`) : []);
    const hashes = [...hashOf(p.sdist), ...(p.wheels ?? []).flatMap(hashOf), ...hashOf(p.archive)];
    const origin = p.vcs ? `${p.vcs.url ?? p.vcs.path} ${p.vcs['commit-id'] ?? ''}` : p.archive?.url ?? '';
    out.push({ name: pep503(p.name), version: String(p.version ?? ''), source: joinSource(origin, sortedHashes(hashes)) });
  }
  return out;
}

// ---- Pipfile.lock ----

function pipfileEntries(text) {
  const doc = JSON.parse(text);
  const out = [];
  for (const section of ['default', 'develop']) {
    for (const [name, entry] of Object.entries(doc[section] ?? {})) {
      // pipenv 3-9 wrote an entry as its version string ("==1.0", "*"); pipenv still installs those
      const e = typeof entry === 'string' ? { version: entry } : entry;
      const local = e.editable === true || (e.path !== undefined && !/\.(whl|tar\.gz|zip)$/.test(e.path));
      if (local) continue;
      // a git entry has no version: its ref is what it pins (the repository itself when it has no ref);
      // a version that pins nothing ("*", ">=1") is empty, like an unpinned requirements line
      const pinned = typeof e.version === 'string' && /^\s*===?\s*[^\s,;=<>!~*]+\s*$/.test(e.version);
      const version = pinned ? e.version.trim().replace(/^===?\s*/, '') : e.git ? String(e.ref ?? e.git) : '';
      const origin = e.git ? `${e.git} ${e.ref ?? ''}` : e.file ?? e.path ?? '';
      out.push({ name: pep503(name.trim()), version, source: joinSource(origin, sortedHashes(e.hashes ?? [])) });
    }
  }
  return out;
}

// ---- the change rule ----

const ENTRIES = {
  npm: npmEntries,
  'yarn-v1': yarnV1Entries,
  'yarn-berry': yarnBerryEntries,
  pnpm: pnpmEntries,
  bun: bunEntries,
  poetry: poetryEntries,
  uv: uvEntries,
  pylock: pylockEntries,
  pipfile: pipfileEntries,
};

/** The oracle's family for a corpus format label (npm-v1 → npm, pnpm-v9 → pnpm …). */
export function family(format) {
  if (/^npm-/.test(format)) return 'npm';
  if (/^pnpm-/.test(format)) return 'pnpm';
  return format;
}

/**
 * Entries of many texts of one family. Requirements files go through pip in one python process;
 * each result is `{ entries }` or `{ error }` (the established parser refused the text).
 */
export function entriesOfTexts(fam, texts) {
  if (fam === 'requirements') return parseRequirementsBatch(texts);
  return texts.map((t) => {
    try {
      return { entries: ENTRIES[fam](t) };
    } catch (err) {
      return { error: String(err?.message ?? err).split('\n')[0] };
    }
  });
}

/** Version order: numeric dot/dash segments, string order otherwise; a release sorts after its prereleases. */
export function compareVersions(a, b) {
  const sa = String(a).split(/[.\-+]/);
  const sb = String(b).split(/[.\-+]/);
  const n = Math.min(sa.length, sb.length);
  for (let i = 0; i < n; i++) {
    const x = sa[i];
    const y = sb[i];
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d < 0 ? -1 : 1;
    } else if (nx !== ny) return nx ? 1 : -1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  if (sa.length === sb.length) return 0;
  const longer = sa.length > sb.length ? sa : sb;
  const prerelease = !/^\d+$/.test(longer[n]);
  const longerIsGreater = !prerelease;
  return (sa.length > sb.length) === longerIsGreater ? 1 : -1;
}

function byName(entries) {
  const m = new Map();
  for (const e of entries) {
    let v = m.get(e.name);
    if (!v) m.set(e.name, (v = new Map()));
    let sources = v.get(e.version);
    if (!sources) v.set(e.version, (sources = new Set()));
    if (e.source !== null) sources.add(e.source);
  }
  return m;
}

const sameSet = (a, b) => a.size === b.size && [...a].every((x) => b.has(x));

/** The oracle's changes between two entry lists, sorted by name, from, to. */
export function oracleChanges(baseEntries, headEntries, compare = compareVersions) {
  const base = byName(baseEntries);
  const head = byName(headEntries);
  const changes = [];
  const added = [];
  const removed = [];
  for (const name of new Set([...base.keys(), ...head.keys()])) {
    const b = base.get(name) ?? new Map();
    const h = head.get(name) ?? new Map();
    const gone = [...b.keys()].filter((v) => !h.has(v)).sort(compare);
    const come = [...h.keys()].filter((v) => !b.has(v)).sort(compare);
    for (const v of gone) removed.push([name, v]);
    for (const v of come) added.push([name, v]);
    const paired = Math.min(gone.length, come.length);
    for (let i = 0; i < paired; i++) {
      changes.push({ name, from: gone[i], to: come[i], kind: compare(come[i], gone[i]) > 0 ? 'upgraded' : 'downgraded' });
    }
    for (const v of come.slice(paired)) changes.push({ name, from: null, to: v, kind: 'added' });
    for (const v of gone.slice(paired)) changes.push({ name, from: v, to: null, kind: 'removed' });
    for (const [v, sources] of b) {
      const other = h.get(v);
      if (other && sources.size > 0 && other.size > 0 && !sameSet(sources, other)) {
        changes.push({ name, from: v, to: v, kind: 'source-changed' });
      }
    }
  }
  const key = (c) => [c.name, String(c.from), String(c.to)]; // null sorts as the string 'null', as the corpus's oracle.json do
  changes.sort((x, y) => {
    const [a, b] = [key(x), key(y)];
    for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
  });
  return { changes, versions: { added, removed } };
}

/** The oracle.json object for two parsed entry lists. */
export function oracleJson(format, baseEntries, headEntries) {
  const { changes, versions } = oracleChanges(baseEntries, headEntries);
  return { format: family(format), basePackages: baseEntries.length, headPackages: headEntries.length, changes, versions };
}
