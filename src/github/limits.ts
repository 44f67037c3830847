/**
 * The App's per-review limits from its environment: LOCKWARDEN_REVIEW_TIMEOUT (seconds) and
 * LOCKWARDEN_MAX_CHANGES. An invalid value stops the start-up rather than silently meaning "no limit".
 */
import { DEFAULT_MAX_CHANGES } from '../core/review.js';
import { DEFAULT_REVIEW_TIMEOUT_MS } from './review-job.js';

export interface ReviewLimits {
  timeoutMs: number;
  maxChanges: number;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max) throw new Error(`${name} must be a whole number from 1 to ${max}, got '${raw.slice(0, 40)}'`);
  return n;
}

export function reviewLimitsFromEnv(env: NodeJS.ProcessEnv): ReviewLimits {
  return {
    // at most a day: a check left in progress longer than that helps nobody
    timeoutMs: positiveInteger(env, 'LOCKWARDEN_REVIEW_TIMEOUT', DEFAULT_REVIEW_TIMEOUT_MS / 1000, 86_400) * 1000,
    maxChanges: positiveInteger(env, 'LOCKWARDEN_MAX_CHANGES', DEFAULT_MAX_CHANGES, 1_000_000),
  };
}
