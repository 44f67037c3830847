/**
 * Which identity signals a registry document cannot support for one change. Mirrors and proxies
 * often drop `_npmUser`, `maintainers` and attestations: the signals that compare them then have
 * nothing to compare, which is not a pass, so the review says they were not evaluated. npm only
 * (the Python index never publishes per-release uploaders, so there is nothing to miss there).
 */
import type { Packument } from '../model/index.js';
import { previousRelease } from './history.js';
import { maintainerNames } from './maintainers-changed.js';
import { comparedReleases, publisherOf } from './publisher-changed.js';
import { hasProvenance } from './trust-downgrade.js';
import { TIME_SIGNALS } from './timing.js';
import type { SignalId, SignalInput } from './types.js';
import { registryTarget } from './util.js';

export interface CoverageGap {
  signals: SignalId[];
  /** Why, in words a report can show after "not evaluated: ". */
  reason: string;
}

export const NO_PUBLISHER = "the registry's documents do not say who published the versions compared (no _npmUser)";
export const NO_MAINTAINERS = "the registry's documents list no maintainers for the versions compared";
export const NO_ATTESTATIONS = "the registry's documents carry no attestations and no publisher data (a mirror that does not serve them)";

/**
 * The signals `input`'s document leaves without data, and why. `timesUnusable`: the time-based signals
 * are already reported as not evaluated (their own note), so they are not repeated here.
 */
export function coverageGaps(input: SignalInput, timesUnusable: boolean): CoverageGap[] {
  const rt = registryTarget(input);
  if (!rt || input.change.ecosystem !== 'npm') return [];
  const gaps: CoverageGap[] = [];
  const { window } = comparedReleases(input, rt.packument, rt.version);
  if (window.length > 0 && (publisherOf(rt.meta) === undefined || !window.some((d) => publisherOf(d.meta) !== undefined))) {
    gaps.push({ signals: ['publisher-changed'], reason: NO_PUBLISHER });
  }
  const prev = previousRelease(rt.packument, rt.version);
  if (prev && (maintainerNames(rt.meta) === null || maintainerNames(prev.meta) === null)) {
    gaps.push({ signals: ['maintainers-changed'], reason: NO_MAINTAINERS });
  }
  if (rt.packument.versions.size > 1 && !servesAttestations(rt.packument)) {
    gaps.push({ signals: ['trust-downgrade', 'provenance-source-changed'], reason: NO_ATTESTATIONS });
  }
  if (!timesUnusable) return gaps;
  return gaps.map((g) => ({ ...g, signals: g.signals.filter((s) => !TIME_SIGNALS.includes(s)) })).filter((g) => g.signals.length > 0);
}

/**
 * Whether the registry serves attestations for this package. A document with attestations on any
 * version does (a package that had provenance and lost it is trust-downgrade's case and is evaluated).
 * With none anywhere, a full document (publisher and maintainers kept) means the package never had
 * provenance; a document stripped of those too cannot tell that apart from a mirror dropping them.
 */
export function servesAttestations(packument: Packument): boolean {
  let publishers = false;
  let maintainers = false;
  for (const meta of packument.versions.values()) {
    if (meta.attestations !== undefined || hasProvenance(meta)) return true;
    publishers ||= publisherOf(meta) !== undefined;
    maintainers ||= maintainerNames(meta) !== null;
  }
  return publishers && maintainers;
}
