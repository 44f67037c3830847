/**
 * pth-file-added (Python): a wheel of the new version installs a start-up hook — a `.pth` file at the
 * top of site-packages, or `sitecustomize.py`/`usercustomize.py` — that the version it replaces did
 * not. Python runs these at every interpreter start, before any import: the LiteLLM 1.82.8 payload
 * (`litellm_init.pth`). Hooks the package already shipped (setuptools' `distutils-precedence.pth`)
 * are not news. The wheel member lists come from the ZIP central directories (a few KB each).
 */
import type { Change, Finding, Packument, VersionMeta } from '../model/index.js';
import { comparisonVersion } from './history.js';
import { hooksOf, wheelsToList } from './python-dist.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { alreadyInBase, clean, finding, isReviewable, joinList, registryTarget, spec } from './util.js';

const ID = 'pth-file-added';

/**
 * The versions whose wheels the engine must list for this change: the new version and the one it is
 * compared with (the base version, else the previous release in time), when they have wheels.
 */
export function wheelVersionsNeeded(change: Change, packument: Packument): string[] {
  if (change.ecosystem !== 'pypi' || !isReviewable(change) || alreadyInBase(change)) return [];
  const version = change.to as string;
  const meta = packument.versions.get(version);
  if (!meta || wheelsToList(meta).length === 0) return [];
  const cmp = comparisonVersion(change, packument);
  const out = [version];
  if (cmp && wheelsToList(cmp).length > 0) out.push(cmp.version);
  return out;
}

function run(input: SignalInput): Finding[] {
  if (input.change.ecosystem !== 'pypi') return [];
  const rt = registryTarget(input);
  if (!rt) return [];
  const listings = input.wheels.get(rt.version);
  if (!listings || listings.length === 0) return [];
  const now = hooksOf(listings);
  if (now.size === 0) return [];
  const cmp: VersionMeta | undefined = comparisonVersion(input.change, rt.packument);
  const before = cmp ? input.wheels.get(cmp.version) : undefined;
  const name = spec(input.change.name, rt.version);
  const earlier = before ? hooksOf(before) : new Map<string, unknown>();
  const added = [...now.entries()].filter(([k]) => !earlier.has(k));
  if (added.length === 0) return [];
  const shown = added.map(([, v]) => clean(v.member, 120));
  const wheel = clean(added[0]![1].wheel, 160);
  const what = added.length === 1 ? `the start-up hook ${shown[0]}` : `the start-up hooks ${joinList(shown)}`;
  const evidence = {
    version: rt.version,
    files: added.map(([, v]) => v.member),
    wheel: added[0]![1].wheel,
    allHooks: [...now.values()].map((f) => f.member),
    baseVersion: cmp?.version ?? null,
    baseHooks: before ? [...earlier.keys()] : [],
    baseHasWheels: cmp ? wheelsToList(cmp).length > 0 : false,
  };
  if (!cmp) {
    return [
      finding(
        ID,
        'high',
        `${name} installs ${what} (in ${wheel}), which Python runs at every interpreter start; it is the package's first release, so there is nothing to compare with.`,
        evidence,
      ),
    ];
  }
  // Without the earlier wheels' lists (an sdist-only release, or unreadable: then the review is also incomplete) it is high, not critical.
  const was = before
    ? `${spec(input.change.name, cmp.version)} had ${earlier.size === 0 ? 'none' : `only ${joinList([...earlier.keys()].map((k) => clean(k, 80)))}`}`
    : wheelsToList(cmp).length > 0
      ? `the wheels of ${spec(input.change.name, cmp.version)} could not be read to compare`
      : `${spec(input.change.name, cmp.version)} had no wheel to compare with`;
  return [
    finding(
      ID,
      before ? 'critical' : 'high',
      `${name} installs ${what} (in ${wheel}), which Python runs at every interpreter start without any import; ${was}.`,
      evidence,
    ),
  ];
}

export const pthFileAdded: SignalDefinition = {
  id: ID,
  defaultSeverity: 'critical',
  description:
    'Python: a wheel of the new version installs a .pth file or sitecustomize/usercustomize module that the previous version did not (code run at every interpreter start).',
  offline: false,
  needs: ['packument', 'wheel-listings'],
  run,
};
