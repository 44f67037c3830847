/**
 * A new version's unchanged files hold the same text as the compared version's (same path and sha256).
 * The review keeps that text once: the new side drops it after reading, and the analysis takes it back
 * from the compared side. A file dropped this way is `text` without text and not cut, a state no read
 * leaves; `package.json` always keeps its own (signals read it after the analysis).
 */
import type { ArchiveContents, ArchiveFile } from '../model/contents.js';

const ALWAYS_KEPT = 'package.json';

/** `next` without the texts `previous` holds too. */
export function withoutRepeatedTexts(previous: ArchiveContents | null, next: ArchiveContents): ArchiveContents {
  const same = sameTexts(previous);
  let dropped = false;
  const files = next.files.map((f) => {
    if (f.path === ALWAYS_KEPT || f.text === undefined || f.truncated === true || same.get(f.path)?.sha256 !== f.sha256) return f;
    dropped = true;
    const { text: _text, ...rest } = f;
    return rest;
  });
  return dropped ? { ...next, files } : next;
}

/** `next` with the texts dropped by {@link withoutRepeatedTexts} taken back from `previous` (the same strings, not copies). */
export function withRepeatedTexts(previous: ArchiveContents | null, next: ArchiveContents): ArchiveContents {
  const same = sameTexts(previous);
  let restored = false;
  const files = next.files.map((f) => {
    const old = same.get(f.path);
    if (f.kind !== 'text' || f.text !== undefined || f.truncated === true || old?.sha256 !== f.sha256) return f;
    restored = true;
    return { ...f, text: old.text! };
  });
  return restored ? { ...next, files } : next;
}

/** The compared version's files read in full, by path. */
function sameTexts(previous: ArchiveContents | null): Map<string, ArchiveFile> {
  return new Map((previous?.files ?? []).filter((f) => f.text !== undefined && f.truncated !== true).map((f) => [f.path, f]));
}
