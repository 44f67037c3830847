/**
 * Seeded random TOML documents for the differential tests of the TOML reader: a random value tree
 * (the expected result) written in randomly chosen TOML styles (basic, literal and multi-line
 * strings, integers in every base with underscores, floats, date-times, multi-line arrays with
 * comments and trailing commas, inline tables, dotted keys, `[tables]`, `[[arrays of tables]]`),
 * independently of the reader under test. The writer also records the line of every header.
 */
import { Rng } from './property-gen.js';

export type GenValue =
  | { t: 'str'; v: string }
  | { t: 'int'; v: bigint }
  | { t: 'float'; v: number; text: string }
  | { t: 'bool'; v: boolean }
  | { t: 'dt'; text: string; kind: 'offset-date-time' | 'local-date-time' | 'local-date' | 'local-time' }
  | { t: 'arr'; v: GenValue[] }
  | { t: 'aot'; v: GenTable[] }
  | GenTable;

export interface GenTable {
  t: 'tab';
  v: Map<string, GenValue>;
}

const KEY_POOL = [
  'a',
  'b',
  'name',
  'version',
  'k-1',
  'k_2',
  '123',
  'A',
  'dot.ted',
  'with space',
  'é',
  'tab\there',
  'q"uote',
  "apo'strophe",
  '',
  'back\\slash',
  'nl\nkey',
  '😀',
  'true',
  'inf',
  '1.2',
];
const CHARS = ['a', 'b', 'z', 'Z', '0', ' ', ' ', '"', "'", '\\', '\t', '\n', 'é', '😀', '\u0001', '\u007f', '#', '=', '[', '{', ',', '.', '\r', '\u00a0'];

function genString(r: Rng): string {
  let s = '';
  const n = r.int(0, 12);
  for (let i = 0; i < n; i++) s += r.pick(CHARS);
  return s;
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

function genScalar(r: Rng): GenValue {
  switch (r.int(0, 5)) {
    case 0:
    case 1:
      return { t: 'str', v: genString(r) };
    case 2: {
      const big = r.chance(0.2);
      const mag = big ? BigInt(Math.floor(r.next() * 2 ** 53)) * BigInt(r.int(1, 1023)) : BigInt(r.int(0, 100000));
      let v = r.chance(0.3) ? -mag : mag;
      if (v > 9223372036854775807n) v = 9223372036854775807n;
      return { t: 'int', v };
    }
    case 3: {
      const special = r.int(0, 9);
      if (special === 0) return { t: 'float', v: Infinity, text: r.pick(['inf', '+inf']) };
      if (special === 1) return { t: 'float', v: -Infinity, text: '-inf' };
      if (special === 2) return { t: 'float', v: NaN, text: r.pick(['nan', '+nan', '-nan']) };
      const sign = r.pick(['', '-', '+']);
      const int = r.chance(0.3)
        ? '0'
        : String(r.int(1, 99999))
            .split('')
            .join(r.chance(0.3) ? '_' : '');
      const frac = r.chance(0.7) ? `.${String(r.int(0, 9999)).padStart(r.int(1, 4), '0')}` : '';
      const exp = frac === '' || r.chance(0.3) ? `${r.pick(['e', 'E'])}${r.pick(['', '-', '+'])}${r.int(0, 30)}` : '';
      const text = `${sign}${int}${frac}${exp}`;
      return { t: 'float', v: Number(text.replace(/_/g, '')), text };
    }
    case 4:
      return { t: 'bool', v: r.chance(0.5) };
    default: {
      const y = r.int(1, 9999);
      const mo = r.int(1, 12);
      const d = r.int(1, 28);
      const date = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}`;
      const time = `${pad(r.int(0, 23), 2)}:${pad(r.int(0, 59), 2)}:${pad(r.int(0, 59), 2)}${r.chance(0.4) ? `.${pad(r.int(0, 999), 3)}` : ''}`;
      const kind = r.int(0, 3);
      if (kind === 0) return { t: 'dt', kind: 'local-date', text: date };
      if (kind === 1) return { t: 'dt', kind: 'local-time', text: time };
      const sep = r.pick(['T', 't', ' ']);
      if (kind === 2) return { t: 'dt', kind: 'local-date-time', text: `${date}${sep}${time}` };
      const off = r.pick(['Z', 'z', `+${pad(r.int(0, 23), 2)}:${pad(r.int(0, 59), 2)}`, `-${pad(r.int(0, 23), 2)}:${pad(r.int(0, 59), 2)}`]);
      return { t: 'dt', kind: 'offset-date-time', text: `${date}${sep}${time}${off}` };
    }
  }
}

function genValue(r: Rng, depth: number): GenValue {
  const roll = r.next();
  if (depth >= 4 || roll < 0.6) return genScalar(r);
  if (roll < 0.75) {
    const v: GenValue[] = [];
    const n = r.int(0, 4);
    for (let i = 0; i < n; i++) v.push(genValue(r, depth + 1));
    return { t: 'arr', v };
  }
  if (roll < 0.9) return genTable(r, depth + 1);
  const v: GenTable[] = [];
  const n = r.int(1, 3);
  for (let i = 0; i < n; i++) v.push(genTable(r, depth + 1));
  return { t: 'aot', v };
}

export function genTable(r: Rng, depth: number): GenTable {
  const v = new Map<string, GenValue>();
  const n = r.int(0, depth === 0 ? 8 : 4);
  for (let i = 0; i < n; i++) {
    const key = r.chance(0.7) ? r.pick(KEY_POOL) : `k${r.int(0, 50)}`;
    if (!v.has(key)) v.set(key, genValue(r, depth));
  }
  return { t: 'tab', v };
}

// --- writer ---

function escapeBasic(s: string, multiline: boolean): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += multiline ? '\n' : '\\n';
    else if (ch === '\t') out += '\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else if (c > 0xffff && multiline) out += `\\U${c.toString(16).padStart(8, '0')}`;
    else out += ch;
  }
  return out;
}

function writeString(r: Rng, s: string, asKey: boolean): string {
  const controls = /[\u0000-\u0008\u000a-\u001f\u007f]/.test(s);
  if (!s.includes("'") && !controls && r.chance(0.3)) return `'${s}'`;
  if (!asKey && r.chance(0.25)) {
    if (!s.includes("'") && !/[\u0000-\u0008\u000b-\u001f\u007f\r]/.test(s) && r.chance(0.5)) return `'''\n${s}'''`;
    return `"""\n${escapeBasic(s, true)}"""`;
  }
  return `"${escapeBasic(s, false)}"`;
}

function writeKey(r: Rng, k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) && r.chance(0.9) ? k : writeString(r, k, true);
}

function withUnderscores(r: Rng, digits: string): string {
  if (digits.length < 2 || !r.chance(0.3)) return digits;
  return digits.split('').join('_');
}

function writeInt(r: Rng, v: bigint): string {
  if (v >= 0n && r.chance(0.3)) {
    const base = r.pick([16, 8, 2] as const);
    const prefix = base === 16 ? '0x' : base === 8 ? '0o' : '0b';
    let digits = v.toString(base);
    if (base === 16 && r.chance(0.5)) digits = digits.toUpperCase();
    if (r.chance(0.2)) digits = `0${digits}`; // leading zeros are allowed after a base prefix
    return prefix + withUnderscores(r, digits);
  }
  const sign = v < 0n ? '-' : r.chance(0.1) ? '+' : '';
  return sign + withUnderscores(r, (v < 0n ? -v : v).toString());
}

interface Out {
  lines: string[];
  /** lines written so far (an entry may hold several: multi-line strings and arrays) */
  count: number;
  /** line of every header: `path (index)` → line */
  headers: Map<string, number>;
}

function writeInline(r: Rng, v: GenValue, out: Out): string {
  switch (v.t) {
    case 'str':
      return writeString(r, v.v, false);
    case 'int':
      return writeInt(r, v.v);
    case 'float':
      return v.text;
    case 'bool':
      return String(v.v);
    case 'dt':
      return v.text;
    case 'arr':
    case 'aot': {
      const items = v.t === 'arr' ? v.v.map((x) => writeInline(r, x, out)) : v.v.map((x) => writeInline(r, x, out));
      if (items.length > 0 && r.chance(0.4)) {
        // multi-line, with comments and maybe a trailing comma
        return `[\n${items.map((x, i) => `  ${x}${i < items.length - 1 || r.chance(0.5) ? ',' : ''}${r.chance(0.3) ? ' # note' : ''}\n`).join('')}]`;
      }
      return `[${items.join(r.pick([', ', ',']))}${items.length > 0 && r.chance(0.2) ? ',' : ''}]`;
    }
    case 'tab': {
      const parts = [...v.v].map(([k, x]) => `${writeKey(r, k)} = ${writeInline(r, x, out)}`);
      return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
    }
  }
}

function push(out: Out, line: string): void {
  out.lines.push(line);
  out.count += 1 + (line.match(/\n/g)?.length ?? 0);
}

function keyPath(path: readonly string[], r: Rng): string {
  return path.map((k) => writeKey(r, k)).join(r.pick(['.', ' . ']));
}

/** Writes `key = value` lines for the leaves of `t` as dotted keys under `prefix`. */
function writeDotted(r: Rng, prefix: string[], t: GenTable, out: Out): void {
  for (const [k, x] of t.v) {
    const path = [...prefix, k];
    if (x.t === 'tab' && x.v.size > 0 && r.chance(0.6)) writeDotted(r, path, x, out);
    else push(out, `${keyPath(path, r)} = ${writeInline(r, x, out)}`);
  }
}

function writeSection(r: Rng, path: string[], t: GenTable, out: Out): void {
  const later: Array<[string, GenValue]> = [];
  for (const [k, x] of t.v) {
    if ((x.t === 'tab' || x.t === 'aot') && r.chance(0.6)) {
      later.push([k, x]);
      continue;
    }
    if (x.t === 'tab' && x.v.size > 0 && r.chance(0.4)) {
      writeDotted(r, [k], x, out);
      continue;
    }
    push(out, `${writeKey(r, k)} = ${writeInline(r, x, out)}${r.chance(0.1) ? ' # comment' : ''}`);
  }
  for (const [k, x] of later) {
    const sub = [...path, k];
    if (x.t === 'tab') {
      push(out, '');
      push(out, `[${keyPath(sub, r)}]`);
      out.headers.set(JSON.stringify(sub), out.count);
      writeSection(r, sub, x, out);
    } else if (x.t === 'aot') {
      x.v.forEach((el, i) => {
        push(out, `[[${keyPath(sub, r)}]]${r.chance(0.2) ? ' # element' : ''}`);
        out.headers.set(`${JSON.stringify(sub)}[${i}]`, out.count);
        writeSection(r, sub, el, out);
      });
    }
  }
}

/** A random document for `seed`: its expected value, its text, and the line of each header. */
export function genDocument(seed: number): { value: GenTable; text: string; headers: Map<string, number> } {
  const r = new Rng(seed);
  const value = genTable(r, 0);
  const out: Out = { lines: [], count: 0, headers: new Map() };
  if (r.chance(0.3)) push(out, '# generated');
  writeSection(r, [], value, out);
  const eol = r.chance(0.2) ? '\r\n' : '\n';
  return { value, text: out.lines.join(eol) + (r.chance(0.8) ? eol : ''), headers: out.headers };
}
