/**
 * bun.lock hostile input: prototype keys, duplicate keys, enormous scalars, deep nesting, comment
 * tricks, invalid UTF-8, pathological sniffing. Always a LockfileError with file and line, or a
 * correct parse; bounded time; never a polluted prototype.
 */
import { parseLockfile } from '../../src/lockfiles/index.js';
import { sniffBun } from '../../src/lockfiles/formats/bun/parse.js';
import { lockfileError } from './helpers.js';

function bunLock(root: string, packages: string[]): string {
  return `{\n  "lockfileVersion": 1,\n  "workspaces": {\n    "": ${root},\n  },\n  "packages": {\n${packages.map((p) => `    ${p},`).join('\n')}\n  }\n}\n`;
}

function timed<T>(fn: () => T): { value: T | Error; ms: number } {
  const t0 = performance.now();
  let value: T | Error;
  try {
    value = fn();
  } catch (e) {
    value = e as Error;
  }
  return { value, ms: performance.now() - t0 };
}

describe('bun.lock hostile input', () => {
  afterEach(() => {
    // nothing leaked onto the shared prototypes
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'version')).toBe(false);
  });

  it('reads __proto__ / constructor / prototype as ordinary package names, keys and workspaces', () => {
    const text = bunLock(`{ "name": "__proto__", "dependencies": { "__proto__": "1", "constructor": "1", "prototype": "1" } }`, [
      `"__proto__": ["__proto__@1.0.0", "", { "dependencies": { "constructor": "1" } }, ""]`,
      `"__proto__/constructor": ["constructor@2.0.0", "", { "polluted": true }, ""]`,
      `"constructor": ["constructor@1.0.0", "", {}, ""]`,
      `"prototype": ["prototype@1.0.0", "", {}, ""]`,
    ]).replace('"workspaces": {\n', '"workspaces": {\n    "__proto__": { "name": "constructor", "dependencies": { "prototype": "1" } },\n');
    const lock = parseLockfile('bun.lock', text);
    expect(lock.packages.map((p) => `${p.id}:${p.name}@${p.version}`)).toEqual([
      '__proto__:__proto__@1.0.0',
      '__proto__/constructor:constructor@2.0.0',
      'constructor:constructor@1.0.0',
      'prototype:prototype@1.0.0',
    ]);
    expect(lock.packages[0]!.deps).toEqual(['__proto__/constructor']);
    expect(lock.importers.map((i) => [i.path, i.name, i.deps])).toEqual([
      ['__proto__', 'constructor', ['prototype']],
      ['', '__proto__', ['__proto__', 'constructor', 'prototype']],
    ]);
  });

  it.each([
    [
      'package key',
      bunLock('{}', ['"a": ["a@1.0.0", "", {}, ""]', '"b": ["b@1.0.0", "", {}, ""]', '"a": ["a@2.0.0", "", {}, ""]']),
      /duplicate package key "a"/,
      9,
    ],
    ['workspace', bunLock('{}', []).replace('"workspaces": {\n', '"workspaces": {\n    "": {},\n'), /duplicate workspace ""/, 5],
    ['top-level key', bunLock('{}', ['"a": ["a@1.0.0", "", {}, ""]']).replace('\n}\n', ',\n  "packages": {}\n}\n'), /duplicate top-level key "packages"/, 9],
  ])('refuses a duplicate %s at its line (a later copy could hide an entry from review)', (_what, text, message, line) => {
    const err = lockfileError(() => parseLockfile('bun.lock', text));
    expect(err.message).toMatch(message);
    expect(err.line).toBe(line);
  });

  it('parses an enormous scalar (8 MB version string) in bounded time', () => {
    const big = 'x'.repeat(8 * 1024 * 1024);
    const text = bunLock('{ "dependencies": { "a": "1" } }', [`"a": ["a@${big}", "", { "bin": "${big}" }, ""]`]);
    const { value, ms } = timed(() => parseLockfile('bun.lock', text));
    expect(value).not.toBeInstanceOf(Error);
    expect((value as ReturnType<typeof parseLockfile>).packages[0]!.version).toHaveLength(big.length);
    expect(ms).toBeLessThan(2000);
  });

  it('refuses input over maxBytes before parsing it', () => {
    const text = bunLock('{}', [`"a": ["a@1.0.0", "", {}, "${'x'.repeat(4096)}"]`]);
    expect(lockfileError(() => parseLockfile('bun.lock', text, { maxBytes: 1024 })).message).toMatch(/file too large/);
  });

  it('refuses nesting deeper than maxDepth without overflowing the stack', () => {
    const deep = `${'['.repeat(100000)}${']'.repeat(100000)}`;
    const text = bunLock('{}', [`"a": ["a@1.0.0", "", { "x": ${deep} }, ""]`]);
    const err = lockfileError(() => parseLockfile('bun.lock', text));
    expect(err.message).toMatch(/nesting deeper than 128 levels/);
    expect(err.line).toBe(7);
    expect(lockfileError(() => parseLockfile('bun.lock', bunLock('{}', [`"a": ["a@1.0.0", "", { "x": [[[[1]]]] }, ""]`]), { maxDepth: 5 })).message).toMatch(
      /deeper than 5/,
    );
  });

  it('refuses invalid UTF-8 with its line', () => {
    const text = bunLock('{}', ['"a": ["a@1.0.0", "", {}, ""]']);
    const bytes = Buffer.from(text);
    const at = text.indexOf('a@1.0.0');
    bytes[at] = 0xc3; // a lead byte followed by an ASCII byte
    const err = lockfileError(() => parseLockfile('bun.lock', bytes));
    expect(err.message).toMatch(/invalid UTF-8/);
    expect(err.line).toBe(7);
  });

  it('refuses raw control characters and bad escapes in strings', () => {
    expect(lockfileError(() => parseLockfile('bun.lock', bunLock('{}', ['"a": ["a@1.0.0\u0001", "", {}, ""]']))).message).toMatch(
      /control character \(U\+0001\)/,
    );
    expect(lockfileError(() => parseLockfile('bun.lock', bunLock('{}', ['"a": ["a@1.0.0\\x", "", {}, ""]']))).message).toMatch(/invalid escape/);
    expect(lockfileError(() => parseLockfile('bun.lock', bunLock('{}', ['"a": ["a@1.0.0\\u12", "", {}, ""]']))).message).toMatch(/\\u escape/);
  });

  it('does not let a comment marker inside a string start a comment', () => {
    const text = bunLock('{ "dependencies": { "a": "1" } }', [
      '"a": ["a@1.0.0", "http://127.0.0.1:1/a/-/a-1.0.0.tgz", { "bin": "/* not a comment" }, "sha512-x//y"]',
    ]);
    const p = parseLockfile('bun.lock', text).packages[0]!;
    expect(p.source.url).toBe('http://127.0.0.1:1/a/-/a-1.0.0.tgz');
    expect(p.integrity).toBe('sha512-x//y');
  });

  it('keeps the sniff linear on pathological comment runs', () => {
    for (const junk of ['//'.repeat(5000), '/*'.repeat(5000), '/* **'.repeat(3000), ' /'.repeat(5000)]) {
      const { value, ms } = timed(() => sniffBun(`{${junk}"lockfileVersion": 1, "workspaces": {}}`, 0));
      expect(typeof value).toBe('boolean');
      expect(ms).toBeLessThan(100);
    }
  });

  it('refuses non-array entries, bad member types and a missing lockfileVersion', () => {
    expect(lockfileError(() => parseLockfile('bun.lock', bunLock('{}', ['"a": []']))).message).toMatch(/expected \["name@resolution"/);
    expect(lockfileError(() => parseLockfile('bun.lock', bunLock('{}', ['"a": ["a@1.0.0", "", { "dependencies": ["b"] }, ""]']))).message).toMatch(
      /an object for dependencies/,
    );
    expect(lockfileError(() => parseLockfile('bun.lock', bunLock('{ "dependencies": 3 }', []))).message).toMatch(/an object for dependencies/);
    const noVersion = '{\n  "workspaces": {},\n  "packages": {}\n}\n';
    expect(lockfileError(() => parseLockfile('bun.lock', noVersion)).message).toMatch(/not a recognised lockfile|no lockfileVersion|lockfileVersion/);
  });

  it('does not let an escaped member name hide dependencies', () => {
    const text = bunLock('{ "dependencies": { "a": "1" } }', [
      '"a": ["a@1.0.0", "", { "\\u0064ependencies": { "b": "1" } }, ""]',
      '"b": ["b@1.0.0", "", {}, ""]',
    ]);
    const lock = parseLockfile('bun.lock', text);
    expect(lock.packages[0]!.deps).toEqual(['b']);
    expect(lock.packages[1]!.flags.dev).toBe(false); // reached from the root through a
  });

  it('handles a dependency cycle and a self-dependency without looping', () => {
    const text = bunLock('{ "dependencies": { "a": "1" } }', [
      '"a": ["a@1.0.0", "", { "dependencies": { "a": "1", "b": "1" } }, ""]',
      '"b": ["b@1.0.0", "", { "dependencies": { "a": "1" } }, ""]',
    ]);
    const lock = parseLockfile('bun.lock', text);
    expect(lock.packages.map((p) => p.deps)).toEqual([['b'], ['a']]);
  });
});
