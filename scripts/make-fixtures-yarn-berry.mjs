#!/usr/bin/env node
/**
 * Produces examples/<scenario>/formats/yarn-berry/{base,head}/yarn.lock with the real yarn 4
 * (`@yarnpkg/cli-dist@4`), run against the fixture registry on a fixed port.
 *
 *   npx tsc -p tsconfig.build.json && node scripts/make-fixtures-yarn-berry.mjs [scenario...]
 *
 * yarn is installed with `npm install --prefix <tmp>` from the registry npm is configured with on
 * this machine; it then runs with node in a fresh temporary project holding only the scenario's
 * package.json and a `.yarnrc.yml` pointing at the fixture registry (http allowed for 127.0.0.1),
 * with its own cache and home folder, so nothing from this machine's setup leaks in.
 * Default scenarios: axios and event-stream.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PORT = 48730;
const YARN = '@yarnpkg/cli-dist@4';
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
// `features`: test/fixtures/lockfiles/yarn-berry/features/yarn.lock, a project using what the parser
// handles (workspaces, an alias, link:, portal:, a file: directory, a patch:, os/cpu conditions, a
// bin, dependenciesMeta); the unit tests read it.
const withFeatures = wanted.length === 0 || wanted.includes('features');
const scenarios = wanted.length ? wanted.filter((w) => w !== 'features') : ['axios', 'event-stream'];
for (const s of scenarios) {
  if (!existsSync(join(examples, s, 'scenario.json'))) {
    console.error(`unknown scenario: ${s}`);
    process.exit(2);
  }
}

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
  'through.patch': ['diff --git a/PATCHED.md b/PATCHED.md', 'new file mode 100644', '--- /dev/null', '+++ b/PATCHED.md', '@@ -0,0 +1 @@', '+patched', ''].join('\n'),
};

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

const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|yarn_|berry_)/i.test(k)));

const work = mkdtempSync(join(tmpdir(), 'lockwarden-yarn-berry-'));
let failed = false;
// yarn itself, from the registry npm is configured with (not the fixture registry)
const prefix = join(work, 'pm');
const inst = await run('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel', 'warn', YARN], { env: baseEnv });
if (inst.status !== 0) {
  console.error(`installing ${YARN} failed:\n${inst.stdout}\n${inst.stderr}`);
  process.exit(1);
}
const yarnJs = join(prefix, 'node_modules', '@yarnpkg', 'cli-dist', 'bin', 'yarn.js');
const yarnVersion = JSON.parse(readFileSync(join(prefix, 'node_modules', '@yarnpkg', 'cli-dist', 'package.json'), 'utf8')).version;

const registry = await startFixtureRegistry({ dir: registryDir, port: PORT });
try {
  /** Runs `yarn install --mode=update-lockfile` in a fresh project holding `files`; the yarn.lock text, or undefined. */
  async function yarnLock(label, files) {
      const dir = join(work, label);
      const project = join(dir, 'project');
      const home = join(dir, 'home');
      mkdirSync(project, { recursive: true });
      mkdirSync(home, { recursive: true });
      for (const [rel, content] of Object.entries(files)) {
        mkdirSync(dirname(join(project, rel)), { recursive: true });
        writeFileSync(join(project, rel), content);
      }
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
      const env = { ...baseEnv, HOME: home, XDG_CONFIG_HOME: home, YARN_ENABLE_TELEMETRY: '0', YARN_IGNORE_PATH: '1' };
      const before = registry.requests.length;
      const r = await run(process.execPath, [yarnJs, 'install', '--mode=update-lockfile'], { cwd: project, env });
      if (r.status !== 0) {
        console.error(`yarn failed for ${label} (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
        failed = true;
        return undefined;
      }
      const lockText = readFileSync(join(project, 'yarn.lock'), 'utf8');
      if (/https?:\/\/(?!127\.0\.0\.1)/.test(lockText)) throw new Error(`${label}: a URL outside the fixture registry in yarn.lock`);
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
      mkdirSync(out, { recursive: true });
      copyFileSync(join(src, 'package.json'), join(out, 'package.json'));
      writeFileSync(join(out, 'yarn.lock'), lockText);
    }
  }
  if (withFeatures) {
    const lockText = await yarnLock('features', FEATURES);
    if (lockText !== undefined) {
      const out = join(root, 'test', 'fixtures', 'lockfiles', 'yarn-berry', 'features');
      mkdirSync(out, { recursive: true });
      for (const [rel, content] of Object.entries(FEATURES)) {
        mkdirSync(dirname(join(out, rel)), { recursive: true });
        writeFileSync(join(out, rel), content);
      }
      writeFileSync(join(out, 'yarn.lock'), lockText);
    }
  }
} finally {
  await registry.close();
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
