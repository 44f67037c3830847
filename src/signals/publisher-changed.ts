/**
 * publisher-changed: the account that published the new version did not publish any of the last
 * `publisherLookback` releases before it, or publishing moved from trusted publishing (OIDC) to an account.
 * Low alone: teams rotate who publishes. possible-takeover escalates it when it comes with a payload.
 */
import type { Finding, Packument, VersionMeta } from '../model/index.js';
import { previousInLine, publishedBefore } from './history.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { clean, finding, iso, plural, registryTarget, spec, timeOf } from './util.js';

const ID = 'publisher-changed';

function isTrustedPublish(meta: VersionMeta): boolean {
  return meta.trustedPublisher !== undefined && meta.trustedPublisher !== null && meta.attestations?.provenance !== undefined;
}

/** The account that published a version (`_npmUser.name`), when the document says. */
export function publisherOf(meta: VersionMeta): string | undefined {
  const name = meta.npmUser?.name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** The earlier releases whose publishers the new version's is compared with (the window), and its anchor. */
export function comparedReleases(input: SignalInput, packument: Packument, version: string) {
  const history = publishedBefore(packument, version);
  const lookback = Math.max(1, Math.floor(input.options.publisherLookback));
  // For an upgrade, the releases the repository trusted end at its base version: anchor the window
  // there, so a new account that slipped in an intermediate release (event-stream 3.3.5 before the
  // poisoned 3.3.6) is still a change of publisher for this PR. Intermediate releases show in evidence.
  const baseTime = input.change.kind === 'upgraded' && input.change.from !== null ? timeOf(packument.versions.get(input.change.from)?.publishedAt) : undefined;
  const anchored = baseTime !== undefined ? history.filter((d) => d.time <= baseTime) : history;
  const sinceBase = baseTime !== undefined ? history.filter((d) => d.time > baseTime) : [];
  const window = (anchored.length > 0 ? anchored : history).slice(0, lookback);
  return { history, lookback, baseTime, sinceBase, window };
}

function run(input: SignalInput): Finding[] {
  const rt = registryTarget(input);
  if (!rt) return [];
  const publisher = rt.meta.npmUser?.name;
  if (typeof publisher !== 'string' || publisher === '') return [];
  // Published through trusted publishing with provenance: the identity is the workflow, vouched for by the
  // attestation; its continuity is provenance-source-changed's job. Gaining trusted publishing is not a risk.
  if (isTrustedPublish(rt.meta)) return [];

  const { history, lookback, baseTime, sinceBase, window } = comparedReleases(input, rt.packument, rt.version);
  const known = window.filter((d) => publisherOf(d.meta) !== undefined);
  // A stripped mirror (no _npmUser on earlier versions): say nothing rather than guess.
  if (known.length === 0) return [];

  const inWindow = new Map<string, { count: number; trusted: number }>();
  for (const d of known) {
    const name = d.meta.npmUser?.name as string;
    const e = inWindow.get(name) ?? { count: 0, trusted: 0 };
    e.count += 1;
    if (d.meta.trustedPublisher) e.trusted += 1;
    inWindow.set(name, e);
  }
  const earlierTotal = history.filter((d) => d.meta.npmUser?.name === publisher).length;
  const lineprev = baseTime !== undefined ? window[0] : previousInLine(rt.packument, rt.version);
  const reference = lineprev ?? history[0];

  // The previous release of the same line counts as a known publisher too, so a backport published by the
  // maintainer of the old line is not a "new" publisher when the recent releases all came from the new line.
  const newAccount = !inWindow.has(publisher) && lineprev?.meta.npmUser?.name !== publisher;
  const leftTrusted = !rt.meta.trustedPublisher && reference !== undefined && Boolean(reference.meta.trustedPublisher);
  if (!newAccount && !leftTrusted) return [];

  const previousPublishers = [...inWindow.entries()]
    .sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1))
    .map(([name, e]) => ({ name, versionsInWindow: e.count, trustedPublisher: e.trusted > 0 }));
  const others = previousPublishers
    .map((p) => clean(p.name, 60))
    .slice(0, 5)
    .join(', ');
  const name = spec(input.change.name, rt.version);

  let message: string;
  if (leftTrusted && reference) {
    message = `${name} was published by the account ${clean(publisher, 60)} instead of through trusted publishing, which published ${spec(input.change.name, reference.meta.version)}.`;
  } else if (baseTime !== undefined && input.change.from !== null) {
    const since = sinceBase.filter((d) => d.meta.npmUser?.name === publisher).map((d) => d.meta.version);
    message = `${name} was published by ${clean(publisher, 60)}, who published none of the ${plural(window.length, 'release')} up to ${spec(input.change.name, input.change.from)}, the version this repository had (${others} did)${
      since.length
        ? `; ${clean(publisher, 60)} published ${since
            .slice(0, 3)
            .map((v) => clean(v, 40))
            .join(', ')} since`
        : ''
    }.`;
  } else if (earlierTotal > 0) {
    message = `${name} was published by ${clean(publisher, 60)}, who published none of the ${plural(window.length, 'release')} before it (${others} did), only ${plural(earlierTotal, 'older release')}.`;
  } else {
    message = `${name} was published by ${clean(publisher, 60)}, who never published this package before (${window.length === 1 ? 'the release' : `the ${window.length} releases`} before it came from ${others}).`;
  }

  return [
    finding(ID, 'low', message, {
      version: rt.version,
      publisher,
      publisherTrusted: Boolean(rt.meta.trustedPublisher),
      publisherVersionsInWindow: inWindow.get(publisher)?.count ?? 0,
      publisherEarlierVersions: earlierTotal,
      previousPublishers,
      previousVersion: history[0]?.meta.version ?? null,
      previousPublisher: history[0]?.meta.npmUser?.name ?? null,
      referenceVersion: reference?.meta.version ?? null,
      referenceTrustedPublisher: Boolean(reference?.meta.trustedPublisher),
      window: window.length,
      lookback,
      unknownInWindow: window.length - known.length,
      publisherReleasesSinceBase: sinceBase
        .filter((d) => d.meta.npmUser?.name === publisher)
        .map((d) => ({ version: d.meta.version, publishedAt: iso(d.time) })),
      baseVersion: baseTime !== undefined ? input.change.from : null,
      reasons: [...(newAccount ? ['new-account'] : []), ...(leftTrusted ? ['left-trusted-publishing'] : [])],
    }),
  ];
}

export const publisherChanged: SignalDefinition = {
  id: ID,
  defaultSeverity: 'low',
  description:
    'The publishing account published none of the recent releases up to the version the repository had, or publishing moved from trusted publishing to an account.',
  offline: false,
  needs: ['packument'],
  run,
};
