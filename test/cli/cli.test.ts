/**
 * End-to-end: the CLI against the bundled fixture registry (served on 127.0.0.1 by the test) and
 * lockfiles produced by real npm against that registry (examples/<scenario>/).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../src/cli/main.js';
import { startFixtureRegistry } from '../../test-support/fixture-registry.js';

const root = path.resolve(__dirname_(), '..', '..');
function __dirname_(): string {
  return path.dirname(new URL(import.meta.url).pathname);
}
const ex = (scenario: string, side: 'base' | 'head') => path.join(root, 'examples', scenario, side, 'package-lock.json');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { LOCKWARDEN_OSV_URL: 'off', HOME: '/nonexistent-home', ...env },
    cwd: root,
  });
  return { code, stdout, stderr };
}

interface JsonChange {
  name: string;
  from: string | null;
  to: string | null;
  kind: string;
  line: number;
  direct: boolean;
  via: string[];
  severity: string | null;
  findings: { signal: string; severity: string; message: string; evidence: Record<string, unknown> }[];
}
interface JsonReport {
  changes: JsonChange[];
  conclusion: string;
  incomplete: { name: string; version: string | null; reason: string }[];
}

const RANK = ['info', 'low', 'medium', 'high', 'critical'];
const rank = (s: string | null) => (s === null ? -1 : RANK.indexOf(s));

let registry: Awaited<ReturnType<typeof startFixtureRegistry>>;
beforeAll(async () => {
  registry = await startFixtureRegistry();
});
afterAll(async () => {
  await registry.close();
});
beforeEach(() => {
  registry.requests.length = 0;
});

async function reviewScenario(
  scenario: string,
  extra: string[] = [],
): Promise<{ run: Run; report: JsonReport; meta: { now: string; expect: Record<string, string> } }> {
  const meta = JSON.parse(await readFile(path.join(root, 'examples', scenario, 'scenario.json'), 'utf8'));
  const r = await run(['review', ex(scenario, 'base'), ex(scenario, 'head'), '--registry', registry.url, '--now', meta.now, '--format', 'json', ...extra]);
  expect(r.stderr).toBe('');
  return { run: r, report: JSON.parse(r.stdout) as JsonReport, meta };
}

function find(report: JsonReport, name: string, to?: string): JsonChange {
  const c = report.changes.find((x) => x.name === name && (to === undefined || x.to === to));
  if (!c) throw new Error(`no change for ${name}@${to}: ${report.changes.map((x) => `${x.name}@${x.to}`).join(', ')}`);
  return c;
}
const signals = (c: JsonChange) => c.findings.map((f) => f.signal);

describe('incidents are flagged high or critical with evidence', () => {
  it('axios 1.14.1: token publish instead of trusted publisher, new dependency with a postinstall', async () => {
    const { run: r, report } = await reviewScenario('axios');
    expect(r.code).toBe(1);
    expect(report.conclusion).toBe('failure');
    const axios = find(report, 'axios', '1.14.1');
    expect(axios.from).toBe('1.14.0');
    expect(rank(axios.severity)).toBe(rank('critical'));
    expect(signals(axios)).toEqual(expect.arrayContaining(['trust-downgrade', 'publisher-changed', 'possible-takeover']));
    const plain = find(report, 'plain-crypto-js');
    expect(plain.kind).toBe('added');
    expect(plain.via).toEqual(['axios']);
    expect(rank(plain.severity)).toBeGreaterThanOrEqual(rank('high'));
    expect(signals(plain)).toEqual(expect.arrayContaining(['install-script-added', 'new-dependency', 'young-package']));
    const script = plain.findings.find((f) => f.signal === 'install-script-added')!;
    expect(JSON.stringify(script.evidence)).toMatch(/postinstall/);
    expect(report.incomplete).toEqual([]);
  });

  it('event-stream 3.3.6: new publisher, brand-new dependency flatmap-stream', async () => {
    const { run: r, report } = await reviewScenario('event-stream');
    expect(r.code).toBe(1);
    const es = find(report, 'event-stream');
    expect(es.to).toBe('3.3.6');
    expect(signals(es)).toContain('publisher-changed');
    const pub = es.findings.find((f) => f.signal === 'publisher-changed')!;
    expect(JSON.stringify(pub.evidence)).toMatch(/right9ctrl/);
    expect(JSON.stringify(pub.evidence)).toMatch(/dominictarr/);
    const fm = find(report, 'flatmap-stream');
    expect(fm.kind).toBe('added');
    expect(fm.via).toEqual(['event-stream']);
    expect(signals(fm)).toContain('new-dependency');
    expect(Math.max(rank(es.severity), rank(fm.severity))).toBeGreaterThanOrEqual(rank('high'));
  });

  it('eslint-scope 3.7.2: postinstall added on the same account', async () => {
    const { run: r, report } = await reviewScenario('eslint-scope');
    expect(r.code).toBe(1);
    const c = find(report, 'eslint-scope', '3.7.2');
    expect(rank(c.severity)).toBeGreaterThanOrEqual(rank('high'));
    expect(signals(c)).toContain('install-script-added');
    expect(signals(c)).not.toContain('publisher-changed');
  });

  it('ua-parser-js 0.7.29: preinstall added', async () => {
    const { run: r, report } = await reviewScenario('ua-parser-js');
    expect(r.code).toBe(1);
    const c = find(report, 'ua-parser-js', '0.7.29');
    expect(rank(c.severity)).toBeGreaterThanOrEqual(rank('high'));
    const f = c.findings.find((x) => x.signal === 'install-script-added')!;
    expect(JSON.stringify(f.evidence)).toMatch(/preinstall/);
  });

  it('each scenario meets the expectations recorded with its fixtures', async () => {
    for (const scenario of ['axios', 'event-stream', 'eslint-scope', 'ua-parser-js', 'benign', 'demo']) {
      const { report, meta } = await reviewScenario(scenario);
      for (const [key, want] of Object.entries(meta.expect)) {
        const at = key.lastIndexOf('@');
        const c = find(report, key.slice(0, at), key.slice(at + 1));
        if (want.startsWith('<=')) expect([key, rank(c.severity) <= rank(want.slice(2))]).toEqual([key, true]);
        else expect([key, rank(c.severity) >= rank(want)]).toEqual([key, true]);
      }
    }
  });
});

describe('benign controls stay at most medium', () => {
  it('routine bumps, a carried-over postinstall and gained provenance do not fail the check', async () => {
    const { run: r, report } = await reviewScenario('benign');
    expect(r.code).toBe(0);
    expect(report.conclusion).not.toBe('failure');
    expect(report.changes.length).toBeGreaterThan(2);
    for (const c of report.changes) expect([c.name, rank(c.severity) <= rank('medium')]).toEqual([c.name, true]);
    expect(report.incomplete).toEqual([]);
  });
});

describe('registry use', () => {
  it('makes one packument request per changed name, for the full document', async () => {
    const { report } = await reviewScenario('demo');
    const names = new Set(report.changes.filter((c) => c.kind !== 'removed').map((c) => c.name));
    // archives (`/name/-/name-1.0.0.tgz`, content analysis) are not packument requests
    const packumentRequests = registry.requests.filter((q) => !q.path.startsWith('/-/') && !q.path.includes('/-/'));
    expect(packumentRequests.length).toBe(names.size);
    for (const q of packumentRequests) expect(q.accept).toMatch(/application\/json/);
  });

  it('--offline makes no request at all, even with a registry configured', async () => {
    const meta = JSON.parse(await readFile(path.join(root, 'examples', 'axios', 'scenario.json'), 'utf8'));
    const r = await run(['review', ex('axios', 'base'), ex('axios', 'head'), '--offline', '--now', meta.now, '--format', 'json'], {
      npm_config_registry: registry.url,
    });
    expect(registry.requests).toEqual([]);
    const report = JSON.parse(r.stdout) as JsonReport;
    // lockfile-derived signals still work offline: the new package's install script flag, new dependency
    expect(signals(find(report, 'plain-crypto-js'))).toEqual(expect.arrayContaining(['new-dependency', 'install-script-added']));
  });

  it('takes the registry from npm_config_registry when no flag is given', async () => {
    const meta = JSON.parse(await readFile(path.join(root, 'examples', 'eslint-scope', 'scenario.json'), 'utf8'));
    const r = await run(['review', ex('eslint-scope', 'base'), ex('eslint-scope', 'head'), '--now', meta.now, '--format', 'json'], {
      npm_config_registry: registry.url,
    });
    expect(r.code).toBe(1);
    expect(registry.requests.length).toBeGreaterThan(0);
  });

  it('never contacts a host named in the lockfile', async () => {
    let hits = 0;
    const trap = http.createServer((_req, res) => {
      hits++;
      res.end('{}');
    });
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    const port = (trap.address() as { port: number }).port;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-'));
    const head = (await readFile(ex('axios', 'head'), 'utf8')).replace(/http:\/\/127\.0\.0\.1:\d+\//g, `http://127.0.0.1:${port}/`);
    await writeFile(path.join(dir, 'head.json'), head);
    const meta = JSON.parse(await readFile(path.join(root, 'examples', 'axios', 'scenario.json'), 'utf8'));
    await run(['review', ex('axios', 'base'), path.join(dir, 'head.json'), '--registry', registry.url, '--now', meta.now, '--format', 'json']);
    await new Promise<void>((resolve) => trap.close(() => resolve()));
    expect(hits).toBe(0);
  });

  it('a registry failure lists the package as incomplete and the review is never a clean success', async () => {
    const down = await startFixtureRegistry({ failNames: new Map([['semver', 503]]) });
    try {
      const meta = JSON.parse(await readFile(path.join(root, 'examples', 'benign', 'scenario.json'), 'utf8'));
      const r = await run(['review', ex('benign', 'base'), ex('benign', 'head'), '--registry', down.url, '--now', meta.now, '--format', 'json']);
      const report = JSON.parse(r.stdout) as JsonReport;
      const names = report.incomplete.map((i) => i.name);
      if (report.changes.some((c) => c.name === 'semver')) {
        expect(names).toContain('semver');
        expect(report.incomplete.find((i) => i.name === 'semver')!.reason).toMatch(/503/);
        expect(report.conclusion).not.toBe('success');
      } else {
        throw new Error('the benign scenario should bump semver');
      }
    } finally {
      await down.close();
    }
  });
});

describe('lockfile injection', () => {
  it('an integrity the registry does not vouch for is critical', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-'));
    const lock = JSON.parse(await readFile(ex('benign', 'head'), 'utf8'));
    const [key, entry] = Object.entries(lock.packages as Record<string, { integrity?: string; version?: string }>).find(
      ([k, v]) => k.startsWith('node_modules/') && v.integrity,
    )!;
    const forged = `sha512-${Buffer.alloc(64, 7).toString('base64')}`;
    entry.integrity = forged;
    await writeFile(path.join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
    const meta = JSON.parse(await readFile(path.join(root, 'examples', 'benign', 'scenario.json'), 'utf8'));
    const r = await run([
      'review',
      ex('benign', 'base'),
      path.join(dir, 'package-lock.json'),
      '--registry',
      registry.url,
      '--now',
      meta.now,
      '--format',
      'json',
    ]);
    const report = JSON.parse(r.stdout) as JsonReport;
    const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const c = report.changes.find((x) => x.name === name && x.to === entry.version)!;
    expect(c).toBeDefined();
    expect(signals(c)).toContain('integrity-mismatch');
    expect(c.severity).toBe('critical');
    expect(r.code).toBe(1);
  });
});

describe('usage and bad input', () => {
  it('--help lists options and every signal', async () => {
    const r = await run(['review', '--help']);
    expect(r.code).toBe(0);
    for (const s of ['--registry', '--now', '--format', '--config', '--offline', 'install-script-added', 'trust-downgrade', 'integrity-mismatch'])
      expect(r.stdout).toContain(s);
  });

  it.each([
    [['review', 'only-one.json'], /exactly two lockfiles/],
    [['frobnicate'], /unknown command/],
    [['review', 'a', 'b', '--format', 'xml'], /--format must be one of/],
    [['review', 'a', 'b', '--now', 'yesterday'], /--now must be an ISO 8601 time/],
    [['review', 'a', 'b', '--bogus'], /Unknown option/],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const r = await run(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
  });

  it('a truncated lockfile names the file and line, exit 2, no stack trace', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-'));
    const text = await readFile(ex('benign', 'head'), 'utf8');
    const cut = text.slice(0, Math.floor(text.length / 2));
    const file = path.join(dir, 'package-lock.json');
    await writeFile(file, cut);
    const r = await run(['review', ex('benign', 'base'), file, '--offline']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:${cut.split('\n').length}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('a missing file and an invalid config are clear errors', async () => {
    const missing = await run(['review', 'nope.json', ex('benign', 'head'), '--offline']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json: cannot read base lockfile: no such file/);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-'));
    await writeFile(path.join(dir, 'lw.yml'), 'failOn: high\nthresholds:\n  releaseAge: soon\n');
    const bad = await run(['review', ex('benign', 'base'), ex('benign', 'head'), '--offline', '--config', path.join(dir, 'lw.yml')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${path.join(dir, 'lw.yml')}:3`);
  });

  it('the built binary behaves the same (exit codes, no stack trace)', async () => {
    const bin = path.join(root, 'dist', 'cli', 'bin.js');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-'));
    await writeFile(path.join(dir, 'bad.json'), '{\n  "lockfileVersion": 3,\n  "packages": {\n    "": {,\n');
    const err = await promisify(execFile)('node', [bin, 'review', path.join(dir, 'bad.json'), ex('benign', 'head'), '--offline']).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err).not.toBeNull();
    expect(err!.code).toBe(2);
    expect(err!.stderr).toContain(`${path.join(dir, 'bad.json')}:4`);
    expect(err!.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('config', () => {
  it('an allow entry accepts exactly the version it names and the result says so', async () => {
    const meta = JSON.parse(await readFile(path.join(root, 'examples', 'eslint-scope', 'scenario.json'), 'utf8'));
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-'));
    await writeFile(path.join(dir, 'lw.yml'), 'allow:\n  - package: eslint-scope\n    version: 3.7.2\n    reason: reviewed the postinstall\n');
    const r = await run([
      'review',
      ex('eslint-scope', 'base'),
      ex('eslint-scope', 'head'),
      '--registry',
      registry.url,
      '--now',
      meta.now,
      '--format',
      'json',
      '--config',
      path.join(dir, 'lw.yml'),
    ]);
    const report = JSON.parse(r.stdout) as JsonReport & { changes: (JsonChange & { findings: { allowed?: unknown }[] })[] };
    const c = find(report, 'eslint-scope', '3.7.2');
    expect(c.findings.every((f) => (f as { allowed?: unknown }).allowed)).toBe(true);
    expect(r.code).toBe(0);
  });
});
