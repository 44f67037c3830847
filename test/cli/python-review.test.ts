/**
 * Acceptance for Python lockfiles: `lockwarden review base/<lockfile> head/<lockfile>` against the
 * fixture package index (127.0.0.1), for every lockfile format of the Python scenarios
 * (examples/pypi/<scenario>/{base,head}/: poetry.lock and Pipfile.lock written by Debian's poetry
 * and pipenv, requirements.txt by `pipenv requirements --hash`, uv.lock and pylock.toml by the
 * generator script). The same incident must give the same verdict whichever tool wrote the lockfile.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { main } from '../../src/cli/main.js';
import { startFixtureIndex } from '../../test-support/fixture-index.js';
import { root, type JsonReport } from './format-review.js';

const FORMATS = ['poetry.lock', 'Pipfile.lock', 'requirements.txt', 'uv.lock', 'pylock.toml'];
const dir = (scenario: string) => path.join(root, 'examples', 'pypi', scenario);
const now = (scenario: string) => (JSON.parse(readFileSync(path.join(dir(scenario), 'scenario.json'), 'utf8')) as { now: string }).now;

let index: Awaited<ReturnType<typeof startFixtureIndex>>;
beforeAll(async () => {
  index = await startFixtureIndex();
});
afterAll(async () => {
  await index.close();
});

interface PyChange {
  name: string;
  from: string | null;
  to: string | null;
  kind: string;
  line: number;
  severity: string | null;
  findings: { signal: string; severity: string; message: string; evidence: Record<string, unknown> }[];
}

interface PyReport extends Omit<JsonReport, 'changes'> {
  changes: PyChange[];
}

async function reviewPy(scenario: string, file: string, extra: string[] = []): Promise<{ code: number; report: PyReport; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const base = path.join('examples', 'pypi', scenario, 'base', file);
  const head = path.join('examples', 'pypi', scenario, 'head', file);
  const code = await main(['review', base, head, '--index-url', index.simpleUrl, '--now', now(scenario), '--format', 'json', ...extra], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { LOCKWARDEN_OSV_URL: 'off', HOME: '/nonexistent-home', PIP_CONFIG_FILE: '/dev/null' },
    cwd: root,
  });
  return { code, report: JSON.parse(stdout || '{}'), stderr };
}

const summary = (r: { changes: PyChange[] }) =>
  r.changes.map((c) => JSON.stringify([c.name, c.from, c.to, c.kind, c.findings.map((f) => f.signal).sort(), c.severity])).sort();

describe.each(FORMATS)('litellm 1.82.6 → 1.82.8 in %s', (file) => {
  const present = existsSync(path.join(dir('litellm'), 'head', file));
  it('flags 1.82.8 critical, naming litellm_init.pth in the evidence, and fails the review', async () => {
    expect(present).toBe(true);
    const { code, report, stderr } = await reviewPy('litellm', file);
    expect(stderr).toBe('');
    expect(report.incomplete).toEqual([]);
    const lite = report.changes.find((c) => c.name === 'litellm')!;
    expect(lite).toMatchObject({ from: '1.82.6', to: '1.82.8', kind: 'upgraded', severity: 'critical' });
    const pth = lite.findings.find((f) => f.signal === 'pth-file-added')!;
    expect(pth.severity).toBe('critical');
    expect(pth.evidence['files']).toEqual(['litellm_init.pth']);
    expect(pth.message).toContain('litellm_init.pth');
    const signals = lite.findings.map((f) => f.signal);
    expect(signals).toEqual(expect.arrayContaining(['trust-downgrade', 'release-too-new', 'possible-takeover']));
    expect(code).toBe(1);
    expect(report.conclusion).toBe('failure');
    // the annotation line is the package's own entry in the head lockfile (its header, or the line naming it)
    const lines = readFileSync(path.join(dir('litellm'), 'head', file), 'utf8').split('\n');
    expect(lines.slice(lite.line - 1, lite.line + 1).join('\n')).toMatch(/litellm/i);
    if (file !== 'Pipfile.lock') expect(lines.slice(lite.line - 1, lite.line + 2).join('\n')).toContain('1.82.8'); // Pipfile.lock: the key line; the version follows the hashes
  });
});

describe('the same incident whatever tool wrote the lockfile', () => {
  it('gives the same (name, from, to, kind, signals, severity) for every format', async () => {
    const all = await Promise.all(FORMATS.map((f) => reviewPy('litellm', f)));
    const first = summary(all[0]!.report);
    expect(first.length).toBeGreaterThan(0);
    for (const r of all.slice(1)) expect(summary(r.report)).toEqual(first);
  });
});

describe.each(['poetry.lock', 'Pipfile.lock', 'requirements.txt'])('ultralytics 8.3.40 → 8.3.41 in %s', (file) => {
  it('is high for the release that lost its Trusted Publisher attestations', async () => {
    const { report, stderr } = await reviewPy('ultralytics', file);
    expect(stderr).toBe('');
    const u = report.changes.find((c) => c.name === 'ultralytics')!;
    expect(u).toMatchObject({ from: '8.3.40', to: '8.3.41' });
    expect(['high', 'critical']).toContain(u.severity);
    expect(u.findings.map((f) => f.signal)).toContain('trust-downgrade');
  });
});

describe.each(['poetry.lock', 'Pipfile.lock', 'requirements.txt'])('benign Python bumps in %s', (file) => {
  it('stay at low or below and pass, a new wheel platform included', async () => {
    const { code, report, stderr } = await reviewPy('python-benign', file);
    expect(stderr).toBe('');
    expect(report.changes.length).toBeGreaterThan(0);
    for (const c of report.changes) expect([null, 'info', 'low']).toContain(c.severity);
    expect(report.changes.flatMap((c) => c.findings.map((f) => f.signal))).not.toContain('sdist-only');
    expect(report.conclusion).toBe('success');
    expect(code).toBe(0);
  });
});

describe('the index is configuration, never the lockfile', () => {
  it('reads nothing but the configured index (the lockfiles name the generation port, which is not listening)', async () => {
    const before = index.requests.length;
    await reviewPy('litellm', 'poetry.lock');
    expect(index.requests.length).toBeGreaterThan(before);
    const lock = readFileSync(path.join(dir('litellm'), 'head', 'Pipfile.lock'), 'utf8');
    expect(lock).toContain('127.0.0.1:48731'); // recorded by pipenv as data
    expect(index.url).not.toContain(':48731');
  });

  it('without any configured index or pip, Python changes are listed as not analysed, never passed', async () => {
    let stdout = '';
    const code = await main(
      ['review', 'examples/pypi/litellm/base/poetry.lock', 'examples/pypi/litellm/head/poetry.lock', '--now', now('litellm'), '--format', 'json'],
      {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: () => true },
        env: { LOCKWARDEN_OSV_URL: 'off', HOME: '/nonexistent-home', PIP_CONFIG_FILE: '/dev/null', PATH: '/nonexistent-bin' },
        cwd: root,
      },
    );
    const report = JSON.parse(stdout) as Omit<PyReport, 'incomplete'> & { incomplete: { name: string; reason: string }[] };
    expect(report.incomplete.map((i) => i.name)).toContain('litellm');
    expect(report.incomplete[0]!.reason).toMatch(/package index not configured/);
    expect(report.conclusion).toBe('neutral');
    expect(code).toBe(0);
  });
});

describe.each(['litellm', 'ultralytics', 'python-benign'])('scenario.json expectations of %s hold for every lockfile format in it', (scenario) => {
  const meta = JSON.parse(readFileSync(path.join(dir(scenario), 'scenario.json'), 'utf8')) as { expect: Record<string, string> };
  const files = FORMATS.filter((f) => existsSync(path.join(dir(scenario), 'head', f)));
  const rank = ['info', 'low', 'medium', 'high', 'critical'];
  it.each(files)('%s', async (file) => {
    const { report } = await reviewPy(scenario, file);
    for (const [spec, level] of Object.entries(meta.expect)) {
      const at = spec.lastIndexOf('@');
      const c = report.changes.find((x) => x.name === spec.slice(0, at) && x.to === spec.slice(at + 1));
      expect({ spec, found: c !== undefined }).toEqual({ spec, found: true });
      const got = rank.indexOf(c!.severity ?? 'info');
      if (level.startsWith('<=')) expect({ spec, severity: c!.severity, ok: got <= rank.indexOf(level.slice(2)) }).toMatchObject({ ok: true });
      else expect({ spec, severity: c!.severity, ok: got >= rank.indexOf(level) }).toMatchObject({ ok: true });
    }
  });
});

describe('the index from the lockwarden config', () => {
  it('is used by the CLI when no --index-url is given', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const cfgDir = mkdtempSync(path.join(tmpdir(), 'lockwarden-cfg-'));
    const cfg = path.join(cfgDir, 'lockwarden.yml');
    writeFileSync(cfg, `python:\n  indexUrl: ${index.simpleUrl}\n`);
    let stdout = '';
    const before = index.requests.length;
    const code = await main(
      [
        'review',
        'examples/pypi/litellm/base/poetry.lock',
        'examples/pypi/litellm/head/poetry.lock',
        '--config',
        cfg,
        '--now',
        now('litellm'),
        '--format',
        'json',
      ],
      {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: () => true },
        env: { LOCKWARDEN_OSV_URL: 'off', HOME: '/nonexistent-home', PIP_CONFIG_FILE: '/dev/null', PIP_INDEX_URL: 'http://127.0.0.1:9/simple/' },
        cwd: root,
      },
    );
    expect(code).toBe(1);
    expect((JSON.parse(stdout) as PyReport).incomplete).toEqual([]);
    expect(index.requests.length).toBeGreaterThan(before);
  });

  it('is not used from a config file inside the directory under review, unless --trust-project-config', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const project = mkdtempSync(path.join(os.tmpdir(), 'lockwarden-project-'));
    for (const side of ['base', 'head']) {
      const { mkdirSync, copyFileSync } = await import('node:fs');
      mkdirSync(path.join(project, side));
      copyFileSync(path.join(root, 'examples/pypi/litellm', side, 'poetry.lock'), path.join(project, side, 'poetry.lock'));
    }
    writeFileSync(path.join(project, 'lockwarden.yml'), `python:\n  indexUrl: ${index.simpleUrl}\n`);
    const run = async (extra: string[]) => {
      let stdout = '';
      let stderr = '';
      const before = index.requests.length;
      await main(['review', 'base/poetry.lock', 'head/poetry.lock', '--config', 'lockwarden.yml', '--now', now('litellm'), '--format', 'json', ...extra], {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: (s: string) => (stderr += s) },
        env: { LOCKWARDEN_OSV_URL: 'off', HOME: '/nonexistent-home', PIP_CONFIG_FILE: '/dev/null', PIP_INDEX_URL: 'http://127.0.0.1:9/simple/' },
        cwd: project,
      });
      return { report: JSON.parse(stdout) as PyReport & { notes: { kind: string; message: string }[] }, stderr, asked: index.requests.length - before };
    };
    const untrusted = await run([]);
    expect(untrusted.asked).toBe(0); // the user's PIP_INDEX_URL (unreachable here) is used instead
    expect(untrusted.report.incomplete.length).toBeGreaterThan(0);
    expect(untrusted.stderr).toMatch(/python\.indexUrl\) in the directory under review was not read/);
    expect(untrusted.report.notes.some((n) => n.kind === 'config-ignored' && /python\.indexUrl/.test(n.message))).toBe(true);
    const trusted = await run(['--trust-project-config']);
    expect(trusted.asked).toBeGreaterThan(0);
    expect(trusted.report.incomplete).toEqual([]);
  });
});
