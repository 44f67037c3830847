/**
 * security-holder: the version is npm's `0.0.1-security` placeholder, which replaces a package removed
 * for malware.
 */
import type { Finding } from '../model/index.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { finding, isReviewable, spec } from './util.js';

const ID = 'security-holder';
export const SECURITY_HOLDER_VERSION = '0.0.1-security';

function run(input: SignalInput): Finding[] {
  const { change } = input;
  if (!isReviewable(change) || change.to !== SECURITY_HOLDER_VERSION) return [];
  return [
    finding(ID, 'critical', `${spec(change.name, change.to)} is the registry's security placeholder: the package was taken down, usually for malware.`, {
      version: change.to,
      previousVersion: change.from,
    }),
  ];
}

export const securityHolder: SignalDefinition = {
  id: ID,
  defaultSeverity: 'critical',
  description: "The version is the registry's 0.0.1-security placeholder for a package removed as malware.",
  offline: true,
  needs: [],
  run,
};
