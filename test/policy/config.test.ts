import { ConfigError } from '../../src/errors.js';
import { defaultConfig, parseConfig, parseDuration } from '../../src/policy/config.js';

function configError(text: string): ConfigError {
  try {
    parseConfig(text, '.github/lockwarden.yml');
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('gives the defaults for an empty file', () => {
    const c = parseConfig('', 'x.yml');
    expect(c.failOn).toBe('high');
    expect(c.warnOn).toBe('medium');
    expect(c.thresholds.releaseAgeHours).toBe(48);
    expect(c.thresholds.dormantDays).toBe(365);
    expect(c.thresholds.youngPackageDays).toBe(30);
    expect(c.allow).toEqual([]);
  });

  it('reads thresholds with units, signal overrides and allow entries with their lines', () => {
    const c = parseConfig(
      [
        'failOn: critical',
        'warnOn: high',
        'incomplete: failure',
        'thresholds:',
        '  releaseAge: 3d',
        '  dormant: 2w',
        '  youngPackage: 90',
        '  publisherLookback: 5',
        'signals:',
        '  release-too-new: off',
        '  publisher-changed: medium',
        'allow:',
        '  - package: "@acme/*"',
        '    reason: internal packages',
        '  - package: esbuild',
        '    version: ">=0.25.0 <0.26.0"',
        '    signals: [install-script-changed]',
        '    until: 2026-12-31',
        '    reason: reviewed by security',
      ].join('\n'),
    );
    expect(c.failOn).toBe('critical');
    expect(c.warnOn).toBe('high');
    expect(c.incomplete).toBe('failure');
    expect(c.thresholds).toEqual({ releaseAgeHours: 72, dormantDays: 14, youngPackageDays: 90, publisherLookback: 5 });
    expect(c.signals.get('release-too-new')).toBe('off');
    expect(c.signals.get('publisher-changed')).toBe('medium');
    expect(c.allow).toHaveLength(2);
    expect(c.allow[0]).toMatchObject({ package: '@acme/*', reason: 'internal packages', line: 13 });
    expect(c.allow[1]).toMatchObject({ package: 'esbuild', version: '>=0.25.0 <0.26.0', until: '2026-12-31', line: 15 });
    expect(c.allow[1]!.signals).toEqual(['install-script-changed']);
  });

  it('names the file and line of an unknown key', () => {
    const e = configError('failOn: high\nthreshold:\n  releaseAge: 2d\n');
    expect(e.message).toContain('.github/lockwarden.yml:2');
    expect(e.message).toContain('unknown key "threshold"');
    expect(e.line).toBe(2);
  });

  it('names the line of a wrong value deep in the file', () => {
    const e = configError('allow:\n  - package: left-pad\n    reason: ok\n  - package: lodash\n    version: "not a range"\n    reason: x\n');
    expect(e.line).toBe(5);
    expect(e.message).toMatch(/semver/);
  });

  it('rejects an unknown severity and an unknown signal id', () => {
    expect(configError('failOn: severe').line).toBe(1);
    expect(configError('signals:\n  made-up-signal: high\n').line).toBe(2);
  });

  it('requires a reason for every allow entry', () => {
    const e = configError('allow:\n  - package: x\n');
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/reason/);
  });

  it('reports invalid YAML with its line and column', () => {
    const e = configError('failOn: high\nsignals: [unclosed\n');
    expect(e.message).toMatch(/invalid YAML/);
    expect(e.line).toBeGreaterThanOrEqual(2);
  });

  it('rejects duplicate keys rather than silently taking one', () => {
    expect(configError('failOn: high\nfailOn: low\n').line).toBe(2);
  });

  it('bounds YAML alias expansion (billion laughs)', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 9; i++)
      bomb.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(',')}]`,
      );
    expect(() => parseConfig(bomb.join('\n'), 'bomb.yml')).toThrow(/bomb\.yml/);
  });

  it('does not share state between default configs', () => {
    const a = defaultConfig();
    a.thresholds.releaseAgeHours = 1;
    expect(defaultConfig().thresholds.releaseAgeHours).toBe(48);
  });
});

describe('parseDuration', () => {
  it.each([
    ['48h', 'h', 48],
    ['90m', 'h', 1.5],
    ['2d', 'h', 48],
    ['1w', 'd', 168],
    [12, 'h', 12],
    [30, 'd', 720],
  ] as const)('%s (%s) → %d hours', (v, unit, hours) => {
    expect(parseDuration(v, unit)).toBe(hours);
  });
  it('rejects garbage and negatives', () => {
    expect(parseDuration('soon', 'h')).toBeUndefined();
    expect(parseDuration(-1, 'h')).toBeUndefined();
  });
});
