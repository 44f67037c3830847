/**
 * What building a Python sdist would run (`pyproject.toml` `[build-system]`, `setup.py`, `setup.cfg`),
 * read from the archive as pip unpacks it (walkers: ./tar.ts, ./zip.ts); docs/REGISTRY.md has the rules.
 * The whole archive is read, because the last member written to a path wins and a reader that stopped
 * early could be shown a decoy; bytes decompressed, members, extended headers and `pyproject.toml` are
 * capped, and a member landing outside the project directory is an {@link SdistError}, as pip refuses it.
 */
import { createHash } from 'node:crypto';
import { LockfileError } from '../errors.js';
import { readToml, tomlArray, tomlKind, tomlString, tomlTable } from '../lockfiles/readers/toml.js';
import type { SdistBuildFile, SdistInfo } from '../model/index.js';
import {
  type ArchiveListing,
  type ArchiveMember,
  type BuildFile,
  type Captured,
  DEFAULT_SDIST_LIMITS,
  displayName,
  hasLeadingDir,
  resolveInside,
  SdistError,
  type SdistFormat,
  sdistFormat,
  type SdistLimits,
  SETUP_PY_HEAD_BYTES,
  splitLeadingDir,
} from './listing.js';
import { listTarGz } from './tar.js';
import { listZip, looksLikeZip } from './zip.js';

export { DEFAULT_SDIST_LIMITS, displayName, hasLeadingDir, resolveInside, SdistError, sdistFormat, SETUP_PY_HEAD_BYTES, splitLeadingDir } from './listing.js';
export type { ArchiveListing, ArchiveMember, Captured, MemberKind, SdistFormat, SdistLimits } from './listing.js';
export { listTar, listTarGz, parsePax, TarWalker } from './tar.js';
export { listZip, looksLikeZip } from './zip.js';

// ---- what the build would run -----------------------------------------------------------------

function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

function buildSystemOf(text: string, where: string): Pick<NonNullable<SdistInfo['pyproject']>, 'buildSystem' | 'error'> {
  let root: ReturnType<typeof readToml>;
  try {
    root = readToml(where, text, 0, { maxDepth: 64 });
  } catch (e) {
    if (e instanceof LockfileError) return { error: e.message };
    throw e;
  }
  const bsValue = root.get('build-system');
  if (bsValue === undefined) return {};
  const bs = tomlTable(bsValue);
  if (!bs) return { error: `${where}: build-system is ${tomlKind(bsValue)}, not a table` };
  const out: NonNullable<SdistInfo['pyproject']>['buildSystem'] = {};
  const strings = (key: string): string[] | string | undefined => {
    const v = bs.get(key);
    if (v === undefined) return undefined;
    const arr = tomlArray(v);
    const list = arr?.map((x) => tomlString(x));
    if (!list || list.some((x) => x === undefined)) return `${where}:${bs.lineOf(key) ?? bs.line}: build-system.${key} must be a list of strings`;
    return list as string[];
  };
  const requires = strings('requires');
  if (typeof requires === 'string') return { error: requires };
  // pip: a [build-system] table without `requires` is an error
  if (requires === undefined) return { error: `${where}:${bs.line}: build-system has no requires` };
  out.requires = requires;
  const backend = bs.get('build-backend');
  if (backend !== undefined) {
    const s = tomlString(backend);
    if (s === undefined) return { error: `${where}:${bs.lineOf('build-backend') ?? bs.line}: build-system.build-backend must be a string` };
    out.buildBackend = s;
  }
  const path = strings('backend-path');
  if (typeof path === 'string') return { error: path };
  if (path !== undefined) out.backendPath = path;
  return { buildSystem: out };
}

/** Files of the in-tree backend: everything under each `backend-path` directory, or its module when that is the project root. */
function backendDigest(
  final: Map<string, ArchiveMember>,
  backendPath: readonly string[],
  backend: string | undefined,
): { digest: string; files: number } | { error: string } {
  const dirs: string[] = [];
  for (const p of backendPath) {
    const d = resolveInside(p);
    if (d === undefined) return { error: `backend-path ${p.slice(0, 100)} is outside the project (pip refuses it)` };
    dirs.push(d);
  }
  const top = (backend ?? '').split(':')[0]!.split('.')[0]!.trim();
  const inBackend = (path: string): boolean =>
    dirs.some((d) => {
      const rel = d === '' ? path : path.startsWith(`${d}/`) ? path.slice(d.length + 1) : undefined;
      if (rel === undefined) return false;
      // backend-path "." (the project itself): only the backend's own module or package
      return d !== '' || (top !== '' && (rel === `${top}.py` || rel.startsWith(`${top}/`)));
    });
  const lines: string[] = [];
  for (const [path, m] of final) {
    if (m.kind !== 'file' && m.kind !== 'hardlink' && m.kind !== 'symlink') continue;
    if (!inBackend(path)) continue;
    lines.push(`${path}\u0000${m.kind === 'symlink' ? `link:${m.link}` : (m.sha256 ?? '?')}\n`);
  }
  lines.sort();
  return { digest: sha256Hex(lines.join('')), files: lines.length };
}

/** Follows a symbolic link inside the project (at most 8 hops); undefined when it leaves the archive or loops. */
function followLink(final: Map<string, ArchiveMember>, path: string, m: ArchiveMember): ArchiveMember | undefined {
  let at = path;
  let cur = m;
  for (let hop = 0; hop < 8; hop++) {
    if (cur.kind !== 'symlink') return cur;
    const dir = at.includes('/') ? at.slice(0, at.lastIndexOf('/')) : '';
    const target = resolveInside(cur.link!.startsWith('/') ? cur.link! : dir ? `${dir}/${cur.link}` : cur.link!);
    if (target === undefined) return undefined;
    const next = final.get(target);
    if (!next) return undefined;
    at = target;
    cur = next;
  }
  return undefined;
}

/**
 * What pip would build from a listing: the project directory, the last member at each path, and the
 * build files in it. Throws {@link SdistError} when pip would refuse the archive (a member outside
 * the project directory).
 */
/** The project directory's files, by their path in it, as extraction leaves them (the last member of a path wins). */
interface FinalTree {
  root: string;
  /** `A:` (leading directory stripped) or `B:` capture keys apply. */
  tag: 'A' | 'B';
  final: Map<string, ArchiveMember>;
  finalIndex: Map<string, number>;
}

/** What a build file is, and its captured text when it is the member extraction keeps. */
interface BuildFileFacts {
  f: SdistBuildFile;
  captured?: Captured;
}

/** The build files of a listing (where extraction puts them), then what each one says. */
export function interpretListing(listing: ArchiveListing, filename: string, format: SdistFormat, limitsIn: Partial<SdistLimits> = {}): SdistInfo {
  const limits: SdistLimits = { ...DEFAULT_SDIST_LIMITS, ...limitsIn };
  const tree = finalTree(listing);
  const info: SdistInfo = { filename, format, root: displayName(tree.root), members: listing.members.length, unpackedBytes: listing.unpackedBytes };
  const setupPy = facts(listing, tree, 'setup.py');
  if (setupPy) {
    const bytes = setupPy.captured?.bytes ?? Buffer.alloc(0);
    const head = bytes.subarray(0, SETUP_PY_HEAD_BYTES).toString('utf8');
    info.setupPy = { ...setupPy.f, head, headTruncated: setupPy.f.size > SETUP_PY_HEAD_BYTES || (setupPy.captured?.truncated ?? false) };
  }
  const setupCfg = facts(listing, tree, 'setup.cfg');
  if (setupCfg) info.setupCfg = setupCfg.f;
  const pyproject = facts(listing, tree, 'pyproject.toml');
  if (pyproject) info.pyproject = pyprojectOf(pyproject, tree, limits);
  return info;
}

/** Where each member lands (pip's leading-directory rule); a member outside the project directory is refused. */
function finalTree(listing: ArchiveListing): FinalTree {
  const names = listing.members.map((m) => m.name);
  const leading = hasLeadingDir(names);
  const root = leading && names.length > 0 ? splitLeadingDir(names[0]!)[0] : '';
  const final = new Map<string, ArchiveMember>();
  const finalIndex = new Map<string, number>();
  listing.members.forEach((m, i) => {
    const rel = leading ? splitLeadingDir(m.name)[1] : m.name;
    const path = resolveInside(rel);
    if (path === undefined)
      throw new SdistError(`member ${displayName(m.name).slice(0, 200)} would be written outside the project directory (pip refuses the archive)`);
    if (path === '') return;
    final.set(path, m);
    finalIndex.set(path, i);
  });
  return { root, tag: leading ? 'A' : 'B', final, finalIndex };
}

/** A build file's size, link and digest (a symbolic link: its target's), and its captured text; undefined when there is none. */
function facts(listing: ArchiveListing, tree: FinalTree, file: BuildFile): BuildFileFacts | undefined {
  const m = tree.final.get(file);
  if (!m || m.kind === 'dir' || m.kind === 'other') return undefined;
  const f: SdistBuildFile = { size: m.size };
  let target: ArchiveMember | undefined = m;
  if (m.kind === 'symlink') {
    f.linkTo = displayName(m.link!);
    target = followLink(tree.final, file, m);
    if (target && (target.kind === 'dir' || target.kind === 'other')) target = undefined;
    f.size = target?.size ?? 0;
  } else if (m.kind === 'hardlink') f.linkTo = displayName(m.link!);
  if (target?.sha256 !== undefined) f.sha256 = target.sha256;
  const c = listing.captured.get(`${tree.tag}:${file}`);
  const out: BuildFileFacts = { f };
  if (m.kind === 'file' && c && c.index === tree.finalIndex.get(file)) out.captured = c;
  return out;
}

/** pyproject.toml: its `[build-system]` and, with `backend-path`, the digest of the in-tree backend. */
function pyprojectOf(pyproject: BuildFileFacts, tree: FinalTree, limits: SdistLimits): NonNullable<SdistInfo['pyproject']> {
  const p: NonNullable<SdistInfo['pyproject']> = { ...pyproject.f };
  if (!pyproject.captured) {
    p.error = 'pyproject.toml is a link; its text was not read';
    return p;
  }
  if (pyproject.captured.truncated) throw new SdistError(`pyproject.toml is larger than ${limits.maxPyprojectBytes} bytes (not read)`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(pyproject.captured.bytes);
  } catch {
    p.error = 'pyproject.toml is not valid UTF-8';
    return p;
  }
  const where = tree.root ? `${displayName(tree.root)}/pyproject.toml` : 'pyproject.toml';
  Object.assign(p, buildSystemOf(text, where));
  if (p.buildSystem?.backendPath !== undefined) {
    const d = backendDigest(tree.final, p.buildSystem.backendPath, p.buildSystem.buildBackend);
    if ('error' in d) p.error = d.error;
    else {
      p.backendDigest = d.digest;
      p.backendFiles = d.files;
    }
  }
  return p;
}

export interface ReadSdistOptions {
  limits?: Partial<SdistLimits>;
  /** The server's media type: pip reads `application/zip` as a ZIP whatever the file name. */
  contentType?: string;
}

/**
 * Reads a whole sdist (held in memory; the caller bounds the download) the way pip unpacks it.
 * Throws {@link SdistError} for anything unreadable or hostile.
 */
export async function readSdist(file: Uint8Array, filename: string, opts: ReadSdistOptions = {}): Promise<SdistInfo> {
  const byName = sdistFormat(filename);
  if (byName === undefined) throw new SdistError('only .tar.gz and .zip source distributions are read');
  const zip = byName === 'zip' || opts.contentType === 'application/zip' || looksLikeZip(file);
  const listing = zip ? listZip(file, opts.limits) : await listTarGz(file, opts.limits);
  return interpretListing(listing, filename, zip ? 'zip' : 'tar.gz', opts.limits);
}
