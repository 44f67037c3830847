import { trustDowngrade, trustLevel } from '../../src/signals/trust-downgrade.js';
import { by, change, daysAgo, input, packument, prov, trusted, ver } from './builders.js';

describe('trust levels', () => {
  it('ranks trusted publisher with provenance above provenance above none', () => {
    expect(trustLevel({ version: '1.0.0', scripts: {}, ...trusted() })).toBe('trusted-publisher');
    expect(trustLevel({ version: '1.0.0', scripts: {}, ...prov() })).toBe('provenance');
    expect(trustLevel({ version: '1.0.0', scripts: {}, trustedPublisher: { id: 'github' } })).toBe('none');
    expect(trustLevel({ version: '1.0.0', scripts: {} })).toBe('none');
  });
});

describe('trust-downgrade', () => {
  it('fires (high) when provenance disappears within the same line, naming the earlier version', () => {
    const p = packument('pkg', [
      ver('2.0.0', daysAgo(60), { ...by('alice'), ...prov() }),
      ver('2.0.1', daysAgo(30), { ...by('alice'), ...prov() }),
      ver('2.0.2', daysAgo(1), by('alice')),
    ]);
    const [f] = trustDowngrade.run(input(change({ name: 'pkg', from: '2.0.1', to: '2.0.2' }), p));
    expect(f?.severity).toBe('high');
    expect(f?.evidence['level']).toBe('none');
    expect(f?.evidence['baselineVersion']).toBe('2.0.1');
    expect(f?.evidence['baselineLevel']).toBe('provenance');
    expect(f?.message).toContain('pkg@2.0.2');
    expect(f?.message).toContain('pkg@2.0.1');
  });

  it('fires when trusted publishing gives way to provenance from a token', () => {
    const p = packument('pkg', [ver('3.1.0', daysAgo(60), trusted()), ver('3.1.1', daysAgo(1), { ...by('alice'), ...prov() })]);
    const [f] = trustDowngrade.run(input(change({ name: 'pkg', from: '3.1.0', to: '3.1.1' }), p));
    expect(f?.evidence['level']).toBe('provenance');
    expect(f?.evidence['baselineLevel']).toBe('trusted-publisher');
  });

  it('takes the strongest level in the line as the baseline, and lists the weaker releases since', () => {
    const p = packument('pkg', [
      ver('1.0.0', daysAgo(90), trusted()),
      ver('1.0.1', daysAgo(60), { ...by('alice'), ...prov() }),
      ver('1.0.2', daysAgo(1), by('alice')),
    ]);
    const [f] = trustDowngrade.run(input(change({ name: 'pkg', from: '1.0.1', to: '1.0.2' }), p));
    expect(f?.evidence['baselineVersion']).toBe('1.0.0');
    expect(f?.evidence['baselineLevel']).toBe('trusted-publisher');
    expect(f?.evidence['weakerReleasesSinceBaseline']).toEqual([]);
  });

  it('does not compare across release lines (a 4.x backport after 5.x gained trusted publishing)', () => {
    const p = packument('pkg', [ver('4.17.20', daysAgo(400), by('alice')), ver('5.0.0', daysAgo(30), trusted()), ver('4.17.21', daysAgo(1), by('alice'))]);
    expect(trustDowngrade.run(input(change({ name: 'pkg', from: '4.17.20', to: '4.17.21' }), p))).toEqual([]);
  });

  it('0.x lines are major.minor', () => {
    const p = packument('pkg', [ver('0.7.0', daysAgo(60), prov()), ver('0.8.0', daysAgo(1))]);
    expect(trustDowngrade.run(input(change({ name: 'pkg', from: '0.7.0', to: '0.8.0' }), p))).toEqual([]);
    const q = packument('pkg', [ver('0.8.0', daysAgo(60), prov()), ver('0.8.1', daysAgo(1))]);
    expect(trustDowngrade.run(input(change({ name: 'pkg', from: '0.8.0', to: '0.8.1' }), q))).toHaveLength(1);
  });

  it('ignores a prerelease with provenance when judging the stable release after it', () => {
    const p = packument('pkg', [ver('2.0.0', daysAgo(60)), ver('2.1.0-beta.1', daysAgo(20), prov()), ver('2.1.0', daysAgo(1))]);
    expect(trustDowngrade.run(input(change({ name: 'pkg', from: '2.0.0', to: '2.1.0' }), p))).toEqual([]);
  });

  it('does not count versions published after the new one (order by time, not semver)', () => {
    const p = packument('pkg', [ver('2.0.0', daysAgo(60)), ver('2.0.1', daysAgo(10)), ver('2.0.2', daysAgo(1), prov())]);
    expect(trustDowngrade.run(input(change({ name: 'pkg', from: '2.0.0', to: '2.0.1' }), p))).toEqual([]);
  });

  it('stays quiet when the new version keeps or gains trust', () => {
    const keep = packument('pkg', [ver('1.0.0', daysAgo(60), prov()), ver('1.0.1', daysAgo(1), prov())]);
    expect(trustDowngrade.run(input(change({ name: 'pkg', from: '1.0.0', to: '1.0.1' }), keep))).toEqual([]);
    const gain = packument('pkg', [ver('1.0.0', daysAgo(60)), ver('1.0.1', daysAgo(1), trusted())]);
    expect(trustDowngrade.run(input(change({ name: 'pkg', from: '1.0.0', to: '1.0.1' }), gain))).toEqual([]);
  });
});
