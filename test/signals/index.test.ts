import { SEVERITIES, severityRank } from '../../src/model/index.js';
import { ALL_SIGNALS, SIGNALS, runSignals, severityOf } from '../../src/signals/index.js';
import type { SignalId } from '../../src/signals/types.js';
import { by, change, daysAgo, hoursAgo, input, packument, ver } from './builders.js';

const ALL_IDS: SignalId[] = [
  'install-script-added',
  'install-script-changed',
  'publisher-changed',
  'maintainers-changed',
  'trust-downgrade',
  'provenance-source-changed',
  'release-too-new',
  'dormant-revival',
  'new-dependency',
  'young-package',
  'non-registry-source',
  'integrity-mismatch',
  'version-not-found',
  'security-holder',
  'deprecated',
  'downgrade',
  // Python only
  'pth-file-added',
  'sdist-only',
  'install-hook-changed',
  'yanked',
  // advisory sources
  'known-malicious',
  'known-vulnerability',
  'manifest-mismatch',
  // content analysis
  'obfuscated-code',
  'new-capability',
  'new-executable',
  'install-script-payload',
];

describe('SIGNALS', () => {
  it('lists every id except the combiner, once, with a description and a valid default severity', () => {
    expect(SIGNALS.map((s) => s.id).sort()).toEqual([...ALL_IDS].sort());
    for (const s of SIGNALS) {
      expect(s.description.length).toBeGreaterThan(10);
      expect(SEVERITIES).toContain(s.defaultSeverity);
    }
    expect(ALL_SIGNALS.map((s) => s.id)).toContain('possible-takeover');
  });

  it('marks the lockfile-only signals offline', () => {
    expect(
      SIGNALS.filter((s) => s.offline)
        .map((s) => s.id)
        .sort(),
    ).toEqual(
      ['downgrade', 'install-script-added', 'known-malicious', 'known-vulnerability', 'new-dependency', 'non-registry-source', 'security-holder'].sort(),
    );
  });
});

describe('runSignals', () => {
  const p = packument('pkg', [
    ...[0, 1, 2].map((i) => ver(`1.0.${i}`, daysAgo(90 - i * 10), by('alice'))),
    ver('1.1.0', hoursAgo(3), { ...by('mallory'), scripts: { postinstall: 'node x.js' }, deprecated: 'oops' }),
  ]);

  it('runs every signal and the combiner, sorted by severity with the verdict first', () => {
    const out = runSignals(input(change({ name: 'pkg', from: '1.0.2', to: '1.1.0' }), p));
    const ids = out.map((f) => f.signal);
    expect(ids[0]).toBe('possible-takeover');
    expect(ids).toEqual(expect.arrayContaining(['install-script-added', 'publisher-changed', 'release-too-new', 'deprecated']));
    for (let i = 1; i < out.length; i++) {
      expect(severityRank(out[i - 1]!.severity)).toBeGreaterThanOrEqual(severityRank(out[i]!.severity));
    }
    expect(severityOf(out)).toBe('critical');
  });

  it('runs only the offline signals without a packument, and no combiner', () => {
    const c = change({ name: 'pkg', from: '2.0.0', to: '1.1.0', headFlags: { hasInstallScript: true } });
    const out = runSignals(input(c, null));
    expect(out.map((f) => f.signal).sort()).toEqual(['downgrade', 'install-script-added']);
  });

  it('returns nothing for removed packages', () => {
    expect(runSignals(input(change({ name: 'pkg', from: '1.0.2', to: null }), p))).toEqual([]);
  });

  it('re-reviews only the source of a version the base already had from the registry', () => {
    const c = change({ name: 'pkg', from: '1.1.0', to: '1.1.0', headSource: { type: 'tarball', url: 'https://files.example.test/pkg.tgz' } });
    expect(c.kind).toBe('source-changed');
    expect(runSignals(input(c, p)).map((f) => f.signal)).toEqual(['non-registry-source']);
  });

  it('does not let package names like __proto__ pollute anything', () => {
    const q = packument('__proto__', [ver('1.0.0', daysAgo(90), by('a')), ver('1.0.1', hoursAgo(2), { ...by('b'), dependencies: { constructor: '1' } })]);
    const out = runSignals(input(change({ name: '__proto__', from: '1.0.0', to: '1.0.1' }), q));
    expect(out.find((f) => f.signal === 'possible-takeover')?.evidence['addedDependencies']).toEqual(['constructor']);
    expect(({} as Record<string, unknown>)['1.0.1']).toBeUndefined();
  });

  it('severityOf is null for no findings', () => {
    expect(severityOf([])).toBeNull();
  });
});

describe('README signals table', () => {
  it('lists every signal with its default severity and offline column', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const s of ALL_SIGNALS) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${s.id}\` |`));
      expect({ id: s.id, row: row !== undefined }).toEqual({ id: s.id, row: true });
      const cells = row!.split('|').map((c) => c.trim());
      expect({ id: s.id, severity: cells[2], offline: cells[3] }).toEqual({ id: s.id, severity: s.defaultSeverity, offline: s.offline ? 'yes' : 'no' });
    }
  });
});
