/**
 * Changed code the analysis could not read in full. Padding an archive must not push a payload past
 * the kept-text budget unseen: when the compared version was read in full and the new one leaves a
 * changed or added code file unread, that is over-cap work the archive caused, and the check fails.
 * A package that already shipped more than the budget holds (typescript's lib, big bundles) keeps a note.
 */
import type { ArchiveContents, ArchiveFile } from '../model/contents.js';
import { scannerOf } from './language.js';

/** The paths of the new version's changed or added code files whose text was not kept in full. */
export function unreadChangedCode(previous: ArchiveContents | null, next: ArchiveContents): string[] {
  if (previous === null || previous.files.some((f) => f.truncated === true)) return [];
  return cutChangedCode(previous, next).map((f) => f.path);
}

/** The new version's code files, added or with another sha256, whose text was not kept in full (whatever the compared version's). */
export function cutChangedCode(previous: ArchiveContents, next: ArchiveContents): ArchiveFile[] {
  const before = new Map(previous.files.map((f) => [f.path, f.sha256]));
  return next.files.filter((f) => f.truncated === true && scannerOf(f.path) !== null && before.get(f.path) !== f.sha256);
}
