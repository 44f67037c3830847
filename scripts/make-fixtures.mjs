#!/usr/bin/env node
/**
 * Produces examples/<scenario>/{base,head}/package-lock.json with the real npm CLI, run against the
 * fixture registry on a fixed port (so the committed `resolved` URLs are stable).
 *
 *   npm run build:support && node scripts/make-fixtures.mjs [scenario...]
 *
 * Builds nothing itself: it imports the registry from ../dist-support/test-support/fixture-registry.js. When the full
 * build is broken by unrelated work in progress, compile test-support alone into a temporary directory
 * that has a `{"type":"module"}` package.json and point LOCKWARDEN_FIXTURE_REGISTRY at the compiled
 * fixture-registry.js.
 *
 * Each side runs in a fresh temporary directory holding only that side's package.json, with empty
 * user and global npm configs, a fresh cache, and no npm_config_* variables inherited, so nothing
 * from this machine's npm setup leaks into the lockfiles. The shared steps are in ./lib/fixtures.mjs.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertLocalUrls, fixtureSession, inheritedEnv, loadFixtureRegistry, makeDirs, registryDir, root, run, selectScenarios } from './lib/fixtures.mjs';

const PORT = 48730;
const examples = join(root, 'examples');
const startFixtureRegistry = await loadFixtureRegistry();
const { scenarios } = selectScenarios(examples, process.argv.slice(2));
const childEnv = inheritedEnv(['npm_']);

await fixtureSession('fixtures', async ({ work, onClose }) => {
  const registry = await startFixtureRegistry({ dir: registryDir, port: PORT });
  onClose(() => registry.close());
  let ok = true;
  const emptyUserConfig = join(work, 'user-npmrc');
  const emptyGlobalConfig = join(work, 'global-npmrc');
  writeFileSync(emptyUserConfig, '');
  writeFileSync(emptyGlobalConfig, '');
  for (const scenario of scenarios) {
    for (const side of ['base', 'head']) {
      const src = join(examples, scenario, side);
      const project = join(work, `${scenario}-${side}`, 'project');
      const cache = join(work, `${scenario}-${side}`, 'cache');
      makeDirs(project, cache);
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
      const r = await run('npm', args, { cwd: project, env: childEnv });
      if (r.status !== 0) {
        console.error(`npm failed for ${scenario}/${side} (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
        ok = false;
        continue;
      }
      const lockText = readFileSync(join(project, 'package-lock.json'), 'utf8');
      const packages = Object.entries(JSON.parse(lockText).packages ?? {});
      // only `resolved` is checked: other fields (funding, …) may name anything
      assertLocalUrls(
        `${scenario}/${side}`,
        packages.filter(([key, e]) => key !== '' && e.resolved).map(([, e]) => e.resolved),
        PORT,
      );
      writeFileSync(join(src, 'package-lock.json'), lockText);
      console.log(`${scenario}/${side}: ${packages.length - 1} packages, ${registry.requests.length - before} registry requests`);
    }
  }
  return ok;
});
