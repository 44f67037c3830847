import { LockfileError } from '../../src/errors.js';
import { DEFAULT_MAX_BYTES, isKnownLockfilePath, isLockfilePath, parseLockfile } from '../../src/lockfiles/index.js';
import { fixture, lockfileError } from './helpers.js';

const text = fixture('npm/workspace-v3.package-lock.json');

describe('isLockfilePath', () => {
  it.each([
    ['package-lock.json', true],
    ['npm-shrinkwrap.json', true],
    ['packages/web/package-lock.json', true],
    ['C:\\repo\\package-lock.json', true],
    ['package.json', false],
    ['package-lock.json.bak', false],
    ['my-package-lock.json', false],
    ['yarn.lock', true],
    ['pnpm-lock.yaml', true],
  ])('%s → %s', (path, expected) => {
    expect(isLockfilePath(path)).toBe(expected);
  });

  it('knows the lockfile names other formats will add', () => {
    for (const name of ['yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb', 'a/package-lock.json']) {
      expect(isKnownLockfilePath(name)).toBe(true);
    }
    expect(isKnownLockfilePath('README.md')).toBe(false);
  });
});

describe('parseLockfile input handling', () => {
  it('accepts bytes and gives the same model as the string', () => {
    const fromBytes = parseLockfile('package-lock.json', new TextEncoder().encode(text));
    expect(fromBytes).toEqual(parseLockfile('package-lock.json', text));
  });

  it('strips a BOM (string and bytes) and keeps lines and columns right', () => {
    const plain = parseLockfile('package-lock.json', text);
    const withBom = parseLockfile('package-lock.json', `\uFEFF${text}`);
    expect(withBom.packages).toEqual(plain.packages);
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
    expect(parseLockfile('package-lock.json', bytes).packages).toEqual(plain.packages);
    const e = lockfileError(() => parseLockfile('package-lock.json', '\uFEFF{ "lockfileVersion": 3, }'));
    expect([e.line, e.column]).toEqual([1, 25]); // the BOM is not a column
  });

  it('refuses invalid UTF-8 naming the line and column of the bad byte', () => {
    const good = new TextEncoder().encode('{\n  "lockfileVersion": 3,\n  "name": "ab"\n}');
    const bad = new Uint8Array(good);
    const at = good.indexOf(0x62) - 1; // 'a' of "ab" on line 3 (the only 'b')
    bad[at] = 0xc3; // a lead byte followed by 'b': invalid
    const e = lockfileError(() => parseLockfile('package-lock.json', bad));
    expect(e.message).toContain('invalid UTF-8');
    expect([e.line, e.column]).toEqual([3, 12]);
    // an overlong encoding and a lone continuation byte are invalid too
    expect(lockfileError(() => parseLockfile('x', new Uint8Array([0x7b, 0xc0, 0xaf, 0x7d]))).column).toBe(2);
    expect(lockfileError(() => parseLockfile('x', new Uint8Array([0x7b, 0x0a, 0x80]))).line).toBe(2);
  });

  it('refuses input over maxBytes before parsing it', () => {
    expect(DEFAULT_MAX_BYTES).toBe(64 * 1024 * 1024);
    const e = lockfileError(() => parseLockfile('package-lock.json', text, { maxBytes: 1000 }));
    expect(e.message).toContain('file too large');
    expect(lockfileError(() => parseLockfile('x', new Uint8Array(2000), { maxBytes: 1000 })).message).toContain('file too large');
    // the limit counts UTF-8 bytes, not UTF-16 units
    const multi = `{"lockfileVersion":3,"name":"${'é'.repeat(600)}"}`;
    expect(multi.length).toBeLessThan(1000);
    expect(lockfileError(() => parseLockfile('x', multi, { maxBytes: 1000 })).message).toContain('file too large');
    expect(parseLockfile('x', text, { maxBytes: text.length }).packages.length).toBeGreaterThan(0);
  });

  it('refuses content no parser recognises', () => {
    for (const t of ['', '   \n', 'lockfileVersion: 5.4\n']) {
      const e = lockfileError(() => parseLockfile('package-lock.json', t));
      expect(e).toBeInstanceOf(LockfileError);
      expect(e.message).toContain('not a recognised lockfile');
      expect(e.message).toMatch(/^package-lock\.json/);
    }
  });
});
