/**
 * A wheel as {@link ArchiveContents}: every RECORD entry listed (path, size, digest, kind), text
 * only for the members read. Whole reads (the file in memory, its sha256 checked) read every member
 * worth reading; ranged reads only those that differ from the compared release's.
 */
import type { WheelIndex, WheelMember } from '../../archives/wheel-index.js';
import type { RangeSource } from '../../archives/wheel-zip.js';
import type { ArchiveContents, ArchiveFile, ContentSkip } from '../../model/index.js';
import { isCode, type MemberRead, memberDigest, type ReadOptions, readWheelMember, worthReading } from './wheel-members.js';

export interface WheelIdentity {
  name: string;
  version: string;
  /** `sha256:<hex>` of the wheel file. */
  integrity: string;
}

/**
 * What a comparison of two releases keys each path on: the RECORD digest and size, and (when both
 * sides have a central directory) its CRC-32. A member whose bytes differ from what RECORD claims is
 * then still fetched (and refused) when its CRC changed; only a forged CRC-32 with a lying RECORD
 * escapes a ranged read, which is why small wheels are read whole.
 */
export interface Keys {
  map: ReadonlyMap<string, string>;
  crc: boolean;
}

function keyOf(m: WheelMember, crc: boolean): string {
  return `${memberDigest(m) ?? ''}|${m.entry.size}${crc ? `|${m.entry.crc}` : ''}`;
}

export function keysOfIndex(index: WheelIndex, crc: boolean): Keys {
  return { map: new Map([...index.members.values()].map((m) => [m.path, keyOf(m, crc)])), crc };
}

export function keysOfContents(c: ArchiveContents): Keys {
  return { map: new Map(c.files.map((f) => [f.path, `${f.sha256}|${f.size}`])), crc: false };
}

/**
 * The members a ranged read needs: for the new release, those added or changed against the compared
 * one (all of them when there is none); for the compared release, those the new one changed.
 */
export function membersToRead(index: WheelIndex, other: Keys | undefined, isNext: boolean): WheelMember[] {
  const out: WheelMember[] = [];
  for (const m of index.members.values()) {
    if (!worthReading(m.path)) continue;
    const theirs = other?.map.get(m.path);
    const mine = keyOf(m, other?.crc ?? false);
    // the new release's console scripts name entry points, changed or not
    const scripts = isNext && /^[^/]+\.dist-info\/entry_points\.txt$/.test(m.path);
    if (scripts || (isNext ? theirs === undefined || theirs !== mine : theirs !== undefined && theirs !== mine)) out.push(m);
  }
  return out;
}

/** Reads the members (a few at a time) and lists the whole wheel. */
export async function wheelContents(
  id: WheelIdentity,
  src: RangeSource,
  index: WheelIndex,
  toRead: readonly WheelMember[],
  o: ReadOptions & { maxTotalTextBytes: number },
): Promise<ArchiveContents> {
  const reads = new Map<string, MemberRead>();
  const skipped: ContentSkip[] = [];
  let textBudget = o.maxTotalTextBytes;
  const queue = [...toRead];
  const worker = async (): Promise<void> => {
    for (let m = queue.shift(); m !== undefined; m = queue.shift()) {
      if (textBudget <= 0 && isCode(m.path)) {
        skipped.push({ path: m.path, reason: 'over the archive text budget: not read' });
        continue;
      }
      const r = await readWheelMember(src, m, o);
      textBudget -= r.text?.length ?? 0;
      reads.set(m.path, r);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  const files: ArchiveFile[] = [];
  let unpacked = 0;
  for (const m of index.members.values()) {
    unpacked += m.entry.size;
    const f = fileOf(m, reads.get(m.path));
    if (f.truncated) skipped.push({ path: m.path, reason: `text over the per-file cap: the first ${f.text?.length ?? 0} characters were analysed` });
    if (reads.get(m.path)?.headOnly) skipped.push({ path: m.path, reason: 'large binary: only its first bytes were read (not checked against RECORD)' });
    files.push(f);
  }
  return { ecosystem: 'pypi', name: id.name, version: id.version, integrity: id.integrity, files, skipped, bytes: { compressed: 0, unpacked } };
}

function fileOf(m: WheelMember, read: MemberRead | undefined): ArchiveFile {
  const f: ArchiveFile = { path: m.path, size: m.entry.size, sha256: memberDigest(m) ?? '', kind: read?.kind ?? (isCode(m.path) ? 'text' : 'binary') };
  if (m.mode & 0o111 || /^[^/]+\.data\/scripts\//.test(m.path)) f.executable = true;
  if (read?.text !== undefined) f.text = read.text;
  if (read?.head !== undefined) f.head = read.head;
  if (read?.truncated) f.truncated = true;
  return f;
}
