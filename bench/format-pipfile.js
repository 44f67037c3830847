// Pipfile.lock (JSON): our parseLockfile (packages, sources, hashes and line positions, one pass)
// vs JSON.parse (a plain value tree, no lines) on the same text, in the same run, for the largest
// corpus Pipfile.lock files. (Parse + diff of the largest pair, whose target is ≤ 2x JSON.parse, is
// in bench/parse.js with the npm pairs.) A file parses in about a tenth of a millisecond, so each
// sample times a batch of calls (every function alike): one timer reading or one collection does
// not make the sample. `run()` returns rows { format, file, bytes, packages, oursMs, establishedMs,
// established, ratio } (ratio = oursMs / establishedMs). Needs the build (imports ../dist). Run
// alone: `node bench/format-pipfile.js`.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLockfile } from '../dist/lockfiles/index.js';
import { CORPUS, timeAll } from './lib.js';

const LARGEST = 2;
/** Calls per timed sample. */
const BATCH = 20;

function files() {
  const dir = path.join(CORPUS, 'pipfile');
  const out = [];
  for (const pair of readdirSync(dir).sort()) {
    for (const side of ['base', 'head']) {
      const p = path.join(dir, pair, side, 'Pipfile.lock');
      if (existsSync(p)) out.push({ file: `pipfile/${pair}/${side}`, text: readFileSync(p, 'utf8') });
    }
  }
  return out.sort((a, b) => b.text.length - a.text.length);
}

const batched = (fn) => () => {
  for (let i = 0; i < BATCH; i++) fn();
};

export async function run() {
  const rows = [];
  for (const { file, text } of files().slice(0, LARGEST)) {
    let packages = 0;
    const ours = () => {
      packages = parseLockfile('Pipfile.lock', text).packages.length;
    };
    const established = () => {
      if (typeof JSON.parse(text) !== 'object') throw new Error(`${file}: JSON.parse failed`);
    };
    const [establishedMs, oursMs] = timeAll([batched(established), batched(ours)], { warmup: 10, runs: 21 }).map((ms) => ms / BATCH);
    rows.push({
      format: 'pipfile',
      file,
      bytes: Buffer.byteLength(text),
      packages,
      oursMs,
      establishedMs,
      established: 'JSON.parse',
      ratio: oursMs / establishedMs,
      maxRatio: 2,
    });
  }
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const r of await run())
    console.log(
      `${r.format} ${r.file}: ${r.bytes} bytes, ${r.packages} packages, ours ${r.oursMs.toFixed(3)} ms, ${r.established} ${r.establishedMs.toFixed(3)} ms, ratio ${r.ratio.toFixed(2)}x`,
    );
}
