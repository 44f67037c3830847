/** Which scanner reads a file, by its name: JavaScript, Python, or none (data, docs, type declarations). */
import type { Capabilities } from './capability-set.js';
import { isJsPath, jsCapabilities } from './capabilities-js.js';
import { isPyPath, pyCapabilities } from './capabilities-py.js';

export function scannerOf(path: string): ((text: string) => Capabilities) | null {
  if (isJsPath(path)) return jsCapabilities;
  if (isPyPath(path)) return pyCapabilities;
  return null;
}
