/**
 * release-too-new: the new version was published less than `releaseAgeHours` ago. A cooldown, not a
 * verdict: the evidence says when it expires so a reviewer knows to wait rather than reject, and which
 * older release could be pinned instead (src/policy/cooldown.ts turns it into the check's hold).
 */
import type { Finding } from '../model/index.js';
import { cooldownAlternative, type Alternative } from './cooldown-alternative.js';
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
  const alternative = cooldownAlternative(rt.packument, rt.version, input.now.getTime() - limitMs, input.change.ecosystem);
  return [
    finding(
      ID,
      'low',
      `${spec(input.change.name, rt.version)} was published ${ageHours} hours ago, less than the ${input.options.releaseAgeHours}-hour minimum age; this clears by itself at ${iso(expires)}.${alternativeText(input.change.name, alternative)}`,
      {
        version: rt.version,
        publishedAt: iso(published),
        ageHours,
        minimumAgeHours: input.options.releaseAgeHours,
        expiresAt: iso(expires),
        ...(ageMs < 0 ? { publishedInTheFuture: true } : {}),
        ...(alternative ? { alternative } : {}),
      },
    ),
  ];
}

function alternativeText(name: string, alt: Alternative | undefined): string {
  if (!alt) return ' No older release outside the window to pin instead.';
  const line = alt.sameLine ? '' : ' (another release line: check for breaking changes)';
  return ` Or pin ${spec(name, alt.version)}, published ${alt.publishedAt.slice(0, 10)}, instead${line}.`;
}

export const releaseTooNew: SignalDefinition = {
  id: ID,
  defaultSeverity: 'low',
  description: 'Published less than the cooldown window (cooldown.window, 48h) ago: holds the check until it ages, and names an older release to pin.',
  offline: false,
  needs: ['packument'],
  run,
};
