/** yarn 2+ (berry) `yarn.lock`: a YAML subset with a `__metadata` entry. */
import type { LockfileFormat } from '../../format.js';
import { parseYarnBerry, sniffYarnBerry } from './parse.js';

export { parseYarnBerry, sniffYarnBerry };

export const yarnBerryFormat: LockfileFormat = {
  id: 'yarn-berry',
  fileNames: ['yarn.lock'],
  // The first line that is not a comment is `__metadata:` (yarn 2+; yarn v1 files have no `__metadata`).
  sniff: sniffYarnBerry,
  parse: (file, text, start) => parseYarnBerry(file, text, start),
};
