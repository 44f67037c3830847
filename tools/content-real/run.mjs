/**
 * Content analysis over the real npm upgrades of ../shared/corpus, through the project's own code path
 * (the built registry client, its archive cache, the review engine with the content signals). Not part
 * of npm test; documents and archives are kept under the system temp folder, never the repository.
 * Usage: node tools/content-real/run.mjs [--work DIR] [--corpus DIR] [--limit N] [--concurrency N] [--only NAME] [--no-build]
 * Writes tools/content-real/RESULTS.md and DIR/results.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { corpusUpgrades } from './corpus.mjs';
import { render } from './render.mjs';
import { CONTENT_SIGNALS, reviewUpgrade } from './review-one.mjs';
import { cachingFetch } from './transport.mjs';

const here = import.meta.dirname;
const root = resolve(here, '..', '..');
const { values } = parseArgs({
  options: {
    work: { type: 'string', default: join(tmpdir(), 'content-real') },
    corpus: { type: 'string', default: resolve(root, '..', 'shared', 'corpus') },
    limit: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    only: { type: 'string' },
    'no-build': { type: 'boolean' },
  },
});
// modest amounts: never more than four upgrades (and four registry requests) at once
const concurrency = Math.min(4, Math.max(1, Number(values.concurrency) || 4));
if (!values['no-build']) execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
const dist = (p) => import(join(root, 'dist', p));
const { review } = await dist('core/review.js');
const { defaultConfig } = await dist('policy/index.js');
const { ALL_SIGNALS } = await dist('signals/index.js');
const { compareContents } = await dist('content/index.js');
const { createNpmRegistryClient, createNpmRegistryConfig } = await dist('registry/index.js');
const { ArchiveCache } = await dist('registry/contents/cache.js');

let upgrades = corpusUpgrades(values.corpus);
if (values.only) upgrades = upgrades.filter((u) => u.name === values.only);
if (values.limit) upgrades = upgrades.slice(0, Number(values.limit));
const counters = { documentBytes: 0, documentHits: 0, archiveBytes: 0, archives: 0 };
const deps = { review, compareContents, config: contentOnlyConfig(), ...clientOf() };

const started = performance.now();
const records = await runAll(upgrades);
const wallMs = Math.round(performance.now() - started);
const maxRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
mkdirSync(values.work, { recursive: true });
writeFileSync(join(values.work, 'results.json'), JSON.stringify({ records, counters, wallMs, maxRssMiB }, null, 1));
writeFileSync(join(here, 'RESULTS.md'), render(records, { counters, wallMs, maxRssMiB, concurrency }));
console.log(`${records.length} upgrades, ${wallMs} ms, archives downloaded ${counters.archiveBytes} bytes, documents ${counters.documentBytes} bytes`);

/** The default config with every signal but the content ones off (no advisories, attestations or other reads). */
function contentOnlyConfig() {
  const config = defaultConfig();
  for (const s of ALL_SIGNALS) if (!CONTENT_SIGNALS.includes(s.id)) config.signals.set(s.id, 'off');
  // a first run downloads over the real network: a generous budget, so that slowness is not a gap
  config.content.timeBudgetMs = 120_000;
  return config;
}

/** The npm client as the CLI builds it, on the configured registry, with a disk archive cache in the work folder. */
function clientOf() {
  const registry = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim().replace(/\/?$/, '/');
  const onRequest = (i) => {
    if (i.kind !== 'tarball') return;
    counters.archives++;
    counters.archiveBytes += i.bytes ?? 0;
  };
  const client = createNpmRegistryClient({
    config: createNpmRegistryConfig({ registry }),
    userAgent: 'lockwarden-content-real',
    concurrency,
    fetchImpl: cachingFetch(join(values.work, 'documents'), counters),
    onRequest,
    archiveCache: new ArchiveCache({ dir: join(values.work, 'archives'), dirMaxBytes: 8 * 1024 ** 3 }),
  });
  return { client, registry };
}

async function runAll(list) {
  const out = new Array(list.length);
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const i = next++;
      out[i] = await reviewUpgrade(list[i], deps).catch((e) => ({ ...list[i], notRead: `tool error: ${e.message}`, findings: [] }));
      const r = out[i];
      const top = r.findings.map((f) => `${f.severity}:${f.signal}`).join(' ');
      console.error(`${i + 1}/${list.length} ${r.name} ${r.from} → ${r.to} ${r.ms ?? ''} ms ${r.notRead ? `NOT READ: ${r.notRead}` : top}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}
