/**
 * The lines of a yarn berry lockfile (Syml, the YAML subset yarn writes), one `key: value` line at a
 * time, with its indentation and line number. Anchors, aliases, tags, lists and flow collections are
 * refused: yarn never writes them.
 */
import { LockfileError } from '../../../errors.js';

export function failAt(file: string, message: string, line: number, column?: number): never {
  throw new LockfileError(message, column === undefined ? { file, line } : { file, line, column });
}

export function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function lineStartOf(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

/** Is `c` a character that starts YAML syntax Syml lacks (`&`, `*`, `!`, `{`, `[`, `-`, `?`, `|`, `>`) at a key? */
function isKeySyntax(c: number): boolean {
  return c === 38 || c === 42 || c === 33 || c === 123 || c === 91 || c === 45 || c === 63 || c === 124 || c === 62;
}

/** A cursor over the key lines: {@link next} moves to the next one (blank and comment lines skipped). */
export class SymlLines {
  /** 1-based number of the current line. */
  line = 0;
  indent = 0;
  key = '';
  /** The scalar after the colon; undefined when the key opens a mapping. */
  value: string | undefined;
  private pos: number;
  private lastIndent = 0;
  /** The last key line had no value (a mapping follows). */
  private lastOpens = false;
  /** Offset after the closing quote of the last quoted string. */
  private quotedEnd = 0;

  constructor(
    readonly file: string,
    readonly text: string,
    start: number,
  ) {
    this.pos = start;
  }

  fail(message: string, line = this.line, column?: number): never {
    return failAt(this.file, message, line, column);
  }

  /** Reads the next key line into {@link indent}, {@link key} and {@link value}; false at the end. */
  next(): boolean {
    const text = this.text;
    const n = text.length;
    while (this.pos < n) {
      this.line++;
      let nl = text.indexOf('\n', this.pos);
      if (nl < 0) nl = n;
      let end = nl;
      if (end > this.pos && text.charCodeAt(end - 1) === 13) end--;
      let i = this.pos;
      while (i < end && text.charCodeAt(i) === 32) i++;
      const lineStart = this.pos;
      this.pos = nl + 1;
      if (i === end) continue; // blank
      const c = text.charCodeAt(i);
      if (c === 35) continue; // comment
      if (c === 9) this.fail('tab in indentation', this.line, i - lineStart + 1);
      this.readLine(lineStart, i, end);
      return true;
    }
    return false;
  }

  /** Reads the key line whose content starts at `i` (after the indentation) and ends at `end`. */
  private readLine(lineStart: number, i: number, end: number): void {
    const indent = i - lineStart;
    const lastIndent = this.lastIndent;
    if (indent > lastIndent + (this.lastOpens ? 2 : 0) || (indent > lastIndent && indent !== lastIndent + 2)) {
      this.fail('unexpected indentation', this.line, indent + 1);
    }
    const k = this.readKey(lineStart, i, end, indent);
    this.value = this.readValue(lineStart, k + 1, end);
    this.indent = indent;
    this.lastIndent = indent;
    this.lastOpens = this.value === undefined;
  }

  /** Reads the key into {@link key}; returns the offset of its colon. */
  private readKey(lineStart: number, i: number, end: number, indent: number): number {
    const text = this.text;
    if (text.charCodeAt(i) === 34) {
      this.key = this.quoted(i, end);
      const k = this.quotedEnd;
      if (k >= end || text.charCodeAt(k) !== 58) this.fail('expected ":" after the key', this.line, k - lineStart + 1);
      return k;
    }
    if (isKeySyntax(text.charCodeAt(i))) {
      this.fail('unsupported YAML syntax (yarn lockfiles have no anchors, aliases, tags, lists or flow collections)', this.line, indent + 1);
    }
    let k = i;
    for (;;) {
      k = text.indexOf(':', k);
      if (k < 0 || k >= end) this.fail('expected "key: value"', this.line, indent + 1);
      const after = k + 1 < end ? text.charCodeAt(k + 1) : 32;
      if (after === 32) break;
      k++;
    }
    let key = text.slice(i, k);
    let ke = key.length;
    while (ke > 0 && key.charCodeAt(ke - 1) === 32) ke--;
    if (ke !== key.length) key = key.slice(0, ke);
    this.key = key;
    return k;
  }

  /** The scalar from `v` (after the colon) to `end`, or undefined when there is none. */
  private readValue(lineStart: number, v: number, end: number): string | undefined {
    const text = this.text;
    while (v < end && text.charCodeAt(v) === 32) v++;
    if (v >= end) return undefined;
    const c = text.charCodeAt(v);
    if (c === 34) {
      const value = this.quoted(v, end);
      let after = this.quotedEnd;
      while (after < end && text.charCodeAt(after) === 32) after++;
      if (after < end && text.charCodeAt(after) !== 35) this.fail('unexpected text after a string', this.line, after - lineStart + 1);
      return value;
    }
    if (c === 38 || c === 42 || c === 33 || c === 123 || c === 91 || c === 124 || (c === 62 && v + 1 >= end)) {
      // `&anchor`, `*alias`, `!tag`, `{`/`[` flow, `|`/`>` block scalars: not Syml
      if (!(c === 42 && (v + 1 >= end || text.charCodeAt(v + 1) === 32))) {
        this.fail('unsupported YAML syntax (yarn lockfiles have no anchors, aliases, tags or flow collections)', this.line, v - lineStart + 1);
      }
    }
    let ve = end;
    while (ve > v && text.charCodeAt(ve - 1) === 32) ve--;
    return text.slice(v, ve);
  }

  /** Reads a double-quoted scalar whose opening quote is at `q`; sets {@link quotedEnd}. */
  private quoted(q: number, end: number): string {
    const text = this.text;
    let i = q + 1;
    let escaped = false;
    for (;;) {
      if (i >= end) this.fail('unterminated string', this.line, q - lineStartOf(text, q) + 1);
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) {
        escaped = true;
        i += 2;
        continue;
      }
      i++;
    }
    this.quotedEnd = i + 1;
    if (!escaped) return text.slice(q + 1, i);
    try {
      return JSON.parse(text.slice(q, i + 1)) as string;
    } catch {
      return this.fail('invalid escape in string', this.line, q - lineStartOf(text, q) + 1);
    }
  }
}
