import { dormantRevival } from '../../src/signals/dormant-revival.js';
import { releaseTooNew } from '../../src/signals/release-too-new.js';
import { youngPackage } from '../../src/signals/young-package.js';
import { NOW, by, change, daysAgo, hoursAgo, input, packument, ver } from './builders.js';
import { runSignals } from '../../src/signals/index.js';

describe('release-too-new', () => {
  it('fires (low) with the age and the time it expires', () => {
    const p = packument('pkg', [ver('1.0.0', daysAgo(60)), ver('1.0.1', hoursAgo(6))]);
    const [f] = releaseTooNew.run(input(change({ name: 'pkg', from: '1.0.0', to: '1.0.1' }), p));
    expect(f?.severity).toBe('low');
    expect(f?.evidence['ageHours']).toBe(6);
    expect(f?.evidence['publishedAt']).toBe(hoursAgo(6));
    expect(f?.evidence['expiresAt']).toBe(new Date(NOW.getTime() + 42 * 3_600_000).toISOString());
    expect(f?.message).toMatch(/clears by itself at/);
  });

  it('stays quiet once the release is older than the threshold, which is configurable', () => {
    const p = packument('pkg', [ver('1.0.0', daysAgo(60)), ver('1.0.1', hoursAgo(50))]);
    const c = change({ name: 'pkg', from: '1.0.0', to: '1.0.1' });
    expect(releaseTooNew.run(input(c, p))).toEqual([]);
    expect(releaseTooNew.run(input(c, p, { options: { releaseAgeHours: 72 } }))).toHaveLength(1);
  });

  it('stays quiet without a publish time', () => {
    const p = packument('pkg', [ver('1.0.1', undefined)], { abbreviated: true });
    expect(releaseTooNew.run(input(change({ name: 'pkg', from: '1.0.0', to: '1.0.1' }), p))).toEqual([]);
  });
});

describe('dormant-revival', () => {
  it('fires (medium) when the previous release was more than dormantDays earlier', () => {
    const p = packument('pkg', [ver('1.0.0', daysAgo(900)), ver('1.0.1', daysAgo(2))]);
    const [f] = dormantRevival.run(input(change({ name: 'pkg', from: '1.0.0', to: '1.0.1' }), p));
    expect(f?.severity).toBe('medium');
    expect(f?.evidence['gapDays']).toBe(898);
    expect(f?.evidence['previousPublishedAt']).toBe(daysAgo(900));
    expect(f?.evidence['publishedAt']).toBe(daysAgo(2));
  });

  it('uses the previous release of any line', () => {
    const p = packument('pkg', [ver('1.0.0', daysAgo(900)), ver('2.0.0', daysAgo(100)), ver('1.0.1', daysAgo(2))]);
    expect(dormantRevival.run(input(change({ name: 'pkg', from: '1.0.0', to: '1.0.1' }), p))).toEqual([]);
  });

  it('stays quiet for a regular cadence, and for a first release', () => {
    const p = packument('pkg', [ver('1.0.0', daysAgo(200)), ver('1.0.1', daysAgo(2))]);
    expect(dormantRevival.run(input(change({ name: 'pkg', from: '1.0.0', to: '1.0.1' }), p))).toEqual([]);
    expect(dormantRevival.run(input(change({ name: 'pkg', from: '1.0.0', to: '1.0.1' }), p, { options: { dormantDays: 100 } }))).toHaveLength(1);
    const first = packument('new', [ver('1.0.0', daysAgo(2))]);
    expect(dormantRevival.run(input(change({ name: 'new', to: '1.0.0' }), first))).toEqual([]);
  });
});

describe('young-package', () => {
  it('fires (medium) for a new package first published days ago, with the version count', () => {
    const p = packument('fresh', [ver('0.1.0', daysAgo(10)), ver('0.1.1', daysAgo(5))]);
    const [f] = youngPackage.run(input(change({ name: 'fresh', to: '0.1.1' }), p));
    expect(f?.severity).toBe('medium');
    expect(f?.evidence['created']).toBe(daysAgo(10));
    expect(f?.evidence['ageDays']).toBe(10);
    expect(f?.evidence['versionCount']).toBe(2);
  });

  it('is high when the name is new to the lockfile and the locked release is hours old', () => {
    const p = packument('fresh', [ver('0.1.0', daysAgo(10)), ver('0.1.1', hoursAgo(5))]);
    const [f] = youngPackage.run(input(change({ name: 'fresh', to: '0.1.1' }), p));
    expect(f?.severity).toBe('high');
    expect(f?.evidence['freshRelease']).toBe(true);
  });

  it('is low when the base lockfile already had the package', () => {
    const p = packument('fresh', [ver('0.1.0', daysAgo(10)), ver('0.1.1', hoursAgo(5))]);
    expect(youngPackage.run(input(change({ name: 'fresh', from: '0.1.0', to: '0.1.1' }), p))[0]?.severity).toBe('low');
  });

  it('stays quiet for a package older than youngPackageDays (created counts)', () => {
    const p = packument('old', [ver('1.0.0', daysAgo(10))], { created: daysAgo(90) });
    expect(youngPackage.run(input(change({ name: 'old', to: '1.0.0' }), p))).toEqual([]);
    expect(youngPackage.run(input(change({ name: 'old', to: '1.0.0' }), p, { options: { youngPackageDays: 120 } }))).toHaveLength(1);
  });
});

describe('dormant-revival finds a recent revival before the new version', () => {
  it('fires for a release shortly after a revival by another release (event-stream 3.3.5 then 3.3.6)', () => {
    const p = packument('stream-lib', [
      ver('3.3.4', daysAgo(800), by('dominictarr')),
      ver('3.3.5', daysAgo(30), by('right9ctrl')),
      ver('3.3.6', daysAgo(26), by('right9ctrl')),
    ]);
    const out = runSignals(input(change({ name: 'stream-lib', from: '3.3.4', to: '3.3.6' }), p));
    const f = out.find((x) => x.signal === 'dormant-revival');
    expect(f).toBeDefined();
    expect(f!.evidence).toMatchObject({ revivalVersion: '3.3.5', previousVersion: '3.3.4' });
    // and the publisher is new compared with the version the repository had, though it published 3.3.5
    const pub = out.find((x) => x.signal === 'publisher-changed');
    expect(pub).toBeDefined();
    expect(pub!.evidence['publisherReleasesSinceBase']).toEqual([expect.objectContaining({ version: '3.3.5' })]);
  });

  it('stays quiet when the revival is long past', () => {
    const p = packument('old-lib', [ver('1.0.0', daysAgo(1200), by('a')), ver('1.1.0', daysAgo(500), by('a')), ver('1.1.1', daysAgo(400), by('a'))]);
    const out = runSignals(input(change({ name: 'old-lib', from: '1.0.0', to: '1.1.1' }), p));
    expect(out.map((x) => x.signal)).not.toContain('dormant-revival');
  });

  it('stays quiet when the repository already had a release after the revival', () => {
    const p = packument('lib2', [ver('1.0.0', daysAgo(800), by('a')), ver('1.1.0', daysAgo(40), by('a')), ver('1.1.1', daysAgo(10), by('a'))]);
    const out = runSignals(input(change({ name: 'lib2', from: '1.1.0', to: '1.1.1' }), p));
    expect(out.map((x) => x.signal)).not.toContain('dormant-revival');
  });
});
