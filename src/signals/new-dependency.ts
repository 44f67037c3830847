/**
 * new-dependency: a package name that the base lockfile did not have at all.
 * Informational for transitive dependencies, low for direct ones.
 */
import type { Finding } from '../model.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { clean, finding, isReviewable, spec } from './util.js';

const ID = 'new-dependency';

function run(input: SignalInput): Finding[] {
  const { change } = input;
  if (!isReviewable(change) || change.nameInBase) return [];
  const name = spec(change.name, change.to as string);
  const via = change.via.slice(0, 6).map((n) => clean(n, 80));
  const message = change.direct
    ? `${name} is a new direct dependency${change.directOf.length > 0 && change.directOf.some((p) => p !== '') ? ` of ${change.directOf.map((p) => (p === '' ? 'the root project' : clean(p, 80))).join(', ')}` : ''}.`
    : `${name} is a new transitive dependency${via.length > 0 ? `, pulled in through ${via.join(' > ')}${change.via.length > 6 ? ' > …' : ''}` : ''}.`;
  return [
    finding(ID, change.direct ? 'low' : 'info', message, {
      version: change.to,
      direct: change.direct,
      directOf: change.directOf,
      via: change.via,
      ...(change.head?.alias !== undefined ? { alias: change.head.alias } : {}),
    }),
  ];
}

export const newDependency: SignalDefinition = {
  id: ID,
  defaultSeverity: 'info',
  description: 'A package name the base lockfile did not have (info when transitive, low when direct).',
  offline: true,
  run,
};
