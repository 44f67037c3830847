// yarn berry: our parseLockfile (with line positions and dependency edges) next to @yarnpkg/parsers'
// parseSyml (the parser yarn itself uses) on the same text, in the same run, for the largest corpus files.
// `run()` returns rows { format, file, bytes, packages, oursMs, establishedMs, established, ratio }
// (ratio = oursMs / establishedMs; below 1 is faster). Needs `npx tsc -p tsconfig.build.json` (imports ../dist).
// Run alone: `node bench/format-yarn-berry.js`.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSyml } from '@yarnpkg/parsers';
import { parseLockfile } from '../dist/lockfiles/index.js';
import { CORPUS, timeAll } from './lib.js';

const FILES = 2;

/** The largest yarn berry files of the corpus (base and head of every pair), largest first. */
function largest() {
  const dir = path.join(CORPUS, 'yarn-berry');
  const files = [];
  for (const pair of readdirSync(dir)) {
    for (const side of ['base', 'head']) {
      const file = path.join(dir, pair, side, 'yarn.lock');
      if (existsSync(file)) files.push({ file: `yarn-berry/${pair}/${side}/yarn.lock`, text: readFileSync(file, 'utf8') });
    }
  }
  files.sort((a, b) => b.text.length - a.text.length);
  return files.slice(0, FILES);
}

export async function run() {
  const rows = [];
  for (const { file, text } of largest()) {
    let packages = 0;
    let entries = 0;
    const [oursMs, establishedMs] = timeAll([
      () => {
        packages = parseLockfile('yarn.lock', text).packages.length;
      },
      () => {
        entries = Object.keys(parseSyml(text)).length;
      },
    ]);
    if (packages === 0 || entries <= packages) throw new Error(`${file}: unexpected counts (${packages} packages, ${entries} Syml keys)`);
    rows.push({
      format: 'yarn-berry',
      file,
      bytes: Buffer.byteLength(text),
      packages,
      oursMs: Number(oursMs.toFixed(2)),
      establishedMs: Number(establishedMs.toFixed(2)),
      established: '@yarnpkg/parsers parseSyml',
      ratio: Number((oursMs / establishedMs).toFixed(3)),
    });
  }
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.table(await run());
}
