/**
 * A wheel's members for content analysis: the central directory and RECORD (checked against each
 * other), then the members asked for, each verified against its RECORD hash. Members are cached by
 * that verified digest, never per wheel: a cached entry is a whole member, so a later comparison can
 * never mistake a partial view of a wheel (only the members one comparison needed) for a clean one.
 */
import { createHash } from 'node:crypto';
import { checkAgainstRecord, indexCentralDirectory, type WheelIndex, type WheelMember } from '../../archives/wheel-index.js';
import { type MemberCaps, readMember, readMemberHead } from '../../archives/wheel-member.js';
import { parseRecord } from '../../archives/wheel-record.js';
import { type RangeSource, readCentralDirectory, WheelZipError } from '../../archives/wheel-zip.js';
import { ByteLru } from '../http.js';

const HEAD_BYTES = 64;
const MiB = 1024 * 1024;
/** Largest RECORD read. */
const MAX_RECORD_BYTES = 16 * MiB;

/** What was read of one member: its text, or a binary's first bytes. */
export interface MemberRead {
  kind: 'text' | 'binary';
  text?: string;
  head?: string;
  truncated?: boolean;
  /** Only the first bytes were read (a large binary): its hash was not checked. */
  headOnly?: boolean;
}

/**
 * Verified member reads by digest, and wheels' checked central directories and RECORDs by the wheel's
 * sha256 (an index is whole or absent, never partial), shared across reviews.
 */
export class MemberCache {
  private readonly lru: ByteLru<MemberRead & { bytes: number }>;
  private readonly indexes: ByteLru<{ index: WheelIndex; bytes: number }>;
  constructor(bytes = 64 * MiB) {
    this.lru = new ByteLru(bytes);
    this.indexes = new ByteLru(bytes / 4);
  }
  getIndex(key: string): WheelIndex | undefined {
    return this.indexes.get(key)?.index;
  }
  setIndex(key: string, index: WheelIndex): void {
    let bytes = 1024;
    for (const m of index.members.values()) bytes += 300 + m.path.length * 3 + (m.record?.digest?.length ?? 0) * 2;
    this.indexes.set(key, { index, bytes });
  }
  get(key: string): MemberRead | undefined {
    return this.lru.get(key);
  }
  set(key: string, m: MemberRead): void {
    this.lru.set(key, { ...m, bytes: 256 + (m.text?.length ?? 0) * 2 + (m.head?.length ?? 0) });
  }
}

/** The digest a comparison keys a member by: hex for sha256 (as whole reads compute it), else `alg:hex`. */
export function memberDigest(m: WheelMember): string | undefined {
  const r = m.record;
  if (r?.digest === undefined) return undefined;
  return r.algorithm === 'sha256' ? r.digest : `${r.algorithm}:${r.digest}`;
}

/** Central directory, then RECORD (one more range when it is not in the tail already read), checked against each other. */
export async function openWheel(src: RangeSource, caps: MemberCaps, maxFiles: number): Promise<WheelIndex> {
  const { cd, location } = await readCentralDirectory(src);
  const index = indexCentralDirectory(cd, location, maxFiles);
  const bytes = await readMember(src, index.record, { ...caps, maxBytes: Math.min(caps.maxBytes, MAX_RECORD_BYTES) });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new WheelZipError('RECORD is not valid UTF-8');
  }
  checkAgainstRecord(index, parseRecord(text));
  return index;
}

export interface ReadOptions {
  caps: MemberCaps;
  /** Text kept per member. */
  maxTextBytes: number;
  /** Members above this many compressed bytes that are not code are read for their first bytes only. */
  headOnlyAbove: number;
  cache: MemberCache;
}

/** Reads one member (or its head), verified against RECORD; cached by digest. */
export async function readWheelMember(src: RangeSource, m: WheelMember, o: ReadOptions): Promise<MemberRead> {
  const key = `${m.record?.algorithm}:${m.record?.digest}:${o.maxTextBytes}`;
  const hit = o.cache.get(key);
  if (hit) return hit;
  if (m.entry.compressed > o.headOnlyAbove && !isCode(m.path)) {
    const head = await readMemberHead(src, m, o.caps, HEAD_BYTES);
    // not cached: a head read is not verified, and a whole read of the same member may come later
    return { kind: 'binary', head: Buffer.from(head).toString('base64'), headOnly: true };
  }
  const bytes = await readMember(src, m, o.caps);
  verify(m, bytes);
  const read = classify(bytes, o.maxTextBytes);
  o.cache.set(key, read);
  return read;
}

function verify(m: WheelMember, bytes: Uint8Array): void {
  const r = m.record;
  if (r?.digest === undefined) return; // RECORD's own line (checkAgainstRecord allows no other)
  if (createHash(r.algorithm!).update(bytes).digest('hex') !== r.digest) throw new WheelZipError(`member ${m.shown} does not match its RECORD hash`);
}

/** Text when valid UTF-8 without NUL (kept up to the cap), else a binary's first bytes. */
export function classify(bytes: Uint8Array, maxText: number): MemberRead {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!buf.includes(0)) {
    const cut = buf.length > maxText;
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, maxText), { stream: cut });
      return cut ? { kind: 'text', text, truncated: true } : { kind: 'text', text };
    } catch {
      // not UTF-8: a binary
    }
  }
  return { kind: 'binary', head: buf.subarray(0, HEAD_BYTES).toString('base64') };
}

/** Source and script files: always read whole (their hash is checked), whatever their size. */
export function isCode(path: string): boolean {
  return /\.(?:py|pyw|pth|pyx|pxd|js|cjs|mjs|sh|bash|bat|cmd|ps1|cfg|toml|ini|json|txt)$/i.test(path) || /\.data\/scripts\//.test(path);
}

/**
 * Members worth reading when they are new or changed: everything but documentation, images and the
 * dist-info metadata (its `entry_points.txt` excepted: console scripts).
 */
export function worthReading(path: string): boolean {
  if (/^[^/]+\.dist-info\//.test(path)) return /\/entry_points\.txt$/.test(path);
  if (/\.(?:md|rst|png|jpe?g|gif|ico|bmp|webp|svg|csv|tsv|pyi|mo|po|ttf|otf|woff2?|eot|pdf|html?|css|map)$/i.test(path)) return false;
  return !/(?:^|\/)(?:py\.typed|LICEN[CS]E[^/]*|COPYING[^/]*|NOTICE[^/]*|AUTHORS[^/]*)$/i.test(path);
}
