/**
 * A streaming JSON parser that materialises only selected paths: full packuments are 15–40 MB, and
 * memory must stay proportional to what is kept, not to the document (docs/REGISTRY.md). Objects have a
 * null prototype (`__proto__` becomes a plain own property); kept containers and strings are capped
 * ({@link ParserLimits}), so a hostile document costs a scan, not an object graph.
 */

/** Symbol property of a kept object or array: how many of its entries a cap (or `wants`) left out. */
export const CAPPED: unique symbol = Symbol('lockwarden.capped');

/** Entries a cap left out of a kept container (0 when none). */
export function droppedEntries(v: unknown): number {
  return v !== null && typeof v === 'object' ? ((v as { [CAPPED]?: number })[CAPPED] ?? 0) : 0;
}

/** A kept string longer than its cap: the first bytes (decoded) and the full length in bytes. */
export class TruncatedString {
  constructor(
    readonly head: string,
    readonly bytes: number,
  ) {}
}

export interface ParserLimits {
  /** Nesting depth, skipped parts included (default 512). */
  maxDepth?: number;
  /** Entries kept per object or array unless its selector says otherwise (default 10,000). */
  maxEntries?: number;
  /** Bytes kept per string value unless its selector says otherwise (default 64 KiB). */
  maxStringBytes?: number;
  /** Bytes of a kept key: a longer key drops its entry (default 1 KiB). */
  maxKeyBytes?: number;
}

export const DEFAULT_PARSER_LIMITS: Required<ParserLimits> = { maxDepth: 512, maxEntries: 10_000, maxStringBytes: 64 * 1024, maxKeyBytes: 1024 };

/**
 * `true`: keep the whole value. An object selector keeps the listed keys (and `any` for every other
 * key); one with neither keeps a scalar as it is and an object or array as an empty one.
 */
export type Selector = true | ObjectSelector | ArraySelector;
export interface ObjectSelector {
  readonly fields?: ReadonlyMap<string, Selector>;
  readonly any?: Selector;
  /**
   * Hand each selected entry to this callback as soon as its value is complete, instead of storing
   * it in the object (which then stays empty). Lets a caller reduce large maps entry by entry while
   * the document streams. An exception thrown here aborts the parse.
   */
  readonly onEntry?: (key: string, value: unknown) => void;
  /** Asked for each key before its value is parsed: false skips the value unbuilt (counted as capped). */
  readonly wants?: (key: string) => boolean;
  /** Entries kept in this object (default: the parser's `maxEntries`). */
  readonly maxEntries?: number;
  /** Bytes kept of a string this selector selects (default: the parser's `maxStringBytes`). */
  readonly maxString?: number;
}
export interface ArraySelector {
  readonly items: Selector;
  readonly maxEntries?: number;
}

export class JsonSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

// states
const S_VALUE = 0; // expecting a value
const S_ARR_FIRST = 1; // after '[': a value or ']'
const S_OBJ_FIRST = 2; // after '{': a key or '}'
const S_OBJ_KEY = 3; // after ',' in an object: a key
const S_COLON = 4;
const S_AFTER = 5; // after a value: ',' or the container's end
const S_STRING = 6;
const S_NUMBER = 7;
const S_LITERAL = 8;
const S_DONE = 9;

// frame modes
const M_KEEP = 0; // materialise everything below
const M_SELECT = 1; // object: only selected keys; array: items per selector

const K_OBJ = 0;
const K_ARR = 1;

interface Frame {
  kind: number;
  mode: number;
  /** for M_SELECT objects */
  sel: ObjectSelector | undefined;
  /** for arrays: the items' selector (undefined: drop items) */
  items: Selector | undefined;
  container: Record<string, unknown> | unknown[];
  key: string;
  /** entries kept, the cap, entries left out */
  count: number;
  max: number;
  dropped: number;
}

const NUMBER_RE = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function isObjectSelector(s: Selector): s is ObjectSelector {
  return s !== true && !('items' in s);
}

export class SelectiveJsonParser {
  private state = S_VALUE;
  private readonly frames: Frame[] = [];
  /** container kinds of the skipped subtree we are in (empty: not skipping) */
  private readonly skip: number[] = [];
  /** selector for the next value; undefined: skip it */
  private valSel: Selector | undefined;
  private root: unknown = undefined;
  private offset = 0;

  // string state
  private strKey = false;
  private strKeep = false;
  private strEsc = false;
  private strHasEsc = false;
  private strParts: Buffer[] = [];
  private strBytes = 0;
  private strMax = 0;
  // number / literal state
  private numKeep = false;
  private numText = '';
  private litText = '';
  private litPos = 0;

  private readonly maxDepth: number;
  private readonly limits: Required<ParserLimits>;

  constructor(selector: Selector, limits: ParserLimits | number = {}) {
    this.valSel = selector;
    this.limits = { ...DEFAULT_PARSER_LIMITS, ...(typeof limits === 'number' ? { maxDepth: limits } : limits) };
    this.maxDepth = this.limits.maxDepth;
  }

  /** Bytes consumed so far. */
  get bytes(): number {
    return this.offset;
  }

  write(input: Uint8Array): void {
    const buf = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    const len = buf.length;
    let i = 0;
    // next '"' and '\' positions in this chunk (cached; len = none)
    let nq = -1;
    let nb = -1;
    while (i < len) {
      switch (this.state) {
        case S_STRING: {
          const start = i;
          let ended = false;
          for (;;) {
            if (this.strEsc) {
              if (i >= len) break;
              i++;
              this.strEsc = false;
              continue;
            }
            if (nq < i) {
              nq = buf.indexOf(0x22, i);
              if (nq < 0) nq = len;
            }
            if (nb < i) {
              nb = buf.indexOf(0x5c, i);
              if (nb < 0) nb = len;
            }
            if (nb < nq) {
              this.strHasEsc = true;
              i = nb + 1;
              if (i >= len) {
                this.strEsc = true;
                break;
              }
              i++;
              continue;
            }
            if (nq < len) {
              i = nq + 1;
              ended = true;
              break;
            }
            i = len;
            break;
          }
          if (!ended) {
            if (this.strKeep && i > start) this.keepPart(buf, start, i);
            break;
          }
          this.endString(buf, start, i - 1);
          break;
        }
        case S_NUMBER: {
          const start = i;
          while (i < len && isNumberByte(buf[i]!)) i++;
          if (this.numKeep) this.numText += buf.toString('latin1', start, i);
          if (i < len) this.endNumber();
          break;
        }
        case S_LITERAL: {
          while (i < len && this.litPos < this.litText.length) {
            if (buf[i] !== this.litText.charCodeAt(this.litPos)) this.fail(this.offset + i, buf[i]!);
            i++;
            this.litPos++;
          }
          if (this.litPos === this.litText.length) {
            const t = this.litText;
            this.complete(t === 'true' ? true : t === 'false' ? false : null, this.numKeep);
          }
          break;
        }
        default: {
          const c = buf[i]!;
          if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
            i++;
            break;
          }
          this.structural(c, this.offset + i);
          i++;
        }
      }
    }
    this.offset += len;
  }

  /** Ends the input and returns the root value (as selected). */
  end(): unknown {
    if (this.state === S_NUMBER) this.endNumber();
    if (this.state !== S_DONE) throw new JsonSyntaxError(`invalid JSON: unexpected end of input at byte ${this.offset}`);
    return this.root;
  }

  private fail(at: number, c: number): never {
    const shown = c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16)}`;
    throw new JsonSyntaxError(`invalid JSON: unexpected ${shown} at byte ${at}`);
  }

  private currentKind(): number {
    const s = this.skip;
    if (s.length > 0) return s[s.length - 1]!;
    const f = this.frames[this.frames.length - 1];
    return f ? f.kind : -1;
  }

  private structural(c: number, at: number): void {
    switch (this.state) {
      case S_ARR_FIRST:
        if (c === 0x5d) {
          this.close(K_ARR, at, c);
          return;
        }
        this.state = S_VALUE;
        this.startValue(c, at);
        return;
      case S_VALUE:
        this.startValue(c, at);
        return;
      case S_OBJ_FIRST:
      case S_OBJ_KEY:
        if (c === 0x7d && this.state === S_OBJ_FIRST) {
          this.close(K_OBJ, at, c);
          return;
        }
        if (c !== 0x22) this.fail(at, c);
        this.strKey = true;
        // a full object's keys are not even decoded: its remaining entries are skipped
        this.strKeep = this.skip.length === 0 && !this.full(this.frames[this.frames.length - 1]!);
        this.strMax = this.limits.maxKeyBytes;
        this.beginString();
        return;
      case S_COLON:
        if (c !== 0x3a) this.fail(at, c);
        this.state = S_VALUE;
        return;
      case S_AFTER: {
        const kind = this.currentKind();
        if (c === 0x2c) {
          if (kind === K_OBJ) this.state = S_OBJ_KEY;
          else if (kind === K_ARR) {
            this.state = S_VALUE;
            if (this.skip.length === 0) this.valSel = this.frames[this.frames.length - 1]!.items;
          } else this.fail(at, c);
          return;
        }
        if (c === 0x7d) this.close(K_OBJ, at, c);
        else if (c === 0x5d) this.close(K_ARR, at, c);
        else this.fail(at, c);
        return;
      }
      default:
        // S_DONE: only whitespace may follow
        this.fail(at, c);
    }
  }

  private depth(): number {
    return this.frames.length + this.skip.length;
  }

  private full(f: Frame): boolean {
    return f.count >= f.max;
  }

  private startValue(c: number, at: number): void {
    let sel = this.skip.length > 0 ? undefined : this.valSel;
    const top = this.skip.length > 0 ? undefined : this.frames[this.frames.length - 1];
    if (sel !== undefined && top?.kind === K_ARR && this.full(top)) {
      sel = undefined;
      top.dropped++;
    }
    const keep = sel !== undefined;
    if (c === 0x7b || c === 0x5b) {
      if (this.depth() >= this.maxDepth) throw new JsonSyntaxError(`invalid JSON: nesting deeper than ${this.maxDepth} at byte ${at}`);
      const kind = c === 0x7b ? K_OBJ : K_ARR;
      if (sel === undefined) {
        this.skip.push(kind);
      } else if (kind === K_OBJ) {
        // an array selector meeting an object keeps an empty object (the schema then reports the type)
        const objSel = sel === true ? undefined : isObjectSelector(sel) ? sel : EMPTY_SELECTOR;
        const max = objSel?.maxEntries ?? this.limits.maxEntries;
        this.frames.push({
          kind,
          mode: sel === true ? M_KEEP : M_SELECT,
          sel: objSel,
          items: undefined,
          container: Object.create(null) as Record<string, unknown>,
          key: '',
          count: 0,
          max,
          dropped: 0,
        });
      } else {
        // an object selector meeting an array keeps an empty array
        const items = sel === true ? true : isObjectSelector(sel) ? undefined : sel.items;
        const max = sel !== true && !isObjectSelector(sel) ? (sel.maxEntries ?? this.limits.maxEntries) : this.limits.maxEntries;
        this.frames.push({ kind, mode: sel === true ? M_KEEP : M_SELECT, sel: undefined, items, container: [], key: '', count: 0, max, dropped: 0 });
        this.valSel = items;
      }
      this.state = kind === K_OBJ ? S_OBJ_FIRST : S_ARR_FIRST;
      return;
    }
    if (c === 0x22) {
      this.strKey = false;
      this.strKeep = keep;
      this.strMax = sel === undefined || sel === true || !isObjectSelector(sel) ? this.limits.maxStringBytes : (sel.maxString ?? this.limits.maxStringBytes);
      this.beginString();
      return;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      this.numKeep = keep;
      this.numText = keep ? String.fromCharCode(c) : '';
      this.state = S_NUMBER;
      return;
    }
    const lit = c === 0x74 ? 'true' : c === 0x66 ? 'false' : c === 0x6e ? 'null' : undefined;
    if (lit === undefined) this.fail(at, c);
    this.litText = lit;
    this.litPos = 1;
    this.numKeep = keep;
    this.state = S_LITERAL;
  }

  private beginString(): void {
    this.state = S_STRING;
    this.strEsc = false;
    this.strHasEsc = false;
    this.strBytes = 0;
  }

  /** Keeps bytes [s, e) of the current string, up to its cap (the rest is only counted). */
  private keepPart(buf: Buffer, s: number, e: number): void {
    const room = this.strMax - this.strBytes;
    this.strBytes += e - s;
    if (room > 0) this.strParts.push(buf.subarray(s, Math.min(e, s + room)));
  }

  /** The string's last bytes are buf[s, e) (earlier ones, if it spans chunks, are in strParts). */
  private endString(buf: Buffer, s: number, e: number): void {
    let value: string | TruncatedString | undefined;
    if (this.strKeep) {
      const at = this.offset + e;
      this.keepPart(buf, s, e);
      const parts = this.strParts;
      const raw = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      parts.length = 0;
      if (this.strBytes > this.strMax) value = this.strKey ? undefined : new TruncatedString(decodeHead(raw, this.strHasEsc), this.strBytes);
      else value = decodeString(raw, this.strHasEsc, at);
    }
    if (this.strKey) {
      if (this.skip.length === 0) this.selectKey(value as string | undefined);
      this.state = S_COLON;
      return;
    }
    this.complete(value, this.strKeep);
  }

  /** A key was read (undefined: its object is full, or the key is over its cap): choose the selector for its value. */
  private selectKey(key: string | undefined): void {
    const f = this.frames[this.frames.length - 1]!;
    if (key === undefined) {
      f.dropped++;
      this.valSel = undefined;
      return;
    }
    f.key = key;
    let next = f.mode === M_KEEP ? true : (f.sel!.fields?.get(key) ?? f.sel!.any);
    if (next !== undefined && f.sel?.wants && !f.sel.wants(key)) {
      next = undefined;
      f.dropped++;
    }
    this.valSel = next;
  }

  private endNumber(): void {
    if (this.numKeep) {
      const t = this.numText;
      if (!NUMBER_RE.test(t)) throw new JsonSyntaxError(`invalid JSON: bad number near byte ${this.offset}`);
      this.complete(Number(t), true);
    } else {
      this.complete(undefined, false);
    }
  }

  private close(kind: number, at: number, c: number): void {
    if (this.skip.length > 0) {
      if (this.skip[this.skip.length - 1] !== kind) this.fail(at, c);
      this.skip.pop();
      this.complete(undefined, false);
      return;
    }
    const f = this.frames[this.frames.length - 1];
    if (!f || f.kind !== kind) this.fail(at, c);
    this.frames.pop();
    if (f.dropped > 0) Object.defineProperty(f.container, CAPPED, { value: f.dropped });
    this.complete(f.container, true);
  }

  /** A value ended: attach it to its parent (when kept) and move on. */
  private complete(value: unknown, kept: boolean): void {
    if (this.skip.length > 0) {
      this.state = S_AFTER;
      return;
    }
    const f = this.frames[this.frames.length - 1];
    if (!f) {
      this.root = kept ? value : undefined;
      this.state = S_DONE;
      return;
    }
    if (kept) {
      f.count++;
      if (f.kind === K_ARR) (f.container as unknown[]).push(value);
      else if (f.sel?.onEntry) f.sel.onEntry(f.key, value);
      else (f.container as Record<string, unknown>)[f.key] = value;
    }
    this.state = S_AFTER;
  }
}

const EMPTY_SELECTOR: ObjectSelector = {};

function isNumberByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
}

function decodeString(raw: Buffer, hasEsc: boolean, at: number): string {
  const text = raw.toString('utf8');
  if (!hasEsc && !hasControl(raw, 0, raw.length)) return text;
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    throw new JsonSyntaxError(`invalid JSON: bad string ending at byte ${at}`);
  }
}

/** The head of a string cut at its cap: escapes decoded where they are whole (an escape cut in two is dropped). */
function decodeHead(raw: Buffer, hasEsc: boolean): string {
  let text = raw.toString('utf8');
  if (!hasEsc && !hasControl(raw, 0, raw.length)) return text;
  for (let tries = 0; tries < 3; tries++) {
    try {
      return JSON.parse(`"${text}"`) as string;
    } catch {
      const cut = text.lastIndexOf('\\');
      if (cut < 0) break;
      text = text.slice(0, cut);
    }
  }
  return '';
}

function hasControl(b: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (b[i]! < 0x20) return true;
  return false;
}

/** Convenience: parse a whole buffer or string with a selector. */
export function parseSelected(text: string | Uint8Array, selector: Selector): unknown {
  const p = new SelectiveJsonParser(selector);
  p.write(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
  return p.end();
}
