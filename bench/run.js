#!/usr/bin/env node
// `npm run bench`: every target is a ratio against a baseline measured in the same run.
//  1. parse + diff of the largest real lockfile pairs vs JSON.parse of the same files (target ≤ 2x)
//  2. registry requests per review (target: 1 per changed name)
//  3. peak RSS while reviewing 100 changes whose packuments total 500 MB (target < 400 MB)
//  4. advisory requests per review (target: one OSV querybatch per 1,000 versions) and the cache on a repeat (target: hit ratio 1)
//  5. content evaluation: attacks caught at high naming the file (target ≥ 80 %), benign upgrades at high (target 0)
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const only = process.argv[2];

const fmt = (n, d = 1) => (typeof n === 'number' ? n.toFixed(d) : String(n));

if (!only || only === 'parse') {
  const { run } = await import('./parse.js');
  const rows = await run();
  console.log('\n## parse + diff vs JSON.parse (median ms, same run)\n');
  console.log('| pair | bytes (base+head) | JSON.parse | our parse | our parse+diff | ratio (parse+diff / JSON.parse) | target |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.name} | ${r.bytes} | ${fmt(r.jsonParseMs, 2)} | ${fmt(r.parseMs, 2)} | ${fmt(r.parseDiffMs, 2)} | ${fmt(r.ratio, 2)}x | ≤ 2x ${r.ratio <= 2 ? '✓' : '✗'} |`,
    );
}

if (!only || only === 'formats') {
  // One module per lockfile format: bench/format-<format>.js exporting run() → rows
  // { format, file, bytes, packages, oursMs, establishedMs, established, ratio }.
  const { readdir } = await import('node:fs/promises');
  const modules = (await readdir(here)).filter((f) => /^format-.+\.js$/.test(f)).sort();
  if (modules.length) {
    console.log('\n## parse time per format vs the established parser (median ms, same run)\n');
    console.log('| format | file | bytes | packages | established parser | established | ours (with line positions) | ratio (ours / established) | target |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const m of modules) {
      const { run } = await import(`./${m}`);
      for (const r of await run()) {
        // A format whose baseline is JSON.parse (not a lockfile parser) has the npm rows' target, ≤ 2x.
        const ok = r.maxRatio !== undefined ? r.ratio <= r.maxRatio : r.ratio < 1;
        const target = r.maxRatio !== undefined ? `≤ ${r.maxRatio}x` : '< 1x';
        console.log(
          `| ${r.format} | ${r.file} | ${r.bytes} | ${r.packages ?? ''} | ${r.established} | ${fmt(r.establishedMs, 2)} | ${fmt(r.oursMs, 2)} | ${fmt(r.ratio, 2)}x | ${target} ${ok ? '✓' : '✗'} |`,
        );
      }
    }
  }
}

if (!only || only === 'advisories') {
  const { run } = await import('./advisories.js');
  console.log('\n## advisory requests per review\n');
  console.log(
    '| new versions | OSV querybatch | OSV requests (batch + records) | GitHub requests | review ms (registry reads included) | repeat: requests | repeat: cache hit ratio | repeat ms | chalk 5.6.1 flagged | target |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of await run()) {
    const ok = r.batches === r.targetBatches && r.repeatRequests === 0 && r.hitRatio === 1 && r.flagged;
    console.log(
      `| ${r.n} | ${r.batches} | ${r.osv} | ${r.github} | ${fmt(r.ms, 0)} | ${r.repeatRequests} | ${fmt(r.hitRatio, 2)} | ${fmt(r.repeatMs, 0)} | ${r.flagged ? 'yes' : 'no'} | ${r.targetBatches} batch${r.targetBatches > 1 ? 'es' : ''}, 0 on repeat ${ok ? '✓' : '✗'} |`,
    );
  }
}

if (!only || only === 'requests') {
  const { startFixtureRegistry } = await import('../dist-support/test-support/fixture-registry.js');
  const { review } = await import('../dist/core/review.js');
  const { defaultConfig } = await import('../dist/policy/index.js');
  const { createNpmRegistryClient, resolveNpmConfig } = await import('../dist/registry/index.js');
  console.log('\n## registry requests per review\n');
  console.log('| scenario | changed names needing metadata | packument requests | other requests (provenance) | requests per name | target |');
  console.log('|---|---|---|---|---|---|');
  for (const scenario of ['demo', 'axios', 'event-stream', 'benign']) {
    const dir = path.join(root, 'examples', scenario);
    const meta = JSON.parse(await readFile(path.join(dir, 'scenario.json'), 'utf8'));
    const reg = await startFixtureRegistry();
    try {
      const config = await resolveNpmConfig({ cwd: root, registry: reg.url, env: {}, homedir: '/nonexistent' });
      const client = createNpmRegistryClient({ config });
      const result = await review(
        [
          {
            file: 'package-lock.json',
            base: await readFile(path.join(dir, 'base/package-lock.json')),
            head: await readFile(path.join(dir, 'head/package-lock.json')),
          },
        ],
        { registry: client, now: new Date(meta.now), config: defaultConfig() },
      );
      const names = new Set(result.changes.filter((c) => c.kind !== 'removed').map((c) => c.name)).size;
      const pack = reg.requests.filter((r) => !r.path.startsWith('/-/')).length;
      const other = reg.requests.length - pack;
      const per = pack / Math.max(1, names);
      console.log(`| ${scenario} | ${names} | ${pack} | ${other} | ${fmt(per, 2)} | ≤ 1 ${per <= 1 ? '✓' : '✗'} |`);
    } finally {
      await reg.close();
    }
  }
}

if (!only || only === 'requests' || only === 'python') {
  // Python: two index documents per changed project (JSON API + Simple API JSON: upload times, yanked and
  // owners come from one, per-file provenance from the other), plus Integrity API and wheel range requests.
  const { startFixtureIndex } = await import('../dist-support/test-support/fixture-index.js');
  const { review } = await import('../dist/core/review.js');
  const { defaultConfig } = await import('../dist/policy/index.js');
  const { createPypiIndexClient, createPypiIndexConfig } = await import('../dist/registry/index.js');
  console.log('\n## package index requests per Python review (poetry.lock)\n');
  console.log(
    '| scenario | changed projects | project documents | per project | provenance | wheel range requests | wheel bytes read | wheel bytes listed | read / size | target |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const scenario of ['litellm', 'ultralytics', 'python-benign']) {
    const dir = path.join(root, 'examples', 'pypi', scenario);
    const meta = JSON.parse(await readFile(path.join(dir, 'scenario.json'), 'utf8'));
    const index = await startFixtureIndex();
    try {
      const pypi = createPypiIndexClient({ config: createPypiIndexConfig({ indexUrl: index.simpleUrl }) });
      const result = await review(
        [{ file: 'poetry.lock', base: await readFile(path.join(dir, 'base/poetry.lock')), head: await readFile(path.join(dir, 'head/poetry.lock')) }],
        {
          registry: {
            getPackument: async () => ({ ok: false, reason: 'npm unused' }),
            getProvenance: async () => null,
            stats: () => ({ requests: 0 }),
            review() {
              return this;
            },
          },
          pypi,
          now: new Date(meta.now),
          config: defaultConfig(),
        },
      );
      const names = new Set(result.changes.filter((c) => c.kind !== 'removed').map((c) => c.name)).size;
      const docs = index.requests.filter((r) => r.path.startsWith('/pypi/') || r.path.startsWith('/simple/')).length;
      const prov = index.requests.filter((r) => r.path.startsWith('/integrity/')).length;
      const wheels = index.requests.filter((r) => r.path.endsWith('.whl'));
      const read = wheels.reduce((n, r) => n + (r.bytes ?? 0), 0);
      const listed = new Map(wheels.map((r) => [r.path, index.fileByPath(r.path)?.bytes.length ?? 0]));
      const size = [...listed.values()].reduce((a, b) => a + b, 0);
      const per = docs / Math.max(1, names);
      const ratio = size ? read / size : 0;
      console.log(
        `| ${scenario} | ${names} | ${docs} | ${fmt(per, 2)} | ${prov} | ${wheels.length} | ${read} | ${size} | ${fmt(ratio * 100, 1)}% | ≤ 2 docs per project ${per <= 2 ? '✓' : '✗'} |`,
      );
    } finally {
      await index.close();
    }
  }
}

if (!only || only === 'content-eval') {
  // attacks shaped like public incidents and real routine upgrades, reviewed end to end (bench/content-eval.js)
  const { run } = await import('./content-eval.js');
  await run();
}

if (!only || only === 'memory') {
  const { run } = await import('./registry.js');
  const r = await run({ names: 100, totalBytes: 500 * 1024 * 1024 });
  console.log('\n## memory: 100 packuments totalling 500 MB through one client\n');
  console.log('| names | requests | baseline RSS MB | peak RSS MB | peak / baseline | time s | target |');
  console.log('|---|---|---|---|---|---|---|');
  console.log(
    `| ${r.names} | ${r.requests} | ${fmt(r.baselineRssMB)} | ${fmt(r.peakRssMB)} | ${fmt(r.peakRssMB / r.baselineRssMB, 2)}x | ${fmt(r.ms / 1000)} | < 400 MB ${r.peakRssMB < 400 ? '✓' : '✗'} |`,
  );
}

if (!only || only === 'content') {
  // issue 14: routine bump with and without content (50 ms registry), the 10 MB bundle, peak RSS over 20 big archives
  const { run, print } = await import('./content.js');
  print(await run());
}
