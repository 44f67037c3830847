/**
 * Evidence excerpts: a unified hunk of at most 15 lines around the first hit, long lines cut, control and
 * bidi characters made visible. The text stays raw otherwise: reports escape it for their medium.
 */
import { structuredPatch } from 'diff';

export const MAX_EXCERPT_LINES = 15;
const LINE_CHARS = 200;
const BEFORE_HIT = 3;

/** Characters a reader cannot see or that reorder text: shown as `\u{…}`. */
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

export function visible(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

/** A line cut to 200 characters (from near `column` when the hit is deep in it), with its full length. */
export function cutLine(line: string, column = 0): string {
  if (line.length <= LINE_CHARS) return visible(line);
  const start = column > LINE_CHARS / 2 ? column - 40 : 0;
  return `${start > 0 ? '…' : ''}${visible(line.slice(start, start + LINE_CHARS))}… (${line.length} chars)`;
}

/**
 * The hunk around `hitLine` (1-based) of `after`: lines in `added` are shown as additions, the others as
 * context. Built with the diff package over the window only, so a 50 MB file costs a window's work.
 */
export function hunkExcerpt(after: string, added: ReadonlySet<number>, hitLine: number, hitColumn = 0): string {
  const lines = after.split('\n');
  // the empty string after a final newline is not a line of the file (it would show as stray context)
  const count = after.endsWith('\n') ? lines.length - 1 : lines.length;
  const from = Math.max(1, Math.min(hitLine, count) - BEFORE_HIT);
  const to = Math.min(count, from + MAX_EXCERPT_LINES - 1);
  const shown: string[] = [];
  const kept: string[] = [];
  for (let n = from; n <= to; n++) {
    const line = cutLine(lines[n - 1]!, n === hitLine ? hitColumn : 0);
    shown.push(line);
    if (!added.has(n)) kept.push(line);
  }
  const patch = structuredPatch('a', 'b', textOf(kept), textOf(shown), '', '', { context: MAX_EXCERPT_LINES });
  const hunk = patch.hunks[0];
  if (hunk === undefined) return shown.map((l) => ` ${l}`).join('\n');
  const removedBefore = [...added].filter((n) => n < from).length;
  // an empty old side starts before its first line, as unified diffs write it (`-0,0` for a new file)
  const oldStart = from - removedBefore - (hunk.oldLines === 0 ? 1 : 0);
  const header = `@@ -${oldStart},${hunk.oldLines} +${from},${hunk.newLines} @@`;
  return [header, ...hunk.lines.slice(0, MAX_EXCERPT_LINES)].join('\n');
}

function textOf(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** The head of a binary: its magic in hex and its length. */
export function binaryExcerpt(headBase64: string | undefined, size: number): string {
  const hex = Buffer.from(headBase64 ?? '', 'base64')
    .subarray(0, 16)
    .toString('hex');
  return `binary, ${size} bytes, starts ${hex || '(unknown)'}`;
}
