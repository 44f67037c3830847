// pnpm pnpm-lock.yaml (lockfile 5.x, 6.0, 9.0): our parseLockfile (packages, edges and line positions)
// vs the `yaml` package's parse on the same text, in the same run, for the largest corpus file of each
// pnpm lockfile version. `run()` returns rows { format, file, bytes, packages, oursMs, establishedMs,
// established, ratio } (ratio = oursMs / establishedMs). Needs the build (imports ../dist).
// Run alone: `node bench/format-pnpm.js`.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as yamlParse } from 'yaml';
import { parseLockfile } from '../dist/lockfiles/index.js';
import { CORPUS, timeAll } from './lib.js';

const FORMATS = ['pnpm-v9', 'pnpm-v6', 'pnpm-v5'];

/** The largest pnpm-lock.yaml (base or head of any pair) of a corpus format. */
function largestFile(format) {
  const dir = path.join(CORPUS, format);
  if (!existsSync(dir)) return null;
  let best = null;
  for (const pair of readdirSync(dir)) {
    for (const side of ['base', 'head']) {
      const p = path.join(dir, pair, side, 'pnpm-lock.yaml');
      if (!existsSync(p)) continue;
      const text = readFileSync(p, 'utf8');
      if (!best || text.length > best.text.length) best = { file: `${format}/${pair}/${side}`, text };
    }
  }
  return best;
}

export async function run() {
  const rows = [];
  for (const format of FORMATS) {
    const found = largestFile(format);
    if (!found) continue;
    const { file, text } = found;
    let packages = 0;
    const ours = () => {
      packages = parseLockfile('pnpm-lock.yaml', text).packages.length;
    };
    const established = () => {
      if (yamlParse(text) === null) throw new Error(`${file}: yaml failed`);
    };
    const [oursMs, establishedMs] = timeAll([ours, established]);
    rows.push({ format, file, bytes: Buffer.byteLength(text), packages, oursMs, establishedMs, established: 'yaml parse', ratio: oursMs / establishedMs });
  }
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const r of await run()) {
    console.log(
      `${r.format.padEnd(8)} ${r.file.padEnd(40)} ${String(r.bytes).padStart(8)} B ${String(r.packages).padStart(5)} pkgs  ours ${r.oursMs.toFixed(1).padStart(6)} ms  ${r.established} ${r.establishedMs.toFixed(1).padStart(6)} ms  ratio ${r.ratio.toFixed(3)}`,
    );
  }
}
