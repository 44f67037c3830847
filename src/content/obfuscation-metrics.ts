/** Measures of packed or obfuscated text, each one linear pass: `_0x` names, escapes, long lines, encoded blobs. */
import { hexAt } from './hex.js';

export interface ObfuscationHit {
  kind: string;
  offset: number;
}

const OX_NAMES = 10;
const ESCAPES = 200;
export const LONG_LINE = 3000;
const BLOB = 1000;
/** Bits per character above which a run is encoded data (base64 ≈ 6, hex = 4, English words ≈ 4.2). */
const BLOB_ENTROPY = 4.5;

/** Every obfuscation kind the text shows, with the first offset of each. */
export function obfuscationHits(text: string): ObfuscationHit[] {
  const out: ObfuscationHit[] = [];
  const ox = oxNames(text);
  if (ox.count >= OX_NAMES) out.push({ kind: '_0x-identifiers', offset: ox.first });
  const esc = escapes(text);
  if (esc.count >= ESCAPES) out.push({ kind: 'escaped-strings', offset: esc.first });
  const line = longestLine(text);
  if (line.length > LONG_LINE) out.push({ kind: 'long-line', offset: line.offset });
  const blob = encodedBlob(text);
  if (blob >= 0) out.push({ kind: 'encoded-blob', offset: blob });
  return out;
}

function oxNames(text: string): { count: number; first: number } {
  const names = new Set<string>();
  let first = -1;
  for (let i = text.indexOf('_0x'); i >= 0 && names.size < OX_NAMES; i = text.indexOf('_0x', i + 3)) {
    let j = i + 3;
    while (j < text.length && j - i < 12 && /[0-9a-fA-F]/.test(text[j]!)) j++;
    if (j - i < 6) continue;
    names.add(text.slice(i, j));
    if (first < 0) first = i;
  }
  return { count: names.size, first };
}

/**
 * Escapes that spell plain letters and digits (`\\x66\\x65`): obfuscators hide words that way, while real
 * code escapes only what it must (non-ASCII, control characters, Unicode tables).
 */
function escapes(text: string): { count: number; first: number } {
  let count = 0;
  let first = -1;
  for (let i = text.indexOf('\\'); i >= 0 && count < ESCAPES; i = text.indexOf('\\', i + 2)) {
    const e = text[i + 1];
    const digits = e === 'x' ? 2 : e === 'u' ? 4 : 0;
    if (digits === 0 || !isAlphanumeric(hexAt(text, i + 2, digits))) continue;
    count++;
    if (first < 0) first = i;
  }
  return { count, first };
}

function isAlphanumeric(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** The longest line; an inline source map's comment line does not count (see {@link isSourceMapLine}). */
export function longestLine(text: string): { length: number; offset: number } {
  let best = { length: 0, offset: 0 };
  for (let start = 0; start <= text.length; ) {
    const end = text.indexOf('\n', start);
    const stop = end < 0 ? text.length : end;
    if (stop - start > best.length && !isSourceMapLine(text, start, stop)) best = { length: stop - start, offset: start };
    start = stop + 1;
  }
  return best;
}

const SOURCE_MAP = /\/\/[#@] sourceMappingURL=data:application\/json;(?:charset=[\w-]{1,20};)?base64,[A-Za-z0-9+/]*={0,2}\r?/y;

/**
 * `//# sourceMappingURL=data:application/json;base64,…` alone on its line: a compiler's inline source
 * map, a comment that runs nothing (code reading it back must decode and run it, which is reported).
 * Anything else on the line, even after a JavaScript line break (U+2028), and it is not one.
 */
export function isSourceMapLine(text: string, start: number, stop: number): boolean {
  if (!text.startsWith('sourceMappingURL=data:', start + 4)) return false;
  SOURCE_MAP.lastIndex = start;
  const m = SOURCE_MAP.exec(text);
  return m !== null && start + m[0].length === stop;
}

/**
 * The offset of the first run of ≥ 1000 base64-alphabet characters with high entropy, or -1. Skips
 * ahead by the run length: a run that long must cover the character 999 places on, so a character
 * outside the alphabet there rules out every run starting before it (most code is read 1 in 1000).
 */
function encodedBlob(text: string): number {
  const b64 = (i: number): boolean => isBase64Char(text.charCodeAt(i));
  // [from, good): characters already known to be in the alphabet, so none is looked at twice
  let from = 0;
  let good = 0;
  while (from + BLOB <= text.length) {
    const probe = from + BLOB - 1;
    if (!b64(probe)) {
      from = probe + 1;
      good = from;
      continue;
    }
    let start = probe;
    while (start > Math.max(from, good) && b64(start - 1)) start--;
    if (start > from && start > good) {
      // a gap just before `start`: no run reaches back to `from`; [start, probe] is in the alphabet
      from = start;
      good = probe + 1;
      continue;
    }
    let end = probe + 1;
    while (end < text.length && b64(end)) end++;
    if (entropy(text, from, end) >= BLOB_ENTROPY && !inSourceMap(text, from, end)) return from;
    from = end + 1;
    good = from;
  }
  return -1;
}

/**
 * The run text[from, to) is the data of an inline source map line. Only a run that ends its line can be,
 * so each line is looked at once at most (the scan stays linear on a hostile single-line file).
 */
function inSourceMap(text: string, from: number, to: number): boolean {
  const end = text[to] === '\r' ? to + 1 : to;
  if (end < text.length && text[end] !== '\n') return false;
  return isSourceMapLine(text, text.lastIndexOf('\n', from) + 1, end);
}

/** The base64 and base64url alphabets with `=` padding, by char code. */
const BASE64 = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-') BASE64[c.charCodeAt(0)] = 1;

function isBase64Char(c: number): boolean {
  return c < 128 && BASE64[c] === 1;
}

/** Shannon entropy in bits per character of text[from, to) (one counting pass, a fixed table). */
function entropy(text: string, from: number, to: number): number {
  const counts = new Uint32Array(128);
  for (let i = from; i < to; i++) counts[text.charCodeAt(i) & 127]!++;
  let bits = 0;
  for (const n of counts) if (n > 0) bits -= (n / (to - from)) * Math.log2(n / (to - from));
  return bits;
}
