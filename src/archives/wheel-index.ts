/**
 * A wheel's members as its central directory lists them, checked against its RECORD: every file in
 * RECORD with a hash and the same size, nothing in one that is not in the other, no path leaving the
 * install directory, no name twice. Whatever disagrees is a {@link WheelZipError} (fail closed).
 */
import { isRecordFamily, type RecordEntry } from './wheel-record.js';
import { type CentralDirectoryLocation, parseCentralDirectory, WheelZipError } from './wheel-zip.js';
import { type ZipEntry, zipEntries } from './zip.js';
import type { MemberAt } from './wheel-member.js';
import { SdistError } from './listing.js';

export interface WheelMember extends MemberAt {
  path: string;
  /** Unix mode bits from the central directory (0 when not recorded). */
  mode: number;
  record?: RecordEntry;
}

export interface WheelIndex {
  members: Map<string, WheelMember>;
  /** The `*.dist-info/RECORD` member. */
  record: WheelMember;
}

/** The members of a central directory (directories left out), with the one RECORD among them. */
export function indexCentralDirectory(cd: Uint8Array, loc: CentralDirectoryLocation, maxFiles: number): WheelIndex {
  const members = indexMembers(cd, loc, maxFiles);
  const records = [...members.values()].filter((m) => /^[^/]+\.dist-info\/RECORD$/.test(m.path));
  if (records.length === 0) throw new WheelZipError('the wheel has no .dist-info/RECORD');
  if (records.length > 1) throw new WheelZipError('the wheel has more than one .dist-info/RECORD');
  return { members, record: records[0]! };
}

/** The file members of a central directory by path; a path leaving the directory or named twice is refused. */
export function indexMembers(cd: Uint8Array, loc: CentralDirectoryLocation, maxFiles: number): Map<string, WheelMember> {
  let entries: ZipEntry[];
  try {
    entries = zipEntries(cd, maxFiles);
  } catch (e) {
    if (e instanceof SdistError) throw new WheelZipError(e.message);
    throw e;
  }
  const names = parseCentralDirectory(cd, { maxCentralDirectoryBytes: cd.length, maxEntries: maxFiles });
  const members = new Map<string, WheelMember>();
  entries.forEach((entry, i) => {
    const path = names[i]!;
    const shown = JSON.stringify(path.slice(0, 200));
    if (path.endsWith('/')) return;
    if (!safePath(path)) throw new WheelZipError(`member ${shown} would be installed outside its directory`);
    if (members.has(path)) throw new WheelZipError(`member ${shown} is in the archive twice`);
    members.set(path, { entry, prefix: loc.prefixBytes, dataEnd: loc.offset, shown, path, mode: (entry.external >>> 16) & 0o7777 });
  });
  checkLayout([...members.values()]);
  return members;
}

/**
 * Members' data may not overlap nor reach into the central directory: an entry pointing at another
 * member's bytes (a lying directory, or an overlap bomb) is refused before any member is read.
 */
function checkLayout(members: WheelMember[]): void {
  const sorted = members.map((m) => ({ m, start: m.entry.local + m.prefix })).sort((a, b) => a.start - b.start);
  let end = 0;
  for (const { m, start } of sorted) {
    if (start < end) throw new WheelZipError(`member ${m.shown} overlaps another member's data (the central directory lies)`);
    // the local header's extra field is unknown here: the least the member takes
    end = start + 30 + m.entry.nameBytes.length + m.entry.compressed;
    if (end > m.dataEnd) throw new WheelZipError(`member ${m.shown} reaches into the central directory`);
  }
}

/** Attaches RECORD's rows to the members; throws when the two disagree. */
export function checkAgainstRecord(index: WheelIndex, rows: readonly RecordEntry[]): void {
  for (const row of rows) {
    const m = index.members.get(row.path);
    const shown = JSON.stringify(row.path.slice(0, 200));
    if (!m) throw new WheelZipError(`RECORD lists ${shown}, which the archive does not have`);
    if (row.digest === undefined && !isRecordFamily(row.path)) throw new WheelZipError(`RECORD gives no hash for ${shown}`);
    if (row.size !== undefined && row.size !== m.entry.size)
      throw new WheelZipError(`RECORD says ${shown} is ${row.size} bytes, the central directory ${m.entry.size}`);
    m.record = row;
  }
  for (const m of index.members.values()) {
    if (!m.record && !isRecordFamily(m.path)) throw new WheelZipError(`member ${m.shown} is not in RECORD`);
  }
}

/** A relative `/`-separated path without `..`, `.` or empty parts, drive letters or backslashes. */
function safePath(p: string): boolean {
  if (p === '' || p.startsWith('/') || p.includes('\\') || p.includes('\u0000') || /^[A-Za-z]:/.test(p)) return false;
  return p.split('/').every((s, i, all) => s !== '..' && s !== '.' && (s !== '' || i === all.length - 1));
}
