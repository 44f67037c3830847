/**
 * version-not-found: the registry knows the package but not the locked version (unpublished, or a
 * version the lockfile made up). Registry sources only.
 */
import type { Finding } from '../model.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { clean, finding, isReviewable, spec } from './util.js';

const ID = 'version-not-found';

function run(input: SignalInput): Finding[] {
  const { change, packument } = input;
  if (!isReviewable(change) || !packument) return [];
  if (change.head && change.head.source.type !== 'registry') return [];
  const version = change.to as string;
  if (packument.versions.has(version)) return [];
  const latest = packument.distTags.get('latest');
  const name = spec(change.name, version);
  const message =
    packument.versions.size === 0
      ? `${name} is locked to the registry, but the registry has no published versions of ${clean(change.name)}.`
      : `${name} is locked to the registry, but the registry does not list that version (unpublished, or never published)${latest ? `; its latest version is ${clean(latest, 100)}` : ''}.`;
  return [
    finding(ID, 'high', message, {
      version,
      knownVersions: packument.versions.size,
      latest: latest ?? null,
      lockfileUrl: change.head?.source.url ?? null,
    }),
  ];
}

export const versionNotFound: SignalDefinition = {
  id: ID,
  defaultSeverity: 'high',
  description: 'The registry has the package but not the locked version (unpublished or forged).',
  offline: false,
  run,
};
