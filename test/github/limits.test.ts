/** The App's per-review limits from its environment (LOCKWARDEN_REVIEW_TIMEOUT, LOCKWARDEN_MAX_CHANGES). */
import { reviewLimitsFromEnv } from '../../src/github/limits.js';

describe('reviewLimitsFromEnv', () => {
  it('defaults: 300 s and 5000 names', () => {
    expect(reviewLimitsFromEnv({})).toEqual({ timeoutMs: 300_000, maxChanges: 5000 });
    expect(reviewLimitsFromEnv({ LOCKWARDEN_REVIEW_TIMEOUT: '', LOCKWARDEN_MAX_CHANGES: ' ' })).toEqual({ timeoutMs: 300_000, maxChanges: 5000 });
  });
  it('reads seconds and a count', () => {
    expect(reviewLimitsFromEnv({ LOCKWARDEN_REVIEW_TIMEOUT: '45', LOCKWARDEN_MAX_CHANGES: '12000' })).toEqual({ timeoutMs: 45_000, maxChanges: 12_000 });
  });
  it('refuses what would silently mean no limit or nonsense', () => {
    for (const v of ['0', '-1', '1.5', '5m', 'Infinity', '99999999999']) {
      expect(() => reviewLimitsFromEnv({ LOCKWARDEN_REVIEW_TIMEOUT: v })).toThrow(/LOCKWARDEN_REVIEW_TIMEOUT must be a whole number/);
      expect(() => reviewLimitsFromEnv({ LOCKWARDEN_MAX_CHANGES: v })).toThrow(/LOCKWARDEN_MAX_CHANGES must be a whole number/);
    }
  });
});
