/**
 * The TOML reader's shortcuts give what the general rules give: keys the Python lockfiles repeat
 * are shared constant strings (every other key, and every near miss, is read as written), and a
 * token shaped like a date goes straight to the date rules (numbers with a `-` are still numbers).
 */
import { parse as smolParse } from 'smol-toml';
import { readToml, TomlDateTime, TomlTable, type TomlValue } from '../../src/lockfiles/readers/toml.js';
import { lockfileError } from './helpers.js';

const read = (text: string): TomlTable => readToml('x.toml', text, 0, { maxDepth: 128 });

function plain(v: TomlValue): unknown {
  if (v instanceof TomlTable) return Object.fromEntries([...v.map].map(([k, x]) => [k, plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof TomlDateTime) return v.text;
  return v;
}

describe('TOML reader shortcuts', () => {
  it('common keys and their near misses, bare, quoted and dotted, in tables and inline tables', () => {
    const keys = [
      'name',
      'names',
      'nam',
      'Name',
      'hash',
      'hashes',
      'hashe',
      'url',
      'urls',
      'upload-time',
      'upload-times',
      'upload_time',
      'optional-dependencies',
      'optional-dependencie',
      'sha256',
      'sha512',
      'files',
      'file',
      'filename',
      'fil',
    ];
    const lines = keys.map((k, i) => `${k} = ${i}`);
    const text = `${lines.join('\n')}\n"name-x" = 1\n\n[t]\n${keys.map((k, i) => `${k}.${k} = "${i}"`).join('\n')}\n\n[[p]]\n${keys.map((k, i) => `i${i} = { ${k} = ${i}, 'lit' = 1 }`).join('\n')}\n`;
    const ours = plain(read(text));
    expect(ours).toEqual(smolParse(text));
    const doc = read(text);
    expect([...doc.map.keys()].slice(0, keys.length)).toEqual(keys);
    expect(doc.lineOf('upload-time')).toBe(keys.indexOf('upload-time') + 1);
    // a repeated common key is still a duplicate
    expect(lockfileError(() => read('name = 1\nname = 2\n')).message).toMatch(/^x\.toml:2:1: duplicate key "name"$/);
    expect(lockfileError(() => read('t = { hash = 1, hash = 2 }\n')).message).toMatch(/duplicate key "hash"/);
  });

  it('date-shaped tokens are dates; numbers with a minus are numbers; bad dates are refused', () => {
    const text = [
      'a = 2025-02-20T10:00:00Z',
      'b = 2025-02-20T10:00:00.123+01:30',
      'c = 1979-05-27',
      'd = 1979-05-27 07:32:00',
      'e = 1979-05-27T07:32:00',
      'f = 07:32:00',
      'g = -1234',
      'h = 1.0e-000000000000001',
      'i = 1234e-5',
      'j = -2024',
      'k = 1_000',
      '',
    ].join('\n');
    const ours = plain(read(text)) as Record<string, unknown>;
    const theirs = smolParse(text) as Record<string, unknown>;
    for (const k of ['g', 'h', 'i', 'j', 'k']) expect([k, ours[k]]).toEqual([k, theirs[k]]);
    expect(ours).toMatchObject({
      a: '2025-02-20T10:00:00Z',
      b: '2025-02-20T10:00:00.123+01:30',
      c: '1979-05-27',
      d: '1979-05-27 07:32:00',
      e: '1979-05-27T07:32:00',
      f: '07:32:00',
    });
    expect((read(text).get('a') as TomlDateTime).kind).toBe('offset-date-time');
    expect((read(text).get('c') as TomlDateTime).kind).toBe('local-date');
    for (const [bad, message] of [
      ['2025-13-01T00:00:00Z', /invalid date-time/],
      ['2025-02-30', /invalid date/],
      ['2025-02-20T25:00:00Z', /invalid date-time/],
      ['2025-02-20X', /invalid value/],
      ['2025-02', /invalid value/],
    ] as const) {
      expect(lockfileError(() => read(`v = ${bad}\n`)).message).toMatch(message);
    }
  });
});
