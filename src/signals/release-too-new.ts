/**
 * release-too-new: the new version was published less than `releaseAgeHours` ago. A cooldown, not a
 * verdict: the evidence says when it expires so a reviewer knows to wait rather than reject.
 */
import type { Finding } from '../model/index.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { HOUR_MS, finding, iso, registryTarget, round1, spec, timeOf } from './util.js';

const ID = 'release-too-new';

function run(input: SignalInput): Finding[] {
  const rt = registryTarget(input);
  if (!rt) return [];
  const published = timeOf(rt.meta.publishedAt);
  if (published === undefined) return [];
  const limitMs = input.options.releaseAgeHours * HOUR_MS;
  if (!(limitMs > 0)) return [];
  const ageMs = input.now.getTime() - published;
  if (ageMs >= limitMs) return [];
  const expires = published + limitMs;
  const ageHours = round1(Math.max(0, ageMs) / HOUR_MS);
  return [
    finding(
      ID,
      'low',
      `${spec(input.change.name, rt.version)} was published ${ageHours} hours ago, less than the ${input.options.releaseAgeHours}-hour minimum age; this clears by itself at ${iso(expires)}.`,
      {
        version: rt.version,
        publishedAt: iso(published),
        ageHours,
        minimumAgeHours: input.options.releaseAgeHours,
        expiresAt: iso(expires),
        ...(ageMs < 0 ? { publishedInTheFuture: true } : {}),
      },
    ),
  ];
}

export const releaseTooNew: SignalDefinition = {
  id: ID,
  defaultSeverity: 'low',
  description: 'Published less than releaseAgeHours ago (a cooldown: the finding says when it expires).',
  offline: false,
  needs: ['packument'],
  run,
};
