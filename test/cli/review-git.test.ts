/**
 * `lockwarden review --git <base>..<head>`: the whole change between two commits of a real git
 * repository built by the test, reviewed against the fixture registry on 127.0.0.1. Lockfiles are
 * the examples' (written by real npm) and the LiteLLM requirements file (pip-compile's).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startFixtureRegistry } from '../../test-support/fixture-registry.js';
import { cli, root, tempDir, TestRepo } from './git-repo.js';

const ex = (scenario: string, side: 'base' | 'head') => readFileSync(path.join(root, 'examples', scenario, side, 'package-lock.json'), 'utf8');
const req = (side: 'base' | 'head') => readFileSync(path.join(root, 'examples', 'pypi', 'litellm', side, 'requirements.txt'), 'utf8');
const AXIOS_NOW = JSON.parse(readFileSync(path.join(root, 'examples', 'axios', 'scenario.json'), 'utf8')).now as string;

interface JsonReport {
  changes: Array<{ name: string; from: string | null; to: string | null; lockfile: string; findings: Array<{ signal: string }> }>;
  conclusion: string;
  incomplete: Array<{ name: string; reason: string; failClosed?: boolean }>;
  summary: { lockfiles: string[] };
  notes: Array<{ kind: string; message: string }>;
}

let registry: Awaited<ReturnType<typeof startFixtureRegistry>>;
let tmp: Awaited<ReturnType<typeof tempDir>>;
let repo: TestRepo;

beforeAll(async () => {
  registry = await startFixtureRegistry();
});
afterAll(async () => {
  await registry.close();
});
beforeEach(async () => {
  registry.requests.length = 0;
  tmp = await tempDir('git');
  repo = await TestRepo.create(path.join(tmp.dir, 'repo'));
});
afterEach(async () => {
  await tmp.remove();
});

describe('review --git', () => {
  it('reviews two lockfiles in two folders, each change naming its lockfile', async () => {
    await repo.commit({ 'packages/a/package-lock.json': ex('axios', 'base'), 'packages/b/package-lock.json': ex('benign', 'base'), 'README.md': 'x\n' });
    await repo.commit({ 'packages/a/package-lock.json': ex('axios', 'head'), 'packages/b/package-lock.json': ex('benign', 'head') });
    const r = await cli(['review', '--git', 'HEAD~1..HEAD', '--registry', registry.url, '--now', AXIOS_NOW, '--format', 'json'], repo.dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.summary.lockfiles).toEqual(['packages/a/package-lock.json', 'packages/b/package-lock.json']);
    const axios = report.changes.find((c) => c.name === 'axios' && c.to === '1.14.1')!;
    expect(axios.lockfile).toBe('packages/a/package-lock.json');
    expect(axios.findings.map((f) => f.signal)).toContain('trust-downgrade');
    const fromB = report.changes.filter((c) => c.lockfile === 'packages/b/package-lock.json');
    expect(fromB.map((c) => c.name)).toContain('semver');
    expect(report.changes.every((c) => c.lockfile === 'packages/a/package-lock.json' || c.lockfile === 'packages/b/package-lock.json')).toBe(true);
    expect(registry.requests.length).toBeGreaterThan(0);
  });

  it('reviews a requirements file whose -r include changed while it did not', async () => {
    await repo.commit({
      'requirements.txt': '# production\n-r common.txt\n',
      'common.txt': req('base'),
      // includes that did not change: not reviewed
      'requirements-dev.txt': '-r dev-extra.txt\n',
      'dev-extra.txt': 'six==1.16.0\n',
    });
    await repo.commit({ 'common.txt': req('head') });
    const r = await cli(['review', '--git', 'HEAD~1..HEAD', '--offline', '--format', 'json'], repo.dir);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.summary.lockfiles).toEqual(['requirements.txt']);
    const lite = report.changes.find((c) => c.name === 'litellm')!;
    expect([lite.from, lite.to, lite.lockfile]).toEqual(['1.82.6', '1.82.8', 'common.txt']);
  });

  it("does not take registries or tokens from the checkout's .npmrc", async () => {
    await repo.commit({ 'package-lock.json': ex('axios', 'base') });
    await repo.commit({ 'package-lock.json': ex('axios', 'head'), '.npmrc': 'registry=http://127.0.0.1:9/\n//127.0.0.1:9/:_authToken=stolen\n' });
    const r = await cli(['review', '--git', 'HEAD~1..HEAD', '--now', AXIOS_NOW, '--format', 'json'], repo.dir, { npm_config_registry: registry.url });
    expect(r.stderr).toMatch(/^lockwarden: \.npmrc in the directory under review was not read/);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.notes.map((n) => n.kind)).toContain('config-ignored');
    expect(report.incomplete).toEqual([]);
    expect(registry.requests.length).toBeGreaterThan(0);
  });

  it('accepts <base>...<head> from the merge base, as git diff does', async () => {
    await repo.commit({ 'package-lock.json': ex('axios', 'base') });
    await repo.git('branch', 'feature');
    await repo.commit({ 'package-lock.json': ex('benign', 'base') }, 'main moves on');
    await repo.git('checkout', '-q', 'feature');
    await repo.commit({ 'package-lock.json': ex('axios', 'head') }, 'feature');
    const r = await cli(['review', '--git', 'main...feature', '--offline', '--format', 'json'], repo.dir);
    const report = JSON.parse(r.stdout) as JsonReport;
    // from the merge base (axios base), not from main's tip (benign base)
    expect(report.changes.map((c) => `${c.name} ${c.from} ${c.to}`).sort()).toEqual(['axios 1.14.0 1.14.1', 'plain-crypto-js null 4.2.1']);
  });

  it('says so when no lockfile or settings file changed, and passes', async () => {
    await repo.commit({ 'package-lock.json': ex('axios', 'base'), 'README.md': 'a\n' });
    const head = await repo.commit({ 'README.md': 'b\n' });
    const r = await cli(['review', '--git', 'HEAD~1..HEAD', '--offline', '--format', 'json'], repo.dir);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.changes).toEqual([]);
    expect(report.conclusion).toBe('success');
    expect(report.notes.find((n) => n.kind === 'no-change')!.message).toBe(
      `no lockfile or settings file changed between HEAD~1 (${(await repo.git('rev-parse', 'HEAD~1')).slice(0, 7)}) and HEAD (${head.slice(0, 7)})`,
    );
    const text = await cli(['review', '--git', 'HEAD~1..HEAD', '--offline'], repo.dir);
    expect(text.stdout).toMatch(/no lockfile or settings file changed between HEAD~1/);
  });

  it('names the file and the side of a lockfile that cannot be parsed', async () => {
    const good = readFileSync(path.join(root, 'test', 'fixtures', 'lockfiles', 'yarn-v1', 'features', 'yarn.lock'), 'utf8');
    const broken = '# yarn lockfile v1\n\n"left-pad@^1.0.0":\n  version "1.3.0\n';
    const base = await repo.commit({ 'packages/a/yarn.lock': broken });
    await repo.commit({ 'packages/a/yarn.lock': good });
    const r = await cli(['review', '--git', 'HEAD~1..HEAD', '--offline', '--format', 'json'], repo.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`lockwarden: packages/a/yarn.lock (base, ${base.slice(0, 7)}):`);
    const head = await repo.commit({ 'packages/a/yarn.lock': broken });
    const r2 = await cli(['review', '--git', 'HEAD~1..HEAD', '--offline', '--format', 'json'], repo.dir);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(`lockwarden: packages/a/yarn.lock (head, ${head.slice(0, 7)}):`);
  });
});

describe('review --git usage errors (exit 2)', () => {
  it('refuses two lockfiles with --git, --base-dir without --head-dir, outside a repository, an unknown revision', async () => {
    await repo.commit({ 'README.md': 'a\n' });
    const both = await cli(['review', 'a.json', 'b.json', '--git', 'HEAD~1..HEAD'], repo.dir);
    expect([both.code, both.stderr]).toEqual([2, expect.stringMatching(/--git cannot be combined with lockfile arguments/)]);
    const half = await cli(['review', '--base-dir', 'a'], repo.dir);
    expect([half.code, half.stderr]).toEqual([2, expect.stringMatching(/--base-dir needs --head-dir too/)]);
    const outside = await cli(['review', '--git', 'HEAD~1..HEAD'], tmp.dir);
    expect([outside.code, outside.stderr]).toEqual([2, expect.stringMatching(/^lockwarden: --git: fatal: not a git repository/)]);
    const unknown = await cli(['review', '--git', 'HEAD..no-such-branch'], repo.dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split('\n')[0]).toMatch(/^lockwarden: --git: 'no-such-branch' is not a commit of this repository \(fatal: .+\)$/);
  });

  it('--help documents the three forms', async () => {
    const r = await cli(['--help'], repo.dir);
    expect(r.code).toBe(0);
    for (const form of [
      'lockwarden review <base-lockfile> <head-lockfile>',
      'lockwarden review --git <base>..<head>',
      'lockwarden review --base-dir <dir> --head-dir <dir>',
    ])
      expect(r.stdout).toContain(form);
    expect(r.stdout).toContain('200,000 entries');
  });
});
