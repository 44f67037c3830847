#!/usr/bin/env node
// `npm run example [scenario] [format]`: reviews a bundled lockfile change against the bundled fixture
// registry (served on 127.0.0.1 by this process), exactly as `lockwarden review` would in CI.
// Scenarios: demo (default), axios, event-stream, eslint-scope, ua-parser-js, benign.
// Python: `npm run example pypi/<scenario> [lockfile] [format]` against the bundled fixture package index —
// scenarios litellm, ultralytics, python-benign; lockfile poetry.lock (default), Pipfile.lock,
// requirements.txt, uv.lock or pylock.toml.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFixtureRegistry } from '../dist-support/test-support/fixture-registry.js';
import { startFixtureIndex } from '../dist-support/test-support/fixture-index.js';
import { main } from '../dist/cli/main.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const scenario = process.argv[2] ?? 'demo';
const python = scenario.startsWith('pypi/');
const lockfile = python ? (process.argv[3] ?? 'poetry.lock') : 'package-lock.json';
const format = process.argv[python ? 4 : 3] ?? (process.stdout.isTTY ? 'text' : 'markdown');
const dir = path.join(here, scenario);

let meta;
try {
  meta = JSON.parse(await readFile(path.join(dir, 'scenario.json'), 'utf8'));
} catch {
  const names = (await readdir(here, { withFileTypes: true }))
    .filter((d) => d.isDirectory() && d.name !== 'registry' && d.name !== 'webhooks' && d.name !== 'pypi')
    .map((d) => d.name);
  const pypi = (await readdir(path.join(here, 'pypi'), { withFileTypes: true }))
    .filter((d) => d.isDirectory() && d.name !== 'index')
    .map((d) => `pypi/${d.name}`);
  names.push(...pypi);
  console.error(`unknown scenario '${scenario}'; choose one of: ${names.join(', ')}`);
  process.exit(2);
}

const registry = python ? await startFixtureIndex() : await startFixtureRegistry();
try {
  // Known-malicious and vulnerability advisories from the bundled OSV records only: no advisory service is asked.
  const advisories = ['--osv', 'off', '--no-github-advisories', '--advisories', path.join(here, '..', 'test', 'fixtures', 'advisories')];
  const where = [...(python ? ['--index-url', registry.simpleUrl] : ['--registry', registry.url]), ...advisories];
  console.error(
    `# ${meta.title}\n# ${meta.description}\n# lockwarden review base/${lockfile} head/${lockfile} ${where.join(' ')} --now ${meta.now} --format ${format}\n`,
  );
  const code = await main(['review', `base/${lockfile}`, `head/${lockfile}`, ...where, '--now', meta.now, '--format', format, '--quiet'], {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: dir,
  });
  const verdict = code === 0 ? 'pass (exit 0)' : code === 1 ? 'FAIL (exit 1): a CI job or required check would block this change' : `error (exit ${code})`;
  console.error(`\n# verdict: ${verdict}; ${python ? 'index' : 'registry'} requests: ${registry.requests.length}`);
  process.exitCode = code === 2 ? 2 : 0;
} finally {
  await registry.close();
}
