/**
 * The engine's content gathering: both archives of an upgrade, manifest confusion found, integrity
 * mismatches failing closed with a content-not-analysed note, nothing fetched offline or when off,
 * and a repeated review downloading nothing.
 */
import { review, type LockfileInput } from '../../src/core/review.js';
import { defaultConfig, parseConfig, type Config } from '../../src/policy/index.js';
import { createNpmRegistryClient } from '../../src/registry/npm.js';
import { createNpmRegistryConfig } from '../../src/registry/npmrc.js';
import { startServer } from '../registry/server.js';
import { sri, startArchiveRegistry, type ArchiveRegistry } from '../registry/contents/archive-registry.js';

const NOW = new Date('2024-01-01T00:00:00Z');
let reg: ArchiveRegistry;

beforeAll(async () => {
  reg = await startArchiveRegistry({
    confused: {
      '1.0.0': {},
      '1.0.1': {
        packageJson: { name: 'confused', version: '1.0.1', scripts: { postinstall: 'node steal.js' } },
        files: [{ path: 'package/steal.js', content: 'x' }],
      },
    },
    honest: { '2.0.0': { manifest: { dependencies: { a: '^1.0.0' } } }, '2.1.0': { manifest: { dependencies: { a: '^1.0.0' } } } },
    tampered: { '1.0.0': {}, '1.1.0': {} },
    cdn: { '1.0.0': { tarballOrigin: 'http://127.0.0.1:9/' } },
  });
});
afterAll(() => reg.close());

const inputs = (base: Record<string, string>, head: Record<string, string>, integrity?: Record<string, string>): LockfileInput[] => [
  { file: 'package-lock.json', base: reg.packageLock(base), head: reg.packageLock(head, integrity) },
];

const client = () => createNpmRegistryClient({ config: createNpmRegistryConfig({ registry: reg.url }), retries: 0 });
const run = (i: LockfileInput[], config: Config = defaultConfig(), registry = client()) => review(i, { registry, now: NOW, config });

describe('content gathering in the review', () => {
  it('finds manifest confusion: the registry shows no script, the tarball runs a postinstall', async () => {
    const r = await run(inputs({ confused: '1.0.0' }, { confused: '1.0.1' }));
    const findings = r.changes.flatMap((c) => c.findings);
    expect(findings).toContainEqual(
      expect.objectContaining({ signal: 'manifest-mismatch', severity: 'high', evidence: expect.objectContaining({ field: 'scripts' }) }),
    );
    expect(r.conclusion).toBe('failure');
  });

  it('reads both archives of an upgrade, and a repeated review downloads nothing', async () => {
    const registry = client();
    const before = reg.tarballRequests().length;
    const first = await run(inputs({ honest: '2.0.0' }, { honest: '2.1.0' }), defaultConfig(), registry);
    expect(reg.tarballRequests().slice(before).sort()).toEqual(['/honest/-/honest-2.0.0.tgz', '/honest/-/honest-2.1.0.tgz']);
    expect(first.changes.flatMap((c) => c.findings).filter((f) => f.signal === 'manifest-mismatch')).toEqual([]);
    await run(inputs({ honest: '2.0.0' }, { honest: '2.1.0' }), defaultConfig(), registry.review());
    expect(reg.tarballRequests().length).toBe(before + 2);
  });

  it("fails closed with a content-not-analysed note when the lockfile's integrity is not the archive's", async () => {
    const r = await run(inputs({ tampered: '1.0.0' }, { tampered: '1.1.0' }, { tampered: sri(Buffer.from('forged')) }));
    expect(r.incomplete).toContainEqual(
      expect.objectContaining({ name: 'tampered', version: '1.1.0', failClosed: true, reason: expect.stringMatching(/integrity mismatch/) }),
    );
    expect(r.notes).toContainEqual(expect.objectContaining({ kind: 'content-not-analysed', package: 'tampered', version: '1.1.0' }));
    expect(r.conclusion).toBe('failure');
  });

  it('a dist.tarball on another origin is a content-not-analysed note, not fetched, not incomplete', async () => {
    const r = await run([{ file: 'package-lock.json', base: reg.packageLock({}), head: reg.packageLock({ cdn: '1.0.0' }) }]);
    expect(r.notes).toContainEqual(expect.objectContaining({ kind: 'content-not-analysed', package: 'cdn', reason: expect.stringMatching(/another origin/) }));
    expect(r.incomplete).toEqual([]);
  });

  it('fetches no archive offline, nor with content.enabled false', async () => {
    const before = reg.tarballRequests().length;
    await review(inputs({ confused: '1.0.0' }, { confused: '1.0.1' }), { registry: null, now: NOW, config: defaultConfig() });
    const off = await run(inputs({ confused: '1.0.0' }, { confused: '1.0.1' }), parseConfig('content:\n  enabled: false\n'));
    expect(reg.tarballRequests().length).toBe(before);
    expect(off.changes.flatMap((c) => c.findings).filter((f) => f.signal === 'manifest-mismatch')).toEqual([]);
  });

  it('an archive over the time budget is a content-not-analysed note and incomplete, not a failure', async () => {
    const tgzUrl = (origin: string) => `${origin}slow/-/slow-1.0.0.tgz`;
    const slow = await startServer((req, res) => {
      if (req.url?.endsWith('.tgz')) return; // never answers
      const dist = { tarball: tgzUrl(slow.url), integrity: sri(Buffer.from('x')) };
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ name: 'slow', versions: { '1.0.0': { name: 'slow', version: '1.0.0', dist } }, time: { '1.0.0': '2020-01-01T00:00:00Z' } }));
    });
    try {
      const head = JSON.stringify({
        lockfileVersion: 3,
        packages: {
          '': { dependencies: { slow: '*' } },
          'node_modules/slow': { version: '1.0.0', resolved: tgzUrl(slow.url), integrity: sri(Buffer.from('x')) },
        },
      });
      const base = JSON.stringify({ lockfileVersion: 3, packages: { '': {} } });
      const registry = createNpmRegistryClient({ config: createNpmRegistryConfig({ registry: slow.url }), retries: 0 });
      const r = await review([{ file: 'package-lock.json', base, head }], { registry, now: NOW, config: parseConfig('content:\n  timeBudget: 300ms\n') });
      expect(r.notes).toContainEqual(
        expect.objectContaining({ kind: 'content-not-analysed', package: 'slow', reason: 'over the content time budget (300 ms)' }),
      );
      expect(r.incomplete).toContainEqual(expect.objectContaining({ name: 'slow', reason: expect.stringMatching(/time budget/) }));
      expect(r.incomplete.find((i) => i.name === 'slow')!.failClosed).toBeUndefined();
    } finally {
      await slow.close();
    }
  });
});
