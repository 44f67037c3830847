#!/usr/bin/env node
/**
 * Produces test/fixtures/lockfiles/pnpm-env/*.pnpm-lock.yaml: real pnpm lockfiles for projects with
 * `configDependencies`, which pnpm 11 and later lock in a leading "env" YAML document (`---`, the env
 * lockfile, `---`, the project's lockfile). pnpm 10 does not write that document (it keeps a config
 * dependency's integrity in pnpm-workspace.yaml as `version+integrity`, and since 10.33 only skips a
 * leading env document when reading), so one pnpm 10 output is made too, for contrast.
 *
 *   npm run build:support && node scripts/make-fixtures-pnpm-env.mjs
 *
 * Projects: test/fixtures/lockfiles/pnpm-env/projects/<name>/ (package.json, pnpm-workspace.yaml).
 * Each is locked into <name>.pnpm-lock.yaml by pnpm 11 (`@pnpm/exe@11`, the standalone build: it
 * brings its own Node, pnpm 11 wants a newer one than the repository's), or by pnpm 10 when the name
 * ends in `-pnpm10` (pnpm 10 wants the config dependency's integrity inlined in
 * pnpm-workspace.yaml, `1.1.0+sha512-…`: that project copies it from config-base's env document).
 *
 * As scripts/make-fixtures-pnpm.mjs: pnpm is installed into a temporary prefix from the registry
 * this machine's npm is configured for (PNPM_BIN / PNPM11_BIN name already installed executables);
 * the project is locked against the fixture registry (imported from ../dist-support/test-support/fixture-registry.js
 * or LOCKWARDEN_FIXTURE_REGISTRY) on a fixed port, in a fresh temporary directory with its own HOME,
 * XDG directories, empty npmrc, store and cache, and no npm_config_* variables inherited. The
 * shared steps are in ./lib/fixtures.mjs.
 */
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertLocalUrls,
  fixtureSession,
  inheritedEnv,
  loadFixtureRegistry,
  pnpmBox,
  pnpmLockfileOnly,
  pnpmTool,
  registryDir,
  root,
  run,
  urlsIn,
} from './lib/fixtures.mjs';

const PORT = 48735;
const outDir = join(root, 'test', 'fixtures', 'lockfiles', 'pnpm-env');
const projectsDir = join(outDir, 'projects');
const startFixtureRegistry = await loadFixtureRegistry();
const baseEnv = inheritedEnv(['npm_', 'pnpm_']);

await fixtureSession('fixtures-pnpm-env', async ({ work, onClose }) => {
  const registry = await startFixtureRegistry({ dir: registryDir, port: PORT });
  onClose(() => registry.close());
  let ok = true;
  // pnpm itself, from the registry this machine's npm is configured for (never the fixture registry)
  const pnpm11 = await pnpmTool(work, '@pnpm/exe@11', baseEnv, process.env.PNPM11_BIN);
  const pnpm10 = await pnpmTool(work, 'pnpm@10', baseEnv, process.env.PNPM_BIN);
  const projects = readdirSync(projectsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const jobs = projects.map((name) => ({ label: name, pnpm: name.endsWith('-pnpm10') ? pnpm10 : pnpm11, out: `${name}.pnpm-lock.yaml` }));
  for (const job of jobs) {
    const version = (await run(job.pnpm, ['--version'], { env: baseEnv })).stdout.trim();
    const box = pnpmBox(join(work, job.out));
    for (const f of readdirSync(join(projectsDir, job.label))) copyFileSync(join(projectsDir, job.label, f), join(box.project, f));
    const before = registry.requests.length;
    // config dependencies are installed before anything else, even with --lockfile-only; pnpm 10 has
    // been seen to hang after reporting an error: give up after two minutes
    const r = await pnpmLockfileOnly(job.pnpm, box, registry.url, baseEnv, {
      npmrc: `registry=${registry.url}\n`,
      extraEnv: { npm_config_registry: registry.url },
      timeoutMs: 120_000,
    });
    if (r.status !== 0) {
      console.error(`pnpm ${version} failed for ${job.label} (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
      ok = false;
      continue;
    }
    const lockText = readFileSync(r.lockFile, 'utf8');
    // registry packages carry an integrity only; any URL in the file must be the fixture registry's
    assertLocalUrls(`${job.label}/pnpm-lock.yaml`, urlsIn(lockText), PORT);
    writeFileSync(join(outDir, job.out), lockText);
    const docs = lockText.split(/^---$/m).length - 1;
    console.log(`${job.label}: pnpm ${version} -> ${job.out} (${docs} document markers), ${registry.requests.length - before} registry requests`);
  }
  return ok;
});
