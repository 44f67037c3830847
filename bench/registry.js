#!/usr/bin/env node
// Memory benchmark of the registry client: `names` synthetic FULL packuments whose sizes total
// `totalBytes` (realistic shape: many versions with readme-ish long fields, dependencies, a time
// map), all reviewed through one client. Peak RSS is sampled every ~20 ms against a baseline taken
// in the same run before the server starts.
//
// The server runs in a child process (this same file with `--serve`) and generates every document
// lazily while streaming it, so neither its memory nor the documents' text are counted here.
//
// Needs the compiled client: `npx tsc -p tsconfig.build.json` (→ dist/). LOCKWARDEN_DIST=<dir>
// points at another build output (e.g. one compiled into /tmp).
//
//   node --expose-gc bench/registry.js [names] [totalMB]
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(import.meta.url);
const MiB = 1024 * 1024;

// ---- child: the document server ----------------------------------------------------------------

/** Deterministic pseudo-random generator (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  'the a package install module function returns option value default object array string number config plugin build test release version dependency registry stream buffer parse render server client request response error handler event promise callback export import type interface'.split(
    ' ',
  );

/** A pool of readme-like prose (with markdown and escaped newlines), sliced at random offsets. */
const POOL = (() => {
  const rand = rng(42);
  let s = '';
  while (s.length < 1 << 20) {
    s += WORDS[Math.floor(rand() * WORDS.length)];
    s += rand() < 0.08 ? '.\n\n## Usage\n\n```js\nconst x = require("pkg")\n```\n\n' : ' ';
  }
  return s;
})();
const HEX = Array.from({ length: 1 << 16 }, (_, i) => ((i * 2654435761) >>> 0).toString(16).padStart(8, '0')).join('');

function prose(rand, bytes) {
  const n = Math.min(bytes, POOL.length);
  const at = Math.floor(rand() * (POOL.length - n));
  return POOL.slice(at, at + n);
}

function versionString(name, i, rand, readmeBytes) {
  const version = `${Math.floor(i / 100)}.${Math.floor(i / 10) % 10}.${i % 10}`;
  // like real packages, the dependency list changes now and then (every 10 versions here), not every release
  const depRand = rng(Math.floor(i / 10) + name.length * 7919);
  const deps = {};
  for (let d = 0; d < 8; d++) deps[`dep-${Math.floor(depRand() * 500)}`] = `^${Math.floor(depRand() * 9)}.${Math.floor(depRand() * 20)}.0`;
  const devDeps = {};
  for (let d = 0; d < 20; d++) devDeps[`dev-${Math.floor(rand() * 500)}`] = `^${Math.floor(rand() * 9)}.0.0`;
  const hex = (n) => {
    const at = Math.floor(rand() * (HEX.length - n));
    return HEX.slice(at, at + n);
  };
  const manifest = {
    name,
    version,
    description: prose(rand, 120),
    keywords: WORDS.slice(0, 8),
    homepage: `https://github.com/bench/${name}#readme`,
    bugs: { url: `https://github.com/bench/${name}/issues` },
    license: 'MIT',
    author: { name: 'Bench Author', email: 'author@example.test', url: 'https://example.test' },
    contributors: [
      { name: 'One', email: 'one@example.test' },
      { name: 'Two', email: 'two@example.test' },
    ],
    main: 'lib/index.js',
    types: 'lib/index.d.ts',
    files: ['lib', 'README.md'],
    scripts: { test: 'jest --coverage', build: 'tsc -p .', lint: 'eslint .', ...(i % 50 === 7 ? { postinstall: 'node scripts/postinstall.js' } : {}) },
    repository: { type: 'git', url: `git+https://github.com/bench/${name}.git` },
    dependencies: deps,
    devDependencies: devDeps,
    engines: { node: '>=18' },
    gitHead: hex(40),
    readme: prose(rand, readmeBytes),
    readmeFilename: 'README.md',
    _id: `${name}@${version}`,
    _nodeVersion: '20.11.0',
    _npmVersion: '10.2.4',
    dist: {
      integrity: `sha512-${Buffer.from(hex(64), 'hex').toString('base64')}`,
      shasum: hex(40),
      tarball: `http://127.0.0.1:1/${name}/-/${name}-${version}.tgz`,
      fileCount: 12,
      unpackedSize: 48213,
      signatures: [{ keyid: 'SHA256:bench', sig: hex(140) }],
    },
    _npmUser: { name: 'bench-publisher', email: 'publisher@example.test' },
    maintainers: [
      { name: 'bench-publisher', email: 'publisher@example.test' },
      { name: 'second', email: 'second@example.test' },
    ],
    directories: {},
    _npmOperationalInternal: { host: 's3://npm-registry-packages', tmp: `tmp/${name}_${version}_${hex(8)}` },
    _hasShrinkwrap: false,
  };
  return { version, text: JSON.stringify(manifest) };
}

/** Streams one document of about `bytes` bytes; returns the bytes written. */
async function streamDocument(res, name, bytes) {
  const seed = [...name].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261);
  const rand = rng(seed);
  const readmeBytes = 4000;
  // estimate the per-version size once, then write versions until the budget is used
  const perVersion = versionString(name, 0, rng(1), readmeBytes).text.length + 50;
  const topReadme = prose(rand, Math.min(200_000, Math.floor(bytes / 20)));
  const count = Math.max(1, Math.floor((bytes - topReadme.length - 2000) / perVersion));
  let written = 0;
  let pending = [];
  let pendingBytes = 0;
  const push = async (s) => {
    pending.push(s);
    pendingBytes += s.length;
    if (pendingBytes >= 64 * 1024) await flush();
  };
  const flush = async () => {
    if (!pending.length) return;
    const chunk = pending.join('');
    pending = [];
    pendingBytes = 0;
    written += Buffer.byteLength(chunk);
    if (!res.write(chunk)) await once(res, 'drain');
  };
  const versions = [];
  const base = Date.parse('2015-01-01T00:00:00.000Z');
  await push(
    `{"_id":${JSON.stringify(name)},"_rev":"812-abc","name":${JSON.stringify(name)},"description":"A benchmark package","dist-tags":{"latest":"${versionString(name, count - 1, rng(2), 10).version}"},"versions":{`,
  );
  for (let i = 0; i < count; i++) {
    const v = versionString(name, i, rand, readmeBytes);
    versions.push(v.version);
    await push(`${i ? ',' : ''}${JSON.stringify(v.version)}:${v.text}`);
  }
  await push('},"time":{');
  await push(`"created":"${new Date(base).toISOString()}","modified":"${new Date(base + count * 86_400_000).toISOString()}"`);
  for (let i = 0; i < versions.length; i++) await push(`,${JSON.stringify(versions[i])}:"${new Date(base + i * 86_400_000).toISOString()}"`);
  await push(
    `},"maintainers":[{"name":"bench-publisher","email":"publisher@example.test"}],"readme":${JSON.stringify(topReadme)},"readmeFilename":"README.md","license":"MIT","users":{"someone":true}}`,
  );
  await flush();
  return written;
}

async function serve(names, totalBytes) {
  const per = Math.floor(totalBytes / names);
  const server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1));
    const m = /^bench-pkg-(\d+)$/.exec(name);
    if (!m || Number(m[1]) >= names) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"Not found"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    streamDocument(res, name, per).then(
      () => res.end(),
      () => res.destroy(),
    );
  });
  server.listen(0, '127.0.0.1', () => process.send?.({ port: /** @type {import('node:net').AddressInfo} */ (server.address()).port }));
  process.on('disconnect', () => process.exit(0));
}

// ---- parent: the measurement -------------------------------------------------------------------

export async function run({ names = 100, totalBytes = 500 * MiB, concurrency = 8 } = {}) {
  const dist = process.env.LOCKWARDEN_DIST ?? path.join(path.dirname(here), '..', 'dist');
  const { createNpmRegistryClient, createNpmRegistryConfig } = await import(pathToFileURL(path.join(dist, 'registry', 'index.js')).href);

  globalThis.gc?.();
  await new Promise((r) => setTimeout(r, 50));
  const baselineRss = process.memoryUsage().rss;
  let peakRss = baselineRss;
  const sampler = setInterval(() => {
    const rss = process.memoryUsage().rss;
    if (rss > peakRss) peakRss = rss;
  }, 20);

  const child = fork(here, ['--serve', String(names), String(totalBytes)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const [{ port }] = await once(child, 'message');
    let servedBytes = 0;
    const client = createNpmRegistryClient({
      config: createNpmRegistryConfig({ registry: `http://127.0.0.1:${port}/` }),
      concurrency,
      retries: 0,
      onRequest: (info) => {
        servedBytes += info.bytes;
      },
    });
    const started = performance.now();
    const list = Array.from({ length: names }, (_, i) => `bench-pkg-${i}`);
    const results = await Promise.all(list.map((n) => client.getPackument(n)));
    const ms = performance.now() - started;
    const failed = results.filter((r) => !r.ok);
    if (failed.length) throw new Error(`${failed.length} packuments failed: ${failed[0].reason}`);
    const versions = results.reduce((n, r) => n + r.packument.versions.size, 0);
    const withScripts = results.reduce((n, r) => n + [...r.packument.versions.values()].filter((v) => v.scripts.postinstall).length, 0);
    const memory = process.memoryUsage().rss;
    if (memory > peakRss) peakRss = memory;
    return {
      requests: client.stats().requests,
      names,
      peakRssMB: peakRss / MiB,
      baselineRssMB: baselineRss / MiB,
      ms,
      servedMB: servedBytes / MiB,
      versions,
      versionsWithPostinstall: withScripts,
      mbPerSecond: servedBytes / MiB / (ms / 1000),
    };
  } finally {
    clearInterval(sampler);
    child.kill();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === here) {
  if (process.argv[2] === '--serve') {
    serve(Number(process.argv[3]), Number(process.argv[4]));
  } else {
    const names = Number(process.argv[2] ?? 100);
    const totalBytes = Number(process.argv[3] ?? 500) * MiB;
    const r = await run({ names, totalBytes });
    console.log(JSON.stringify(r, null, 2));
    const ok = r.requests === names && r.peakRssMB < 400;
    console.log(
      `requests per name: ${(r.requests / names).toFixed(2)} (target 1), peak RSS ${r.peakRssMB.toFixed(1)} MB (target < 400) ${ok ? 'OK' : 'MISSED'}`,
    );
  }
}
