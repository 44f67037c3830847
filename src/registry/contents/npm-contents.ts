/**
 * A version's npm archive for content analysis: from the configured registry origin only, verified
 * before it is read, unpacked with caps, cached by integrity (./cache.ts). Never throws.
 */
import { ArchiveRefused, readNpmTarball } from '../../archives/npm-tar.js';
import type { ArchiveAdmission, ContentLimits, ContentsRequest, ContentsResult } from '../../model/index.js';
import type { ArchiveCache } from './cache.js';
import type { Downloaded } from './download.js';
import { checkDigests, digestsOf, expectedDigests, strongestSri } from './integrity.js';

/**
 * A bounded download: the bytes and the function giving back their admission (./download.ts), or why
 * not (`failClosed`: the server's answer itself was refused, e.g. over the cap).
 */
export type Download = (url: string, limit: number, signal: AbortSignal | undefined, admission: ArchiveAdmission | undefined) => Promise<Downloaded>;

export interface NpmContentsDeps {
  /** The configured registry URL for a name (scoped registries included). */
  registryFor(name: string): string;
  download: Download;
  cache: ArchiveCache;
}

/** `admission`: the caller's bound on archive bytes held at once; what it admitted is given back once the archive is unpacked. */
export async function readNpmContents(
  req: ContentsRequest,
  deps: NpmContentsDeps,
  signal?: AbortSignal,
  admission?: ArchiveAdmission,
): Promise<ContentsResult> {
  const held: Array<() => void> = [];
  const keep = (release: (() => void) | undefined): (() => void) | undefined => {
    if (release) held.push(release);
    return release;
  };
  const tracked: ArchiveAdmission | undefined = admission && {
    tryTake: (bytes) => keep(admission.tryTake(bytes)),
    take: async (bytes) => keep(await admission.take(bytes))!,
  };
  try {
    return await read(req, deps, signal, tracked);
  } catch (e) {
    return { ok: false, reason: `internal error: ${(e as Error).message}`, failClosed: true };
  } finally {
    for (const release of held) release();
  }
}

async function read(
  req: ContentsRequest,
  deps: NpmContentsDeps,
  signal: AbortSignal | undefined,
  admission: ArchiveAdmission | undefined,
): Promise<ContentsResult> {
  const url = sameOriginTarball(req.tarball, deps.registryFor(req.name));
  if (typeof url !== 'string') return url;
  const registry = expectedDigests(req.integrity, req.shasum);
  const lock = expectedDigests(req.lockIntegrity);
  const key = strongestSri(registry);
  if (key === undefined) return { ok: false, reason: 'the registry document gives no integrity for this version', failClosed: true };
  // a sha1 collision can be made: archives known only by sha1 are never cached
  const cacheable = !key.startsWith('sha1-');
  const memKey = cacheable && req.textOf === undefined ? contentsCacheKey(key, req.limits) : '';
  const hit = memKey ? deps.cache.getContents(memKey) : undefined;
  if (hit) {
    const checked = checkDigests(hit.digests, registry, lock);
    if ('mismatch' in checked) return { ok: false, reason: `integrity mismatch: ${checked.mismatch}`, failClosed: true };
    return { ok: true, contents: hit.contents, downloaded: 0 };
  }
  const fromDisk = cacheable ? await fromDir(key, registry, deps.cache) : undefined;
  let bytes = fromDisk;
  let downloaded = 0;
  if (!bytes) {
    const got = await deps.download(url, req.limits.maxArchiveBytes, signal, admission);
    if (!('bytes' in got)) return { ok: false, reason: got.reason, ...(got.failClosed ? { failClosed: true } : {}) };
    bytes = got.bytes;
    downloaded = bytes.length;
  }
  return unpack(req, deps, { bytes, downloaded, fromDisk: fromDisk !== undefined, cacheable, key, memKey, registry, lock });
}

interface Fetched {
  bytes: Buffer;
  downloaded: number;
  fromDisk: boolean;
  cacheable: boolean;
  key: string;
  memKey: string;
  registry: ReturnType<typeof expectedDigests>;
  lock: ReturnType<typeof expectedDigests>;
}

/** Verifies the bytes (registry, then lockfile), reads them, and caches what was verified. */
async function unpack(req: ContentsRequest, deps: NpmContentsDeps, f: Fetched): Promise<ContentsResult> {
  const digests = digestsOf(f.bytes);
  const checked = checkDigests(digests, f.registry, f.lock);
  if ('mismatch' in checked) return { ok: false, reason: `integrity mismatch: ${checked.mismatch}`, failClosed: true };
  if (!f.fromDisk && f.cacheable) await deps.cache.setBytes(f.key, f.bytes);
  try {
    const contents = await readNpmTarball(f.bytes, { name: req.name, version: req.version, integrity: checked.integrity }, tarLimits(req));
    if (f.memKey) deps.cache.setContents(f.memKey, contents, digests);
    return { ok: true, contents, downloaded: f.downloaded };
  } catch (e) {
    if (e instanceof ArchiveRefused) return { ok: false, reason: `archive refused: ${e.message}`, failClosed: true };
    throw e;
  }
}

/** Cached bytes that still match the registry's integrity; a corrupted file is dropped (and fetched again). */
async function fromDir(key: string, registry: ReturnType<typeof expectedDigests>, cache: ArchiveCache): Promise<Buffer | undefined> {
  const bytes = await cache.getBytes(key);
  if (!bytes) return undefined;
  if ('mismatch' in checkDigests(digestsOf(bytes), registry, new Map())) {
    await cache.forget(key);
    return undefined;
  }
  return bytes;
}

/** The tarball URL when it is on the configured registry's origin; a refusal otherwise (never another host). */
function sameOriginTarball(tarball: string | undefined, registryUrl: string): string | ContentsResult {
  if (!tarball) return { ok: false, reason: 'the registry document gives no dist.tarball for this version', noteOnly: true };
  let origin: string;
  let allowed: string;
  try {
    origin = new URL(tarball).origin;
    allowed = new URL(registryUrl).origin;
  } catch {
    return { ok: false, reason: 'dist.tarball is not a URL', failClosed: true };
  }
  if (origin === 'null' || origin !== allowed)
    return { ok: false, reason: `dist.tarball is on another origin (${origin.slice(0, 200)}) than the configured registry: not followed`, noteOnly: true };
  return tarball;
}

function tarLimits(req: ContentsRequest) {
  const l = req.limits;
  return {
    maxUnpackedBytes: l.maxUnpackedBytes,
    maxFiles: l.maxFiles,
    ...(l.maxTextBytes !== undefined ? { maxTextBytes: l.maxTextBytes } : {}),
    ...(l.maxTotalTextBytes !== undefined ? { maxTotalTextBytes: l.maxTotalTextBytes } : {}),
    ...(l.maxRatio !== undefined ? { maxRatio: l.maxRatio } : {}),
    ...(req.textOf !== undefined ? { textOf: new Set(req.textOf) } : {}),
  };
}

/** The memory cache's key: the archive's integrity and the caps it was read with. */
export function contentsCacheKey(integrity: string, l: ContentLimits): string {
  return `${integrity} ${[l.maxUnpackedBytes, l.maxFiles, l.maxTextBytes ?? '', l.maxTotalTextBytes ?? '', l.maxRatio ?? ''].join(',')}`;
}
