/**
 * yanked (Python, PEP 592): the locked version is yanked on the index. Installers skip yanked
 * releases unless pinned exactly, as a lockfile does; maintainers yank broken or compromised
 * releases, so the lock keeps installing something its publisher withdrew. The reason is shown.
 */
import type { Finding } from '../model/index.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { clean, finding, isReviewable, spec } from './util.js';

const ID = 'yanked';
const ALARMING = /malic|compromis|backdoor|stolen|hijack|security|vulnerab|exploit/i;

function run(input: SignalInput): Finding[] {
  const { change, packument } = input;
  if (change.ecosystem !== 'pypi' || !packument || !isReviewable(change)) return [];
  const meta = packument.versions.get(change.to as string);
  if (!meta?.yanked) return [];
  const reason = meta.yanked.reason?.trim();
  const severity = reason && ALARMING.test(reason) ? 'high' : 'medium';
  const why = reason ? `: "${clean(reason, 300)}"` : ' (no reason given)';
  return [
    finding(
      ID,
      severity,
      `${spec(change.name, change.to as string)} is yanked on the package index${why}; the lockfile pins a release its publisher withdrew.`,
      {
        version: change.to,
        reason: reason ?? null,
      },
    ),
  ];
}

export const yanked: SignalDefinition = {
  id: ID,
  defaultSeverity: 'medium',
  description: 'Python: the locked version is yanked on the index (high when the reason mentions a compromise or security issue).',
  offline: false,
  needs: ['packument'],
  run,
};
