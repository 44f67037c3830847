/**
 * dormant-revival: the release before the new one (in time, any line) was more than `dormantDays`
 * earlier: an abandoned package woke up.
 */
import type { Finding } from '../model.js';
import { previousRelease } from './history.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { DAY_MS, finding, iso, registryTarget, round1, spec, timeOf } from './util.js';

const ID = 'dormant-revival';

function run(input: SignalInput): Finding[] {
  const rt = registryTarget(input);
  if (!rt) return [];
  const published = timeOf(rt.meta.publishedAt);
  const prev = previousRelease(rt.packument, rt.version);
  if (published === undefined || !prev) return [];
  const gapMs = published - prev.time;
  if (gapMs <= input.options.dormantDays * DAY_MS) return [];
  const gapDays = Math.floor(gapMs / DAY_MS);
  return [
    finding(
      ID,
      'medium',
      `${spec(input.change.name, rt.version)} was published ${gapDays} days after the previous release ${spec(input.change.name, prev.meta.version)} (${iso(prev.time).slice(0, 10)}), after more than ${input.options.dormantDays} days without a release.`,
      {
        version: rt.version,
        publishedAt: iso(published),
        previousVersion: prev.meta.version,
        previousPublishedAt: iso(prev.time),
        gapDays,
        gapYears: round1(gapMs / (365.25 * DAY_MS)),
        thresholdDays: input.options.dormantDays,
      },
    ),
  ];
}

export const dormantRevival: SignalDefinition = {
  id: ID,
  defaultSeverity: 'medium',
  description: 'The release before it (any line) was more than dormantDays earlier: an abandoned package revived.',
  offline: false,
  run,
};
