import { maintainersChanged } from '../../src/signals/maintainers-changed.js';
import { change, daysAgo, input, maint, packument, ver } from './builders.js';

describe('maintainers-changed', () => {
  it('fires (low) with the added and removed names compared with the previous release', () => {
    const p = packument('pkg', [ver('1.0.0', daysAgo(30), maint('alice', 'bob')), ver('1.0.1', daysAgo(1), maint('alice', 'mallory'))]);
    const [f] = maintainersChanged.run(input(change({ name: 'pkg', from: '1.0.0', to: '1.0.1' }), p));
    expect(f?.severity).toBe('low');
    expect(f?.evidence['added']).toEqual(['mallory']);
    expect(f?.evidence['removed']).toEqual(['bob']);
    expect(f?.evidence['previousVersion']).toBe('1.0.0');
    expect(f?.message).toContain('adds mallory');
    expect(f?.message).toContain('removes bob');
  });

  it('stays quiet when the set is the same (order and case do not matter)', () => {
    const p = packument('pkg', [ver('1.0.0', daysAgo(30), maint('alice', 'Bob')), ver('1.0.1', daysAgo(1), maint('bob', 'alice'))]);
    expect(maintainersChanged.run(input(change({ name: 'pkg', from: '1.0.0', to: '1.0.1' }), p))).toEqual([]);
  });

  it('stays quiet when either list is unknown', () => {
    const p = packument('pkg', [ver('1.0.0', daysAgo(30)), ver('1.0.1', daysAgo(1), maint('mallory'))]);
    expect(maintainersChanged.run(input(change({ name: 'pkg', from: '1.0.0', to: '1.0.1' }), p))).toEqual([]);
  });

  it('compares with the previous release in time, not with an old base version', () => {
    const p = packument('pkg', [
      ver('1.0.0', daysAgo(300), maint('alice')),
      ver('1.5.0', daysAgo(30), maint('alice', 'bob')),
      ver('1.6.0', daysAgo(1), maint('alice', 'bob')),
    ]);
    expect(maintainersChanged.run(input(change({ name: 'pkg', from: '1.0.0', to: '1.6.0' }), p))).toEqual([]);
  });
});
