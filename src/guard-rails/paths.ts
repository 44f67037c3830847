/**
 * Which paths hold settings a pull request could use to switch off the repository's defences: install
 * scripts, registries, release-age gates, index URLs. The edges read these files only when a change touches them.
 */
import { baseName } from '../lockfiles/paths.js';

/** Settings files by name, in any folder (a workspace package may carry its own). */
export const GUARD_RAIL_FILE_NAMES: readonly string[] = [
  '.npmrc',
  'package.json',
  'pnpm-workspace.yaml',
  '.yarnrc.yml',
  'bunfig.toml',
  'pip.conf',
  'uv.toml',
  'pyproject.toml',
];

/** lockwarden's own configuration: shown for awareness (the App never reads the pull request's copy). */
export const LOCKWARDEN_CONFIG_PATHS: readonly string[] = ['.github/lockwarden.yml'];

/** Most guard-rail files one review reads; past it the rest are listed as not reviewed (fails closed). */
export const MAX_GUARD_RAIL_FILES = 200;

/** Is `path` (repository-relative, `/`-separated) a guard-rail file? Requirements files are lockfiles and are read as such. */
export function isGuardRailPath(path: string): boolean {
  return GUARD_RAIL_FILE_NAMES.includes(baseName(path)) || LOCKWARDEN_CONFIG_PATHS.includes(path);
}
