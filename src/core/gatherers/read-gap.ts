/** A registry read that threw, as an `incomplete` entry. */
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
