/** Python: the member lists of the wheels pth-file-added compares (each read from the ZIP central directory). */
import { wheelsToList, wheelVersionsNeeded } from '../../signals/index.js';
import { readGap } from './read-gap.js';
import type { Gatherer } from './types.js';

export const wheelListingsGatherer: Gatherer = {
  after: ['packument'],
  async start(_subjects, ctx) {
    return async ({ change, data }) => {
      const index = ctx.clients.python;
      if (change.ecosystem !== 'pypi' || !data.packument || !index) return;
      for (const v of wheelVersionsNeeded(change, data.packument)) {
        try {
          const files = wheelsToList(data.packument.versions.get(v));
          data.wheels.set(v, await Promise.all(files.map((f) => index.listWheel(f, ctx.read))));
        } catch (e) {
          ctx.incomplete.push(readGap(change, v, 'wheel contents unavailable', e));
        }
      }
    };
  },
};
