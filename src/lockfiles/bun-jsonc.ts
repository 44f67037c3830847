/**
 * A one-pass JSONC scanner for bun's `bun.lock`: JSON plus `//` and `/* *\/` comments and
 * trailing commas in objects and arrays. Counts lines as it goes (the line of each key is known
 * when it is read), validates what it skips, and never builds a value the caller did not ask for.
 *
 * Errors are {@link LockfileError}s with file, line and column. Nesting is bounded by `maxDepth`.
 */
import { LockfileError } from '../errors.js';

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
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
const STAR = 42;
const PLUS = 43;
/** Byte-order mark / other whitespace JSON does not allow is reported as unexpected. */
export const EOF = -1;

export const JC = { QUOTE, LBRACE, RBRACE, LBRACKET, RBRACKET, COMMA } as const;

export class JsoncScanner {
  pos: number;
  line = 1;
  lineStart: number;
  depth = 0;
  private readonly len: number;

  constructor(
    readonly src: string,
    readonly file: string,
    readonly maxDepth: number,
    start = 0,
  ) {
    this.pos = start;
    this.lineStart = start;
    this.len = src.length;
  }

  fail(message: string, pos = this.pos): never {
    throw new LockfileError(message, { file: this.file, line: this.line, column: pos - this.lineStart + 1 });
  }

  failAt(message: string, line: number, column?: number): never {
    throw new LockfileError(message, { file: this.file, line, column });
  }

  /** Skips whitespace and comments, counting lines; returns the next character code (not consumed) or EOF. */
  ws(): number {
    const s = this.src;
    let pos = this.pos;
    const len = this.len;
    while (pos < len) {
      const c = s.charCodeAt(pos);
      if (c === SPACE || c === TAB || c === CR) {
        pos++;
      } else if (c === LF) {
        pos++;
        this.line++;
        this.lineStart = pos;
      } else if (c === SLASH) {
        const d = s.charCodeAt(pos + 1);
        if (d === SLASH) {
          pos += 2;
          while (pos < len && s.charCodeAt(pos) !== LF) pos++;
        } else if (d === STAR) {
          const open = pos;
          pos += 2;
          for (;;) {
            if (pos >= len) {
              this.pos = open;
              this.fail('unterminated comment', open);
            }
            const e = s.charCodeAt(pos);
            if (e === STAR && s.charCodeAt(pos + 1) === SLASH) {
              pos += 2;
              break;
            }
            pos++;
            if (e === LF) {
              this.line++;
              this.lineStart = pos;
            }
          }
        } else {
          this.pos = pos;
          return c;
        }
      } else {
        this.pos = pos;
        return c;
      }
    }
    this.pos = pos;
    return EOF;
  }

  unexpected(c: number, expected: string): never {
    if (c === EOF) this.fail(`unexpected end of input (expected ${expected})`);
    this.fail(`unexpected ${JSON.stringify(this.src.charAt(this.pos))} (expected ${expected})`);
  }

  private enter(): void {
    if (++this.depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth} levels`);
    this.pos++;
  }

  /** Enters the object whose `{` is at `pos`; returns `"` (a key follows) or `}` (empty, closed). */
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

  /** After a member: `,` then a key (true, at its quote), or `}` (false, closed; a trailing comma is allowed). */
  nextMember(): boolean {
    let c = this.ws();
    if (c === COMMA) {
      this.pos++;
      c = this.ws();
      if (c === QUOTE) return true;
      if (c === RBRACE) {
        this.pos++;
        this.depth--;
        return false;
      }
      this.unexpected(c, "a string key or '}'");
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

  /** After an element: the next element's first character, or `]` (closed; a trailing comma is allowed). */
  nextElement(): number {
    let c = this.ws();
    if (c === COMMA) {
      this.pos++;
      c = this.ws();
      if (c === RBRACKET) {
        this.pos++;
        this.depth--;
        return RBRACKET;
      }
      if (c === EOF) this.unexpected(c, 'a value');
      return c;
    }
    if (c === RBRACKET) {
      this.pos++;
      this.depth--;
      return RBRACKET;
    }
    return this.unexpected(c, "',' or ']'");
  }

  /** After a key: `:` and the value's first character. */
  colon(): number {
    let c = this.ws();
    if (c !== COLON) this.unexpected(c, "':'");
    this.pos++;
    c = this.ws();
    if (c === EOF) this.unexpected(c, 'a value');
    return c;
  }

  /** Reads the string whose opening quote is at `pos`. */
  readString(): string {
    const s = this.src;
    const start = this.pos + 1;
    let i = start;
    const len = this.len;
    for (;;) {
      if (i >= len) this.fail('unterminated string');
      const c = s.charCodeAt(i);
      if (c === QUOTE) {
        this.pos = i + 1;
        return s.slice(start, i);
      }
      if (c === BACKSLASH) return this.readEscaped(start, i);
      if (c < SPACE) this.badChar(i, c);
      i++;
    }
  }

  /** Validates the string at `pos` without building it. */
  skipString(): void {
    const s = this.src;
    let i = this.pos + 1;
    const len = this.len;
    for (;;) {
      if (i >= len) this.fail('unterminated string');
      const c = s.charCodeAt(i);
      if (c === QUOTE) {
        this.pos = i + 1;
        return;
      }
      if (c === BACKSLASH) i = this.escape(i, null);
      else {
        if (c < SPACE) this.badChar(i, c);
        i++;
      }
    }
  }

  private badChar(i: number, c: number): never {
    this.fail(`invalid control character (U+${c.toString(16).padStart(4, '0').toUpperCase()}) in string`, i);
  }

  private readEscaped(start: number, i: number): string {
    const s = this.src;
    const parts: string[] = [s.slice(start, i)];
    const len = this.len;
    for (;;) {
      if (i >= len) this.fail('unterminated string');
      const c = s.charCodeAt(i);
      if (c === QUOTE) {
        this.pos = i + 1;
        return parts.join('');
      }
      if (c === BACKSLASH) {
        i = this.escape(i, parts);
        continue;
      }
      if (c < SPACE) this.badChar(i, c);
      let j = i + 1;
      while (j < len) {
        const d = s.charCodeAt(j);
        if (d === QUOTE || d === BACKSLASH || d < SPACE) break;
        j++;
      }
      parts.push(s.slice(i, j));
      i = j;
    }
  }

  private escape(i: number, out: string[] | null): number {
    const s = this.src;
    const e = s.charCodeAt(i + 1);
    let ch: string;
    switch (e) {
      case QUOTE: ch = '"'; break;
      case BACKSLASH: ch = '\\'; break;
      case SLASH: ch = '/'; break;
      case 98: ch = '\b'; break;
      case LOWER_F: ch = '\f'; break;
      case LOWER_N: ch = '\n'; break;
      case 114: ch = '\r'; break;
      case LOWER_T: ch = '\t'; break;
      case 117: {
        const hex = s.slice(i + 2, i + 6);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex)) this.fail('invalid \\u escape in string', i);
        if (out) out.push(String.fromCharCode(parseInt(hex, 16)));
        return i + 6;
      }
      default:
        if (i + 1 >= this.len) this.fail('unterminated string');
        this.fail('invalid escape sequence in string', i);
    }
    if (out) out.push(ch);
    return i + 2;
  }

  /** Reads a number at `pos` (JSON grammar). */
  readNumber(): number {
    const start = this.pos;
    this.skipNumber();
    return Number(this.src.slice(start, this.pos));
  }

  private skipNumber(): void {
    const s = this.src;
    let i = this.pos;
    let c = s.charCodeAt(i);
    if (c === MINUS) c = s.charCodeAt(++i);
    if (c === ZERO) c = s.charCodeAt(++i);
    else if (c > ZERO && c <= NINE) {
      do c = s.charCodeAt(++i);
      while (c >= ZERO && c <= NINE);
    } else this.fail('invalid number', i);
    if (c === DOT) {
      c = s.charCodeAt(++i);
      if (!(c >= ZERO && c <= NINE)) this.fail("invalid number: expected a digit after '.'", i);
      do c = s.charCodeAt(++i);
      while (c >= ZERO && c <= NINE);
    }
    if (c === LOWER_E || c === UPPER_E) {
      c = s.charCodeAt(++i);
      if (c === PLUS || c === MINUS) c = s.charCodeAt(++i);
      if (!(c >= ZERO && c <= NINE)) this.fail('invalid number: expected a digit in the exponent', i);
      do c = s.charCodeAt(++i);
      while (c >= ZERO && c <= NINE);
    }
    this.pos = i;
  }

  private skipLiteral(c: number): void {
    const s = this.src;
    const p = this.pos;
    const word = c === LOWER_T ? 'true' : c === LOWER_F ? 'false' : c === LOWER_N ? 'null' : '';
    if (word !== '' && s.startsWith(word, p)) {
      this.pos = p + word.length;
      return;
    }
    this.unexpected(c, 'a value');
  }

  /** Validates (without building) the value starting with `c` at `pos`. */
  skipValue(c: number): void {
    if (c === QUOTE) this.skipString();
    else if (c === LBRACE) {
      if (this.openObject() === RBRACE) return;
      do {
        this.skipString();
        this.skipValue(this.colon());
      } while (this.nextMember());
    } else if (c === LBRACKET) {
      let d = this.openArray();
      while (d !== RBRACKET) {
        this.skipValue(d);
        d = this.nextElement();
      }
    } else if (c === MINUS || (c >= ZERO && c <= NINE)) this.skipNumber();
    else this.skipLiteral(c);
  }

  /** Reads the keys of the object at `pos` (values validated and dropped) into `out`. */
  readKeys(out: string[]): void {
    if (this.openObject() === RBRACE) return;
    do {
      out.push(this.readString());
      this.skipValue(this.colon());
    } while (this.nextMember());
  }

  /** After the top-level value: only whitespace and comments may follow. */
  end(): void {
    const c = this.ws();
    if (c !== EOF) this.fail(`unexpected ${JSON.stringify(this.src.charAt(this.pos))} after the end of the lockfile`);
  }
}
