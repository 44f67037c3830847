/** pip requirements files (`requirements.txt`, `requirements/*.txt`, …), chosen by path. */
import type { LockfileFormat } from '../../format.js';
import { parseRequirements } from './parse.js';
import { isRequirementsPath } from './paths.js';

export { DEFAULT_INCLUDE_LIMITS, IncludeRefused, loadIncludedFiles, loadRequirementFiles, requirementIncludes } from './includes.js';
export type { IncludeLimits } from './includes.js';
export { parseRequirements } from './parse.js';
export type { RequirementsParseOptions } from './parse.js';
export { isRequirementsPath, REQUIREMENTS_PATH_PATTERNS } from './paths.js';

export const requirementsFormat: LockfileFormat = {
  id: 'requirements',
  fileNames: [],
  // No content signature: chosen by path (requirements.txt, requirements/*.txt, …) when nothing else matches.
  sniff: () => false,
  matchesPath: isRequirementsPath,
  parse: (file, text, start, opts) => parseRequirements(file, text, start, { includes: opts.includes, limits: { maxBytes: opts.maxBytes } }),
};
