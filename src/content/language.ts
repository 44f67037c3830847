/** Which scanner reads a file, by its name: JavaScript, Python, shell/batch scripts, or none (data, docs, type declarations). */
import type { Capabilities } from './capability-set.js';
import { isJsPath, jsCapabilities } from './capabilities-js.js';
import { isPyPath, pyCapabilities } from './capabilities-py.js';
import { isScriptPath, scriptCapabilities } from './capabilities-sh.js';
import { memoized } from './memo.js';

const js = (text: string): Capabilities => memoized('js', text, jsCapabilities);
const py = (text: string): Capabilities => memoized('py', text, pyCapabilities);
const sh = (text: string): Capabilities => memoized('sh', text, scriptCapabilities);

/** The scanner's result is shared within one analysis (./memo.ts): read it, do not change it. */
export function scannerOf(path: string): ((text: string) => Capabilities) | null {
  if (isJsPath(path)) return js;
  if (isPyPath(path)) return py;
  if (isScriptPath(path)) return sh;
  return null;
}
