/**
 * dormant-revival: an abandoned package woke up. The new release, or a release shortly before it,
 * came after more than `dormantDays` without any release (event-stream: silent since 2016, then
 * 3.3.5 and the poisoned 3.3.6 within days in 2018).
 *
 * Only a recent revival counts: one that happened within REVIVAL_WINDOW_DAYS of `now` and after the
 * version the repository already had. A package that woke up years ago and has been used since is
 * not news (that noise is what gets a reviewer switched off).
 */
import type { Finding } from '../model/index.js';
import { publishedBefore } from './history.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { DAY_MS, finding, iso, registryTarget, round1, spec, timeOf } from './util.js';

const ID = 'dormant-revival';
export const REVIVAL_WINDOW_DAYS = 90;

function run(input: SignalInput): Finding[] {
  const rt = registryTarget(input);
  if (!rt) return [];
  const published = timeOf(rt.meta.publishedAt);
  if (published === undefined) return [];
  const chain = [{ meta: rt.meta, time: published }, ...publishedBefore(rt.packument, rt.version)];
  const threshold = input.options.dormantDays * DAY_MS;
  const horizon = input.now.getTime() - REVIVAL_WINDOW_DAYS * DAY_MS;
  const baseTime = input.change.from !== null ? timeOf(rt.packument.versions.get(input.change.from)?.publishedAt) : undefined;
  for (let i = 0; i + 1 < chain.length; i++) {
    const revival = chain[i]!;
    const before = chain[i + 1]!;
    if (revival.time < horizon) break; // too long ago to be this PR's news
    if (baseTime !== undefined && revival.time <= baseTime) break; // the repository already had a later release
    const gapMs = revival.time - before.time;
    if (gapMs <= threshold) continue;
    const gapDays = Math.floor(gapMs / DAY_MS);
    const self = revival.meta.version === rt.version;
    const name = spec(input.change.name, rt.version);
    const message = self
      ? `${name} was published ${gapDays} days after the previous release ${spec(input.change.name, before.meta.version)} (${iso(before.time).slice(0, 10)}): the package had been dormant for more than ${input.options.dormantDays} days.`
      : `${name} belongs to a burst of releases that began with ${spec(input.change.name, revival.meta.version)} on ${iso(revival.time).slice(0, 10)}, after ${gapDays} days without a release (last: ${spec(input.change.name, before.meta.version)}, ${iso(before.time).slice(0, 10)}).`;
    return [
      finding(ID, 'medium', message, {
        version: rt.version,
        publishedAt: iso(published),
        revivalVersion: revival.meta.version,
        revivalPublishedAt: iso(revival.time),
        previousVersion: before.meta.version,
        previousPublishedAt: iso(before.time),
        gapDays,
        gapYears: round1(gapMs / (365.25 * DAY_MS)),
        thresholdDays: input.options.dormantDays,
      }),
    ];
  }
  return [];
}

export const dormantRevival: SignalDefinition = {
  id: ID,
  defaultSeverity: 'medium',
  description: 'The package woke up recently after more than dormantDays without a release (the new version or a release shortly before it).',
  offline: false,
  needs: ['packument'],
  run,
};
