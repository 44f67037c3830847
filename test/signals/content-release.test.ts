/**
 * The engine's analysis step passes the release context to the detectors (through the worker pool): the
 * same archives (cached across reviews) are high when the registry says the patch came from the same
 * account, and keep their own severity when another registry document says another account published it.
 */
import { ContentPool } from '../../src/core/content-pool.js';
import { contentAnalysisGatherer } from '../../src/core/gatherers/content-analysis.js';
import type { GatherContext, Subject } from '../../src/core/gatherers/index.js';
import type { ArchiveContents, Change, Packument, SignalInput, VersionMeta } from '../../src/model/index.js';
import { DEFAULT_CONTENT_CONFIG } from '../../src/policy/index.js';
import { newCapability } from '../../src/signals/content.js';
import { DEFAULT_SIGNAL_OPTIONS } from '../../src/signals/types.js';
import { archive, manifest, readableModule } from '../content/builders.js';

const lib = readableModule('cfg', 8);
const stealer = `${lib}const rc = require('fs').readFileSync(require('os').homedir() + '/.npmrc', 'utf8');\n`;
const before = archive('p', '1.0.0', { 'package.json': manifest('p', '1.0.0'), 'index.js': "require('./lib/c.js');\n", 'lib/c.js': lib });
const after = archive('p', '1.0.1', { 'package.json': manifest('p', '1.0.1'), 'index.js': "require('./lib/c.js');\n", 'lib/c.js': stealer });

function input(publishers: [string, string]): SignalInput {
  const meta = (version: string, user: string) => ({ version, scripts: {}, manifestName: 'p', npmUser: { name: user } }) as unknown as VersionMeta;
  const packument: Packument = {
    name: 'p',
    versions: new Map([
      ['1.0.0', meta('1.0.0', publishers[0])],
      ['1.0.1', meta('1.0.1', publishers[1])],
    ]),
    distTags: new Map(),
    abbreviated: false,
  };
  const change = {
    ecosystem: 'npm',
    name: 'p',
    from: '1.0.0',
    to: '1.0.1',
    kind: 'upgraded',
    lockfile: 'package-lock.json',
    line: 1,
    direct: true,
    directOf: [''],
    via: [],
    nameInBase: true,
  } as Change;
  const contents = new Map<string, ArchiveContents>([
    ['1.0.1', after],
    ['1.0.0', before],
  ]);
  return { change, packument, now: new Date(), options: DEFAULT_SIGNAL_OPTIONS, provenance: new Map(), wheels: new Map(), contents };
}

const pool = new ContentPool({ size: 1 });
afterAll(() => pool.close());

/** The signal's input after the engine's analysis step ran on it. */
async function analysed(publishers: [string, string]): Promise<SignalInput> {
  const base = input(publishers);
  const subject: Subject = {
    change: base.change,
    key: 'npm:p',
    status: 'read',
    partial: false,
    data: { packument: base.packument, contents: base.contents!, wheels: new Map(), provenance: new Map() },
  };
  const ctx = { content: { ...DEFAULT_CONTENT_CONFIG }, contentAnalyser: pool, read: {}, incomplete: [], notes: [] } as unknown as GatherContext;
  const step = await contentAnalysisGatherer.start([subject], ctx);
  await step(subject);
  expect(ctx.incomplete).toEqual([]);
  return { ...base, contentAnalysis: subject.data.contentAnalysis };
}

describe('new-capability with the release context', () => {
  it('is high for a same-account patch and medium for another account, over the same archive objects', async () => {
    expect(newCapability.run(await analysed(['alice', 'alice'])).map((f) => f.severity)).toEqual(['high']);
    expect(newCapability.run(await analysed(['alice', 'mallory'])).map((f) => f.severity)).toEqual(['medium']);
    expect(newCapability.run(await analysed(['alice', 'alice'])).map((f) => f.severity)).toEqual(['high']);
  });
});
