/**
 * Issue 12 item 2: the engine gathers only what the enabled signals need. A switched-off signal costs
 * no requests: counted on the 127.0.0.1 fixture registry and fixture index, through the CLI.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { SIGNAL_IDS } from '../../src/policy/config.js';
import { startFixtureIndex } from '../../test-support/fixture-index.js';
import { startFixtureRegistry } from '../../test-support/fixture-registry.js';
import { root } from '../cli/format-review.js';

interface Report {
  conclusion: string;
  incomplete: unknown[];
  notes: { kind: string }[];
  summary: { analysed: number; needsRegistry: number; registryRequests?: number };
  changes: { name: string; findings: { signal: string }[] }[];
}

/** Signals that read nothing but the lockfiles (and the registry origins, which cost no request). */
const LOCKFILE_ONLY = ['downgrade', 'new-dependency', 'non-registry-source', 'security-holder'];

let registry: Awaited<ReturnType<typeof startFixtureRegistry>>;
let index: Awaited<ReturnType<typeof startFixtureIndex>>;
beforeAll(async () => {
  registry = await startFixtureRegistry();
  index = await startFixtureIndex();
});
afterAll(async () => {
  await registry.close();
  await index.close();
});
beforeEach(() => {
  registry.requests.length = 0;
  index.requests.length = 0;
});

/** A config file switching `off` these signals (none: the default config). */
async function configWith(off: readonly string[]): Promise<string[]> {
  if (off.length === 0) return [];
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-needs-'));
  const file = path.join(dir, 'lockwarden.yml');
  await writeFile(file, `signals:\n${off.map((s) => `  ${s}: off\n`).join('')}`);
  return ['--config', file];
}

async function cli(args: string[], now: string, off: readonly string[]): Promise<Report> {
  let stdout = '';
  let stderr = '';
  const code = await main(['review', ...args, '--now', now, '--format', 'json', '--quiet', ...(await configWith(off))], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { LOCKWARDEN_OSV_URL: 'off', HOME: '/nonexistent-home', PIP_CONFIG_FILE: '/dev/null' },
    cwd: root,
  });
  expect(stderr).toBe('');
  expect(code).not.toBe(2);
  return JSON.parse(stdout) as Report;
}

const npmReview = (scenario: string, now: string, off: readonly string[] = []) =>
  cli([`examples/${scenario}/base/package-lock.json`, `examples/${scenario}/head/package-lock.json`, '--registry', registry.url], now, off);
const pyReview = (scenario: string, now: string, off: readonly string[] = []) =>
  cli([`examples/pypi/${scenario}/base/poetry.lock`, `examples/pypi/${scenario}/head/poetry.lock`, '--index-url', index.simpleUrl], now, off);

const attestationRequests = () => registry.requests.filter((r) => r.path.startsWith('/-/npm/v1/attestations/')).length;
const packumentRequests = () => registry.requests.filter((r) => !r.path.startsWith('/-/')).length;
/** Reads of wheel files (range requests for their central directories), not `.metadata`. */
const wheelReads = () => index.requests.filter((r) => /\.whl$/.test(r.path)).length;
const signalsOf = (r: Report) => new Set(r.changes.flatMap((c) => c.findings.map((f) => f.signal)));

describe('a switched-off signal costs no requests', () => {
  const BENIGN = '2025-10-20T09:00:00.000Z';

  it('with provenance-source-changed and the combiner that reads it off, no attestation is requested', async () => {
    const on = await npmReview('benign', BENIGN);
    const onAttestations = attestationRequests();
    const onPackuments = packumentRequests();
    expect(onAttestations).toBeGreaterThan(0);
    registry.requests.length = 0;
    const off = await npmReview('benign', BENIGN, ['provenance-source-changed', 'possible-takeover']);
    expect(attestationRequests()).toBe(0);
    expect(packumentRequests()).toBe(onPackuments);
    expect(off.summary.registryRequests).toBe(on.summary.registryRequests! - onAttestations);
    expect(off.conclusion).toBe(on.conclusion);
    expect(off.summary.analysed).toBe(on.summary.analysed);
  });

  it('while the combiner is on, the attestations it reads through provenance-source-changed are still requested', async () => {
    await npmReview('benign', BENIGN, ['provenance-source-changed']);
    expect(attestationRequests()).toBeGreaterThan(0);
  });

  it('with pth-file-added and the combiners that read it off, no wheel is listed', async () => {
    const on = await pyReview('litellm', '2026-03-24T14:00:00.000Z');
    expect(wheelReads()).toBeGreaterThan(0);
    expect(signalsOf(on).has('pth-file-added')).toBe(true);
    index.requests.length = 0;
    // the content signals read wheels too (their members): off as well
    const content = ['obfuscated-code', 'new-capability', 'new-executable', 'install-script-payload', 'manifest-mismatch'];
    const off = await pyReview('litellm', '2026-03-24T14:00:00.000Z', ['pth-file-added', 'possible-takeover', 'suspicious-new-package', ...content]);
    expect(wheelReads()).toBe(0);
    expect(off.changes.length).toBe(on.changes.length);
    expect(signalsOf(off).has('pth-file-added')).toBe(false);
  });
});

describe('with every signal that reads the registry document off, an online review fetches none', () => {
  const off = SIGNAL_IDS.filter((s) => !LOCKFILE_ONLY.includes(s));

  it('npm: no request to the registry; the lockfile-only signals still run', async () => {
    const r = await npmReview('axios', '2026-03-31T02:00:00.000Z', off);
    expect(registry.requests).toEqual([]);
    expect(r.summary.registryRequests).toBe(0);
    expect(r.incomplete).toEqual([]);
    expect(signalsOf(r)).toEqual(new Set(['new-dependency']));
  });

  it('Python: no request to the package index', async () => {
    const r = await pyReview('litellm', '2026-03-24T14:00:00.000Z', off);
    expect(index.requests).toEqual([]);
    expect(r.incomplete).toEqual([]);
    expect(r.changes.length).toBeGreaterThan(0);
  });
});
