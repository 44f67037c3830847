/**
 * The differences between a tarball's package.json and the registry document's entry for the same
 * version (manifest confusion): npm installs from the tarball, so the tarball's manifest is what runs.
 */
import semver from 'semver';
import type { ArchiveContents, Severity, VersionMeta } from '../model/index.js';

const SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'] as const;
const CUT_MARK = '\n… [cut by lockwarden:';
const SHOWN = 10;

export interface ManifestDifference {
  field: 'name' | 'version' | 'scripts' | 'bin' | 'dependencies';
  severity: Severity;
  /** One line per difference: `postinstall: registry none, tarball "node x.js"`. */
  details: string[];
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The tarball's package.json, or why it cannot be read. */
export function tarballManifest(contents: ArchiveContents): Json | string {
  const file = contents.files.find((f) => f.path === 'package.json');
  if (!file) return 'the archive has no package.json';
  if (file.kind !== 'text' || file.text === undefined || file.truncated)
    return `package.json is not readable text (${file.kind}${file.truncated ? ', truncated' : ''})`;
  try {
    const v: unknown = JSON.parse(file.text);
    return isObj(v) ? v : 'package.json is not a JSON object';
  } catch {
    return 'package.json is not valid JSON';
  }
}

export function compareManifest(meta: VersionMeta, version: string, pkg: Json, contents: ArchiveContents): ManifestDifference[] {
  return [identity(meta, version, pkg), scripts(meta, pkg, contents), bin(meta, pkg), dependencies(meta, pkg)].filter(
    (d): d is ManifestDifference => d !== undefined,
  );
}

function identity(meta: VersionMeta, version: string, pkg: Json): ManifestDifference | undefined {
  const details: string[] = [];
  const name = pkg['name'];
  if (meta.manifestName !== undefined && name !== meta.manifestName) details.push(`name: registry ${show(meta.manifestName)}, tarball ${show(name)}`);
  const v = pkg['version'];
  if (typeof v !== 'string' || (v !== version && semver.clean(v) !== version)) details.push(`version: registry ${show(version)}, tarball ${show(v)}`);
  return details.length ? { field: 'name', severity: 'high', details } : undefined;
}

function scripts(meta: VersionMeta, pkg: Json, contents: ArchiveContents): ManifestDifference | undefined {
  const raw = isObj(pkg['scripts']) ? pkg['scripts'] : {};
  const details: string[] = [];
  for (const s of SCRIPTS) {
    const reg = meta.scripts[s];
    const tar = typeof raw[s] === 'string' ? (raw[s] as string) : undefined;
    if (sameScript(reg, tar)) continue;
    // npm publishes `install: node-gyp rebuild` for a binding.gyp the tarball's manifest does not name
    if (
      s === 'install' &&
      reg === 'node-gyp rebuild' &&
      tar === undefined &&
      raw['preinstall'] === undefined &&
      contents.files.some((f) => f.path === 'binding.gyp')
    )
      continue;
    details.push(`${s}: registry ${show(reg)}, tarball ${show(tar)}`);
  }
  return details.length ? { field: 'scripts', severity: 'high', details } : undefined;
}

function sameScript(reg: string | undefined, tar: string | undefined): boolean {
  if (reg === undefined || tar === undefined) return reg === tar;
  const cut = reg.indexOf(CUT_MARK);
  return cut >= 0 ? tar.startsWith(reg.slice(0, cut)) : reg === tar;
}

function bin(meta: VersionMeta, pkg: Json): ManifestDifference | undefined {
  // `directories.bin` is expanded by npm at publish: the tarball's manifest alone cannot say
  if (pkg['bin'] === undefined && isObj(pkg['directories']) && pkg['directories']['bin'] !== undefined) return undefined;
  const reg = normaliseBin(meta.bin ?? {}, meta.manifestName);
  const tar = normaliseBin(pkg['bin'], typeof pkg['name'] === 'string' ? pkg['name'] : meta.manifestName);
  const details = mapDifferences(reg, tar);
  return details.length ? { field: 'bin', severity: 'high', details } : undefined;
}

function dependencies(meta: VersionMeta, pkg: Json): ManifestDifference | undefined {
  if (meta.dropped?.some((d) => d.startsWith('dependencies'))) return undefined;
  const tar = isObj(pkg['dependencies']) ? stringMap(pkg['dependencies']) : new Map<string, string>();
  const details = mapDifferences(new Map(Object.entries(meta.dependencies ?? {})), tar);
  return details.length ? { field: 'dependencies', severity: 'medium', details } : undefined;
}

/** `bin` as npm reads it: a string is one command named after the package; paths without `./`. */
function normaliseBin(v: unknown, name: string | undefined): Map<string, string> {
  const base = (name ?? '').split('/').pop() ?? '';
  const entries = typeof v === 'string' ? new Map([[base, v]]) : isObj(v) ? stringMap(v) : new Map<string, string>();
  return new Map([...entries].map(([k, p]) => [k, p.replace(/^(\.\/)+/, '')]));
}

function stringMap(o: Json): Map<string, string> {
  return new Map(Object.entries(o).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** Added, removed and changed keys, registry first; the first few only. */
function mapDifferences(reg: ReadonlyMap<string, string>, tar: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const k of new Set([...reg.keys(), ...tar.keys()])) {
    if (reg.get(k) === tar.get(k)) continue;
    out.push(`${show(k)}: registry ${show(reg.get(k))}, tarball ${show(tar.get(k))}`);
  }
  return out.length > SHOWN ? [...out.slice(0, SHOWN), `and ${out.length - SHOWN} more`] : out;
}

function show(v: unknown): string {
  if (v === undefined) return 'none';
  const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  const flat = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
  return JSON.stringify(flat.length > 120 ? `${flat.slice(0, 120)}…` : flat);
}
