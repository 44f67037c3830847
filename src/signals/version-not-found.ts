/**
 * version-not-found: the registry knows the package but not the locked version (unpublished, a
 * version the lockfile made up, or a mirror's gap). Registry sources only. The message names the
 * registry that answered and what its document says about the version, so a mirror's gap can be
 * told from an unpublished or forged version; it stays high either way.
 */
import type { Finding, Packument } from '../model/index.js';
import { versionComparator } from '../versions/index.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { clean, finding, isReviewable, spec } from './util.js';

const ID = 'version-not-found';

/** What the registry's document says about a version it does not list. */
export type NotFoundReason = 'no-versions' | 'unpublished' | 'no-time' | 'partial-mirror' | 'never-listed';

/** Why `version` is missing from `packument`, from the document's own traces of it. */
export function notFoundReason(packument: Packument, version: string, newest: string | undefined): NotFoundReason {
  if (packument.unpublished?.includes(version) || packument.timedOnly?.versions.includes(version)) return 'unpublished';
  if (packument.versions.size === 0) return packument.unpublished ? 'unpublished' : 'no-versions';
  if (packument.abbreviated) return 'no-time';
  const latest = packument.distTags.get('latest');
  if ((latest !== undefined && !packument.versions.has(latest)) || newest === version) return 'partial-mirror';
  return 'never-listed';
}

/** The newest of the listed versions and `version` (by the ecosystem's version order). */
function newestOf(packument: Packument, version: string, ecosystem: SignalInput['change']['ecosystem']): string | undefined {
  const cmp = versionComparator(ecosystem);
  let newest: string = version;
  for (const v of packument.versions.keys()) if (cmp(v, newest) > 0) newest = v;
  return newest;
}

function explain(reason: NotFoundReason, packument: Packument, name: string, latest: string | undefined): string {
  const latestNote = latest ? ` (its latest version is ${clean(latest, 100)})` : '';
  switch (reason) {
    case 'no-versions':
      return `it has no published versions of ${clean(name)}: a forged package, or one this registry does not mirror`;
    case 'unpublished':
      return packument.versions.size === 0
        ? `it lists ${clean(name)} as unpublished: removed by its maintainers or by the registry`
        : `it lists that version as unpublished (its document keeps the publish time): removed by its maintainers or by the registry${latestNote}`;
    case 'no-time':
      return `its document has no publish times (abbreviated, or a stripped mirror), so an unpublished version cannot be told from a mirror's gap${latestNote}`;
    case 'partial-mirror':
      return latest !== undefined && !packument.versions.has(latest)
        ? `its document looks like a partial mirror (the latest tag ${clean(latest, 100)} is not among its ${packument.versions.size} versions): a version it has not synced, or one never published`
        : `the version is newer than every version its document lists${latestNote}: a mirror that has not synced it yet, or a version never published`;
    case 'never-listed':
      return `its document lists ${packument.versions.size} other versions and keeps no trace of this one: never published (a forged version) or a gap in a mirror${latestNote}`;
  }
}

function run(input: SignalInput): Finding[] {
  const { change, packument } = input;
  if (!isReviewable(change) || !packument) return [];
  if (change.head && change.head.source.type !== 'registry') return [];
  const version = change.to as string;
  if (packument.versions.has(version)) return [];
  const latest = packument.distTags.get('latest');
  const reason = notFoundReason(packument, version, newestOf(packument, version, change.ecosystem));
  const registry = packument.origin ? `the registry at ${clean(packument.origin, 200)}` : 'the registry';
  const message = `${spec(change.name, version)} is locked to the registry, but ${registry} does not list that version: ${explain(reason, packument, change.name, latest)}.`;
  return [
    finding(ID, 'high', message, {
      version,
      reason,
      registry: packument.origin ?? null,
      knownVersions: packument.versions.size,
      latest: latest ?? null,
      lockfileUrl: change.head?.source.url ?? null,
    }),
  ];
}

export const versionNotFound: SignalDefinition = {
  id: ID,
  defaultSeverity: 'high',
  description: 'The registry has the package but not the locked version (unpublished, forged, or missing from a mirror).',
  offline: false,
  needs: ['packument'],
  run,
};
