#!/usr/bin/env node
/**
 * Produces examples/<scenario>/formats/pnpm/{base,head}/pnpm-lock.yaml with the real pnpm CLI
 * (pnpm@10, installed into a temporary prefix from the registry this machine's npm reaches), run
 * against the fixture registry on a fixed port.
 *
 *   npx tsc -p tsconfig.build.json && node scripts/make-fixtures-pnpm.mjs [scenario...]
 *
 * (default scenarios: axios and event-stream).
 *
 *   node scripts/make-fixtures-pnpm.mjs --unit
 *
 * writes the unit-test fixtures instead: the workspace project in test/fixtures/lockfiles/pnpm/workspace
 * (workspace link, npm alias, dev/optional dependencies, a package with install scripts and
 * platform-specific optional dependencies) locked by pnpm 7 (lockfile 5.4), pnpm 8 (6.0) and pnpm 10
 * (9.0), as test/fixtures/lockfiles/pnpm/workspace-v<N>.pnpm-lock.yaml.
 *
 * Builds nothing itself: it imports the registry from
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
const unit = process.argv.includes('--unit');
const wanted = process.argv.slice(2).filter((a) => a !== '--unit');
for (const s of wanted) {
  if (!allScenarios.includes(s)) {
    console.error(`unknown scenario: ${s} (have: ${allScenarios.join(', ')})`);
    process.exit(2);
  }
}
const scenarios = unit ? [] : wanted.length ? wanted : ['axios', 'event-stream'];
const UNIT_DIR = join(root, 'test', 'fixtures', 'lockfiles', 'pnpm');
const UNIT_PNPM = { 5: '7', 6: '8', 9: '10' };

/** Copies a project tree (package.json files, pnpm-workspace.yaml). */
function copyTree(from, to) {
  mkdirSync(to, { recursive: true });
  for (const d of readdirSync(from, { withFileTypes: true })) {
    if (d.isDirectory()) copyTree(join(from, d.name), join(to, d.name));
    else copyFileSync(join(from, d.name), join(to, d.name));
  }
}

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
  async function installPnpm(major, preset) {
    if (preset) return preset;
    const prefix = join(work, `pm${major}`);
    const r = await run('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', `pnpm@${major}`], { env: baseEnv });
    if (r.status !== 0) throw new Error(`npm install pnpm@${major} failed:\n${r.stdout}\n${r.stderr}`);
    return join(prefix, 'node_modules', '.bin', 'pnpm');
  }
  registry = await startFixtureRegistry({ dir: registryDir, port: PORT });
  const jobs = [];
  if (unit) {
    for (const [lockMajor, pmMajor] of Object.entries(UNIT_PNPM)) {
      jobs.push({ label: `workspace-v${lockMajor}`, pm: pmMajor, src: join(UNIT_DIR, 'workspace'), out: join(UNIT_DIR, `workspace-v${lockMajor}.pnpm-lock.yaml`) });
    }
  }
  for (const scenario of scenarios) {
    for (const side of ['base', 'head']) {
      jobs.push({ label: `${scenario}/${side}`, pm: PNPM_VERSION, src: join(examples, scenario, side), out: join(examples, scenario, 'formats', 'pnpm', side, 'pnpm-lock.yaml'), single: true });
    }
  }
  const bins = new Map();
  for (const job of jobs) {
    {
      if (!bins.has(job.pm)) bins.set(job.pm, await installPnpm(job.pm, job.pm === PNPM_VERSION ? process.env.PNPM_BIN : process.env[`PNPM${job.pm}_BIN`]));
      const pnpm = bins.get(job.pm);
      const version = (await run(pnpm, ['--version'], { env: baseEnv })).stdout.trim();
      const box = join(work, job.label.replace(/\//g, '-'));
      const project = join(box, 'project');
      const home = join(box, 'home');
      for (const d of [project, home, join(box, 'store'), join(box, 'cache'), join(box, 'state'), join(box, 'config')]) mkdirSync(d, { recursive: true });
      if (job.single) copyFileSync(join(job.src, 'package.json'), join(project, 'package.json'));
      else copyTree(job.src, project);
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
        console.error(`pnpm ${version} failed for ${job.label} (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
        failed = true;
        continue;
      }
      const lockText = readFileSync(join(project, 'pnpm-lock.yaml'), 'utf8');
      // registry packages carry an integrity only; any URL in the file must be the fixture registry's
      for (const m of lockText.matchAll(/https?:\/\/([^/\s'"}]+)/g)) {
        if (m[1] !== `127.0.0.1:${PORT}`) throw new Error(`${job.label}: URL to ${m[1]} in pnpm-lock.yaml`);
      }
      mkdirSync(dirname(job.out), { recursive: true });
      writeFileSync(job.out, lockText);
      const count = (lockText.match(/^ {2}\S.*:$/gm) ?? []).length;
      console.log(`${job.label}: pnpm ${version}, ${count} entry keys, ${registry.requests.length - before} registry requests`);
    }
  }
} finally {
  if (registry) await registry.close();
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
