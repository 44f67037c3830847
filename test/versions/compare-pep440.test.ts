/**
 * comparePep440's release-only fast path (`1.2.3`) against the PEP 440 library it stands in for:
 * the same sign for generated pairs (leading zeros, trailing zeros, long segments, different
 * lengths), and versions of other shapes (pre/post/dev/local/epoch, `v`, invalid) still ordered
 * by the library, invalid ones after valid ones.
 */
import * as pep440 from '@renovatebot/pep440';
import { comparePep440 } from '../../src/versions/index.js';

/** What comparePep440 is defined as: the library's order, the text breaking ties, invalid versions last by text. */
function reference(a: string, b: string): number {
  if (a === b) return 0;
  const va = pep440.valid(a) !== null;
  const vb = pep440.valid(b) !== null;
  if (va && vb) {
    const c = pep440.compare(a, b);
    if (c !== 0) return Math.sign(c);
  } else if (va) return -1;
  else if (vb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

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

describe('comparePep440', () => {
  it('release-only versions: the same order as the library, for 20,000 generated pairs', () => {
    const r = rng(440);
    const seg = (): string => {
      const k = r();
      if (k < 0.5) return String(Math.floor(r() * 4));
      if (k < 0.7) return `0${Math.floor(r() * 3)}`;
      if (k < 0.9) return String(Math.floor(r() * 3000));
      return '9'.repeat(1 + Math.floor(r() * 15));
    };
    const version = (): string => Array.from({ length: 1 + Math.floor(r() * 4) }, seg).join('.');
    const wrong: unknown[] = [];
    let equal = 0;
    for (let i = 0; i < 20_000; i++) {
      const a = version();
      const b = r() < 0.2 ? `${a}${r() < 0.5 ? '.0' : '.00'}` : version();
      for (const [x, y] of [
        [a, b],
        [b, a],
      ] as const) {
        const got = comparePep440(x, y);
        if (got !== reference(x, y)) wrong.push([x, y, got]);
        if (x !== y && pep440.compare(x, y) === 0) equal++;
      }
    }
    expect(wrong).toEqual([]);
    // pairs PEP 440 calls equal (1.0 and 1.00) were generated, and ordered by their text
    expect(equal).toBeGreaterThan(1000);
  });

  it('other shapes go to the library: pre, post, dev, local, epoch, a leading v, and invalid text', () => {
    const vs = [
      '1.0',
      '1.0.0',
      '1.0a1',
      '1.0rc1',
      '1.0.post1',
      '1.0.dev1',
      '1.0+local',
      '1!0.5',
      'v1.0',
      '1.0.',
      '.1',
      '1..0',
      '1.x',
      '2',
      '10',
      '1.0 ',
      'abc',
      '',
      '1234567890123456',
      '1234567890123456.1',
      '9007199254740993',
      '9007199254740992.0.1',
    ];
    for (const a of vs) for (const b of vs) expect([a, b, comparePep440(a, b)]).toEqual([a, b, reference(a, b)]);
  });
});
