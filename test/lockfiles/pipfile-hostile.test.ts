/**
 * Pipfile.lock hostile input: deep nesting, huge values, `__proto__`-like names, CRLF and BOM,
 * invalid UTF-8. Every failure is a LockfileError naming the file and line, never a crash.
 */
import { parseLockfile } from '../../src/lockfiles/index.js';
import { lineOf, lockfileError } from './helpers.js';

const H1 = 'a'.repeat(64);

describe('Pipfile.lock hostile input', () => {
  it('deep nesting inside an ignored member is refused at the depth limit, with its line', () => {
    const deep = `{\n"_meta": {},\n"default": {"a": {"version": "==1", "markers": ${'['.repeat(5000)}${']'.repeat(5000)}}}}`;
    const e = lockfileError(() => parseLockfile('Pipfile.lock', deep));
    expect(e.message).toMatch(/^Pipfile\.lock:3:\d+: nesting deeper than 128 levels$/);
    expect(lockfileError(() => parseLockfile('Pipfile.lock', deep, { maxDepth: 4 })).message).toMatch(/nesting deeper than 4 levels/);
  });

  it('names that are not project names (__proto__, constructor-like junk, empty) are refused; constructor is ordinary', () => {
    for (const name of ['__proto__', '', '-x', 'a b', 'a/b', 'x:y']) {
      const t = `{"_meta": {},\n "default": {\n  ${JSON.stringify(name)}: {"version": "==1"}}}`;
      const e = lockfileError(() => parseLockfile('Pipfile.lock', t));
      expect(e.message).toBe(`Pipfile.lock:3:3: invalid package name ${JSON.stringify(name)}`);
    }
    const ok = parseLockfile('Pipfile.lock', '{"_meta": {}, "default": {"constructor": {"version": "==1"}, "toString": {"version": "==2"}}}');
    expect(ok.packages.map((p) => [p.id, p.version])).toEqual([
      ['constructor', '1'],
      ['tostring', '2'],
    ]);
    expect(({} as Record<string, unknown>)['version']).toBeUndefined();
  });

  it('an unknown __proto__ member of an entry or _meta is skipped, not assigned', () => {
    const t =
      '{"_meta": {"__proto__": {"sources": 1}, "sources": [{"name": "__proto__", "url": "http://127.0.0.1:9/s"}]}, "default": {"a": {"__proto__": {"version": "==9"}, "version": "==1", "index": "__proto__"}}}';
    const l = parseLockfile('Pipfile.lock', t);
    expect(l.packages[0]).toMatchObject({ version: '1', source: { type: 'registry', url: 'http://127.0.0.1:9/s' } });
    const e = lockfileError(() => parseLockfile('Pipfile.lock', '{"_meta": {"sources": []}, "default": {"a": {"version": "==1", "index": "toString"}}}'));
    expect(e.message).toMatch(/names index "toString", which is not in _meta.sources/);
  });

  it('CRLF line ends and a BOM keep the lines right', () => {
    const t = `\ufeff{\r\n    "_meta": {},\r\n    "default": {\r\n        "a": {\r\n            "hashes": ["sha256:${H1}"],\r\n            "version": "==1.0"\r\n        }\r\n    },\r\n    "develop": {}\r\n}\r\n`;
    const l = parseLockfile('Pipfile.lock', new TextEncoder().encode(t));
    expect(l.format).toBe('pipfile');
    expect(l.packages[0]).toMatchObject({ name: 'a', version: '1.0', line: 4, integrity: `sha256:${H1}` });
    const bad = t.replace('"==1.0"', '">1.0"');
    expect(parseLockfile('Pipfile.lock', new TextEncoder().encode(bad)).unreviewed).toEqual([
      { name: 'a', line: 4, reason: 'not pinned with == (version ">1.0")' },
    ]);
  });

  it('invalid UTF-8 and oversize input', () => {
    const bytes = new TextEncoder().encode('{"_meta": {},\n"default": {"a": {"version": "==1"}}}');
    const broken = new Uint8Array([...bytes.slice(0, 20), 0xff, ...bytes.slice(20)]);
    expect(lockfileError(() => parseLockfile('Pipfile.lock', broken)).message).toMatch(/^Pipfile\.lock:2:\d+: invalid UTF-8$/);
    expect(lockfileError(() => parseLockfile('Pipfile.lock', bytes, { maxBytes: 10 })).message).toMatch(/file too large/);
  });

  it('a huge hash list and a huge string stay linear', () => {
    const hashes = Array.from({ length: 100_000 }, (_, i) => `"sha256:${i.toString(16).padStart(64, '0')}"`).join(',\n');
    const t = `{"_meta": {}, "default": {"a": {"hashes": [\n${hashes}\n], "version": "==1", "markers": "${'x'.repeat(5_000_000)}"}}}`;
    const t0 = Date.now();
    const l = parseLockfile('Pipfile.lock', t);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(l.packages[0]!.hashes).toHaveLength(100_000);
    const unterminated = `{"_meta": {}, "default": {"a": {"version": "==1", "markers": "${'x'.repeat(100_000)}`;
    expect(lockfileError(() => parseLockfile('Pipfile.lock', unterminated)).message).toMatch(/^Pipfile\.lock:1:\d+: unterminated string$/);
  });

  it('entry lines are found for every package of a large file', () => {
    const entries = Array.from({ length: 3000 }, (_, i) => `        "pkg-${i}": {\n            "version": "==1.${i}"\n        }`).join(',\n');
    const t = `{\n    "_meta": {},\n    "default": {\n${entries}\n    }\n}\n`;
    const l = parseLockfile('Pipfile.lock', t);
    expect(l.packages).toHaveLength(3000);
    for (const i of [0, 1234, 2999]) expect(l.packages[i]!.line).toBe(lineOf(t, `"pkg-${i}"`));
  });
});
