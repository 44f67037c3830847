/** npm `package-lock.json` and `npm-shrinkwrap.json` (lockfileVersion 1, 2, 3). */
import type { LockfileFormat } from '../../format.js';
import { parseNpm } from './parse.js';

export { parseNpm };

function firstNonSpace(text: string, start: number): number {
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return c;
  }
  return -1;
}

export const npmFormat: LockfileFormat = {
  id: 'npm',
  fileNames: ['package-lock.json', 'npm-shrinkwrap.json'],
  // Any JSON object: the npm parser itself tells a lockfile (lockfileVersion 1/2/3) from other JSON.
  sniff: (text, start) => firstNonSpace(text, start) === 0x7b,
  parse: (file, text, start, opts) => parseNpm(file, text, start, { maxDepth: opts.maxDepth }),
};
