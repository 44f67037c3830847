/** The cooldown gate in policy: config keys, the conclusion it imposes, what releases a hold. */
import type { PolicyFinding, ReviewedChange } from '../../src/model/index.js';
import { applyPolicy, conclude, cooldownHold, parseConfig } from '../../src/policy/index.js';
import { ConfigError } from '../../src/errors.js';

const now = new Date('2026-12-06T12:00:00Z');
const CLEARS = '2026-12-08T10:00:00.000Z';
const tooNew = (expiresAt = CLEARS, extra: Record<string, unknown> = {}): PolicyFinding => ({
  signal: 'release-too-new',
  severity: 'low',
  message: 'x@1.0.1 is too new',
  evidence: { version: '1.0.1', publishedAt: '2026-12-06T10:00:00.000Z', expiresAt, ...extra },
});
const change = (name: string, findings: PolicyFinding[]): ReviewedChange => ({
  ecosystem: 'npm',
  name,
  from: '1.0.0',
  to: '1.0.1',
  kind: 'upgraded',
  lockfile: 'package-lock.json',
  line: 12,
  direct: true,
  directOf: [''],
  via: [],
  findings,
  severity: 'low',
});

describe('cooldown config', () => {
  it('defaults to a neutral gate with a 48-hour window', () => {
    const c = parseConfig('');
    expect(c.cooldown).toEqual({ conclusion: 'neutral' });
    expect(c.thresholds.releaseAgeHours).toBe(48);
  });

  it('reads cooldown.window and cooldown.conclusion', () => {
    const c = parseConfig('cooldown:\n  window: 3d\n  conclusion: failure\n');
    expect(c.thresholds.releaseAgeHours).toBe(72);
    expect(c.cooldown.conclusion).toBe('failure');
  });

  it('keeps thresholds.releaseAge as the window, and refuses both in one file', () => {
    expect(parseConfig('thresholds:\n  releaseAge: 12h\n').thresholds.releaseAgeHours).toBe(12);
    expect(() => parseConfig('thresholds:\n  releaseAge: 12h\ncooldown:\n  window: 24h\n')).toThrow(ConfigError);
    expect(() => parseConfig('thresholds:\n  releaseAge: 12h\ncooldown:\n  window: 24h\n')).toThrow(/keep only cooldown\.window/);
  });

  it('refuses a window past a year under either name (it would overflow every clear time)', () => {
    expect(parseConfig('cooldown:\n  window: 365d\n').thresholds.releaseAgeHours).toBe(8760);
    expect(() => parseConfig('cooldown:\n  window: 99999999999h\n')).toThrow(/at most 365d at cooldown\.window/);
    expect(() => parseConfig('thresholds:\n  releaseAge: 400d\n')).toThrow(/at most 365d at thresholds\.releaseAge/);
  });

  it('refuses an unknown conclusion and an unreadable window', () => {
    expect(() => parseConfig('cooldown:\n  conclusion: success\n')).toThrow(ConfigError);
    expect(() => parseConfig('cooldown:\n  window: soon\n')).toThrow(/duration/);
  });
});

describe('cooldown gate', () => {
  it('neutral: a held release alone makes the check neutral, and lists when it clears', () => {
    const config = parseConfig('');
    const findings = applyPolicy([tooNew()], { name: 'x', version: '1.0.1' }, config, now);
    expect(conclude(findings, 0, config)).toBe('neutral');
    const hold = cooldownHold([change('x', findings)], config);
    expect(hold).toEqual({
      conclusion: 'neutral',
      clearsAt: CLEARS,
      held: [
        { ecosystem: 'npm', name: 'x', version: '1.0.1', lockfile: 'package-lock.json', line: 12, publishedAt: '2026-12-06T10:00:00.000Z', clearsAt: CLEARS },
      ],
    });
  });

  it('neutral never lowers a failure from other findings', () => {
    const config = parseConfig('');
    const findings = applyPolicy(
      [tooNew(), { signal: 'install-script-added', severity: 'high', message: 'm', evidence: {} }],
      { name: 'x', version: '1.0.1' },
      config,
      now,
    );
    expect(conclude(findings, 0, config)).toBe('failure');
  });

  it('failure: a held release fails the check', () => {
    const config = parseConfig('cooldown:\n  conclusion: failure\n');
    expect(conclude(applyPolicy([tooNew()], { name: 'x', version: '1.0.1' }, config, now), 0, config)).toBe('failure');
  });

  it("off: today's behaviour, a low finding and no hold", () => {
    const config = parseConfig('cooldown:\n  conclusion: off\n');
    const findings = applyPolicy([tooNew()], { name: 'x', version: '1.0.1' }, config, now);
    expect(findings).toHaveLength(1);
    expect(conclude(findings, 0, config)).toBe('success');
    expect(cooldownHold([change('x', findings)], config)).toBeUndefined();
  });

  it('an allow entry for release-too-new releases the package from the hold', () => {
    const config = parseConfig('allow:\n  - package: x\n    signals: [release-too-new]\n    reason: checked the diff\n');
    const findings = applyPolicy([tooNew()], { name: 'x', version: '1.0.1' }, config, now);
    expect(findings[0]!.allowed).toBeDefined();
    expect(conclude(findings, 0, config)).toBe('success');
    expect(cooldownHold([change('x', findings)], config)).toBeUndefined();
  });

  it('a /lockwarden allow approval (exact) releases it too, only for that version', () => {
    const config = parseConfig('');
    config.allow.push({ package: 'x', version: '1.0.1', reason: 'looked at it', by: 'maintainer', exact: true });
    const ok = applyPolicy([tooNew()], { name: 'x', version: '1.0.1' }, config, now);
    expect(conclude(ok, 0, config)).toBe('success');
    const other = applyPolicy([tooNew()], { name: 'x', version: '1.0.2' }, config, now);
    expect(conclude(other, 0, config)).toBe('neutral');
  });

  it('switching release-too-new off switches the hold off', () => {
    const config = parseConfig('signals:\n  release-too-new: off\n');
    expect(conclude(applyPolicy([tooNew()], { name: 'x', version: '1.0.1' }, config, now), 0, config)).toBe('success');
  });

  it("the hold clears at the last release's time and carries the alternatives", () => {
    const config = parseConfig('');
    const a = change('a', [
      tooNew('2026-12-07T09:00:00.000Z', { alternative: { version: '0.9.0', publishedAt: '2026-10-01T00:00:00.000Z', sameLine: false } }),
    ]);
    const b = change('b', [tooNew('2026-12-08T11:30:00.000Z')]);
    const hold = cooldownHold([b, a], config)!;
    expect(hold.clearsAt).toBe('2026-12-08T11:30:00.000Z');
    expect(hold.held.map((h) => h.name)).toEqual(['a', 'b']);
    expect(hold.held[0]!.alternative).toEqual({ version: '0.9.0', publishedAt: '2026-10-01T00:00:00.000Z', sameLine: false });
  });
});
