/**
 * Writes the committed fixture pairs, test/fixtures/corpus-scale/<format>/<slug>/{base,head}/<file>
 * and oracle.json, from the mirrors and selection.json (the pairs that exposed bugs, and a few with
 * unusual features). Hosts are neutralised first and the oracle is computed on the written texts.
 * Usage: node tools/corpus-scale/select.mjs [--mirrors DIR]
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDeps } from './deps.mjs';
import { gitDir, readBlobs, revParse } from './git.mjs';
import { formatOf, oracleFamily } from './formats.mjs';
import { neutralise } from './neutralise.mjs';

ensureDeps();
const { entriesOfTexts, oracleChanges, oracleJson } = await import('./oracle.mjs');
const { ecosystemOrder } = await import('./errata.mjs');

const here = import.meta.dirname;
const out = resolve(here, '..', '..', 'test', 'fixtures', 'corpus-scale');
const { values } = parseArgs({ options: { mirrors: { type: 'string', default: '/work/.mirror' } } });
const selection = JSON.parse(readFileSync(join(here, 'selection.json'), 'utf8'));

rmSync(out, { recursive: true, force: true });
let bytes = 0;
for (const s of selection) {
  const git = gitDir(values.mirrors, s.repo);
  const [head, base] = readBlobs(git, [`${s.commit}:${s.path}`, `${s.commit}^:${s.path}`]);
  if (!head || !base) throw new Error(`${s.repo} ${s.path} @ ${s.commit}: a side is missing`);
  const texts = [base, head].map((b) => neutralise(b.bytes.toString('utf8')));
  const format = formatOf(s.family, s.path, texts[1]);
  const family = oracleFamily(format);
  const [b, h] = entriesOfTexts(family, texts);
  if (b.error || h.error) throw new Error(`${s.repo} @ ${s.commit}: the oracle refuses it: ${b.error ?? h.error}`);
  const oracle = {
    repo: s.repo,
    path: s.path,
    commit: revParse(git, s.commit),
    parentCommit: revParse(git, `${s.commit}^`),
    why: s.why,
    ...oracleJson(format, b.entries, h.entries),
  };
  if (s.erratum === 'version order') {
    oracle.errata = { rule: 'version order', changes: oracleChanges(b.entries, h.entries, ecosystemOrder(family)).changes };
  }
  const dir = join(out, format, `${s.repo.replace('/', '-')}-${s.commit.slice(0, 10)}`);
  // requirements files are told apart by their path (requirements/*.txt), the others by their name
  const file = family === 'requirements' ? s.path : basename(s.path);
  for (const [side, text] of [['base', texts[0]], ['head', texts[1]]]) {
    mkdirSync(dirname(join(dir, side, file)), { recursive: true });
    writeFileSync(join(dir, side, file), text);
    bytes += Buffer.byteLength(text);
  }
  writeFileSync(join(dir, 'oracle.json'), `${JSON.stringify(oracle, null, 1)}\n`);
  console.log(`${dir.slice(out.length + 1)}: ${oracle.changes.length} changes`);
}
console.log(`${selection.length} pairs, ${(bytes / 1024 / 1024).toFixed(2)} MB of lockfiles`);
