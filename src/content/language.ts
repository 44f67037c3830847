/** Which scanner reads a file, by its name: JavaScript, Python, shell/batch scripts, or none (data, docs, type declarations). */
import type { Capabilities } from './capability-set.js';
import { isJsPath, jsCapabilities } from './capabilities-js.js';
import { isPyPath, pyCapabilities } from './capabilities-py.js';
import { isScriptPath, scriptCapabilities } from './capabilities-sh.js';

export function scannerOf(path: string): ((text: string) => Capabilities) | null {
  if (isJsPath(path)) return jsCapabilities;
  if (isPyPath(path)) return pyCapabilities;
  if (isScriptPath(path)) return scriptCapabilities;
  return null;
}
