/**
 * trust-downgrade: the new version was published with less assurance than an earlier release of the
 * same release line (trusted publisher > provenance > none). Comparing within the line, and ignoring
 * prereleases, keeps backports of an old major and `-beta` experiments from raising false alarms.
 */
import type { Finding, VersionMeta } from '../model/index.js';
import { releaseLine } from './history.js';
import { releasesBefore, type Prior } from './timing.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { finding, iso, registryTarget, spec } from './util.js';

const ID = 'trust-downgrade';

export type TrustLevel = 'none' | 'provenance' | 'trusted-publisher';
const RANK: Record<TrustLevel, number> = { none: 0, provenance: 1, 'trusted-publisher': 2 };

export function hasProvenance(meta: VersionMeta): boolean {
  const p = meta.attestations?.provenance;
  return p !== undefined && p !== null && typeof p === 'object';
}

export function trustLevel(meta: VersionMeta): TrustLevel {
  if (!hasProvenance(meta)) return 'none';
  return meta.trustedPublisher ? 'trusted-publisher' : 'provenance';
}

const LABEL: Record<TrustLevel, string> = {
  none: 'no provenance',
  provenance: 'provenance',
  'trusted-publisher': 'trusted publishing with provenance',
};

/** The strongest trust level among earlier releases of the same line, and the most recent release that had it. */
export function trustBaseline(sameLine: readonly Prior[]): { level: TrustLevel; from: Prior; index: number } | null {
  let best: { level: TrustLevel; from: Prior; index: number } | null = null;
  sameLine.forEach((d, index) => {
    const level = trustLevel(d.meta);
    // most recent first: only a strictly stronger level replaces the current best
    if (best === null || RANK[level] > RANK[best.level]) best = { level, from: d, index };
  });
  return best;
}

function run(input: SignalInput): Finding[] {
  const rt = registryTarget(input);
  if (!rt) return [];
  const level = trustLevel(rt.meta);
  // by publish time, or by version order when the document's times cannot be used
  const sameLine = releasesBefore(rt.packument, rt.version, input.now, input.change.ecosystem, { sameLine: true });
  const baseline = trustBaseline(sameLine);
  if (!baseline || RANK[level] >= RANK[baseline.level]) return [];
  // Releases of the line after the baseline that were already at the new (weaker) level:
  // a downgrade that has been accepted for a while reads differently from a sudden one.
  const weakerSince = sameLine
    .slice(0, baseline.index)
    .filter((d) => RANK[trustLevel(d.meta)] <= RANK[level])
    .map((d) => d.meta.version);
  const b = baseline.from.meta;
  return [
    finding(
      ID,
      'high',
      `${spec(input.change.name, rt.version)} was published with ${LABEL[level]}, while the earlier release ${spec(input.change.name, b.version)} of the same ${releaseLine(rt.version)}.x line had ${LABEL[baseline.level]}.`,
      {
        version: rt.version,
        level,
        baselineVersion: b.version,
        baselineLevel: baseline.level,
        baselinePublishedAt: baseline.from.time === undefined ? null : iso(baseline.from.time),
        releaseLine: releaseLine(rt.version),
        publisher: rt.meta.npmUser?.name ?? null,
        baselinePublisher: b.npmUser?.name ?? null,
        weakerReleasesSinceBaseline: weakerSince,
      },
    ),
  ];
}

export const trustDowngrade: SignalDefinition = {
  id: ID,
  defaultSeverity: 'high',
  description: 'Weaker publishing trust (trusted publisher > provenance > none) than an earlier release of the same line.',
  offline: false,
  needs: ['packument'],
  run,
};
