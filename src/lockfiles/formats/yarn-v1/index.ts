/** yarn classic (`# yarn lockfile v1`) `yarn.lock`. */
import type { LockfileFormat } from '../../format.js';
import { parseYarnV1, sniffYarnV1 } from './parse.js';

export { parseYarnV1, sniffYarnV1 };

export const yarnV1Format: LockfileFormat = {
  id: 'yarn-v1',
  fileNames: ['yarn.lock'],
  // The `# yarn lockfile v1` header comment (yarn berry files have `__metadata` instead).
  sniff: sniffYarnV1,
  parse: (file, text, start) => parseYarnV1(file, text, start),
};
