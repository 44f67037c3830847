// poetry.lock, uv.lock and pylock.toml (TOML): our parseLockfile (the TOML read with header and key
// lines, then packages, hashes, edges and flags) vs smol-toml's parse (a plain value tree, no lines)
// on the same text, in the same run, for the largest corpus file of each format; and parse + diff of
// the largest pair of each format vs smol-toml's parse of both sides.
// `run()` returns rows { format, file, bytes, packages, oursMs, establishedMs, established, ratio }
// (ratio = oursMs / establishedMs). Needs the build (imports ../dist). Run alone: `node bench/format-python-toml.js`.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as smolParse } from 'smol-toml';
import { diffLockfiles } from '../dist/diff/index.js';
import { parseLockfile } from '../dist/lockfiles/index.js';
import { CORPUS, timeAll } from './lib.js';

const FORMATS = [
  { format: 'poetry', fileName: 'poetry.lock' },
  { format: 'uv', fileName: 'uv.lock' },
  { format: 'pylock', fileName: 'pylock.toml' },
];

/** The largest file (base or head of any pair) of a format in the corpus. */
function largest(format, fileName) {
  const dir = path.join(CORPUS, format);
  let best;
  for (const pair of readdirSync(dir)) {
    for (const side of ['base', 'head']) {
      const p = path.join(dir, pair, side, fileName);
      if (!existsSync(p)) continue;
      const text = readFileSync(p, 'utf8');
      if (!best || text.length > best.text.length) best = { file: `${format}/${pair}/${side}`, text };
    }
  }
  return best;
}

/** The largest base/head pair (by bytes) of a format in the corpus. */
function largestPair(format, fileName) {
  const dir = path.join(CORPUS, format);
  let best;
  for (const pair of readdirSync(dir).sort()) {
    const b = path.join(dir, pair, 'base', fileName);
    const h = path.join(dir, pair, 'head', fileName);
    if (!existsSync(b) || !existsSync(h)) continue;
    const base = readFileSync(b, 'utf8');
    const head = readFileSync(h, 'utf8');
    if (!best || base.length + head.length > best.base.length + best.head.length) best = { file: `${format}/${pair}`, base, head };
  }
  return best;
}

export async function run() {
  const rows = [];
  for (const { format, fileName } of FORMATS) {
    const found = largest(format, fileName);
    if (!found) continue;
    const { file, text } = found;
    let packages = 0;
    const ours = () => {
      packages = parseLockfile(fileName, text).packages.length;
    };
    const established = () => {
      if (typeof smolParse(text) !== 'object') throw new Error(`${file}: smol-toml failed`);
    };
    // established first in each round: the function after a round's garbage pays for it, and ours is not favoured
    const [establishedMs, oursMs] = timeAll([established, ours], { warmup: 50, runs: 21 });
    rows.push({ format, file, bytes: Buffer.byteLength(text), packages, oursMs, establishedMs, established: 'smol-toml parse', ratio: oursMs / establishedMs });
  }
  for (const { format, fileName } of FORMATS) {
    const pair = largestPair(format, fileName);
    if (!pair) continue;
    let packages = 0;
    const ours = () => {
      const base = parseLockfile(fileName, pair.base);
      const head = parseLockfile(fileName, pair.head);
      diffLockfiles(base, head);
      packages = base.packages.length + head.packages.length;
    };
    const established = () => {
      smolParse(pair.base);
      smolParse(pair.head);
    };
    const [establishedMs, oursMs] = timeAll([established, ours], { warmup: 20, runs: 21 });
    rows.push({
      format: `${format} (parse+diff, base+head)`,
      file: pair.file,
      bytes: Buffer.byteLength(pair.base) + Buffer.byteLength(pair.head),
      packages,
      oursMs,
      establishedMs,
      established: 'smol-toml parse ×2',
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
