/**
 * known-malicious: an advisory source records the new version as malicious (OSV `MAL-` records from the
 * OpenSSF malicious-packages data, GitHub advisories of type malware). Whatever its metadata looks like,
 * such a release fails the check. Reads only the advisories: works offline with a local directory.
 */
import type { Finding } from '../model/index.js';
import { groupAdvisories, groupLabel } from './advisory-groups.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { finding, isReviewable, joinList, spec } from './util.js';

const ID = 'known-malicious';

function run(input: SignalInput): Finding[] {
  const { change, advisories } = input;
  if (!isReviewable(change) || !advisories) return [];
  const groups = groupAdvisories(advisories.filter((a) => a.kind === 'malicious'));
  if (!groups.length) return [];
  const labels = joinList(groups.map(groupLabel));
  return [
    finding(
      ID,
      'critical',
      `${spec(change.name, change.to as string)} is a known-malicious release: ${labels}. Do not install it; treat any machine that did as compromised.`,
      { version: change.to, advisories: groups },
    ),
  ];
}

export const knownMalicious: SignalDefinition = {
  id: ID,
  defaultSeverity: 'critical',
  description: 'The new version is recorded as malicious by an advisory source (OSV MAL- records, GitHub malware advisories).',
  offline: true,
  needs: ['advisories'],
  run,
};
