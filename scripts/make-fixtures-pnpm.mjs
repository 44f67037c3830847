#!/usr/bin/env node
/**
 * Produces examples/<scenario>/formats/pnpm/{base,head}/pnpm-lock.yaml with the real pnpm CLI
 * (pnpm@10, installed into a temporary prefix from the registry this machine's npm reaches), run
 * against the fixture registry on a fixed port.
 *
 *   npx tsc -p tsconfig.build.json && node scripts/make-fixtures-pnpm.mjs [scenario...]
 *
 * (default scenarios: axios and event-stream). Builds nothing itself: it imports the registry from
 * ../dist/demo/fixture-registry.js, or from LOCKWARDEN_FIXTURE_REGISTRY when set. PNPM_BIN may name
 * an already installed pnpm executable.
 *
 * Each side runs in a fresh temporary directory holding only that side's package.json, with its own
 * HOME, XDG directories, empty npmrc, store and cache, and no npm_config_* variables inherited.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PORT = 48734;
const PNPM_VERSION = '10';
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

const allScenarios = readdirSync(examples, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(examples, d.name, 'scenario.json')))
  .map((d) => d.name)
  .sort();
const wanted = process.argv.slice(2);
for (const s of wanted) {
  if (!allScenarios.includes(s)) {
    console.error(`unknown scenario: ${s} (have: ${allScenarios.join(', ')})`);
    process.exit(2);
  }
}
const scenarios = wanted.length ? wanted : ['axios', 'event-stream'];

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

const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|pnpm_)/i.test(k)));
const work = mkdtempSync(join(tmpdir(), 'lockwarden-fixtures-pnpm-'));
let failed = false;
let registry;
try {
  // pnpm itself, from the registry this machine's npm is configured for (never the fixture registry)
  let pnpm = process.env.PNPM_BIN;
  if (!pnpm) {
    const prefix = join(work, 'pm');
    const r = await run('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', `pnpm@${PNPM_VERSION}`], { env: baseEnv });
    if (r.status !== 0) throw new Error(`npm install pnpm@${PNPM_VERSION} failed:\n${r.stdout}\n${r.stderr}`);
    pnpm = join(prefix, 'node_modules', '.bin', 'pnpm');
  }
  const version = (await run(pnpm, ['--version'], { env: baseEnv })).stdout.trim();
  registry = await startFixtureRegistry({ dir: registryDir, port: PORT });
  for (const scenario of scenarios) {
    for (const side of ['base', 'head']) {
      const src = join(examples, scenario, side);
      const box = join(work, `${scenario}-${side}`);
      const project = join(box, 'project');
      const home = join(box, 'home');
      for (const d of [project, home, join(box, 'store'), join(box, 'cache'), join(box, 'state'), join(box, 'config')]) mkdirSync(d, { recursive: true });
      copyFileSync(join(src, 'package.json'), join(project, 'package.json'));
      const npmrc = join(box, 'npmrc');
      writeFileSync(npmrc, '');
      const env = {
        ...baseEnv,
        HOME: home,
        XDG_CONFIG_HOME: join(box, 'config'),
        XDG_CACHE_HOME: join(box, 'cache'),
        XDG_DATA_HOME: join(box, 'data'),
        XDG_STATE_HOME: join(box, 'state'),
        npm_config_userconfig: npmrc,
        CI: '1',
      };
      const args = [
        'install',
        '--lockfile-only',
        '--ignore-scripts',
        '--registry',
        registry.url,
        '--store-dir',
        join(box, 'store'),
        '--config.cache-dir=' + join(box, 'cache'),
        '--reporter',
        'append-only',
      ];
      const before = registry.requests.length;
      const r = await run(pnpm, args, { cwd: project, env });
      if (r.status !== 0) {
        console.error(`pnpm failed for ${scenario}/${side} (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
        failed = true;
        continue;
      }
      const lockText = readFileSync(join(project, 'pnpm-lock.yaml'), 'utf8');
      // registry packages carry an integrity only; any URL in the file must be the fixture registry's
      for (const m of lockText.matchAll(/https?:\/\/([^/\s'"}]+)/g)) {
        if (m[1] !== `127.0.0.1:${PORT}`) throw new Error(`${scenario}/${side}: URL to ${m[1]} in pnpm-lock.yaml`);
      }
      const out = join(examples, scenario, 'formats', 'pnpm', side);
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'pnpm-lock.yaml'), lockText);
      const count = (lockText.match(/^ {2}\S.*:$/gm) ?? []).length;
      console.log(`${scenario}/${side}: pnpm ${version}, ${count} entry keys, ${registry.requests.length - before} registry requests`);
    }
  }
} finally {
  if (registry) await registry.close();
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
