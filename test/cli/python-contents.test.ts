/**
 * Issue 14: a LiteLLM-shaped uv.lock bump through the CLI — the wheel's changed member read by range
 * from the fixture index on 127.0.0.1 — fails naming the file; the honest patch before it passes.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import type { FixtureIndex } from '../../test-support/fixture-index.js';
import { project, startIndex, wheelRelease } from '../core/python-contents-fixtures.js';

interface Report {
  conclusion: string;
  changes: Array<{ name: string; findings: Array<{ signal: string; severity: string; evidence: Record<string, unknown> }> }>;
  notes: Array<{ kind: string; message: string }>;
}

const module = ['import os', '', 'def start(config):', '    os.makedirs(config.dir, exist_ok=True)', ''].join('\n');
const blob = Buffer.from('print("defanged payload")\n'.repeat(80)).toString('base64');
const payload = `import base64\nexec(base64.b64decode("${blob}"))\n`;
const honest = `${module}\ndef stop(config):\n    os.rmdir(config.dir)\n`;

function uvLock(index: FixtureIndex, version: string): string {
  const rel = index.projects.get('litellm')!.releases.find((r) => r.version === version)!;
  const wheels = rel.files.map((f) => `    { url = "${index.url}${f.path.slice(1)}", hash = "sha256:${f.sha256}", size = ${f.bytes.length} },`).join('\n');
  return `version = 1\nrevision = 3\nrequires-python = ">=3.11"\n\n[[package]]\nname = "litellm"\nversion = "${version}"\nsource = { registry = "${index.simpleUrl}" }\nwheels = [\n${wheels}\n]\n`;
}

async function cli(index: FixtureIndex, from: string, to: string): Promise<{ code: number; report: Report }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-pyc-cli-'));
  const [base, head] = [path.join(dir, 'base', 'uv.lock'), path.join(dir, 'head', 'uv.lock')];
  await mkdir(path.dirname(base));
  await mkdir(path.dirname(head));
  await writeFile(base, uvLock(index, from));
  await writeFile(head, uvLock(index, to));
  let stdout = '';
  let stderr = '';
  const args = ['review', base, head, '--index-url', index.simpleUrl, '--now', '2026-03-24T14:00:00Z', '--format', 'json', '--quiet'];
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { LOCKWARDEN_OSV_URL: 'off', HOME: '/nonexistent-home', PIP_CONFIG_FILE: '/dev/null' },
    cwd: dir,
  });
  expect(stderr).toBe('');
  return { code, report: JSON.parse(stdout) as Report };
}

describe('CLI: Python contents from a uv.lock', () => {
  let index: FixtureIndex;
  beforeAll(async () => {
    index = await startIndex([
      project('litellm', {
        '1.82.5': wheelRelease('2026-03-01T10:00:00Z', { 'litellm/proxy/proxy_server.py': module }, 1_100_000),
        '1.82.6': wheelRelease('2026-03-10T10:00:00Z', { 'litellm/proxy/proxy_server.py': honest }, 1_100_000),
        '1.82.7': wheelRelease('2026-03-12T10:00:00Z', { 'litellm/proxy/proxy_server.py': payload + honest }, 1_100_000),
      }),
    ]);
  });
  afterAll(async () => {
    await index.close();
  });

  it('fails 1.82.6 → 1.82.7 naming litellm/proxy/proxy_server.py, read by range', async () => {
    const { code, report } = await cli(index, '1.82.6', '1.82.7');
    expect(code).toBe(1);
    expect(report.conclusion).toBe('failure');
    const files = report.changes.flatMap((c) => c.findings.filter((f) => f.signal === 'new-capability').map((f) => f.evidence['file']));
    expect(files).toContain('litellm/proxy/proxy_server.py');
    expect(report.notes.find((n) => n.kind === 'content-compared')?.message).toMatch(/by range/);
  });

  it('passes the honest patch 1.82.5 → 1.82.6, its contents compared', async () => {
    const { code, report } = await cli(index, '1.82.5', '1.82.6');
    expect(code).toBe(0);
    expect(report.notes.find((n) => n.kind === 'content-compared')?.message).toMatch(/litellm 1\.82\.6 with 1\.82\.5/);
  });
});
