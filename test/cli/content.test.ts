/**
 * The CLI end to end on manifest confusion: `--format json` shows the manifest-mismatch finding read
 * from the tarball, LOCKWARDEN_CACHE_DIR keeps the archives for the next run, `--offline` fetches none.
 */
import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { startArchiveRegistry, type ArchiveRegistry } from '../registry/contents/archive-registry.js';

let reg: ArchiveRegistry;
let dir: string;
let cache: string;
beforeAll(async () => {
  reg = await startArchiveRegistry({
    confused: {
      '1.0.0': {},
      '1.0.1': {
        packageJson: { name: 'confused', version: '1.0.1', scripts: { postinstall: 'node steal.js' } },
        files: [{ path: 'package/steal.js', content: 'x' }],
      },
    },
  });
  dir = await mkdtemp(path.join(os.tmpdir(), 'lockwarden-cli-content-'));
  cache = path.join(dir, 'cache');
  await mkdir(path.join(dir, 'base'));
  await mkdir(path.join(dir, 'head'));
  await writeFile(path.join(dir, 'base', 'package-lock.json'), lock('1.0.0'));
  await writeFile(path.join(dir, 'head', 'package-lock.json'), lock('1.0.1'));
});
afterAll(async () => {
  await Promise.all([reg.close(), rm(dir, { recursive: true, force: true })]);
});

const lock = (v: string): string => reg.packageLock({ confused: v });

async function review(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(
    ['review', 'base/package-lock.json', 'head/package-lock.json', '--format', 'json', '--now', '2024-01-01T00:00:00Z', '--osv', 'off', ...args],
    {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      env: { HOME: '/nonexistent-home', LOCKWARDEN_CACHE_DIR: cache },
      cwd: dir,
    },
  );
  const json = stdout ? (JSON.parse(stdout) as { changes: { findings: { signal: string; severity: string }[] }[] }) : undefined;
  return { code, json, stderr };
}

describe('lockwarden review: package contents', () => {
  it('reports manifest-mismatch as high and fails; the next run reads the archives from LOCKWARDEN_CACHE_DIR', async () => {
    const r = await review(['--registry', reg.url]);
    expect(r.json!.changes[0]!.findings).toContainEqual(expect.objectContaining({ signal: 'manifest-mismatch', severity: 'high' }));
    expect(r.code).toBe(1);
    expect((await readdir(cache)).filter((f) => f.endsWith('.tgz'))).toHaveLength(2);
    const before = reg.tarballRequests().length;
    await review(['--registry', reg.url]);
    expect(reg.tarballRequests().length).toBe(before);
  });

  it('--offline fetches no tarball', async () => {
    const before = reg.server.requests.length;
    const r = await review(['--offline']);
    expect(reg.server.requests.length).toBe(before);
    expect(r.json!.changes[0]!.findings.map((f) => f.signal)).not.toContain('manifest-mismatch');
  });
});
