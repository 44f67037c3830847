/**
 * trust-downgrade: the new version was published with less assurance than an earlier release of the
 * same release line (trusted publisher > provenance > none). Comparing within the line, and ignoring
 * prereleases, keeps backports of an old major and `-beta` experiments from raising false alarms.
 */
import type { Finding } from '../model.js';
import type { Packument, VersionMeta } from '../registry/types.js';
import { publishedBefore, releaseLine, type Dated } from './history.js';
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
export function trustBaseline(packument: Packument, version: string): { level: TrustLevel; from: Dated } | null {
  let best: { level: TrustLevel; from: Dated } | null = null;
  for (const d of publishedBefore(packument, version, { sameLine: true })) {
    const level = trustLevel(d.meta);
    // most recent first: only a strictly stronger level replaces the current best
    if (best === null || RANK[level] > RANK[best.level]) best = { level, from: d };
  }
  return best;
}

function run(input: SignalInput): Finding[] {
  const rt = registryTarget(input);
  if (!rt) return [];
  const level = trustLevel(rt.meta);
  const baseline = trustBaseline(rt.packument, rt.version);
  if (!baseline || RANK[level] >= RANK[baseline.level]) return [];
  const sameLine = publishedBefore(rt.packument, rt.version, { sameLine: true });
  // Releases of the line published after the baseline that were already at the new (weaker) level:
  // a downgrade that has been accepted for a while reads differently from a sudden one.
  const weakerSince = sameLine.filter((d) => d.time > baseline.from.time && RANK[trustLevel(d.meta)] <= RANK[level]).map((d) => d.meta.version);
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
        baselinePublishedAt: iso(baseline.from.time),
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
  run,
};
