/**
 * A second look at changed code the first read left past its kept-text budget. Big packages (and padded
 * ones) ship more text than an archive keeps, so the first read may stop before the file that changed:
 * those files are read again, alone, on both sides, and their texts put in place. A payload behind
 * padding is then read even when the compared version was padded too (the unread rule in
 * src/content/unread.ts covers only a compared version read in full).
 */
import type { ArchiveContents, ArchiveFile, ContentsResult } from '../../model/index.js';
import { scannerOf } from '../../content/language.js';

/** Text one file keeps (src/archives/npm-tar.ts): a bigger file stays cut however it is read. */
const PER_FILE_TEXT = 2 * 1024 * 1024;

export type ReadText = (version: string, textOf: readonly string[]) => Promise<ContentsResult>;

/** Reads again the changed code files `contents` holds without their text, and puts the texts in. */
export async function secondLook(contents: Map<string, ArchiveContents>, to: string, read: ReadText): Promise<void> {
  const next = contents.get(to);
  if (!next) return;
  const previous = [...contents].find(([v]) => v !== to)?.[1] ?? null;
  const paths = changedUnread(previous, next);
  if (paths.length === 0) return;
  const cut = new Set(paths);
  const sides = [next, ...(previous?.files.some((f) => cut.has(f.path) && f.truncated === true) ? [previous] : [])];
  await Promise.all(
    sides.map(async (side) => {
      const r = await read(side.version, paths);
      // a second read that fails leaves the first as it was: its cut files stay reported
      if (r.ok) contents.set(side.version, withTexts(side, r.contents, cut));
    }),
  );
}

/** Code files of the new version, added or with another sha256, whose text was cut by the archive's budget (not by their own size). */
export function changedUnread(previous: ArchiveContents | null, next: ArchiveContents): string[] {
  const before = new Map((previous?.files ?? []).map((f) => [f.path, f.sha256]));
  return next.files
    .filter((f) => f.truncated === true && f.kind === 'text' && f.size <= PER_FILE_TEXT && scannerOf(f.path) !== null && before.get(f.path) !== f.sha256)
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
