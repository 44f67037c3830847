// Content analysis figures: archive bytes downloaded per review and per package for a 10-package
// routine bump (upgrades: both archives of each), the same review repeated (cache: 0 bytes), and peak
// RSS reviewing 20 added packages whose archives are 20 MB each (target < 400 MB). Servers on 127.0.0.1.
// Run: npm run build && npm run build:support && node bench/content.js [text|binary]
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(path.join(root, 'dist', p));
const support = (p) => import(path.join(root, 'dist-support', 'test-support', p));
const sri = (b) => `sha512-${createHash('sha512').update(b).digest('base64')}`;

/** A registry serving `pkgs` ({ name: { version: tgz } }) and counting archive bytes sent. */
async function serve(pkgs) {
  const files = new Map();
  const docs = new Map();
  const server = createServer((req, res) => {
    const body = docs.get(req.url) ?? files.get(req.url);
    if (!body) return res.writeHead(404).end();
    res.writeHead(200).end(body);
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

function lock(url, pkgs, tgzOf) {
  const packages = { '': { name: 'bench', dependencies: Object.fromEntries(Object.keys(pkgs).map((n) => [n, '*'])) } };
  for (const [n, v] of Object.entries(pkgs))
    packages[`node_modules/${n}`] = { version: v, resolved: `${url}${n}/-/${n}-${v}.tgz`, integrity: sri(tgzOf(n, v)) };
  return JSON.stringify({ name: 'bench', lockfileVersion: 3, packages });
}

async function reviewer(url) {
  const { review } = await dist('core/review.js');
  const { defaultConfig } = await dist('policy/index.js');
  const { createNpmRegistryClient, createNpmRegistryConfig } = await dist('registry/index.js');
  const counted = { bytes: 0, archives: 0 };
  const onRequest = (i) => {
    if (i.kind === 'tarball') {
      counted.bytes += i.bytes;
      counted.archives++;
    }
  };
  const client = createNpmRegistryClient({ config: createNpmRegistryConfig({ registry: url }), onRequest });
  const config = defaultConfig();
  return { counted, run: (inputs) => review(inputs, { registry: client.review(), now: new Date('2024-01-01T00:00:00Z'), config }) };
}

async function routineBump() {
  const { createTgz } = await support('tarball.js');
  const pkgs = {};
  for (let i = 0; i < 10; i++) {
    const make = (v) =>
      createTgz([
        { path: 'package/package.json', content: JSON.stringify({ name: `pkg-${i}`, version: v }) },
        { path: 'package/index.js', content: `// ${v}\n${'x'.repeat(20_000)}\n` },
      ]);
    pkgs[`pkg-${i}`] = { '1.0.0': make('1.0.0'), '1.0.1': make('1.0.1') };
  }
  const reg = await serve(pkgs);
  const tgzOf = (n, v) => pkgs[n][v];
  const names = Object.keys(pkgs);
  const inputs = [
    {
      file: 'package-lock.json',
      base: lock(reg.url, Object.fromEntries(names.map((n) => [n, '1.0.0'])), tgzOf),
      head: lock(reg.url, Object.fromEntries(names.map((n) => [n, '1.0.1'])), tgzOf),
    },
  ];
  const r = await reviewer(reg.url);
  let t = Date.now();
  await r.run(inputs);
  const first = { ...r.counted, ms: Date.now() - t };
  t = Date.now();
  await r.run(inputs);
  const repeat = { bytes: r.counted.bytes - first.bytes, archives: r.counted.archives - first.archives, ms: Date.now() - t };
  await reg.close();
  return { first, repeat };
}

/** Child process: builds and serves the 20 big archives, prints `{ url, integrity }`, lives until killed. */
async function serveBig(kind) {
  const { createTgz } = await support('tarball.js');
  const pkgs = {};
  for (let i = 0; i < 20; i++) {
    // 20 files of 1 MB: base64 text (kept up to the caps) or random bytes (binary: only heads kept)
    const files = Array.from({ length: 20 }, (_, j) => {
      const raw = randomBytes(kind === 'text' ? 768 * 1024 : 1024 * 1024);
      return { path: `package/f${j}.${kind === 'text' ? 'js' : 'bin'}`, content: kind === 'text' ? raw.toString('base64') : raw };
    });
    pkgs[`big-${i}`] = { '1.0.0': createTgz([{ path: 'package/package.json', content: JSON.stringify({ name: `big-${i}`, version: '1.0.0' }) }, ...files]) };
  }
  const reg = await serve(pkgs);
  const integrity = Object.fromEntries(Object.entries(pkgs).map(([n, v]) => [n, sri(v['1.0.0'])]));
  const size = Object.values(pkgs).reduce((s, v) => s + v['1.0.0'].length, 0) / 20;
  process.stdout.write(`${JSON.stringify({ url: reg.url, integrity, size })}\n`);
}

/** The review of 20 added packages in this process; the archives are served by a child process. */
async function bigArchives(kind) {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'serve-big', kind], { stdio: ['ignore', 'pipe', 'inherit'] });
  const info = await new Promise((resolve) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(JSON.parse(out));
    });
  });
  const names = Object.keys(info.integrity);
  const packages = { '': { name: 'bench', dependencies: Object.fromEntries(names.map((n) => [n, '*'])) } };
  for (const n of names) packages[`node_modules/${n}`] = { version: '1.0.0', resolved: `${info.url}${n}/-/${n}-1.0.0.tgz`, integrity: info.integrity[n] };
  const head = JSON.stringify({ name: 'bench', lockfileVersion: 3, packages });
  const base = JSON.stringify({ name: 'bench', lockfileVersion: 3, packages: { '': { name: 'bench' } } });
  const r = await reviewer(info.url);
  const rssBefore = process.memoryUsage().rss;
  const t = Date.now();
  const result = await r.run([{ file: 'package-lock.json', base, head }]);
  const ms = Date.now() - t;
  child.kill();
  return {
    archives: r.counted.archives,
    archiveMB: (info.size / 1e6).toFixed(1),
    ms,
    rssBeforeMB: Math.round(rssBefore / 1e6),
    conclusion: result.conclusion,
    notes: result.notes.filter((n) => n.kind === 'content-not-analysed').length,
  };
}

if (process.argv[2] === 'serve-big') {
  await serveBig(process.argv[3]);
} else {
  const kind = process.argv[2] === 'binary' ? 'binary' : 'text';
  const bump = await routineBump();
  console.log(
    `routine bump, 10 packages: ${bump.first.archives} archives, ${bump.first.bytes} bytes (${Math.round(bump.first.bytes / 10)} per package), ${bump.first.ms} ms`,
  );
  console.log(`repeat: ${bump.repeat.archives} archives, ${bump.repeat.bytes} bytes, ${bump.repeat.ms} ms`);
  const big = await bigArchives(kind);
  console.log(`20 archives (${kind}) of ${big.archiveMB} MB: ${big.archives} downloaded, ${big.ms} ms, conclusion ${big.conclusion}`);
  console.log(
    `  content-not-analysed notes: ${big.notes}; peak RSS of the reviewing process ${Math.round(process.resourceUsage().maxRSS / 1024)} MB (before the review: ${big.rssBeforeMB} MB)`,
  );
}
