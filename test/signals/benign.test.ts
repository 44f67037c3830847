/**
 * Benign cases that must stay below high: noise gets tools switched off.
 */
import { severityRank } from '../../src/model/index.js';
import { runSignals, severityOf } from '../../src/signals/index.js';
import { by, change, daysAgo, hoursAgo, input, packument, prov, series, trusted, ver } from './builders.js';

const belowHigh = (fs: Parameters<typeof severityOf>[0]) => severityRank(severityOf(fs) ?? 'info') < severityRank('high');
const ids = (fs: { signal: string }[]) => fs.map((f) => f.signal).sort();

describe('benign changes stay below high', () => {
  it('a routine patch bump by the same publisher with provenance on both sides (hours old: only the cooldown)', () => {
    const p = packument('lib', [
      ...series('2.3', 5, 20, 15, { ...by('alice'), ...prov(), dependencies: { x: '1' } }),
      ver('2.3.5', hoursAgo(5), { ...by('alice'), ...prov(), dependencies: { x: '1' } }),
    ]);
    const out = runSignals(input(change({ name: 'lib', from: '2.3.4', to: '2.3.5', direct: true }), p));
    expect(ids(out)).toEqual(['release-too-new']);
    expect(belowHigh(out)).toBe(true);
  });

  it('an unchanged postinstall carried over (esbuild-like)', () => {
    const post = { scripts: { postinstall: 'node install.js' }, ...trusted() };
    const p = packument('esbuild', [...series('0.25', 3, 10, 30, post), ver('0.25.3', hoursAgo(10), post)]);
    const out = runSignals(input(change({ name: 'esbuild', from: '0.25.2', to: '0.25.3' }), p));
    expect(ids(out)).toEqual(['release-too-new']);
  });

  it('a package that gains trusted publishing and provenance, hours old', () => {
    const p = packument('lib', [...series('1.0', 4, 20, 10, by('alice')), ver('1.1.0', hoursAgo(3), trusted())]);
    const out = runSignals(input(change({ name: 'lib', from: '1.0.3', to: '1.1.0' }), p));
    expect(ids(out)).not.toContain('publisher-changed');
    expect(ids(out)).not.toContain('trust-downgrade');
    expect(belowHigh(out)).toBe(true);
  });

  it('a 4.x backport without provenance published after 5.x gained trusted publishing, hours old', () => {
    const p = packument('lodash-like', [
      // 4.x kept releasing until 5.x took over (no year-long gap: that would be a dormant revival, another test's matter)
      ...series('4.17', 3, 300, 30, by('jdalton')),
      ...series('5.0', 10, 5, 3, trusted()),
      ver('4.17.3', hoursAgo(4), by('jdalton')),
    ]);
    const out = runSignals(input(change({ name: 'lodash-like', from: '4.17.2', to: '4.17.3' }), p));
    expect(ids(out)).toEqual(['release-too-new']);
  });

  it('a semver@6-style backport on an old line after the new line gained provenance', () => {
    const p = packument('semverish', [
      ver('6.3.0', daysAgo(1500), by('isaacs')),
      ver('7.5.3', daysAgo(40), { ...by('isaacs'), ...prov() }),
      ver('6.3.1', daysAgo(30), by('isaacs')),
    ]);
    const out = runSignals(input(change({ name: 'semverish', from: '6.3.0', to: '6.3.1' }), p));
    expect(ids(out)).not.toContain('trust-downgrade');
    expect(belowHigh(out)).toBe(true);
  });

  it('a prerelease with provenance followed by a stable without', () => {
    const p = packument('lib', [
      ver('3.0.0', daysAgo(90), by('alice')),
      ver('3.1.0-beta.0', daysAgo(30), { ...by('alice'), ...prov() }),
      ver('3.1.0', daysAgo(5), by('alice')),
    ]);
    const out = runSignals(input(change({ name: 'lib', from: '3.0.0', to: '3.1.0' }), p));
    expect(out).toEqual([]);
  });

  it('a publisher change alone is low', () => {
    const p = packument('lib', [...series('1.0', 5, 30, 20, by('alice')), ver('1.0.5', daysAgo(10), by('bob'))]);
    const out = runSignals(input(change({ name: 'lib', from: '1.0.4', to: '1.0.5' }), p));
    expect(ids(out)).toEqual(['publisher-changed']);
    expect(severityOf(out)).toBe('low');
  });

  it('a new transitive dependency that is months old is info', () => {
    const p = packument('helper', [...series('1.2', 6, 60, 20, by('alice'))]);
    const out = runSignals(input(change({ name: 'helper', to: '1.2.5', via: ['lib'] }), p));
    expect(ids(out)).toEqual(['new-dependency']);
    expect(severityOf(out)).toBe('info');
  });
});
