/**
 * young-package: the package's first release is younger than `youngPackageDays`
 * (flatmap-stream, plain-crypto-js: brand-new helpers pulled in by a compromised package).
 */
import type { Finding } from '../model.js';
import { firstReleaseTime } from './history.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { DAY_MS, finding, iso, registryTarget, round1, spec } from './util.js';

const ID = 'young-package';

function run(input: SignalInput): Finding[] {
  const rt = registryTarget(input);
  if (!rt) return [];
  const first = firstReleaseTime(rt.packument);
  if (first === undefined) return [];
  const ageMs = input.now.getTime() - first;
  if (ageMs >= input.options.youngPackageDays * DAY_MS) return [];
  const ageDays = round1(Math.max(0, ageMs) / DAY_MS);
  // A young package the base lockfile already used was reviewed when it arrived: say it, at low.
  const severity = input.change.nameInBase ? 'low' : 'medium';
  const age = ageDays < 1 ? `${round1(Math.max(0, ageMs) / 3_600_000)} hours` : `${ageDays} days`;
  return [
    finding(
      ID,
      severity,
      `${spec(input.change.name, rt.version)} belongs to a package first published ${age} ago (${iso(first)}), with ${rt.packument.versions.size} version(s) so far.`,
      {
        version: rt.version,
        created: iso(first),
        ageDays,
        versionCount: rt.packument.versions.size,
        thresholdDays: input.options.youngPackageDays,
        nameInBase: input.change.nameInBase,
      },
    ),
  ];
}

export const youngPackage: SignalDefinition = {
  id: ID,
  defaultSeverity: 'medium',
  description: 'The package itself is younger than youngPackageDays (first release).',
  offline: false,
  run,
};
