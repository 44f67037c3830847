/**
 * A reader for the subset of YAML pnpm writes in `pnpm-lock.yaml`, with the line of every mapping key
 * (what is accepted: docs/FORMATS.md). Anchors and aliases (so no alias bombs), tags, block scalars,
 * multi-line scalars, duplicate keys and nesting deeper than `maxDepth` are refused with a
 * {@link LockfileError} naming the line. Scalars stay strings; mappings are {@link YMap}s (a `Map`
 * inside: `__proto__` is a plain key).
 */
import { LockfileError } from '../../../errors.js';
import { MAX_PACKAGES } from '../../shared/limits.js';

/** 15 entries a package (real pnpm lockfiles have 10-11). */
const MAX_YAML_NODES = MAX_PACKAGES * 15;

export type YNode = string | YMap | YNode[] | null;

export interface YEntry {
  value: YNode;
  /** 1-based line of the key. */
  line: number;
}

/** One YAML document of a file. */
export interface YDocument {
  map: YMap;
  /** 1-based line of the document's `---` marker; 0 when it has none (only the first document may omit it). */
  markerLine: number;
  /** The marker line is exactly `---` (no spaces or comment after it), as pnpm writes and looks for it. */
  bareMarker: boolean;
}

export class YMap {
  readonly entries = new Map<string, YEntry>();
  get(key: string): YNode | undefined {
    return this.entries.get(key)?.value;
  }
}

interface Frame {
  indent: number;
  map: YMap | null;
  seq: YNode[] | null;
}

const SPACE = 32;
const TAB = 9;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const SQUOTE = 39;
const DQUOTE = 34;
const LBRACE = 123;
const RBRACE = 125;
const LBRACKET = 91;
const RBRACKET = 93;
const COMMA = 44;

/** The document being read. */
interface DocState {
  root: YMap;
  stack: Frame[];
  /** The last key had no value: the next lines may open its block. */
  pending: YEntry | null;
  pendingIndent: number;
  sawContent: boolean;
  sawDocStart: boolean;
  markerLine: number;
  bareMarker: boolean;
}

/** What a line at column 1 is ({@link Reader.marker}). */
const NOT_A_MARKER = 0;
const MARKER_READ = 1;
const NEXT_DOCUMENT = 2;

class Reader {
  /** Current line: [lineStart, eol) is its content without the line break. */
  private line = 0;
  private lineStart = 0;
  private eol = 0;
  /** Where the last key or value read ended (set by key(), value() and the scalar readers). */
  private end = 0;
  /** Where the next document is read from: the start of its `---` line, or the text's length. */
  pos: number;

  constructor(
    private readonly file: string,
    private readonly text: string,
    start: number,
    private readonly maxDepth: number,
  ) {
    this.pos = start;
  }

  /** 1-based line of the `---` that starts the next document (valid while `pos` is before the end). */
  get nextLine(): number {
    return this.line + 1;
  }

  /** Map entries and sequence items read so far, over every document of the file. */
  private nodes = 0;

  /** Bounds the tree a file can make (real lockfiles hold well under a tenth of the cap). */
  private count(): void {
    if (++this.nodes > MAX_YAML_NODES) this.fail(`more than ${MAX_YAML_NODES.toLocaleString('en-US')} YAML entries: refused (real lockfiles hold far fewer)`);
  }

  failAtLine(message: string, line: number): never {
    throw new LockfileError(message, { file: this.file, line });
  }

  fail(message: string, at?: number): never {
    const where: { file: string; line: number; column?: number } = { file: this.file, line: this.line };
    if (at !== undefined) where.column = at - this.lineStart + 1;
    throw new LockfileError(message, where);
  }

  /**
   * Reads one document from `pos`: an optional `---` line, then content up to the next `---` line
   * (where `pos` is left) or the end of the text.
   */
  read(): YDocument {
    const text = this.text;
    const n = text.length;
    const d: DocState = {
      root: new YMap(),
      stack: [],
      pending: null,
      pendingIndent: -1,
      sawContent: false,
      sawDocStart: false,
      markerLine: 0,
      bareMarker: false,
    };
    let pos = this.pos;
    while (pos < n) {
      this.line++;
      let nl = text.indexOf('\n', pos);
      if (nl < 0) nl = n;
      let eol = nl;
      if (eol > pos && text.charCodeAt(eol - 1) === 13) eol--;
      this.lineStart = pos;
      this.eol = eol;
      const lineStart = pos;
      pos = nl + 1;
      let i = lineStart;
      while (i < eol && text.charCodeAt(i) === SPACE) i++;
      if (i === eol) continue; // blank
      const c = text.charCodeAt(i);
      if (c === HASH) continue; // comment
      if (c === TAB) this.fail('tab in indentation (not supported in pnpm-lock.yaml)', i);
      const indent = i - lineStart;
      if (indent === 0) {
        const marker = this.marker(d, i, c);
        if (marker === NEXT_DOCUMENT) {
          this.line--;
          this.pos = lineStart;
          return { map: d.root, markerLine: d.markerLine, bareMarker: d.bareMarker };
        }
        if (marker === MARKER_READ) continue;
      }
      d.sawContent = true;
      this.contentLine(d, i, c, indent);
    }
    this.pos = n;
    return { map: d.root, markerLine: d.markerLine, bareMarker: d.bareMarker };
  }

  /** A line at column 1: a `---` marker (of this document, or starting the next), else checks for what the subset refuses. */
  private marker(d: DocState, i: number, c: number): number {
    const text = this.text;
    const eol = this.eol;
    if (c === DASH && text.startsWith('---', i) && (eol === i + 3 || text.charCodeAt(i + 3) === SPACE)) {
      if (d.sawContent) return NEXT_DOCUMENT;
      if (d.sawDocStart) this.fail('empty YAML document (two "---" lines in a row)');
      let j = i + 3;
      while (j < eol && text.charCodeAt(j) === SPACE) j++;
      if (j < eol && text.charCodeAt(j) !== HASH) this.fail('text after a "---" document marker is not supported', j);
      d.sawDocStart = true;
      d.markerLine = this.line;
      d.bareMarker = eol === i + 3;
      return MARKER_READ;
    }
    if (c === 0x2e && text.startsWith('...', i)) this.fail('YAML document end markers are not supported');
    if (c === 0x25) this.fail('YAML directives are not supported');
    return NOT_A_MARKER;
  }

  /** A content line (its first character `c` at `i`): a sequence item or a mapping entry, in the block its indentation puts it in. */
  private contentLine(d: DocState, i: number, c: number, indent: number): void {
    const text = this.text;
    const eol = this.eol;
    const isItem = c === DASH && (i + 1 === eol || text.charCodeAt(i + 1) === SPACE);
    const stack = d.stack;
    if (stack.length === 0) {
      if (indent !== 0) this.fail('the document must start at column 1');
      if (isItem) this.fail('the document must be a mapping');
      stack.push({ indent: 0, map: d.root, seq: null });
    }
    if (d.pending !== null) this.openPending(d, indent, isItem);
    let top = stack[stack.length - 1]!;
    while (top.indent > indent || (top.seq !== null && top.indent === indent && !isItem)) {
      stack.pop();
      if (stack.length === 0) this.fail('bad indentation');
      top = stack[stack.length - 1]!;
    }
    if (top.indent !== indent) this.fail('bad indentation (multi-line scalars are not supported)', i);

    if (top.seq !== null) {
      if (!isItem) this.fail('expected a sequence item', i);
      let j = i + 1;
      while (j < eol && text.charCodeAt(j) === SPACE) j++;
      if (j === eol || text.charCodeAt(j) === HASH) {
        this.count();
        top.seq.push(null);
        return;
      }
      if (!this.startsMapping(j)) {
        const value = this.value(j, false, 0);
        this.endOfLine(this.end);
        this.count();
        top.seq.push(value);
        return;
      }
      // `- key: value`: a block mapping as the item (pnpm 11's runtime `variants`), its keys at j's column
      if (stack.length >= this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth} levels`);
      const itemMap = new YMap();
      this.count();
      top.seq.push(itemMap);
      top = { indent: j - this.lineStart, map: itemMap, seq: null };
      stack.push(top);
      i = j;
    } else if (isItem) this.fail('unexpected sequence item in a mapping', i);
    this.mapEntry(d, top.map!, i);
  }

  /** The key before this line had no value: a deeper line (or an item at its indentation) opens its block. */
  private openPending(d: DocState, indent: number, isItem: boolean): void {
    const pending = d.pending!;
    d.pending = null;
    if (!(indent > d.pendingIndent || (indent === d.pendingIndent && isItem))) return;
    if (d.stack.length >= this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth} levels`);
    if (isItem) {
      const seq: YNode[] = [];
      pending.value = seq;
      d.stack.push({ indent, map: null, seq });
    } else {
      const map = new YMap();
      pending.value = map;
      d.stack.push({ indent, map, seq: null });
    }
  }

  /** `key: value`, or `key:` whose block follows (left pending), at `i`. */
  private mapEntry(d: DocState, map: YMap, i: number): void {
    const text = this.text;
    const eol = this.eol;
    const indentHere = i - this.lineStart;
    const key = this.key(i);
    const afterKey = this.end;
    let j = afterKey;
    while (j < eol && text.charCodeAt(j) === SPACE) j++;
    const entry: YEntry = { value: null, line: this.line };
    if (map.entries.has(key)) this.fail(`duplicate key ${JSON.stringify(key.length > 100 ? `${key.slice(0, 100)}…` : key)}`, i);
    this.count();
    map.entries.set(key, entry);
    if (j === eol || (text.charCodeAt(j) === HASH && j > afterKey)) {
      d.pending = entry;
      d.pendingIndent = indentHere;
      return;
    }
    const value = this.value(j, false, 0);
    this.endOfLine(this.end);
    entry.value = value;
  }

  /**
   * Does the sequence item at `j` start a block mapping (`key: value` or `key:`)? It does when a
   * block mapping key (plain or quoted, then `:` and a space or the line end) can be read there.
   */
  private startsMapping(j: number): boolean {
    const c = this.text.charCodeAt(j);
    if (c === LBRACE || c === LBRACKET) return false;
    const saved = this.end;
    try {
      this.key(j);
      return true;
    } catch (err) {
      if (err instanceof LockfileError) return false; // not a key: the item is a scalar, read (and checked) as one
      throw err;
    } finally {
      this.end = saved;
    }
  }

  /** A block mapping key at `i` (quoted or plain), through its colon; returns [key, index after ':']. */
  private key(i: number): string {
    const text = this.text;
    const eol = this.eol;
    const c = text.charCodeAt(i);
    if (c === SQUOTE || c === DQUOTE) {
      const k = c === SQUOTE ? this.singleQuoted(i) : this.doubleQuoted(i);
      const end = this.end;
      let j = end;
      while (j < eol && text.charCodeAt(j) === SPACE) j++;
      if (text.charCodeAt(j) !== COLON || (j + 1 < eol && text.charCodeAt(j + 1) !== SPACE)) this.fail('expected ":" after the key', j);
      this.end = j + 1;
      return k;
    }
    this.checkPlainStart(c, i);
    if (c === 0x3f && (i + 1 === eol || text.charCodeAt(i + 1) === SPACE)) this.fail('complex keys ("?") are not supported', i);
    let j = i;
    for (;;) {
      j = text.indexOf(':', j);
      if (j < 0 || j >= eol) this.fail('expected "key: value"', i);
      if (j + 1 === eol || text.charCodeAt(j + 1) === SPACE) break;
      j++;
    }
    let k = j;
    while (k > i && text.charCodeAt(k - 1) === SPACE) k--;
    if (this.commentAt(i, j) >= 0) this.fail('expected "key: value"', i);
    this.end = j + 1;
    return text.slice(i, k);
  }

  /** Offset of the first ` #` (a comment start) in [from, to), or -1. */
  private commentAt(from: number, to: number): number {
    const text = this.text;
    for (let k = from + 1; k < to; k++) if (text.charCodeAt(k) === HASH && text.charCodeAt(k - 1) === SPACE) return k - 1;
    return -1;
  }

  private checkPlainStart(c: number, i: number): void {
    switch (c) {
      case 0x26: // &
        this.fail('YAML anchors are not supported', i);
      // falls through (never: fail throws)
      case 0x2a: // *
        this.fail('YAML aliases are not supported', i);
      // falls through
      case 0x21: // !
        this.fail('YAML tags are not supported', i);
      // falls through
      case 0x7c: // |
      case 0x3e: // >
        this.fail('YAML block scalars are not supported', i);
      // falls through
      case 0x25: // %
      case 0x40: // @
      case 0x60: // `
        this.fail(`a plain scalar cannot start with "${String.fromCharCode(c)}"`, i);
      // falls through
      default:
    }
  }

  /** Only spaces or a comment may follow a value. */
  private endOfLine(j: number): void {
    const text = this.text;
    const eol = this.eol;
    const from = j;
    while (j < eol && text.charCodeAt(j) === SPACE) j++;
    if (j < eol && !(text.charCodeAt(j) === HASH && j > from)) this.fail('unexpected text after the value', j);
  }

  /**
   * A value at `i`: flow collection, quoted or plain scalar. In flow context (`flow`), a plain
   * scalar ends at `,`, `}` or `]`. Returns [value, index after it].
   */
  private value(i: number, flow: boolean, depth: number): YNode {
    const text = this.text;
    const c = text.charCodeAt(i);
    if (c === LBRACE || c === LBRACKET) {
      if (depth + 1 > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth} levels`, i);
      return c === LBRACE ? this.flowMap(i, depth + 1) : this.flowSeq(i, depth + 1);
    }
    if (c === SQUOTE) return this.singleQuoted(i);
    if (c === DQUOTE) return this.doubleQuoted(i);
    this.checkPlainStart(c, i);
    const eol = this.eol;
    let j = i;
    if (flow) {
      while (j < eol) {
        const d = text.charCodeAt(j);
        if (d === COMMA || d === RBRACE || d === RBRACKET) break;
        if (d === HASH && text.charCodeAt(j - 1) === SPACE) break;
        if (d === COLON && (j + 1 === eol || text.charCodeAt(j + 1) === SPACE)) break;
        j++;
      }
    } else {
      const hash = this.commentAt(i, eol);
      j = hash >= 0 ? hash : eol;
    }
    let k = j;
    while (k > i && text.charCodeAt(k - 1) === SPACE) k--;
    this.end = j;
    return text.slice(i, k);
  }

  private flowMap(i: number, depth: number): YMap {
    const text = this.text;
    const eol = this.eol;
    const map = new YMap();
    let j = i + 1;
    for (;;) {
      while (j < eol && text.charCodeAt(j) === SPACE) j++;
      if (j >= eol) this.fail('flow mapping not closed on its line (multi-line flow collections are not supported)', i);
      if (text.charCodeAt(j) === RBRACE) {
        this.end = j + 1;
        return map;
      }
      const c = text.charCodeAt(j);
      let key: string;
      const keyAt = j;
      if (c === SQUOTE || c === DQUOTE) {
        key = c === SQUOTE ? this.singleQuoted(j) : this.doubleQuoted(j);
        j = this.end;
      } else {
        const k = this.value(j, true, depth);
        const end = this.end;
        if (typeof k !== 'string') this.fail('a flow mapping key must be a scalar', j);
        key = k;
        j = end;
      }
      while (j < eol && text.charCodeAt(j) === SPACE) j++;
      let value: YNode = null;
      if (text.charCodeAt(j) === COLON) {
        j++;
        while (j < eol && text.charCodeAt(j) === SPACE) j++;
        const d = text.charCodeAt(j);
        if (j < eol && d !== COMMA && d !== RBRACE) {
          value = this.value(j, true, depth);
          j = this.end;
          while (j < eol && text.charCodeAt(j) === SPACE) j++;
        }
      }
      if (map.entries.has(key)) this.fail(`duplicate key ${JSON.stringify(key.length > 100 ? `${key.slice(0, 100)}…` : key)}`, keyAt);
      this.count();
      map.entries.set(key, { value, line: this.line });
      const d = text.charCodeAt(j);
      if (d === COMMA) j++;
      else if (d === RBRACE) {
        this.end = j + 1;
        return map;
      } else if (j >= eol) this.fail('flow mapping not closed on its line (multi-line flow collections are not supported)', i);
      else this.fail('expected "," or "}" in a flow mapping', j);
    }
  }

  private flowSeq(i: number, depth: number): YNode[] {
    const text = this.text;
    const eol = this.eol;
    const seq: YNode[] = [];
    let j = i + 1;
    for (;;) {
      while (j < eol && text.charCodeAt(j) === SPACE) j++;
      if (j >= eol) this.fail('flow sequence not closed on its line (multi-line flow collections are not supported)', i);
      if (text.charCodeAt(j) === RBRACKET) {
        this.end = j + 1;
        return seq;
      }
      const value = this.value(j, true, depth);
      const end = this.end;
      if (text.charCodeAt(end) === COLON) this.fail('mappings inside sequences are not supported', end);
      this.count();
      seq.push(value);
      j = end;
      while (j < eol && text.charCodeAt(j) === SPACE) j++;
      const d = text.charCodeAt(j);
      if (d === COMMA) j++;
      else if (d === RBRACKET) {
        this.end = j + 1;
        return seq;
      } else if (j >= eol) this.fail('flow sequence not closed on its line (multi-line flow collections are not supported)', i);
      else this.fail('expected "," or "]" in a flow sequence', j);
    }
  }

  private singleQuoted(i: number): string {
    const text = this.text;
    const eol = this.eol;
    let out = '';
    let from = i + 1;
    for (;;) {
      const q = text.indexOf("'", from);
      if (q < 0 || q >= eol) this.fail('unterminated quoted string (multi-line strings are not supported)', i);
      if (text.charCodeAt(q + 1) === SQUOTE && q + 1 < eol) {
        out += text.slice(from, q + 1);
        from = q + 2;
        continue;
      }
      this.end = q + 1;
      return out + text.slice(from, q);
    }
  }

  private doubleQuoted(i: number): string {
    const text = this.text;
    const eol = this.eol;
    let out = '';
    let from = i + 1;
    let j = from;
    while (j < eol) {
      const c = text.charCodeAt(j);
      if (c === DQUOTE) {
        this.end = j + 1;
        return out + text.slice(from, j);
      }
      if (c !== 92) {
        j++;
        continue;
      }
      out += text.slice(from, j);
      const e = text.charCodeAt(j + 1);
      let len = 2;
      switch (e) {
        case 0x22:
          out += '"';
          break;
        case 0x5c:
          out += '\\';
          break;
        case 0x2f:
          out += '/';
          break;
        case 0x6e:
          out += '\n';
          break;
        case 0x74:
          out += '\t';
          break;
        case 0x72:
          out += '\r';
          break;
        case 0x30:
          out += '\0';
          break;
        case 0x20:
          out += ' ';
          break;
        case 0x78: // \xXX
        case 0x75: // \uXXXX
        case 0x55: {
          // \UXXXXXXXX
          const digits = e === 0x78 ? 2 : e === 0x75 ? 4 : 8;
          const hex = text.slice(j + 2, j + 2 + digits);
          if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex) || j + 2 + digits > eol) this.fail('invalid escape in a double-quoted string', j);
          const cp = parseInt(hex, 16);
          if (cp > 0x10ffff) this.fail('invalid escape in a double-quoted string', j);
          out += String.fromCodePoint(cp);
          len = 2 + digits;
          break;
        }
        default:
          this.fail('unsupported escape in a double-quoted string', j);
      }
      j += len;
      from = j;
    }
    return this.fail('unterminated quoted string (multi-line strings are not supported)', i);
  }
}

/** Reads a pnpm-lock.yaml text from `start` (after any BOM) into a {@link YMap}: one document only. */
export function readPnpmYaml(file: string, text: string, start: number, maxDepth: number): YMap {
  return readPnpmYamlDocuments(file, text, start, maxDepth, 1)[0]!.map;
}

/**
 * Reads the documents of a YAML text from `start` (after any BOM), at most `maxDocuments` of them
 * (one more is refused at its `---` line). Line numbers are the file's, whatever the document. A
 * text with nothing but blank lines and comments is one empty document.
 */
export function readPnpmYamlDocuments(file: string, text: string, start: number, maxDepth: number, maxDocuments: number): YDocument[] {
  const reader = new Reader(file, text, start, maxDepth);
  const docs: YDocument[] = [reader.read()];
  while (reader.pos < text.length) {
    if (docs.length >= maxDocuments) {
      reader.failAtLine(
        maxDocuments === 1 ? 'several YAML documents in one file are not supported' : `more than ${maxDocuments} YAML documents in one file`,
        reader.nextLine,
      );
    }
    docs.push(reader.read());
  }
  return docs;
}
