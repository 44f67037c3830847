/**
 * sdist-only (Python): the new version has no wheel for platforms the version it replaces had wheels
 * for, only a source distribution — so installing it there runs the package's build code (setup.py
 * or the build backend) on the installing machine. New platforms are never a finding.
 */
import type { Finding } from '../model/index.js';
import { comparisonVersion } from './history.js';
import { hasSdist, platformFamily, wheelPlatforms } from './python-dist.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { clean, finding, joinList, registryTarget, spec } from './util.js';

const ID = 'sdist-only';

function families(platforms: Set<string>): Set<string> {
  return new Set([...platforms].map(platformFamily));
}

function run(input: SignalInput): Finding[] {
  if (input.change.ecosystem !== 'pypi') return [];
  const rt = registryTarget(input);
  if (!rt?.meta.files || rt.meta.files.length === 0) return [];
  const cmp = comparisonVersion(input.change, rt.packument);
  if (!cmp?.files) return [];
  const before = families(wheelPlatforms(cmp.files));
  if (before.size === 0) return []; // the earlier version was sdist-only too: nothing changed
  const now = families(wheelPlatforms(rt.meta.files));
  if (now.has('any')) return []; // a pure-Python wheel installs everywhere
  const lost = [...before].filter((p) => !now.has(p) && (p !== 'any' || now.size === 0)).sort();
  if (lost.length === 0) return [];
  if (!hasSdist(rt.meta.files)) return []; // nothing to build from: pip fails instead of building
  const name = spec(input.change.name, rt.version);
  const base = spec(input.change.name, cmp.version);
  const all = now.size === 0;
  const shown = lost.slice(0, 6).map((p) => clean(p, 60));
  const list = lost.length > 6 ? `${shown.join(', ')} and ${lost.length - 6} more` : joinList(shown);
  const message = all
    ? `${name} has no wheels, only a source distribution, where ${base} had wheels (${list}): installing it runs the package's build code.`
    : `${name} has no wheel for ${list}, where ${base} had one: installing it there builds from the source distribution, running the package's build code.`;
  return [
    finding(ID, all ? 'medium' : 'low', message, {
      version: rt.version,
      baseVersion: cmp.version,
      lostPlatforms: lost,
      platforms: [...now].sort(),
      basePlatforms: [...before].sort(),
      noWheels: all,
    }),
  ];
}

export const sdistOnly: SignalDefinition = {
  id: ID,
  defaultSeverity: 'medium',
  description:
    'Python: the new version has only a source distribution for platforms that had wheels before, so installing it runs build code (low when only some platforms lost their wheels).',
  offline: false,
  needs: ['packument'],
  run,
};
