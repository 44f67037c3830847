/** The logical lines of a requirements file, as pip's join_lines and ignore_comments make them. */
import { LockfileError } from '../../../errors.js';

/** A longer logical line (continuations included) is refused. */
export const MAX_LINE_LENGTH = 1024 * 1024;

interface LogicalLine {
  /** First physical line (1-based). */
  line: number;
  /** The line without its comment, trimmed. */
  text: string;
  /** The comment's text after `#`, when there is one. */
  comment: string | undefined;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 12 || c === 11 || c === 13 || c === 0xa0 || c === 0xfeff || (c >= 0x2000 && c <= 0x200a) || c === 0x3000;
}

/** pip's COMMENT_RE.match: the line starts with `#` after optional whitespace. */
function isCommentLine(l: string): boolean {
  let i = 0;
  while (i < l.length && isSpace(l.charCodeAt(i))) i++;
  return l.charCodeAt(i) === 35;
}

function stripBackslashes(l: string): string {
  let a = 0;
  let b = l.length;
  while (a < b && l.charCodeAt(a) === 92) a++;
  while (b > a && l.charCodeAt(b - 1) === 92) b--;
  return l.slice(a, b);
}

/** Splits a joined line into its content (trimmed) and comment (pip's `(^|\s+)#.*$`). */
function splitComment(line: number, joined: string): LogicalLine {
  let i = joined.indexOf('#');
  while (i > 0 && !isSpace(joined.charCodeAt(i - 1))) i = joined.indexOf('#', i + 1);
  if (i < 0) return { line, text: joined.trim(), comment: undefined };
  return { line, text: joined.slice(0, i).trim(), comment: joined.slice(i + 1) };
}

/** The logical lines of a requirements file, as pip's join_lines and ignore_comments make them (empty ones kept when they hold a comment). */
export function logicalLines(file: string, text: string, start = 0): LogicalLine[] {
  const out: LogicalLine[] = [];
  let pending: string[] | undefined;
  let pendingLength = 0;
  let primary = 0;
  let lineNo = 0;
  let pos = start;
  const n = text.length;
  while (pos <= n) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    lineNo++;
    if (end - pos > MAX_LINE_LENGTH)
      throw new LockfileError(`line too long (${end - pos} characters; the limit is ${MAX_LINE_LENGTH})`, { file, line: lineNo });
    let l = text.slice(pos, end);
    if (l.endsWith('\r')) l = l.slice(0, -1);
    pos = end + 1;
    const comment = isCommentLine(l);
    if (!l.endsWith('\\') || comment) {
      if (comment) l = ' ' + l;
      if (pending !== undefined) {
        pending.push(l);
        out.push(splitComment(primary, pending.join('')));
        pending = undefined;
      } else if (l.length > 0) out.push(splitComment(lineNo, l));
    } else {
      if (pending === undefined) {
        pending = [];
        pendingLength = 0;
        primary = lineNo;
      }
      const part = stripBackslashes(l);
      pendingLength += part.length;
      if (pendingLength > MAX_LINE_LENGTH) {
        throw new LockfileError(`line too long (continued lines over ${MAX_LINE_LENGTH} characters)`, { file, line: primary });
      }
      pending.push(part);
    }
    if (end === n) break;
  }
  if (pending !== undefined) out.push(splitComment(primary, pending.join('')));
  return out;
}
