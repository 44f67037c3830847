/**
 * Runs the content detectors over real benign upgrades of popular packages, fetched with `npm pack` from
 * the configured registry into a temp folder (never the repository). Not part of npm test.
 * Usage: node tools/content-benign/run.mjs [--work DIR] [--no-build] [--same-publisher-patch]; writes
 * tools/content-benign/RESULTS.md, or RESULTS-same-publisher-patch.md with `--same-publisher-patch`,
 * which analyses every upgrade as a same-publisher patch release (the escalation's worst case).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fetchVersion } from './unpack.mjs';

const here = import.meta.dirname;
const root = resolve(here, '..', '..');
const { values } = parseArgs({ options: { work: { type: 'string', default: join(tmpdir(), 'content-benign') }, 'no-build': { type: 'boolean' }, 'same-publisher-patch': { type: 'boolean' } } });
const options = values['same-publisher-patch'] ? { release: { samePublisher: true, patch: true } } : {};
if (!values['no-build']) execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
const { analyseContents } = await import(join(root, 'dist', 'content', 'index.js'));

/** [name, previous, next]: consecutive releases a lockfile update would bring. */
const UPGRADES = [
  ['axios', '1.7.7', '1.7.9'],
  ['execa', '9.4.0', '9.5.1'],
  ['ajv', '8.16.0', '8.17.1'],
  ['lodash', '4.17.20', '4.17.21'],
  ['chalk', '5.3.0', '5.4.0'],
  ['debug', '4.3.7', '4.4.0'],
  ['esbuild', '0.24.0', '0.24.2'],
  ['@esbuild/linux-x64', '0.24.0', '0.24.2'],
  ['typescript', '5.6.3', '5.7.2'],
  ['prettier', '3.3.3', '3.4.2'],
  ['webpack', '5.96.1', '5.97.1'],
  ['express', '4.21.1', '4.21.2'],
  ['ws', '8.18.0', '8.18.1'],
  ['node-fetch', '3.3.1', '3.3.2'],
  ['uuid', '10.0.0', '11.0.3'],
  ['semver', '7.6.2', '7.6.3'],
  ['commander', '12.1.0', '13.0.0'],
  ['yargs', '17.7.1', '17.7.2'],
  ['dotenv', '16.4.5', '16.4.7'],
  ['zod', '3.23.8', '3.24.1'],
  ['vite', '5.4.10', '5.4.11'],
  ['rollup', '4.27.4', '4.28.1'],
  ['puppeteer', '23.9.0', '23.10.0'],
  ['electron', '33.2.0', '33.2.1'],
];

const rows = [];
for (const [name, from, to] of UPGRADES) rows.push(runOne(name, from, to));
writeFileSync(join(here, options.release ? 'RESULTS-same-publisher-patch.md' : 'RESULTS.md'), render(rows));
console.log(render(rows));

function runOne(name, from, to) {
  try {
    const previous = fetchVersion(values.work, name, from);
    const next = fetchVersion(values.work, name, to);
    const t = performance.now();
    const { findings, summary } = analyseContents(previous, next, options);
    const ms = Math.round(performance.now() - t);
    return { name, from, to, ms, summary, findings, bytes: next.bytes.unpacked };
  } catch (e) {
    return { name, from, to, error: String(e.message ?? e).split('\n')[0] };
  }
}

/** Hosts found in real packages are not repeated here (public registry names stay out of the repository). */
function redact(text) {
  return text.replace(/host:[^,\s)]+/g, 'host:<redacted>');
}

function render(rows) {
  const rank = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };
  const lines = [
    '# Content detectors over real benign upgrades',
    '',
    ...(options.release ? ['Every upgrade analysed as a same-publisher patch release (the escalation\'s worst case).', ''] : []),
    '| upgrade | files +/-/~ | unpacked | ms | info | low | medium | high+ |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    if (r.error) {
      lines.push(`| ${r.name} ${r.from} → ${r.to} | error: ${r.error} | | | | | | |`);
      continue;
    }
    const n = (s) => r.findings.filter((f) => rank[f.severity] === s).length;
    const s = r.summary;
    lines.push(
      `| ${r.name} ${r.from} → ${r.to} | ${s.added}/${s.removed}/${s.changed} | ${r.bytes} | ${r.ms} | ${n(0)} | ${n(1)} | ${n(2)} | ${n(3) + n(4)} |`,
    );
  }
  lines.push('', '## Findings at medium or above', '');
  for (const r of rows)
    for (const f of r.findings ?? []) if (rank[f.severity] >= 2) lines.push(`- ${r.name} ${r.to}: **${f.severity}** ${f.signal}: ${redact(f.message)}`);
  lines.push('', '## Low findings', '');
  for (const r of rows)
    for (const f of r.findings ?? []) if (rank[f.severity] === 1) lines.push(`- ${r.name} ${r.to}: ${f.signal}: ${redact(f.message.slice(0, 200))}`);
  return `${lines.join('\n')}\n`;
}
