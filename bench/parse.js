// Parse + diff of the largest real JSON lockfile pairs (npm, and Pipfile.lock) vs JSON.parse of the same
// text, in the same run. `run()` returns rows { name, bytes, jsonParseMs, parseMs, parseDiffMs, ratio }
// (ratio = parseDiffMs / jsonParseMs). Pairs that parse in well under a millisecond are timed in
// batches (every function alike), so that one timer reading or one collection does not make the sample.
// Needs `npm run build` (imports ../dist). Run alone: `node bench/parse.js`.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { diffLockfiles } from '../dist/diff/index.js';
import { parseLockfile } from '../dist/lockfiles/index.js';
import { CORPUS, timeAll } from './lib.js';

/** The largest base/head pair of a corpus format (by bytes), as a case. */
function largestPair(format, fileName) {
  const dir = path.join(CORPUS, format);
  if (!existsSync(dir)) return undefined;
  let best;
  for (const name of readdirSync(dir).sort()) {
    const base = path.join(dir, name, 'base', fileName);
    const head = path.join(dir, name, 'head', fileName);
    if (!existsSync(base) || !existsSync(head)) continue;
    const b = readFileSync(base, 'utf8');
    const h = readFileSync(head, 'utf8');
    const bytes = Buffer.byteLength(b) + Buffer.byteLength(h);
    if (!best || bytes > best.bytes) best = { name: `${format}/${name}`, fileName, base: b, head: h, bytes };
  }
  return best;
}

/**
 * Calls of `fns[0]` per timed sample so that a sample lasts about `ms` (1 for anything slower than
 * half a millisecond). A small input is first run for half a second, every function in turn: its
 * code gets optimised, and the first samples are not taken while the process is still compiling
 * and collecting what starting it made (which slowed every function of the first case two- to
 * fivefold, the baseline too, and made its batches too short).
 */
function batchSize(fns, ms = 2) {
  const fn = fns[0];
  let fastest = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = process.hrtime.bigint();
    fn();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - t));
  }
  if (fastest > 0.5e6) return 1;
  const t0 = process.hrtime.bigint();
  while (Number(process.hrtime.bigint() - t0) < 500e6) for (const f of fns) f();
  globalThis.gc?.();
  let n = 0;
  const t = process.hrtime.bigint();
  while (Number(process.hrtime.bigint() - t) < 20e6) {
    fn();
    n++;
  }
  return Math.max(1, Math.round((ms * n) / 20));
}

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
  // Python: the largest Pipfile.lock pair (the JSON Python lockfile)
  const pip = largestPair('pipfile', 'Pipfile.lock');
  if (pip) out.push(pip);
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
    const fileName = c.fileName ?? 'package-lock.json';
    const fns = [
      () => {
        if (c.base !== null) JSON.parse(c.base);
        JSON.parse(c.head);
      },
      () => {
        if (c.base !== null) parseLockfile(fileName, c.base);
        parseLockfile(fileName, c.head);
      },
      () => {
        const base = c.base === null ? null : parseLockfile(fileName, c.base);
        const head = parseLockfile(fileName, c.head);
        changes = diffLockfiles(base, head).length;
      },
    ];
    const k = batchSize(fns);
    const batched =
      k === 1
        ? fns
        : fns.map((fn) => () => {
            for (let i = 0; i < k; i++) fn();
          });
    const [jsonParseMs, parseMs, parseDiffMs] = timeAll(batched, k === 1 ? undefined : { warmup: 5, runs: 21 }).map((ms) => ms / k);
    rows.push({ name: c.name, bytes: c.bytes, changes, jsonParseMs, parseMs, parseDiffMs, ratio: parseDiffMs / jsonParseMs });
  }
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = await run();
  console.log('| case | bytes | changes | JSON.parse ms | parse ms | parse+diff ms | ratio |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.bytes} | ${r.changes} | ${r.jsonParseMs.toFixed(2)} | ${r.parseMs.toFixed(2)} | ${r.parseDiffMs.toFixed(2)} | ${r.ratio.toFixed(2)}x |`,
    );
  }
}
