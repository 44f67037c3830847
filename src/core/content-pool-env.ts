/**
 * The analysis pool's settings from the environment, for the CLI and the App: LOCKWARDEN_CONTENT_WORKERS
 * (threads) and LOCKWARDEN_CONTENT_WORKER_MB (heap per thread). An invalid value is an error, never ignored.
 */
import { InputError } from '../errors.js';
import { type ContentPoolOptions, DEFAULT_POOL_SIZE, DEFAULT_WORKER_MEMORY_MB } from './content-pool.js';

function wholeNumber(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) throw new InputError(`${name} must be a whole number from ${min} to ${max}, got '${raw.slice(0, 40)}'`);
  return n;
}

export function contentPoolOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): ContentPoolOptions {
  return {
    size: wholeNumber(env, 'LOCKWARDEN_CONTENT_WORKERS', DEFAULT_POOL_SIZE, 1, 64),
    memoryMb: wholeNumber(env, 'LOCKWARDEN_CONTENT_WORKER_MB', DEFAULT_WORKER_MEMORY_MB, 16, 16_384),
  };
}
