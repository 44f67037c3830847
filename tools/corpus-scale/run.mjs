/**
 * Runs lockwarden's parsers and diff over real lockfile histories (bare git mirrors) against the
 * established parsers. Usage: node tools/corpus-scale/run.mjs [--mirrors DIR] [--only owner/name] [--max N]
 * Writes tools/corpus-scale/RESULTS.md and .out/results.json (every version and pair, for select.mjs).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDeps } from './deps.mjs';
import { commitsTouching, gitDir } from './git.mjs';
import { sampleCommits } from './sample.mjs';
import { renderResults, summaryLines } from './report.mjs';

const here = import.meta.dirname;
const root = resolve(here, '..', '..');
const { values } = parseArgs({
  options: { mirrors: { type: 'string', default: '/work/.mirror' }, only: { type: 'string' }, max: { type: 'string' }, 'no-build': { type: 'boolean' } },
});

ensureDeps();
if (!values['no-build']) execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
const { runPath } = await import('./compare.mjs');
const lw = {
  ...(await import(join(root, 'dist', 'lockfiles', 'index.js'))),
  ...(await import(join(root, 'dist', 'diff', 'index.js'))),
  requirementIncludes: (await import(join(root, 'dist', 'lockfiles', 'formats', 'requirements', 'index.js'))).requirementIncludes,
};

const config = JSON.parse(readFileSync(join(here, 'repos.json'), 'utf8'));
const versions = [];
const pairs = [];
const started = Date.now();
for (const entry of config.paths) {
  if (values.only && entry.repo !== values.only) continue;
  const git = gitDir(values.mirrors, entry.repo);
  const max = values.max ? Math.min(Number(values.max), entry.max) : entry.max;
  const commits = sampleCommits(commitsTouching(git, entry.path), max, config.run);
  const t0 = Date.now();
  const record = (kind, data) => (kind === 'version' ? versions : pairs).push(data);
  const [v0, p0] = [versions.length, pairs.length];
  runPath(lw, git, entry, commits, record);
  const bad = versions.slice(v0).filter((v) => v.error && !v.oracleError).length;
  const mism = pairs.slice(p0).filter((p) => p.mismatch).length;
  console.error(`${entry.repo} ${entry.path}: ${versions.length - v0} versions, ${pairs.length - p0} pairs, ${bad} refusals, ${mism} mismatches (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}
const seconds = (Date.now() - started) / 1000;
const rss = Math.round(process.resourceUsage().maxRSS / 1024);
mkdirSync(join(here, '.out'), { recursive: true });
writeFileSync(join(here, '.out', 'results.json'), JSON.stringify({ versions, pairs }));
if (!values.only && !values.max) writeFileSync(join(here, 'RESULTS.md'), renderResults(versions, pairs, { seconds, rss }));
console.log(summaryLines(versions, pairs, { seconds, rss }).join('\n'));
