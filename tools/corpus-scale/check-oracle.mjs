/**
 * Proves oracle.mjs: recomputes every pair's oracle.json of the shared corpus (changes, basePackages,
 * headPackages) and lists each mismatch. Usage: node tools/corpus-scale/check-oracle.mjs [corpusDir]
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ensureDeps } from './deps.mjs';

ensureDeps();
const { entriesOfTexts, family, oracleJson } = await import('./oracle.mjs');

const corpus = resolve(process.argv[2] ?? join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus'));
const index = JSON.parse(readFileSync(join(corpus, 'INDEX.json'), 'utf8'));
const pairs = (Array.isArray(index) ? index : index.items).filter((i) => !i.single);

const key = (c) => JSON.stringify([c.name, c.from, c.to, c.kind]);
let bad = 0;
for (const item of pairs) {
  const dir = join(corpus, item.dir);
  const file = readdirSync(join(dir, 'head'))[0] ?? basename(item.path);
  const texts = ['base', 'head'].map((s) => readFileSync(join(dir, s, file), 'utf8'));
  const [b, h] = entriesOfTexts(family(item.format), texts);
  const expected = JSON.parse(readFileSync(join(dir, 'oracle.json'), 'utf8'));
  const problems = [];
  if (b.error || h.error) problems.push(`parse error: ${b.error ?? h.error}`);
  else {
    const got = oracleJson(item.format, b.entries, h.entries);
    if (got.basePackages !== expected.basePackages) problems.push(`basePackages ${got.basePackages} != ${expected.basePackages}`);
    if (got.headPackages !== expected.headPackages) problems.push(`headPackages ${got.headPackages} != ${expected.headPackages}`);
    const want = new Set(expected.changes.map(key));
    const have = new Set(got.changes.map(key));
    for (const k of have) if (!want.has(k)) problems.push(`extra ${k}`);
    for (const k of want) if (!have.has(k)) problems.push(`missing ${k}`);
    if (problems.length === 0 && JSON.stringify(got.changes) !== JSON.stringify(expected.changes)) problems.push('same changes, different order');
  }
  if (problems.length > 0) bad++;
  console.log(`${problems.length === 0 ? 'ok  ' : 'FAIL'} ${item.dir} (${expected.changes.length} changes)`);
  for (const p of problems.slice(0, 8)) console.log(`     ${p}`);
}
console.log(`\n${pairs.length - bad}/${pairs.length} pairs reproduced`);
process.exitCode = bad === 0 ? 0 : 1;
