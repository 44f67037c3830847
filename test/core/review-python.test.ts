/**
 * The review engine on Python requirements against the fixture package index: the index-backed
 * signals end to end (yanked, version-not-found, integrity-mismatch, pth-file-added with and without
 * range support) and the incomplete rules.
 */
import { review } from '../../src/core/review.js';
import { startFixtureIndex } from '../../test-support/fixture-index.js';
import { defaultConfig } from '../../src/policy/index.js';
import { createPypiIndexClient, createPypiIndexConfig, type RegistryClient } from '../../src/registry/index.js';

type Index = Awaited<ReturnType<typeof startFixtureIndex>>;
const NOW = new Date('2026-03-24T14:00:00Z');
// npm is not involved: a client that must never be asked.
const npm: RegistryClient = {
  getPackument: async () => {
    throw new Error('npm registry asked for a Python package');
  },
  getProvenance: async () => null,
  stats: () => ({ requests: 0, packumentRequests: 0, cacheHits: 0, notModified: 0, retries: 0 }),
  review: () => npm,
};

async function run(index: Index, base: string, head: string, file = 'requirements.txt', content = true) {
  const pypi = createPypiIndexClient({ config: createPypiIndexConfig({ indexUrl: index.simpleUrl }), retries: 0, timeoutMs: 2000 });
  const config = defaultConfig();
  config.content.enabled = content;
  return review([{ file, base, head }], { registry: npm, pypi, now: NOW, config });
}
const signalsOf = (r: Awaited<ReturnType<typeof run>>, name: string) => r.changes.find((c) => c.name === name)?.findings ?? [];

describe('Python review against the fixture index', () => {
  let index: Index;
  beforeEach(async () => {
    index = await startFixtureIndex();
  });
  afterEach(async () => {
    await index.close();
  });

  it('reports a yanked release with the publisher’s reason', async () => {
    const r = await run(index, 'ultralytics==8.3.38\n', 'ultralytics==8.3.39\n');
    const y = signalsOf(r, 'ultralytics').find((f) => f.signal === 'yanked');
    expect(y).toMatchObject({ severity: 'medium' });
    expect(y!.message).toContain('Broken ONNX export');
  });

  it('flags a version the index does not have, and a project it does not know', async () => {
    const r = await run(index, 'litellm==1.82.6\n', 'litellm==1.82.99\nno-such-project-here==1.0\n');
    expect(signalsOf(r, 'litellm').map((f) => f.signal)).toContain('version-not-found');
    expect(signalsOf(r, 'no-such-project-here').map((f) => f.signal)).toContain('version-not-found');
    expect(r.incomplete).toEqual([]);
  });

  it('flags a hash the index does not publish for that version, even next to a good one', async () => {
    const r0 = await run(index, 'litellm==1.82.5\n', 'litellm==1.82.6\n');
    expect(signalsOf(r0, 'litellm').map((f) => f.signal)).not.toContain('integrity-mismatch');
    const project = index.projects.get('litellm')!;
    const rel = project.releases.find((x) => x.version === '1.82.6')!;
    const real = rel.files[0]!.sha256;
    const head = `litellm==1.82.6 --hash=sha256:${real} --hash=sha256:${'e'.repeat(64)}\n`;
    const r = await run(index, 'litellm==1.82.5\n', head);
    const f = signalsOf(r, 'litellm').find((x) => x.signal === 'integrity-mismatch');
    expect(f).toMatchObject({ severity: 'critical' });
    expect(f!.evidence['foreignHashes']).toEqual([{ file: null, digest: 'e'.repeat(64), indexDigest: null }]);
    expect(r.conclusion).toBe('failure');
  });

  it('finds the .pth whether or not the server honours ranges, reading only the tail when it does', async () => {
    // content analysis off: it reads these small wheels whole (test/core/review-python-contents.test.ts)
    const ranged = await run(index, 'litellm==1.82.6\n', 'litellm==1.82.8\n', 'requirements.txt', false);
    expect(signalsOf(ranged, 'litellm').find((f) => f.signal === 'pth-file-added')?.severity).toBe('critical');
    const wheelReads = index.requests.filter((q) => q.path.endsWith('.whl'));
    expect(wheelReads.length).toBe(2);
    for (const q of wheelReads) {
      expect(q.status).toBe(206);
      expect(q.bytes).toBeLessThan(index.fileByPath(q.path)!.bytes.length / 4);
    }
    index.ignoreRange = true;
    const whole = await run(index, 'litellm==1.82.6\n', 'litellm==1.82.8\n', 'requirements.txt', false);
    expect(signalsOf(whole, 'litellm').find((f) => f.signal === 'pth-file-added')?.severity).toBe('critical');
    expect(index.requests.filter((q) => q.path.endsWith('.whl') && q.status === 200).length).toBe(2);
  });

  it('an index that fails makes the review incomplete (neutral), never a pass', async () => {
    const failing = await startFixtureIndex({ failNames: new Map([['litellm', 503]]) });
    try {
      const r = await run(failing, 'litellm==1.82.5\n', 'litellm==1.82.6\n');
      expect(r.incomplete.map((i) => i.name)).toEqual(['litellm']);
      expect(r.conclusion).toBe('neutral');
      expect(r.summary.analysed).toBe(0);
    } finally {
      await failing.close();
    }
  });

  it('asks for each project’s two documents once per review, however many lockfiles name it', async () => {
    const pypi = createPypiIndexClient({ config: createPypiIndexConfig({ indexUrl: index.simpleUrl }) });
    const r = await review(
      [
        { file: 'a/requirements.txt', base: 'litellm==1.82.5\n', head: 'litellm==1.82.6\n' },
        { file: 'b/requirements.txt', base: 'litellm==1.82.5\n', head: 'litellm==1.82.6\n' },
      ],
      { registry: npm, pypi, now: NOW, config: defaultConfig() },
    );
    expect(r.changes).toHaveLength(2);
    const docs = index.requests.filter((q) => q.path.startsWith('/pypi/') || q.path.startsWith('/simple/'));
    expect(docs.map((q) => q.path.split('/')[1]).sort()).toEqual(['pypi', 'simple']);
  });
});
