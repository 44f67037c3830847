// Content analysis cost, each target against a baseline measured in the same run (issue 14):
//  1. a 10-package routine bump (real JS files of 50-500 KB, both archives of each upgrade) through a
//     registry adding 50 ms per request: content review vs metadata-only review (target ≤ 2x), bytes
//     downloaded per review and per package, and 0 bytes on a repeat (the archive cache);
//  2. analyseContents on a 10 MB obfuscated bundle (_0x string-array rotation, hex-escaped table, one
//     line), in-process and through the worker pool (target ≤ 2 s);
//  3. peak RSS of a process reviewing 20 archives of 20 MB each: 20 added packages all binary, all text,
//     10 upgrades whose text files all changed, and 10 whose changed text lies past the kept-text budget
//     (read again by the second look) (target < 400 MB): each in its own process, the registry in another.
// Servers on 127.0.0.1. Run: npm run bench -- content (or node bench/content.js after both builds).
import { createHash, randomBytes } from 'node:crypto';
import { execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { median } from './lib.js';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(path.join(root, 'dist', p));
const support = (p) => import(path.join(root, 'dist-support', 'test-support', p));
const sri = (b) => `sha512-${createHash('sha512').update(b).digest('base64')}`;
const LATENCY_MS = 50;

/** A registry serving `pkgs` ({ name: { version: tgz } }), answering each request after `latency` ms. */
async function serve(pkgs, latency = 0) {
  const files = new Map();
  const docs = new Map();
  const server = createServer((req, res) => {
    const body = docs.get(req.url) ?? files.get(req.url);
    setTimeout(() => (body ? res.writeHead(200, { 'content-length': Buffer.byteLength(body) }).end(body) : res.writeHead(404).end()), latency);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
  const url = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}/`;
  for (const [name, versions] of Object.entries(pkgs)) {
    const out = {};
    const time = {};
    let i = 0;
    for (const [v, tgz] of Object.entries(versions)) {
      const file = `/${name}/-/${name}-${v}.tgz`;
      files.set(file, tgz);
      out[v] = { name, version: v, dist: { tarball: `${url}${file.slice(1)}`, integrity: sri(tgz) } };
      time[v] = new Date(Date.UTC(2020, 0, 1 + i++)).toISOString();
    }
    docs.set(`/${name}`, JSON.stringify({ name, versions: out, time }));
  }
  return { url, close: () => new Promise((r) => server.close(r)) };
}

function lock(url, versions, tgzOf) {
  const packages = { '': { name: 'bench', dependencies: Object.fromEntries(Object.keys(versions).map((n) => [n, '*'])) } };
  for (const [n, v] of Object.entries(versions))
    packages[`node_modules/${n}`] = { version: v, resolved: `${url}${n}/-/${n}-${v}.tgz`, integrity: sri(tgzOf(n, v)) };
  return JSON.stringify({ name: 'bench', lockfileVersion: 3, packages });
}

/**
 * A client counting archive bytes, and a review: `meta` (content off), `archives` (archives read, the
 * four detector signals off: what downloading costs) or `content`; `pool` is shared by the runs.
 */
async function reviewer(url, pool) {
  const { review } = await dist('core/review.js');
  const { defaultConfig } = await dist('policy/index.js');
  const { createNpmRegistryClient, createNpmRegistryConfig } = await dist('registry/index.js');
  const counted = { bytes: 0, archives: 0 };
  // an archive request answered but not read (no room to hold it yet, or to read it ahead) is not counted
  const onRequest = (i) => {
    if (i.kind === 'tarball' && i.bytes > 0) {
      counted.bytes += i.bytes;
      counted.archives++;
    }
  };
  const client = createNpmRegistryClient({ config: createNpmRegistryConfig({ registry: url }), onRequest });
  const run = (inputs, mode) => {
    const config = defaultConfig();
    config.content.enabled = mode !== 'meta';
    if (mode === 'archives') for (const id of ['obfuscated-code', 'new-capability', 'new-executable', 'install-script-payload']) config.signals.set(id, 'off');
    return review(inputs, { registry: client.review(), now: new Date('2024-01-01T00:00:00Z'), config, contentAnalyser: pool });
  };
  return { counted, run };
}

/** Ten real JavaScript files of 50-500 KB from the installed dependencies: one per package, deterministic. */
function realFiles() {
  const nm = path.join(root, 'node_modules');
  const out = [];
  for (const dir of readdirSync(nm).sort()) {
    if (dir.startsWith('.') || dir.startsWith('@') || out.length >= 10) continue;
    const found = jsFiles(path.join(nm, dir), 0)
      .filter((f) => f.size >= 50_000 && f.size <= 500_000)
      .sort((a, b) => b.size - a.size || a.path.localeCompare(b.path))[0];
    if (found) out.push({ name: `real-${dir}`, text: readFileSync(found.path, 'utf8') });
  }
  return out;
}

function jsFiles(dir, depth) {
  if (depth > 3) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules') return jsFiles(p, depth + 1);
    return e.isFile() && e.name.endsWith('.js') ? [{ path: p, size: statSync(p).size }] : [];
  });
}

/** Each package: its real file, an index requiring it, package.json; the new version edits the file slightly. */
export async function routineBump() {
  const { createTar } = await support('tarball.js');
  const { ContentPool } = await dist('core/content-pool.js');
  const pkgs = {};
  for (const { name, text } of realFiles()) {
    const make = (v, body) =>
      gzipSync(
        createTar([
          { path: 'package/package.json', content: JSON.stringify({ name, version: v, main: 'index.js' }, null, 2) },
          { path: 'package/index.js', content: "'use strict';\nmodule.exports = require('./lib/main.js');\n" },
          { path: 'package/lib/main.js', content: body },
        ]),
      );
    pkgs[name] = { '1.0.0': make('1.0.0', text), '1.0.1': make('1.0.1', text.replace(/\n/, `\n// patched in 1.0.1\n`)) };
  }
  const reg = await serve(pkgs, LATENCY_MS);
  const names = Object.keys(pkgs);
  const tgzOf = (n, v) => pkgs[n][v];
  const base = lock(reg.url, Object.fromEntries(names.map((n) => [n, '1.0.0'])), tgzOf);
  const head = lock(reg.url, Object.fromEntries(names.map((n) => [n, '1.0.1'])), tgzOf);
  const inputs = [{ file: 'package-lock.json', base, head }];
  const pool = new ContentPool();
  const metaMs = [];
  const archivesMs = [];
  const contentMs = [];
  /** @type {{ bytes: number, archives: number, conclusion: string, findings: number, incomplete: number, client: Awaited<ReturnType<typeof reviewer>> } | undefined} */
  let first;
  // fresh clients each round (no cache), metadata-only and content interleaved
  for (let round = 0; round < 5; round++) {
    const meta = await reviewer(reg.url, pool);
    let t = performance.now();
    await meta.run(inputs, 'meta');
    metaMs.push(performance.now() - t);
    const archives = await reviewer(reg.url, pool);
    t = performance.now();
    await archives.run(inputs, 'archives');
    archivesMs.push(performance.now() - t);
    const content = await reviewer(reg.url, pool);
    t = performance.now();
    const result = await content.run(inputs, 'content');
    contentMs.push(performance.now() - t);
    if (!first) {
      const findings = result.changes.flatMap((c) => c.findings).filter((f) => f.severity === 'medium' || f.severity === 'high' || f.severity === 'critical');
      first = { ...content.counted, conclusion: result.conclusion, findings: findings.length, incomplete: result.incomplete.length, client: content };
    }
  }
  if (!first) throw new Error('no round ran');
  const before = { ...first.client.counted };
  const t = performance.now();
  await first.client.run(inputs, 'content');
  const repeat = { bytes: first.client.counted.bytes - before.bytes, archives: first.client.counted.archives - before.archives, ms: performance.now() - t };
  await pool.close();
  await reg.close();
  return { packages: names.length, metaMs: median(metaMs), archivesMs: median(archivesMs), contentMs: median(contentMs), first, repeat };
}

/** One line, string-array rotation, a hex-escaped table, `_0x` names throughout: what obfuscators emit. */
function obfuscatedBundle(bytes) {
  const hex = (s) => [...s].map((c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
  const words = ['child_process', 'exec', 'https', 'request', 'homedir', 'readFileSync', 'toString', 'base64', 'length', 'push', 'shift'];
  const parts = ['var _0x4e2a=['];
  let len = 20;
  for (let n = 0; len < bytes * 0.4; n++) {
    const s = `'${hex(words[n % words.length] + n)}',`;
    parts.push(s);
    len += s.length;
  }
  parts.push("];(function(_0x2d8f05,_0x4b81bb){var _0x4d74cb=function(_0x32719f){while(--_0x32719f){_0x2d8f05['push'](_0x2d8f05['shift']());}};");
  parts.push('_0x4d74cb(++_0x4b81bb);}(_0x4e2a,0x1b3));var _0x1c3f=function(_0x2d8f05){return _0x4e2a[_0x2d8f05-0x0];};');
  for (let i = 0; len < bytes; i++) {
    const a = `_0x${(i * 7 + 0x1000).toString(16)}`;
    const s = `function _0x${(0x10000 + i).toString(16)}(${a}){return ${a}[_0x1c3f('0x${(i % 4000).toString(16)}')](_0x1c3f('0x${((i + 1) % 4000).toString(16)}'))+"${i}";}`;
    parts.push(s);
    len += s.length;
  }
  return parts.join('');
}

async function bundle() {
  const { analyseContents } = await dist('content/index.js');
  const { ContentPool } = await dist('core/content-pool.js');
  const text = obfuscatedBundle(10 * 1024 * 1024);
  const file = (p, t) => ({ path: p, size: Buffer.byteLength(t), sha256: createHash('sha256').update(t).digest('hex'), kind: 'text', text: t });
  const pkg = (v) => JSON.stringify({ name: 'bundle', version: v, main: 'index.js' });
  const archive = (v, index) => ({
    ecosystem: 'npm',
    name: 'bundle',
    version: v,
    integrity: `sha512-${v}`,
    files: [file('package.json', pkg(v)), file('index.js', index)],
    skipped: [],
    bytes: { compressed: 0, unpacked: index.length },
  });
  const previous = archive('1.0.0', 'module.exports = function add(a, b) {\n  return a + b;\n};\n');
  const next = archive('1.0.1', text);
  const local = [];
  let analysis;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    analysis = analyseContents(previous, next);
    local.push(performance.now() - t);
  }
  const pool = new ContentPool({ size: 1 });
  const pooled = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = await pool.analyse({ previous, next, budgetMs: 60_000 });
    pooled.push(performance.now() - t);
    if (!r.ok) throw new Error(r.reason);
  }
  await pool.close();
  const top = analysis.findings.find((f) => f.signal === 'obfuscated-code');
  return { bytes: text.length, localMs: median(local), poolMs: median(pooled), finding: top ? `${top.severity}: ${top.evidence.kinds.join(', ')}` : 'none' };
}

/**
 * Child process: builds and serves the 20 big archives, prints `{ url, integrity, size }`, lives until killed.
 * `binary`/`text`: 20 added packages; `upgrades`: 10 packages upgraded 1.0.0 → 1.0.1, every text file changed.
 */
async function serveBig(kind) {
  const { createTgz } = await support('tarball.js');
  const pkgs = {};
  const text = kind !== 'binary';
  // `mixed`: the first 12 files are the same in both versions, the last 8 change (a second look reads them)
  const same = Array.from({ length: 12 }, () => randomBytes(768 * 1024).toString('base64'));
  const archive = (name, version) => {
    // 20 files of 1 MB: base64 text (kept up to the caps) or random bytes (binary: only heads kept)
    const files = Array.from({ length: 20 }, (_, j) => {
      const raw = randomBytes(text ? 768 * 1024 : 1024 * 1024);
      const content = kind === 'mixed' && j < 12 ? same[j] : text ? raw.toString('base64') : raw;
      return { path: `package/f${String(j).padStart(2, '0')}.${text ? 'js' : 'bin'}`, content };
    });
    return createTgz([{ path: 'package/package.json', content: JSON.stringify({ name, version }) }, ...files]);
  };
  if (kind === 'upgrades' || kind === 'mixed')
    for (let i = 0; i < 10; i++) pkgs[`big-${i}`] = { '1.0.0': archive(`big-${i}`, '1.0.0'), '1.0.1': archive(`big-${i}`, '1.0.1') };
  else for (let i = 0; i < 20; i++) pkgs[`big-${i}`] = { '1.0.0': archive(`big-${i}`, '1.0.0') };
  const reg = await serve(pkgs);
  const integrity = Object.fromEntries(Object.entries(pkgs).flatMap(([n, vs]) => Object.entries(vs).map(([v, tgz]) => [`${n}@${v}`, sri(tgz)])));
  const all = Object.values(pkgs).flatMap((vs) => Object.values(vs));
  const size = all.reduce((s, b) => s + b.length, 0) / all.length;
  process.stdout.write(`${JSON.stringify({ url: reg.url, integrity, size, upgrades: kind === 'upgrades' || kind === 'mixed' })}\n`);
}

/** Child process: the review of the 20 added packages, printing its figures and the process's peak RSS. */
async function reviewBig(kind) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'serve-big', kind], { stdio: ['ignore', 'pipe', 'inherit'] });
  const info = await new Promise((resolve) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(JSON.parse(out));
    });
  });
  const names = [...new Set(Object.keys(info.integrity).map((k) => k.slice(0, k.lastIndexOf('@'))))];
  const lockOf = (version) => {
    const packages = { '': { name: 'bench', dependencies: Object.fromEntries(names.map((n) => [n, '*'])) } };
    for (const n of names)
      packages[`node_modules/${n}`] = { version, resolved: `${info.url}${n}/-/${n}-${version}.tgz`, integrity: info.integrity[`${n}@${version}`] };
    return JSON.stringify({ name: 'bench', lockfileVersion: 3, packages });
  };
  const head = lockOf(info.upgrades ? '1.0.1' : '1.0.0');
  const base = info.upgrades ? lockOf('1.0.0') : JSON.stringify({ name: 'bench', lockfileVersion: 3, packages: { '': { name: 'bench' } } });
  const { ContentPool } = await dist('core/content-pool.js');
  const pool = new ContentPool();
  const r = await reviewer(info.url, pool);
  const rssBefore = process.memoryUsage().rss;
  const t = performance.now();
  const result = await r.run([{ file: 'package-lock.json', base, head }], 'content');
  const ms = performance.now() - t;
  await pool.close();
  child.kill();
  const analysed = result.notes.filter((n) => n.kind === 'content-not-analysed' && !/analysed in part/.test(n.message)).length;
  process.stdout.write(
    `${JSON.stringify({
      archives: r.counted.archives,
      archiveMB: info.size / 1e6,
      ms,
      rssBeforeMB: rssBefore / 1e6,
      peakMB: process.resourceUsage().maxRSS / 1024,
      conclusion: result.conclusion,
      notAnalysed: analysed,
      incomplete: result.incomplete.length,
    })}\n`,
  );
}

function inChild(kind) {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [fileURLToPath(import.meta.url), 'review-big', kind], { maxBuffer: 1 << 20 }, (e, stdout) =>
      e ? reject(e) : resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '')),
    ),
  );
}

/** Every figure, for bench/run.js and the command line. */
export async function run() {
  return {
    bump: await routineBump(),
    bundle: await bundle(),
    big: { binary: await inChild('binary'), text: await inChild('text'), upgrades: await inChild('upgrades'), mixed: await inChild('mixed') },
  };
}

const fmt = (n, d = 0) => n.toFixed(d);
const mark = (ok) => (ok ? '✓' : '✗');

export function print(r) {
  const { bump, bundle: b, big } = r;
  const ratio = bump.contentMs / bump.metaMs;
  console.log(`\n## content analysis cost (same run; registry latency ${LATENCY_MS} ms per request)\n`);
  console.log('| measure | baseline | with content | ratio / value | target |');
  console.log('|---|---|---|---|---|');
  console.log(
    `| ${bump.packages}-package routine bump, median review ms (real JS files 50-500 KB) | ${fmt(bump.metaMs)} (metadata only) | ${fmt(bump.contentMs)} | ${fmt(ratio, 2)}x | ≤ 2x ${mark(ratio <= 2)} |`,
  );
  console.log(
    `| the same, archives read but not analysed (content signals off), median ms | ${fmt(bump.metaMs)} | ${fmt(bump.archivesMs)} | ${fmt(bump.archivesMs / bump.metaMs, 2)}x | – |`,
  );
  console.log(
    `| archive bytes downloaded per review / per package | – | ${bump.first.bytes} / ${Math.round(bump.first.bytes / bump.packages)} (${bump.first.archives} archives) | conclusion ${bump.first.conclusion}, ${bump.first.findings} findings ≥ medium | reported ✓ |`,
  );
  console.log(
    `| the same review repeated (archive cache) | – | ${bump.repeat.bytes} bytes, ${bump.repeat.archives} archives, ${fmt(bump.repeat.ms)} ms | – | 0 bytes ${mark(bump.repeat.bytes === 0)} |`,
  );
  console.log(
    `| 10 MB obfuscated bundle (${b.bytes} chars, one line): analyseContents ms | – | in-process ${fmt(b.localMs)}, worker pool ${fmt(b.poolMs)} | ${b.finding} | ≤ 2000 ms ${mark(Math.max(b.localMs, b.poolMs) <= 2000)} |`,
  );
  const what = {
    binary: '20 added packages, all binary',
    text: '20 added packages, all text',
    upgrades: '10 packages upgraded, all text changed',
    mixed: '10 packages upgraded, the changed text past the budget (second look)',
  };
  for (const kind of ['binary', 'text', 'upgrades', 'mixed']) {
    const x = big[kind];
    console.log(
      `| peak RSS, ${what[kind]} (20 archives of ${fmt(x.archiveMB, 1)} MB) | ${fmt(x.rssBeforeMB)} MB before the review | ${fmt(x.peakMB)} MB peak, ${fmt(x.ms)} ms, ${x.archives} archives read | conclusion ${x.conclusion}, ${x.notAnalysed} not analysed | < 400 MB ${mark(x.peakMB < 400)} |`,
    );
  }
}

const [cmd, arg] = process.argv.slice(2);
if (cmd === 'serve-big') await serveBig(arg);
else if (cmd === 'review-big') await reviewBig(arg);
else if (process.argv[1] === fileURLToPath(import.meta.url)) print(await run());
