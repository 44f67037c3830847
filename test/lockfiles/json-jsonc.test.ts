/**
 * The JSON scanner's JSONC mode (bun.lock): comments are whitespace, trailing commas are allowed;
 * the strict mode still refuses both, at the same line and column.
 */
import { CHAR, EOF, JsonScanner } from '../../src/lockfiles/readers/json.js';
import { lockfileError } from './helpers.js';

function scan(text: string, jsonc: boolean, maxDepth = 128): JsonScanner {
  const s = new JsonScanner(text, 'f.jsonc', maxDepth, 0, undefined, jsonc);
  s.skipValue(s.ws());
  s.end();
  return s;
}

/** Keys of the top-level object read with the array/element methods the bun parser uses. */
function topArray(text: string, jsonc: boolean): string[] {
  const s = JsonScanner.reusing(text, 'f.jsonc', 16, 0, jsonc);
  try {
    const out: string[] = [];
    if (s.ws() !== CHAR.LBRACKET) throw new Error('test input must be an array');
    let c = s.openArray();
    while (c !== CHAR.RBRACKET) {
      if (c === CHAR.QUOTE) out.push(s.readString());
      else s.skipValue(c);
      c = s.nextElement();
    }
    s.end();
    return out;
  } finally {
    s.release();
  }
}

describe('JsonScanner in JSONC mode', () => {
  it.each([
    ['// head\n{"a": 1}', '{"a":1}'],
    ['{"a": /* inline */ 1 /* after */}', '{"a":1}'],
    ['{"a": [1, 2,],}', '{"a":[1,2]}'],
    ['{"a": {"b": [], }, // x\n}', '{"a":{"b":[]}}'],
    ['[ 1, /* * / ** */ 2, ]', '[1,2]'],
    ['{"a": 1} // trailing comment at end of input', '{"a":1}'],
    ['{"a": 1} /* é ü */', '{"a":1}'],
  ])('accepts %j (what JSON.parse reads once comments and trailing commas go: %s)', (t, json) => {
    expect(() => JSON.parse(json)).not.toThrow();
    expect(() => scan(t, true)).not.toThrow();
    expect(() => scan(t, false)).toThrow();
  });

  it('does not start a comment at a marker inside a string', () => {
    const s = new JsonScanner('{"s": "// x /* y", "t": "*/"}', 'f', 8, 0, undefined, true);
    s.ws();
    const keys: string[] = [];
    s.readKeysInto(keys);
    s.end();
    expect(keys).toEqual(['s', 't']);
  });

  it('counts lines inside block comments and after line comments', () => {
    const s = new JsonScanner('// one\n/* two\n three\n four */ // still four\n  {', 'f', 8, 0, undefined, true);
    expect(s.ws()).toBe(CHAR.LBRACE);
    expect([s.line, s.column()]).toEqual([5, 3]);
  });

  it.each([
    ['{"a": 1, /* open\n\n', 1, 10, /unterminated comment/],
    ['{\n  "a": [1, 2]\n} /*', 3, 3, /unterminated comment/],
    ['{"a": 1 / 2}', 1, 9, /unexpected '\/' \(expected ',' or '}'\)/],
    ['{"a": 1,, }', 1, 9, /expected a string key or '}'/],
    ['[1,,]', 1, 4, /expected a value/],
    ['{,}', 1, 2, /expected a string key or '}'/],
    ['[,]', 1, 2, /unexpected ','/],
    ['{"a": 1} x', 1, 10, /after the end of the JSON value/],
  ])('refuses %j at line %i column %i', (t, line, column, message) => {
    const e = lockfileError(() => scan(t, true));
    expect([e.file, e.line, e.column]).toEqual(['f.jsonc', line, column]);
    expect(e.message).toMatch(message);
  });

  it('keeps the strict messages and positions for what JSONC would accept', () => {
    const comma = lockfileError(() => scan('{"a":1,}', false));
    expect([comma.line, comma.column]).toEqual([1, 8]);
    expect(comma.message).toMatch(/expected a string key\)/);
    const arr = lockfileError(() => scan('[1,\n]', false));
    expect([arr.line, arr.column]).toEqual([2, 1]);
    expect(arr.message).toMatch(/unexpected '\]' \(expected a value\)/);
    const comment = lockfileError(() => scan('{"a": // c\n1}', false));
    expect([comment.line, comment.column]).toEqual([1, 7]);
  });

  it('reads arrays element by element (openArray/nextElement), trailing commas only in JSONC', () => {
    expect(topArray('[]', false)).toEqual([]);
    expect(topArray('["a", 1, {"x": ["y"]}, "b"]', false)).toEqual(['a', 'b']);
    expect(topArray('[ "a", /* c */ "b", ]', true)).toEqual(['a', 'b']);
    expect(lockfileError(() => topArray('["a",]', false)).message).toMatch(/unexpected '\]' \(expected a value\)/);
    expect(lockfileError(() => topArray('["a" "b"]', true)).message).toMatch(/expected ',' or '\]'/);
    expect(lockfileError(() => topArray('["a",', true)).message).toMatch(/unexpected end of input/);
    expect(lockfileError(() => topArray('[', true)).message).toMatch(/unexpected end of input/);
  });

  it('appends keys with readKeysInto and closes objects with a trailing comma', () => {
    const s = new JsonScanner('{"a": {"x": 1, "y": [2,], }, "b": {}}', 'f', 8, 0, undefined, true);
    const out = ['kept'];
    expect(s.ws()).toBe(CHAR.LBRACE);
    expect(s.openObject()).toBe(CHAR.QUOTE);
    expect(s.readString()).toBe('a');
    expect(s.colon()).toBe(CHAR.LBRACE);
    s.readKeysInto(out);
    expect(s.nextMember()).toBe(true);
    expect(s.readString()).toBe('b');
    s.colon();
    s.readKeysInto(out);
    expect(s.nextMember()).toBe(false);
    expect(s.depth).toBe(0);
    expect(s.ws()).toBe(EOF);
    expect(out).toEqual(['kept', 'x', 'y']);
  });

  it('stays linear on long comment runs and keeps the depth limit', () => {
    const many = `[${'/**/'.repeat(200_000)}1${'//\n'.repeat(200_000)}]`;
    const t0 = performance.now();
    expect(() => scan(many, true)).not.toThrow();
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(lockfileError(() => scan('[/* */[/* */[[1]]]]', true, 3)).message).toMatch(/nesting deeper than 3 levels/);
  });
});
