import type { Finding } from '../../src/model.js';
import { addedDependencies, combine, possibleTakeover } from '../../src/signals/combine.js';
import { by, change, daysAgo, hoursAgo, input, packument, ver } from './builders.js';

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

  it('does not count an install script that has been there for weeks as this release\'s payload', () => {
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
