#!/usr/bin/env node
/**
 * Produces examples/<scenario>/formats/bun/{base,head}/bun.lock with the real bun (the `bun` package
 * from npm, whose platform package carries the binary), run against the fixture registry on the fixed
 * port the npm fixtures use (so the committed tarball URLs are stable and match them).
 *
 *   npx tsc -p tsconfig.build.json && node scripts/make-fixtures-bun.mjs [scenario...]
 *
 * bun is installed with `npm install --prefix <tmp> bun@<version>` from the registry npm is
 * configured with on this machine (the binary is taken from the platform package, so npm's install
 * script need not run); it then runs in a fresh temporary project holding only the scenario's
 * package.json and a `bunfig.toml` whose `[install] registry` is the fixture registry, with its own
 * cache (`BUN_INSTALL_CACHE_DIR`), HOME and no npm_/BUN_/yarn_ variables inherited. Scripts are not
 * run (`--ignore-scripts`); only the lockfile is written (`--lockfile-only`). Default scenarios:
 * axios and event-stream. `features` (also made by default) is a small workspace project for the
 * parser's unit tests (alias, nested copy, workspace, dev and optional dependencies), written to
 * test/fixtures/lockfiles/bun/features/.
 *
 * When the full build is broken by unrelated work in progress, point LOCKWARDEN_FIXTURE_REGISTRY at
 * a compiled fixture-registry.js (see scripts/make-fixtures.mjs).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PORT = 48730;
const BUN = `bun@${process.env.LOCKWARDEN_BUN_VERSION ?? '1.2.23'}`;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const examples = join(root, 'examples');
const registryDir = join(examples, 'registry');

const modulePath = process.env.LOCKWARDEN_FIXTURE_REGISTRY
  ? resolve(process.env.LOCKWARDEN_FIXTURE_REGISTRY)
  : join(root, 'dist', 'demo', 'fixture-registry.js');
if (!existsSync(modulePath)) {
  console.error(`${modulePath} not found: run \`npx tsc -p tsconfig.build.json\` first (or set LOCKWARDEN_FIXTURE_REGISTRY).`);
  process.exit(2);
}
const { startFixtureRegistry } = await import(pathToFileURL(modulePath).href);

const wanted = process.argv.slice(2);
const scenarios = wanted.length ? wanted.filter((s) => s !== 'features') : ['axios', 'event-stream'];
const makeFeatures = wanted.length === 0 || wanted.includes('features');
for (const s of scenarios) {
  if (!existsSync(join(examples, s, 'scenario.json'))) {
    console.error(`unknown scenario: ${s}`);
    process.exit(2);
  }
}

/** Runs a command without blocking the event loop (the registry answers from this process). */
function run(cmd, args, options) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolvePromise({ status, stdout, stderr }));
  });
}

/** The `features` project: path → package.json. */
const FEATURES = {
  '': {
    name: 'bun-features',
    version: '1.0.0',
    private: true,
    workspaces: ['packages/*'],
    dependencies: { axios: '1.14.0', 'proxy-from-env': '2.1.0', 'old-proxy': 'npm:proxy-from-env@1.0.0' },
    devDependencies: { semver: '7.7.3' },
    optionalDependencies: { picocolors: '1.1.1' },
  },
  'packages/tool': {
    name: 'tool',
    version: '0.1.0',
    dependencies: { semver: '7.7.1', 'bun-features-lib': 'workspace:*' },
  },
  'packages/lib': { name: 'bun-features-lib', version: '0.1.0', dependencies: { 'mime-types': '2.1.35' } },
};

const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|yarn_|bun_)/i.test(k)));
const work = mkdtempSync(join(tmpdir(), 'lockwarden-bun-'));
let failed = false;
let registry;

/** The bun binary inside the installed package: the main package's copy, else a platform package's one that runs. */
async function findBun(prefix) {
  const nm = join(prefix, 'node_modules');
  const candidates = [join(nm, 'bun', 'bin', 'bun.exe')];
  const oven = join(nm, '@oven');
  if (existsSync(oven)) for (const d of readdirSync(oven).sort()) candidates.push(join(oven, d, 'bin', 'bun'));
  for (const c of candidates) {
    if (!existsSync(c)) continue;
    const r = await run(c, ['--version'], { env: inherited }).catch(() => ({ status: 1, stdout: '' }));
    if (r.status === 0) return { path: c, version: r.stdout.trim() };
  }
  throw new Error(`no runnable bun binary under ${nm}`);
}

try {
  // 1. bun itself, into a private prefix (the machine's usual npm registry and config).
  const prefix = join(work, 'pm');
  mkdirSync(prefix, { recursive: true });
  const inst = await run('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel', 'warn', BUN], { env: inherited });
  if (inst.status !== 0) throw new Error(`installing ${BUN} failed:\n${inst.stdout}\n${inst.stderr}`);
  const bun = await findBun(prefix);

  registry = await startFixtureRegistry({ dir: registryDir, port: PORT });
  for (const scenario of scenarios) {
    for (const side of ['base', 'head']) {
      const src = join(examples, scenario, side);
      const dir = join(work, `${scenario}-${side}`);
      const project = join(dir, 'project');
      const home = join(dir, 'home');
      const cache = join(dir, 'cache');
      for (const d of [project, home, cache]) mkdirSync(d, { recursive: true });
      copyFileSync(join(src, 'package.json'), join(project, 'package.json'));
      writeFileSync(join(project, 'bunfig.toml'), `[install]\nregistry = "${registry.url}"\n`);
      const env = {
        ...inherited,
        HOME: home,
        USERPROFILE: home,
        XDG_CONFIG_HOME: join(home, '.config'),
        XDG_CACHE_HOME: join(home, '.cache'),
        BUN_INSTALL_CACHE_DIR: cache,
        BUN_INSTALL: join(home, '.bun'),
        DO_NOT_TRACK: '1',
      };
      const args = ['install', '--lockfile-only', '--ignore-scripts', '--no-progress', '--no-summary', '--save-text-lockfile', '--registry', registry.url];
      const before = registry.requests.length;
      const r = await run(bun.path, args, { cwd: project, env });
      if (r.status !== 0) {
        console.error(`bun failed for ${scenario}/${side} (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
        failed = true;
        continue;
      }
      const lockText = readFileSync(join(project, 'bun.lock'), 'utf8');
      if (!/^\{\s*"lockfileVersion"/.test(lockText)) throw new Error(`${scenario}/${side}: not a bun.lock`);
      for (const m of lockText.matchAll(/"(https?:\/\/[^"]+)"/g)) {
        const host = new URL(m[1]).host;
        if (host !== `127.0.0.1:${PORT}`) throw new Error(`${scenario}/${side}: a package from ${host}`);
      }
      const out = join(examples, scenario, 'formats', 'bun', side);
      mkdirSync(out, { recursive: true });
      copyFileSync(join(src, 'package.json'), join(out, 'package.json'));
      writeFileSync(join(out, 'bun.lock'), lockText);
      const count = (lockText.match(/^ {4}"[^"]+": \[/gm) ?? []).length;
      console.log(`${scenario}/${side}: bun ${bun.version}, ${count} entries, ${registry.requests.length - before} registry requests`);
    }
  }
  if (makeFeatures) {
    const dir = join(work, 'features');
    const project = join(dir, 'project');
    const home = join(dir, 'home');
    const cache = join(dir, 'cache');
    for (const d of [project, home, cache]) mkdirSync(d, { recursive: true });
    const out = join(root, 'test', 'fixtures', 'lockfiles', 'bun', 'features');
    for (const [rel, manifest] of Object.entries(FEATURES)) {
      mkdirSync(join(project, rel), { recursive: true });
      mkdirSync(join(out, rel), { recursive: true });
      writeFileSync(join(project, rel, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      writeFileSync(join(out, rel, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    }
    writeFileSync(join(project, 'bunfig.toml'), `[install]\nregistry = "${registry.url}"\n`);
    const env = { ...inherited, HOME: home, USERPROFILE: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache'), BUN_INSTALL_CACHE_DIR: cache, BUN_INSTALL: join(home, '.bun'), DO_NOT_TRACK: '1' };
    const r = await run(bun.path, ['install', '--lockfile-only', '--ignore-scripts', '--no-progress', '--no-summary', '--save-text-lockfile', '--registry', registry.url], { cwd: project, env });
    if (r.status !== 0) {
      console.error(`bun failed for features (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
      failed = true;
    } else {
      writeFileSync(join(out, 'bun.lock'), readFileSync(join(project, 'bun.lock'), 'utf8'));
      console.log(`features: bun ${bun.version}`);
    }
  }
} finally {
  if (registry) await registry.close();
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
