/**
 * The CLI's content-analysis pool: the built binary exits as soon as its review is written (the pool is
 * shut down), and LOCKWARDEN_CONTENT_WORKER_MB bounds each analysis thread — an archive whose analysis
 * does not fit fails the review closed, saying why.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createTar } from '../../test-support/tarball.js';
import { manifest, obfuscatedIife, readableModule } from '../content/builders.js';
import { heavyMembers } from '../core/content-heavy.js';
import { startArchiveRegistry, type ArchiveRegistry } from '../registry/contents/archive-registry.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const bin = path.join(root, 'dist', 'cli', 'bin.js');
const INDEX = readableModule('style', 30);

let reg: ArchiveRegistry;
let dir: string;
beforeAll(async () => {
  const tgz = (v: string, seed: number) =>
    gzipSync(createTar(Object.entries(heavyMembers('soup', v, seed)).map(([p, content]) => ({ path: `package/${p}`, content }))));
  reg = await startArchiveRegistry({
    'colors-lib': {
      '5.6.0': { packageJson: JSON.parse(manifest('colors-lib', '5.6.0')), files: [{ path: 'package/index.js', content: INDEX }] },
      '5.6.1': {
        packageJson: JSON.parse(manifest('colors-lib', '5.6.1')),
        files: [{ path: 'package/index.js', content: `${INDEX}${obfuscatedIife(['fetch'])}\n` }],
      },
    },
    soup: { '1.0.0': { tgz: tgz('1.0.0', 1) }, '1.0.1': { tgz: tgz('1.0.1', 2) } },
  });
  dir = await mkdtemp(path.join(os.tmpdir(), 'lw-pool-'));
});
afterAll(async () => {
  await reg.close();
  await rm(dir, { recursive: true, force: true });
});

async function lockfiles(name: string, from: string, to: string): Promise<[string, string]> {
  const lock = (v: string) =>
    JSON.stringify({
      name: 'app',
      lockfileVersion: 3,
      packages: {
        '': { name: 'app', dependencies: { [name]: '*' } },
        [`node_modules/${name}`]: { version: v, resolved: `${reg.url}${name}/-/${name}-${v}.tgz`, integrity: reg.integrity(name, v) },
      },
    });
  const out: string[] = [];
  for (const [side, v] of [
    ['base', from],
    ['head', to],
  ] as const) {
    await mkdir(path.join(dir, name, side), { recursive: true });
    const file = path.join(dir, name, side, 'package-lock.json');
    await writeFile(file, lock(v));
    out.push(file);
  }
  return out as [string, string];
}

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const t = Date.now();
  return new Promise((resolve) => {
    execFile('node', [bin, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (e, stdout, stderr) =>
      resolve({ code: e ? ((e as { code?: number }).code ?? -1) : 0, stdout, stderr, ms: Date.now() - t }),
    );
  });
}

describe('the CLI and its analysis pool', () => {
  it('exits once the review is written: no analysis thread keeps it alive', async () => {
    const [base, head] = await lockfiles('colors-lib', '5.6.0', '5.6.1');
    const r = await cli(['review', base, head, '--registry', reg.url, '--format', 'json']);
    const report = JSON.parse(r.stdout);
    expect(report.changes[0].findings.map((f: { signal: string }) => f.signal)).toContain('obfuscated-code');
    expect(r.code).toBe(1);
    // an idle thread left running would hold the process for the pool's idle time (10 s)
    expect(r.ms).toBeLessThan(8_000);
  });

  it('LOCKWARDEN_CONTENT_WORKER_MB bounds each thread: an analysis that does not fit fails the review closed', async () => {
    const [base, head] = await lockfiles('soup', '1.0.0', '1.0.1');
    const r = await cli(['review', base, head, '--registry', reg.url, '--format', 'json'], { LOCKWARDEN_CONTENT_WORKER_MB: '16' });
    const report = JSON.parse(r.stdout);
    expect(report.conclusion).toBe('failure');
    expect(report.incomplete).toContainEqual(
      expect.objectContaining({ name: 'soup', reason: 'content not analysed: analysis ran out of memory (16 MB heap limit)', failClosed: true }),
    );
    expect(r.code).toBe(1);
  });

  it('refuses an invalid pool setting', async () => {
    const [base, head] = await lockfiles('colors-lib', '5.6.0', '5.6.1');
    const r = await cli(['review', base, head, '--registry', reg.url], { LOCKWARDEN_CONTENT_WORKERS: 'many' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("LOCKWARDEN_CONTENT_WORKERS must be a whole number from 1 to 64, got 'many'");
  });
});
