/**
 * Building the model from a read yarn berry lockfile: packages and importers from the entries'
 * resolutions, then edges by descriptor (the rules are in docs/FORMATS.md).
 */
import semver from 'semver';
import type { Importer, LockPackage, Source } from '../../../model/index.js';
import { checkPackageCount } from '../../shared/limits.js';
import { classifyResolved, isDirectorySpec } from '../../shared/source.js';
import type { Entries, YarnBerryRead } from './read.js';
import { clip, failAt } from './syml.js';

export interface Built {
  packages: LockPackage[];
  importers: Importer[];
}

/** Packages and importers with their dependencies. */
export function buildYarnBerry(file: string, read: YarnBerryRead): Built {
  const count = read.e.line.length;
  const built: Built = { packages: [], importers: [] };
  /** entry → package index, -1 for importers */
  const pkgOf = new Int32Array(count).fill(-1);
  addEntries(file, read.e, built, pkgOf);
  addEdges(read, built, pkgOf);
  return built;
}

/** A package or an importer per entry, in file order. */
function addEntries(file: string, e: Entries, built: Built, pkgOf: Int32Array): void {
  const resolutions = new Set<string>();
  for (let x = 0; x < e.line.length; x++) {
    const line = e.line[x]!;
    const resolution = e.resolution[x];
    if (resolution === undefined) failAt(file, 'entry has no resolution', line);
    if (resolutions.has(resolution)) failAt(file, `duplicate resolution "${clip(resolution)}"`, line);
    resolutions.add(resolution);
    const at = resolution.indexOf('@', 1);
    if (at <= 0) failAt(file, `invalid resolution "${clip(resolution)}"`, line);
    const name = resolution.slice(0, at);
    const ref = resolution.slice(at + 1);
    if (ref.startsWith('workspace:')) {
      built.importers.push({ path: workspacePath(ref.slice(10)), name, line, deps: [] });
      continue;
    }
    const pkg = packageOf(file, e, x, resolution, name, ref);
    checkPackageCount(file, built.packages.length + 1, pkg.line);
    pkgOf[x] = built.packages.length;
    built.packages.push(pkg);
  }
}

function workspacePath(path: string): string {
  if (path === '.' || path === './') return '';
  return path.startsWith('./') ? path.slice(2) : path;
}

/** The package of entry `x`, resolved to `name@ref`. */
function packageOf(file: string, e: Entries, x: number, resolution: string, name: string, ref: string): LockPackage {
  const entryVersion = e.version[x];
  if (entryVersion === undefined) failAt(file, 'entry has no version', e.line[x]!);
  const { realName, source } = sourceOf(resolution, name, ref, entryVersion);
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
  return pkg;
}

/** The real name (an `npm:` alias or a patch names another package) and the source of a resolution. */
function sourceOf(resolution: string, name: string, ref: string, version: string): { realName: string; source: Source } {
  if (ref.startsWith('npm:')) {
    const inner = ref.slice(4);
    const a = inner.indexOf('@', 1);
    // `npm:real@1.2.3` (yarn writes the real name outside)
    return { realName: a > 0 ? inner.slice(0, a) : name, source: { type: 'registry', url: resolution } };
  }
  if (!ref.startsWith('patch:')) return { realName: name, source: referenceSource(ref, name, version) };
  const hash = ref.indexOf('#');
  let inner = ref.slice(6, hash < 0 ? ref.length : hash);
  try {
    inner = decodeURIComponent(inner);
  } catch {
    // keep it encoded
  }
  const a = inner.indexOf('@', 1);
  const realName = a > 0 ? inner.slice(0, a) : name;
  const innerRef = a > 0 ? inner.slice(a + 1) : inner;
  const innerType = referenceSource(innerRef, realName, version).type;
  return { realName, source: { type: innerType === 'link' ? 'file' : innerType, url: resolution } };
}

/** Each entry's edges (to packages only: workspaces are importers themselves), then the optional flags. */
function addEdges(read: YarnBerryRead, built: Built, pkgOf: Int32Array): void {
  const { e, depName, depRange, byDescriptor } = read;
  const { packages, importers } = built;
  const count = e.line.length;
  const optionalCount = new Int32Array(count); // dependents marking it optional
  const dependents = new Int32Array(count);
  const fallback = new NameFallback(packages, pkgOf);
  let imp = 0;
  const seen = new Set<number>();
  for (let x = 0; x < count; x++) {
    const p = pkgOf[x]!;
    const out: string[] = [];
    seen.clear();
    const optional = e.optionalDeps[x];
    for (let d = e.depStart[x]!; d < e.depStart[x + 1]!; d++) {
      let t = resolveDependency(byDescriptor, depName[d]!, depRange[d]!, e.resolution[x]!);
      if (t < 0) t = fallback.entry(depName[d]!, depRange[d]!);
      if (t < 0 || t === x || seen.has(t)) continue;
      seen.add(t);
      dependents[t]!++;
      if (optional?.includes(depName[d]!)) optionalCount[t]!++;
      const tp = pkgOf[t]!;
      if (tp >= 0) out.push(packages[tp]!.id);
    }
    if (p >= 0) packages[p]!.deps = out;
    else importers[imp++]!.deps = out;
  }
  for (let x = 0; x < count; x++) {
    const p = pkgOf[x]!;
    if (p >= 0 && dependents[x]! > 0 && optionalCount[x] === dependents[x]) packages[p]!.flags.optional = true;
  }
}

/**
 * A descriptor missing from every key: the project's `resolutions` overrode it (the lockfile then
 * only has the override's descriptor). Fall back to the entry of that name whose version
 * satisfies the range (the highest), else the only entry of that name.
 */
class NameFallback {
  private byName: Map<string, number[]> | undefined;
  constructor(
    private readonly packages: readonly LockPackage[],
    private readonly pkgOf: Int32Array,
  ) {}

  /** The entry for dependency `name: range`, or -1. */
  entry(name: string, range: string): number {
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
    const list = this.entriesNamed(real);
    if (list === undefined) return -1;
    if (list.length === 1) return list[0]!;
    const best = this.highestSatisfying(list, r);
    return best >= 0 ? best : this.patchOfOneVersion(list);
  }

  private entriesNamed(name: string): number[] | undefined {
    if (this.byName === undefined) {
      const byName = new Map<string, number[]>();
      for (let x = 0; x < this.pkgOf.length; x++) {
        const p = this.pkgOf[x]!;
        if (p < 0) continue;
        const list = byName.get(this.packages[p]!.name);
        if (list === undefined) byName.set(this.packages[p]!.name, [x]);
        else list.push(x);
      }
      this.byName = byName;
    }
    return this.byName.get(name);
  }

  private highestSatisfying(list: readonly number[], range: string): number {
    let best = -1;
    let bestVersion = '';
    if (semver.validRange(range, { loose: true }) === null) return best;
    for (const x of list) {
      const pkg = this.packages[this.pkgOf[x]!]!;
      const v = pkg.version;
      if (pkg.source.type !== 'registry' || !semver.satisfies(v, range, { loose: true, includePrerelease: true })) continue;
      if (best < 0 || semver.gt(v, bestVersion, { loose: true })) {
        best = x;
        bestVersion = v;
      }
    }
    return best;
  }

  /**
   * Overridden to a version outside the range: when every entry of that name has one version
   * (a package and its patch), the patch (what yarn installs), else nothing.
   */
  private patchOfOneVersion(list: readonly number[]): number {
    let best = -1;
    const v0 = this.packages[this.pkgOf[list[0]!]!]!.version;
    for (const x of list) {
      const p = this.packages[this.pkgOf[x]!]!;
      if (p.version !== v0) return -1;
      if (p.id.includes('@patch:')) best = x;
    }
    return best;
  }
}

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
