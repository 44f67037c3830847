/**
 * Pipfile.lock fast paths against their definitions: the parser checks pipenv's usual shapes
 * (sorted lower-case sha256 hashes, `==<version>`, already normal names) on the scanner's bytes
 * and takes the general rules for anything else. Seeded generated entries — hashes out of order,
 * repeated, upper case, other algorithms, split over two `hashes` members; versions with spaces,
 * `===`, non-ASCII; names with capitals and separator runs — must give exactly what the
 * definitions give (python.ts helpers, the PEP 503 rule, the pin regular expression).
 */
import { parseLockfile } from '../../src/lockfiles/index.js';
import { hashesIntegrity, isValidPythonName, parseHashSpec, uniqueHashes } from '../../src/lockfiles/shared/python.js';
import type { LockHash } from '../../src/model/index.js';
import { normalizePythonName } from '../../src/versions/index.js';
import { lockfileError } from './helpers.js';

/** mulberry32: a small seeded generator (the cases are the same on every run). */
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

const HEX = '0123456789abcdef';

interface Gen {
  key: string;
  version: string;
  /** one list per `hashes` member (two members: the parser reads both) */
  hashLists: string[][];
}

function generate(r: () => number, i: number): Gen {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const digest = (): string => Array.from({ length: 64 }, () => HEX[Math.floor(r() * 16)]).join('');
  const key = `${pick(['pkg', 'Pkg', 'PKG', 'a', 'zope.interface', 'zope_interface', 'typing-extensions', 'Typing__Extensions', 'a-.b', 'x--y', 'ruamel.yaml.clib', 'x9'])}${i}`;
  const version = pick(['==1.0', '==2024.2', '==1!2.0+local.7', '===1.0', '== 1.0', ' ==1.0 ', '==1.0\u00e9', '==1.0.post1', '==0.0.1rc1']);
  const list = (): string[] => {
    const n = Math.floor(r() * 6);
    const specs: string[] = [];
    for (let k = 0; k < n; k++) {
      const d = digest();
      const shape = r();
      if (shape < 0.75) specs.push(`sha256:${d}`);
      else if (shape < 0.8) specs.push(`SHA256:${d.toUpperCase()}`);
      else if (shape < 0.85) specs.push(`sha256:${d.slice(0, 10).toUpperCase()}${d.slice(10)}`);
      else if (shape < 0.9) specs.push(`sha512:${d}${d}`);
      else if (specs.length > 0)
        specs.push(specs[Math.floor(r() * specs.length)]!); // a repeat
      else specs.push(`md5:${d.slice(0, 32)}`);
    }
    // pipenv's order most of the time: sorted
    if (r() < 0.6) specs.sort();
    return specs;
  };
  const hashLists = r() < 0.15 ? [list(), list()] : [list()];
  return { key, version, hashLists };
}

/** The entry as pipenv would write it, with a repeated `hashes` member when there are two lists. */
function entryText(g: Gen): string {
  const members = g.hashLists.map((l) => `"hashes": [${l.map((h) => `\n                ${JSON.stringify(h)}`).join(',')}\n            ]`);
  members.push(`"index": "pypi"`, `"markers": "python_version >= '3.8'"`, `"version": ${JSON.stringify(g.version)}`);
  return `        ${JSON.stringify(g.key)}: {\n            ${members.join(',\n            ')}\n        }`;
}

const PIN = /^\s*===?\s*([^\s,;=<>!~*]+)\s*$/;

describe('Pipfile.lock fast paths give what the definitions give', () => {
  it('hashes, integrity, versions and names of 2,000 generated entries', () => {
    const r = rng(20261125);
    const gens = Array.from({ length: 2000 }, (_, i) => generate(r, i));
    const valid = gens.filter((g) => PIN.test(g.version));
    const text = `{\n    "_meta": {"sources": [{"name": "pypi", "url": "http://127.0.0.1:9/simple", "verify_ssl": true}]},\n    "default": {\n${valid.map(entryText).join(',\n')}\n    },\n    "develop": {}\n}\n`;
    const lock = parseLockfile('Pipfile.lock', text);
    expect(lock.packages).toHaveLength(valid.length);
    let plain = 0;
    valid.forEach((g, i) => {
      const p = lock.packages[i]!;
      const specs = g.hashLists.flat();
      if (specs.length > 1 && specs.every((s, k) => /^sha256:[0-9a-f]{64}$/.test(s) && (k === 0 || specs[k - 1]! < s))) plain++;
      const hashes: LockHash[] = uniqueHashes(specs.map((s) => parseHashSpec(s)!));
      expect(p.name).toBe(normalizePythonName(g.key));
      expect(p.version).toBe(PIN.exec(g.version)![1]);
      if (hashes.length === 0) {
        expect(p.hashes).toBeUndefined();
        expect(p.integrity).toBeUndefined();
      } else {
        expect(p.hashes).toEqual(hashes);
        expect(p.integrity).toBe(hashesIntegrity(hashes));
      }
    });
    // both paths were taken: many plain sorted lists, and many others
    expect(plain).toBeGreaterThan(200);
    expect(valid.length - plain).toBeGreaterThan(200);
  });

  it('unpinned versions are listed as not reviewed with their line, whatever the fast path saw', () => {
    for (const version of ['==1.0\u00e9', '>=1.0', '==', '==1,<2', '==1 .0', '==*']) {
      const text = `{"_meta": {},\n"default": {"a": {\n  "version": ${JSON.stringify(version)}}}}`;
      const accepted = PIN.test(version);
      if (accepted) {
        expect(parseLockfile('Pipfile.lock', text).packages[0]!.version).toBe(PIN.exec(version)![1]);
      } else {
        const l = parseLockfile('Pipfile.lock', text);
        expect(l.packages).toEqual([]);
        expect(l.unreviewed).toEqual([{ name: 'a', line: 2, reason: `not pinned with == (version ${JSON.stringify(version)})` }]);
      }
    }
  });

  it('names: valid exactly when isValidPythonName says so, normalised per PEP 503', () => {
    const names = ['a', 'A', 'a.b', 'a..b', 'a-_-b', 'A_B', '-a', 'a-', '.a', 'a_', 'a b', 'a+b', 'é', '9', 'a'.repeat(512), 'a'.repeat(513), 'Zz-9'];
    for (const key of names) {
      const text = `{"_meta": {},\n"default": {${JSON.stringify(key)}: {"version": "==1"}}}`;
      if (isValidPythonName(key)) expect(parseLockfile('Pipfile.lock', text).packages[0]!.name).toBe(normalizePythonName(key));
      else
        expect(lockfileError(() => parseLockfile('Pipfile.lock', text)).message).toBe(
          `Pipfile.lock:2:13: invalid package name ${JSON.stringify(key.slice(0, 100))}`,
        );
    }
  });

  it('a character next to the hex ranges anywhere in a digest is refused (the four-at-a-time check)', () => {
    const good = '0123456789abcdef'.repeat(4);
    for (const ch of ['/', ':', '@', '`', 'g', 'G', 'A', 'F', '\u00e9', '\u0130', '\u3030', '\\u0030']) {
      for (const at of [0, 1, 2, 3, 30, 61, 62, 63]) {
        const digest = `${good.slice(0, at)}${ch}${good.slice(at + 1)}`;
        const text = `{"_meta": {}, "default": {"a": {"hashes": ["sha256:${good}", "sha256:${digest}"], "version": "==1"}}}`;
        const spec = `sha256:${JSON.parse(`"${digest}"`) as string}`;
        if (/^[0-9a-fA-F]+$/.test(spec.slice(7)) && spec.length === 71) {
          // upper case A-F, or an escaped digit: a valid hash (lower-cased; a repeat is dropped)
          expect(parseLockfile('Pipfile.lock', text).packages[0]!.integrity).toBe([...new Set([`sha256:${good}`, spec.toLowerCase()])].sort().join(' '));
        } else {
          expect(lockfileError(() => parseLockfile('Pipfile.lock', text)).message).toContain(`invalid hash "${spec}"`);
        }
      }
    }
  });

  it('a hash string cut short at the end of the input is an unterminated string, not a hash', () => {
    const text = `{"_meta": {}, "default": {"a": {"hashes": ["sha256:${'a'.repeat(64)}`;
    expect(lockfileError(() => parseLockfile('Pipfile.lock', text)).message).toMatch(/^Pipfile\.lock:1:\d+: unterminated string$/);
    // a reused buffer holding a longer file's bytes past the end does not help it
    parseLockfile('Pipfile.lock', `{"_meta": {}, "default": {"a": {"hashes": ["sha256:${'a'.repeat(64)}"], "version": "==1"}}}${' '.repeat(200)}`);
    expect(lockfileError(() => parseLockfile('Pipfile.lock', text)).message).toMatch(/unterminated string$/);
  });
});
