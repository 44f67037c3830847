/** Which paths are lockfiles: by file name, or by pattern for requirements files. */
import type { Ecosystem } from '../model/index.js';
import { isPylockFileName } from './formats/pylock.js';
import { isRequirementsPath, REQUIREMENTS_PATH_PATTERNS } from './formats/requirements/index.js';

/** Lockfile names lockwarden knows, and whether it can parse them yet. */
export const LOCKFILE_NAMES: ReadonlyArray<{ fileName: string; ecosystem: Ecosystem; supported: boolean }> = [
  { fileName: 'package-lock.json', ecosystem: 'npm', supported: true },
  { fileName: 'npm-shrinkwrap.json', ecosystem: 'npm', supported: true },
  { fileName: 'yarn.lock', ecosystem: 'npm', supported: true },
  { fileName: 'pnpm-lock.yaml', ecosystem: 'npm', supported: true },
  { fileName: 'bun.lock', ecosystem: 'npm', supported: true },
  { fileName: 'bun.lockb', ecosystem: 'npm', supported: false },
  { fileName: 'Pipfile.lock', ecosystem: 'pypi', supported: true },
  { fileName: 'poetry.lock', ecosystem: 'pypi', supported: true },
  { fileName: 'uv.lock', ecosystem: 'pypi', supported: true },
  // also `pylock.<name>.toml` (PEP 751), matched by isLockfilePath
  { fileName: 'pylock.toml', ecosystem: 'pypi', supported: true },
];

/**
 * Lockfiles recognised by a path pattern rather than one name (`*` is any text, `dir/*.txt` a file
 * in a folder of that name at any depth): requirements files, which have no content signature.
 */
export const LOCKFILE_PATTERNS: ReadonlyArray<{ pattern: string; ecosystem: Ecosystem; format: string; supported: boolean }> = REQUIREMENTS_PATH_PATTERNS.map(
  (pattern) => ({ pattern, ecosystem: 'pypi' as const, format: 'requirements', supported: true }),
);

export function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(i + 1);
}

/** Is this path a lockfile lockwarden can parse (by its file name, in any folder)? */
export function isLockfilePath(path: string): boolean {
  const name = baseName(path);
  return LOCKFILE_NAMES.some((l) => l.supported && l.fileName === name) || isPylockFileName(name) || isRequirementsPath(path);
}

/** The ecosystem a lockfile path belongs to by its name (undefined when the name is not a known lockfile's). */
export function ecosystemOfPath(path: string): Ecosystem | undefined {
  const name = baseName(path);
  const known = LOCKFILE_NAMES.find((l) => l.fileName === name);
  if (known) return known.ecosystem;
  return isPylockFileName(name) || isRequirementsPath(path) ? 'pypi' : undefined;
}

/** Is this path a lockfile lockwarden knows of, supported or not yet? */
export function isKnownLockfilePath(path: string): boolean {
  const name = baseName(path);
  return LOCKFILE_NAMES.some((l) => l.fileName === name) || isPylockFileName(name) || isRequirementsPath(path);
}
