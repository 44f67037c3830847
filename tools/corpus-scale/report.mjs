/** RESULTS.md and the stdout summary: counts per format and per repository, and the first findings. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const COLUMNS = ['versions read', 'parsed', 'refusals', 'refused by both', 'refused by oracle only', 'pairs compared', 'pairs matching', 'of which by errata', 'mismatches'];

function tally(versions, pairs, keyOf) {
  const rows = new Map();
  const row = (k) => rows.get(k) ?? rows.set(k, COLUMNS.map(() => 0)).get(k);
  for (const v of versions) {
    const r = row(keyOf(v));
    r[0]++;
    if (!v.error) r[1]++;
    if (v.error && !v.oracleError) r[2]++;
    if (v.error && v.oracleError) r[3]++;
    if (!v.error && v.oracleError) r[4]++;
  }
  for (const p of pairs) {
    const r = row(keyOf({ ...p, format: p.headFormat }));
    r[5]++;
    if (p.mismatch) r[8]++;
    else r[6]++;
    if (p.erratum) r[7]++;
  }
  return rows;
}

function table(title, rows) {
  const total = COLUMNS.map((_, i) => [...rows.values()].reduce((n, r) => n + r[i], 0));
  return [
    `## ${title}`,
    '',
    `| ${title.split(' ').pop()} | ${COLUMNS.join(' | ')} |`,
    `|---|${COLUMNS.map(() => '---:').join('|')}|`,
    ...[...rows].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, r]) => `| ${k} | ${r.join(' | ')} |`),
    `| **total** | ${total.map((n) => `**${n}**`).join(' | ')} |`,
    '',
  ];
}

const short = (c) => c.slice(0, 10) + (c.endsWith('^') ? '^' : ''); // `^`: the parent's version

function findings(versions, pairs) {
  const refusals = versions.filter((v) => v.error && !v.oracleError);
  const both = versions.filter((v) => v.error && v.oracleError);
  const oracleOnly = versions.filter((v) => !v.error && v.oracleError);
  const mismatches = pairs.filter((p) => p.mismatch);
  const out = ['## Refusals (lockwarden refuses, the established parser accepts)', ''];
  if (refusals.length === 0) out.push('None.');
  for (const v of refusals.slice(0, 15)) out.push(`- ${v.repo} \`${v.path}\` @ \`${short(v.commit)}\` (${v.format}): ${v.error}`);
  out.push('', '## Refused by both', '');
  if (both.length === 0) out.push('None.');
  for (const v of both.slice(0, 10)) out.push(`- ${v.repo} \`${v.path}\` @ \`${short(v.commit)}\` (${v.format}): lockwarden: ${v.error} — oracle: ${v.oracleError}`);
  out.push('', '## Refused by the established parser only', '');
  if (oracleOnly.length === 0) out.push('None.');
  for (const v of oracleOnly.slice(0, 10)) out.push(`- ${v.repo} \`${v.path}\` @ \`${short(v.commit)}\` (${v.format}): ${v.oracleError}`);
  out.push('', '## Mismatches (the change sets differ)', '');
  if (mismatches.length === 0) out.push('None.');
  for (const p of mismatches.slice(0, 25)) {
    const m = p.mismatch;
    out.push(`- ${p.repo} \`${p.path}\` @ \`${short(p.commit)}\` (${p.format}): lockwarden ${m.ours} changes, oracle ${m.oracle}`);
    for (const problem of m.problems ?? []) out.push(`  - ${problem}`);
    for (const k of m.extra.slice(0, 4)) out.push(`  - only lockwarden: \`${k}\``);
    for (const k of m.missing.slice(0, 4)) out.push(`  - only the oracle: \`${k}\``);
  }
  return [...out, ''];
}

export function summaryLines(versions, pairs, { seconds, rss }) {
  const repos = new Set(versions.map((v) => v.repo)).size;
  const refusals = versions.filter((v) => v.error && !v.oracleError).length;
  const both = versions.filter((v) => v.error && v.oracleError).length;
  const mism = pairs.filter((p) => p.mismatch).length;
  return [
    `Totals: ${repos} repositories, ${new Set(versions.map((v) => v.format)).size} formats, ${versions.length} versions read, ` +
      `${versions.filter((v) => !v.error).length} parsed, ${refusals} refusals, ${both} refused by both, ` +
      `${pairs.length} pairs compared, ${pairs.length - mism} matching (${pairs.filter((p) => p.erratum).length} by errata), ${mism} mismatches (${seconds.toFixed(0)} s, peak RSS ${rss} MB)`,
  ];
}

export function renderResults(versions, pairs, stats) {
  const notes = join(import.meta.dirname, 'oracle-notes.md');
  return [
    '# Corpus at scale: results',
    '',
    'Written by `node tools/corpus-scale/run.mjs` (see README.md for the columns). Pairs are counted under the format of their head version.',
    '',
    summaryLines(versions, pairs, stats)[0],
    '',
    ...table('Per format', tally(versions, pairs, (v) => v.format)),
    ...table('Per repository', tally(versions, pairs, (v) => `${v.repo} \`${v.path}\``)),
    ...findings(versions, pairs),
    ...(existsSync(notes) ? [readFileSync(notes, 'utf8')] : []),
  ].join('\n');
}
