import { matchGithubRange, matchOsv } from '../../../src/registry/advisories/match.js';
import { parseOsvRecord } from '../../../src/registry/advisories/osv-schema.js';
import { advisoryFromOsv, isMalicious } from '../../../src/registry/advisories/records.js';

const range = (type: string, ...events: Record<string, string>[]) => ({ type, events });
const npm = (name: string, extra: Record<string, unknown>) => ({ package: { ecosystem: 'npm', name }, ...extra });
const record = (affected: unknown[], extra: Record<string, unknown> = {}) => parseOsvRecord({ id: 'X-1', summary: 's', affected, ...extra }).record!;

describe('OSV matching', () => {
  it('matches exact versions only', () => {
    const r = record([npm('chalk', { versions: ['5.6.1'] })]);
    expect(matchOsv(r.affected, 'npm', 'chalk', '5.6.1')).toEqual(['= 5.6.1']);
    expect(matchOsv(r.affected, 'npm', 'chalk', '5.6.2')).toEqual([]);
    expect(matchOsv(r.affected, 'npm', 'chalk', '5.6.10')).toEqual([]);
  });

  it('reads SEMVER ranges with introduced, fixed, last_affected and limit, in version order', () => {
    const r = record([
      npm('ua-parser-js', { ranges: [range('SEMVER', { fixed: '0.7.30' }, { introduced: '0.7.29' }, { introduced: '1.0.0' }, { last_affected: '1.0.0' })] }),
    ]);
    expect(matchOsv(r.affected, 'npm', 'ua-parser-js', '0.7.29')).toEqual(['>= 0.7.29, < 0.7.30']);
    expect(matchOsv(r.affected, 'npm', 'ua-parser-js', '0.7.30')).toEqual([]);
    expect(matchOsv(r.affected, 'npm', 'ua-parser-js', '0.7.28')).toEqual([]);
    expect(matchOsv(r.affected, 'npm', 'ua-parser-js', '1.0.0')).toEqual(['>= 1.0.0, <= 1.0.0']);
    expect(matchOsv(r.affected, 'npm', 'ua-parser-js', '1.0.1')).toEqual([]);
    const limited = record([npm('a', { ranges: [range('SEMVER', { introduced: '0' }, { limit: '2.0.0' })] })]);
    expect(matchOsv(limited.affected, 'npm', 'a', '1.9.9')).toEqual(['>= 0, < 2.0.0']);
    expect(matchOsv(limited.affected, 'npm', 'a', '2.0.0')).toEqual([]);
    const open = record([npm('flatmap-stream', { ranges: [range('SEMVER', { introduced: '0' })] })]);
    expect(matchOsv(open.affected, 'npm', 'flatmap-stream', '0.1.1')).toEqual(['>= 0']);
  });

  it('orders Python versions by PEP 440 and compares normalised names', () => {
    const r = parseOsvRecord({
      id: 'GHSA-j8r2-6x86-q33q',
      affected: [{ package: { ecosystem: 'PyPI', name: 'Requests' }, ranges: [range('ECOSYSTEM', { introduced: '2.3.0' }, { fixed: '2.31.0' })] }],
    }).record!;
    expect(matchOsv(r.affected, 'pypi', 'requests', '2.30.0')).toHaveLength(1);
    expect(matchOsv(r.affected, 'pypi', 'requests', '2.31.0rc1')).toHaveLength(1); // a pre-release of the fix is below it
    expect(matchOsv(r.affected, 'pypi', 'requests', '2.31.0')).toEqual([]);
    expect(matchOsv(r.affected, 'pypi', 'requests', '2.4')).toHaveLength(1);
    expect(matchOsv(r.affected, 'pypi', 'requests', '2.10.0')).toHaveLength(1);
    // a SEMVER range is not read for Python, nor a PyPI entry for npm
    expect(matchOsv(r.affected, 'npm', 'requests', '2.30.0')).toEqual([]);
  });

  it('ignores records naming another package, and GIT ranges', () => {
    const r = record([npm('chalk-next', { versions: ['5.6.1'] }), npm('chalk', { ranges: [range('GIT', { introduced: '0' })] })]);
    expect(matchOsv(r.affected, 'npm', 'chalk', '5.6.1')).toEqual([]);
    expect(advisoryFromOsv(r, 'osv', { ecosystem: 'npm', name: 'chalk', version: '5.6.1' })).toBeNull();
  });

  it('drops one bad affected entry, keeping the rest', () => {
    const { record: r, dropped } = parseOsvRecord({ id: 'MAL-1', affected: [{ package: 7 }, npm('a', { versions: ['1.0.0'] }), npm('b', { ranges: 'x' })] });
    expect(r!.affected.map((a) => a.name)).toEqual(['a']);
    expect(dropped).toBe(2);
    expect(parseOsvRecord({ affected: [] }).record).toBeNull();
  });

  it('tells malicious records from vulnerabilities', () => {
    expect(isMalicious({ id: 'MAL-2025-46969', summary: '', maliciousOrigins: false })).toBe(true);
    expect(isMalicious({ id: 'GHSA-x', summary: 'Embedded malware in ua-parser-js', maliciousOrigins: false })).toBe(true);
    expect(isMalicious({ id: 'OSV-x', summary: 'something', maliciousOrigins: true })).toBe(true);
    expect(isMalicious({ id: 'GHSA-35jh-r3h4-6jhm', summary: 'Command Injection in lodash', maliciousOrigins: false })).toBe(false);
  });
});

describe("GitHub's vulnerable_version_range", () => {
  it('holds when every term does', () => {
    expect(matchGithubRange('= 0.7.29', 'npm', '0.7.29')).toBe(true);
    expect(matchGithubRange('>= 0.8.0, < 0.8.1', 'npm', '0.8.0')).toBe(true);
    expect(matchGithubRange('>= 0.8.0, < 0.8.1', 'npm', '0.8.1')).toBe(false);
    expect(matchGithubRange('< 4.17.21', 'npm', '4.17.20')).toBe(true);
    expect(matchGithubRange('<= 0.1.1', 'npm', '0.1.1')).toBe(true);
    expect(matchGithubRange('>= 2.3.0, < 2.31.0', 'pypi', '2.30.0')).toBe(true);
    expect(matchGithubRange('garbage here', 'npm', '1.0.0')).toBe(false);
    expect(matchGithubRange('', 'npm', '1.0.0')).toBe(false);
  });
});
