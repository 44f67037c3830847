/**
 * The scanners' fast paths give what the plain definitions give: the encoded-blob search that skips
 * ahead by the run length finds the first qualifying run a character-by-character walk finds, and a
 * string literal read without decoding (no escape in it) is the same token as one decoded.
 */
import { obfuscationHits } from '../../src/content/obfuscation-metrics.js';
import { scanJs } from '../../src/content/js-scan.js';

const BLOB = 1000;
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-';

/** The definition: the first run of ≥ 1000 base64-alphabet characters whose entropy is ≥ 4.5 bits (no source maps here). */
function firstBlob(text: string): number {
  let run = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && B64.includes(text[i]!)) {
      run++;
      continue;
    }
    if (run >= BLOB && entropy(text.slice(i - run, i)) >= 4.5) return i - run;
    run = 0;
  }
  return -1;
}

function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/** A deterministic generator, so a failure is repeatable. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

/** Runs of random base64 (high entropy), of one letter (low), and code between them, of lengths around the threshold. */
function text(seed: number): string {
  const next = random(seed);
  const parts: string[] = [];
  for (let i = 0; i < 12; i++) {
    const len = Math.floor(next() * 2200);
    const kind = next();
    if (kind < 0.4) parts.push(Array.from({ length: len }, () => B64[Math.floor(next() * 64)]).join(''));
    else if (kind < 0.6) parts.push('a'.repeat(len));
    else parts.push('x = f(y);\n'.repeat(Math.ceil(len / 10)).slice(0, len));
    parts.push(next() < 0.5 ? ' ' : '\n');
  }
  return parts.join('');
}

describe('scanner fast paths', () => {
  it('finds the first encoded blob where the plain walk finds it, on 300 generated texts', () => {
    let found = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const t = text(seed);
      const expected = firstBlob(t);
      const hit = obfuscationHits(t).find((h) => h.kind === 'encoded-blob');
      expect({ seed, offset: hit?.offset ?? -1 }).toEqual({ seed, offset: expected });
      if (expected >= 0) found++;
    }
    // both answers occur: the texts are not all one way
    expect(found).toBeGreaterThan(50);
    expect(found).toBeLessThan(300);
  });

  it('reads a literal without escapes as the same token a decoded one would be', () => {
    const src = `a("child_process"); b('x\\x2dy'); c(\`t\${1}\`); d("cut\nnext")`;
    const tokens: Array<[string, string, number, number]> = [];
    scanJs(src, (kind, value, offset, length) => {
      if (kind === 'str') tokens.push([kind, value, offset, length]);
    });
    expect(tokens).toEqual([
      ['str', 'child_process', src.indexOf('"child'), '"child_process"'.length],
      // decoded: the escape spells a dash, the length is the source's
      ['str', 'x-y', src.indexOf("'x"), "'x\\x2dy'".length],
      ['str', 't${1}', src.indexOf('`'), '`t${1}`'.length],
      // a quoted literal ends at its line: the newline is its last character
      ['str', 'cut', src.indexOf('"cut'), '"cut\n'.length],
      // and the quote after `next` opens a literal the text's end cuts
      ['str', ')', src.lastIndexOf('"'), 3],
    ]);
  });
});
