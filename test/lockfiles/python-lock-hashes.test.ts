/**
 * The TOML Python parsers' hash lists (python-lock.ts: HashList, setHashList, setHashes) against
 * the definitions in python.ts: the package's hashes are the written ones without repeats, and its
 * integrity the sorted set (hashesIntegrity). Plain sha256 lists are sorted by a number made of
 * their first digits; lists where two hashes share those digits, repeats, upper case and other
 * algorithms take the string sort. Also fileNameOf's fast path against its general rule.
 */
import { fileNameOf, HashList, setHashes, setHashList } from '../../src/lockfiles/shared/python-lock.js';
import { hashesIntegrity, parseHashSpec, uniqueHashes } from '../../src/lockfiles/shared/python.js';
import { readToml, type TomlTable } from '../../src/lockfiles/readers/toml.js';
import type { LockPackage } from '../../src/model/index.js';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A `hashes` inline table on line `line` (where addParts' errors point). */
const tableAt = (line: number): TomlTable => readToml('x.lock', `${'\n'.repeat(line - 1)}h = { sha256 = "" }\n`, 0, { maxDepth: 8 }).get('h') as TomlTable;

const pkg = (): LockPackage => ({
  id: 'a@1',
  name: 'a',
  version: '1',
  source: { type: 'registry' },
  flags: { dev: false, optional: false, devOptional: false, peer: false, hasInstallScript: false, bundled: false },
  line: 1,
  deps: [],
});

describe('hash lists of the TOML Python lockfiles', () => {
  it('integrity and hashes of 1,000 generated lists equal the definitions', () => {
    const r = rng(751);
    const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(r() * 16)]).join('');
    let plainLists = 0;
    for (let l = 0; l < 1000; l++) {
      const n = 1 + Math.floor(r() * (r() < 0.1 ? 300 : 30));
      const specs: string[] = [];
      let plain = true;
      for (let i = 0; i < n; i++) {
        // lists of three kinds: plain sha256 only; plain with shared prefixes and repeats; anything
        const k = l % 3 === 1 ? r() * 0.96 : r();
        if (k < 0.9 || l % 3 === 0) specs.push(`sha256:${hex(64)}`);
        else if (k < 0.93 && specs.length > 0) {
          // the same first nine digits as an earlier hash, different after
          specs.push(`${specs[Math.floor(r() * specs.length)]!.slice(0, 16)}${hex(55)}`);
          plain = plain && /^sha256:[0-9a-f]{64}$/.test(specs[specs.length - 1]!);
        } else if (k < 0.96 && specs.length > 0)
          specs.push(specs[Math.floor(r() * specs.length)]!); // a repeat
        else if (k < 0.98) {
          specs.push(`SHA256:${hex(64).toUpperCase()}`);
          plain = false;
        } else {
          specs.push(`sha512:${hex(128)}`);
          plain = false;
        }
      }
      if (plain) plainLists++;
      const list = new HashList();
      for (const [i, s] of specs.entries()) list.add('x.lock', s, i + 1, i % 2 === 0 ? `f${i}.whl` : undefined);
      const expected = uniqueHashes(specs.map((s, i) => parseHashSpec(s, i % 2 === 0 ? `f${i}.whl` : undefined)!));
      const p = pkg();
      setHashList(p, list);
      expect(p.hashes).toEqual(expected);
      expect(p.integrity).toBe(hashesIntegrity(expected));
      const q = pkg();
      setHashes(
        q,
        specs.map((s) => parseHashSpec(s)!),
      );
      expect(q.integrity).toBe(hashesIntegrity(expected));
    }
    expect(plainLists).toBeGreaterThan(300);
  });

  it('the same first nine digits sort by the rest (a list long enough for the numeric sort)', () => {
    const list = new HashList();
    const a = `sha256:123456789${'f'.repeat(55)}`;
    const b = `sha256:123456789${'0'.repeat(55)}`;
    const others = Array.from({ length: 10 }, (_, i) => `sha256:${String(i).repeat(64)}`);
    for (const s of [a, ...others, b]) list.add('x.lock', s, 1, undefined);
    const p = pkg();
    setHashList(p, list);
    expect(p.integrity).toBe([...others.slice(0, 2), b, a, ...others.slice(2)].join(' '));
  });

  it('a character next to the hex ranges anywhere in a digest is refused or normalised, never passed as is', () => {
    const good = '0123456789abcdef'.repeat(4);
    for (const ch of ['/', ':', '@', '`', 'g', 'G', 'A', 'F', '\u00e9', '\u0130', '\u3030', '\u{1F600}']) {
      for (const at of [0, 1, 2, 3, 30, 61, 62, 63]) {
        const digest = `${good.slice(0, at)}${ch}${good.slice(at + 1)}`;
        for (const add of [
          (l: HashList) => l.add('x.lock', `sha256:${digest}`, 7, undefined),
          (l: HashList) => l.addParts('x.lock', 'sha256', digest, tableAt(7), undefined),
        ]) {
          const list = new HashList();
          if (/^[0-9A-F]$/.test(ch)) {
            add(list);
            expect(list.hashes[0]!.digest).toBe(digest.toLowerCase());
          } else expect(() => add(list)).toThrow(/x\.lock:7.*invalid hash/);
        }
      }
    }
  });

  it('addParts (pylock `hashes = { sha256 = "…" }`) gives what the joined spec gives', () => {
    const list = new HashList();
    list.addParts('x.lock', 'sha256', 'b'.repeat(64), tableAt(1), 'x.whl');
    list.addParts('x.lock', 'SHA256', 'A'.repeat(64), tableAt(2), undefined);
    list.addParts('x.lock', 'sha256', 'a'.repeat(64), tableAt(3), undefined);
    const p = pkg();
    setHashList(p, list);
    expect(p.hashes).toEqual([
      { algorithm: 'sha256', digest: 'b'.repeat(64), file: 'x.whl' },
      { algorithm: 'sha256', digest: 'a'.repeat(64) },
    ]);
    expect(p.integrity).toBe(`sha256:${'a'.repeat(64)} sha256:${'b'.repeat(64)}`);
    expect(() => list.addParts('x.lock', 'sha256', 'g'.repeat(64), tableAt(9), undefined)).toThrow(/x\.lock:9.*invalid hash/);
  });

  it('fileNameOf: the last segment; query, fragment, backslashes and escapes by the general rule', () => {
    const cases: Array<[string, string | undefined]> = [
      ['https://127.0.0.1:9/packages/aa/bb/pkg-1.0-py3-none-any.whl', 'pkg-1.0-py3-none-any.whl'],
      ['https://127.0.0.1:9/dl/pkg-1.0.tar.gz?x=1', 'pkg-1.0.tar.gz'],
      ['https://127.0.0.1:9/dl/pkg-1.0.tar.gz#sha256=00', 'pkg-1.0.tar.gz'],
      ['https://127.0.0.1:9/dl/p?next=/other.whl', 'p'],
      ['https://127.0.0.1:9/dl/pkg%2B1.0.whl', 'pkg+1.0.whl'],
      ['https://127.0.0.1:9/dl/pkg%ZZ.whl', 'pkg%ZZ.whl'],
      ['C:\\wheels\\pkg-1.0-py3-none-any.whl', 'pkg-1.0-py3-none-any.whl'],
      ['dir/sub\\pkg.whl', 'pkg.whl'],
      ['pkg.whl', 'pkg.whl'],
      ['https://127.0.0.1:9/dir/', undefined],
      ['', undefined],
    ];
    for (const [input, name] of cases) expect([input, fileNameOf(input)]).toEqual([input, name]);
  });
});
