/**
 * The content-analysis worker pool (src/core/content-pool.ts): threads run the same detectors as the
 * in-process call; a task over its time budget or its heap limit ends its thread, comes back not
 * analysed and a new thread takes the next task; a review's cut and the pool's shutdown end tasks too.
 * Run from the sources, the pool's worker is the compiled one (dist/core): `npm test` builds first.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContentPool } from '../../src/core/content-pool.js';
import { analyseContents } from '../../src/content/index.js';
import { archive, manifest, obfuscatedIife, readableModule } from '../content/builders.js';
import { heavyArchive } from './content-heavy.js';

const INDEX = readableModule('style', 30);
const HOOK = `${obfuscatedIife(['fetch', 'XMLHttpRequest', 'ethereum'])}window.fetch=function(){};\n`;
const before = archive('colors-lib', '5.6.0', { 'package.json': manifest('colors-lib', '5.6.0'), 'index.js': INDEX, 'README.md': '# colors\n' });
const after = archive('colors-lib', '5.6.1', {
  'package.json': manifest('colors-lib', '5.6.1'),
  'index.js': INDEX + HOOK,
  // a lone surrogate cannot travel as UTF-8: the pool must still hand over the exact text
  'lib/odd.js': `module.exports = "\ud800" + require("child_process").execSync("id");\n`,
  'bin/tool': { binary: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), executable: true },
});

let pool: ContentPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('the content-analysis pool', () => {
  it('finds in a worker exactly what the in-process analysis finds', async () => {
    pool = new ContentPool({ size: 2 });
    const r = await pool.analyse({ previous: before, next: after, budgetMs: 30_000 });
    const local = analyseContents(before, after);
    expect(local.findings.length).toBeGreaterThan(0);
    expect(r).toEqual({ ok: true, analysis: local });
    const fresh = await pool.analyse({ previous: null, next: after, budgetMs: 30_000 });
    expect(fresh).toEqual({ ok: true, analysis: analyseContents(null, after) });
  });

  it('runs at most `size` threads, reusing them for queued tasks', async () => {
    pool = new ContentPool({ size: 1 });
    const all = await Promise.all([1, 2, 3].map(() => pool!.analyse({ previous: before, next: after, budgetMs: 30_000 })));
    expect(all.every((r) => r.ok)).toBe(true);
    expect(pool.started).toBe(1);
    expect(pool.threads).toBe(1);
  });

  it('ends a thread over the time budget: not analysed, and a new thread takes the next task', async () => {
    pool = new ContentPool({ size: 1 });
    const t = Date.now();
    const r = await pool.analyse({ previous: heavyArchive('soup', '1.0.0', 1), next: heavyArchive('soup', '1.0.1', 2), budgetMs: 50 });
    expect(r).toEqual({ ok: false, reason: 'analysis over the content time budget (50 ms)' });
    // the thread was ended, not waited for (the analysis itself takes about a second)
    expect(Date.now() - t).toBeLessThan(5_000);
    expect(pool.threads).toBe(0);
    const next = await pool.analyse({ previous: before, next: after, budgetMs: 30_000 });
    expect(next.ok).toBe(true);
    expect(pool.started).toBe(2);
  });

  it('ends a thread out of heap: not analysed, the process unharmed, a new thread takes the next task', async () => {
    pool = new ContentPool({ size: 1, memoryMb: 16 });
    // 16 MiB of kept text cannot fit a 16 MB heap
    const r = await pool.analyse({ previous: heavyArchive('soup', '1.0.0', 1), next: heavyArchive('soup', '1.0.1', 2), budgetMs: 60_000 });
    expect(r).toEqual({ ok: false, reason: 'analysis ran out of memory (16 MB heap limit)' });
    const next = await pool.analyse({ previous: before, next: after, budgetMs: 30_000 });
    expect(next.ok).toBe(true);
    expect(pool.started).toBe(2);
  });

  it("the review's deadline ends a running task and empties the queue", async () => {
    pool = new ContentPool({ size: 1 });
    const cut = new AbortController();
    const heavy = { previous: heavyArchive('soup', '1.0.0', 1), next: heavyArchive('soup', '1.0.1', 2), budgetMs: 60_000, signal: cut.signal };
    const running = pool.analyse(heavy);
    const queued = pool.analyse({ previous: before, next: after, budgetMs: 60_000, signal: cut.signal });
    setTimeout(() => cut.abort(new DOMException('deadline', 'TimeoutError')), 200);
    const reason = 'the review deadline passed before the analysis finished';
    expect(await running).toEqual({ ok: false, reason });
    expect(await queued).toEqual({ ok: false, reason });
    expect(pool.threads).toBe(0);
  });

  it('shuts down: every thread ends, pending tasks come back not analysed, later ones are refused', async () => {
    pool = new ContentPool({ size: 1 });
    const running = pool.analyse({ previous: heavyArchive('soup', '1.0.0', 1), next: heavyArchive('soup', '1.0.1', 2), budgetMs: 60_000 });
    const queued = pool.analyse({ previous: before, next: after, budgetMs: 60_000 });
    await new Promise((r) => setTimeout(r, 100));
    expect(pool.threads).toBe(1);
    await pool.close();
    expect(pool.threads).toBe(0);
    expect(await running).toEqual({ ok: false, reason: 'the analysis pool was shut down' });
    expect(await queued).toEqual({ ok: false, reason: 'the analysis pool was shut down' });
    expect(await pool.analyse({ previous: before, next: after, budgetMs: 1_000 })).toEqual({ ok: false, reason: 'the analysis pool is shut down' });
  });

  it('an idle thread ends by itself', async () => {
    pool = new ContentPool({ size: 1, idleMs: 50 });
    expect((await pool.analyse({ previous: before, next: after, budgetMs: 30_000 })).ok).toBe(true);
    expect(pool.threads).toBe(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(pool.threads).toBe(0);
  });

  it('starts its threads from a process run as `node --input-type=module -e` (a flag a worker refuses), and with --expose-gc', async () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    const script = [
      `const { ContentPool } = await import(${JSON.stringify(path.join(root, 'dist/core/content-pool.js'))});`,
      'const pool = new ContentPool({ size: 1 });',
      "const a = (v) => ({ ecosystem: 'npm', name: 'x', version: v, integrity: 'sha512-' + v, files: [{ path: 'index.js', size: 3, sha256: v.repeat(64), kind: 'text', text: 'x=' + v }], skipped: [], bytes: { compressed: 0, unpacked: 3 } });",
      "const r = await pool.analyse({ previous: a('1'), next: a('2'), budgetMs: 30000 });",
      'await pool.close();',
      'process.stdout.write(JSON.stringify(r.ok ? true : r.reason));',
    ].join('\n');
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, NODE_OPTIONS: '' } }, (e, stdout) =>
        e ? reject(e) : resolve(stdout),
      ),
    );
    expect(JSON.parse(out)).toBe(true);
  });
});
