/**
 * downgrade: the lockfile moves a package to a lower version.
 */
import type { Finding } from '../model/index.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { clean, finding, isReviewable, spec } from './util.js';

const ID = 'downgrade';

function run(input: SignalInput): Finding[] {
  const { change } = input;
  if (!isReviewable(change) || change.kind !== 'downgraded' || change.from === null) return [];
  return [
    finding(ID, 'low', `${spec(change.name, change.to as string)} is a downgrade from ${clean(change.from, 100)}.`, {
      version: change.to,
      previousVersion: change.from,
    }),
  ];
}

export const downgrade: SignalDefinition = {
  id: ID,
  defaultSeverity: 'low',
  description: 'The package moves to a lower version.',
  offline: true,
  needs: [],
  run,
};
