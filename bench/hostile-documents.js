#!/usr/bin/env node
// Wall time and peak RSS of one review against a hostile packument served by a 127.0.0.1 registry
// (issue 10, item 10). `node bench/hostile-documents.js <document> [distDir]`; documents:
// deps (10^7 dependencies in one version), versions (10^6 versions, each with its own integrity), time (5·10^6 time entries),
// script (a 200 MB postinstall), nesting (10^6 levels deep), spread (5·10^4 versions × 200 distinct deps).
// Prints one JSON line. The documents are generated as streams, never held whole.
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(process.argv[3] ?? path.join(here, '..', 'dist'));
const { review } = await import(pathToFileURL(path.join(dist, 'core/review.js')).href);
const { defaultConfig } = await import(pathToFileURL(path.join(dist, 'policy/index.js')).href);
const { createNpmRegistryClient } = await import(pathToFileURL(path.join(dist, 'registry/npm.js')).href);
const { createNpmRegistryConfig } = await import(pathToFileURL(path.join(dist, 'registry/npmrc.js')).href);

const manifest = (version, extra = {}) => ({
  name: 'bloat',
  version,
  dist: { integrity: `sha512-${Buffer.from(`bloat@${version}`).toString('base64')}`, shasum: 'a'.repeat(40) },
  _npmUser: { name: 'maintainer', email: 'maintainer@mail.example' },
  ...extra,
});
const TIME = { created: '2024-01-01T00:00:00.000Z', '1.0.0': '2025-01-01T00:00:00.000Z', '1.0.1': '2026-03-29T00:00:00.000Z' };
const v100 = JSON.stringify(manifest('1.0.0'));
const v101 = (extra) => JSON.stringify(manifest('1.0.1', extra));
const open101 = (field) => {
  const text = JSON.stringify(manifest('1.0.1', { [field]: 0 }));
  return text.slice(0, text.lastIndexOf(`"${field}":0`) + field.length + 3);
};
const tail = `},"time":${JSON.stringify(TIME)}}`;
const top = '{"name":"bloat","dist-tags":{"latest":"1.0.1"},"versions":{';
const payload = v101({ scripts: { postinstall: 'node x.js' } });

function* stream(prefix, count, item, suffix, sep = ',') {
  yield prefix;
  let batch = '';
  for (let i = 0; i < count; i++) {
    batch += (i === 0 ? '' : sep) + item(i);
    if (batch.length >= 1 << 18) {
      yield batch;
      batch = '';
    }
  }
  yield batch + suffix;
}

const DOCS = {
  deps: () => stream(`${top}"1.0.0":${v100},"1.0.1":${open101('dependencies')}{`, 10_000_000, (i) => `"d${i}":"1"`, `}}${tail}`),
  versions: () => stream(top, 1_000_000, (i) => `"0.0.${i}":{"version":"0.0.${i}","dist":{"integrity":"sha512-${String(i).padStart(86, 'A')}=="},"_npmUser":{"name":"m"}}`, `,"1.0.0":${v100},"1.0.1":${payload}${tail}`),
  time: () => stream(`${top}"1.0.0":${v100},"1.0.1":${payload}},"time":{${JSON.stringify(TIME).slice(1, -1)},`, 5_000_000, (i) => `"9.${i}.0":"2025-01-01T00:00:00.000Z"`, '}}'),
  script: () => stream(`${top}"1.0.0":${v100},"1.0.1":${open101('scripts')}{"postinstall":"`, 20_000, () => 'x'.repeat(10_000), `"}}${tail}`, ''),
  nesting: () => stream(`${top}"1.0.0":${v100},"1.0.1":${open101('readme')}`, 1000, () => '['.repeat(1000), `0${']'.repeat(1_000_000)}}${tail}`, ''),
  spread: () => stream(top, 50_000, (i) => `"0.1.${i}":{"version":"0.1.${i}","dependencies":{${Array.from({ length: 200 }, (_, j) => `"dep-${i}-${j}":"^${j}.0.0"`).join(',')}}}`, `,"1.0.0":${v100},"1.0.1":${payload}${tail}`),
};

const name = process.argv[2];
if (!DOCS[name]) {
  console.error(`usage: hostile-documents.js <${Object.keys(DOCS).join('|')}> [distDir]`);
  process.exit(2);
}

// `serve` mode: the registry runs in a child process, so the parent's peak RSS is the review's alone
if (process.argv[4] === 'serve') {
  const server = createServer(async (req, res) => {
    if (!req.url.startsWith('/bloat')) return res.writeHead(404).end('{}');
    res.writeHead(200, { 'content-type': 'application/json' });
    for (const c of DOCS[name]()) {
      if (!res.write(c)) await new Promise((r) => res.once('drain', r));
      if (res.destroyed) return;
    }
    res.end();
  });
  server.listen(0, '127.0.0.1', () => process.send(server.address().port));
} else {
  const child = fork(fileURLToPath(import.meta.url), [name, dist, 'serve']);
  const port = await new Promise((r) => child.once('message', r));
  try {
    await run(`http://127.0.0.1:${port}/`);
  } finally {
    child.kill();
  }
}

async function run(url) {
const lock = (version) =>
  JSON.stringify({
    name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true,
    packages: { '': { dependencies: { bloat: `^${version}` } }, 'node_modules/bloat': { version, resolved: `http://registry.example/bloat/-/bloat-${version}.tgz`, integrity: `sha512-${Buffer.from(`bloat@${version}`).toString('base64')}` } },
  });
const registry = createNpmRegistryClient({ config: createNpmRegistryConfig({ registry: url }), retries: 0, backoffMs: 1 });
const t0 = Date.now();
const r = await review([{ file: 'package-lock.json', base: lock('1.0.0'), head: lock('1.0.1') }], { registry, now: new Date('2026-03-31T02:00:00.000Z'), config: defaultConfig() });
const wallMs = Date.now() - t0;
console.log(JSON.stringify({
  document: name,
  wallMs,
  peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  conclusion: r.conclusion,
  findings: r.changes.flatMap((c) => c.findings.map((f) => f.signal)),
  incomplete: r.incomplete.map((i) => `${i.failClosed ? '[failClosed] ' : ''}${i.reason}`),
  notes: r.notes.map((n) => n.message),
}));
}
