/**
 * The scanner reads a byte view of the text, four bytes at a time in strings and indentation:
 * every stop character at every offset within a 4-byte window, non-ASCII text, and a reused
 * buffer holding a longer earlier text must all behave like a character-by-character scan.
 */
import { EOF, JsonScanner, hashString, textBytes } from '../../src/lockfiles/readers/json.js';
import { lockfileError } from './helpers.js';

function scanner(text: string): JsonScanner {
  const s = new JsonScanner(text, 'f.json', 16);
  s.ws();
  return s;
}

describe('JsonScanner byte view', () => {
  it('reads strings whose end, escape or non-ASCII character falls at any offset', () => {
    const tails = ['', 'x', '\\"', '\\\\', '\\u0041', '\\n', 'é', '中', '😀', '\u2028'];
    for (let k = 0; k < 10; k++) {
      for (const tail of tails) {
        const raw = `"${'a'.repeat(k)}${tail}${'b'.repeat(k % 3)}"`;
        const s = scanner(`${raw} `);
        expect(s.readString()).toBe(JSON.parse(raw));
        expect(s.pos).toBe(raw.length);
        // skipping lands on the same place
        const t = scanner(`${raw} `);
        t.skipString();
        expect(t.pos).toBe(raw.length);
      }
    }
  });

  it('finds a raw control character at any offset, with its column', () => {
    for (let k = 0; k < 10; k++) {
      for (const ctl of ['\u0000', '\u0001', '\t', '\u001f']) {
        const text = `["${'a'.repeat(k)}${ctl}b"]`;
        expect(() => JSON.parse(text)).toThrow();
        const s = new JsonScanner(text, 'f.json', 16);
        const e = lockfileError(() => s.skipValue(s.ws()));
        expect(e.message).toContain('invalid control character');
        expect(e.column).toBe(k + 3);
      }
    }
  });

  it('reports a string cut by the end of the input at any length', () => {
    for (let k = 0; k < 10; k++) {
      const e = lockfileError(() => scanner(`"${'a'.repeat(k)}`).readString());
      expect(e.message).toContain('unterminated string');
      expect(e.column).toBe(1);
    }
  });

  it('counts lines and columns across runs of spaces of any length', () => {
    for (let k = 0; k < 12; k++) {
      const s = new JsonScanner(`{\n${' '.repeat(k)}"a":\r\n\t${' '.repeat(k)}1}`, 'f', 8);
      expect(s.ws()).toBe(0x7b);
      s.openObject();
      expect([s.line, s.column()]).toEqual([2, k + 1]);
      s.readString();
      expect(s.colon()).toBe(0x31);
      expect([s.line, s.column()]).toEqual([3, k + 2]);
    }
    expect(new JsonScanner('   ', 'f', 8).ws()).toBe(EOF);
  });

  it('names a non-ASCII character outside a string by itself', () => {
    const e = lockfileError(() => scanner('[1, é]').skipValue(0x5b));
    expect(e.message).toContain("unexpected 'é'");
  });

  it('hashes a name the same from the bytes and from its decoded string', () => {
    for (const raw of ['"lodash"', '"@scope/pkg"', '"\\u006codash"', '"é-pkg"', '""']) {
      const s = scanner(raw);
      const end = s.scanName();
      const value = JSON.parse(raw) as string;
      expect(s.hash).toBe(hashString(value));
      if (end < 0) expect(s.decoded).toBe(value);
      else expect(s.src.slice(1, end)).toBe(value);
      // escapes and non-ASCII characters are decoded, plain names are left in the text
      expect(end < 0).toBe(raw.includes('\\') || /[^\x00-\x7f]/.test(raw));
    }
  });

  it('maps the text to bytes: ASCII as is, anything else to one stand-in byte per UTF-16 unit', () => {
    const b = textBytes('a\u00e9\ud83d\ude00z');
    expect(Array.from(b.subarray(0, 5))).toEqual([0x61, 0x80, 0x80, 0x80, 0x7a]);
    expect(b.subarray(5).every((x) => x === 0)).toBe(true);
    // from `start` on only (a byte order mark before it)
    expect(Array.from(textBytes('\ufeff{}', 1).subarray(1, 3))).toEqual([0x7b, 0x7d]);
  });

  it('is not confused by a longer text left in a reused buffer', () => {
    const long = JsonScanner.reusing(`["${'x'.repeat(5000)}"]`, 'a', 8);
    long.skipValue(long.ws());
    long.release();
    const short = JsonScanner.reusing('["ab', 'b', 8);
    try {
      expect(lockfileError(() => short.skipValue(short.ws())).message).toContain('unterminated string');
    } finally {
      short.release();
    }
    const again = JsonScanner.reusing('  ', 'c', 8);
    expect(again.ws()).toBe(EOF);
    again.release();
  });
});
