/**
 * Guard rails: the settings files a change can use to switch off the repository's defences, read at
 * both sides and compared (pure). One reader per kind of file; `weakenings` picks it by path.
 */
import { InputError } from '../errors.js';
import { baseName } from '../lockfiles/paths.js';
import { isRequirementsPath } from '../lockfiles/formats/requirements/index.js';
import { bunfigSettings } from './bunfig.js';
import { npmrcSettings } from './npmrc.js';
import { packageJsonSettings } from './package-json.js';
import { LOCKWARDEN_CONFIG_PATHS } from './paths.js';
import { pipConfSettings } from './pip-conf.js';
import { pnpmWorkspaceSettings } from './pnpm-workspace.js';
import { requirementsSettings } from './requirements.js';
import { compareSettings, type Settings, type Weakenings } from './settings.js';
import { uvSettings } from './uv.js';
import { yarnrcSettings } from './yarnrc.js';

export { GUARD_RAIL_FILE_NAMES, isGuardRailPath, LOCKWARDEN_CONFIG_PATHS, MAX_GUARD_RAIL_FILES } from './paths.js';
export { lockwardenConfigChanges } from './lockwarden-config.js';
export type { Weakenings } from './settings.js';

/** A larger settings file is refused (no real one comes near it): an unread head fails the review. */
export const MAX_GUARD_RAIL_BYTES = 1024 * 1024;

type Reader = (file: string, text: string) => Settings;

const READERS: Record<string, Reader> = {
  '.npmrc': (_f, t) => npmrcSettings(t),
  'package.json': packageJsonSettings,
  'pnpm-workspace.yaml': pnpmWorkspaceSettings,
  '.yarnrc.yml': yarnrcSettings,
  'bunfig.toml': bunfigSettings,
  'pip.conf': (_f, t) => pipConfSettings(t),
  'uv.toml': (f, t) => uvSettings(f, t, false),
  'pyproject.toml': (f, t) => uvSettings(f, t, true),
};

/** The reader for `path`, or undefined for a file that holds no guard rail (lockwarden.yml: see lockwardenConfigChanges). */
function readerFor(path: string): Reader | undefined {
  if (isRequirementsPath(path)) return requirementsSettings;
  return READERS[baseName(path)];
}

/** Is `path` lockwarden's own configuration (shown for awareness, never compared as settings)? */
export function isLockwardenConfig(path: string): boolean {
  return LOCKWARDEN_CONFIG_PATHS.includes(path);
}

/** Does a reader know `path` (a guard-rail file or a requirements file)? */
export function hasGuardRailReader(path: string): boolean {
  return readerFor(path) !== undefined;
}

/** More settings in one file are refused: no real file has that many, and each would be a finding. */
export const MAX_GUARD_RAIL_SETTINGS = 10_000;

function read(reader: Reader, file: string, text: string): Settings {
  if (text.length > MAX_GUARD_RAIL_BYTES)
    throw new InputError(`too large to review (${text.length} characters; the limit is ${MAX_GUARD_RAIL_BYTES})`, { file });
  let settings: Settings;
  try {
    settings = reader(file, text);
  } catch (e) {
    // Whatever the text made the reader do (a stack overflow on deep nesting, …): name the file.
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read: ${(e as Error)?.message ?? String(e)}`, { file });
  }
  if (settings.size > MAX_GUARD_RAIL_SETTINGS) {
    throw new InputError(`too many settings to review (${settings.size}; the limit is ${MAX_GUARD_RAIL_SETTINGS})`, { file });
  }
  return settings;
}

/**
 * What the change weakened and tightened in `file`. Throws an InputError (file and line) when the head
 * text cannot be read: the caller fails closed. A base it cannot read is compared as empty.
 */
export function weakenings(file: string, base: string | null, head: string | null): Weakenings {
  const reader = readerFor(file);
  if (reader === undefined) return { weakened: [], tightened: [] };
  let before: Settings = new Map();
  if (base !== null) {
    try {
      before = read(reader, file, base);
    } catch {
      // An unreadable base guards nothing we can vouch for: every head setting then reads as new.
    }
  }
  const after = head === null ? new Map() : read(reader, file, head);
  return compareSettings(before, after);
}
