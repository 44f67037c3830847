/** pipenv's `Pipfile.lock` (JSON). */
import type { LockfileFormat } from '../../format.js';
import { parsePipfile, sniffPipfile } from './parse.js';

export { parsePipfile, sniffPipfile };

export const pipfileFormat: LockfileFormat = {
  id: 'pipfile',
  fileNames: ['Pipfile.lock'],
  // A JSON object whose first member is `_meta`, `default` or `develop` (before npm, which takes any object).
  sniff: sniffPipfile,
  parse: (file, text, start, opts) => parsePipfile(file, text, start, { maxDepth: opts.maxDepth }),
};
