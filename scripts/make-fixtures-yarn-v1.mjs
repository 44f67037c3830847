#!/usr/bin/env node
/**
 * Produces examples/<scenario>/formats/yarn-v1/{base,head}/yarn.lock with the real yarn classic
 * (`yarn@1` from npm), run against the fixture registry on the fixed port the npm fixtures use
 * (so the committed `resolved` URLs are stable and match them).
 *
 *   npx tsc -p tsconfig.build.json && node scripts/make-fixtures-yarn-v1.mjs [scenario...]
 *
 * yarn is installed with `npm install --prefix <tmp> yarn@1` from the registry npm is configured
 * with on this machine; it then runs with node in a fresh temporary project holding only the
 * scenario's package.json, with `--registry <fixture registry> --no-default-rc`, its own cache
 * folder, HOME and no npm_ or YARN_ variables inherited, so nothing from this machine's setup leaks
 * in. Scripts are not run (`--ignore-scripts`). Default scenarios: axios and event-stream, plus
 * `features`: the parser's unit-test fixture test/fixtures/lockfiles/yarn-v1/features/yarn.lock.
 *
 * When the full build is broken by unrelated work in progress, point LOCKWARDEN_FIXTURE_REGISTRY at
 * a compiled fixture-registry.js (see scripts/make-fixtures.mjs).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PORT = 48730;
const YARN = 'yarn@1';
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
const scenarios = wanted.length ? wanted : ['axios', 'event-stream'];
for (const s of scenarios) {
  if (s !== 'features' && !existsSync(join(examples, s, 'scenario.json'))) {
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

const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|yarn_)/i.test(k)));
const work = mkdtempSync(join(tmpdir(), 'lockwarden-yarn-v1-'));
let failed = false;
let registry;
try {
  // 1. yarn classic itself, into a private prefix (the machine's usual npm registry and config).
  const prefix = join(work, 'pm');
  mkdirSync(prefix, { recursive: true });
  const inst = await run('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel', 'warn', YARN], { env: inherited });
  if (inst.status !== 0) throw new Error(`installing ${YARN} failed:\n${inst.stdout}\n${inst.stderr}`);
  const yarnJs = join(prefix, 'node_modules', 'yarn', 'bin', 'yarn.js');
  const yarnVersion = JSON.parse(readFileSync(join(prefix, 'node_modules', 'yarn', 'package.json'), 'utf8')).version;

  registry = await startFixtureRegistry({ dir: registryDir, port: PORT });
  const env0 = (dir) => ({ ...inherited, HOME: join(dir, 'home'), USERPROFILE: join(dir, 'home'), XDG_CONFIG_HOME: join(dir, 'home', '.config'), YARN_CACHE_FOLDER: join(dir, 'cache') });
  const yarnArgs = (cache) => [yarnJs, 'install', '--registry', registry.url, '--no-default-rc', '--cache-folder', cache, '--ignore-scripts', '--non-interactive', '--no-progress', '--ignore-engines', '--network-timeout', '60000'];

  // 2. The parser's own fixture (test/fixtures/lockfiles/yarn-v1/features): scoped names, ranges
  //    shared by several dependents, an npm: alias, optional dependencies, a local directory, a
  //    local tarball.
  if (!wanted.length || wanted.includes('features')) {
    const src = join(root, 'test', 'fixtures', 'lockfiles', 'yarn-v1', 'features');
    const dir = join(work, 'features');
    const project = join(dir, 'project');
    for (const d of [join(project, 'local-lib'), join(dir, 'home'), join(dir, 'cache')]) mkdirSync(d, { recursive: true });
    copyFileSync(join(src, 'package.json'), join(project, 'package.json'));
    copyFileSync(join(src, 'local-lib', 'package.json'), join(project, 'local-lib', 'package.json'));
    // a local tarball: vendor/tar-lib packed by npm next to the project's package.json
    mkdirSync(join(project, 'vendor', 'tar-lib'), { recursive: true });
    copyFileSync(join(src, 'vendor', 'tar-lib', 'package.json'), join(project, 'vendor', 'tar-lib', 'package.json'));
    const pack = await run('npm', ['pack', '--silent', '--pack-destination', join(project, 'vendor')], { cwd: join(project, 'vendor', 'tar-lib'), env: env0(dir) });
    if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stdout}\n${pack.stderr}`);
    const r = await run(process.execPath, yarnArgs(join(dir, 'cache')), { cwd: project, env: env0(dir) });
    if (r.status !== 0) {
      console.error(`yarn failed for features (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
      failed = true;
    } else {
      writeFileSync(join(src, 'yarn.lock'), readFileSync(join(project, 'yarn.lock'), 'utf8'));
      console.log(`features: yarn ${yarnVersion}`);
    }
  }

  for (const scenario of scenarios.filter((s) => s !== 'features')) {
    for (const side of ['base', 'head']) {
      const src = join(examples, scenario, side);
      const dir = join(work, `${scenario}-${side}`);
      const project = join(dir, 'project');
      const home = join(dir, 'home');
      const cache = join(dir, 'cache');
      for (const d of [project, home, cache]) mkdirSync(d, { recursive: true });
      copyFileSync(join(src, 'package.json'), join(project, 'package.json'));
      const env = { ...inherited, HOME: home, USERPROFILE: home, XDG_CONFIG_HOME: join(home, '.config'), YARN_CACHE_FOLDER: cache };
      const args = [
        yarnJs,
        'install',
        '--registry',
        registry.url,
        '--no-default-rc',
        '--cache-folder',
        cache,
        '--ignore-scripts',
        '--non-interactive',
        '--no-progress',
        '--ignore-engines',
        '--network-timeout',
        '60000',
      ];
      const before = registry.requests.length;
      const r = await run(process.execPath, args, { cwd: project, env });
      if (r.status !== 0) {
        console.error(`yarn failed for ${scenario}/${side} (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
        failed = true;
        continue;
      }
      const lockText = readFileSync(join(project, 'yarn.lock'), 'utf8');
      if (!lockText.includes('# yarn lockfile v1')) throw new Error(`${scenario}/${side}: not a yarn v1 lockfile`);
      for (const m of lockText.matchAll(/^ {2}resolved "([^"]+)"$/gm)) {
        const host = new URL(m[1]).host;
        if (host !== `127.0.0.1:${PORT}`) throw new Error(`${scenario}/${side}: resolved from ${host}`);
      }
      const out = join(examples, scenario, 'formats', 'yarn-v1', side);
      mkdirSync(out, { recursive: true });
      copyFileSync(join(src, 'package.json'), join(out, 'package.json'));
      writeFileSync(join(out, 'yarn.lock'), lockText);
      const count = (lockText.match(/^\S.*:$/gm) ?? []).length;
      console.log(`${scenario}/${side}: yarn ${yarnVersion}, ${count} entries, ${registry.requests.length - before} registry requests`);
    }
  }
} finally {
  if (registry) await registry.close();
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
