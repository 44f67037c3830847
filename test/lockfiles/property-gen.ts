/**
 * Random dependency graphs for the lockfile property tests, and writers for each lockfile format
 * that do not share code with lockwarden's parsers (yarn v1: `@yarnpkg/lockfile`; yarn berry:
 * `@yarnpkg/parsers`; pnpm: `yaml`; npm and bun: `JSON.stringify`).
 *
 * Registry URLs point at 127.0.0.1 (never a public registry).
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { stringify as yamlStringify } from 'yaml';

const require = createRequire(import.meta.url);
const yarnLockfile = require('@yarnpkg/lockfile') as { stringify(obj: unknown): string };
const yarnParsers = require('@yarnpkg/parsers') as { stringifySyml(obj: unknown): string };

/** mulberry32: a small seeded PRNG. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

export interface GenVersion {
  version: string;
  integrity: string;
  /** name → index into that name's versions. */
  deps: Map<string, number>;
  /** name → range written in the lockfile for that edge (unique per (name, version)). */
  ranges: Map<string, string>;
}

export interface GenPackage {
  name: string;
  versions: GenVersion[];
}

export interface Graph {
  seed: number;
  /** In generation order; names are unique. */
  packages: GenPackage[];
  /** name → package */
  byName: Map<string, GenPackage>;
  /** Root project's dependencies: name → version index. */
  rootDeps: Map<string, number>;
  rootRanges: Map<string, string>;
  /** Per name, the version index that is installed at the top level (npm/bun layouts). */
  hoisted: Map<string, number>;
  /** An optional workspace at {@link WS_PATH}, named {@link WS_NAME}: depends on hoisted versions only (name → range). */
  workspace?: Map<string, string>;
}

export const WS_PATH = 'packages/ws';
/** No generated name contains "property". */
export const WS_NAME = 'property-ws';

const AWKWARD = [
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'a',
  'x.y',
  'lodash.merge',
  'foo-bar',
  'foo_bar',
  'a-b.c-d',
  '0',
  'node',
  'prototype',
  'then',
];
const SCOPES = ['@scope', '@s', '@my-org', '@a.b'];
const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'util', 'core', 'parse', 'js', 'kit', 'lib'];

function genName(r: Rng): string {
  const base = r.chance(0.3)
    ? r.pick(AWKWARD)
    : `${r.pick(WORDS)}${r.chance(0.5) ? `-${r.pick(WORDS)}` : ''}${r.chance(0.2) ? `.${r.pick(WORDS)}` : ''}${r.chance(0.3) ? String(r.int(0, 99)) : ''}`;
  return r.chance(0.3) ? `${r.pick(SCOPES)}/${base}` : base;
}

function genVersion(r: Rng): string {
  const v = `${r.int(0, 12)}.${r.int(0, 30)}.${r.int(0, 40)}`;
  if (!r.chance(0.25)) return v;
  const pre = r.pick(['alpha', 'beta', 'rc', 'next', 'canary']);
  return `${v}-${pre}${r.chance(0.5) ? `.${String(r.int(0, 9))}` : ''}${r.chance(0.2) ? `+build.${String(r.int(1, 99))}` : ''}`;
}

/** A range that `version` satisfies, unique for (name, version) since it embeds the version. */
function genRange(r: Rng, version: string): string {
  return r.pick(['', '^', '~', '>=', '='] as const) + version;
}

function integrityOf(seed: number, name: string, version: string): string {
  return `sha512-${createHash('sha512').update(`${seed}\0${name}\0${version}`).digest('base64')}`;
}

export function generate(seed: number): Graph {
  const r = new Rng(seed);
  const n = r.chance(0.15) ? r.int(20, 40) : r.int(1, 12);
  const packages: GenPackage[] = [];
  const byName = new Map<string, GenPackage>();
  let attempts = 0;
  while (packages.length < n && attempts++ < 200) {
    const name = genName(r);
    if (byName.has(name)) continue;
    const count = r.int(1, 3);
    const versions: GenVersion[] = [];
    const seen = new Set<string>();
    while (versions.length < count) {
      const v = genVersion(r);
      // Versions of one name must differ even ignoring build metadata.
      const key = v.replace(/\+.*/, '');
      if (seen.has(key)) continue;
      seen.add(key);
      versions.push({ version: v, integrity: integrityOf(seed, name, v), deps: new Map(), ranges: new Map() });
    }
    const p: GenPackage = { name, versions };
    packages.push(p);
    byName.set(name, p);
  }
  // Edges: any package version may depend on any other name (cycles allowed), one version per name.
  for (const p of packages) {
    for (const v of p.versions) {
      const k = r.int(0, Math.min(3, packages.length - 1));
      for (let i = 0; i < k; i++) {
        const q = r.pick(packages);
        if (q === p || v.deps.has(q.name)) continue;
        const vi = r.int(0, q.versions.length - 1);
        v.deps.set(q.name, vi);
        v.ranges.set(q.name, genRange(r, q.versions[vi]!.version));
      }
    }
  }
  const rootDeps = new Map<string, number>();
  const rootRanges = new Map<string, string>();
  for (const p of packages) {
    if (r.chance(0.6)) {
      const vi = r.int(0, p.versions.length - 1);
      rootDeps.set(p.name, vi);
      rootRanges.set(p.name, genRange(r, p.versions[vi]!.version));
    }
  }
  const hoisted = new Map<string, number>();
  for (const p of packages) hoisted.set(p.name, rootDeps.get(p.name) ?? 0);
  // Cycles through non-hoisted versions can make a node_modules layout nest without end (A@2 → B@2 →
  // A@3 → B@3 → A@2 …): keep such edges only from earlier to later names, and drop them all if that is not enough.
  const g0: Graph = { seed, packages, byName, rootDeps, rootRanges, hoisted };
  for (const pass of [0, 1]) {
    try {
      layout(g0);
      break;
    } catch {
      packages.forEach((p, pi) => {
        for (const v of p.versions) {
          for (const [d, di] of [...v.deps]) {
            if (di === hoisted.get(d)) continue;
            if (pass === 1 || packages.findIndex((q) => q.name === d) < pi) {
              v.deps.delete(d);
              v.ranges.delete(d);
            }
          }
        }
      });
    }
  }
  let workspace: Map<string, string> | undefined;
  if (r.chance(0.5)) {
    workspace = new Map();
    for (const p of packages) {
      if (r.chance(0.4)) workspace.set(p.name, genRange(r, p.versions[hoisted.get(p.name)!]!.version));
    }
  }
  return workspace ? { seed, packages, byName, rootDeps, rootRanges, hoisted, workspace } : { seed, packages, byName, rootDeps, rootRanges, hoisted };
}

/** "name@version" identity of a generated package version. */
export function nv(name: string, version: string): string {
  return `${name}@${version}`;
}

/** Every generated (name, version). */
export function allVersions(g: Graph): Set<string> {
  const s = new Set<string>();
  for (const p of g.packages) for (const v of p.versions) s.add(nv(p.name, v.version));
  return s;
}

/** Intended edges: nv → sorted list of dependency nvs. */
export function intendedDeps(g: Graph): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const p of g.packages) {
    for (const v of p.versions) {
      const ds = [...v.deps].map(([d, i]) => nv(d, g.byName.get(d)!.versions[i]!.version)).sort();
      m.set(nv(p.name, v.version), ds);
    }
  }
  return m;
}

/** The workspace's intended dependencies (hoisted versions). */
export function intendedWorkspaceDeps(g: Graph): string[] {
  return [...(g.workspace ?? new Map<string, string>()).keys()].map((d) => nv(d, g.byName.get(d)!.versions[g.hoisted.get(d)!]!.version)).sort();
}

export function intendedRootDeps(g: Graph): string[] {
  return [...g.rootDeps].map(([d, i]) => nv(d, g.byName.get(d)!.versions[i]!.version)).sort();
}

function tarball(name: string, version: string): string {
  const bare = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
  return `http://127.0.0.1:4873/${name}/-/${bare}-${version}.tgz`;
}

function sortedObject<T>(entries: Iterable<[string, T]>): Record<string, T> {
  // Null prototype: `__proto__`-like keys would otherwise be special (the generator avoids it anyway).
  const o = Object.create(null) as Record<string, T>;
  for (const [k, v] of [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) o[k] = v;
  return o;
}

function depRanges(v: GenVersion): Record<string, string> | undefined {
  return v.ranges.size === 0 ? undefined : sortedObject(v.ranges);
}

// ---------------------------------------------------------------------------------------------
// node_modules layout (npm v3, bun): hoisted versions at the top, others nested where needed.

export interface Placement {
  /** Install path: package names from the top level down. */
  path: string[];
  name: string;
  vi: number;
}

/** Places packages like node_modules: a dependency resolves to the nearest copy walking up from the dependent. */
export function layout(g: Graph): Placement[] {
  const at = new Map<string, Placement>(); // path joined by '\0' → placement
  const key = (path: string[]) => path.join('\0');
  const out: Placement[] = [];
  const queue: Placement[] = [];
  for (const p of g.packages) {
    const pl: Placement = { path: [p.name], name: p.name, vi: g.hoisted.get(p.name)! };
    at.set(key(pl.path), pl);
    out.push(pl);
    queue.push(pl);
  }
  while (queue.length > 0) {
    const pl = queue.shift()!;
    const v = g.byName.get(pl.name)!.versions[pl.vi]!;
    for (const [d, di] of v.deps) {
      let found: Placement | undefined;
      for (let k = pl.path.length; k >= 0; k--) {
        found = at.get(key([...pl.path.slice(0, k), d]));
        if (found) break;
      }
      if (found && found.vi === di) continue;
      const np: Placement = { path: [...pl.path, d], name: d, vi: di };
      if (at.has(key(np.path))) throw new Error('layout: slot taken');
      if (np.path.length > 40) throw new Error('layout: too deep');
      at.set(key(np.path), np);
      out.push(np);
      queue.push(np);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Writers

export function writeNpm(g: Graph): string {
  const pkgs: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  pkgs[''] = {
    name: 'property-root',
    version: '1.0.0',
    ...(g.rootRanges.size ? { dependencies: sortedObject(g.rootRanges) } : {}),
    ...(g.workspace ? { workspaces: [WS_PATH] } : {}),
  };
  if (g.workspace) {
    pkgs[WS_PATH] = { name: WS_NAME, version: '1.0.0', ...(g.workspace.size ? { dependencies: sortedObject(g.workspace) } : {}) };
  }
  const placements = layout(g).sort((a, b) => {
    const x = a.path.join('/node_modules/');
    const y = b.path.join('/node_modules/');
    return x < y ? -1 : x > y ? 1 : 0;
  });
  for (const pl of placements) {
    const v = g.byName.get(pl.name)!.versions[pl.vi]!;
    const deps = depRanges(v);
    pkgs[`node_modules/${pl.path.join('/node_modules/')}`] = {
      version: v.version,
      resolved: tarball(pl.name, v.version),
      integrity: v.integrity,
      license: 'MIT',
      ...(deps ? { dependencies: deps } : {}),
    };
  }
  if (g.workspace) pkgs[`node_modules/${WS_NAME}`] = { resolved: WS_PATH, link: true };
  return `${JSON.stringify({ name: 'property-root', version: '1.0.0', lockfileVersion: 3, requires: true, packages: pkgs }, null, 2)}\n`;
}

export function writeYarnV1(g: Graph): string {
  const obj: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  // One entry per (name, range) pair in use; identical entries are merged by the writer.
  const ranges = new Map<string, Set<string>>(); // nv → ranges
  const add = (name: string, vi: number, range: string) => {
    const id = nv(name, g.byName.get(name)!.versions[vi]!.version);
    let s = ranges.get(id);
    if (!s) ranges.set(id, (s = new Set()));
    s.add(range);
  };
  for (const [d, i] of g.rootDeps) add(d, i, g.rootRanges.get(d)!);
  // yarn v1 records no workspace entry, only the entries its dependencies resolve to.
  for (const [d, r] of g.workspace ?? []) add(d, g.hoisted.get(d)!, r);
  for (const p of g.packages) for (const v of p.versions) for (const [d, i] of v.deps) add(d, i, v.ranges.get(d)!);
  for (const p of g.packages) {
    for (const v of p.versions) {
      const rs = ranges.get(nv(p.name, v.version)) ?? new Set([v.version]); // unreferenced: keyed by its exact version
      const deps = depRanges(v);
      const entry = {
        version: v.version,
        resolved: `${tarball(p.name, v.version)}#${createHash('sha1').update(v.integrity).digest('hex')}`,
        integrity: v.integrity,
        ...(deps ? { dependencies: deps } : {}),
      };
      for (const r of rs) obj[`${p.name}@${r}`] = entry;
    }
  }
  return yarnLockfile.stringify(obj);
}

export function writeYarnBerry(g: Graph): string {
  const ranges = new Map<string, Set<string>>();
  const add = (name: string, vi: number, range: string) => {
    const id = nv(name, g.byName.get(name)!.versions[vi]!.version);
    let s = ranges.get(id);
    if (!s) ranges.set(id, (s = new Set()));
    s.add(range);
  };
  for (const [d, i] of g.rootDeps) add(d, i, g.rootRanges.get(d)!);
  for (const [d, r] of g.workspace ?? []) add(d, g.hoisted.get(d)!, r);
  for (const p of g.packages) for (const v of p.versions) for (const [d, i] of v.deps) add(d, i, v.ranges.get(d)!);
  const obj: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  obj['__metadata'] = { version: 8, cacheKey: '10c0' };
  for (const p of g.packages) {
    for (const v of p.versions) {
      const rs = [...(ranges.get(nv(p.name, v.version)) ?? new Set([v.version]))].sort();
      const key = rs.map((r) => `${p.name}@npm:${r}`).join(', ');
      const deps = v.ranges.size ? sortedObject([...v.ranges].map(([d, r]) => [d, `npm:${r}`] as [string, string])) : undefined;
      obj[key] = {
        version: v.version,
        resolution: `${p.name}@npm:${v.version}`,
        ...(deps ? { dependencies: deps } : {}),
        checksum: berryChecksum(v),
        languageName: 'node',
        linkType: 'hard',
      };
    }
  }
  const rootDeps = g.rootRanges.size ? sortedObject([...g.rootRanges].map(([d, r]) => [d, `npm:${r}`] as [string, string])) : undefined;
  obj['property-root@workspace:.'] = {
    version: '0.0.0-use.local',
    resolution: 'property-root@workspace:.',
    ...(rootDeps ? { dependencies: rootDeps } : {}),
    languageName: 'unknown',
    linkType: 'soft',
  };
  if (g.workspace) {
    const wsDeps = g.workspace.size ? sortedObject([...g.workspace].map(([d, r]) => [d, `npm:${r}`] as [string, string])) : undefined;
    obj[`${WS_NAME}@workspace:${WS_PATH}`] = {
      version: '0.0.0-use.local',
      resolution: `${WS_NAME}@workspace:${WS_PATH}`,
      ...(wsDeps ? { dependencies: wsDeps } : {}),
      languageName: 'unknown',
      linkType: 'soft',
    };
  }
  return `# This file is generated by running "yarn install" inside your project.\n# Manual changes might be lost - proceed with caution!\n\n${yarnParsers.stringifySyml(obj)}`;
}

/** yarn berry's checksum: cache key, '/', hex sha512. */
export function berryChecksum(v: GenVersion): string {
  return `10c0/${Buffer.from(v.integrity.slice('sha512-'.length), 'base64').toString('hex')}`;
}

export function writePnpm(g: Graph): string {
  const vOf = (name: string, vi: number) => g.byName.get(name)!.versions[vi]!.version;
  const importerDeps = sortedObject([...g.rootDeps].map(([d, i]) => [d, { specifier: g.rootRanges.get(d)!, version: vOf(d, i) }] as [string, unknown]));
  const packages: [string, unknown][] = [];
  const snapshots: [string, unknown][] = [];
  for (const p of g.packages) {
    for (const v of p.versions) {
      const k = nv(p.name, v.version);
      packages.push([k, { resolution: { integrity: v.integrity } }]);
      snapshots.push([k, v.deps.size ? { dependencies: sortedObject([...v.deps].map(([d, i]) => [d, vOf(d, i)] as [string, string])) } : {}]);
    }
  }
  const doc = {
    lockfileVersion: '9.0',
    settings: { autoInstallPeers: true, excludeLinksFromLockfile: false },
    importers: {
      '.': g.rootDeps.size ? { dependencies: importerDeps } : {},
      ...(g.workspace
        ? {
            [WS_PATH]: g.workspace.size
              ? { dependencies: sortedObject([...g.workspace].map(([d, r]) => [d, { specifier: r, version: vOf(d, g.hoisted.get(d)!) }] as [string, unknown])) }
              : {},
          }
        : {}),
    },
    packages: sortedObject(packages),
    snapshots: sortedObject(snapshots),
  };
  return yamlStringify(doc);
}

export function writeBun(g: Graph, trailingCommas: boolean): string {
  const pkgs: [string, unknown][] = [];
  for (const pl of layout(g)) {
    const v = g.byName.get(pl.name)!.versions[pl.vi]!;
    const deps = depRanges(v);
    pkgs.push([pl.path.join('/'), [nv(pl.name, v.version), tarball(pl.name, v.version), deps ? { dependencies: deps } : {}, v.integrity]]);
  }
  if (g.workspace) pkgs.push([WS_NAME, [`${WS_NAME}@workspace:${WS_PATH}`]]);
  const doc = {
    lockfileVersion: 1,
    workspaces: {
      '': { name: 'property-root', ...(g.rootRanges.size ? { dependencies: sortedObject(g.rootRanges) } : {}) },
      ...(g.workspace ? { [WS_PATH]: { name: WS_NAME, ...(g.workspace.size ? { dependencies: sortedObject(g.workspace) } : {}) } } : {}),
    },
    packages: sortedObject(pkgs),
  };
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  // bun writes JSONC with trailing commas after the last member of multi-line objects and arrays.
  return trailingCommas ? text.replace(/([}\]"\d])(?=\n\s*[}\]])/g, '$1,') : text;
}
