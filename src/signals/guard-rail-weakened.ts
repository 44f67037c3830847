/**
 * guard-rail-weakened: a change switches off a defence in a settings file (.npmrc, package.json,
 * pnpm-workspace.yaml, .yarnrc.yml, bunfig.toml, pip.conf, uv.toml, pyproject.toml, requirements options).
 * It belongs to a file, not a package: the engine runs it on the changed settings files
 * (src/core/guard-rails.ts, readers in src/guard-rails), so per package it never has anything to say.
 */
import type { SignalDefinition } from './types.js';

export const guardRailWeakened: SignalDefinition = {
  id: 'guard-rail-weakened',
  defaultSeverity: 'high',
  description: 'A settings file weakens a defence: install scripts allowed, a new registry or index, TLS checks off, a lower release-age gate',
  offline: true,
  needs: [],
  run: () => [],
};
