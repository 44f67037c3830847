import { publisherChanged } from '../../src/signals/publisher-changed.js';
import { by, change, daysAgo, input, packument, prov, series, trusted, ver } from './builders.js';

describe('publisher-changed', () => {
  it('fires (low) when the publisher did not publish any of the recent releases, with counts per publisher', () => {
    const p = packument('pkg', [...series('1.0', 4, 30, 10, by('alice')), ...series('1.1', 2, 10, 5, by('bob')), ver('1.2.0', daysAgo(1), by('mallory'))]);
    const [f, ...rest] = publisherChanged.run(input(change({ name: 'pkg', from: '1.1.1', to: '1.2.0' }), p));
    expect(rest).toEqual([]);
    expect(f?.severity).toBe('low');
    expect(f?.message).toContain('pkg@1.2.0');
    expect(f?.message).toContain('mallory');
    expect(f?.evidence['publisher']).toBe('mallory');
    expect(f?.evidence['publisherVersionsInWindow']).toBe(0);
    expect(f?.evidence['publisherEarlierVersions']).toBe(0);
    expect(f?.evidence['previousPublishers']).toEqual([
      { name: 'alice', versionsInWindow: 4, trustedPublisher: false },
      { name: 'bob', versionsInWindow: 2, trustedPublisher: false },
    ]);
    expect(f?.evidence['previousPublisher']).toBe('bob');
    expect(f?.evidence['reasons']).toEqual(['new-account']);
  });

  it('stays quiet when the publisher published one of the recent releases', () => {
    const p = packument('pkg', [...series('1.0', 5, 10, 10, by('alice')), ver('1.0.5', daysAgo(5), by('bob')), ver('1.1.0', daysAgo(1), by('alice'))]);
    expect(publisherChanged.run(input(change({ name: 'pkg', from: '1.0.5', to: '1.1.0' }), p))).toEqual([]);
  });

  it('only looks back publisherLookback releases, and counts the older ones', () => {
    const p = packument('pkg', [ver('0.9.0', daysAgo(400), by('carol')), ...series('1.0', 3, 10, 10, by('alice')), ver('1.1.0', daysAgo(1), by('carol'))]);
    const c = change({ name: 'pkg', from: '1.0.2', to: '1.1.0' });
    const [f] = publisherChanged.run(input(c, p, { options: { publisherLookback: 3 } }));
    expect(f?.evidence['publisherEarlierVersions']).toBe(1);
    expect(f?.evidence['window']).toBe(3);
    expect(f?.message).toMatch(/none of the 3 releases/);
    // with a longer window carol's 0.9.0 is in it: no finding
    expect(publisherChanged.run(input(c, p, { options: { publisherLookback: 10 } }))).toEqual([]);
  });

  it('says nothing when earlier versions carry no _npmUser (stripped mirror), or the new one has none', () => {
    const stripped = packument('pkg', [...series('1.0', 3, 10, 10), ver('1.1.0', daysAgo(1), by('mallory'))]);
    expect(publisherChanged.run(input(change({ name: 'pkg', from: '1.0.2', to: '1.1.0' }), stripped))).toEqual([]);
    const anonymous = packument('pkg', [...series('1.0', 3, 10, 10, by('alice')), ver('1.1.0', daysAgo(1))]);
    expect(publisherChanged.run(input(change({ name: 'pkg', from: '1.0.2', to: '1.1.0' }), anonymous))).toEqual([]);
  });

  it('a move from trusted publishing to an account is a publisher change, even for an account that published before', () => {
    const p = packument('pkg', [
      ver('1.13.0', daysAgo(90), { ...by('maint'), ...prov() }),
      ver('1.13.1', daysAgo(60), trusted()),
      ver('1.14.0', daysAgo(30), trusted()),
      ver('1.14.1', daysAgo(1), by('maint')),
    ]);
    const [f] = publisherChanged.run(input(change({ name: 'pkg', from: '1.14.0', to: '1.14.1' }), p));
    expect(f?.severity).toBe('low');
    expect(f?.evidence['reasons']).toEqual(['left-trusted-publishing']);
    expect(f?.evidence['referenceVersion']).toBe('1.14.0');
    expect(f?.evidence['publisherVersionsInWindow']).toBe(1);
    expect(f?.message).toMatch(/instead of through trusted publishing/);
  });

  it('a move to trusted publishing is not reported (the identity is vouched for by provenance)', () => {
    const p = packument('pkg', [...series('1.0', 3, 10, 10, by('alice')), ver('1.1.0', daysAgo(1), trusted())]);
    expect(publisherChanged.run(input(change({ name: 'pkg', from: '1.0.2', to: '1.1.0' }), p))).toEqual([]);
  });

  it('a backport by the maintainer of the old line is not a new publisher', () => {
    const p = packument('pkg', [
      ver('4.17.20', daysAgo(400), by('oldmaint')),
      ...series('5.0', 10, 10, 5, trusted()),
      ver('4.17.21', daysAgo(1), by('oldmaint')),
    ]);
    expect(publisherChanged.run(input(change({ name: 'pkg', from: '4.17.20', to: '4.17.21' }), p))).toEqual([]);
  });

  it('ignores prereleases in the history of a stable release', () => {
    const p = packument('pkg', [ver('1.0.0', daysAgo(30), by('alice')), ver('1.1.0-rc.1', daysAgo(10), by('alice')), ver('1.1.0', daysAgo(1), by('bob'))]);
    const [f] = publisherChanged.run(input(change({ name: 'pkg', from: '1.0.0', to: '1.1.0' }), p));
    expect(f?.evidence['previousVersion']).toBe('1.0.0');
  });
});
