import {
  comparisonVersion,
  firstReleaseTime,
  isPrerelease,
  parseVersion,
  previousInLine,
  previousRelease,
  publishedBefore,
  releaseLine,
  sameReleaseLine,
} from '../../src/signals/history.js';
import { change, daysAgo, packument, ver } from './builders.js';

describe('release lines and prereleases', () => {
  it('uses the major as the line, and major.minor for 0.x', () => {
    expect(releaseLine('4.17.21')).toBe('4');
    expect(releaseLine('0.7.29')).toBe('0.7');
    expect(releaseLine('5.0.0-beta.1')).toBe('5');
    expect(sameReleaseLine('0.7.1', '0.7.29')).toBe(true);
    expect(sameReleaseLine('0.7.1', '0.8.0')).toBe(false);
    expect(sameReleaseLine('4.1.0', '5.0.0')).toBe(false);
    expect(releaseLine('not-a-version')).toBeNull();
  });

  it('recognises semver and PEP 440 prereleases', () => {
    expect(isPrerelease('1.0.0-rc.1')).toBe(true);
    expect(isPrerelease('1.0.0')).toBe(false);
    expect(isPrerelease('2.0a1')).toBe(true);
    expect(isPrerelease('2.0.dev3')).toBe(true);
    expect(isPrerelease('2.0.post1')).toBe(false);
    expect(parseVersion('2.31')).toEqual({ major: 2, minor: 31, prerelease: false });
  });
});

describe('publishedBefore', () => {
  // 2.0.0 was published *before* 1.9.9 (a backport): time order, not semver order, decides.
  const p = packument('pkg', [
    ver('1.0.0', daysAgo(400)),
    ver('2.0.0-beta.1', daysAgo(300)),
    ver('2.0.0', daysAgo(200)),
    ver('1.9.9', daysAgo(100)),
    ver('2.1.0', daysAgo(50)),
    ver('2.2.0-rc.1', daysAgo(20)),
    ver('2.2.0', daysAgo(10)),
    ver('2.3.0', undefined),
  ]);

  it('orders by publish time, most recent first, and drops prereleases for a stable version', () => {
    expect(publishedBefore(p, '2.2.0').map((d) => d.meta.version)).toEqual(['2.1.0', '1.9.9', '2.0.0', '1.0.0']);
  });

  it('keeps prereleases when the version is itself a prerelease', () => {
    expect(publishedBefore(p, '2.2.0-rc.1').map((d) => d.meta.version)).toEqual(['2.1.0', '1.9.9', '2.0.0', '2.0.0-beta.1', '1.0.0']);
  });

  it('restricts to the same line on request', () => {
    expect(publishedBefore(p, '2.2.0', { sameLine: true }).map((d) => d.meta.version)).toEqual(['2.1.0', '2.0.0']);
    expect(previousInLine(p, '1.9.9')?.meta.version).toBe('1.0.0');
  });

  it('the previous release of a backport is the newer line published just before it', () => {
    expect(previousRelease(p, '1.9.9')?.meta.version).toBe('2.0.0');
  });

  it('returns nothing when the version has no publish time (order unknown)', () => {
    expect(publishedBefore(p, '2.3.0')).toEqual([]);
    expect(previousRelease(p, '9.9.9')).toBeUndefined();
  });

  it('compares with the base version for upgrades and the previous release for additions', () => {
    expect(comparisonVersion(change({ name: 'pkg', from: '1.0.0', to: '2.2.0' }), p)?.version).toBe('1.0.0');
    expect(comparisonVersion(change({ name: 'pkg', to: '2.2.0' }), p)?.version).toBe('2.1.0');
    // base version unknown to the registry: fall back to the previous release in time
    expect(comparisonVersion(change({ name: 'pkg', from: '0.0.1', to: '2.2.0' }), p)?.version).toBe('2.1.0');
  });

  it('finds the first release from created or the earliest publish time, whichever is earlier', () => {
    expect(firstReleaseTime(p)).toBe(Date.parse(daysAgo(400)));
    const q = packument('q', [ver('1.0.0', daysAgo(5))], { created: daysAgo(9) });
    expect(firstReleaseTime(q)).toBe(Date.parse(daysAgo(9)));
  });

  it('is not confused by prototype-looking version keys', () => {
    const q = packument('__proto__', [ver('__proto__', daysAgo(5)), ver('1.0.0', daysAgo(3))]);
    expect(publishedBefore(q, '1.0.0').map((d) => d.meta.version)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['version']).toBeUndefined();
  });
});
