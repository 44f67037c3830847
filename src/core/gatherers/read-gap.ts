/** A registry read that threw, as an `incomplete` entry or as a failed contents read. */
import { ReadCut } from '../../registry/abort.js';
import { RegistryError } from '../../registry/http.js';
import type { Change, Incomplete } from '../../model/index.js';

/** A RegistryError is the registry's trouble; anything else is a bug, and fails the check. */
export function readGap(change: Change, version: string | null, what: string, e: unknown): Incomplete {
  const internal = !(e instanceof RegistryError);
  const message = e instanceof Error ? e.message : String(e);
  const gap: Incomplete = { name: change.name, version, reason: `${what}: ${internal ? 'internal error: ' : ''}${message}`, lockfile: change.lockfile };
  if (internal) gap.failClosed = true;
  return gap;
}

/**
 * A contents read that threw (they never throw): a bug, failing closed, except the review's own cut
 * while the read waited for a slot.
 */
export function thrownRead(e: unknown): { ok: false; reason: string; failClosed?: true } {
  if (e instanceof ReadCut) return { ok: false, reason: e.message };
  return { ok: false, reason: `internal error: ${(e as Error).message}`, failClosed: true };
}
