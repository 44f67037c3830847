/**
 * install-hook-changed (Python): the new version will be built from its sdist (no wheel, or no longer
 * wheels for platforms the replaced version had) and its build code changed: `setup.py`, the build
 * backend (above all an in-tree one) or the build requirements. The sdists are read only when the new
 * version builds from source, so upgrades with wheels cost nothing; what is not covered is in
 * docs/REGISTRY.md.
 */
import type { Change, DistFile, Finding, Packument, SdistInfo, Severity, VersionMeta } from '../model/index.js';
import { severityRank } from '../model/index.js';
import { normalizePythonName } from '../versions/index.js';
import { comparisonVersion } from './history.js';
import { hasSdist, platformFamily, wheelPlatforms } from './python-dist.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { alreadyInBase, clean, finding, isReviewable, joinList, registryTarget, SCRIPT_TEXT_LIMIT, spec } from './util.js';

const ID = 'install-hook-changed';

/** pip's build system for a project without one (`pyproject.toml` absent, or without `[build-system]`). */
export const LEGACY_BACKEND = 'setuptools.build_meta:__legacy__';
/** What pip installs for the legacy backend (`wheel` too before pip 23.1). */
const LEGACY_REQUIRES = ['setuptools>=40.8.0', 'wheel'];

/** Where installing a version builds it from its sdist. */
export interface FromSource {
  /** No wheel at all. */
  noWheels: boolean;
  /** Platform families the compared version had wheels for and this one has not (`any`: a pure wheel). */
  lost: string[];
  /** The compared version installed from wheels where this one builds: the build is new to these users. */
  newly: boolean;
}

function families(files: readonly DistFile[]): Set<string> {
  return new Set([...wheelPlatforms(files)].map(platformFamily));
}

/**
 * Whether installing `meta` builds it from its sdist where `cmp` (the version it replaces) did not
 * need to, or builds it everywhere: it has an sdist and no pure-Python wheel, and either no wheel at
 * all or none for a platform family `cmp` had wheels for. undefined: wheels cover what they did.
 */
export function buildsFromSource(meta: VersionMeta, cmp: VersionMeta | undefined): FromSource | undefined {
  const files = meta.files ?? [];
  if (!hasSdist(files)) return undefined;
  const now = families(files);
  if (now.has('any')) return undefined;
  const before = families(cmp?.files ?? []);
  const lost = [...before].filter((p) => !now.has(p)).sort();
  if (now.size === 0) return { noWheels: true, lost, newly: before.size > 0 };
  if (lost.length === 0) return undefined;
  return { noWheels: false, lost, newly: true };
}

/** The sdist the engine reads for a release: the first one not yanked, `.tar.gz` first, then `.zip`, then any. */
export function sdistToInspect(meta: VersionMeta | undefined): DistFile | undefined {
  const sdists = (meta?.files ?? []).filter((f) => f.kind === 'sdist' && !f.yanked);
  const lower = (f: DistFile) => f.filename.toLowerCase();
  return sdists.find((f) => lower(f).endsWith('.tar.gz')) ?? sdists.find((f) => lower(f).endsWith('.zip')) ?? sdists[0];
}

/**
 * The versions whose sdists the engine must read for this change: the new version when installing it
 * builds from source, and the version it is compared with when that one has an sdist too.
 */
export function sdistVersionsNeeded(change: Change, packument: Packument): string[] {
  if (change.ecosystem !== 'pypi' || !isReviewable(change) || alreadyInBase(change)) return [];
  const version = change.to as string;
  const meta = packument.versions.get(version);
  if (!meta) return [];
  const cmp = comparisonVersion(change, packument);
  if (!buildsFromSource(meta, cmp) || !sdistToInspect(meta)) return [];
  return cmp && sdistToInspect(cmp) ? [version, cmp.version] : [version];
}

/** What a build of one sdist runs, with pip's defaults filled in. */
export interface BuildHook {
  backend: string;
  requires: string[];
  /** `backend-path` (an in-tree backend) when set and not empty. */
  backendPath?: string[];
  backendDigest?: string;
  /** setup.py is there and the backend runs it (setuptools, or an in-tree backend that may). */
  setupPyRuns: boolean;
  setupPy?: SdistInfo['setupPy'];
  /** pip cannot read the build system (its build fails before running anything). */
  error?: string;
}

export function buildHookOf(info: SdistInfo): BuildHook {
  const pp = info.pyproject;
  const bs = pp?.buildSystem;
  const hook: BuildHook = {
    backend: (bs?.buildBackend ?? LEGACY_BACKEND).trim(),
    requires: bs?.requires ?? (pp?.error === undefined ? LEGACY_REQUIRES : []),
    setupPyRuns: false,
  };
  if (pp?.error !== undefined) hook.error = pp.error;
  if (bs?.backendPath && bs.backendPath.length > 0) {
    hook.backendPath = bs.backendPath;
    if (pp?.backendDigest !== undefined) hook.backendDigest = pp.backendDigest;
  }
  if (info.setupPy) {
    hook.setupPy = info.setupPy;
    hook.setupPyRuns = isSetuptools(hook.backend) || hook.backendPath !== undefined;
  }
  return hook;
}

function isSetuptools(backend: string): boolean {
  return /^setuptools(\.|$)/.test(backend.split(':')[0]!.trim());
}

/** Backends compared: setuptools' plain and legacy entry points are the same build code. */
function sameBackend(a: string, b: string): boolean {
  const norm = (x: string) => (/^setuptools\.build_meta(:__legacy__)?$/.test(x.replace(/\s+/g, '')) ? 'setuptools.build_meta' : x.replace(/\s+/g, ''));
  return norm(a) === norm(b);
}

/** The PEP 503 name of a PEP 508 requirement (the raw text, trimmed, when it has no readable name). */
function requirementName(req: string): string {
  const m = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/.exec(req);
  return m ? normalizePythonName(m[1]!) : req.trim();
}

interface HookChange {
  kind:
    | 'setup-py-added'
    | 'setup-py-changed'
    | 'in-tree-backend-added'
    | 'in-tree-backend-changed'
    | 'backend-changed'
    | 'requires-added'
    | 'build-system-unreadable'
    | 'not-compared';
  severity: Severity;
  text: string;
}

/** setup.py text for evidence: the first ~2 KB with a note of what was cut (like npm script evidence). */
function setupPyText(s: NonNullable<SdistInfo['setupPy']>): string {
  if (s.linkTo !== undefined && s.head === '') return `[setup.py is a link to ${s.linkTo}]`;
  const head = s.head.length > SCRIPT_TEXT_LIMIT ? s.head.slice(0, SCRIPT_TEXT_LIMIT) : s.head;
  if (!s.headTruncated && head.length === s.head.length) return head;
  return `${head}\n… [truncated by lockwarden: the first ${Buffer.byteLength(head)} of ${s.size} bytes shown]`;
}

function backendPhrase(h: BuildHook): string {
  const b = clean(h.backend, 100);
  return h.backendPath ? `the in-tree backend ${b} (backend-path ${joinList(h.backendPath.map((p) => clean(p, 60)))})` : b;
}

function compare(now: BuildHook, base: BuildHook | null | undefined, newly: boolean, baseName: string): HookChange[] {
  const out: HookChange[] = [];
  const changedSeverity: Severity = newly ? 'high' : 'medium';
  if (base === undefined) {
    // the earlier sdist could not be read (the review is incomplete): say what runs, without claiming it is new
    if (now.setupPyRuns)
      out.push({ kind: 'not-compared', severity: 'medium', text: `its build runs a setup.py, and the sdist of ${baseName} could not be read to compare` });
    if (now.backendPath)
      out.push({
        kind: 'not-compared',
        severity: 'medium',
        text: `its build runs ${backendPhrase(now)}, and the sdist of ${baseName} could not be read to compare`,
      });
    return out;
  }
  if (now.error !== undefined) {
    if (base === null || base.error === undefined)
      out.push({
        kind: 'build-system-unreadable',
        severity: 'medium',
        text: `its pyproject.toml cannot be read (${clean(now.error, 160)}), so what its build runs is unknown`,
      });
    return out;
  }
  const baseRuns = base?.setupPyRuns;
  if (now.setupPyRuns && !baseRuns) {
    const text =
      base === null
        ? `its build runs a setup.py, and ${baseName} had no sdist`
        : base.setupPy
          ? `its build now runs its setup.py, which the build of ${baseName} (${clean(base.backend, 100)}) did not`
          : `its build runs a setup.py that ${baseName} did not have`;
    out.push({ kind: 'setup-py-added', severity: 'high', text });
  } else if (now.setupPyRuns && base?.setupPy && now.setupPy?.sha256 !== base.setupPy.sha256) {
    out.push({ kind: 'setup-py-changed', severity: changedSeverity, text: `its setup.py changed since ${baseName}` });
  }
  if (now.backendPath && !base?.backendPath) {
    out.push({
      kind: 'in-tree-backend-added',
      severity: 'high',
      text: `its build backend is now ${backendPhrase(now)}${base ? `, where ${baseName} used ${clean(base.backend, 100)}` : ''}`,
    });
  } else if (now.backendPath && base?.backendPath) {
    if (!sameBackend(now.backend, base.backend) || now.backendDigest !== base.backendDigest) {
      out.push({ kind: 'in-tree-backend-changed', severity: changedSeverity, text: `the code of its in-tree build backend changed since ${baseName}` });
    }
  } else if (base !== null && !sameBackend(now.backend, base.backend)) {
    out.push({ kind: 'backend-changed', severity: 'medium', text: `its build backend changed from ${clean(base.backend, 100)} to ${clean(now.backend, 100)}` });
  }
  if (base !== null) {
    const had = new Set(base.requires.map(requirementName));
    const added = [...new Set(now.requires.map(requirementName))].filter((n) => !had.has(n)).sort();
    if (added.length > 0) {
      const shown = added.slice(0, 8).map((n) => clean(n, 80));
      out.push({
        kind: 'requires-added',
        severity: 'medium',
        text: `its build requirements gained ${added.length > 8 ? `${shown.join(', ')} and ${added.length - 8} more` : joinList(shown)}`,
      });
    }
  }
  return out;
}

function run(input: SignalInput): Finding[] {
  if (input.change.ecosystem !== 'pypi') return [];
  const rt = registryTarget(input);
  if (!rt) return [];
  const cmp = comparisonVersion(input.change, rt.packument);
  const from = buildsFromSource(rt.meta, cmp);
  if (!from) return [];
  const info = input.sdists?.get(rt.version);
  if (!info) return []; // not read (offline, or unreadable: then the review lists it as incomplete)
  const now = buildHookOf(info);
  const name = spec(input.change.name, rt.version);
  const baseName = cmp ? spec(input.change.name, cmp.version) : '';
  const baseInfo = cmp ? input.sdists?.get(cmp.version) : undefined;
  // null: the compared version has no sdist; undefined: it has one that was not read
  const base = !cmp ? null : baseInfo ? buildHookOf(baseInfo) : sdistToInspect(cmp) ? undefined : null;
  let changes: HookChange[];
  if (!cmp) {
    // the first release: nothing to compare with; a setup.py or an in-tree backend runs on every install
    changes = [];
    if (now.setupPyRuns) changes.push({ kind: 'setup-py-added', severity: 'medium', text: 'its build runs a setup.py, and it is the package’s first release' });
    if (now.backendPath)
      changes.push({ kind: 'in-tree-backend-added', severity: 'medium', text: `its build runs ${backendPhrase(now)}, and it is the package’s first release` });
  } else changes = compare(now, base, from.newly, baseName);
  if (changes.length === 0) return [];
  const severity = changes.reduce<Severity>((s, c) => (severityRank(c.severity) > severityRank(s) ? c.severity : s), 'info');
  const lostShown = from.lost.slice(0, 6).map((p) => clean(p, 60));
  const lostList = from.lost.length > 6 ? `${lostShown.join(', ')} and ${from.lost.length - 6} more` : joinList(lostShown);
  const where = from.noWheels
    ? `has no wheels, so installing it builds its source distribution`
    : `has no wheel for ${from.lost.includes('any') && from.lost.length === 1 ? 'every platform any more' : `${lostList} any more`}, so installing it there builds its source distribution`;
  const message = `${name} ${where}, and ${joinList(changes.map((c) => c.text))}.`;
  const evidence: Record<string, unknown> = {
    version: rt.version,
    baseVersion: cmp?.version ?? null,
    sdist: info.filename,
    baseSdist: baseInfo?.filename ?? null,
    noWheels: from.noWheels,
    lostPlatforms: from.lost,
    buildNewToThesePlatforms: from.newly,
    changes: changes.map((c) => ({ kind: c.kind, severity: c.severity })),
    buildBackend: now.backend,
    backendPath: now.backendPath ?? null,
    requires: now.requires,
    baseBuildBackend: base ? base.backend : null,
    baseRequires: base ? base.requires : null,
  };
  if (now.setupPy) {
    evidence.setupPy = {
      sha256: now.setupPy.sha256 ?? null,
      size: now.setupPy.size,
      baseSha256: base?.setupPy?.sha256 ?? null,
      ...(now.setupPy.linkTo !== undefined ? { linkTo: now.setupPy.linkTo } : {}),
      text: setupPyText(now.setupPy),
    };
  }
  if (now.error !== undefined) evidence.buildSystemError = now.error;
  return [finding(ID, severity, message, evidence)];
}

export const installHookChanged: SignalDefinition = {
  id: ID,
  defaultSeverity: 'high',
  description:
    'Python: installing the new version builds it from source (no wheel fits where one did, or none at all) and its build code changed: a setup.py or an in-tree build backend appeared (high), or setup.py, the backend or its requirements changed (medium).',
  offline: false,
  needs: ['packument', 'sdist-contents'],
  run,
};
