/**
 * A linear JavaScript scanner: identifiers and string literals (escapes decoded), comments skipped.
 * Hand-written so hostile files (50 MB lines, deep nesting, regex bait) cost one pass and no recursion.
 */

export interface JsToken {
  kind: 'id' | 'str';
  /** Identifier text, or the decoded string (cut to MAX_DECODED characters). */
  value: string;
  offset: number;
  /** Source length of the token (a long literal's true size). */
  length: number;
  /** `\x`/`\u` escapes in a string literal. */
  escapes: number;
}

const MAX_DECODED = 4096;
/** Characters after which a `/` starts a regular expression rather than a division. */
const REGEX_BEFORE = new Set('(,=:[!&|?{};+-*%<>~^'.split(''));

export function scanJs(text: string, onToken: (t: JsToken) => void): void {
  let i = 0;
  let last = '';
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '/') i = lineEnd(text, i);
    else if (c === '/' && text[i + 1] === '*') i = blockEnd(text, i);
    else if (c === '"' || c === "'" || c === '`') {
      i = readString(text, i, onToken);
      last = 's';
    } else if (c === '/' && (last === '' || REGEX_BEFORE.has(last))) {
      i = regexEnd(text, i);
      last = 's';
    } else if (isIdStart(c)) {
      const end = idEnd(text, i);
      onToken({ kind: 'id', value: text.slice(i, end), offset: i, length: end - i, escapes: 0 });
      i = end;
      last = 'a';
    } else {
      if (c !== ' ' && c !== '\n' && c !== '\t' && c !== '\r') last = c;
      i++;
    }
  }
}

function isIdStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$';
}

function idEnd(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length && (isIdStart(text[j]!) || (text[j]! >= '0' && text[j]! <= '9'))) j++;
  return j;
}

function lineEnd(text: string, i: number): number {
  const j = text.indexOf('\n', i);
  return j < 0 ? text.length : j;
}

function blockEnd(text: string, i: number): number {
  const j = text.indexOf('*/', i + 2);
  return j < 0 ? text.length : j + 2;
}

/** A regex literal ends at an unescaped `/` outside a class, or at the line's end (then it was a division). */
function regexEnd(text: string, i: number): number {
  let inClass = false;
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j]!;
    if (c === '\\') j++;
    else if (c === '\n') return i + 1;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) return j + 1;
  }
  return i + 1;
}

/** Reads a quoted or template literal (templates whole, `${}` included) and reports it decoded. */
function readString(text: string, i: number, onToken: (t: JsToken) => void): number {
  const quote = text[i]!;
  let out = '';
  let escapes = 0;
  let j = i + 1;
  for (; j < text.length && text[j] !== quote; j++) {
    const c = text[j]!;
    if (c === '\n' && quote !== '`') break;
    if (c !== '\\') {
      if (out.length < MAX_DECODED) out += c;
      continue;
    }
    const { value, next, counted } = readEscape(text, j);
    escapes += counted;
    if (out.length < MAX_DECODED) out += value;
    j = next - 1;
  }
  onToken({ kind: 'str', value: out, offset: i, length: j + 1 - i, escapes });
  return j + 1;
}

function readEscape(text: string, j: number): { value: string; next: number; counted: number } {
  const e = text[j + 1] ?? '';
  if (e === 'x') return hexEscape(text, j + 2, 2);
  if (e === 'u' && text[j + 2] !== '{') return hexEscape(text, j + 2, 4);
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0' };
  return { value: simple[e] ?? e, next: j + 2, counted: 0 };
}

function hexEscape(text: string, from: number, digits: number): { value: string; next: number; counted: number } {
  const code = Number.parseInt(text.slice(from, from + digits), 16);
  if (Number.isNaN(code)) return { value: '', next: from, counted: 1 };
  return { value: String.fromCharCode(code), next: from + digits, counted: 1 };
}
