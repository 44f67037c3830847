/**
 * A linear JavaScript scanner: identifiers and string literals (escapes decoded), comments skipped.
 * Hand-written so hostile files (50 MB lines, deep nesting, regex bait) cost one pass and no recursion.
 */

/**
 * One token, as arguments (no object per token: a big bundle has millions): `value` is the identifier
 * or the decoded string (cut to MAX_DECODED characters), `length` its source length (a long literal's
 * true size), `escapes` the `\x`/`\u` escapes of a string literal.
 */
export type OnJsToken = (kind: 'id' | 'str', value: string, offset: number, length: number, escapes: number) => void;

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
export function scanJs(text: string, onToken: OnJsToken): void {
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
      onToken('id', text.slice(i, end), i, end - i, 0);
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
function readString(text: string, i: number, onToken: OnJsToken): number {
  const quote = text.charCodeAt(i);
  const plain = plainEnd(text, i + 1, quote);
  if (plain >= 0) {
    // no escape: the value is the source text itself, cut like a decoded one
    onToken('str', text.slice(i + 1, Math.min(plain, i + 1 + MAX_DECODED)), i, plain + 1 - i, 0);
    return plain + 1;
  }
  let out = '';
  let escapes = 0;
  let j = i + 1;
  for (; j < text.length && text.charCodeAt(j) !== quote; j++) {
    const c = text[j]!;
    if (c === '\n' && quote !== BACKTICK) break;
    if (c !== '\\') {
      if (out.length < MAX_DECODED) out += c;
      continue;
    }
    const { value, next, counted } = readEscape(text, j);
    escapes += counted;
    if (out.length < MAX_DECODED) out += value;
    j = next - 1;
  }
  onToken('str', out, i, j + 1 - i, escapes);
  return j + 1;
}

const BACKTICK = 96;
const BACKSLASH = 92;
const NEWLINE = 10;

/**
 * Where a literal without escapes ends (the offset of its closing quote, or of the newline or text end
 * that cuts a quoted one), or -1 when a backslash comes first and the slow path decodes it.
 */
function plainEnd(text: string, from: number, quote: number): number {
  for (let j = from; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === quote) return j;
    if (c === BACKSLASH) return -1;
    if (c === NEWLINE && quote !== BACKTICK) return j;
  }
  return text.length;
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
