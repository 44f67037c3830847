/**
 * The steps every scripts/make-fixtures-*.mjs shares: load the compiled fixture registry or index,
 * pick scenarios, run a package manager (itself installed from the registry this machine's npm is
 * configured for, never the fixture registry) in a private temporary directory with its own HOME and
 * a controlled environment, check that every URL it wrote points at the fixture server on
 * 127.0.0.1, and write the output. What a script does with its tool (arguments, config files,
 * outputs) stays in that script.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The npm fixture registry's data (examples/registry); its packuments name the port they are served on. */
export const registryDir = join(root, 'examples', 'registry');

/**
 * Imports a compiled fixture server module: `envVar` names one elsewhere (for when the full build is
 * broken by unrelated work in progress), else ../dist-support/test-support/<file>. Exits 2 when it is not there:
 * these scripts build nothing themselves.
 */
async function loadCompiled(envVar, file) {
  const modulePath = process.env[envVar] ? resolve(process.env[envVar]) : join(root, 'dist-support', 'test-support', file);
  if (!existsSync(modulePath)) {
    console.error(`${modulePath} not found: run \`npm run build:support\` first (or set ${envVar}).`);
    process.exit(2);
  }
  return import(pathToFileURL(modulePath).href);
}

/** `startFixtureRegistry` from dist-support/test-support/fixture-registry.js or LOCKWARDEN_FIXTURE_REGISTRY. */
export async function loadFixtureRegistry() {
  return (await loadCompiled('LOCKWARDEN_FIXTURE_REGISTRY', 'fixture-registry.js')).startFixtureRegistry;
}

/** `startFixtureIndex` from dist-support/test-support/fixture-index.js or LOCKWARDEN_FIXTURE_INDEX. */
export async function loadFixtureIndex() {
  return (await loadCompiled('LOCKWARDEN_FIXTURE_INDEX', 'fixture-index.js')).startFixtureIndex;
}

/** The directories under `dir` that hold a scenario.json, sorted. */
export function exampleScenarios(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'scenario.json')))
    .map((d) => d.name)
    .sort();
}

/**
 * The scenarios named on the command line (`wanted`), checked against `dir` (exit 2 on an unknown
 * one), or `defaults` (all of them when not given) when none is named. `extras` are names that are
 * not example scenarios (e.g. `features`, a parser unit-test fixture): made when named, or when
 * nothing is named.
 * @param {string} dir
 * @param {string[]} wanted
 * @param {{ defaults?: string[], extras?: string[] }} [options]
 */
export function selectScenarios(dir, wanted, { defaults, extras = [] } = {}) {
  const all = exampleScenarios(dir);
  for (const s of wanted) {
    if (!extras.includes(s) && !all.includes(s)) {
      console.error(`unknown scenario: ${s} (have: ${all.join(', ')})`);
      process.exit(2);
    }
  }
  const named = wanted.filter((s) => !extras.includes(s));
  return {
    scenarios: wanted.length ? named : (defaults ?? all),
    extras: new Set(wanted.length ? wanted.filter((s) => extras.includes(s)) : extras),
  };
}

/**
 * Runs a command without blocking the event loop (the fixture server answers from this process);
 * resolves with its exit status and output. `timeoutMs` kills it (SIGKILL) when it runs longer.
 * @param {string} cmd
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} options
 * @param {{ timeoutMs?: number }} [limits]
 * @returns {Promise<{ status: number | null, stdout: string, stderr: string }>}
 */
export function run(cmd, args, options, { timeoutMs } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    if (timeoutMs) {
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('close', () => clearTimeout(timer));
    }
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolvePromise({ status, stdout, stderr }));
  });
}

/** This process's environment without the variables whose names start with one of `prefixes` (case-insensitive). */
export function inheritedEnv(prefixes) {
  const re = new RegExp(`^(${prefixes.join('|')})`, 'i');
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !re.test(k)));
}

/** HOME and the per-user directories, all inside `home`, so no tool reads or writes this machine's. */
export function homeEnv(home) {
  return {
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
  };
}

/** Creates the directories (and their parents). */
export function makeDirs(...dirs) {
  for (const d of dirs) mkdirSync(d, { recursive: true });
}

/** Writes `text` to `file`, creating its directory. */
export function writeOutput(file, text) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/**
 * `npm install --prefix <work>/<dir> <spec>` from the registry npm is configured with on this machine
 * (never the fixture registry); the prefix. Throws with npm's output when it fails.
 */
export async function npmInstallTool(work, dir, spec, env) {
  const prefix = join(work, dir);
  mkdirSync(prefix, { recursive: true });
  const r = await run('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel', 'warn', spec], { env });
  if (r.status !== 0) throw new Error(`npm install ${spec} failed:\n${r.stdout}\n${r.stderr}`);
  return prefix;
}

/** Throws unless every URL in `urls` is on 127.0.0.1:`port` (the fixture server). */
export function assertLocalUrls(label, urls, port) {
  for (const url of urls) {
    const host = new URL(url).host;
    if (host !== `127.0.0.1:${port}`) throw new Error(`${label}: URL outside the fixture server: ${url}`);
  }
}

/** The http(s) URLs in a text (up to whitespace, a quote, `<`, `>`, `)` or `]`). */
export function urlsIn(text) {
  return [...text.matchAll(/https?:\/\/[^\s"'<>)\]]+/g)].map((m) => m[0]);
}

/**
 * Runs `body({ work, onClose })` with a fresh temporary directory `work`; then calls the registered
 * `onClose` functions (last first), removes `work` and exits: 0 when body returned true, 1 when it
 * returned false. When body throws, the cleanup still runs and the error ends the process.
 */
export async function fixtureSession(name, body) {
  const work = mkdtempSync(join(tmpdir(), `lockwarden-${name}-`));
  const closers = [];
  let ok = false;
  try {
    ok = await body({ work, onClose: (fn) => closers.push(fn) });
  } finally {
    for (const fn of closers.reverse()) await fn();
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(ok ? 0 : 1);
}

/** pnpm installed with npmInstallTool (`spec`, e.g. `pnpm@10` or `@pnpm/exe@11`), or `preset`, an executable already there. */
export async function pnpmTool(work, spec, env, preset) {
  if (preset) return preset;
  const prefix = await npmInstallTool(work, `pm-${spec.replace(/[^a-z0-9]+/gi, '-')}`, spec, env);
  return join(prefix, 'node_modules', '.bin', 'pnpm');
}

/**
 * A fresh box for one pnpm run: `dir`/project (empty, for the caller to fill), and its own home, XDG
 * directories, store and cache.
 */
export function pnpmBox(dir) {
  const box = { dir, project: join(dir, 'project'), home: join(dir, 'home'), store: join(dir, 'store'), cache: join(dir, 'cache') };
  makeDirs(box.project, box.home, box.store, box.cache, join(dir, 'state'), join(dir, 'config'));
  return box;
}

/**
 * `pnpm install --lockfile-only --ignore-scripts` against `registryUrl` in a box from pnpmBox, with
 * `baseEnv` plus the box's HOME/XDG directories, a user npmrc holding `npmrc` and CI=1 (plus
 * `extraEnv`); the run's result and the lockfile's path.
 * @param {string} pnpm
 * @param {ReturnType<typeof pnpmBox>} box
 * @param {string} registryUrl
 * @param {Record<string, string | undefined>} baseEnv
 * @param {{ npmrc?: string, extraEnv?: Record<string, string>, timeoutMs?: number }} [options]
 */
export async function pnpmLockfileOnly(pnpm, box, registryUrl, baseEnv, { npmrc = '', extraEnv = {}, timeoutMs } = {}) {
  const npmrcFile = join(box.dir, 'npmrc');
  writeFileSync(npmrcFile, npmrc);
  const env = {
    ...baseEnv,
    ...homeEnv(box.home),
    XDG_CONFIG_HOME: join(box.dir, 'config'),
    XDG_CACHE_HOME: box.cache,
    XDG_DATA_HOME: join(box.dir, 'data'),
    XDG_STATE_HOME: join(box.dir, 'state'),
    npm_config_userconfig: npmrcFile,
    CI: '1',
    ...extraEnv,
  };
  const args = [
    'install',
    '--lockfile-only',
    '--ignore-scripts',
    '--registry',
    registryUrl,
    '--store-dir',
    box.store,
    `--config.cache-dir=${box.cache}`,
    '--reporter',
    'append-only',
  ];
  const r = await run(pnpm, args, { cwd: box.project, env }, { timeoutMs });
  return { ...r, lockFile: join(box.project, 'pnpm-lock.yaml') };
}
