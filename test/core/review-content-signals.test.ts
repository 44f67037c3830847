/**
 * The content signals through the whole review: a same-account patch release whose only change is an
 * obfuscated hook appended to its readable entry point (chalk/debug, September 2025: no install script,
 * no new dependency, old enough to pass a cooldown) fails the review with the file named and the excerpt
 * shown; an honest patch release of the same package does not; offline nothing is read.
 */
import { review, type LockfileInput } from '../../src/core/review.js';
import { defaultConfig, parseConfig } from '../../src/policy/index.js';
import { createNpmRegistryClient } from '../../src/registry/npm.js';
import { createNpmRegistryConfig } from '../../src/registry/npmrc.js';
import { render } from '../../src/report/index.js';
import { manifest, obfuscatedIife, readableModule } from '../content/builders.js';
import { startArchiveRegistry, type ArchiveRegistry } from '../registry/contents/archive-registry.js';

const NOW = new Date('2024-01-01T00:00:00Z');
const INDEX = readableModule('style', 30);
const HOOK = `${obfuscatedIife(['fetch', 'XMLHttpRequest', 'ethereum', 'request'])}if(typeof window!=='undefined'){const f=window.fetch;window.fetch=function(){return f.apply(this,arguments)};XMLHttpRequest.prototype.open=function(){};if(window.ethereum){window.ethereum.request=function(){}}}\n`;

let reg: ArchiveRegistry;

beforeAll(async () => {
  const version = (v: string, index: string) => ({
    manifest: { main: 'index.js' },
    packageJson: JSON.parse(manifest('colors-lib', v)),
    files: [{ path: 'package/index.js', content: index }],
  });
  reg = await startArchiveRegistry({
    'colors-lib': {
      '5.6.0': version('5.6.0', INDEX),
      '5.6.1': version('5.6.1', INDEX + HOOK),
      '5.6.2': version('5.6.2', INDEX.replace('trim()', 'trimEnd()')),
    },
  });
});
afterAll(() => reg.close());

const lock = (v: string): string => reg.packageLock({ 'colors-lib': v });
const bump = (to: string): LockfileInput[] => [{ file: 'package-lock.json', base: lock('5.6.0'), head: lock(to) }];
const registry = () => createNpmRegistryClient({ config: createNpmRegistryConfig({ registry: reg.url }), retries: 0 });

describe('content signals in the review', () => {
  it('fails a patch release that appends an obfuscated fetch/wallet hook to its entry point, naming the file', async () => {
    const r = await review(bump('5.6.1'), { registry: registry(), now: NOW, config: defaultConfig() });
    const findings = r.changes.flatMap((c) => c.findings);
    const obfuscated = findings.find((f) => f.signal === 'obfuscated-code');
    expect(obfuscated).toMatchObject({
      severity: 'critical',
      evidence: expect.objectContaining({ file: 'index.js', comparedWith: '5.6.0', version: '5.6.1' }),
    });
    expect(findings.map((f) => f.signal)).toContain('new-capability');
    expect(r.conclusion).toBe('failure');
    const md = render(r, 'markdown');
    expect(md).toContain('index.js line');
    expect(md).toContain('_0x');
  });

  it('passes an honest patch release of the same package', async () => {
    const r = await review(bump('5.6.2'), { registry: registry(), now: NOW, config: defaultConfig() });
    const content = r.changes
      .flatMap((c) => c.findings)
      .filter((f) => ['obfuscated-code', 'new-capability', 'new-executable', 'install-script-payload'].includes(f.signal));
    expect(content).toEqual([]);
    expect(r.conclusion).toBe('success');
  });

  it('reads no archive when content is off, and the signals then report nothing', async () => {
    const before = reg.tarballRequests().length;
    const r = await review(bump('5.6.1'), { registry: registry(), now: NOW, config: parseConfig('content:\n  enabled: false\n') });
    expect(reg.tarballRequests().length).toBe(before);
    expect(r.changes.flatMap((c) => c.findings).map((f) => f.signal)).not.toContain('obfuscated-code');
  });
});
