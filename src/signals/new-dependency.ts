/**
 * new-dependency: a package name that the base lockfile did not have at all.
 * Informational for transitive dependencies, low for direct ones, medium for a pnpm config dependency
 * (installed first, and able to carry a pnpmfile that hooks every install).
 */
import type { Finding } from '../model/index.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { clean, finding, isReviewable, spec } from './util.js';

const ID = 'new-dependency';

/** The importers pnpm's env document gives its config dependencies and its own pinned version (src/lockfiles/formats/pnpm/). */
const CONFIG = '(config)';
const PACKAGE_MANAGER = '(packageManager)';

function run(input: SignalInput): Finding[] {
  const { change } = input;
  if (!isReviewable(change) || change.nameInBase) return [];
  const name = spec(change.name, change.to as string);
  if (change.directOf.includes(CONFIG)) {
    // Installed before everything else; a pnpm-plugin-* package's pnpmfile is loaded at every install.
    return [
      finding(
        ID,
        'medium',
        `${name} is a new pnpm config dependency: pnpm installs it before any other package, and a plugin's pnpmfile in it runs at every install (hooks that can rewrite what gets installed).`,
        {
          version: change.to,
          direct: true,
          directOf: change.directOf,
          via: change.via,
          configDependency: true,
        },
      ),
    ];
  }
  const via = change.via.slice(0, 6).map((n) => clean(n, 80));
  const message = change.direct
    ? `${name} is a new direct dependency${change.directOf.length > 0 && change.directOf.some((p) => p !== '') ? ` of ${change.directOf.map((p) => (p === '' ? 'the root project' : p === PACKAGE_MANAGER ? 'the project (as its pinned package manager)' : clean(p, 80))).join(', ')}` : ''}.`
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
  description: 'A package name the base lockfile did not have (info when transitive, low when direct, medium for a pnpm config dependency).',
  offline: true,
  needs: [],
  run,
};
