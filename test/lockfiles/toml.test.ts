/**
 * The TOML 1.0 reader (src/lockfiles/readers/toml.ts): values, line numbers, the spec's errors with
 * file:line:column, and hostile input.
 */
import { LockfileError } from '../../src/errors.js';
import { readToml, TomlDateTime, TomlTable, type TomlValue } from '../../src/lockfiles/readers/toml.js';
import { lockfileError } from './helpers.js';

const read = (text: string, maxDepth = 128): TomlTable => readToml('x.toml', text, 0, { maxDepth });

/** A plain JS value (null-prototype objects) for comparisons. */
function plain(v: TomlValue): unknown {
  if (v instanceof TomlTable) {
    const o: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [k, x] of v.map) o[k] = plain(x);
    return o;
  }
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof TomlDateTime) return `${v.kind}:${v.text}`;
  return v;
}
const obj = (text: string): Record<string, unknown> => ({ ...(plain(read(text)) as Record<string, unknown>) });

function refused(text: string, message: RegExp, line: number, column?: number): LockfileError {
  const e = lockfileError(() => read(text));
  expect(e.message).toMatch(message);
  expect(e.file).toBe('x.toml');
  expect(e.line).toBe(line);
  if (column !== undefined) expect(e.column).toBe(column);
  expect(e.message.startsWith(`x.toml:${line}:`)).toBe(true);
  return e;
}

describe('TOML reader: values', () => {
  it('reads basic strings with every escape, and literal strings as written', () => {
    const t = read(`${String.raw`a = "tab\tnl\nq\"bs\\b\bf\fr\ru\u00e9U\U0001F600"`}\nb = 'C:\\no\\escapes "here"'\nc = ""\nd = ''\n`);
    expect(t.get('a')).toBe('tab\tnl\nq"bs\\b\bf\fr\ru\u00e9U\u{1F600}');
    expect(t.get('b')).toBe('C:\\no\\escapes "here"');
    expect(t.get('c')).toBe('');
    expect(t.get('d')).toBe('');
  });

  it('reads multi-line strings: first line break trimmed, line-ending backslash, quotes next to the delimiter', () => {
    const t = read(
      'a = """\nline1\nline2"""\nb = """one \\\n    two \\\n\n   three"""\nc = """"quoted""""\nd = \'\'\'\nraw \\n\n\'\'\'\ne = \'\'\'\'\'it\'\'\'\'\'\nf = 1\n',
    );
    expect(t.get('a')).toBe('line1\nline2');
    expect(t.get('b')).toBe('one two three');
    expect(t.get('c')).toBe('"quoted"');
    expect(t.get('d')).toBe('raw \\n\n');
    expect(t.get('e')).toBe("''it''");
    // a quote on the next line is not part of the closing delimiter
    expect(read('x = """a"""\n"k" = 1\ny = \'\'\'b\'\'\'\n\'j\' = 2\n').get('x')).toBe('a');
    // lines keep counting through multi-line strings
    expect(t.lineOf('f')).toBe(13);
  });

  it('reads integers in every base with underscores, floats, inf and nan, booleans', () => {
    const t = read(
      'a = +99\nb = -17\nc = 1_000\nd = 0xDEAD_beef\ne = 0o755\nf = 0b1101\ng = 9223372036854775807\nh = -9223372036854775808\ni = 3.14\nj = -0.01e-2\nk = 5e+22\nl = 1_0.2_5\nm = -inf\nn = nan\no = true\np = false\nq = 0\n',
    );
    expect([t.get('a'), t.get('b'), t.get('c'), t.get('d'), t.get('e'), t.get('f')]).toEqual([99, -17, 1000, 0xdeadbeef, 0o755, 13]);
    expect(t.get('g')).toBe(9223372036854775807n);
    expect(t.get('h')).toBe(-9223372036854775808n);
    expect([t.get('i'), t.get('j'), t.get('k'), t.get('l'), t.get('m')]).toEqual([3.14, -0.01e-2, 5e22, 10.25, -Infinity]);
    expect(t.get('n')).toBeNaN();
    expect([t.get('o'), t.get('p'), t.get('q')]).toEqual([true, false, 0]);
  });

  it('keeps date-times as their text, with their kind', () => {
    expect(
      obj(
        'a = 1979-05-27T07:32:00Z\nb = 1979-05-27 00:32:00.999999-07:00\nc = 1979-05-27T07:32:00\nd = 1979-05-27\ne = 00:32:00.5\nf = 2024-02-29t23:59:60z\n',
      ),
    ).toEqual({
      a: 'offset-date-time:1979-05-27T07:32:00Z',
      b: 'offset-date-time:1979-05-27 00:32:00.999999-07:00',
      c: 'local-date-time:1979-05-27T07:32:00',
      d: 'local-date:1979-05-27',
      e: 'local-time:00:32:00.5',
      f: 'offset-date-time:2024-02-29t23:59:60z',
    });
  });

  it('reads arrays over several lines with comments and trailing commas, and nested inline tables', () => {
    const t = read('a = [\n  1, # one\n  [2, "x"],\n  { b = { c = [] } },\n]\nd = []\n');
    expect(plain(t.get('a')!)).toEqual([1, [2, 'x'], Object.assign(Object.create(null), { b: Object.assign(Object.create(null), { c: [] }) })]);
    expect(t.get('d')).toEqual([]);
  });

  it('reads dotted keys, quoted keys, [tables] and [[arrays of tables]] into one tree', () => {
    const t = read(
      [
        'title = "x"',
        'site."google.com" = true',
        '3.14 = "pi"',
        "'' = 'empty'",
        '[a.b]',
        'c = 1',
        '[a]',
        'd = 2',
        '[ a . "e f" ]',
        '[[fruit]]',
        'name = "apple"',
        '[fruit.physical]',
        'color = "red"',
        '[[fruit.variety]]',
        'name = "red delicious"',
        '[[fruit]]',
        'name = "banana"',
      ].join('\n'),
    );
    expect(obj('x = 1')).toEqual({ x: 1 });
    const p = plain(t) as Record<string, Record<string, unknown>>;
    expect(p['site']!['google.com']).toBe(true);
    expect((p['3'] as Record<string, unknown>)['14']).toBe('pi');
    expect(p['']).toBe('empty');
    expect(p['a']!['d']).toBe(2);
    expect((p['a']!['b'] as Record<string, unknown>)['c']).toBe(1);
    expect(p['a']!['e f']).toBeDefined();
    const fruit = t.get('fruit') as TomlTable[];
    expect(fruit.map((f) => f.get('name'))).toEqual(['apple', 'banana']);
    expect((fruit[0]!.get('physical') as TomlTable).get('color')).toBe('red');
    expect((fruit[0]!.get('variety') as TomlTable[])[0]!.get('name')).toBe('red delicious');
  });

  it('treats __proto__ and constructor as plain keys', () => {
    const t = read('__proto__ = 1\nconstructor = { prototype = 2 }\n[__proto__x]\n[toString]\nvalueOf = 3\n');
    expect(t.get('__proto__')).toBe(1);
    expect((t.get('constructor') as TomlTable).get('prototype')).toBe(2);
    expect((t.get('toString') as TomlTable).get('valueOf')).toBe(3);
    expect(({} as Record<string, unknown>)['valueOf']).toBe(Object.prototype.valueOf);
    expect(Object.prototype).not.toHaveProperty('prototype');
  });

  it('accepts CRLF line ends everywhere, including in multi-line strings (kept as written)', () => {
    const t = read('a = 1\r\n[t]\r\nb = """x\r\ny"""\r\nc = [\r\n 1,\r\n]\r\n');
    expect(t.get('a')).toBe(1);
    expect((t.get('t') as TomlTable).get('b')).toBe('x\r\ny');
    expect((t.get('t') as TomlTable).lineOf('c')).toBe(5);
  });

  it('starts after a BOM when told to (the dispatcher passes start = 1)', () => {
    const t = readToml('x.toml', '\ufeffa = 1\n', 1, { maxDepth: 8 });
    expect(t.get('a')).toBe(1);
  });
});

describe('TOML reader: lines', () => {
  it('gives each table its header line and each key its own line', () => {
    const text = [
      '# comment',
      'top = 1',
      '',
      '[[package]]',
      'name = "a"',
      'deps = [',
      '  "x",',
      ']',
      'after = 2',
      '',
      '[package.extra]',
      'k = { a = 1, b = 2 }',
      '',
      '[[package]]',
      'name = "b"',
    ].join('\n');
    const t = read(text);
    expect(t.lineOf('top')).toBe(2);
    expect(t.lineOf('missing')).toBeUndefined();
    const pkgs = t.get('package') as TomlTable[];
    expect(pkgs.map((p) => p.line)).toEqual([4, 14]);
    expect(pkgs[0]!.lineOf('name')).toBe(5);
    expect(pkgs[0]!.lineOf('deps')).toBe(6);
    expect(pkgs[0]!.lineOf('after')).toBe(9);
    const extra = pkgs[0]!.get('extra') as TomlTable;
    expect(extra.line).toBe(11);
    expect(extra.lineOf('k')).toBe(12);
    expect((extra.get('k') as TomlTable).line).toBe(12);
    expect((extra.get('k') as TomlTable).lineOf('b')).toBe(12);
    expect(pkgs[1]!.lineOf('name')).toBe(15);
  });

  it('an implicitly created table takes the line of the header that defines it later', () => {
    const t = read('[a.b]\nx = 1\n\n[a]\ny = 2\n');
    expect((t.get('a') as TomlTable).line).toBe(4);
    expect(((t.get('a') as TomlTable).get('b') as TomlTable).line).toBe(1);
  });
});

describe('TOML reader: errors per the spec, with file:line:column', () => {
  it('duplicate keys, tables defined twice, redefinitions', () => {
    refused('a = 1\nb = 2\na = 3\n', /duplicate key "a"/, 3, 1);
    refused('[t]\nx = 1\n  x = 2\n', /duplicate key "x"/, 3, 3);
    refused('[t]\n[t]\n', /table \[t\] defined more than once/, 2, 1);
    refused('a.b = 1\na = 2\n', /key "a" is already a table/, 2, 1);
    refused('a = 1\na.b = 2\n', /already a value/, 2, 1);
    refused('[a]\nb.c = 1\n[a.b]\n', /defined more than once/, 3);
    refused('[a.b.c]\nz = 9\n[a]\nb.c.t = 1\n', /defined elsewhere/, 4);
    refused('a = {b = 1}\n[a.c]\n', /inline table is complete/, 2);
    refused('a = {b = 1}\na.c = 2\n', /inline table is complete/, 2);
    refused('a = [1]\n[[a]]\n', /already a static array/, 2);
    refused('[[a]]\n[a]\n', /already an array/, 2);
    refused('[a]\n[[a]]\n', /already a table/, 2);
    refused('x = { a = 1, a = 2 }\n', /duplicate key "a"/, 1, 14);
  });

  it('allowed by the spec: sub-tables of dotted tables, a parent defined after its child, dotted keys in one section', () => {
    expect(() => read('[fruit]\napple.color = "red"\napple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true\n')).not.toThrow();
    expect(() => read('[x.y.z.w]\n[x]\n')).not.toThrow();
    expect(() => read('a.b.c = 1\na.b.d = 2\na.e = 3\n')).not.toThrow();
    expect(() => read('x = { a.b = 1, a.c = 2 }\n')).not.toThrow();
  });

  it('strings: invalid escapes, control characters, unterminated, across lines', () => {
    refused('a = "bad \\q escape"\n', /invalid escape "\\q"/, 1, 10);
    refused('a = "\\uD800"\n', /not a Unicode scalar value/, 1);
    refused('a = "\\u12"\n', /invalid unicode escape/, 1);
    refused('x = 1\na = "no end\n', /unterminated string/, 2);
    refused("a = 'no end\n", /unterminated string/, 1);
    refused('a = "nul\u0000"\n', /control character/, 1, 9);
    refused('a = """x\u0007"""\n', /control character/, 1);
    refused('a = """never closed\n\n', /unterminated multi-line string/, 3);
    refused('a = """a\\ b"""\n', /invalid escape/, 1);
    // three quotes, two of content, three; then one too many
    expect(read('a = """"""""\n').get('a')).toBe('""');
    refused('a = """""""""\n', /expected a new line/, 1);
  });

  it('numbers and date-times outside the spec', () => {
    refused('a = 01\n', /invalid value "01"/, 1, 5);
    refused('a = 1__0\n', /invalid value/, 1);
    refused('a = 9223372036854775808\n', /64-bit/, 1);
    refused('a = 0x\n', /invalid integer/, 1);
    refused('a = .5\n', /invalid value/, 1);
    refused('a = 1.\n', /invalid value/, 1);
    refused('a = 2023-02-29\n', /invalid date/, 1);
    refused('a = 2023-13-01T00:00:00Z\n', /invalid date-time/, 1);
    refused('a = 1979-05-27T24:00:00\n', /invalid date-time/, 1);
    refused('a = 1979-05-27T07:32:00+24:00\n', /offset/, 1);
    refused('a = 07:32\n', /invalid value/, 1);
    refused('a = True\n', /invalid value/, 1);
  });

  it('structure: missing "=", text after a value, bare carriage return, multi-line inline tables, bad headers', () => {
    refused('a\n', /expected "="/, 1, 2);
    refused('a = 1 b = 2\n', /expected a new line/, 1, 7);
    refused('a = 1\rb = 2\n', /carriage return/, 1, 6);
    refused('a = {\n b = 1 }\n', /one line/, 1);
    refused('a = { b = 1, }\n', /trailing comma/, 1);
    refused('a = [1 2]\n', /expected "," or "]"/, 1, 8);
    refused('a = [1,\n', /unterminated array/, 2);
    refused('a = [,]\n', /expected a value/, 1);
    refused('[a\n', /expected "]"/, 1);
    refused('[[a]\n', /expected "]]"/, 1);
    refused('[]\n', /expected a key/, 1, 2);
    refused('[a] b = 1\n', /expected a new line/, 1);
    refused('"""k""" = 1\n', /multi-line string cannot be a key/, 1);
    refused('# ok\n# bad \u0001\n', /control character in a comment/, 2, 7);
    refused('a = 1\n= 2\n', /expected a key/, 2, 1);
    refused('k\u00e9 = 1\n', /expected "="/, 1);
  });
});

describe('TOML reader: hostile input', () => {
  it('limits nesting of arrays and inline tables, of headers and of dotted keys', () => {
    refused(`a = ${'['.repeat(200)}${']'.repeat(200)}\n`, /nesting deeper than 128 levels/, 1);
    refused(`a = ${'{b = '.repeat(200)}1${'}'.repeat(200)}\n`, /nesting deeper than 128 levels/, 1);
    refused(`[${Array.from({ length: 200 }, (_, i) => `k${i}`).join('.')}]\n`, /nesting deeper than 128 levels/, 1);
    refused(`${Array.from({ length: 200 }, (_, i) => `k${i}`).join('.')} = 1\n`, /nesting deeper than 128 levels/, 1);
    // the limits add up: a header 100 deep with values 100 deep is deeper than 128
    refused(`[${Array.from({ length: 100 }, (_, i) => `k${i}`).join('.')}]\na = ${'['.repeat(40)}${']'.repeat(40)}\n`, /nesting deeper/, 2);
    // a million nested brackets: refused at the limit, no stack overflow
    expect(() => read(`a = ${'['.repeat(1_000_000)}`)).toThrow(LockfileError);
    expect(plain(read(`a = ${'['.repeat(100)}${']'.repeat(100)}\n`).get('a')!)).toBeInstanceOf(Array);
  });

  it('reads huge strings and many keys in linear time', () => {
    const big = 'x'.repeat(5_000_000);
    const started = Date.now();
    expect(read(`a = "${big}"\nb = '${big}'\n`).get('b')).toHaveLength(5_000_000);
    const many = Array.from({ length: 100_000 }, (_, i) => `k${i} = ${i}`).join('\n');
    expect(read(many).size).toBe(100_000);
    const escapes = `a = "${'\\n'.repeat(500_000)}"\n`;
    expect((read(escapes).get('a') as string).length).toBe(500_000);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('an unterminated string at the end of a large file is reported at its line', () => {
    const text = `${'a0 = 1\n'.replace('a0', 'x')}${Array.from({ length: 1000 }, (_, i) => `k${i} = "v"`).join('\n')}\nbad = "open`;
    refused(text, /unterminated string/, 1002);
  });
});
