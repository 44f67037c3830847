/**
 * maintainers-changed: the maintainer list recorded on the new version differs from the previous release's.
 */
import type { Finding, VersionMeta } from '../model/index.js';
import { previousRelease } from './history.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { clean, finding, registryTarget, spec } from './util.js';

const ID = 'maintainers-changed';

/** The maintainers recorded on a version (lower case), or null when the document records none. */
export function maintainerNames(meta: VersionMeta): Set<string> | null {
  if (!Array.isArray(meta.maintainers) || meta.maintainers.length === 0) return null;
  const out = new Set<string>();
  for (const p of meta.maintainers) if (p && typeof p.name === 'string' && p.name !== '') out.add(p.name.toLowerCase());
  return out.size > 0 ? out : null;
}

function run(input: SignalInput): Finding[] {
  const rt = registryTarget(input);
  if (!rt) return [];
  const now = maintainerNames(rt.meta);
  const prev = previousRelease(rt.packument, rt.version);
  if (!now || !prev) return [];
  const before = maintainerNames(prev.meta);
  if (!before) return []; // the earlier list is unknown: no comparison
  const added = [...now].filter((n) => !before.has(n)).sort();
  const removed = [...before].filter((n) => !now.has(n)).sort();
  if (added.length === 0 && removed.length === 0) return [];
  const parts: string[] = [];
  if (added.length > 0)
    parts.push(
      `adds ${added
        .map((n) => clean(n, 60))
        .slice(0, 5)
        .join(', ')}${added.length > 5 ? ` and ${added.length - 5} more` : ''}`,
    );
  if (removed.length > 0)
    parts.push(
      `removes ${removed
        .map((n) => clean(n, 60))
        .slice(0, 5)
        .join(', ')}${removed.length > 5 ? ` and ${removed.length - 5} more` : ''}`,
    );
  return [
    finding(
      ID,
      'low',
      `${spec(input.change.name, rt.version)} ${parts.join(' and ')} as maintainer compared with the previous release ${spec(input.change.name, prev.meta.version)}.`,
      {
        version: rt.version,
        previousVersion: prev.meta.version,
        added,
        removed,
        maintainers: [...now].sort(),
        previousMaintainers: [...before].sort(),
      },
    ),
  ];
}

export const maintainersChanged: SignalDefinition = {
  id: ID,
  defaultSeverity: 'low',
  description: "The maintainer list of the new version differs from the previous release's.",
  offline: false,
  needs: ['packument'],
  run,
};
