// yarn classic (v1) yarn.lock: our parseLockfile (packages, edges and line positions) vs
// @yarnpkg/lockfile's parse on the same text, in the same run, for the largest corpus files.
// `run()` returns rows { format, file, bytes, packages, oursMs, establishedMs, established, ratio }
// (ratio = oursMs / establishedMs). Needs the build (imports ../dist). Run alone: `node bench/format-yarn-v1.js`.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLockfile } from '../dist/lockfiles/index.js';
import { CORPUS, timeAll } from './lib.js';

const require = createRequire(import.meta.url);
const yarnLockfile = require('@yarnpkg/lockfile');

const LARGEST = 2;

/** The LARGEST distinct yarn.lock files of the corpus (base and head of every pair). */
function largestFiles() {
  const dir = path.join(CORPUS, 'yarn-v1');
  const files = [];
  for (const pair of readdirSync(dir)) {
    for (const side of ['base', 'head']) {
      const p = path.join(dir, pair, side, 'yarn.lock');
      if (existsSync(p)) files.push({ file: `yarn-v1/${pair}/${side}`, text: readFileSync(p, 'utf8') });
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
      packages = parseLockfile('yarn.lock', text).packages.length;
    };
    const established = () => {
      if (yarnLockfile.parse(text).type !== 'success') throw new Error(`${file}: @yarnpkg/lockfile failed`);
    };
    const [oursMs, establishedMs] = timeAll([ours, established]);
    rows.push({
      format: 'yarn-v1',
      file,
      bytes: Buffer.byteLength(text),
      packages,
      oursMs,
      establishedMs,
      established: '@yarnpkg/lockfile parse',
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
