import { JsonSyntaxError, SelectiveJsonParser, TruncatedString, droppedEntries, parseSelected, type Selector } from '../../src/readers/json-select.js';

/** Feeds `text` in chunks of the given sizes (cycling), to exercise every chunk boundary. */
function parseChunked(text: string, selector: Selector, sizes: number[]): unknown {
  const buf = Buffer.from(text, 'utf8');
  const p = new SelectiveJsonParser(selector);
  let i = 0;
  let k = 0;
  while (i < buf.length) {
    const n = sizes[k++ % sizes.length]!;
    p.write(buf.subarray(i, i + n));
    i += n;
  }
  return p.end();
}

/** Plain-object copy so toEqual compares values, not prototypes. */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

const TRICKY = {
  s: 'quote " backslash \\ slash / tab \t newline \n unicode é 漢字 😀 \u0001',
  esc: '\\"\\\\',
  n: [0, -1, 1.5, -2.5e10, 1e-7, 123456789012],
  b: [true, false, null],
  nested: { a: [{ b: [[], {}, [1, [2, [3]]]] }], empty: '' },
  'key with "quotes"': 'v',
};

describe('SelectiveJsonParser', () => {
  it('with selector true equals JSON.parse for every chunk size', () => {
    const text = JSON.stringify(TRICKY, null, 1);
    for (const sizes of [[1], [2], [3], [7], [1, 5, 2], [4096]]) {
      expect(plain(parseChunked(text, true, sizes))).toEqual(JSON.parse(text));
    }
  });

  it('keeps only selected keys and drops the rest', () => {
    const doc = {
      name: 'x',
      readme: 'long '.repeat(100),
      versions: { '1.0.0': { version: '1.0.0', big: { deep: [1, 2, { x: 'y' }] }, scripts: { test: 'jest', postinstall: 'node x' } } },
    };
    const selector: Selector = {
      fields: new Map<string, Selector>([
        ['name', true],
        [
          'versions',
          {
            any: {
              fields: new Map<string, Selector>([
                ['version', true],
                ['scripts', { fields: new Map([['postinstall', true as Selector]]) }],
              ]),
            },
          },
        ],
      ]),
    };
    for (const sizes of [[1], [3], [1000]]) {
      const out = parseChunked(JSON.stringify(doc), selector, sizes);
      expect(plain(out)).toEqual({ name: 'x', versions: { '1.0.0': { version: '1.0.0', scripts: { postinstall: 'node x' } } } });
    }
  });

  it('array selectors select inside items', () => {
    const selector: Selector = { fields: new Map<string, Selector>([['m', { items: { fields: new Map([['name', true as Selector]]) } }]]) };
    const out = parseSelected('{"m":[{"name":"a","email":"e"},{"name":"b","url":"u"}]}', selector);
    expect(plain(out)).toEqual({ m: [{ name: 'a' }, { name: 'b' }] });
  });

  it('keeps a type mismatch visible instead of guessing (object selector on an array, and on a string)', () => {
    const selector: Selector = {
      fields: new Map<string, Selector>([
        ['o', { fields: new Map([['a', true as Selector]]) }],
        ['p', { fields: new Map() }],
      ]),
    };
    const out = parseSelected('{"o":[1,2,3],"p":"str"}', selector) as Record<string, unknown>;
    expect(Array.isArray(out.o)).toBe(true);
    expect(out.o).toEqual([]);
    expect(out.p).toBe('str');
  });

  it('builds null-prototype objects: __proto__ and constructor keys are plain data', () => {
    const out = parseSelected('{"__proto__":{"polluted":true},"constructor":"c","a":{"__proto__":"x"}}', true) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect(Object.keys(out)).toEqual(['__proto__', 'constructor', 'a']);
    expect((out['__proto__'] as Record<string, unknown>).polluted).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(out.a as object)).toEqual(['__proto__']);
  });

  it('decodes escapes and multi-byte characters split across chunks', () => {
    const text = JSON.stringify({ k: 'a\\b"c\u00e9\u6f22\ud83d\ude00\n' });
    for (let size = 1; size <= 6; size++) expect(plain(parseChunked(text, true, [size]))).toEqual(JSON.parse(text));
  });

  it.each([
    ['{"a":1,}', /unexpected '}'/],
    ['{"a" 1}', /unexpected '1'/],
    ['[1 2]', /unexpected '2'/],
    ['{"a":[1}', /unexpected '}'/],
    ['{"a":tru}', /unexpected '}'/],
    ['{"a":1} x', /unexpected 'x'/],
    ['{"a":', /unexpected end/],
    ['{"a":"unterminated', /unexpected end/],
    ['{"a":01}', /bad number/],
    ['{"a":"bad \\x escape"}', /bad string/],
  ])('rejects malformed JSON %s', (text, message) => {
    expect(() => parseSelected(text, true)).toThrow(JsonSyntaxError);
    expect(() => parseSelected(text, true)).toThrow(message);
  });

  it('checks structure even inside skipped values', () => {
    const selector: Selector = { fields: new Map([['keep', true as Selector]]) };
    expect(() => parseSelected('{"skip":{"a":[1,2},"keep":1}', selector)).toThrow(JsonSyntaxError);
    expect(() => parseSelected('{"skip":[{"a":1]]}', selector)).toThrow(JsonSyntaxError);
    expect(plain(parseSelected('{"skip":{"a":[1,"]}\\"",{}]},"keep":1}', selector))).toEqual({ keep: 1 });
  });

  it('bounds nesting depth', () => {
    const deep = '['.repeat(600) + ']'.repeat(600);
    expect(() => parseSelected(deep, true)).toThrow(/nesting deeper than 512/);
  });

  it('reports byte offsets in errors', () => {
    expect(() => parseSelected('{"a": ?}', true)).toThrow(/at byte 6/);
  });
});

describe('SelectiveJsonParser against JSON.parse on generated documents', () => {
  // deterministic generator: same documents on every run
  function rng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const alphabet = ['a', 'Z', ' ', '"', '\\', '/', '\n', '\t', '\u0001', 'é', '漢', '😀', '{', '}', '[', ']', ',', ':'];
  function value(r: () => number, depth: number): unknown {
    const k = Math.floor(r() * (depth > 4 ? 4 : 7));
    if (k === 0) return (Math.floor(r() * 1e6) / (r() < 0.5 ? 1 : 1000)) * (r() < 0.3 ? -1 : 1);
    if (k === 1) return Array.from({ length: Math.floor(r() * 12) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
    if (k === 2) return r() < 0.5;
    if (k === 3) return null;
    if (k === 4 || k === 5) {
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(r() * 5); i > 0; i--) o[String(value(r, 99))] = value(r, depth + 1);
      return o;
    }
    return Array.from({ length: Math.floor(r() * 5) }, () => value(r, depth + 1));
  }

  it('round-trips 300 random documents under random chunkings', () => {
    const r = rng(7);
    for (let n = 0; n < 300; n++) {
      const doc = { root: value(r, 0), other: value(r, 0) };
      const text = JSON.stringify(doc, null, n % 3 === 0 ? 2 : undefined);
      const sizes = Array.from({ length: 3 }, () => 1 + Math.floor(r() * 17));
      expect(plain(parseChunked(text, true, sizes))).toEqual(JSON.parse(text));
      // selecting one key keeps exactly that key's value
      const only: Selector = { fields: new Map([['other', true as Selector]]) };
      expect(plain(parseChunked(text, only, sizes))).toEqual(doc.other === undefined ? {} : { other: JSON.parse(text).other });
    }
  });
});

describe('SelectiveJsonParser limits', () => {
  it('keeps at most maxEntries per container, skips the rest unbuilt and counts them under CAPPED', () => {
    const text = JSON.stringify({ m: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i])), a: [1, 2, 3, 4, 5] });
    for (const sizes of [[text.length], [1], [3, 7]]) {
      const out = parseChunked(
        text,
        {
          fields: new Map<string, Selector>([
            ['m', { any: {}, maxEntries: 4 }],
            ['a', { items: {}, maxEntries: 2 }],
          ]),
        },
        sizes,
      ) as Record<string, unknown>;
      expect(plain(out['m'])).toEqual({ k0: 0, k1: 1, k2: 2, k3: 3 });
      expect(droppedEntries(out['m'])).toBe(6);
      expect(out['a']).toEqual([1, 2]);
      expect(droppedEntries(out['a'])).toBe(3);
    }
  });

  it('a selector without fields keeps scalars, and objects or arrays only as empty ones', () => {
    const out = parseSelected('{"d":{"a":"1","b":{"deep":[1,2,3]},"c":[4]}}', { fields: new Map([['d', { any: {} }]]) }) as { d: Record<string, unknown> };
    expect(plain(out.d)).toEqual({ a: '1', b: {}, c: [] });
  });

  it('cuts a string over its cap to a TruncatedString with the full length, across chunks and escapes', () => {
    const long = `${'é'.repeat(10)}\\n${'x'.repeat(100)}`;
    const text = `{"s":"${long}","t":"short"}`;
    for (const sizes of [[text.length], [1], [5]]) {
      const out = parseChunked(
        text,
        {
          fields: new Map([
            ['s', { maxString: 16 }],
            ['t', { maxString: 16 }],
          ]),
        },
        sizes,
      ) as Record<string, unknown>;
      expect(out['s']).toBeInstanceOf(TruncatedString);
      expect((out['s'] as TruncatedString).head).toBe('é'.repeat(8));
      expect((out['s'] as TruncatedString).bytes).toBe(Buffer.byteLength(long));
      expect(out['t']).toBe('short');
    }
  });

  it('drops an entry whose key is over maxKeyBytes, and asks `wants` before parsing a value', () => {
    const seen: string[] = [];
    const wants = (k: string) => {
      seen.push(k);
      return k !== 'no';
    };
    const selector: Selector = { fields: new Map([['m', { any: true, wants }]]) };
    const p = new SelectiveJsonParser(selector, { maxKeyBytes: 8 });
    p.write(Buffer.from(`{"m":{"ok":1,"no":{"big":[1,2]},"${'k'.repeat(20)}":2}}`));
    const out = p.end() as { m: Record<string, unknown> };
    expect(plain(out.m)).toEqual({ ok: 1 });
    expect(seen).toEqual(['ok', 'no']);
    expect(droppedEntries(out.m)).toBe(2);
  });
});
