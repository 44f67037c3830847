/**
 * A second look at changed code the first read left past its kept-text budget. Big packages (and padded
 * ones) ship more text than an archive keeps, so the first read may stop before the file that changed:
 * those files are read again, alone, on both sides, and their texts put in place. A payload behind
 * padding is then read even when the compared version was padded too (the unread rule in
 * src/content/unread.ts covers only a compared version read in full). The second read spends only
 * the budget the first did not spend on changed code, so a package whose changed code alone fills it
 * (typescript) reads no more and keeps its "analysed in part" note.
 */
import type { ArchiveContents, ArchiveFile, ContentsResult } from '../../model/index.js';
import { DEFAULT_NPM_TAR_LIMITS } from '../../archives/npm-tar.js';
import { cutChangedCode } from '../../content/index.js';
import { scannerOf } from '../../content/language.js';

const { maxTextBytes: PER_FILE_TEXT, maxTotalTextBytes: ARCHIVE_TEXT } = DEFAULT_NPM_TAR_LIMITS;

/** Reads `version` again keeping only the text of `textOf`, at most `maxTotalTextBytes` of it. */
export type ReadText = (version: string, textOf: readonly string[], maxTotalTextBytes: number) => Promise<ContentsResult>;

/** Reads again the changed code files `contents` holds without their text, and puts the texts in. */
export async function secondLook(contents: Map<string, ArchiveContents>, to: string, read: ReadText): Promise<void> {
  const next = contents.get(to);
  // a new package with nothing to compare with has no changed files to prefer: its first read stands
  const previous = comparedContents(contents, to);
  if (!next || !previous) return;
  const paths = changedUnread(previous, next);
  if (paths.length === 0) return;
  const cut = new Set(paths);
  const changed = changedPaths(previous, next);
  const sides = [next, ...(previous.files.some((f) => cut.has(f.path) && f.truncated === true) ? [previous] : [])];
  await Promise.all(
    sides.map(async (side) => {
      // the archive's text budget, less what its changed code already holds: what went to unchanged
      // files and data (padding) is what is spent again
      const left = ARCHIVE_TEXT - side.files.reduce((n, f) => n + (changed.has(f.path) && scannerOf(f.path) !== null ? (f.text?.length ?? 0) : 0), 0);
      if (left <= 0) return;
      const r = await read(side.version, paths, left);
      // a second read that fails leaves the first as it was: its cut files stay reported
      if (r.ok) contents.set(side.version, withTexts(side, r.contents, cut));
    }),
  );
}

/** The version a change's new one is compared with, among the contents read for it. */
export function comparedContents(contents: ReadonlyMap<string, ArchiveContents>, to: string): ArchiveContents | undefined {
  for (const [version, archive] of contents) if (version !== to) return archive;
  return undefined;
}

/** Paths whose file differs between the versions (added, removed or another sha256). */
function changedPaths(previous: ArchiveContents, next: ArchiveContents): Set<string> {
  const before = new Map(previous.files.map((f) => [f.path, f.sha256]));
  const out = new Set<string>();
  for (const f of next.files) if (before.get(f.path) !== f.sha256) out.add(f.path);
  return out;
}

/** Changed code files whose text the archive's budget cut (not their own size: a bigger file stays cut however it is read). */
export function changedUnread(previous: ArchiveContents, next: ArchiveContents): string[] {
  return cutChangedCode(previous, next)
    .filter((f) => f.kind === 'text' && f.size <= PER_FILE_TEXT)
    .map((f) => f.path);
}

/** `first` with the files `second` read in full (the same bytes: same path and sha256), no longer listed as skipped. */
function withTexts(first: ArchiveContents, second: ArchiveContents, wanted: ReadonlySet<string>): ArchiveContents {
  const read = new Map<string, ArchiveFile>();
  for (const f of second.files) if (wanted.has(f.path) && f.text !== undefined && f.truncated !== true) read.set(f.path, f);
  if (read.size === 0) return first;
  const replaced = new Set<string>();
  const files = first.files.map((f) => {
    const full = read.get(f.path);
    if (full?.sha256 !== f.sha256) return f;
    replaced.add(f.path);
    return full;
  });
  const skipped = first.skipped.filter((s) => s.path === undefined || !replaced.has(s.path));
  return { ...first, files, skipped };
}
