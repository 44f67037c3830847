/**
 * The review reads archives without waiting for every registry document: an upgrade's two archives
 * are read ahead while its own document is on its way, and a change goes on to its archives as soon as
 * its document is in, whatever another change's slow document does. Names over the cap read nothing.
 */
import { review, type LockfileInput } from '../../src/core/review.js';
import { defaultConfig } from '../../src/policy/index.js';
import { createNpmRegistryClient } from '../../src/registry/npm.js';
import { createNpmRegistryConfig } from '../../src/registry/npmrc.js';
import { startArchiveRegistry, type ArchiveRegistry } from '../registry/contents/archive-registry.js';

const NOW = new Date('2024-01-01T00:00:00Z');
let reg: ArchiveRegistry;
/** What the registry saw and did, in order. */
let events: string[];

beforeAll(async () => {
  reg = await startArchiveRegistry({
    bumped: { '1.0.0': {}, '1.0.1': {} },
    fresh: { '2.0.0': {}, '2.1.0': {} },
    slow: { '1.0.0': {} },
  });
  const handler = reg.server.handler;
  // the documents of `bumped` and `slow` take their time
  const delays: Record<string, number> = { '/bumped': 300, '/slow': 800 };
  reg.server.handler = (req, res, seen) => {
    events.push(`asked ${seen.path}`);
    const delay = delays[seen.path];
    if (delay === undefined) return handler(req, res, seen);
    setTimeout(() => {
      events.push(`answered ${seen.path}`);
      void handler(req, res, seen);
    }, delay);
  };
});
beforeEach(() => {
  events = [];
});
afterAll(() => reg.close());

const inputs = (base: Record<string, string>, head: Record<string, string>): LockfileInput[] => [
  { file: 'package-lock.json', base: reg.packageLock(base), head: reg.packageLock(head) },
];
const run = (i: LockfileInput[], maxChanges?: number) =>
  review(i, {
    registry: createNpmRegistryClient({ config: createNpmRegistryConfig({ registry: reg.url }), retries: 0 }),
    now: NOW,
    config: defaultConfig(),
    ...(maxChanges !== undefined ? { maxChanges } : {}),
  });
const at = (e: string) => {
  const i = events.indexOf(e);
  if (i < 0) throw new Error(`never happened: ${e} (${events.join(', ')})`);
  return i;
};

describe('archives read without waiting for every document', () => {
  it("reads an upgrade's two archives ahead, while its document is on its way, and only once", async () => {
    const r = await run(inputs({ bumped: '1.0.0' }, { bumped: '1.0.1' }));
    expect(at('asked /bumped/-/bumped-1.0.1.tgz')).toBeLessThan(at('answered /bumped'));
    expect(at('asked /bumped/-/bumped-1.0.0.tgz')).toBeLessThan(at('answered /bumped'));
    expect(events.filter((e) => e.endsWith('.tgz')).sort()).toEqual(['asked /bumped/-/bumped-1.0.0.tgz', 'asked /bumped/-/bumped-1.0.1.tgz']);
    expect(r.notes.filter((n) => n.kind === 'content-not-analysed')).toEqual([]);
  });

  it("goes on to a change's archives once its own document is in, not when the slowest one is", async () => {
    // fresh@2.1.0 is added: the version it is compared with (2.0.0) is known from its document only
    const r = await run(inputs({}, { fresh: '2.1.0', slow: '1.0.0' }));
    expect(at('asked /fresh/-/fresh-2.0.0.tgz')).toBeLessThan(at('answered /slow'));
    expect(r.notes.filter((n) => n.kind === 'content-not-analysed')).toEqual([]);
  });

  it('reads no archive of a name over the cap', async () => {
    await run(inputs({ bumped: '1.0.0', fresh: '2.0.0' }, { bumped: '1.0.1', fresh: '2.1.0' }), 1);
    const names = new Set(events.filter((e) => e.endsWith('.tgz')).map((e) => e.split('/')[1]));
    const documents = events.filter((e) => /^asked \/[a-z]+$/.test(e)).map((e) => e.slice('asked /'.length));
    expect(documents).toHaveLength(1);
    expect([...names]).toEqual(documents);
  });
});
