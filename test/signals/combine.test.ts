import type { Finding } from '../../src/model/index.js';
import { addedDependencies, combine, possibleTakeover } from '../../src/signals/combine.js';
import { by, change, daysAgo, hoursAgo, input, packument, ver } from './builders.js';
import { runSignals } from '../../src/signals/index.js';

const f = (signal: string, evidence: Record<string, unknown> = {}): Finding => ({ signal, severity: 'low', message: signal, evidence });

const p = packument('pkg', [
  ver('1.0.0', daysAgo(60), { dependencies: { a: '^1.0.0' } }),
  ver('1.0.1', daysAgo(1), { dependencies: { a: '^1.0.0', b: '^2.0.0' } }),
]);
const c = change({ name: 'pkg', from: '1.0.0', to: '1.0.1' });

describe('possible-takeover (combine)', () => {
  it('needs an identity indicator', () => {
    expect(combine(input(c, p), [f('install-script-added'), f('release-too-new')])).toEqual([]);
  });

  it('needs a payload or timing indicator', () => {
    const noDeps = packument('pkg', [ver('1.0.0', daysAgo(60)), ver('1.0.1', daysAgo(1))]);
    expect(combine(input(c, noDeps), [f('publisher-changed'), f('maintainers-changed')])).toEqual([]);
  });

  it('is high for one identity and one payload indicator', () => {
    const noDeps = packument('pkg', [ver('1.0.0', daysAgo(60)), ver('1.0.1', daysAgo(1))]);
    const [v] = combine(input(c, noDeps), [f('publisher-changed', { publisher: 'mallory' }), f('install-script-added')]);
    expect(v?.severity).toBe('high');
    expect(v?.signal).toBe('possible-takeover');
    expect(v?.evidence['indicators']).toEqual(['publisher-changed', 'install-script-added']);
    expect(v?.message).toContain('pkg@1.0.1');
    expect(v?.message).toContain('mallory');
  });

  it('is critical with three indicators, counting dependencies the previous release did not have', () => {
    const [v] = combine(input(c, p), [f('publisher-changed'), f('release-too-new', { ageHours: 3 })]);
    expect(v?.severity).toBe('critical');
    expect(v?.evidence['addedDependencies']).toEqual(['b']);
    expect(v?.evidence['payloadIndicators']).toEqual(['release-too-new', 'added-dependencies']);
    expect(v?.message).toContain('adds the dependency b');
  });

  it('is critical for two identity indicators and one payload indicator', () => {
    const [v] = combine(input(c, p), [f('trust-downgrade'), f('publisher-changed')]);
    expect(v?.severity).toBe('critical');
    expect(v?.evidence['identityIndicators']).toEqual(['publisher-changed', 'trust-downgrade']);
  });

  it("does not count an install script that has been there for weeks as this release's payload", () => {
    const noDeps = packument('pkg', [ver('1.0.0', daysAgo(60)), ver('1.0.1', daysAgo(1))]);
    expect(combine(input(c, noDeps), [f('publisher-changed'), f('install-script-added', { established: true })])).toEqual([]);
  });

  it('compares dependencies with the previous release of the same line, not an old base', () => {
    const q = packument('pkg', [
      ver('1.0.0', daysAgo(300)),
      ver('1.5.0', daysAgo(30), { dependencies: { a: '1', b: '1' } }),
      ver('1.6.0', hoursAgo(5), { dependencies: { a: '1', b: '1' } }),
    ]);
    expect(addedDependencies(input(change({ name: 'pkg', from: '1.0.0', to: '1.6.0' }), q))).toEqual({ previousVersion: '1.5.0', added: [] });
  });

  it('runs standalone as a SignalDefinition', () => {
    const q = packument('pkg', [
      ...[0, 1, 2].map((i) => ver(`1.0.${i}`, daysAgo(90 - i * 10), by('alice'))),
      ver('1.1.0', hoursAgo(3), { ...by('mallory'), scripts: { preinstall: 'node x.js' } }),
    ]);
    const out = possibleTakeover.run(input(change({ name: 'pkg', from: '1.0.2', to: '1.1.0' }), q));
    expect(out).toHaveLength(1);
    expect(out[0]?.severity).toBe('critical');
    expect(possibleTakeover.run(input(change({ name: 'pkg', from: '1.0.2', to: '1.1.0' }), null))).toEqual([]);
  });
});

describe('suspicious-new-package', () => {
  it('is critical for a days-old package new to the lockfile that runs an install script', () => {
    const p = packument('plain-helper', [
      ver('4.2.0', hoursAgo(20), by('newbie')),
      ver('4.2.1', hoursAgo(2), { ...by('newbie'), scripts: { postinstall: 'node setup.js' } }),
    ]);
    const out = runSignals(input(change({ name: 'plain-helper', to: '4.2.1', via: ['axios'] }), p));
    const f = out.find((x) => x.signal === 'suspicious-new-package');
    expect(f).toBeDefined();
    expect(f!.severity).toBe('critical');
    expect(f!.evidence['scripts']).toEqual({ postinstall: 'node setup.js' });
    expect(out[0]!.severity).toBe('critical');
  });
  it('does not fire for an established package with an install script, nor for a young one without', () => {
    const old = packument('native', [
      ver('1.0.0', daysAgo(400), by('a')),
      ver('1.0.1', daysAgo(300), { ...by('a'), scripts: { install: 'node-gyp rebuild' } }),
    ]);
    expect(runSignals(input(change({ name: 'native', to: '1.0.1' }), old)).map((x) => x.signal)).not.toContain('suspicious-new-package');
    const young = packument('fresh', [ver('0.1.0', daysAgo(3), by('a'))]);
    expect(runSignals(input(change({ name: 'fresh', to: '0.1.0' }), young)).map((x) => x.signal)).not.toContain('suspicious-new-package');
  });
  it('does not fire when the base lockfile already had the package', () => {
    const p = packument('plain-helper', [
      ver('4.2.0', hoursAgo(20), by('newbie')),
      ver('4.2.1', hoursAgo(2), { ...by('newbie'), scripts: { postinstall: 'node setup.js' } }),
    ]);
    const out = runSignals(input(change({ name: 'plain-helper', from: '4.2.0', to: '4.2.1', nameInBase: true }), p));
    expect(out.map((x) => x.signal)).not.toContain('suspicious-new-package');
  });
});
