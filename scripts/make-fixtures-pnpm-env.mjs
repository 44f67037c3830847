#!/usr/bin/env node
/**
 * Produces test/fixtures/lockfiles/pnpm-env/*.pnpm-lock.yaml: real pnpm lockfiles for projects with
 * `configDependencies`, which pnpm 11 and later lock in a leading "env" YAML document (`---`, the env
 * lockfile, `---`, the project's lockfile). pnpm 10 does not write that document (it keeps a config
 * dependency's integrity in pnpm-workspace.yaml as `version+integrity`, and since 10.33 only skips a
 * leading env document when reading), so one pnpm 10 output is made too, for contrast.
 *
 *   npx tsc -p tsconfig.build.json && node scripts/make-fixtures-pnpm-env.mjs
 *
 * Projects: test/fixtures/lockfiles/pnpm-env/projects/<name>/ (package.json, pnpm-workspace.yaml).
 * Each is locked into <name>.pnpm-lock.yaml by pnpm 11 (`@pnpm/exe@11`, the standalone build: it
 * brings its own Node, pnpm 11 wants a newer one than the repository's), or by pnpm 10 when the name
 * ends in `-pnpm10` (pnpm 10 wants the config dependency's integrity inlined in
 * pnpm-workspace.yaml, `1.1.0+sha512-…`: that project copies it from config-base's env document).
 *
 * As scripts/make-fixtures-pnpm.mjs: pnpm is installed into a temporary prefix from the registry
 * this machine's npm is configured for (PNPM_BIN / PNPM11_BIN name already installed executables);
 * the project is locked against the fixture registry (imported from ../dist/demo/fixture-registry.js
 * or LOCKWARDEN_FIXTURE_REGISTRY) on a fixed port, in a fresh temporary directory with its own HOME,
 * XDG directories, empty npmrc, store and cache, and no npm_config_* variables inherited.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PORT = 48735;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const registryDir = join(root, 'examples', 'registry');
const outDir = join(root, 'test', 'fixtures', 'lockfiles', 'pnpm-env');
const projectsDir = join(outDir, 'projects');

const modulePath = process.env.LOCKWARDEN_FIXTURE_REGISTRY
  ? resolve(process.env.LOCKWARDEN_FIXTURE_REGISTRY)
  : join(root, 'dist', 'demo', 'fixture-registry.js');
if (!existsSync(modulePath)) {
  console.error(`${modulePath} not found: run \`npx tsc -p tsconfig.build.json\` first (or set LOCKWARDEN_FIXTURE_REGISTRY).`);
  process.exit(2);
}
const { startFixtureRegistry } = await import(pathToFileURL(modulePath).href);

function run(cmd, args, options) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    // pnpm 10 has been seen to hang after reporting an error: give up after two minutes
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', () => clearTimeout(timer));
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolvePromise({ status, stdout, stderr }));
  });
}

const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|pnpm_)/i.test(k)));
const work = mkdtempSync(join(tmpdir(), 'lockwarden-fixtures-pnpm-env-'));
let failed = false;
let registry;
try {
  /** pnpm itself, from the registry this machine's npm is configured for (never the fixture registry). */
  async function installPnpm(spec, bin, preset) {
    if (preset) return preset;
    const prefix = join(work, `pm-${spec.replace(/[^a-z0-9]+/gi, '-')}`);
    const r = await run('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', spec], { env: baseEnv });
    if (r.status !== 0) throw new Error(`npm install ${spec} failed:\n${r.stdout}\n${r.stderr}`);
    return join(prefix, 'node_modules', '.bin', bin);
  }
  registry = await startFixtureRegistry({ dir: registryDir, port: PORT });
  const pnpm11 = await installPnpm('@pnpm/exe@11', 'pnpm', process.env.PNPM11_BIN);
  const pnpm10 = await installPnpm('pnpm@10', 'pnpm', process.env.PNPM_BIN);
  const projects = readdirSync(projectsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const jobs = projects.map((name) => ({ label: name, pnpm: name.endsWith('-pnpm10') ? pnpm10 : pnpm11, out: `${name}.pnpm-lock.yaml` }));
  for (const job of jobs) {
    const version = (await run(job.pnpm, ['--version'], { env: baseEnv })).stdout.trim();
    const box = join(work, job.out);
    const project = join(box, 'project');
    const home = join(box, 'home');
    for (const d of [project, home, join(box, 'store'), join(box, 'cache'), join(box, 'state'), join(box, 'config')]) mkdirSync(d, { recursive: true });
    for (const f of readdirSync(join(projectsDir, job.label))) copyFileSync(join(projectsDir, job.label, f), join(project, f));
    const npmrc = join(box, 'npmrc');
    writeFileSync(npmrc, `registry=${registry.url}\n`);
    const env = {
      ...baseEnv,
      HOME: home,
      XDG_CONFIG_HOME: join(box, 'config'),
      XDG_CACHE_HOME: join(box, 'cache'),
      XDG_DATA_HOME: join(box, 'data'),
      XDG_STATE_HOME: join(box, 'state'),
      npm_config_userconfig: npmrc,
      npm_config_registry: registry.url,
      CI: '1',
    };
    // config dependencies are installed before anything else, even with --lockfile-only
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
    const r = await run(job.pnpm, args, { cwd: project, env });
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
    writeFileSync(join(outDir, job.out), lockText);
    const docs = lockText.split(/^---$/m).length - 1;
    console.log(`${job.label}: pnpm ${version} -> ${job.out} (${docs} document markers), ${registry.requests.length - before} registry requests`);
  }
} finally {
  if (registry) await registry.close();
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
