/**
 * Issue 11, items 2 and 4, through the CLI: a review against a thin mirror says in JSON, Markdown and
 * text what was not checked, and version-not-found names the mirror; Markdown groups platform siblings.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { packageLock, type HostileRegistry, type LockEntry } from '../../test-support/hostile-registry.js';
import { binding, PLATFORMS, startMirror } from '../core/thin-registry.js';

let mirror: HostileRegistry;
let dir: string;
beforeAll(async () => {
  mirror = await startMirror();
  dir = await mkdtemp(path.join(os.tmpdir(), 'lockwarden-thin-'));
});
afterAll(async () => mirror.close());

async function cli(base: LockEntry[], head: LockEntry[], format: string): Promise<{ code: number; stdout: string }> {
  const b = path.join(dir, `${format}-base.json`);
  const h = path.join(dir, `${format}-head.json`);
  await writeFile(b, packageLock(base));
  await writeFile(h, packageLock(head));
  let stdout = '';
  const code = await main(['review', b, h, '--registry', mirror.url, '--now', '2026-03-31T02:00:00.000Z', '--format', format], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: () => true },
    env: { LOCKWARDEN_OSV_URL: 'off', HOME: '/nonexistent-home' },
    cwd: dir,
  });
  return { code, stdout };
}

describe('lockwarden review against a thin mirror', () => {
  const base = [
    { name: 'thin-lib', version: '1.0.0' },
    { name: 'full-lib', version: '1.0.0' },
  ];
  const head = [
    { name: 'thin-lib', version: '1.1.0' },
    { name: 'full-lib', version: '1.1.0' },
  ];

  it('JSON: notes, partiallyAnalysed, and a passing conclusion', async () => {
    const { code, stdout } = await cli(base, head, 'json');
    expect(code).toBe(0);
    const r = JSON.parse(stdout) as {
      conclusion: string;
      summary: { analysed: number; partiallyAnalysed: number };
      notes: Array<{ kind: string; signals: string[]; packages: number; reason: string }>;
    };
    expect(r.conclusion).toBe('success');
    expect(r.summary).toMatchObject({ analysed: 1, partiallyAnalysed: 1 });
    const notes = r.notes.filter((n) => n.kind === 'signals-not-evaluated');
    expect(notes.flatMap((n) => n.signals).sort()).toEqual(['maintainers-changed', 'provenance-source-changed', 'publisher-changed', 'trust-downgrade']);
    expect(notes.every((n) => n.packages === 1 && n.reason.length > 0)).toBe(true);
  });

  it('Markdown and text: the headline says what was not checked', async () => {
    const md = (await cli(base, head, 'markdown')).stdout;
    expect(md.split('\n')[0]).toBe(
      '## ✅ lockwarden: No risky dependency changes (2 changes reviewed) · publisher, maintainers and provenance not checked for 1 package: the registry does not publish them',
    );
    expect(md).toContain('1 of 2 changed registry packages analysed against the registry (1 more partially');
    const text = (await cli(base, head, 'text')).stdout;
    expect(text.split('\n')[0]).toContain('PASS No risky dependency changes (2 changes reviewed) · publisher, maintainers and provenance not checked');
  });

  it('version-not-found names the mirror; platform siblings are one Markdown entry; JSON keeps each', async () => {
    const b = PLATFORMS.map((p) => ({ name: binding(p), version: '0.106.0' }));
    const h = PLATFORMS.map((p) => ({ name: binding(p), version: '0.107.0' }));
    const json = await cli(b, h, 'json');
    expect(json.code).toBe(1);
    const r = JSON.parse(json.stdout) as {
      changes: Array<{ name: string; findings: Array<{ signal: string; severity: string; message: string; evidence: Record<string, unknown> }> }>;
    };
    expect(r.changes).toHaveLength(3);
    for (const c of r.changes) {
      const f = c.findings.find((x) => x.signal === 'version-not-found')!;
      expect(f.severity).toBe('high');
      expect(f.evidence['reason']).toBe('partial-mirror');
      expect(f.message).toContain(`the registry at ${mirror.url.replace(/\/$/, '')}`);
    }
    const md = (await cli(b, h, 'markdown')).stdout;
    expect(md).toContain('| 🟠 high | `@oxc-minify/binding-*` (3) | `0.107.0` | version-not-found |');
    expect(md.match(/^### /gm)).toHaveLength(1);
  });
});
