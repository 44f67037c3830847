/**
 * A small JSON scanner (strict, or JSONC on request) that tracks line numbers. Lockfile parsers drive
 * it directly: they read the keys they need and {@link JsonScanner.skipValue} validates the rest
 * without materialising it. Speed and JSONC notes: docs/FORMATS.md. Every error is a
 * {@link LockfileError} naming file, line and column; nesting deeper than `maxDepth` is an error
 * (never a stack overflow).
 */
import { LockfileError } from '../../errors.js';

// Character codes.
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const STAR = 42;
const PLUS = 43;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const SLASH = 47;
const ZERO = 48;
const NINE = 57;
const COLON = 58;
const UPPER_E = 69;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const LOWER_E = 101;
const LOWER_F = 102;
const LOWER_N = 110;
const LOWER_T = 116;
const LBRACE = 123;
const RBRACE = 125;

/** Returned by {@link JsonScanner.ws} at the end of the input. */
export const EOF = -1;

/** Stand-in byte for a UTF-16 unit outside ASCII (only ever valid inside a string). */
const NON_ASCII = 0x80;
/** Zero bytes after the text: loops stop on them without a bounds check. */
const PADDING = 8;

const encoder = new TextEncoder();

/**
 * Fills `b` with the scanner's view of `src` from `start`: one byte per UTF-16 unit (ASCII as is,
 * anything else {@link NON_ASCII}), then {@link PADDING} zero bytes. `b` has room for them.
 */
function fillBytes(src: string, start: number, b: Uint8Array): void {
  const n = src.length;
  // ASCII text (nearly every lockfile): UTF-8 is the same bytes at the same offsets.
  const r = encoder.encodeInto(start === 0 ? src : src.slice(start), start === 0 ? b : b.subarray(start));
  if (r.read !== n - start || r.written !== n - start) {
    for (let i = start; i < n; i++) {
      const c = src.charCodeAt(i);
      b[i] = c < 0x80 ? c : NON_ASCII;
    }
  }
  b.fill(0, n, n + PADDING);
}

/** The scanner's view of `src` from `start` (see {@link fillBytes}), in a new buffer. */
export function textBytes(src: string, start = 0): Uint8Array {
  const b = new Uint8Array(src.length + PADDING);
  fillBytes(src, start, b);
  return b;
}

/**
 * The hash {@link JsonScanner.scanName} computes of a string's content (its UTF-16 units), for
 * tables keyed by names that are never made into strings.
 */
export function hashString(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * The byte buffer of the last released scanner ({@link JsonScanner.reusing}): a fresh large
 * buffer costs more than scanning it (the memory is new to the process), a reused one nothing.
 */
let spare: Uint8Array | undefined;
/** Larger buffers are not kept. */
const SPARE_MAX = 8 * 1024 * 1024;

export class JsonScanner {
  readonly src: string;
  readonly file: string;
  readonly maxDepth: number;
  /** JSONC: comments are whitespace, trailing commas are allowed (see the file comment). */
  readonly jsonc: boolean;
  /** Offset of the next character to read. */
  pos: number;
  /** 1-based line of `pos`. */
  line = 1;
  /** Offset of the first character of the current line. */
  lineStart: number;
  /** Current nesting depth (objects and arrays entered and not yet left). */
  depth = 0;
  /** {@link textBytes} of `src` (shared by scanners of the same text). */
  readonly bytes: Uint8Array;
  /** `bytes`, read four at a time. */
  private readonly view: DataView;
  private readonly len: number;

  /** `bytes`, when given, must be `textBytes(src, s)` for some `s <= start`. */
  constructor(src: string, file: string, maxDepth: number, start = 0, bytes?: Uint8Array, jsonc = false) {
    this.src = src;
    this.file = file;
    this.maxDepth = maxDepth;
    this.jsonc = jsonc;
    this.len = src.length;
    this.pos = start;
    this.lineStart = start;
    this.bytes = bytes ?? textBytes(src, start);
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }

  /**
   * Offset of the first byte from `i` that ends or interrupts a run of plain string characters:
   * a quote, a backslash or a byte below 0x20 (the padding stops it). Four bytes at a time.
   */
  private stringStop(i: number): number {
    const view = this.view;
    for (;;) {
      const w = view.getUint32(i, true);
      const q = w ^ 0x22222222;
      const e = w ^ 0x5c5c5c5c;
      // a zero byte in q or e (a quote or a backslash), or a byte below 0x20 in w
      if ((((q - 0x01010101) & ~q) | ((e - 0x01010101) & ~e) | ((w - 0x20202020) & ~w)) & 0x80808080) break;
      i += 4;
    }
    const b = this.bytes;
    for (;;) {
      const c = b[i]!;
      if (c === QUOTE || c === BACKSLASH || c < SPACE) return i;
      i++;
    }
  }

  /**
   * A scanner of `src` whose byte buffer is taken from the last {@link release}d one (when large
   * enough). The caller must call `release()` once it (and every scanner sharing its bytes) is done.
   */
  static reusing(src: string, file: string, maxDepth: number, start = 0, jsonc = false): JsonScanner {
    const need = src.length + PADDING;
    let b = spare;
    spare = undefined;
    if (b === undefined || b.length < need) b = new Uint8Array(need <= SPARE_MAX ? Math.max(need, 64 * 1024) : need);
    fillBytes(src, start, b);
    return new JsonScanner(src, file, maxDepth, start, b, jsonc);
  }

  /** Gives the byte buffer back for the next {@link reusing} scanner; this scanner must not be used after. */
  release(): void {
    if (this.bytes.length <= SPARE_MAX) spare = this.bytes;
  }

  /** Throws a LockfileError at `pos` (default: the current position). `pos` must be on the current line. */
  fail(message: string, pos = this.pos): never {
    throw new LockfileError(message, { file: this.file, line: this.line, column: pos - this.lineStart + 1 });
  }

  /** Throws a LockfileError at a remembered line/column. */
  failAt(message: string, line: number, column: number): never {
    throw new LockfileError(message, { file: this.file, line, column });
  }

  /** Column (1-based) of `pos` on the current line. */
  column(pos = this.pos): number {
    return pos - this.lineStart + 1;
  }

  /**
   * Skips whitespace (and comments in JSONC), counting lines; returns the next character code
   * (not consumed) or EOF.
   */
  ws(): number {
    const b = this.bytes;
    let pos = this.pos;
    for (;;) {
      const c = b[pos]!;
      if (c === SPACE) {
        pos++;
        // indentation: four spaces at a time
        while (this.view.getUint32(pos, true) === 0x20202020) pos += 4;
      } else if (c === TAB || c === CR) {
        pos++;
      } else if (c === LF) {
        pos++;
        this.line++;
        this.lineStart = pos;
      } else {
        if (c === SLASH && this.jsonc) {
          const after = this.comment(pos);
          if (after !== pos) {
            pos = after;
            continue;
          }
        }
        this.pos = pos;
        return pos < this.len ? c : EOF; // the padding past the end
      }
    }
  }

  /**
   * JSONC: the offset after the comment starting with the `/` at `pos` (lines inside a block
   * comment counted), or `pos` when no comment starts there. Kept out of {@link ws} so the strict
   * path's loop stays small.
   */
  private comment(pos: number): number {
    const b = this.bytes;
    const len = this.len;
    const d = b[pos + 1];
    if (d === SLASH) {
      pos += 2;
      while (pos < len && b[pos] !== LF) pos++;
      return pos;
    }
    if (d !== STAR) return pos;
    const openLine = this.line;
    const openColumn = this.column(pos);
    for (pos += 2; ; ) {
      if (pos >= len) this.failAt('unterminated comment', openLine, openColumn);
      const e = b[pos++];
      if (e === STAR && b[pos] === SLASH) return pos + 1;
      if (e === LF) {
        this.line++;
        this.lineStart = pos;
      }
    }
  }

  /** Describes the character at `pos` for messages. */
  private found(c: number): string {
    if (c === EOF) return 'end of input';
    return `'${this.src.charAt(this.pos)}'`;
  }

  unexpected(c: number, expected: string): never {
    if (c === EOF) this.fail(`unexpected end of input (expected ${expected})`);
    this.fail(`unexpected ${this.found(c)} (expected ${expected})`);
  }

  /** Enters an object or array at `pos` (the bracket), checking the depth limit. */
  private enter(): void {
    if (++this.depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth} levels`);
    this.pos++;
  }

  /**
   * Starts reading an object whose `{` is at `pos` (the caller checked it).
   * Returns the first character after `{` and whitespace: `"` for a key, `}` for an empty object.
   */
  openObject(): number {
    this.enter();
    const c = this.ws();
    if (c === RBRACE) {
      this.pos++;
      this.depth--;
      return RBRACE;
    }
    if (c !== QUOTE) this.unexpected(c, "a string key or '}'");
    return c;
  }

  /** After a key: skips `:` and whitespace, returns the value's first character. */
  colon(): number {
    let c = this.ws();
    if (c !== COLON) this.unexpected(c, "':'");
    this.pos++;
    c = this.ws();
    if (c === EOF) this.unexpected(c, 'a value');
    return c;
  }

  /**
   * After a member's value: consumes `,` (returns true, positioned at the next key's quote) or `}`
   * (returns false, object closed).
   */
  nextMember(): boolean {
    let c = this.ws();
    if (c === COMMA) {
      this.pos++;
      c = this.ws();
      if (c !== QUOTE) {
        if (!this.jsonc) this.unexpected(c, 'a string key');
        if (c !== RBRACE) this.unexpected(c, "a string key or '}'");
        this.pos++; // JSONC: a trailing comma
        this.depth--;
        return false;
      }
      return true;
    }
    if (c === RBRACE) {
      this.pos++;
      this.depth--;
      return false;
    }
    return this.unexpected(c, "',' or '}'");
  }

  /** Enters the array whose `[` is at `pos`; returns the first element's first character, or `]` (empty, closed). */
  openArray(): number {
    this.enter();
    const c = this.ws();
    if (c === RBRACKET) {
      this.pos++;
      this.depth--;
      return RBRACKET;
    }
    if (c === EOF) this.unexpected(c, 'a value');
    return c;
  }

  /**
   * After an element: consumes `,` (returns the next element's first character) or `]` (returns
   * `]`, array closed; in JSONC also after a trailing comma).
   */
  nextElement(): number {
    let c = this.ws();
    if (c === COMMA) {
      this.pos++;
      c = this.ws();
      if (c === RBRACKET && this.jsonc) {
        this.pos++;
        this.depth--;
        return RBRACKET;
      }
      if (c === EOF || c === RBRACKET) this.unexpected(c, 'a value');
      return c;
    }
    if (c === RBRACKET) {
      this.pos++;
      this.depth--;
      return RBRACKET;
    }
    return this.unexpected(c, "',' or ']'");
  }

  /** Reads a string whose opening quote is at `pos`. */
  readString(): string {
    const start = this.pos + 1;
    const i = this.stringStop(start);
    const c = this.bytes[i]!;
    if (c === QUOTE) {
      this.pos = i + 1;
      return this.src.slice(start, i);
    }
    if (c === BACKSLASH) return this.readEscapedString(start, i);
    return this.badStringChar(i, c);
  }

  /** The decoded value of the last string {@link scanString} found escapes in. */
  decoded = '';

  /**
   * Reads a string whose opening quote is at `pos` without materialising it when it has no escape:
   * returns the offset of its closing quote (the content is `src[start + 1, end)`). A string with
   * escapes is decoded into {@link decoded} and -1 is returned.
   */
  scanString(): number {
    const start = this.pos + 1;
    const i = this.stringStop(start);
    const c = this.bytes[i]!;
    if (c === QUOTE) {
      this.pos = i + 1;
      return i;
    }
    if (c === BACKSLASH) {
      this.decoded = this.readEscapedString(start, i);
      return -1;
    }
    return this.badStringChar(i, c);
  }

  /** The {@link hashString} of the last string {@link scanName} read. */
  hash = 0;

  /**
   * {@link scanString} that also sets {@link hash}. A plain string (ASCII, no escape) is left in
   * the text (returns its closing quote's offset); any other is decoded into {@link decoded} (-1).
   */
  scanName(): number {
    const b = this.bytes;
    const start = this.pos + 1;
    let i = start;
    let h = 0;
    let all = 0;
    for (;;) {
      const c = b[i]!;
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        this.decoded = this.readEscapedString(start, i);
        this.hash = hashString(this.decoded);
        return -1;
      }
      if (c < SPACE) this.badStringChar(i, c);
      h = (Math.imul(h, 31) + c) | 0;
      all |= c;
      i++;
    }
    this.pos = i + 1;
    if (all >= NON_ASCII) {
      this.decoded = this.src.slice(start, i);
      this.hash = hashString(this.decoded);
      return -1;
    }
    this.hash = h;
    return i;
  }

  /** Validates a string whose opening quote is at `pos` without materialising it. */
  skipString(): void {
    const b = this.bytes;
    let i = this.pos + 1;
    for (;;) {
      i = this.stringStop(i);
      const c = b[i]!;
      if (c === QUOTE) {
        this.pos = i + 1;
        return;
      }
      if (c === BACKSLASH) i = this.escape(i, null);
      else this.badStringChar(i, c);
    }
  }

  /** A byte below 0x20 at `i` in a string: the end of the input, or a raw control character. */
  private badStringChar(i: number, c: number): never {
    if (i >= this.len) this.fail('unterminated string', this.pos);
    this.fail(`invalid control character (U+${c.toString(16).padStart(4, '0').toUpperCase()}) in string`, i);
  }

  /** Slow path of readString once a backslash was seen at `i`. */
  private readEscapedString(start: number, i: number): string {
    const src = this.src;
    const b = this.bytes;
    const parts: string[] = [src.slice(start, i)];
    for (;;) {
      const c = b[i]!;
      if (c === QUOTE) {
        this.pos = i + 1;
        return parts.join('');
      }
      if (c === BACKSLASH) {
        i = this.escape(i, parts);
        continue;
      }
      if (c < SPACE) this.badStringChar(i, c);
      // Copy a run of plain characters.
      let j = i + 1;
      for (;;) {
        const d = b[j]!;
        if (d === QUOTE || d === BACKSLASH || d < SPACE) break;
        j++;
      }
      parts.push(src.slice(i, j));
      i = j;
    }
  }

  /** Decodes the escape sequence whose backslash is at `i`; returns the offset after it. */
  private escape(i: number, out: string[] | null): number {
    const b = this.bytes;
    const e = b[i + 1]!;
    let ch: string;
    switch (e) {
      case QUOTE:
        ch = '"';
        break;
      case BACKSLASH:
        ch = '\\';
        break;
      case SLASH:
        ch = '/';
        break;
      case 98:
        ch = '\b';
        break;
      case LOWER_F:
        ch = '\f';
        break;
      case LOWER_N:
        ch = '\n';
        break;
      case 114:
        ch = '\r';
        break;
      case LOWER_T:
        ch = '\t';
        break;
      case 117: {
        let code = 0;
        for (let k = 2; k < 6; k++) {
          const h = b[i + k]!;
          let v: number;
          if (h >= ZERO && h <= NINE) v = h - ZERO;
          else if (h >= 97 && h <= 102) v = h - 87;
          else if (h >= 65 && h <= 70) v = h - 55;
          else {
            if (i + k >= this.len) this.fail('unterminated string', this.pos);
            return this.fail('invalid \\u escape in string', i);
          }
          code = code * 16 + v;
        }
        if (out) out.push(String.fromCharCode(code));
        return i + 6;
      }
      default:
        if (i + 1 >= this.len) this.fail('unterminated string', this.pos);
        this.fail('invalid escape sequence in string', i);
    }
    if (out) out.push(ch);
    return i + 2;
  }

  /** Reads a number at `pos` (JSON grammar, validated). */
  readNumber(): number {
    const start = this.pos;
    this.skipNumber();
    return Number(this.src.slice(start, this.pos));
  }

  private skipNumber(): void {
    const b = this.bytes;
    let i = this.pos;
    let c = b[i]!;
    if (c === MINUS) c = b[++i]!;
    if (c === ZERO) {
      c = b[++i]!;
    } else if (c > ZERO && c <= NINE) {
      do c = b[++i]!;
      while (c >= ZERO && c <= NINE);
    } else {
      this.fail('invalid number', i);
    }
    if (c === DOT) {
      c = b[++i]!;
      if (!(c >= ZERO && c <= NINE)) this.fail("invalid number: expected a digit after '.'", i);
      do c = b[++i]!;
      while (c >= ZERO && c <= NINE);
    }
    if (c === LOWER_E || c === UPPER_E) {
      c = b[++i]!;
      if (c === PLUS || c === MINUS) c = b[++i]!;
      if (!(c >= ZERO && c <= NINE)) this.fail('invalid number: expected a digit in the exponent', i);
      do c = b[++i]!;
      while (c >= ZERO && c <= NINE);
    }
    this.pos = i;
  }

  /** Reads `true`/`false`/`null` at `pos`; returns its value. Anything else is an error. */
  readLiteral(c: number): boolean | null {
    const b = this.bytes;
    const p = this.pos;
    if (c === LOWER_T && b[p + 1] === 114 && b[p + 2] === 117 && b[p + 3] === LOWER_E) {
      this.pos = p + 4;
      return true;
    }
    if (c === LOWER_F && b[p + 1] === 97 && b[p + 2] === 108 && b[p + 3] === 115 && b[p + 4] === LOWER_E) {
      this.pos = p + 5;
      return false;
    }
    if (c === LOWER_N && b[p + 1] === 117 && b[p + 2] === 108 && b[p + 3] === 108) {
      this.pos = p + 4;
      return null;
    }
    return this.unexpected(c, 'a value');
  }

  /** Validates (without materialising) the value starting with character `c` at `pos`. */
  skipValue(c: number): void {
    if (c === QUOTE) {
      this.skipString();
    } else if (c === LBRACE) {
      if (this.openObject() === RBRACE) return;
      do {
        this.skipString();
        this.skipValue(this.colon());
      } while (this.nextMember());
    } else if (c === LBRACKET) {
      this.enter();
      let d = this.ws();
      if (d === RBRACKET) {
        this.pos++;
        this.depth--;
        return;
      }
      for (;;) {
        if (d === EOF) this.unexpected(d, 'a value');
        this.skipValue(d);
        d = this.ws();
        if (d === COMMA) {
          this.pos++;
          d = this.ws();
          if (d === RBRACKET && this.jsonc) {
            this.pos++; // a trailing comma
            this.depth--;
            return;
          }
          continue;
        }
        if (d === RBRACKET) {
          this.pos++;
          this.depth--;
          return;
        }
        this.unexpected(d, "',' or ']'");
      }
    } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
      this.skipNumber();
    } else {
      this.readLiteral(c);
    }
  }

  /** Reads the keys of an object whose `{` is at `pos`, validating (and dropping) the values. */
  readKeys(): string[] {
    if (this.openObject() === RBRACE) return [];
    // Collected in a reused array and copied once at the exact size (fewer allocations).
    const scratch = this.scratch;
    let n = 0;
    do {
      scratch[n++] = this.readString();
      this.skipValue(this.colon());
    } while (this.nextMember());
    const keys = scratch.slice(0, n);
    return keys;
  }

  private readonly scratch: string[] = [];

  /** {@link readKeys} appending to `out`. */
  readKeysInto(out: string[]): void {
    if (this.openObject() === RBRACE) return;
    do {
      out.push(this.readString());
      this.skipValue(this.colon());
    } while (this.nextMember());
  }

  /** Reads a value that must be a string (else an error naming `what`). */
  expectString(c: number, what: string): string {
    if (c !== QUOTE) this.unexpected(c, `a string for ${what}`);
    return this.readString();
  }

  /** Reads a value that must be `true` or `false`. */
  expectBoolean(c: number, what: string): boolean {
    const v = c === LOWER_T || c === LOWER_F ? this.readLiteral(c) : null;
    if (v === null) this.unexpected(c, `true or false for ${what}`);
    return v;
  }

  /** After the top-level value (`what`, for the message): only whitespace (and comments in JSONC) may follow. */
  end(what = 'the JSON value'): void {
    const c = this.ws();
    if (c !== EOF) this.fail(`unexpected ${this.found(c)} after the end of ${what}`);
  }
}

export const CHAR = { QUOTE, COMMA, LBRACE, RBRACE, LBRACKET, RBRACKET, LOWER_T, LOWER_F, LOWER_N, MINUS, ZERO, NINE } as const;
