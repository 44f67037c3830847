// Pipfile.lock (JSON): our parseLockfile (packages, sources, hashes and line positions, one pass)
// vs JSON.parse (a plain value tree, no lines) on the same text, in the same run, for the largest
// corpus Pipfile.lock files; and parse + diff of the largest pair vs JSON.parse of both sides.
// `run()` returns rows { format, file, bytes, packages, oursMs, establishedMs, established, ratio }
// (ratio = oursMs / establishedMs). Needs the build (imports ../dist). Run alone: `node bench/format-pipfile.js`.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { diffLockfiles } from '../dist/diff/index.js';
import { parseLockfile } from '../dist/lockfiles/index.js';
import { CORPUS, timeAll } from './lib.js';

const LARGEST = 2;

function pairs() {
  const dir = path.join(CORPUS, 'pipfile');
  const out = [];
  for (const pair of readdirSync(dir).sort()) {
    const read = (side) => {
      const p = path.join(dir, pair, side, 'Pipfile.lock');
      return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
    };
    const base = read('base');
    const head = read('head');
    if (base && head) out.push({ pair, base, head });
  }
  return out;
}

export async function run() {
  const rows = [];
  const all = pairs();
  const files = all.flatMap(({ pair, base, head }) => [
    { file: `pipfile/${pair}/base`, text: base },
    { file: `pipfile/${pair}/head`, text: head },
  ]);
  files.sort((a, b) => b.text.length - a.text.length);
  for (const { file, text } of files.slice(0, LARGEST)) {
    let packages = 0;
    const ours = () => {
      packages = parseLockfile('Pipfile.lock', text).packages.length;
    };
    const established = () => {
      if (typeof JSON.parse(text) !== 'object') throw new Error(`${file}: JSON.parse failed`);
    };
    const [establishedMs, oursMs] = timeAll([established, ours], { warmup: 50, runs: 21 });
    rows.push({ format: 'pipfile', file, bytes: Buffer.byteLength(text), packages, oursMs, establishedMs, established: 'JSON.parse', ratio: oursMs / establishedMs });
  }
  // parse + diff of the largest pair
  const big = all.sort((a, b) => b.base.length + b.head.length - (a.base.length + a.head.length))[0];
  if (big) {
    let packages = 0;
    const ours = () => {
      const base = parseLockfile('Pipfile.lock', big.base);
      const head = parseLockfile('Pipfile.lock', big.head);
      diffLockfiles(base, head);
      packages = base.packages.length + head.packages.length;
    };
    const established = () => {
      JSON.parse(big.base);
      JSON.parse(big.head);
    };
    const [establishedMs, oursMs] = timeAll([established, ours], { warmup: 50, runs: 21 });
    rows.push({
      format: 'pipfile (parse+diff, base+head)',
      file: `pipfile/${big.pair}`,
      bytes: Buffer.byteLength(big.base) + Buffer.byteLength(big.head),
      packages,
      oursMs,
      establishedMs,
      established: 'JSON.parse ×2',
      ratio: oursMs / establishedMs,
    });
  }
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const r of await run()) console.log(`${r.format} ${r.file}: ${r.bytes} bytes, ${r.packages} packages, ours ${r.oursMs.toFixed(3)} ms, ${r.established} ${r.establishedMs.toFixed(3)} ms, ratio ${r.ratio.toFixed(2)}x`);
}
