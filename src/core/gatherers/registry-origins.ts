/**
 * npm: where a change's registry tarballs may come from: the registry the review reads it from, the
 * base side's registry hosts and the config's allowed origins. No request: configuration and lockfile only.
 */
import { originOf } from '../../signals/index.js';
import type { Gatherer } from './types.js';

export const registryOriginsGatherer: Gatherer = {
  after: [],
  async start(_subjects, ctx) {
    return async ({ change, data }) => {
      const base = ctx.baseOrigins.get(change.lockfile) ?? new Set<string>();
      const url = change.ecosystem === 'npm' ? ctx.clients.registry?.registryUrl?.(change.name) : undefined;
      const configured = url !== undefined ? originOf(url) : undefined;
      data.registryOrigins = configured !== undefined ? { configured, base, allowed: ctx.allowedOrigins } : { base, allowed: ctx.allowedOrigins };
    };
  },
};
