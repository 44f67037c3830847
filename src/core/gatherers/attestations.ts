/** The provenance statements (from the attestations endpoint) of the versions provenance-source-changed compares. */
import { provenanceVersionsNeeded } from '../../signals/index.js';
import { readGap } from './read-gap.js';
import type { Gatherer } from './types.js';

export const attestationsGatherer: Gatherer = {
  after: ['packument'],
  async start(_subjects, ctx) {
    return async ({ change, data }) => {
      const client = ctx.clients.for(change.ecosystem);
      if (!data.packument || !client) return;
      for (const v of provenanceVersionsNeeded(change, data.packument)) {
        try {
          data.provenance.set(v, await client.getProvenance(change.name, v, ctx.read));
        } catch (e) {
          ctx.incomplete.push(readGap(change, v, 'provenance unavailable', e));
        }
      }
    };
  },
};
