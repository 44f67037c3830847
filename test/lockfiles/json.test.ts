import { EOF, JsonScanner } from '../../src/lockfiles/readers/json.js';
import { lockfileError } from './helpers.js';

function scan(text: string, maxDepth = 128): JsonScanner {
  const s = new JsonScanner(text, 'f.json', maxDepth);
  s.skipValue(s.ws());
  s.end();
  return s;
}

describe('JsonScanner', () => {
  it.each([
    '{}',
    '[]',
    '{"a":[1,-2,3.5,-0.25e+10,1E-3,0,-0],"b":{"c":null,"d":true,"e":false},"f":"x\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9"}',
    ' \t\r\n[ "a" , { } , [ ] ]\r\n',
    '"just a string"',
    '12',
  ])('accepts valid JSON %#', (t) => {
    expect(() => JSON.parse(t)).not.toThrow();
    expect(() => scan(t)).not.toThrow();
  });

  it.each([
    ['{"a":1,}', 1, 8],
    ['[1,]', 1, 4],
    ['{"a" 1}', 1, 6],
    ['{"a":01}', 1, 7],
    ['{"a":1.}', 1, 8],
    ['{"a":-}', 1, 7],
    ['{"a":1e}', 1, 8],
    ['{"a":tru}', 1, 6],
    ['{"a":"\\x"}', 1, 7],
    ['{"a":"\\u12G4"}', 1, 7],
    ['{"a":"tab\there"}', 1, 10],
    ['{\n  "a": "line\nbreak"}', 2, 13],
    ["{'a':1}", 1, 2],
    ['{"a":1} x', 1, 9],
    ['{"a":1}{}', 1, 8],
    ['[1 2]', 1, 4],
    ['{"a":NaN}', 1, 6],
  ])('refuses %j at line %i column %i', (t, line, column) => {
    expect(() => JSON.parse(t)).toThrow();
    const e = lockfileError(() => scan(t));
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.file).toBe('f.json');
  });

  it('reports truncation at the end of input', () => {
    const e = lockfileError(() => scan('{\n  "a": [1, 2'));
    expect(e.message).toContain('unexpected end of input');
    expect(e.line).toBe(2);
    expect(lockfileError(() => scan('{"a": "abc')).message).toContain('unterminated string');
    expect(lockfileError(() => scan('{"a": "abc\\u00')).message).toContain('unterminated string');
  });

  it('counts lines in whitespace (LF and CRLF)', () => {
    const s = new JsonScanner('\r\n\n  \r\n  {', 'f', 8);
    expect(s.ws()).toBe(0x7b);
    expect(s.line).toBe(4);
    expect(s.column()).toBe(3);
    const t = new JsonScanner('  ', 'f', 8);
    expect(t.ws()).toBe(EOF);
  });

  it('decodes strings like JSON.parse', () => {
    const raw = '"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u0041\\ud83d\\ude00 plain"';
    const s = new JsonScanner(raw, 'f', 8);
    s.ws();
    expect(s.readString()).toBe(JSON.parse(raw));
    const n = new JsonScanner('-12.5e2', 'f', 8);
    expect(n.readNumber()).toBe(-1250);
  });

  it('reads object keys only, validating the values', () => {
    const s = new JsonScanner('{"a": {"x": [1]}, "b": "2", "a": 3}', 'f', 8);
    s.ws();
    expect(s.readKeys()).toEqual(['a', 'b', 'a']);
    const bad = new JsonScanner('{"a": [1,}', 'f', 8);
    bad.ws();
    expect(() => bad.readKeys()).toThrow(/unexpected/);
  });

  it('enforces the depth limit on objects and arrays', () => {
    expect(() => scan('[[[[1]]]]', 4)).not.toThrow();
    expect(lockfileError(() => scan('[[[[[1]]]]]', 4)).message).toContain('nesting deeper than 4 levels');
    expect(lockfileError(() => scan('{"a":{"b":{"c":{"d":{}}}}}', 4)).column).toBe(21);
  });
});
