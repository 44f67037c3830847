/** Which changes need the registry, and the cap on the names one review asks it about. */
import type { Change, Ecosystem, Incomplete } from '../model/index.js';

/**
 * Default cap on the names one review asks the registry about. Real lockfile changes add up to about
 * 3,300 packages (a new app with a large framework); 5,000 keeps those reviewable while one PR can no
 * longer make tens of thousands of registry requests.
 */
export const DEFAULT_MAX_CHANGES = 5000;

/** A change whose new version comes from a registry (or from a source the lockfile does not say). */
export function needsRegistry(c: Change): boolean {
  return c.kind !== 'removed' && c.head !== undefined && (c.head.source.type === 'registry' || c.head.source.type === 'unknown');
}

/** Key of a name within its ecosystem (`npm:foo`, `pypi:foo`): the two namespaces never mix. */
export function keyOf(c: { ecosystem: Ecosystem; name: string }): string {
  return `${c.ecosystem}:${c.name}`;
}

/** A name to ask the registry about. */
export interface WantedName {
  ecosystem: Ecosystem;
  name: string;
}

export type Wanted = Map<string, WantedName>;

/**
 * The names to ask the registry about, at most `cap`: direct dependencies first, then by key (code
 * unit order, the same on every machine). The rest are skipped.
 */
export function capWanted(changes: readonly Change[], cap: number): { asked: Wanted; skipped: Set<string>; total: number } {
  const wanted: Wanted = new Map();
  const direct = new Set<string>();
  for (const c of changes) {
    if (!needsRegistry(c)) continue;
    const key = keyOf(c);
    if (!wanted.has(key)) wanted.set(key, { ecosystem: c.ecosystem, name: c.name });
    if (c.direct) direct.add(key);
  }
  if (wanted.size <= cap) return { asked: wanted, skipped: new Set(), total: wanted.size };
  const keys = [...wanted.keys()].sort((a, b) => Number(direct.has(b)) - Number(direct.has(a)) || (a < b ? -1 : a > b ? 1 : 0));
  const asked: Wanted = new Map();
  for (const k of keys.slice(0, Math.max(0, cap))) asked.set(k, wanted.get(k)!);
  return { asked, skipped: new Set(keys.slice(Math.max(0, cap))), total: wanted.size };
}

/** One entry for every name over the cap (a report must stay readable with 20,000 of them): it fails the check. */
export function overCap(skipped: number, total: number, cap: number): Incomplete {
  return {
    name: `${skipped} packages`,
    version: null,
    reason: `${skipped} of the ${total} changed packages that need the registry were not reviewed: over the cap of ${cap} per review (--max-changes, LOCKWARDEN_MAX_CHANGES)`,
    failClosed: true,
  };
}
