/** RESULTS.md: totals, every finding at low or above (with a verdict from ./verdicts.mjs at medium+), every upgrade. */
import { BEFORE_CALIBRATION, VERDICTS } from './verdicts.mjs';

const RANK = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** Hosts found in real packages are not repeated here (public registry names stay out of the repository). */
function redact(text) {
  return String(text ?? '')
    .replace(/host:[^,\s)]+/g, 'host:<redacted>')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');
}

/** `from → to`, with the version the engine compared with when the registry no longer has `from`. */
const versions = (r) => `${r.from} → ${r.to}${r.comparedWith ? ` (compared with ${r.comparedWith})` : ''}`;
const top = (r) => Math.max(-1, ...r.findings.map((f) => RANK[f.severity]));
const pct = (n, d) => (d === 0 ? '0' : ((100 * n) / d).toFixed(2));

export function render(records, { counters, wallMs, maxRssMiB, concurrency }) {
  const read = records.filter((r) => !r.notRead);
  const medium = read.filter((r) => top(r) >= RANK.medium);
  const high = read.filter((r) => top(r) >= RANK.high);
  const low = read.filter((r) => top(r) === RANK.low);
  const lines = [
    '# Content analysis over real upgrades of the corpus',
    '',
    'Every distinct npm-ecosystem `upgraded` change of the ../shared/corpus pairs (npm, shrinkwrap, yarn, pnpm, bun),',
    'reviewed one by one by the review engine with only the content signals on, archives fetched from the configured',
    'registry by the project client (integrity checked, default caps). Rerun: `node tools/content-real/run.mjs` (see the README).',
    '',
    '## Totals',
    '',
    `- Upgrades: ${records.length} distinct; analysed (both archives read): **${read.length}**; not read: ${records.length - read.length} (listed below).`,
    `- Compared with another release than \`from\` (the registry no longer lists \`from\`; the engine then takes the previous release in line): ${read.filter((r) => r.comparedWith).length}.`,
    `- With a content finding at medium or above: **${medium.length}** (${pct(medium.length, read.length)} %); at high or above: **${high.length}**; low only: ${low.length}.`,
    `- Archives downloaded this run: ${counters.archives} (${mib(counters.archiveBytes)}); registry documents downloaded: ${mib(counters.documentBytes)} (${counters.documentHits} from the work folder).`,
    `- Unpacked bytes of the new versions: ${mib(read.reduce((t, r) => t + (r.unpacked ?? 0), 0))}; archive bytes of both sides: ${mib(read.reduce((t, r) => t + (r.archiveBytes ?? 0), 0))}.`,
    `- Wall time: ${(wallMs / 1000).toFixed(1)} s at ${concurrency} upgrades at a time; review time per upgrade: median ${median(read.map((r) => r.ms))} ms, max ${Math.max(0, ...read.map((r) => r.ms))} ms; peak RSS ${maxRssMiB} MiB.`,
    '',
    '## Findings at low or above',
    '',
    '| package | versions | signal | severity | file | kinds | verdict |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of records)
    for (const f of r.findings)
      if (RANK[f.severity] >= RANK.low)
        lines.push(
          `| ${r.name} | ${versions(r)} | ${f.signal} | ${f.severity} | ${redact(f.file)} | ${redact(f.kinds.join(', '))} | ${RANK[f.severity] >= RANK.medium ? redact(VERDICTS[`${r.name}@${r.to} ${f.signal} ${f.file}`] ?? 'not judged yet') : ''} |`,
        );
  lines.push(
    '',
    '## Before calibration',
    '',
    'What the first run raised to medium or above, my verdict, and the rule changed (test/content/real-upgrades.test.ts, test/archives/npm-tar.test.ts):',
    '',
  );
  for (const b of BEFORE_CALIBRATION) lines.push(`- **${b.upgrade}**: ${b.found}. Verdict: ${b.verdict} Fix: ${b.fix}`);
  lines.push('', '## Not read', '');
  const missing = records.filter((r) => r.notRead);
  if (missing.length === 0) lines.push('None.');
  for (const r of missing) lines.push(`- ${r.name} ${r.from} → ${r.to}: ${redact(r.notRead)}`);
  const partial = read.filter((r) => r.partial);
  if (partial.length) lines.push('', '## Read in part', '', ...partial.map((r) => `- ${r.name} ${r.from} → ${r.to}: ${redact(r.partial)}`));
  lines.push('', '## Every upgrade', '', '<details><summary>files +/-/~, unpacked bytes (new), ms, findings by severity</summary>', '');
  lines.push('| package | versions | files +/-/~ | unpacked | ms | low | medium | high+ |', '|---|---|---|---|---|---|---|---|');
  for (const r of read) {
    const n = (s) => r.findings.filter((f) => RANK[f.severity] === s).length;
    const f = r.files;
    lines.push(`| ${r.name} | ${versions(r)} | ${f.added}/${f.removed}/${f.changed} | ${r.unpacked} | ${r.ms} | ${n(1)} | ${n(2)} | ${n(3) + n(4)} |`);
  }
  lines.push('', '</details>');
  return `${lines.join('\n')}\n`;
}

function mib(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
}
