#!/usr/bin/env node
/**
 * Produces examples/<scenario>/formats/yarn-v1/{base,head}/yarn.lock with the real yarn classic
 * (`yarn@1` from npm), run against the fixture registry on the fixed port the npm fixtures use
 * (so the committed `resolved` URLs are stable and match them).
 *
 *   npm run build:support && node scripts/make-fixtures-yarn-v1.mjs [scenario...]
 *
 * yarn is installed with `npm install --prefix <tmp> yarn@1` from the registry npm is configured
 * with on this machine; it then runs with node in a fresh temporary project holding only the
 * scenario's package.json, with `--registry <fixture registry> --no-default-rc`, its own cache
 * folder, HOME and no npm_ or YARN_ variables inherited, so nothing from this machine's setup leaks
 * in. Scripts are not run (`--ignore-scripts`). Default scenarios: axios and event-stream, plus
 * `features`: the parser's unit-test fixture test/fixtures/lockfiles/yarn-v1/features/yarn.lock.
 *
 * When the full build is broken by unrelated work in progress, point LOCKWARDEN_FIXTURE_REGISTRY at
 * a compiled fixture-registry.js (see scripts/make-fixtures.mjs). The shared steps are in
 * ./lib/fixtures.mjs.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertLocalUrls,
  fixtureSession,
  homeEnv,
  inheritedEnv,
  loadFixtureRegistry,
  makeDirs,
  npmInstallTool,
  registryDir,
  root,
  run,
  selectScenarios,
  writeOutput,
} from './lib/fixtures.mjs';

const PORT = 48730;
const YARN = 'yarn@1';
const examples = join(root, 'examples');
const startFixtureRegistry = await loadFixtureRegistry();
const { scenarios, extras } = selectScenarios(examples, process.argv.slice(2), { defaults: ['axios', 'event-stream'], extras: ['features'] });
const inherited = inheritedEnv(['npm_', 'yarn_']);

await fixtureSession('yarn-v1', async ({ work, onClose }) => {
  // 1. yarn classic itself, into a private prefix (the machine's usual npm registry and config).
  const prefix = await npmInstallTool(work, 'pm', YARN, inherited);
  const yarnJs = join(prefix, 'node_modules', 'yarn', 'bin', 'yarn.js');
  const yarnVersion = JSON.parse(readFileSync(join(prefix, 'node_modules', 'yarn', 'package.json'), 'utf8')).version;

  const registry = await startFixtureRegistry({ dir: registryDir, port: PORT });
  onClose(() => registry.close());
  let ok = true;
  /** A fresh box under work: project, home, cache, and the environment yarn runs with there. */
  const box = (name) => {
    const dir = join(work, name);
    const b = { project: join(dir, 'project'), home: join(dir, 'home'), cache: join(dir, 'cache') };
    makeDirs(b.project, b.home, b.cache);
    return { ...b, env: { ...inherited, ...homeEnv(b.home), YARN_CACHE_FOLDER: b.cache } };
  };
  const yarn = (b) =>
    run(
      process.execPath,
      [
        yarnJs,
        'install',
        '--registry',
        registry.url,
        '--no-default-rc',
        '--cache-folder',
        b.cache,
        '--ignore-scripts',
        '--non-interactive',
        '--no-progress',
        '--ignore-engines',
        '--network-timeout',
        '60000',
      ],
      { cwd: b.project, env: b.env },
    );

  // 2. The parser's own fixture (test/fixtures/lockfiles/yarn-v1/features): scoped names, ranges
  //    shared by several dependents, an npm: alias, optional dependencies, a local directory, a
  //    local tarball.
  if (extras.has('features')) {
    const src = join(root, 'test', 'fixtures', 'lockfiles', 'yarn-v1', 'features');
    const b = box('features');
    const { project } = b;
    mkdirSync(join(project, 'local-lib'), { recursive: true });
    copyFileSync(join(src, 'package.json'), join(project, 'package.json'));
    copyFileSync(join(src, 'local-lib', 'package.json'), join(project, 'local-lib', 'package.json'));
    // a local tarball: vendor/tar-lib packed by npm next to the project's package.json
    mkdirSync(join(project, 'vendor', 'tar-lib'), { recursive: true });
    copyFileSync(join(src, 'vendor', 'tar-lib', 'package.json'), join(project, 'vendor', 'tar-lib', 'package.json'));
    const pack = await run('npm', ['pack', '--silent', '--pack-destination', join(project, 'vendor')], { cwd: join(project, 'vendor', 'tar-lib'), env: b.env });
    if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stdout}\n${pack.stderr}`);
    const r = await yarn(b);
    if (r.status !== 0) {
      console.error(`yarn failed for features (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
      ok = false;
    } else {
      writeFileSync(join(src, 'yarn.lock'), readFileSync(join(project, 'yarn.lock'), 'utf8'));
      console.log(`features: yarn ${yarnVersion}`);
    }
  }

  for (const scenario of scenarios) {
    for (const side of ['base', 'head']) {
      const src = join(examples, scenario, side);
      const b = box(`${scenario}-${side}`);
      copyFileSync(join(src, 'package.json'), join(b.project, 'package.json'));
      const before = registry.requests.length;
      const r = await yarn(b);
      if (r.status !== 0) {
        console.error(`yarn failed for ${scenario}/${side} (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
        ok = false;
        continue;
      }
      const lockText = readFileSync(join(b.project, 'yarn.lock'), 'utf8');
      if (!lockText.includes('# yarn lockfile v1')) throw new Error(`${scenario}/${side}: not a yarn v1 lockfile`);
      assertLocalUrls(
        `${scenario}/${side}`,
        [...lockText.matchAll(/^ {2}resolved "([^"]+)"$/gm)].map((m) => m[1]),
        PORT,
      );
      const out = join(examples, scenario, 'formats', 'yarn-v1', side);
      writeOutput(join(out, 'package.json'), readFileSync(join(src, 'package.json')));
      writeFileSync(join(out, 'yarn.lock'), lockText);
      const count = (lockText.match(/^\S.*:$/gm) ?? []).length;
      console.log(`${scenario}/${side}: yarn ${yarnVersion}, ${count} entries, ${registry.requests.length - before} registry requests`);
    }
  }
  return ok;
});
