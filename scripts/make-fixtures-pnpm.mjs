#!/usr/bin/env node
/**
 * Produces examples/<scenario>/formats/pnpm/{base,head}/pnpm-lock.yaml with the real pnpm CLI
 * (pnpm@10, installed into a temporary prefix from the registry this machine's npm reaches), run
 * against the fixture registry on a fixed port.
 *
 *   npm run build:support && node scripts/make-fixtures-pnpm.mjs [scenario...]
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
 * ../dist-support/test-support/fixture-registry.js, or from LOCKWARDEN_FIXTURE_REGISTRY when set. PNPM_BIN may name
 * an already installed pnpm executable.
 *
 * Each side runs in a fresh temporary directory holding only that side's package.json, with its own
 * HOME, XDG directories, empty npmrc, store and cache, and no npm_config_* variables inherited.
 * The shared steps are in ./lib/fixtures.mjs.
 */
import { copyFileSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
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
  selectScenarios,
  urlsIn,
  writeOutput,
} from './lib/fixtures.mjs';

const PORT = 48734;
const PNPM_VERSION = '10';
const examples = join(root, 'examples');
const startFixtureRegistry = await loadFixtureRegistry();

const unit = process.argv.includes('--unit');
const wanted = process.argv.slice(2).filter((a) => a !== '--unit');
const scenarios = unit ? [] : selectScenarios(examples, wanted, { defaults: ['axios', 'event-stream'] }).scenarios;
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

const baseEnv = inheritedEnv(['npm_', 'pnpm_']);

await fixtureSession('fixtures-pnpm', async ({ work, onClose }) => {
  const registry = await startFixtureRegistry({ dir: registryDir, port: PORT });
  onClose(() => registry.close());
  let ok = true;
  const jobs = [];
  if (unit) {
    for (const [lockMajor, pmMajor] of Object.entries(UNIT_PNPM)) {
      jobs.push({
        label: `workspace-v${lockMajor}`,
        pm: pmMajor,
        src: join(UNIT_DIR, 'workspace'),
        out: join(UNIT_DIR, `workspace-v${lockMajor}.pnpm-lock.yaml`),
      });
    }
  }
  for (const scenario of scenarios) {
    for (const side of ['base', 'head']) {
      jobs.push({
        label: `${scenario}/${side}`,
        pm: PNPM_VERSION,
        src: join(examples, scenario, side),
        out: join(examples, scenario, 'formats', 'pnpm', side, 'pnpm-lock.yaml'),
        single: true,
      });
    }
  }
  const bins = new Map();
  for (const job of jobs) {
    // pnpm itself, from the registry this machine's npm is configured for (never the fixture registry)
    if (!bins.has(job.pm))
      bins.set(job.pm, await pnpmTool(work, `pnpm@${job.pm}`, baseEnv, job.pm === PNPM_VERSION ? process.env.PNPM_BIN : process.env[`PNPM${job.pm}_BIN`]));
    const pnpm = bins.get(job.pm);
    const version = (await run(pnpm, ['--version'], { env: baseEnv })).stdout.trim();
    const box = pnpmBox(join(work, job.label.replace(/\//g, '-')));
    if (job.single) copyFileSync(join(job.src, 'package.json'), join(box.project, 'package.json'));
    else copyTree(job.src, box.project);
    const before = registry.requests.length;
    const r = await pnpmLockfileOnly(pnpm, box, registry.url, baseEnv);
    if (r.status !== 0) {
      console.error(`pnpm ${version} failed for ${job.label} (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
      ok = false;
      continue;
    }
    const lockText = readFileSync(r.lockFile, 'utf8');
    // registry packages carry an integrity only; any URL in the file must be the fixture registry's
    assertLocalUrls(`${job.label}/pnpm-lock.yaml`, urlsIn(lockText), PORT);
    writeOutput(job.out, lockText);
    const count = (lockText.match(/^ {2}\S.*:$/gm) ?? []).length;
    console.log(`${job.label}: pnpm ${version}, ${count} entry keys, ${registry.requests.length - before} registry requests`);
  }
  return ok;
});
