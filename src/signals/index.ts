/**
 * The risk signals: one small pure function per signal id, then the possible-takeover combiner.
 */
import type { Change, Finding, Packument } from '../model/index.js';
import { severityRank } from '../model/index.js';
import { combine, possibleTakeover, suspiciousNewPackage, suspiciousNewPackageSignal } from './combine.js';
import { deprecated } from './deprecated.js';
import { dormantRevival } from './dormant-revival.js';
import { downgrade } from './downgrade.js';
import { installScriptAdded, installScriptChanged } from './install-script.js';
import { integrityMismatch } from './integrity-mismatch.js';
import { maintainersChanged } from './maintainers-changed.js';
import { newDependency } from './new-dependency.js';
import { nonRegistrySource } from './non-registry-source.js';
import { provenanceSourceChanged, provenanceVersionsNeeded as versionsNeeded } from './provenance-source-changed.js';
import { publisherChanged } from './publisher-changed.js';
import { pthFileAdded, wheelVersionsNeeded as wheelsNeeded } from './pth-file-added.js';
import { sdistOnly } from './sdist-only.js';
import { installHookChanged, sdistVersionsNeeded as sdistsNeeded } from './install-hook-changed.js';
import { yanked } from './yanked.js';
import { releaseTooNew } from './release-too-new.js';
import { securityHolder } from './security-holder.js';
import { trustDowngrade } from './trust-downgrade.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { TIME_SIGNALS, unusableTimes } from './timing.js';
import { isReviewable, registryTarget } from './util.js';
import { versionNotFound } from './version-not-found.js';
import { youngPackage } from './young-package.js';

export { severityOf } from './util.js';
export { combine, possibleTakeover, addedDependencies } from './combine.js';
export * as history from './history.js';
export { TIME_SIGNALS } from './timing.js';
// What the review engine needs besides running the signals: which files to read, which origins count, what was not evaluated.
export { coverageGaps } from './coverage.js';
export { sdistToInspect } from './install-hook-changed.js';
export { wheelsToList } from './python-dist.js';
export { dominantRegistryOrigin, originOf, registryOriginsOf } from './registry-origin.js';

/** Every signal except the possible-takeover combiner (listed in this order when severities tie). */
export const SIGNALS: readonly SignalDefinition[] = [
  securityHolder,
  integrityMismatch,
  pthFileAdded,
  versionNotFound,
  installScriptAdded,
  installHookChanged,
  trustDowngrade,
  provenanceSourceChanged,
  nonRegistrySource,
  installScriptChanged,
  dormantRevival,
  youngPackage,
  publisherChanged,
  maintainersChanged,
  releaseTooNew,
  yanked,
  sdistOnly,
  deprecated,
  downgrade,
  newDependency,
];

/** SIGNALS plus the combiner, for documentation tables. */
export const ALL_SIGNALS: readonly SignalDefinition[] = [...SIGNALS, possibleTakeover, suspiciousNewPackageSignal];

/**
 * Runs every signal on one change (only the offline ones when there is no packument), then the
 * possible-takeover combiner; findings come back sorted by severity, highest first (the combined
 * verdict leads among equals). Removed packages get no findings.
 */
export function runSignals(input: SignalInput): Finding[] {
  if (!isReviewable(input.change)) return [];
  const skipTimes = timeSignalsSkipped(input) !== undefined;
  const signals = (input.packument ? SIGNALS : SIGNALS.filter((s) => s.offline)).filter((s) => !skipTimes || !TIME_SIGNALS.includes(s.id));
  const findings: Finding[] = [];
  for (const s of signals) for (const f of s.run(input)) findings.push(f);
  const combined = input.packument ? [...combine(input, findings), ...suspiciousNewPackage(input, findings)] : [];
  const all = [...combined, ...findings];
  // Array.prototype.sort is stable: equal severities keep the order above.
  return all.sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
}

/**
 * Why the time-based signals ({@link TIME_SIGNALS}) are not evaluated for this change: its registry
 * document's publish times are missing, unreadable or implausible. Undefined: they are evaluated
 * (or the change has no registry history to read).
 */
export function timeSignalsSkipped(input: SignalInput): string | undefined {
  const rt = registryTarget(input);
  return rt ? unusableTimes(rt.packument, rt.version, input.now, input.change.ecosystem) : undefined;
}

/**
 * Which versions' provenance statements the engine must fetch for provenance-source-changed: the new
 * version and its baseline (the latest earlier release with provenance, same line first), only when
 * both carry `dist.attestations.provenance`; otherwise [] so that no extra requests are made.
 */
export function provenanceVersionsNeeded(change: Change, packument: Packument): string[] {
  return versionsNeeded(change, packument);
}

/**
 * Python: which versions' wheels the engine must list (central directories) for pth-file-added: the new
 * version and the version it is compared with, when they have wheels; [] for npm and everything else.
 */
export function wheelVersionsNeeded(change: Change, packument: Packument): string[] {
  return wheelsNeeded(change, packument);
}

/**
 * Python: which versions' sdists the engine must read (inspectSdist) for install-hook-changed: the new
 * version when installing it builds from source, and the version it is compared with when that has an
 * sdist; [] otherwise (no request for packages whose wheels fit).
 */
export function sdistVersionsNeeded(change: Change, packument: Packument): string[] {
  return sdistsNeeded(change, packument);
}
