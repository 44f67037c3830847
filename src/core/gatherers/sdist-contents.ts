/**
 * Python: what the sdists install-hook-changed compares would run: only when the new version builds
 * from source (no wheel fits), its sdist and the replaced version's.
 */
import type { SdistInfo } from '../../model/index.js';
import { sdistToInspect, sdistVersionsNeeded } from '../../signals/index.js';
import { readGap } from './read-gap.js';
import type { Gatherer } from './types.js';

export const sdistContentsGatherer: Gatherer = {
  after: ['packument'],
  async start(_subjects, ctx) {
    return async ({ change, data }) => {
      const index = ctx.clients.python;
      if (change.ecosystem !== 'pypi' || !data.packument || !index) return;
      const sdists = (data.sdists ??= new Map<string, SdistInfo>());
      for (const v of sdistVersionsNeeded(change, data.packument)) {
        const file = sdistToInspect(data.packument.versions.get(v));
        if (!file) continue;
        try {
          sdists.set(v, await index.inspectSdist(file, ctx.read));
        } catch (e) {
          ctx.incomplete.push(readGap(change, v, 'sdist contents unavailable', e));
        }
      }
    };
  },
};
