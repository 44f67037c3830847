import type { Finding } from '../../src/model/index.js';
import { allowNotes, applyPolicy, conclude, parseConfig } from '../../src/policy/index.js';

const now = new Date('2026-11-25T12:00:00Z');
const f = (signal: string, severity: Finding['severity']): Finding => ({ signal, severity, message: `${signal}`, evidence: {} });

describe('applyPolicy', () => {
  it('overrides severities, switches signals off and sorts by severity', () => {
    const config = parseConfig('signals:\n  publisher-changed: high\n  release-too-new: off\n');
    const out = applyPolicy([f('release-too-new', 'low'), f('deprecated', 'low'), f('publisher-changed', 'low')], { name: 'a', version: '1.0.0' }, config, now);
    expect(out.map((x) => [x.signal, x.severity])).toEqual([
      ['publisher-changed', 'high'],
      ['deprecated', 'low'],
    ]);
  });

  it('marks findings accepted by a matching allow entry, keeping them visible', () => {
    const config = parseConfig('allow:\n  - package: esbuild\n    version: "0.25.x"\n    reason: reviewed\n');
    const [hit] = applyPolicy([f('install-script-changed', 'medium')], { name: 'esbuild', version: '0.25.1' }, config, now);
    expect(hit!.allowed).toEqual({ reason: 'reviewed', line: 2 });
    const [miss] = applyPolicy([f('install-script-changed', 'medium')], { name: 'esbuild', version: '0.26.0' }, config, now);
    expect(miss!.allowed).toBeUndefined();
  });

  it('matches scopes and globs but not look-alike names', () => {
    const config = parseConfig('allow:\n  - package: "@acme/*"\n    reason: ours\n');
    const ok = applyPolicy([f('new-dependency', 'low')], { name: '@acme/ui', version: '1.0.0' }, config, now);
    const no = applyPolicy([f('new-dependency', 'low')], { name: '@acme-evil/ui', version: '1.0.0' }, config, now);
    expect(ok[0]!.allowed).toBeDefined();
    expect(no[0]!.allowed).toBeUndefined();
  });

  it('limits an entry to its listed signals', () => {
    const config = parseConfig('allow:\n  - package: x\n    signals: [release-too-new]\n    reason: r\n');
    const out = applyPolicy([f('release-too-new', 'low'), f('install-script-added', 'high')], { name: 'x', version: '1.0.0' }, config, now);
    expect(out.find((x) => x.signal === 'install-script-added')!.allowed).toBeUndefined();
    expect(out.find((x) => x.signal === 'release-too-new')!.allowed).toBeDefined();
  });

  it('ignores expired entries and says so', () => {
    const config = parseConfig('allow:\n  - package: x\n    until: 2026-11-24\n    reason: r\n  - package: y\n    until: 2026-11-25\n    reason: r\n');
    expect(applyPolicy([f('downgrade', 'low')], { name: 'x', version: '1.0.0' }, config, now)[0]!.allowed).toBeUndefined();
    // valid through the end of its day
    expect(applyPolicy([f('downgrade', 'low')], { name: 'y', version: '1.0.0' }, config, now)[0]!.allowed).toBeDefined();
    expect(allowNotes(config, now)).toEqual([{ kind: 'allow-expired', message: 'allow entry for x expired on 2026-11-24', line: 2 }]);
  });

  it('never matches a version range for a removed package (no version)', () => {
    const config = parseConfig('allow:\n  - package: x\n    version: "*"\n    reason: r\n');
    expect(applyPolicy([f('downgrade', 'low')], { name: 'x', version: null }, config, now)[0]!.allowed).toBeUndefined();
  });
});

describe('conclude', () => {
  const config = parseConfig('');
  it('fails at high, is neutral at medium, succeeds below', () => {
    expect(conclude([f('a', 'critical')], 0, config)).toBe('failure');
    expect(conclude([f('a', 'high')], 0, config)).toBe('failure');
    expect(conclude([f('a', 'medium')], 0, config)).toBe('neutral');
    expect(conclude([f('a', 'low'), f('b', 'info')], 0, config)).toBe('success');
    expect(conclude([], 0, config)).toBe('success');
  });
  it('does not count allowed findings', () => {
    expect(conclude([{ ...f('a', 'critical'), allowed: { reason: 'r' } }], 0, config)).toBe('success');
  });
  it('is never a clean success when something is incomplete', () => {
    expect(conclude([], 1, config)).toBe('neutral');
    expect(conclude([], 1, parseConfig('incomplete: failure'))).toBe('failure');
    expect(conclude([f('a', 'high')], 1, config)).toBe('failure');
    // an attacker-caused gap fails whatever `incomplete` says
    expect(conclude([], 1, config, 1)).toBe('failure');
    expect(conclude([f('a', 'low')], 2, config, 1)).toBe('failure');
    expect(conclude([], 2, config, 0)).toBe('neutral');
  });
  it('follows configured thresholds', () => {
    const strict = parseConfig('failOn: medium\nwarnOn: low\n');
    expect(conclude([f('a', 'medium')], 0, strict)).toBe('failure');
    expect(conclude([f('a', 'low')], 0, strict)).toBe('neutral');
  });
});
