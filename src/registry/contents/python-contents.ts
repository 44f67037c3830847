/**
 * Python distribution contents for content analysis (issue 14). Integrity story: a wheel up to
 * `wholeWheelBytes`, a wheel that would need many ranges, and every sdist are downloaded whole and
 * their sha256 checked against the index's and the lockfile's before anything is read. A larger wheel
 * is read by range (central directory, RECORD, then only the members that differ from the compared
 * release): its whole-file hash cannot be checked on a ranged read, so the file must be the one the
 * lockfile pins (by the index's sha256), RECORD must agree with the central directory, and every
 * member read must match its RECORD hash. Anything else is refused (fail closed). Never throws.
 */
import { createHash } from 'node:crypto';
import { ArchiveRefused } from '../../archives/npm-tar.js';
import { SdistError } from '../../archives/listing.js';
import type { WheelIndex } from '../../archives/wheel-index.js';
import { memorySource, type RangeSource, WheelZipError } from '../../archives/wheel-zip.js';
import type { ArchiveContents, DistFile, DistSide, PythonContentsRequest, PythonContentsResult } from '../../model/index.js';
import { RegistryError } from '../http.js';
import type { ArchiveCache } from './cache.js';
import { digestsOf } from './integrity.js';
import { sdistContents } from './sdist-contents.js';
import { type MemberCache, openWheel } from './wheel-members.js';
import { type Keys, keysOfContents, keysOfIndex, membersToRead, wheelContents } from './wheel-contents.js';

const MiB = 1024 * 1024;
/** Most members one ranged read fetches; past it the wheel is downloaded whole (or refused when too large). */
export const MAX_RANGED_MEMBERS = 64;

export type Download = (
  file: DistFile,
  limit: number,
  signal: AbortSignal | undefined,
) => Promise<{ bytes: Buffer } | { reason: string; failClosed?: boolean }>;

/** Bytes a review may download for Python contents; past it, what is left fails closed. */
export class ByteBudget {
  constructor(public remaining: number) {}
  take(n: number): void {
    this.remaining -= n;
    if (this.remaining < 0) throw new Refused("over the review's content download budget");
  }
}

export interface PythonContentsDeps {
  isOwnFile(file: DistFile): boolean;
  /** Range reads of the file; `onWhole` gets the whole file when the server ignores ranges and sends it all. */
  rangeSource(file: DistFile, signal: AbortSignal | undefined, onWhole?: (bytes: Uint8Array) => void): RangeSource;
  download: Download;
  cache: ArchiveCache;
  members: MemberCache;
  /** Wheels up to this size are downloaded whole (default 1 MiB). */
  wholeWheelBytes: number;
  budget: ByteBudget;
}

/** Refused by the distribution's own doing: fails closed. */
class Refused extends Error {}
/** The index's trouble (network, status): incomplete. */
class Unavailable extends Error {}

/** A side read whole (with its wheel index when just read), or opened for ranges. */
type Opened = { whole: ArchiveContents; index?: WheelIndex } | Ranged;

/** A wheel opened for ranges, and the bytes fetched for it so far. */
interface Ranged {
  ranged: WheelIndex;
  src: RangeSource;
  side: DistSide;
  fetched: { bytes: number };
}

interface Ctx {
  req: PythonContentsRequest;
  deps: PythonContentsDeps;
  signal: AbortSignal | undefined;
  fetched: { bytes: number };
  how: string[];
}

export async function readPythonContents(req: PythonContentsRequest, deps: PythonContentsDeps, signal?: AbortSignal): Promise<PythonContentsResult> {
  const ctx: Ctx = { req, deps, signal, fetched: { bytes: 0 }, how: [] };
  const sides = req.previous ? [req.next, req.previous] : [req.next];
  let at = req.next.version;
  try {
    const opened: Opened[] = [];
    for (const side of sides) {
      at = side.version;
      opened.push(await open(side, ctx));
    }
    const out: ArchiveContents[] = [];
    for (const [i, o] of opened.entries()) {
      at = sides[i]!.version;
      const other = opened[1 - i];
      out.push('whole' in o ? o.whole : await ranged(o, other === undefined ? undefined : keysOf(other), i === 0, ctx));
    }
    return { ok: true, next: out[0]!, ...(out[1] ? { previous: out[1] } : {}), downloaded: ctx.fetched.bytes, how: ctx.how };
  } catch (e) {
    return { ok: false, version: at, ...failure(e) };
  }
}

function failure(e: unknown): { reason: string; failClosed?: boolean } {
  if (e instanceof Unavailable || e instanceof RegistryError) return { reason: e.message };
  if (e instanceof Refused) return { reason: e.message, failClosed: true };
  if (e instanceof WheelZipError) return { reason: `wheel refused: ${e.message}`, failClosed: true };
  if (e instanceof ArchiveRefused || e instanceof SdistError) return { reason: `sdist refused: ${e.message}`, failClosed: true };
  return { reason: `internal error: ${(e as Error).message}`, failClosed: true };
}

/** The other side's keys: with CRC-32 when it has a central directory at hand. */
function keysOf(o: Opened): Keys {
  if ('ranged' in o) return keysOfIndex(o.ranged, true);
  return o.index ? keysOfIndex(o.index, true) : keysOfContents(o.whole);
}

/** Checks the file is the index's and the one the lockfile pins, then reads it whole or opens it for ranges. */
async function open(side: DistSide, ctx: Ctx): Promise<Opened> {
  const f = side.file;
  if (!ctx.deps.isOwnFile(f)) throw new Refused(`${f.filename}: not a file from the package index's documents`);
  if (f.sha256 === undefined) throw new Refused(`the index gives no sha256 for ${f.filename}`);
  if (side.lockSha256.length > 0 && !side.lockSha256.includes(f.sha256))
    throw new Refused(`the lockfile's hashes for ${side.version} do not include ${f.filename} (sha256 ${f.sha256.slice(0, 12)}… per the index)`);
  if (f.kind === 'sdist' && !/\.(?:tar\.gz|tgz|zip)$/i.test(f.filename)) throw new Unavailable(`${f.filename}: only .tar.gz and .zip sdists are read`);
  const cached = fromMemory(side, ctx);
  if (cached) return { whole: cached };
  const size = f.size ?? Number.POSITIVE_INFINITY;
  if (f.kind === 'sdist' || size <= ctx.deps.wholeWheelBytes || (await ctx.deps.cache.getBytes(integrity(f))) !== undefined) return whole(side, ctx);
  if (f.kind !== 'wheel') throw new Refused(`${f.filename}: neither a wheel nor an sdist`);
  const fetched = { bytes: 0, whole: undefined as Uint8Array | undefined };
  const src = counting(
    ctx.deps.rangeSource(f, ctx.signal, (b) => {
      fetched.whole = b;
    }),
    ctx,
    fetched,
  );
  const key = `${integrity(f)} ${ctx.req.limits.maxFiles}`;
  let index = ctx.deps.members.getIndex(key);
  if (!index) index = await openWheel(src, caps(ctx), ctx.req.limits.maxFiles);
  // a server that ignores ranges sent the whole file: then it is checked and read as a whole read
  if (fetched.whole) return fromBytes(Buffer.from(fetched.whole.buffer, fetched.whole.byteOffset, fetched.whole.byteLength), side, ctx, true);
  ctx.deps.members.setIndex(key, index);
  return { ranged: index, src, side, fetched };
}

function integrity(f: DistFile): string {
  return `sha256:${f.sha256}`;
}

function memoryKey(f: DistFile, ctx: Ctx): string {
  const l = ctx.req.limits;
  return `${integrity(f)} ${[l.maxUnpackedBytes, l.maxFiles, l.maxTextBytes ?? '', l.maxRatio ?? ''].join(',')}`;
}

function fromMemory(side: DistSide, ctx: Ctx): ArchiveContents | undefined {
  const hit = ctx.deps.cache.getContents(memoryKey(side.file, ctx));
  if (!hit) return undefined;
  ctx.how.push(`${side.file.filename} (cached)`);
  return { ...hit.contents, name: ctx.req.name, version: side.version };
}

/** Downloads (or takes from the disk cache) the whole file, checks its sha256, reads every member worth reading. */
async function whole(side: DistSide, ctx: Ctx): Promise<{ whole: ArchiveContents; index?: WheelIndex }> {
  const f = side.file;
  const limit = ctx.req.limits.maxArchiveBytes;
  if (f.size !== undefined && f.size > limit) throw new Refused(`${f.filename}: ${f.size} bytes, over the ${limit}-byte cap (content.maxArchiveBytes)`);
  let bytes = await ctx.deps.cache.getBytes(integrity(f));
  if (bytes && sha256(bytes) !== f.sha256) {
    await ctx.deps.cache.forget(integrity(f));
    bytes = undefined;
  }
  if (!bytes) {
    const got = await ctx.deps.download(f, limit, ctx.signal);
    if (!('bytes' in got)) throw got.failClosed ? new Refused(`${f.filename}: ${got.reason}`) : new Unavailable(`${f.filename}: ${got.reason}`);
    ctx.deps.budget.take(got.bytes.length);
    ctx.fetched.bytes += got.bytes.length;
    return fromBytes(got.bytes, side, ctx, true);
  }
  return fromBytes(bytes, side, ctx, false);
}

/** Checks freshly downloaded bytes against the index's sha256 (the lockfile pins it), keeps them, reads them. */
async function fromBytes(bytes: Buffer, side: DistSide, ctx: Ctx, fresh: boolean): Promise<{ whole: ArchiveContents; index?: WheelIndex }> {
  const f = side.file;
  if (fresh) {
    if (sha256(bytes) !== f.sha256) throw new Refused(`${f.filename}: the file's sha256 is not the one the index and the lockfile name`);
    await ctx.deps.cache.setBytes(integrity(f), bytes);
  }
  const read = await readWhole(bytes, side, ctx);
  read.whole.bytes.compressed = bytes.length;
  ctx.deps.cache.setContents(memoryKey(f, ctx), read.whole, digestsOf(bytes));
  ctx.how.push(`${f.filename} (${f.kind === 'wheel' ? 'whole wheel' : 'sdist'}, ${bytes.length} bytes)`);
  return read;
}

async function readWhole(bytes: Buffer, side: DistSide, ctx: Ctx): Promise<{ whole: ArchiveContents; index?: WheelIndex }> {
  const id = { name: ctx.req.name, version: side.version, integrity: integrity(side.file) };
  if (side.file.kind === 'sdist') return { whole: await sdistContents(bytes, { ...id, filename: side.file.filename }, ctx.req.limits) };
  const src = memorySource(bytes);
  const index = await openWheel(src, caps(ctx), ctx.req.limits.maxFiles);
  const total = [...index.members.values()].reduce((n, m) => n + m.entry.size, 0);
  if (total > ctx.req.limits.maxUnpackedBytes)
    throw new Refused(`${side.file.filename}: members declare ${total} bytes, over the ${ctx.req.limits.maxUnpackedBytes}-byte cap`);
  return { whole: await wheelContents(id, src, index, membersToRead(index, undefined, true), readOptions(ctx, Number.POSITIVE_INFINITY)), index };
}

/** A ranged read of the members that differ; a wheel needing too many is downloaded whole instead. */
async function ranged(o: Ranged, other: Keys | undefined, isNext: boolean, ctx: Ctx): Promise<ArchiveContents> {
  const f = o.side.file;
  const toRead = membersToRead(o.ranged, other, isNext);
  const bytes = toRead.reduce((n, m) => n + m.entry.compressed, 0);
  if (toRead.length > MAX_RANGED_MEMBERS || bytes > (f.size ?? 0) / 2) {
    if ((f.size ?? Number.POSITIVE_INFINITY) <= ctx.req.limits.maxArchiveBytes) return (await whole(o.side, ctx)).whole;
    if (toRead.length > MAX_RANGED_MEMBERS)
      throw new Refused(`${f.filename}: ${toRead.length} members differ (over ${MAX_RANGED_MEMBERS} ranges) and the wheel is over content.maxArchiveBytes`);
  }
  const id = { name: ctx.req.name, version: o.side.version, integrity: integrity(f) };
  const contents = await wheelContents(id, o.src, o.ranged, toRead, readOptions(ctx, 256 * 1024));
  // what was actually fetched for this wheel (central directory, RECORD, members): the report's cost figures
  contents.bytes.compressed = o.fetched.bytes;
  ctx.how.push(`${f.filename} (RECORD and ${toRead.length} changed member${toRead.length === 1 ? '' : 's'} by range)`);
  return contents;
}

function caps(ctx: Ctx) {
  return { maxBytes: ctx.req.limits.maxUnpackedBytes, maxRatio: ctx.req.limits.maxRatio ?? 200 };
}

function readOptions(ctx: Ctx, headOnlyAbove: number) {
  return { caps: caps(ctx), maxTextBytes: ctx.req.limits.maxTextBytes ?? 2 * MiB, headOnlyAbove, cache: ctx.deps.members, maxTotalTextBytes: 8 * MiB };
}

/** Counts (and budgets) every byte a ranged read fetches (a whole file sent instead once, in full). */
function counting(src: RangeSource, ctx: Ctx, side: { bytes: number; whole?: Uint8Array | undefined }): RangeSource {
  let counted = false;
  const count = <T extends Uint8Array>(b: T): T => {
    const n = side.whole ? (counted ? 0 : side.whole.length) : b.length;
    counted ||= side.whole !== undefined;
    ctx.deps.budget.take(n);
    ctx.fetched.bytes += n;
    side.bytes += n;
    return b;
  };
  return {
    tail: async (n) => {
      const t = await src.tail(n);
      count(t.bytes);
      return t;
    },
    range: async (start, end) => count(await src.range(start, end)),
  };
}

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}
