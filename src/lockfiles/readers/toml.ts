/**
 * A TOML 1.0 reader with line numbers (a table knows its header's line, a key its own), for the Python
 * lockfiles written in TOML; docs/FORMATS.md lists what it reads. Errors are {@link LockfileError}s with
 * the file, line and column. Tables are {@link Map}s (`__proto__` is a plain key), and value and table
 * nesting are both limited to `maxDepth`.
 */
import { LockfileError } from '../../errors.js';

export type TomlDateTimeKind = 'offset-date-time' | 'local-date-time' | 'local-date' | 'local-time';

/** A TOML date-time, local date-time, local date or local time, as written (after checking it). */
export class TomlDateTime {
  constructor(
    readonly text: string,
    readonly kind: TomlDateTimeKind,
  ) {}

  toString(): string {
    return this.text;
  }
}

/** Integers that fit a JS number exactly are numbers; larger 64-bit integers are bigints. */
export type TomlValue = string | number | bigint | boolean | TomlDateTime | TomlValue[] | TomlTable;

// How a table came to be, for the spec's rules on defining tables once.
/** Created as a parent of a `[header]` (e.g. `a` for `[a.b]`): a later `[a]` may still define it. */
const IMPLICIT = 0;
/** Defined by a `[header]`, or an `[[array]]` element (the root table too). */
const HEADER = 1;
/** Created by a dotted key: dotted keys of the same section (or inline table) may add to it. */
const DOTTED = 2;
/** An inline table: closed once written. */
const INLINE = 3;

/** A TOML table: its keys in file order, with lines. */
export class TomlTable {
  /** The values by key, in the order they were written. */
  readonly map = new Map<string, TomlValue>();
  /** Lines of the keys that are not on {@link line}. */
  private keyLines: Map<string, number> | null = null;

  constructor(
    /** 1-based line of the header (or of the key that created the table). */
    public line: number,
    /** @internal one of IMPLICIT, HEADER, DOTTED, INLINE */
    public kind: number,
    /** @internal the section (or inline table) a DOTTED table was made in */
    public section: number,
    /** @internal nesting depth (the root is 0) */
    readonly depth: number,
  ) {}

  get(key: string): TomlValue | undefined {
    return this.map.get(key);
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  get size(): number {
    return this.map.size;
  }

  /** 1-based line of a key, or undefined when the table has no such key. */
  lineOf(key: string): number | undefined {
    if (!this.map.has(key)) return undefined;
    const l = this.keyLines === null ? undefined : this.keyLines.get(key);
    return l ?? this.line;
  }

  /** @internal */
  put(key: string, value: TomlValue, line: number): void {
    this.map.set(key, value);
    if (line !== this.line) (this.keyLines ??= new Map()).set(key, line);
  }
}

export interface TomlReadOptions {
  /** Deeper nesting (tables and values together) is refused. */
  maxDepth: number;
}

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const DQUOTE = 34;
const HASH = 35;
const SQUOTE = 39;
const COMMA = 44;
const DOT = 46;
const EQ = 61;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const DEL = 127;

/** Characters of a bare key: A-Z a-z 0-9 _ - */
const BARE = new Uint8Array(128);
/** Characters a number, boolean or date-time token may contain. */
const TOKEN = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9_-]/.test(ch)) BARE[c] = 1;
  if (/[A-Za-z0-9_+\-.:]/.test(ch)) TOKEN[c] = 1;
}

const DEC_INT = /^[+-]?(?:0|[1-9](?:_?[0-9])*)$/;
const HEX_INT = /^0x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*$/;
const OCT_INT = /^0o[0-7](?:_?[0-7])*$/;
const BIN_INT = /^0b[01](?:_?[01])*$/;
const FLOAT = /^[+-]?(?:0|[1-9](?:_?[0-9])*)(?:\.[0-9](?:_?[0-9])*(?:[eE][+-]?[0-9](?:_?[0-9])*)?|[eE][+-]?[0-9](?:_?[0-9])*)$/;
const SPECIAL_FLOAT = /^[+-]?(?:inf|nan)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))?$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?$/;

/** A run of basic-string characters that need no attention: not `"`, `\\` or a control character (tab is fine). */
const BASIC_RUN = /[^"\\\u0000-\u0008\u000a-\u001f\u007f]*/y;

const MAX_I64 = 9223372036854775807n;
const MIN_I64 = -9223372036854775808n;

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function validDate(y: string, m: string, d: string): boolean {
  const month = +m;
  const day = +d;
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(+y, month);
}

function validTime(h: string, m: string, s: string): boolean {
  // seconds up to 60: a leap second
  return +h <= 23 && +m <= 59 && +s <= 60;
}

/**
 * The keys the Python lockfiles repeat on every package and file (a few thousand times in a large
 * uv.lock), by the hash {@link Reader.keyPart} computes while scanning a bare key: a key equal to
 * one of them is this constant string instead of a new slice (no allocation, and the Map lookups
 * of an internalised string reuse its hash).
 */
const COMMON_KEYS: ReadonlyMap<number, string> = (() => {
  const keys = [
    'url',
    'git',
    'hash',
    'file',
    'name',
    'size',
    'path',
    'extra',
    'files',
    'index',
    'sdist',
    'marker',
    'source',
    'sha256',
    'hashes',
    'wheels',
    'groups',
    'extras',
    'markers',
    'version',
    'develop',
    'virtual',
    'optional',
    'category',
    'editable',
    'registry',
    'filename',
    'specifier',
    'directory',
    'upload-time',
    'description',
    'dependencies',
    'content-hash',
    'lock-version',
    'python-versions',
    'requires-python',
    'optional-dependencies',
  ];
  const byHash = new Map<number, string>();
  for (const k of keys) {
    let h = 0;
    for (let i = 0; i < k.length; i++) h = (Math.imul(h, 31) + k.charCodeAt(i)) | 0;
    if (!byHash.has(h)) byHash.set(h, k); // (a collision: the later key is just sliced)
  }
  return byHash;
})();

/** Are `text[start, start + 4)` decimal digits? */
function isDigits4(text: string, start: number): boolean {
  for (let k = start; k < start + 4; k++) {
    const c = text.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** A key for messages: quoted, shortened. */
function show(key: string): string {
  return JSON.stringify(key.length > 100 ? `${key.slice(0, 100)}…` : key);
}

function showPath(parts: readonly string[]): string {
  return parts.map((p) => (/^[A-Za-z0-9_-]+$/.test(p) ? p : show(p))).join('.');
}

class Reader {
  private pos: number;
  private line = 1;
  private lineStart: number;
  /** Section number: incremented at each header; negative and unique inside each inline table. */
  private section = 0;
  private inlineSections = 0;
  /** The arrays made by `[[headers]]` (a static array `a = [...]` cannot be appended to). */
  private readonly tableArrays = new Set<TomlValue[]>();
  private readonly parts: string[] = [];

  constructor(
    private readonly file: string,
    private readonly text: string,
    start: number,
    private readonly maxDepth: number,
  ) {
    this.pos = start;
    this.lineStart = start;
  }

  private fail(message: string, at: number = this.pos): never {
    throw new LockfileError(message, { file: this.file, line: this.line, column: Math.max(1, at - this.lineStart + 1) });
  }

  private deeper(depth: number, at: number): void {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth} levels`, at);
  }

  read(): TomlTable {
    const text = this.text;
    const n = text.length;
    const root = new TomlTable(1, HEADER, 0, 0);
    let current = root;
    for (;;) {
      this.skipWs();
      const pos = this.pos;
      if (pos >= n) break;
      const c = text.charCodeAt(pos);
      if (c === LF) {
        this.pos = pos + 1;
        this.line++;
        this.lineStart = pos + 1;
        continue;
      }
      if (c === CR) {
        this.newline();
        continue;
      }
      if (c === HASH) {
        this.comment();
        continue;
      }
      if (c === LBRACKET) current = this.header(root);
      else this.keyValue(current);
      this.endOfLine();
    }
    return root;
  }

  private skipWs(): void {
    const text = this.text;
    let i = this.pos;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c !== SPACE && c !== TAB) break;
      i++;
    }
    this.pos = i;
  }

  /** At a CR or LF: consumes one line break (a CR must be followed by LF). */
  private newline(): void {
    const text = this.text;
    let i = this.pos;
    if (text.charCodeAt(i) === CR) {
      if (text.charCodeAt(i + 1) !== LF) this.fail('carriage return not followed by a line feed', i);
      i++;
    }
    this.pos = i + 1;
    this.line++;
    this.lineStart = i + 1;
  }

  /** At `#`: up to (not including) the line break. */
  private comment(): void {
    const text = this.text;
    const n = text.length;
    let i = this.pos + 1;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < SPACE || c === DEL) {
        if (c === TAB) continue;
        if (c === LF || (c === CR && text.charCodeAt(i + 1) === LF)) break;
        this.fail('control character in a comment', i);
      }
    }
    this.pos = i;
  }

  /** After a key/value pair or a header: spaces, a comment, then a line break or the end. */
  private endOfLine(): void {
    this.skipWs();
    const text = this.text;
    let c = text.charCodeAt(this.pos);
    if (c === HASH) {
      this.comment();
      c = text.charCodeAt(this.pos);
    }
    if (c === LF || c === CR || this.pos >= text.length) return;
    this.fail('expected a new line after the value');
  }

  /** Spaces, line breaks and comments (inside arrays). */
  private skipWsNl(): void {
    const text = this.text;
    for (;;) {
      this.skipWs();
      const c = text.charCodeAt(this.pos);
      if (c === LF || c === CR) this.newline();
      else if (c === HASH) this.comment();
      else return;
    }
  }

  /** One part of a key: bare, "basic" or 'literal'. */
  private keyPart(): string {
    const text = this.text;
    const start = this.pos;
    const c = text.charCodeAt(start);
    if (c === DQUOTE) {
      if (text.charCodeAt(start + 1) === DQUOTE && text.charCodeAt(start + 2) === DQUOTE) this.fail('a multi-line string cannot be a key');
      return this.basic();
    }
    if (c === SQUOTE) {
      if (text.charCodeAt(start + 1) === SQUOTE && text.charCodeAt(start + 2) === SQUOTE) this.fail('a multi-line string cannot be a key');
      return this.literal();
    }
    let i = start;
    let h = 0;
    for (;;) {
      const d = text.charCodeAt(i);
      if (d < 128 && BARE[d] === 1) {
        h = (Math.imul(h, 31) + d) | 0;
        i++;
      } else break;
    }
    if (i === start)
      this.fail(c !== c || c === LF || c === CR ? 'expected a key' : `unexpected character ${JSON.stringify(String.fromCharCode(c))} (expected a key)`);
    this.pos = i;
    // one of the keys the Python lockfiles repeat: that constant string
    const common = COMMON_KEYS.get(h);
    if (common !== undefined && common.length === i - start && text.startsWith(common, start)) return common;
    return text.slice(start, i);
  }

  /** `[table]` or `[[array.of.tables]]`: the table that the following keys go into. */
  private header(root: TomlTable): TomlTable {
    const headerLine = this.line;
    const at = this.pos;
    const isArray = this.text.charCodeAt(at + 1) === LBRACKET;
    this.pos = at + (isArray ? 2 : 1);
    this.section++;
    const parts = this.headerKeys(isArray, at);
    const t = this.parentTable(root, parts, headerLine, at);
    const key = parts[parts.length - 1]!;
    return isArray ? this.arrayTable(t, key, parts, headerLine, at) : this.namedTable(t, key, parts, headerLine, at);
  }

  /** The dotted key of a header, up to and past its closing `]` or `]]` (into {@link parts}). */
  private headerKeys(isArray: boolean, at: number): string[] {
    const text = this.text;
    const parts = this.parts;
    parts.length = 0;
    for (;;) {
      this.skipWs();
      parts.push(this.keyPart());
      if (parts.length > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth} levels`, at);
      this.skipWs();
      const c = text.charCodeAt(this.pos);
      if (c === DOT) {
        this.pos++;
        continue;
      }
      if (c !== RBRACKET) this.fail(isArray ? 'expected "]]" at the end of the header' : 'expected "]" at the end of the header');
      if (isArray) {
        if (text.charCodeAt(this.pos + 1) !== RBRACKET) this.fail('expected "]]" at the end of the header');
        this.pos += 2;
      } else this.pos++;
      return parts;
    }
  }

  /** The table holding the header's last key: each earlier key's table (made implicitly when missing), or the last element of an array of tables. */
  private parentTable(root: TomlTable, parts: readonly string[], headerLine: number, at: number): TomlTable {
    let t = root;
    const last = parts.length - 1;
    for (let k = 0; k < last; k++) {
      const key = parts[k]!;
      const v = t.map.get(key);
      if (v === undefined) {
        const child = new TomlTable(headerLine, IMPLICIT, 0, t.depth + 1);
        this.deeper(child.depth, at);
        t.put(key, child, headerLine);
        t = child;
      } else if (v instanceof TomlTable) {
        if (v.kind === INLINE) this.fail(`cannot add to ${showPath(parts.slice(0, k + 1))}: an inline table is complete as written`, at);
        t = v;
      } else if (Array.isArray(v) && this.tableArrays.has(v)) {
        t = v[v.length - 1] as TomlTable;
      } else {
        this.fail(`${showPath(parts.slice(0, k + 1))} is already a value, not a table`, at);
      }
    }
    return t;
  }

  /** `[[parts]]`: a new element of the array of tables `t.key` (the array made on first use). */
  private arrayTable(t: TomlTable, key: string, parts: readonly string[], headerLine: number, at: number): TomlTable {
    const v = t.map.get(key);
    let arr: TomlValue[];
    if (v === undefined) {
      arr = [];
      this.tableArrays.add(arr);
      t.put(key, arr, headerLine);
    } else if (Array.isArray(v) && this.tableArrays.has(v)) {
      arr = v;
    } else {
      this.fail(`cannot define [[${showPath(parts)}]]: ${showPath(parts)} is already ${Array.isArray(v) ? 'a static array' : 'a table or value'}`, at);
    }
    const el = new TomlTable(headerLine, HEADER, 0, t.depth + 2);
    this.deeper(el.depth, at);
    arr.push(el);
    return el;
  }

  /** `[parts]`: the table `t.key`, new or made implicitly by an earlier header; defined once. */
  private namedTable(t: TomlTable, key: string, parts: readonly string[], headerLine: number, at: number): TomlTable {
    const v = t.map.get(key);
    if (v === undefined) {
      const child = new TomlTable(headerLine, HEADER, 0, t.depth + 1);
      this.deeper(child.depth, at);
      t.put(key, child, headerLine);
      return child;
    }
    if (v instanceof TomlTable && v.kind === IMPLICIT) {
      v.kind = HEADER;
      v.line = headerLine;
      return v;
    }
    if (v instanceof TomlTable) this.fail(`table [${showPath(parts)}] defined more than once`, at);
    this.fail(`cannot define [${showPath(parts)}]: it is already ${Array.isArray(v) ? 'an array' : 'a value'}`, at);
  }

  /** `key = value` (the key possibly dotted) into `table`. */
  private keyValue(table: TomlTable): void {
    const text = this.text;
    const keyLine = this.line;
    let keyAt = this.pos;
    let target = table;
    let key = this.keyPart();
    this.skipWs();
    let c = text.charCodeAt(this.pos);
    while (c === DOT) {
      target = this.dotted(target, key, keyAt, keyLine);
      this.pos++;
      this.skipWs();
      keyAt = this.pos;
      key = this.keyPart();
      this.skipWs();
      c = text.charCodeAt(this.pos);
    }
    if (c !== EQ) this.fail(c === LF || c === CR || this.pos >= text.length ? 'expected "=" after the key' : 'expected "=" after the key', this.pos);
    if (target.map.has(key)) {
      const prev = target.map.get(key);
      this.fail(prev instanceof TomlTable ? `key ${show(key)} is already a table` : `duplicate key ${show(key)}`, keyAt);
    }
    this.pos++;
    this.skipWs();
    const value = this.value(target.depth + 1);
    target.put(key, value, keyLine);
  }

  /** The table a dotted key part names within `t` (created when missing). */
  private dotted(t: TomlTable, key: string, at: number, line: number): TomlTable {
    const v = t.map.get(key);
    if (v === undefined) {
      const child = new TomlTable(line, DOTTED, this.section, t.depth + 1);
      this.deeper(child.depth, at);
      t.put(key, child, line);
      return child;
    }
    if (v instanceof TomlTable) {
      if (v.kind === IMPLICIT) {
        v.kind = DOTTED;
        v.section = this.section;
        return v;
      }
      if (v.kind === DOTTED && v.section === this.section) return v;
      if (v.kind === INLINE) this.fail(`cannot add to ${show(key)}: an inline table is complete as written`, at);
      this.fail(`cannot add to table ${show(key)} with a dotted key: it is defined elsewhere`, at);
    }
    this.fail(`key ${show(key)} is already a value, not a table`, at);
  }

  private value(depth: number): TomlValue {
    const text = this.text;
    const i = this.pos;
    const c = text.charCodeAt(i);
    switch (c) {
      case DQUOTE:
        return text.charCodeAt(i + 1) === DQUOTE && text.charCodeAt(i + 2) === DQUOTE ? this.mlBasic() : this.basic();
      case SQUOTE:
        return text.charCodeAt(i + 1) === SQUOTE && text.charCodeAt(i + 2) === SQUOTE ? this.mlLiteral() : this.literal();
      case LBRACKET:
        this.deeper(depth, i);
        return this.array(depth);
      case LBRACE:
        this.deeper(depth, i);
        return this.inlineTable(depth);
      case 0x74: // t
        if (text.startsWith('true', i)) {
          this.pos = i + 4;
          return true;
        }
        break;
      case 0x66: // f
        if (text.startsWith('false', i)) {
          this.pos = i + 5;
          return false;
        }
        break;
      default:
    }
    return this.scalar();
  }

  /** A number or date-time token. */
  private scalar(): TomlValue {
    const text = this.text;
    const start = this.pos;
    let i = start;
    let allDigits = true;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) i++;
      else if (c < 128 && TOKEN[c] === 1) {
        allDigits = false;
        i++;
      } else break;
    }
    if (i === start) {
      const c = text.charCodeAt(start);
      this.fail(c !== c || c === LF || c === CR ? 'expected a value' : `unexpected character ${JSON.stringify(String.fromCharCode(c))} (expected a value)`);
    }
    // Plain decimal integers (sizes, versions): no regular expression.
    if (allDigits && (i - start === 1 || text.charCodeAt(start) !== 48) && i - start <= 15) {
      this.pos = i;
      return Number(text.slice(start, i));
    }
    // `1979-05-27 07:32:00`: a date, a space and a time are one date-time.
    if (
      i - start === 10 &&
      text.charCodeAt(i) === SPACE &&
      text.charCodeAt(i + 3) === 58 &&
      DATE.test(text.slice(start, i)) &&
      text.charCodeAt(i + 1) >= 48 &&
      text.charCodeAt(i + 1) <= 57
    ) {
      i++;
      for (;;) {
        const c = text.charCodeAt(i);
        if (c < 128 && TOKEN[c] === 1) i++;
        else break;
      }
    }
    const tok = text.slice(start, i);
    // `2025-02-20T10:00:00Z` (uv writes one per file): four digits and `-` at 4 and 7 make no
    // number, so straight to the date rules
    if (text.charCodeAt(start + 4) === 45 && text.charCodeAt(start + 7) === 45 && isDigits4(text, start)) return this.dateTime(tok, start, i);
    if (DEC_INT.test(tok)) {
      this.pos = i;
      const clean = tok.includes('_') ? tok.replace(/_/g, '') : tok;
      const digits = clean.length - (clean.charCodeAt(0) === 43 || clean.charCodeAt(0) === 45 ? 1 : 0);
      // `-0` and `+0` are 0
      if (digits <= 15) return Number(clean) + 0;
      return this.int64(BigInt(clean), start);
    }
    const c1 = tok.charCodeAt(1);
    if (tok.charCodeAt(0) === 48 && (c1 === 0x78 || c1 === 0x6f || c1 === 0x62)) {
      if (!(c1 === 0x78 ? HEX_INT : c1 === 0x6f ? OCT_INT : BIN_INT).test(tok)) this.fail(`invalid integer ${show(tok)}`, start);
      this.pos = i;
      return this.int64(BigInt(tok.replace(/_/g, '')), start);
    }
    if (FLOAT.test(tok)) {
      this.pos = i;
      return Number(tok.includes('_') ? tok.replace(/_/g, '') : tok);
    }
    if (SPECIAL_FLOAT.test(tok)) {
      this.pos = i;
      const neg = tok.charCodeAt(0) === 45;
      return tok.endsWith('nan') ? NaN : neg ? -Infinity : Infinity;
    }
    return this.dateTime(tok, start, i);
  }

  /** A date-time, date or time token `tok` = `text[start, i)` (or an invalid value). */
  private dateTime(tok: string, start: number, i: number): TomlDateTime {
    let m = DATE_TIME.exec(tok);
    if (m !== null) {
      if (!validDate(m[1]!, m[2]!, m[3]!) || !validTime(m[4]!, m[5]!, m[6]!)) this.fail(`invalid date-time ${show(tok)}`, start);
      if (m[8] !== undefined && (+m[8] > 23 || +m[9]! > 59)) this.fail(`invalid date-time offset ${show(tok)}`, start);
      this.pos = i;
      return new TomlDateTime(tok, m[7] === undefined ? 'local-date-time' : 'offset-date-time');
    }
    m = DATE.exec(tok);
    if (m !== null) {
      if (!validDate(m[1]!, m[2]!, m[3]!)) this.fail(`invalid date ${show(tok)}`, start);
      this.pos = i;
      return new TomlDateTime(tok, 'local-date');
    }
    m = TIME.exec(tok);
    if (m !== null) {
      if (!validTime(m[1]!, m[2]!, m[3]!)) this.fail(`invalid time ${show(tok)}`, start);
      this.pos = i;
      return new TomlDateTime(tok, 'local-time');
    }
    this.fail(`invalid value ${show(tok)}`, start);
  }

  private int64(v: bigint, at: number): number | bigint {
    if (v > MAX_I64 || v < MIN_I64) this.fail('integer out of the 64-bit range', at);
    const asNumber = Number(v);
    return Number.isSafeInteger(asNumber) ? asNumber : v;
  }

  private array(depth: number): TomlValue[] {
    const text = this.text;
    const arr: TomlValue[] = [];
    this.pos++;
    for (;;) {
      this.skipWsNl();
      if (text.charCodeAt(this.pos) === RBRACKET) {
        this.pos++;
        return arr;
      }
      if (this.pos >= text.length) this.fail('unterminated array');
      arr.push(this.value(depth + 1));
      this.skipWsNl();
      const c = text.charCodeAt(this.pos);
      if (c === COMMA) this.pos++;
      else if (c === RBRACKET) {
        this.pos++;
        return arr;
      } else if (this.pos >= text.length) this.fail('unterminated array');
      else this.fail('expected "," or "]" in an array');
    }
  }

  private inlineTable(depth: number): TomlTable {
    const text = this.text;
    const t = new TomlTable(this.line, INLINE, 0, depth);
    const saved = this.section;
    this.section = --this.inlineSections;
    this.pos++;
    this.skipWs();
    if (text.charCodeAt(this.pos) === RBRACE) {
      this.pos++;
      this.section = saved;
      return t;
    }
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === LF || c === CR) this.fail('an inline table must be on one line');
      if (c === RBRACE) this.fail('trailing comma in an inline table');
      this.keyValue(t);
      this.skipWs();
      const d = text.charCodeAt(this.pos);
      if (d === COMMA) {
        this.pos++;
        this.skipWs();
        continue;
      }
      if (d === RBRACE) {
        this.pos++;
        break;
      }
      if (d === LF || d === CR || this.pos >= text.length) this.fail('an inline table must be on one line (expected "}")');
      this.fail('expected "," or "}" in an inline table');
    }
    this.section = saved;
    return t;
  }

  /** `"…"` at this.pos. */
  private basic(): string {
    const text = this.text;
    const n = text.length;
    let i = this.pos + 1;
    let from = i;
    let out = '';
    for (;;) {
      // skip the run of plain characters (native regular expression code is faster than a charCodeAt loop)
      BASIC_RUN.lastIndex = i;
      BASIC_RUN.test(text);
      i = BASIC_RUN.lastIndex;
      if (i >= n) this.fail('unterminated string', i);
      const c = text.charCodeAt(i);
      if (c === DQUOTE) {
        this.pos = i + 1;
        return out + text.slice(from, i);
      }
      if (c === BACKSLASH) {
        out += text.slice(from, i);
        i = this.escape(i);
        out += this.escaped;
        from = i;
        continue;
      }
      if ((c < SPACE && c !== TAB) || c === DEL) {
        if (c === LF || c === CR) this.fail('unterminated string (a basic string cannot span lines)', i);
        this.fail('control character in a string', i);
      }
      i++;
    }
  }

  /** The text of the last {@link escape}. */
  private escaped = '';

  /** The escape at `i` (a backslash): sets {@link escaped}, returns the index after it. */
  private escape(i: number): number {
    const text = this.text;
    const e = text.charCodeAt(i + 1);
    switch (e) {
      case 0x62:
        this.escaped = '\b';
        return i + 2;
      case 0x74:
        this.escaped = '\t';
        return i + 2;
      case 0x6e:
        this.escaped = '\n';
        return i + 2;
      case 0x66:
        this.escaped = '\f';
        return i + 2;
      case 0x72:
        this.escaped = '\r';
        return i + 2;
      case DQUOTE:
        this.escaped = '"';
        return i + 2;
      case BACKSLASH:
        this.escaped = '\\';
        return i + 2;
      case 0x75: // \uXXXX
      case 0x55: {
        // \UXXXXXXXX
        const len = e === 0x75 ? 4 : 8;
        const hex = text.slice(i + 2, i + 2 + len);
        if (hex.length !== len || !/^[0-9A-Fa-f]+$/.test(hex)) this.fail('invalid unicode escape', i);
        const cp = parseInt(hex, 16);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) this.fail('unicode escape is not a Unicode scalar value', i);
        this.escaped = String.fromCodePoint(cp);
        return i + 2 + len;
      }
      default:
        this.fail(e !== e ? 'unterminated string' : `invalid escape "\\${String.fromCharCode(e)}"`, i);
    }
  }

  /** `"""…"""` at this.pos. */
  private mlBasic(): string {
    const text = this.text;
    const n = text.length;
    let i = this.pos + 3;
    // a line break right after the opening quotes is not part of the string
    if (text.charCodeAt(i) === LF || (text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF)) {
      this.pos = i;
      this.newline();
      i = this.pos;
    }
    let from = i;
    let out = '';
    for (;;) {
      if (i >= n) this.fail('unterminated multi-line string', i);
      const c = text.charCodeAt(i);
      if (c === DQUOTE) {
        if (text.charCodeAt(i + 1) === DQUOTE && text.charCodeAt(i + 2) === DQUOTE) {
          // up to two more quotes belong to the content
          let end = i;
          if (text.charCodeAt(i + 3) === DQUOTE) {
            end++;
            if (text.charCodeAt(i + 4) === DQUOTE) end++;
          }
          this.pos = end + 3;
          return out + text.slice(from, end);
        }
        i++;
        continue;
      }
      if (c === BACKSLASH) {
        out += text.slice(from, i);
        // a line-ending backslash trims the line break and the whitespace after it
        let j = i + 1;
        while (text.charCodeAt(j) === SPACE || text.charCodeAt(j) === TAB) j++;
        const d = text.charCodeAt(j);
        if (d === LF || (d === CR && text.charCodeAt(j + 1) === LF)) {
          this.pos = j;
          for (;;) {
            const x = text.charCodeAt(this.pos);
            if (x === SPACE || x === TAB) this.pos++;
            else if (x === LF || x === CR) this.newline();
            else break;
          }
          i = this.pos;
        } else {
          if (j > i + 1) this.fail('invalid escape "\\ " (a line-ending backslash must be followed by a line break)', i);
          i = this.escape(i);
          out += this.escaped;
        }
        from = i;
        continue;
      }
      if (c === LF) {
        this.line++;
        this.lineStart = i + 1;
      } else if (c === CR) {
        if (text.charCodeAt(i + 1) !== LF) this.fail('carriage return not followed by a line feed', i);
      } else if ((c < SPACE && c !== TAB) || c === DEL) this.fail('control character in a string', i);
      i++;
    }
  }

  /** `'…'` at this.pos. */
  private literal(): string {
    const text = this.text;
    const n = text.length;
    const from = this.pos + 1;
    let i = from;
    for (;;) {
      if (i >= n) this.fail('unterminated string', i);
      const c = text.charCodeAt(i);
      if (c === SQUOTE) {
        this.pos = i + 1;
        return text.slice(from, i);
      }
      if ((c < SPACE && c !== TAB) || c === DEL) {
        if (c === LF || c === CR) this.fail('unterminated string (a literal string cannot span lines)', i);
        this.fail('control character in a string', i);
      }
      i++;
    }
  }

  /** `'''…'''` at this.pos. */
  private mlLiteral(): string {
    const text = this.text;
    const n = text.length;
    let i = this.pos + 3;
    if (text.charCodeAt(i) === LF || (text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF)) {
      this.pos = i;
      this.newline();
      i = this.pos;
    }
    const from = i;
    for (;;) {
      if (i >= n) this.fail('unterminated multi-line string', i);
      const c = text.charCodeAt(i);
      if (c === SQUOTE) {
        if (text.charCodeAt(i + 1) === SQUOTE && text.charCodeAt(i + 2) === SQUOTE) {
          let end = i;
          if (text.charCodeAt(i + 3) === SQUOTE) {
            end++;
            if (text.charCodeAt(i + 4) === SQUOTE) end++;
          }
          this.pos = end + 3;
          return text.slice(from, end);
        }
      } else if (c === LF) {
        this.line++;
        this.lineStart = i + 1;
      } else if (c === CR) {
        if (text.charCodeAt(i + 1) !== LF) this.fail('carriage return not followed by a line feed', i);
      } else if ((c < SPACE && c !== TAB) || c === DEL) this.fail('control character in a string', i);
      i++;
    }
  }
}

/**
 * Reads a TOML document from `start` (after any BOM) into its root {@link TomlTable}. Throws a
 * {@link LockfileError} naming `file`, the line and the column for anything that is not TOML 1.0.
 */
export function readToml(file: string, text: string, start: number, opts: TomlReadOptions): TomlTable {
  return new Reader(file, text, start, opts.maxDepth).read();
}

// Small typed accessors for the lockfile parsers.

export function tomlString(v: TomlValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function tomlTable(v: TomlValue | undefined): TomlTable | undefined {
  return v instanceof TomlTable ? v : undefined;
}

export function tomlArray(v: TomlValue | undefined): TomlValue[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

/** The kind of a value, for messages (`a string`, `a table`, …). */
export function tomlKind(v: TomlValue | undefined): string {
  if (v === undefined) return 'missing';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'number' || typeof v === 'bigint') return 'a number';
  if (typeof v === 'boolean') return 'a boolean';
  if (v instanceof TomlDateTime) return 'a date-time';
  if (Array.isArray(v)) return 'an array';
  return 'a table';
}
