#!/usr/bin/env node
/**
 * Produces examples/<scenario>/{base,head}/package-lock.json with the real npm CLI, run against the
 * fixture registry on a fixed port (so the committed `resolved` URLs are stable).
 *
 *   npx tsc -p tsconfig.build.json && node scripts/make-fixtures.mjs [scenario...]
 *
 * Builds nothing itself: it imports the registry from ../dist/demo/fixture-registry.js. When the full
 * build is broken by unrelated work in progress, compile src/demo alone into a temporary directory
 * that has a `{"type":"module"}` package.json and point LOCKWARDEN_FIXTURE_REGISTRY at the compiled
 * fixture-registry.js.
 *
 * Each side runs in a fresh temporary directory holding only that side's package.json, with empty
 * user and global npm configs, a fresh cache, and no npm_config_* variables inherited, so nothing
 * from this machine's npm setup leaks into the lockfiles.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PORT = 48730;
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
const scenarios = wanted.length ? wanted : allScenarios;

/** Runs a command without blocking the event loop; resolves with its exit status and output. */
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

const childEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));

const registry = await startFixtureRegistry({ dir: registryDir, port: PORT });
const work = mkdtempSync(join(tmpdir(), 'lockwarden-fixtures-'));
let failed = false;
try {
  const emptyUserConfig = join(work, 'user-npmrc');
  const emptyGlobalConfig = join(work, 'global-npmrc');
  writeFileSync(emptyUserConfig, '');
  writeFileSync(emptyGlobalConfig, '');
  for (const scenario of scenarios) {
    for (const side of ['base', 'head']) {
      const src = join(examples, scenario, side);
      const project = join(work, `${scenario}-${side}`, 'project');
      const cache = join(work, `${scenario}-${side}`, 'cache');
      mkdirSync(project, { recursive: true });
      mkdirSync(cache, { recursive: true });
      copyFileSync(join(src, 'package.json'), join(project, 'package.json'));
      const args = [
        'install',
        '--package-lock-only',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--no-update-notifier',
        '--registry',
        registry.url,
        '--omit-lockfile-registry-resolved=false',
        '--userconfig',
        emptyUserConfig,
        '--globalconfig',
        emptyGlobalConfig,
        '--cache',
        cache,
        '--loglevel',
        'warn',
      ];
      const before = registry.requests.length;
      // Asynchronous on purpose: the registry answers from this process's event loop.
      const r = await run('npm', args, { cwd: project, env: childEnv });
      if (r.status !== 0) {
        console.error(`npm failed for ${scenario}/${side} (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
        failed = true;
        continue;
      }
      const lockText = readFileSync(join(project, 'package-lock.json'), 'utf8');
      const lock = JSON.parse(lockText);
      for (const [key, entry] of Object.entries(lock.packages ?? {})) {
        if (key === '' || !entry.resolved) continue;
        const host = new URL(entry.resolved).host;
        if (host !== `127.0.0.1:${PORT}`) throw new Error(`${scenario}/${side}: ${key} resolved from ${host}`);
      }
      writeFileSync(join(src, 'package-lock.json'), lockText);
      const count = Object.keys(lock.packages ?? {}).length - 1;
      console.log(`${scenario}/${side}: ${count} packages, ${registry.requests.length - before} registry requests`);
    }
  }
} finally {
  await registry.close();
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
