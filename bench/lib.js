// Shared by the benchmarks: where the corpus is, and interleaved median timing.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

const corpus = [process.env.LOCKWARDEN_CORPUS, path.resolve(here, '..', '..', 'shared', 'corpus'), '/work/shared/corpus'].find(
  (c) => c && existsSync(path.join(c, 'INDEX.json')),
);
if (!corpus) throw new Error('the shared lockfile corpus is missing; set LOCKWARDEN_CORPUS');
/** The shared corpus: $LOCKWARDEN_CORPUS, `../shared/corpus` beside the repository, or the workplace copy. */
export const CORPUS = corpus;

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/**
 * Median ms of each function over `runs` rounds after `warmup` rounds. The functions are interleaved
 * within each round, so a noisy machine (or a garbage collection) weighs on all of them alike.
 */
export function timeAll(fns, { warmup = 5, runs = 9 } = {}) {
  for (let i = 0; i < warmup; i++) for (const fn of fns) fn();
  const ms = fns.map(() => []);
  for (let i = 0; i < runs; i++) {
    fns.forEach((fn, k) => {
      const t = process.hrtime.bigint();
      fn();
      ms[k].push(Number(process.hrtime.bigint() - t) / 1e6);
    });
  }
  return ms.map(median);
}
