// Parse + diff of the largest real npm lockfile pairs vs JSON.parse of the same text, in the same run.
// `run()` returns rows { name, bytes, jsonParseMs, parseMs, parseDiffMs, ratio } (ratio = parseDiffMs / jsonParseMs).
// Needs `npm run build` (imports ../dist). Run alone: `node bench/parse.js`.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { diffLockfiles } from '../dist/diff/index.js';
import { parseLockfile } from '../dist/lockfiles/index.js';
import { CORPUS, timeAll } from './lib.js';


/** The pairs to measure: the largest npm pair of each format, the two largest overall, and big-monolith. */
function cases() {
  const pairs = [];
  for (const format of ['npm-v1', 'npm-v2', 'npm-v3']) {
    const dir = path.join(CORPUS, format);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const base = path.join(dir, name, 'base', 'package-lock.json');
      const head = path.join(dir, name, 'head', 'package-lock.json');
      if (!existsSync(base) || !existsSync(head)) continue;
      const b = readFileSync(base, 'utf8');
      const h = readFileSync(head, 'utf8');
      pairs.push({ name: `${format}/${name}`, format, base: b, head: h, bytes: Buffer.byteLength(b) + Buffer.byteLength(h) });
    }
  }
  pairs.sort((a, b) => b.bytes - a.bytes);
  const chosen = new Map();
  for (const p of pairs.slice(0, 2)) chosen.set(p.name, p);
  for (const format of ['npm-v1', 'npm-v2', 'npm-v3']) {
    const p = pairs.find((x) => x.format === format);
    if (p) chosen.set(p.name, p);
  }
  const out = [...chosen.values()].sort((a, b) => b.bytes - a.bytes);
  const mono = path.join(CORPUS, 'npm-v3', 'big-monolith', 'single', 'package-lock.json');
  if (existsSync(mono)) {
    const t = readFileSync(mono, 'utf8');
    // a single file: measured as a pair of itself (no changes), and as a new lockfile (every package added)
    out.unshift({ name: 'npm-v3/big-monolith (base = head)', base: t, head: t, bytes: 2 * Buffer.byteLength(t) });
    out.unshift({ name: 'npm-v3/big-monolith (added: base none)', base: null, head: t, bytes: Buffer.byteLength(t) });
  }
  return out;
}

export async function run() {
  const rows = [];
  for (const c of cases()) {
    let changes = 0;
    const [jsonParseMs, parseMs, parseDiffMs] = timeAll([
      () => {
        if (c.base !== null) JSON.parse(c.base);
        JSON.parse(c.head);
      },
      () => {
        if (c.base !== null) parseLockfile('package-lock.json', c.base);
        parseLockfile('package-lock.json', c.head);
      },
      () => {
        const base = c.base === null ? null : parseLockfile('package-lock.json', c.base);
        const head = parseLockfile('package-lock.json', c.head);
        changes = diffLockfiles(base, head).length;
      },
    ]);
    rows.push({ name: c.name, bytes: c.bytes, changes, jsonParseMs, parseMs, parseDiffMs, ratio: parseDiffMs / jsonParseMs });
  }
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = await run();
  console.log('| case | bytes | changes | JSON.parse ms | parse ms | parse+diff ms | ratio |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.bytes} | ${r.changes} | ${r.jsonParseMs.toFixed(2)} | ${r.parseMs.toFixed(2)} | ${r.parseDiffMs.toFixed(2)} | ${r.ratio.toFixed(2)}x |`);
  }
}
