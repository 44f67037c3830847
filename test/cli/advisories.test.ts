/**
 * The CLI's advisory sources: `--osv URL|off`, `--advisories DIR` (also with --offline),
 * `--no-github-advisories`, GITHUB_TOKEN with GHE_HOST, and a project's config that may not choose hosts.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { startFakeGitHub, type FakeGitHub } from '../../test-support/fake-github.js';
import { startFixtureOsv, type FixtureOsv } from '../../test-support/fixture-osv.js';
import type { FixtureRegistry } from '../../test-support/fixture-registry.js';
import { ADVISORY_DIR, NOW, packageLock, startAdvisoryRegistry } from '../helpers/advisories.js';

let registry: FixtureRegistry;
let osv: FixtureOsv;
let gh: FakeGitHub;
let dir: string;
beforeAll(async () => {
  [registry, osv, gh] = await Promise.all([startAdvisoryRegistry(), startFixtureOsv(), startFakeGitHub()]);
  gh.advisories.loadFixtures(gh.url);
  dir = await mkdtemp(path.join(os.tmpdir(), 'lockwarden-cli-adv-'));
  await mkdir(path.join(dir, 'base'));
  await mkdir(path.join(dir, 'head'));
  await writeFile(path.join(dir, 'base', 'package-lock.json'), await packageLock(registry, { chalk: '5.6.0', lodash: '4.17.21' }));
  await writeFile(path.join(dir, 'head', 'package-lock.json'), await packageLock(registry, { chalk: '5.6.1', lodash: '4.17.20' }));
});
afterAll(async () => {
  expect(osv.errors).toEqual([]);
  gh.assertClean();
  await Promise.all([registry.close(), osv.close(), gh.close(), rm(dir, { recursive: true, force: true })]);
});

interface Json {
  conclusion: string;
  changes: { name: string; findings: { signal: string; severity: string; evidence: Record<string, unknown> }[] }[];
  notes: { kind: string; source?: string; message: string }[];
}

async function review(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; json: Json; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['review', 'base/package-lock.json', 'head/package-lock.json', '--format', 'json', '--now', NOW.toISOString(), ...args], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { HOME: '/nonexistent-home', ...env },
    cwd: dir,
  });
  return { code, json: stdout ? (JSON.parse(stdout) as Json) : ({} as Json), stderr };
}

const signals = (j: Json, name: string) => j.changes.find((c) => c.name === name)!.findings.map((f) => `${f.signal}:${f.severity}`);

describe('lockwarden review with advisory sources', () => {
  it('passes a clean-metadata bump to chalk 5.6.1 with every source off', async () => {
    const r = await review(['--registry', registry.url, '--osv', 'off']);
    expect(r.code).toBe(0);
    expect(signals(r.json, 'chalk')).toEqual([]);
  });

  it('fails it with --osv: known-malicious with its evidence, and lists the lodash CVE', async () => {
    const before = osv.requests.filter((x) => x.path === '/v1/querybatch').length;
    const r = await review(['--registry', registry.url, '--osv', osv.url]);
    expect(r.code).toBe(1);
    expect(r.json.conclusion).toBe('failure');
    expect(signals(r.json, 'chalk')).toEqual(['known-malicious:critical']);
    const ev = r.json.changes.find((c) => c.name === 'chalk')!.findings[0]!.evidence as { advisories: { ids: string[]; sources: string[] }[] };
    expect(ev.advisories.map((a) => [a.ids, a.sources])).toEqual([[['MAL-2025-46969'], ['osv']]]);
    // the base had the fixed 4.17.21: going back to 4.17.20 is also a downgrade
    expect(signals(r.json, 'lodash')).toEqual(['known-vulnerability:medium', 'downgrade:low']);
    expect(osv.requests.filter((x) => x.path === '/v1/querybatch').length - before).toBe(1);
  });

  it('fails it offline with --advisories DIR', async () => {
    const r = await review(['--offline', '--advisories', ADVISORY_DIR]);
    expect(r.code).toBe(1);
    expect(signals(r.json, 'chalk')).toEqual(['known-malicious:critical']);
  });

  it('asks GitHub with GITHUB_TOKEN: two sources, one finding listing both; not with --no-github-advisories', async () => {
    const asked = () => gh.requests.filter((x) => x.route === 'GET /advisories');
    const env = { GITHUB_TOKEN: 'ghp_cli', GITHUB_API_URL: gh.url };
    const before = asked().length;
    const r = await review(['--registry', registry.url, '--osv', osv.url], env);
    expect(asked().length - before).toBe(2); // malware and reviewed, every package in one request each
    expect(asked().at(-1)!.headers['authorization']).toBe('Bearer ghp_cli');
    const chalk = r.json.changes.find((c) => c.name === 'chalk')!.findings;
    expect(chalk.map((f) => f.signal)).toEqual(['known-malicious']);
    const groups = chalk[0]!.evidence['advisories'] as { ids: string[]; sources: string[] }[];
    expect(groups).toHaveLength(1);
    expect(groups[0]!.ids.sort()).toEqual(['GHSA-2v46-p5h4-248w', 'MAL-2025-46969']);
    expect(groups[0]!.sources.sort()).toEqual(['github', 'osv']);
    const off = asked().length;
    await review(['--registry', registry.url, '--osv', osv.url, '--no-github-advisories'], env);
    expect(asked().length).toBe(off);
  });

  it('names an unreachable OSV service in the notes without changing the conclusion', async () => {
    const r = await review(['--registry', registry.url, '--osv', 'http://127.0.0.1:9']);
    expect(r.code).toBe(0);
    expect(r.json.conclusion).not.toBe('failure');
    expect(r.json.notes.filter((n) => n.kind === 'advisories-unavailable').map((n) => n.source)).toEqual(['osv']);
  });

  it('refuses a bad --osv and --osv with --offline', async () => {
    expect((await review(['--osv', 'ftp://x'])).code).toBe(2);
    expect((await review(['--offline', '--osv', osv.url])).code).toBe(2);
  });

  it('does not let a config file inside the reviewed directory choose the OSV host, but lets it switch OSV off', async () => {
    await writeFile(path.join(dir, 'lw.yml'), `advisories:\n  osv: ${osv.url}\n`);
    const before = osv.requests.length;
    const r = await review(['--registry', registry.url, '--config', 'lw.yml'], { LOCKWARDEN_OSV_URL: 'off' });
    expect(osv.requests.length).toBe(before);
    expect(r.stderr).toMatch(/lw\.yml \(advisories\.osv\)/);
    expect(signals(r.json, 'chalk')).toEqual([]);
    await writeFile(path.join(dir, 'off.yml'), 'advisories:\n  osv: "off"\n');
    const off = await review(['--registry', registry.url, '--config', 'off.yml'], { LOCKWARDEN_OSV_URL: osv.url });
    expect(osv.requests.length).toBe(before);
    expect(off.code).toBe(0);
  });
});
