/** pip requirements files (`requirements.txt`, `requirements/*.txt`, …), chosen by path. */
import type { LockfileFormat } from '../../format.js';
import { isRequirementsPath, parseRequirements } from './parse.js';

export { isRequirementsPath, parseRequirements, REQUIREMENTS_PATH_PATTERNS } from './parse.js';

export const requirementsFormat: LockfileFormat = {
  id: 'requirements',
  fileNames: [],
  // No content signature: chosen by path (requirements.txt, requirements/*.txt, …) when nothing else matches.
  sniff: () => false,
  matchesPath: isRequirementsPath,
  parse: (file, text, start, opts) => parseRequirements(file, text, start, { includes: opts.includes, limits: { maxBytes: opts.maxBytes } }),
};
