/**
 * The engine's content analysis step: each change is analysed in the worker pool as soon as its archives
 * are read, the archives' texts are dropped then (the review never holds every archive), and an
 * analysis the archive makes too slow or too big fails the check closed with a content-not-analysed note.
 */
import { gzipSync } from 'node:zlib';
import { ReviewClients } from '../../src/core/clients.js';
import { ContentPool } from '../../src/core/content-pool.js';
import { gather } from '../../src/core/gather.js';
import { diffInputs, review, type LockfileInput } from '../../src/core/review.js';
import type { GatherContext } from '../../src/core/gatherers/index.js';
import { defaultConfig, parseConfig } from '../../src/policy/index.js';
import { createNpmRegistryClient } from '../../src/registry/npm.js';
import { createNpmRegistryConfig } from '../../src/registry/npmrc.js';
import { createTar } from '../../test-support/tarball.js';
import { manifest, obfuscatedIife, readableModule } from '../content/builders.js';
import { startArchiveRegistry, type ArchiveRegistry } from '../registry/contents/archive-registry.js';
import { heavyMembers } from './content-heavy.js';

const NOW = new Date('2024-01-01T00:00:00Z');
const INDEX = readableModule('style', 30);
const HOOK = `${obfuscatedIife(['fetch', 'XMLHttpRequest', 'ethereum'])}window.fetch=function(){};\n`;

/** A real gzip (the test-support writer stores): 8 MiB of literals download as a few hundred KB. */
function heavyTgz(name: string, version: string, seed: number, files = 4): Buffer {
  return gzipSync(createTar(Object.entries(heavyMembers(name, version, seed, files)).map(([p, content]) => ({ path: `package/${p}`, content }))));
}

let reg: ArchiveRegistry;
beforeAll(async () => {
  reg = await startArchiveRegistry({
    'colors-lib': {
      '5.6.0': {
        manifest: { main: 'index.js' },
        packageJson: JSON.parse(manifest('colors-lib', '5.6.0')),
        files: [{ path: 'package/index.js', content: INDEX }],
      },
      '5.6.1': {
        manifest: { main: 'index.js' },
        packageJson: JSON.parse(manifest('colors-lib', '5.6.1')),
        files: [{ path: 'package/index.js', content: INDEX + HOOK }],
      },
    },
    // 16 MiB of text to analyse: more than a 16 MB heap holds
    soup: { '1.0.0': { tgz: heavyTgz('soup', '1.0.0', 1) }, '1.0.1': { tgz: heavyTgz('soup', '1.0.1', 2) } },
    // 4 MiB: well within the default budget, far over 100 ms
    broth: { '1.0.0': { tgz: heavyTgz('broth', '1.0.0', 3, 1) }, '1.0.1': { tgz: heavyTgz('broth', '1.0.1', 4, 1) } },
  });
});
afterAll(() => reg.close());

const bump = (from: Record<string, string>, to: Record<string, string>): LockfileInput[] => [
  { file: 'package-lock.json', base: reg.packageLock(from), head: reg.packageLock(to) },
];
const client = () => createNpmRegistryClient({ config: createNpmRegistryConfig({ registry: reg.url }), retries: 0 });

describe('content analysis in the review', () => {
  it('analyses each change once its archives are read, then keeps only what signals still read', async () => {
    const pool = new ContentPool();
    try {
      const config = defaultConfig();
      const baseOrigins = new Map<string, Set<string>>();
      const changes = diffInputs(bump({ 'colors-lib': '5.6.0', soup: '1.0.0' }, { 'colors-lib': '5.6.1', soup: '1.0.1' }), [], baseOrigins);
      const ctx: GatherContext = {
        clients: new ReviewClients(client(), null),
        read: {},
        maxChanges: 100,
        baseOrigins,
        allowedOrigins: [],
        incomplete: [],
        documents: new Map(),
        content: config.content,
        contentAnalyser: pool,
        notes: [],
      };
      const subjects = await gather(changes, new Set(['content-analysis']), ctx);
      expect(ctx.incomplete).toEqual([]);
      const colors = subjects.find((s) => s.change.name === 'colors-lib')!;
      expect(colors.data.contentAnalysis).toMatchObject({ version: '5.6.1', comparedWith: '5.6.0' });
      expect(colors.data.contentAnalysis!.findings.map((f) => f.signal)).toContain('obfuscated-code');
      for (const s of subjects) {
        expect([...s.data.contents!.keys()].sort()).toEqual([s.change.from, s.change.to].sort());
        for (const archive of s.data.contents!.values()) {
          // the file lists stay (manifest-mismatch reads them), the texts are gone but package.json's
          expect(archive.files.length).toBeGreaterThan(1);
          expect(archive.files.filter((f) => f.text !== undefined).map((f) => f.path)).toEqual(['package.json']);
        }
      }
    } finally {
      await pool.close();
    }
  });

  it('an analysis over the time budget fails the check closed with a content-not-analysed note', async () => {
    const registry = client();
    const inputs = bump({ broth: '1.0.0' }, { broth: '1.0.1' });
    // first with the default budget: analysed in full, and the archives land in the client's cache
    const ok = await review(inputs, { registry: registry.review(), now: NOW, config: defaultConfig() });
    expect(ok.incomplete).toEqual([]);
    expect(ok.notes.filter((n) => n.kind === 'content-not-analysed' && /analysis/.test(n.message))).toEqual([]);
    // then from the cache (no download in the budget): the same analysis cannot finish in 100 ms
    const r = await review(inputs, { registry: registry.review(), now: NOW, config: parseConfig('content:\n  timeBudget: 100ms\n') });
    const reason = 'analysis over the content time budget (100 ms)';
    expect(r.incomplete).toEqual([expect.objectContaining({ name: 'broth', version: '1.0.1', reason: `content not analysed: ${reason}`, failClosed: true })]);
    expect(r.notes).toContainEqual(expect.objectContaining({ kind: 'content-not-analysed', package: 'broth', version: '1.0.1', reason }));
    expect(r.conclusion).toBe('failure');
  });

  it('an analysis out of heap fails the check closed; the other changes are still analysed', async () => {
    const pool = new ContentPool({ memoryMb: 16 });
    try {
      const inputs = bump({ 'colors-lib': '5.6.0', soup: '1.0.0' }, { 'colors-lib': '5.6.1', soup: '1.0.1' });
      const r = await review(inputs, { registry: client(), now: NOW, config: defaultConfig(), contentAnalyser: pool });
      const reason = 'analysis ran out of memory (16 MB heap limit)';
      expect(r.incomplete).toEqual([expect.objectContaining({ name: 'soup', reason: `content not analysed: ${reason}`, failClosed: true })]);
      expect(r.notes).toContainEqual(expect.objectContaining({ kind: 'content-not-analysed', package: 'soup', reason }));
      const colors = r.changes.find((c) => c.name === 'colors-lib')!;
      expect(colors.findings.map((f) => f.signal)).toContain('obfuscated-code');
      expect(r.conclusion).toBe('failure');
    } finally {
      await pool.close();
    }
  });

  it('an analysis pool that throws (a thread that cannot start) fails the check closed, the review still ends', async () => {
    const broken = { analyse: () => Promise.reject(new Error('thread refused to start')), close: async () => undefined };
    const r = await review(bump({ 'colors-lib': '5.6.0' }, { 'colors-lib': '5.6.1' }), {
      registry: client(),
      now: NOW,
      config: defaultConfig(),
      contentAnalyser: broken,
    });
    expect(r.incomplete).toContainEqual(
      expect.objectContaining({ name: 'colors-lib', failClosed: true, reason: expect.stringMatching(/internal error: thread refused to start/) }),
    );
    expect(r.conclusion).toBe('failure');
  });
});
