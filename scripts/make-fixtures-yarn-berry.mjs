#!/usr/bin/env node
/**
 * Produces examples/<scenario>/formats/yarn-berry/{base,head}/yarn.lock with the real yarn 4
 * (`@yarnpkg/cli-dist@4`), run against the fixture registry on a fixed port.
 *
 *   npm run build:support && node scripts/make-fixtures-yarn-berry.mjs [scenario...]
 *
 * yarn is installed with `npm install --prefix <tmp>` from the registry npm is configured with on
 * this machine; it then runs with node in a fresh temporary project holding only the scenario's
 * package.json and a `.yarnrc.yml` pointing at the fixture registry (http allowed for 127.0.0.1),
 * with its own cache and home folder, so nothing from this machine's setup leaks in.
 * Default scenarios: axios and event-stream. The shared steps are in ./lib/fixtures.mjs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
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
  urlsIn,
  writeOutput,
} from './lib/fixtures.mjs';

const PORT = 48730;
const YARN = '@yarnpkg/cli-dist@4';
const examples = join(root, 'examples');
const startFixtureRegistry = await loadFixtureRegistry();

// `features`: test/fixtures/lockfiles/yarn-berry/features/yarn.lock, a project using what the parser
// handles (workspaces, an alias, link:, portal:, a file: directory, a patch:, os/cpu conditions, a
// bin, dependenciesMeta); the unit tests read it.
const { scenarios, extras } = selectScenarios(examples, process.argv.slice(2), { defaults: ['axios', 'event-stream'], extras: ['features'] });

const json = (v) => `${JSON.stringify(v, null, 2)}\n`;
/** The features project: path → content. */
const FEATURES = {
  'package.json': json({
    name: 'features-root',
    private: true,
    workspaces: ['packages/*'],
    dependencies: {
      esbuild: '0.25.10',
      'bm-alias': 'npm:balanced-match@^1.0.2',
      'local-dir': 'file:./local-dir',
      linked: 'link:./linked',
      portaled: 'portal:./portaled',
      through: 'patch:through@npm%3A2.3.8#./through.patch',
    },
    dependenciesMeta: { esbuild: { built: false } },
  }),
  'packages/a/package.json': json({ name: '@fx/a', version: '1.0.0', dependencies: { '@fx/b': 'workspace:^', minimatch: '10.0.3' } }),
  'packages/b/package.json': json({ name: '@fx/b', version: '1.0.0', dependencies: { semver: '^7.7.1' } }),
  'local-dir/package.json': json({ name: 'local-dir', version: '1.0.0', dependencies: { picocolors: '^1.1.0' } }),
  'linked/package.json': json({ name: 'linked', version: '0.1.0' }),
  'portaled/package.json': json({ name: 'portaled', version: '0.2.0', dependencies: { duplexer: '^0.1.1' } }),
  'through.patch': ['diff --git a/PATCHED.md b/PATCHED.md', 'new file mode 100644', '--- /dev/null', '+++ b/PATCHED.md', '@@ -0,0 +1 @@', '+patched', ''].join(
    '\n',
  ),
};

const baseEnv = inheritedEnv(['npm_', 'yarn_', 'berry_']);

await fixtureSession('yarn-berry', async ({ work, onClose }) => {
  // yarn itself, from the registry npm is configured with (not the fixture registry)
  const prefix = await npmInstallTool(work, 'pm', YARN, baseEnv);
  const yarnJs = join(prefix, 'node_modules', '@yarnpkg', 'cli-dist', 'bin', 'yarn.js');
  const yarnVersion = JSON.parse(readFileSync(join(prefix, 'node_modules', '@yarnpkg', 'cli-dist', 'package.json'), 'utf8')).version;

  const registry = await startFixtureRegistry({ dir: registryDir, port: PORT });
  onClose(() => registry.close());
  let ok = true;

  /** Runs `yarn install --mode=update-lockfile` in a fresh project holding `files`; the yarn.lock text, or undefined. */
  async function yarnLock(label, files) {
    const dir = join(work, label);
    const project = join(dir, 'project');
    const home = join(dir, 'home');
    makeDirs(project, home);
    for (const [rel, content] of Object.entries(files)) writeOutput(join(project, rel), content);
    writeFileSync(
      join(project, '.yarnrc.yml'),
      [
        `npmRegistryServer: "${registry.url.replace(/\/$/, '')}"`,
        `unsafeHttpWhitelist:`,
        `  - "127.0.0.1"`,
        `enableGlobalCache: false`,
        `enableTelemetry: false`,
        `nodeLinker: node-modules`,
        `cacheFolder: "${join(dir, 'cache')}"`,
        '',
      ].join('\n'),
    );
    writeFileSync(join(project, 'yarn.lock'), '');
    const env = { ...baseEnv, ...homeEnv(home), YARN_ENABLE_TELEMETRY: '0', YARN_IGNORE_PATH: '1' };
    const before = registry.requests.length;
    const r = await run(process.execPath, [yarnJs, 'install', '--mode=update-lockfile'], { cwd: project, env });
    if (r.status !== 0) {
      console.error(`yarn failed for ${label} (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
      ok = false;
      return undefined;
    }
    const lockText = readFileSync(join(project, 'yarn.lock'), 'utf8');
    assertLocalUrls(`${label}/yarn.lock`, urlsIn(lockText), PORT);
    const entries = (lockText.match(/^\S.*:$/gm) ?? []).length - 1;
    console.log(`${label}: yarn ${yarnVersion}, ${entries} entries, ${registry.requests.length - before} registry requests`);
    return lockText;
  }

  for (const scenario of scenarios) {
    for (const side of ['base', 'head']) {
      const src = join(examples, scenario, side);
      const lockText = await yarnLock(`${scenario}-${side}`, { 'package.json': readFileSync(join(src, 'package.json'), 'utf8') });
      if (lockText === undefined) continue;
      const out = join(examples, scenario, 'formats', 'yarn-berry', side);
      writeOutput(join(out, 'package.json'), readFileSync(join(src, 'package.json')));
      writeFileSync(join(out, 'yarn.lock'), lockText);
    }
  }
  if (extras.has('features')) {
    const lockText = await yarnLock('features', FEATURES);
    if (lockText !== undefined) {
      const out = join(root, 'test', 'fixtures', 'lockfiles', 'yarn-berry', 'features');
      for (const [rel, content] of Object.entries(FEATURES)) writeOutput(join(out, rel), content);
      writeOutput(join(out, 'yarn.lock'), lockText);
    }
  }
  return ok;
});
