/**
 * satisfiesAny's shortcut for release-only versions and comparisons (`>=1.2,<2`) against the PEP
 * 440 library it stands in for (the rule before the shortcut: a bare version means ==, a range is
 * checked with pre-releases allowed, anything unreadable matches).
 */
import * as pep440 from '@renovatebot/pep440';
import { satisfiesAny } from '../../src/lockfiles/shared/python-lock.js';

function reference(version: string, constraints: readonly string[]): boolean {
  if (constraints.length === 0) return true;
  for (const c of constraints) {
    const t = c.trim();
    if (t === '' || t === '*') return true;
    try {
      if (pep440.valid(t) !== null) {
        if (pep440.valid(version) !== null && pep440.eq(version, t)) return true;
        continue;
      }
      if (!pep440.validRange(t)) return true;
      if (pep440.valid(version) !== null && pep440.satisfies(version, t, { prereleases: true })) return true;
    } catch {
      return true;
    }
  }
  return false;
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

describe('satisfiesAny', () => {
  it('release-only versions against generated comparisons: the library answer', () => {
    const r = rng(508);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const version = (): string => Array.from({ length: 1 + Math.floor(r() * 3) }, () => String(Math.floor(r() * 4))).join('.') + (r() < 0.1 ? '.0' : '');
    const wrong: unknown[] = [];
    for (let i = 0; i < 4000; i++) {
      const parts = Array.from(
        { length: 1 + Math.floor(r() * 2) },
        () =>
          `${pick(['>=', '<=', '>', '<', '==', '!=', '', '~=', '===', '> = '])}${pick(['', ' '])}${r() < 0.1 ? pick(['1.*', '1.0a1', 'x', '']) : version()}`,
      );
      const constraints = [parts.join(pick([',', ', ', ' ,']))];
      if (r() < 0.3) constraints.push(`${pick(['>=', '<', '=='])}${version()}`);
      const v = r() < 0.9 ? version() : pick(['1.0a1', '1.0.post1', '1.0+local', 'v1.0']);
      if (satisfiesAny(v, constraints) !== reference(v, constraints)) wrong.push([v, constraints]);
    }
    expect(wrong).toEqual([]);
  });

  it('poetry-style constraints the library cannot read keep the candidate', () => {
    expect(satisfiesAny('1.5', ['^1.2'])).toBe(true);
    expect(satisfiesAny('1.5', ['>=2.0'])).toBe(false);
    expect(satisfiesAny('1.5', ['>=2.0', '*'])).toBe(true);
    expect(satisfiesAny('2.0.0', ['==2', '<1'])).toBe(true);
    expect(satisfiesAny('2.0.1', ['>=2,<2.0.1'])).toBe(false);
  });
});
