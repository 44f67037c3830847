// bun bun.lock (JSONC): our parseLockfile (packages, edges, flags and line positions) vs
// jsonc-parser's parse (a plain value tree, no lines) on the same text, in the same run, for the largest corpus files.
// `run()` returns rows { format, file, bytes, packages, oursMs, establishedMs, established, ratio }
// (ratio = oursMs / establishedMs). Needs the build (imports ../dist). Run alone: `node bench/format-bun.js`.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLockfile } from '../dist/lockfiles/index.js';
import { CORPUS, timeAll } from './lib.js';

const require = createRequire(import.meta.url);
const jsonc = require('jsonc-parser');

const LARGEST = 2;

/** The LARGEST distinct bun.lock files of the corpus (base and head of every pair). */
function largestFiles() {
  const dir = path.join(CORPUS, 'bun');
  const files = [];
  for (const pair of readdirSync(dir)) {
    for (const side of ['base', 'head']) {
      const p = path.join(dir, pair, side, 'bun.lock');
      if (existsSync(p)) files.push({ file: `bun/${pair}/${side}`, text: readFileSync(p, 'utf8') });
    }
  }
  files.sort((a, b) => b.text.length - a.text.length);
  return files.slice(0, LARGEST);
}

export async function run() {
  const rows = [];
  for (const { file, text } of largestFiles()) {
    let packages = 0;
    const ours = () => {
      packages = parseLockfile('bun.lock', text).packages.length;
    };
    const established = () => {
      const errors = [];
      const value = jsonc.parse(text, errors, { allowTrailingComma: true });
      if (errors.length > 0 || typeof value !== 'object') throw new Error(`${file}: jsonc-parser failed`);
    };
    const [oursMs, establishedMs] = timeAll([ours, established], { warmup: 20, runs: 9 });
    rows.push({
      format: 'bun',
      file,
      bytes: Buffer.byteLength(text),
      packages,
      oursMs,
      establishedMs,
      established: 'jsonc-parser parse',
      ratio: oursMs / establishedMs,
    });
  }
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const r of await run())
    console.log(
      `${r.file}: ${r.bytes} bytes, ${r.packages} packages, ours ${r.oursMs.toFixed(2)} ms, ${r.established} ${r.establishedMs.toFixed(2)} ms, ratio ${r.ratio.toFixed(2)}x`,
    );
}
