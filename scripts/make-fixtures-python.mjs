#!/usr/bin/env node
/**
 * Produces the Python example lockfiles, examples/pypi/<scenario>/{base,head}/, with the real tools,
 * run against the fixture package index on a fixed port (so the URLs inside the lockfiles are stable):
 *
 * - poetry.lock        `poetry lock` (pyproject.toml's only source is the fixture index, `default = true`)
 * - Pipfile.lock       `pipenv lock` (Pipfile's only `[[source]]` is the fixture index)
 * - requirements.txt   `pipenv requirements --hash` (pip-tools is not packaged for Debian 12)
 * - uv.lock, pylock.toml (litellm only): written by this script from poetry's resolution and the
 *   index's file list, following the uv lockfile format and PEP 751. Neither uv nor a pip with
 *   `pip lock` is available here, so these two are NOT tool output.
 *
 *   npm run build:support && node scripts/make-fixtures-python.mjs [scenario...]
 *
 * Imports the index from ../dist-support/test-support/fixture-index.js (or LOCKWARDEN_FIXTURE_INDEX, a compiled
 * fixture-index.js elsewhere, for when the full build is broken by unrelated work in progress).
 * Needs `poetry` (Debian: python3-poetry, 1.3.2) and `pipenv` (Debian: pipenv, 2022.12.19).
 *
 * Each side runs in a fresh temporary directory with its own HOME, caches, tool configuration and
 * virtualenv location, a minimal environment (nothing inherited but PATH), PIP_CONFIG_FILE=/dev/null
 * and PIP_INDEX_URL pointing at the fixture index, so no tool reads this machine's configuration or
 * reaches anything beyond 127.0.0.1. Every URL in the outputs is checked to be the fixture index.
 * The shared steps are in ./lib/fixtures.mjs.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { assertLocalUrls, fixtureSession, homeEnv, loadFixtureIndex, root, run, selectScenarios, urlsIn } from './lib/fixtures.mjs';

const PORT = 48731;
const ORIGIN = `http://127.0.0.1:${PORT}/`;
const examples = join(root, 'examples', 'pypi');
const indexDir = join(examples, 'index');
/** Scenarios that also get a uv.lock and a pylock.toml written by this script. */
const WRITTEN_FORMATS = new Set(['litellm']);

const startFixtureIndex = await loadFixtureIndex();
const { scenarios } = selectScenarios(examples, process.argv.slice(2));

/** A minimal, isolated environment for one tool run. */
function toolEnv(home) {
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  return {
    // Debian's poetry and pipenv live in /usr/bin and run on Debian's python3.
    PATH: `/usr/bin:/bin:${process.env.PATH ?? ''}`,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    ...homeEnv(home),
    // Stable set iteration order (pipenv prints hashes from a set).
    PYTHONHASHSEED: '0',
    PYTHONDONTWRITEBYTECODE: '1',
    PIP_CONFIG_FILE: '/dev/null',
    PIP_INDEX_URL: `${ORIGIN}simple/`,
    PIP_NO_INPUT: '1',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    POETRY_CONFIG_DIR: join(home, 'poetry-config'),
    POETRY_CACHE_DIR: join(home, 'poetry-cache'),
    POETRY_DATA_DIR: join(home, 'poetry-data'),
    POETRY_VIRTUALENVS_PATH: join(home, 'venvs'),
    POETRY_NO_INTERACTION: '1',
    POETRY_INSTALLER_PARALLEL: 'false',
    WORKON_HOME: join(home, 'venvs'),
    PIPENV_CACHE_DIR: join(home, 'pipenv-cache'),
    PIPENV_IGNORE_VIRTUALENVS: '1',
    PIPENV_NOSPIN: '1',
    PIPENV_YES: '1',
    PIPENV_DONT_USE_PYENV: '1',
    PIPENV_DONT_USE_ASDF: '1',
    PIPENV_PYTHON: python,
    PIPENV_VERBOSITY: '-1',
    VIRTUALENV_NO_DOWNLOAD: '1',
    VIRTUALENV_OVERRIDE_APP_DATA: join(home, 'virtualenv-app-data'),
  };
}

/** Every http(s) URL in a text must be the fixture index. */
const checkUrls = (label, text) => assertLocalUrls(label, urlsIn(text), PORT);

const normalize = (n) => n.replace(/[-_.]+/g, '-').toLowerCase();
/** The `[tool.poetry]` table of a pyproject.toml. */
const poetryOf = (text) =>
  /** @type {{ tool: { poetry: { name: string, dependencies: Record<string, string | { version: string }> } } }} */ (parseToml(text)).tool.poetry;

/** `[[package]]` of a poetry.lock → name → { version, dependencies (normalised names) } */
function poetryResolution(text) {
  const lock = /** @type {{ package?: Array<{ name: string, version: string, dependencies?: object }> }} */ (parseToml(text));
  const out = new Map();
  for (const p of lock.package ?? []) {
    out.set(normalize(p.name), {
      version: p.version,
      dependencies: Object.keys(p.dependencies ?? {})
        .map(normalize)
        .sort(),
    });
  }
  return out;
}

function rootDependencies(pyprojectText) {
  const deps = poetryOf(pyprojectText).dependencies;
  return Object.entries(deps)
    .filter(([n]) => n !== 'python')
    .map(([n, spec]) => ({ name: normalize(n), spec: typeof spec === 'string' ? spec : spec.version }));
}

function tomlStr(s) {
  return JSON.stringify(s);
}

/** The files of name@version as the index serves them. */
function indexFiles(index, name, version) {
  const project = index.projects.get(name);
  const release = project?.releases.find((r) => r.version === version);
  if (!release) throw new Error(`${name} ${version} is not in the fixture index`);
  return { project, release };
}

/** A uv.lock (version 1, revision 3) for a virtual project, from poetry's resolution. */
function writeUvLock(index, projectName, roots, resolution) {
  const lines = ['version = 1', 'revision = 3', 'requires-python = ">=3.11, <4"', ''];
  const file = (f) =>
    `{ url = ${tomlStr(`${ORIGIN}${f.path.slice(1)}`)}, hash = "sha256:${f.sha256}", size = ${f.bytes.length}, upload-time = ${tomlStr(f.uploadTime)} }`;
  const entries = [...resolution.entries()];
  entries.push([projectName, { version: '0.1.0', dependencies: roots.map((r) => r.name).sort(), root: true }]);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, r] of entries) {
    lines.push('[[package]]', `name = ${tomlStr(name)}`, `version = ${tomlStr(r.version)}`);
    if (r.root) {
      lines.push('source = { virtual = "." }');
      lines.push('dependencies = [', ...r.dependencies.map((d) => `    { name = ${tomlStr(d)} },`), ']', '');
      lines.push('[package.metadata]');
      lines.push(`requires-dist = [${roots.map((d) => `{ name = ${tomlStr(d.name)}, specifier = ${tomlStr(`==${d.spec}`)} }`).join(', ')}]`, '');
      continue;
    }
    lines.push(`source = { registry = ${tomlStr(`${ORIGIN}simple`)} }`);
    if (r.dependencies.length) lines.push('dependencies = [', ...r.dependencies.map((d) => `    { name = ${tomlStr(d)} },`), ']');
    const { release } = indexFiles(index, name, r.version);
    const sdist = release.files.find((f) => f.packagetype === 'sdist');
    const wheels = release.files.filter((f) => f.packagetype === 'bdist_wheel');
    if (sdist) lines.push(`sdist = ${file(sdist)}`);
    if (wheels.length) lines.push('wheels = [', ...wheels.map((w) => `    ${file(w)},`), ']');
    lines.push('');
  }
  return lines.join('\n');
}

/** A pylock.toml (PEP 751, lock-version 1.0) from poetry's resolution, with attestation identities. */
function writePylock(index, resolution) {
  const lines = ['lock-version = "1.0"', 'requires-python = ">=3.11"', 'created-by = "lockwarden-make-fixtures-python"', ''];
  const file = (f) =>
    `{ name = ${tomlStr(f.filename)}, url = ${tomlStr(`${ORIGIN}${f.path.slice(1)}`)}, upload-time = ${f.uploadTime}, size = ${f.bytes.length}, hashes = { sha256 = ${tomlStr(f.sha256)} } }`;
  const names = [...resolution.keys()].sort();
  for (const name of names) {
    const r = resolution.get(name);
    const { release } = indexFiles(index, name, r.version);
    lines.push('[[packages]]', `name = ${tomlStr(name)}`, `version = ${tomlStr(r.version)}`);
    if (release.requiresPython) lines.push(`requires-python = ${tomlStr(release.requiresPython)}`);
    if (r.dependencies.length) lines.push(`dependencies = [${r.dependencies.map((d) => `{ name = ${tomlStr(d)} }`).join(', ')}]`);
    lines.push(`index = ${tomlStr(`${ORIGIN}simple/`)}`);
    const sdist = release.files.find((f) => f.packagetype === 'sdist');
    const wheels = release.files.filter((f) => f.packagetype === 'bdist_wheel');
    if (sdist) lines.push(`sdist = ${file(sdist)}`);
    if (wheels.length) lines.push('wheels = [', ...wheels.map((w) => `    ${file(w)},`), ']');
    const identities = new Map();
    for (const f of release.files) if (f.publisher) identities.set(JSON.stringify(f.publisher), f.publisher);
    for (const p of identities.values()) {
      lines.push(
        '',
        '[[packages.attestation-identities]]',
        `kind = ${tomlStr(p.kind)}`,
        `repository = ${tomlStr(p.repository)}`,
        `workflow = ${tomlStr(p.workflow)}`,
      );
      if (p.environment) lines.push(`environment = ${tomlStr(p.environment)}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

async function tool(label, cmd, args, cwd, env) {
  const r = await run(cmd, args, { cwd, env });
  if (r.status !== 0) throw new Error(`${label}: ${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

await fixtureSession('pyfixtures', async ({ work, onClose }) => {
  const index = await startFixtureIndex({ dir: indexDir, port: PORT });
  onClose(() => index.close());
  const versions = {};
  let failed = false;
  for (const cmd of ['poetry', 'pipenv']) {
    versions[cmd] = (await tool(cmd, cmd, ['--version'], work, toolEnv(join(work, 'version-home')))).trim();
  }
  for (const scenario of scenarios) {
    for (const side of ['base', 'head']) {
      const label = `${scenario}/${side}`;
      const src = join(examples, scenario, side);
      const base = join(work, `${scenario}-${side}`);
      try {
        const before = index.requests.length;
        // poetry
        const poetryDir = join(base, 'poetry');
        mkdirSync(poetryDir, { recursive: true });
        copyFileSync(join(src, 'pyproject.toml'), join(poetryDir, 'pyproject.toml'));
        await tool(label, 'poetry', ['lock', '--no-interaction'], poetryDir, toolEnv(join(base, 'poetry-home')));
        const poetryLock = readFileSync(join(poetryDir, 'poetry.lock'), 'utf8');
        checkUrls(`${label}/poetry.lock`, poetryLock);
        // pipenv
        const pipenvDir = join(base, 'pipenv');
        mkdirSync(pipenvDir, { recursive: true });
        copyFileSync(join(src, 'Pipfile'), join(pipenvDir, 'Pipfile'));
        const penv = toolEnv(join(base, 'pipenv-home'));
        await tool(label, 'pipenv', ['lock'], pipenvDir, penv);
        const pipfileLock = readFileSync(join(pipenvDir, 'Pipfile.lock'), 'utf8');
        checkUrls(`${label}/Pipfile.lock`, pipfileLock);
        const requirements = await tool(label, 'pipenv', ['requirements', '--hash'], pipenvDir, penv);
        checkUrls(`${label}/requirements.txt`, requirements);
        if (!/--hash=sha256:/.test(requirements)) throw new Error(`${label}: requirements.txt has no hashes`);

        writeFileSync(join(src, 'poetry.lock'), poetryLock);
        writeFileSync(join(src, 'Pipfile.lock'), pipfileLock);
        writeFileSync(join(src, 'requirements.txt'), requirements);
        const resolution = poetryResolution(poetryLock);
        if (WRITTEN_FORMATS.has(scenario)) {
          const pyproject = readFileSync(join(src, 'pyproject.toml'), 'utf8');
          const projectName = normalize(poetryOf(pyproject).name);
          const uv = writeUvLock(index, projectName, rootDependencies(pyproject), resolution);
          const pylock = writePylock(index, resolution);
          parseToml(uv); // both must be valid TOML
          parseToml(pylock);
          writeFileSync(join(src, 'uv.lock'), uv);
          writeFileSync(join(src, 'pylock.toml'), pylock);
        }
        console.log(`${label}: ${resolution.size} packages, ${index.requests.length - before} index requests`);
      } catch (e) {
        console.error(String(e instanceof Error ? e.message : e));
        failed = true;
      }
    }
  }
  console.log(`tools: ${versions.poetry}; ${versions.pipenv}`);
  return !failed;
});
