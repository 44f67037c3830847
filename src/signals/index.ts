/**
 * The risk signals: one small pure function per signal id, then the combiners (possible-takeover,
 * suspicious-new-package). Each signal declares the data it needs (`needs`); the engine gathers them.
 */
import type { Finding, SignalId } from '../model/index.js';
import { severityRank } from '../model/index.js';
import { combine, possibleTakeover, suspiciousNewPackage, suspiciousNewPackageSignal } from './combine.js';
import { deprecated } from './deprecated.js';
import { dormantRevival } from './dormant-revival.js';
import { downgrade } from './downgrade.js';
import { installScriptAdded, installScriptChanged } from './install-script.js';
import { integrityMismatch } from './integrity-mismatch.js';
import { knownMalicious } from './known-malicious.js';
import { knownVulnerability } from './known-vulnerability.js';
import { maintainersChanged } from './maintainers-changed.js';
import { manifestMismatch } from './manifest-mismatch.js';
import { installScriptPayload, newCapability, newExecutable, obfuscatedCode } from './content.js';
import { newDependency } from './new-dependency.js';
import { nonRegistrySource } from './non-registry-source.js';
import { provenanceSourceChanged } from './provenance-source-changed.js';
import { publisherChanged } from './publisher-changed.js';
import { pthFileAdded } from './pth-file-added.js';
import { sdistOnly } from './sdist-only.js';
import { installHookChanged } from './install-hook-changed.js';
import { guardRailWeakened } from './guard-rail-weakened.js';
import { yanked } from './yanked.js';
import { releaseTooNew } from './release-too-new.js';
import { securityHolder } from './security-holder.js';
import { trustDowngrade } from './trust-downgrade.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { TIME_SIGNALS, timeSignalsSkipped } from './timing.js';
import { isReviewable } from './util.js';
import { versionNotFound } from './version-not-found.js';
import { youngPackage } from './young-package.js';

export { severityOf } from './util.js';
export { guardRailWeakened } from './guard-rail-weakened.js';
export { combine, possibleTakeover, addedDependencies } from './combine.js';
export * as history from './history.js';
export { TIME_SIGNALS, timeSignalsSkipped } from './timing.js';
export { needsOf, signalsToRun } from './needs.js';
// What the engine's gatherers and coverage notes read: which versions and files a signal needs, which origins count.
export { coverageGaps } from './coverage.js';
export { lockHashes } from './integrity-mismatch.js';
export { provenanceVersionsNeeded } from './provenance-source-changed.js';
export { wheelVersionsNeeded } from './pth-file-added.js';
export { sdistToInspect, sdistVersionsNeeded } from './install-hook-changed.js';
export { platformFamily, wheelsToList, wheelTags } from './python-dist.js';
export { releaseContext } from './content-release.js';
export { dominantRegistryOrigin, originOf, registryOriginsOf } from './registry-origin.js';

/** Every signal except the possible-takeover combiner (listed in this order when severities tie). */
export const SIGNALS: readonly SignalDefinition[] = [
  knownMalicious,
  securityHolder,
  integrityMismatch,
  manifestMismatch,
  obfuscatedCode,
  installScriptPayload,
  newCapability,
  newExecutable,
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
  knownVulnerability,
];

/** SIGNALS plus the combiners and the engine's guard-rail signal (it reads settings files, not packages), for documentation tables. */
export const ALL_SIGNALS: readonly SignalDefinition[] = [...SIGNALS, possibleTakeover, suspiciousNewPackageSignal, guardRailWeakened];

/** Every signal id: what {@link runSignals} runs when not told otherwise. */
const EVERY: ReadonlySet<SignalId> = new Set(ALL_SIGNALS.map((s) => s.id));

/**
 * Runs the `running` signals (default: all) on one change (only the offline ones when there is no
 * packument), then the combiners among them; findings come back sorted by severity, highest first (the
 * combined verdict leads among equals). Removed packages get no findings.
 */
export function runSignals(input: SignalInput, running: ReadonlySet<SignalId> = EVERY): Finding[] {
  if (!isReviewable(input.change)) return [];
  const skipTimes = timeSignalsSkipped(input) !== undefined;
  const signals = (input.packument ? SIGNALS : SIGNALS.filter((s) => s.offline)).filter(
    (s) => running.has(s.id) && (!skipTimes || !TIME_SIGNALS.includes(s.id)),
  );
  const findings: Finding[] = [];
  for (const s of signals) for (const f of s.run(input)) findings.push(f);
  const combined: Finding[] = [];
  if (input.packument && running.has(possibleTakeover.id)) combined.push(...combine(input, findings));
  if (input.packument && running.has(suspiciousNewPackageSignal.id)) combined.push(...suspiciousNewPackage(input, findings));
  const all = [...combined, ...findings];
  // Array.prototype.sort is stable: equal severities keep the order above.
  return all.sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
}
