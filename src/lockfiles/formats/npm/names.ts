/** npm lockfiles: package names interned as small integers straight from the text, and the pool of dependency name lists. */
import { CHAR, type JsonScanner, hashString } from '../../readers/json.js';
import { isPlainName } from './layout.js';

/**
 * Package names (folder names, dependency names) interned as small integers. A name read from the
 * text as a plain string (ASCII, no escape) is kept as its place in the text; any other as a string.
 */
export class Names {
  private slots: Int32Array; // id + 1; 0: empty
  private mask: number;
  private count = 0;
  /** Per id, four numbers: its hash, its offset in the text (-1: `strings` has it), its length, and 2 if it is {@link isPlainName}, 1 if not, 0 not known yet. */
  private info: Int32Array;
  /** Per id (set when the id is made; the array is made at its expected size, not grown by pushes). */
  private readonly strings: (string | undefined)[];

  /** `capacity`: a power of two, about the number of names expected (the table grows past half of it). */
  constructor(
    private readonly src: string,
    private readonly bytes: Uint8Array,
    capacity: number,
  ) {
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.info = new Int32Array(capacity * 2);
    this.strings = new Array<string | undefined>(capacity >> 1);
  }

  /** The id of the plain string `src[start, end)`, whose {@link hashString} is `h`. */
  ofRange(start: number, end: number, h: number): number {
    const b = this.bytes;
    const info = this.info;
    const len = end - start;
    let slot = h & this.mask;
    for (;;) {
      const v = this.slots[slot]!;
      if (v === 0) return this.add(slot, h, start, len, undefined);
      const id = v - 1;
      if (info[4 * id] === h && info[4 * id + 2] === len) {
        const at = info[4 * id + 1]!;
        let k = 0;
        if (at >= 0) while (k < len && b[at + k] === b[start + k]) k++;
        else {
          const str = this.strings[id]!;
          while (k < len && str.charCodeAt(k) === b[start + k]) k++;
        }
        if (k === len) return id;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  /** The id of `str`. */
  ofString(str: string, h = hashString(str)): number {
    let slot = h & this.mask;
    for (;;) {
      const v = this.slots[slot]!;
      if (v === 0) return this.add(slot, h, -1, str.length, str);
      const id = v - 1;
      if (this.info[4 * id] === h && this.info[4 * id + 2] === str.length && this.string(id) === str) return id;
      slot = (slot + 1) & this.mask;
    }
  }

  /** {@link isPlainName}, checked once per name. */
  isPlain(id: number): boolean {
    let v = this.info[4 * id + 3]!;
    if (v === 0) {
      v = isPlainName(this.string(id)) ? 2 : 1;
      this.info[4 * id + 3] = v;
    }
    return v === 2;
  }

  /** The name as a string (made once per name). */
  string(id: number): string {
    let s = this.strings[id];
    if (s === undefined) {
      const at = this.info[4 * id + 1]!;
      s = this.src.slice(at, at + this.info[4 * id + 2]!);
      this.strings[id] = s;
    }
    return s;
  }

  private add(slot: number, h: number, start: number, len: number, str: string | undefined): number {
    const id = this.count++;
    const info = this.info;
    info[4 * id] = h;
    info[4 * id + 1] = start;
    info[4 * id + 2] = len;
    this.strings[id] = str;
    this.slots[slot] = id + 1;
    if (2 * this.count > this.mask) this.grow();
    return id;
  }

  private grow(): void {
    const mask = this.mask * 2 + 1;
    const slots = new Int32Array(mask + 1);
    for (let id = 0; id < this.count; id++) {
      let slot = this.info[4 * id]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
    this.mask = mask;
    const info = new Int32Array((mask + 1) * 2);
    info.set(this.info);
    this.info = info;
  }
}

/** Reads a name (quote at `pos`) and interns it. */
export function readName(s: JsonScanner, names: Names): number {
  const start = s.pos + 1;
  const end = s.scanName();
  return end < 0 ? names.ofString(s.decoded, s.hash) : names.ofRange(start, end, s.hash);
}

/** Name ids of dependency lists, one after the other; a list is a range of it. */
export class Pool {
  ids: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.ids = new Int32Array(capacity);
  }

  push(id: number): void {
    if (this.length === this.ids.length) {
      const ids = new Int32Array(this.ids.length * 2);
      ids.set(this.ids);
      this.ids = ids;
    }
    this.ids[this.length++] = id;
  }
}

/** Reads the keys of an object whose `{` is at `pos` as name ids into the pool, validating (and dropping) the values. */
export function readNames(s: JsonScanner, names: Names, pool: Pool): void {
  if (s.openObject() === CHAR.RBRACE) return;
  do {
    pool.push(readName(s, names));
    s.skipValue(s.colon());
  } while (s.nextMember());
}
