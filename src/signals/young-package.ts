/**
 * young-package: the package's first release is younger than `youngPackageDays`
 * (flatmap-stream, plain-crypto-js: brand-new helpers pulled in by a compromised package).
 */
import type { Finding } from '../model/index.js';
import { firstReleaseTime } from './history.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { DAY_MS, HOUR_MS, finding, iso, plural, registryTarget, round1, spec, timeOf } from './util.js';

const ID = 'young-package';

function run(input: SignalInput): Finding[] {
  const rt = registryTarget(input);
  if (!rt) return [];
  const first = firstReleaseTime(rt.packument);
  if (first === undefined) return [];
  const ageMs = input.now.getTime() - first;
  if (ageMs >= input.options.youngPackageDays * DAY_MS) return [];
  const ageDays = round1(Math.max(0, ageMs) / DAY_MS);
  const published = timeOf(rt.meta.publishedAt);
  const freshRelease = published !== undefined && input.now.getTime() - published < input.options.releaseAgeHours * HOUR_MS;
  // A young package the base lockfile already used was reviewed when it arrived: say it, at low.
  // A name new to the lockfile whose package is young *and* whose locked release is hours old is the
  // helper-package pattern (flatmap-stream 0.1.1, plain-crypto-js 4.2.1): high.
  const severity = input.change.nameInBase ? 'low' : freshRelease ? 'high' : 'medium';
  const age = ageDays < 1 ? `${round1(Math.max(0, ageMs) / HOUR_MS)} hours` : `${ageDays} days`;
  const tail =
    severity === 'high'
      ? `, and this version was released ${round1(Math.max(0, input.now.getTime() - (published as number)) / HOUR_MS)} hours ago as a dependency new to this lockfile`
      : '';
  return [
    finding(
      ID,
      severity,
      `${spec(input.change.name, rt.version)} belongs to a package first published ${age} ago (${iso(first)}), with ${plural(rt.packument.versions.size, 'version')} so far${tail}.`,
      {
        version: rt.version,
        created: iso(first),
        ageDays,
        versionCount: rt.packument.versions.size,
        thresholdDays: input.options.youngPackageDays,
        nameInBase: input.change.nameInBase,
        publishedAt: published === undefined ? null : iso(published),
        freshRelease,
      },
    ),
  ];
}

export const youngPackage: SignalDefinition = {
  id: ID,
  defaultSeverity: 'medium',
  description: 'The package itself is younger than youngPackageDays (high when new to the lockfile and the release is hours old).',
  offline: false,
  needs: ['packument'],
  run,
};
