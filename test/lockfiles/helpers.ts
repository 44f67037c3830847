import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LockfileError } from '../../src/errors.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'lockfiles');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** 1-based line of the first line containing `needle` (computed from the text, independently of the parser). */
export function lineOf(text: string, needle: string): number {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`not in text: ${needle}`);
  return text.slice(0, i).split('\n').length;
}

/** Runs `fn`, expects a LockfileError and returns it. */
export function lockfileError(fn: () => unknown): LockfileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LockfileError) return e;
    throw new Error(`expected a LockfileError, got ${String(e)}`);
  }
  throw new Error('expected a LockfileError, nothing was thrown');
}

/** A v3 lockfile text from a `packages` map, formatted like npm writes it. */
export function v3(packages: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ name: 'fixture', version: '1.0.0', lockfileVersion: 3, requires: true, ...extra, packages }, null, 2)}\n`;
}
