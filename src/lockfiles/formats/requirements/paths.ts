/** Which paths are requirements files: there is no content signature, so the name decides. */

/**
 * The file names read as requirements files (documentation for the README; {@link isRequirementsPath}
 * decides). Input files (`requirements.in`) are not lockfiles. A constraints file read on its own is
 * reviewed like a requirements file: its pins are the versions that get installed.
 */
export const REQUIREMENTS_PATH_PATTERNS: readonly string[] = [
  'requirements.txt',
  'requirements-*.txt',
  'requirements_*.txt',
  'requirements.*.txt',
  '*-requirements.txt',
  '*_requirements.txt',
  'requirements/*.txt',
  'constraints.txt',
  'constraints-*.txt',
  'constraints_*.txt',
  '*-constraints.txt',
  '*_constraints.txt',
];

const REQ_STEM_RE = /^(?:(?:requirements|constraints)(?:[-_.].+)?|.+[-_](?:requirements|constraints))$/i;

/** Is this path (any folder, `/` or `\` separated) a requirements file by its name? See {@link REQUIREMENTS_PATH_PATTERNS}. */
export function isRequirementsPath(path: string): boolean {
  const parts = path.split(/[\\/]/);
  const base = parts[parts.length - 1]!;
  if (base.length <= 4 || base.slice(-4).toLowerCase() !== '.txt') return false;
  if (REQ_STEM_RE.test(base.slice(0, -4))) return true;
  return parts.length >= 2 && parts[parts.length - 2]!.toLowerCase() === 'requirements';
}
