#!/usr/bin/env node
/**
 * Produces examples/<scenario>/formats/bun/{base,head}/bun.lock with the real bun (the `bun` package
 * from npm, whose platform package carries the binary), run against the fixture registry on the fixed
 * port the npm fixtures use (so the committed tarball URLs are stable and match them).
 *
 *   npm run build:support && node scripts/make-fixtures-bun.mjs [scenario...]
 *
 * bun is installed with `npm install --prefix <tmp> bun@<version>` from the registry npm is
 * configured with on this machine (the binary is taken from the platform package, so npm's install
 * script need not run); it then runs in a fresh temporary project holding only the scenario's
 * package.json and a `bunfig.toml` whose `[install] registry` is the fixture registry, with its own
 * cache (`BUN_INSTALL_CACHE_DIR`), HOME and no npm_/BUN_/yarn_ variables inherited. Scripts are not
 * run (`--ignore-scripts`); only the lockfile is written (`--lockfile-only`). Default scenarios:
 * axios and event-stream. `features` (also made by default) is a small workspace project for the
 * parser's unit tests (alias, nested copy, workspace, dev and optional dependencies), written to
 * test/fixtures/lockfiles/bun/features/.
 *
 * When the full build is broken by unrelated work in progress, point LOCKWARDEN_FIXTURE_REGISTRY at
 * a compiled fixture-registry.js (see scripts/make-fixtures.mjs). The shared steps are in
 * ./lib/fixtures.mjs.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
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
const BUN = `bun@${process.env.LOCKWARDEN_BUN_VERSION ?? '1.2.23'}`;
const examples = join(root, 'examples');
const startFixtureRegistry = await loadFixtureRegistry();
const { scenarios, extras } = selectScenarios(examples, process.argv.slice(2), { defaults: ['axios', 'event-stream'], extras: ['features'] });

/** The `features` project: path → package.json. */
const FEATURES = {
  '': {
    name: 'bun-features',
    version: '1.0.0',
    private: true,
    workspaces: ['packages/*'],
    dependencies: { axios: '1.14.0', 'proxy-from-env': '2.1.0', 'old-proxy': 'npm:proxy-from-env@1.0.0' },
    devDependencies: { semver: '7.7.3' },
    optionalDependencies: { picocolors: '1.1.1' },
  },
  'packages/tool': {
    name: 'tool',
    version: '0.1.0',
    dependencies: { semver: '7.7.1', 'bun-features-lib': 'workspace:*' },
  },
  'packages/lib': { name: 'bun-features-lib', version: '0.1.0', dependencies: { 'mime-types': '2.1.35' } },
};

const inherited = inheritedEnv(['npm_', 'yarn_', 'bun_']);

/** The bun binary inside the installed package: the main package's copy, else a platform package's one that runs. */
async function findBun(prefix) {
  const nm = join(prefix, 'node_modules');
  const candidates = [join(nm, 'bun', 'bin', 'bun.exe')];
  const oven = join(nm, '@oven');
  if (existsSync(oven)) for (const d of readdirSync(oven).sort()) candidates.push(join(oven, d, 'bin', 'bun'));
  for (const c of candidates) {
    if (!existsSync(c)) continue;
    const r = await run(c, ['--version'], { env: inherited }).catch(() => ({ status: 1, stdout: '' }));
    if (r.status === 0) return { path: c, version: r.stdout.trim() };
  }
  throw new Error(`no runnable bun binary under ${nm}`);
}

await fixtureSession('bun', async ({ work, onClose }) => {
  // 1. bun itself, into a private prefix (the machine's usual npm registry and config).
  const bun = await findBun(await npmInstallTool(work, 'pm', BUN, inherited));

  const registry = await startFixtureRegistry({ dir: registryDir, port: PORT });
  onClose(() => registry.close());
  let ok = true;
  /** `bun install --lockfile-only` in a fresh box under work holding the files `prepare(project)` writes; the run's result. */
  async function bunLock(name, prepare) {
    const dir = join(work, name);
    const project = join(dir, 'project');
    const home = join(dir, 'home');
    const cache = join(dir, 'cache');
    makeDirs(project, home, cache);
    prepare(project);
    writeFileSync(join(project, 'bunfig.toml'), `[install]\nregistry = "${registry.url}"\n`);
    const env = { ...inherited, ...homeEnv(home), BUN_INSTALL_CACHE_DIR: cache, BUN_INSTALL: join(home, '.bun'), DO_NOT_TRACK: '1' };
    const args = ['install', '--lockfile-only', '--ignore-scripts', '--no-progress', '--no-summary', '--save-text-lockfile', '--registry', registry.url];
    const r = await run(bun.path, args, { cwd: project, env });
    return { ...r, lockFile: join(project, 'bun.lock') };
  }

  for (const scenario of scenarios) {
    for (const side of ['base', 'head']) {
      const src = join(examples, scenario, side);
      const packageJson = readFileSync(join(src, 'package.json'));
      const before = registry.requests.length;
      const r = await bunLock(`${scenario}-${side}`, (project) => writeFileSync(join(project, 'package.json'), packageJson));
      if (r.status !== 0) {
        console.error(`bun failed for ${scenario}/${side} (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
        ok = false;
        continue;
      }
      const lockText = readFileSync(r.lockFile, 'utf8');
      if (!/^\{\s*"lockfileVersion"/.test(lockText)) throw new Error(`${scenario}/${side}: not a bun.lock`);
      assertLocalUrls(
        `${scenario}/${side}`,
        [...lockText.matchAll(/"(https?:\/\/[^"]+)"/g)].map((m) => m[1]),
        PORT,
      );
      const out = join(examples, scenario, 'formats', 'bun', side);
      writeOutput(join(out, 'package.json'), packageJson);
      writeFileSync(join(out, 'bun.lock'), lockText);
      const count = (lockText.match(/^ {4}"[^"]+": \[/gm) ?? []).length;
      console.log(`${scenario}/${side}: bun ${bun.version}, ${count} entries, ${registry.requests.length - before} registry requests`);
    }
  }
  if (extras.has('features')) {
    const out = join(root, 'test', 'fixtures', 'lockfiles', 'bun', 'features');
    const r = await bunLock('features', (project) => {
      for (const [rel, manifest] of Object.entries(FEATURES)) {
        writeOutput(join(project, rel, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
        writeOutput(join(out, rel, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      }
    });
    if (r.status !== 0) {
      console.error(`bun failed for features (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
      ok = false;
    } else {
      writeFileSync(join(out, 'bun.lock'), readFileSync(r.lockFile, 'utf8'));
      console.log(`features: bun ${bun.version}`);
    }
  }
  return ok;
});
