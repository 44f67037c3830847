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

import { hexAt } from './hex.js';

const MAX_DECODED = 4096;
/** Characters after which a `/` starts a regular expression rather than a division (by char code). */
const REGEX_BEFORE = new Uint8Array(128);
for (const c of '(,=:[!&|?{};+-*%<>~^') REGEX_BEFORE[c.charCodeAt(0)] = 1;

const SLASH = 47;
const STAR = 42;
/** `last` before any token: a `/` at the start is a regular expression. */
const NOTHING = -1;
/** `last` after a string, template or regex literal, and after an identifier: a `/` is a division. */
const VALUE = 0;

/** Walks the text by char codes (no one-character strings per position): one pass, constant stack. */
export function scanJs(text: string, onToken: (t: JsToken) => void): void {
  let i = 0;
  let last = NOTHING;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    const after = c === SLASH ? text.charCodeAt(i + 1) : 0;
    if (after === SLASH) i = lineEnd(text, i);
    else if (after === STAR) i = blockEnd(text, i);
    else if (c === 34 || c === 39 || c === 96) {
      i = readString(text, i, onToken);
      last = VALUE;
    } else if (c === SLASH && (last === NOTHING || (last < 128 && REGEX_BEFORE[last] === 1))) {
      i = regexEnd(text, i);
      last = VALUE;
    } else if (isIdStart(c)) {
      const end = idEnd(text, i);
      onToken({ kind: 'id', value: text.slice(i, end), offset: i, length: end - i, escapes: 0 });
      i = end;
      last = VALUE;
    } else {
      if (c !== 32 && c !== 10 && c !== 9 && c !== 13) last = c;
      i++;
    }
  }
}

function isIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
}

function idEnd(text: string, i: number): number {
  let j = i + 1;
  for (; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (!isIdStart(c) && !(c >= 48 && c <= 57)) break;
  }
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
  const code = hexAt(text, from, digits);
  if (Number.isNaN(code)) return { value: '', next: from, counted: 1 };
  return { value: String.fromCharCode(code), next: from + digits, counted: 1 };
}
