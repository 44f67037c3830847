import type { Advisory } from '../../src/model/index.js';
import { runSignals } from '../../src/signals/index.js';
import { knownMalicious } from '../../src/signals/known-malicious.js';
import { knownVulnerability } from '../../src/signals/known-vulnerability.js';
import { change, input } from './builders.js';

const adv = (a: Partial<Advisory> & Pick<Advisory, 'id'>): Advisory => ({
  aliases: [],
  source: 'osv',
  kind: 'malicious',
  summary: 'Malicious code in chalk (npm)',
  affected: ['= 5.6.1'],
  url: 'https://advisories.example/x',
  ...a,
});
const withAdvisories = (c: ReturnType<typeof change>, advisories: Advisory[] | undefined) => ({ ...input(c, null), ...(advisories ? { advisories } : {}) });

describe('known-malicious', () => {
  const bump = change({ name: 'chalk', from: '5.6.0', to: '5.6.1' });

  it('is one critical finding for two sources that know the same release', () => {
    const out = knownMalicious.run(
      withAdvisories(bump, [
        adv({ id: 'MAL-2025-46969', aliases: ['GHSA-2v46-p5h4-248w'], published: '2025-09-08T17:11:19Z', modified: '2025-09-12T01:13:34Z' }),
        adv({
          id: 'GHSA-2v46-p5h4-248w',
          source: 'github',
          summary: 'Malware in chalk',
          affected: ['= 5.6.1'],
          url: 'https://github.com/advisories/GHSA-2v46-p5h4-248w',
        }),
      ]),
    );
    expect(out).toHaveLength(1);
    expect(out[0]!.severity).toBe('critical');
    expect(out[0]!.message).toContain('chalk@5.6.1');
    expect(out[0]!.evidence['advisories']).toEqual([
      {
        ids: ['GHSA-2v46-p5h4-248w', 'MAL-2025-46969'],
        aliases: [],
        sources: ['github', 'osv'],
        summary: 'Malware in chalk',
        published: '2025-09-08T17:11:19Z',
        modified: '2025-09-12T01:13:34Z',
        affected: ['= 5.6.1'],
        urls: ['https://github.com/advisories/GHSA-2v46-p5h4-248w', 'https://advisories.example/x'],
      },
    ]);
  });

  it('runs without a registry document (offline), and not for removals or without a lookup', () => {
    expect(runSignals(withAdvisories(bump, [adv({ id: 'MAL-1' })])).map((f) => f.signal)).toEqual(['known-malicious']);
    expect(knownMalicious.run(withAdvisories(change({ name: 'chalk', from: '5.6.1', to: null }), [adv({ id: 'MAL-1' })]))).toEqual([]);
    expect(knownMalicious.run(withAdvisories(bump, undefined))).toEqual([]);
    expect(knownMalicious.run(withAdvisories(bump, [adv({ id: 'GHSA-1', kind: 'vulnerability' })]))).toEqual([]);
  });

  it('fires for a downgrade to a malicious version', () => {
    const down = change({ name: 'chalk', from: '5.6.2', to: '5.6.1' });
    expect(down.kind).toBe('downgraded');
    expect(knownMalicious.run(withAdvisories(down, [adv({ id: 'MAL-1' })]))).toHaveLength(1);
  });

  it('keeps advisory text on one line and short', () => {
    const [f] = knownMalicious.run(withAdvisories(bump, [adv({ id: 'MAL-1\u001b[31m', summary: `line\n\u0007${'x'.repeat(5000)}` })]));
    const [g] = f!.evidence['advisories'] as { ids: string[]; summary: string }[];
    expect(g!.summary).not.toMatch(/[\n\u0007]/);
    expect(g!.summary.length).toBeLessThan(320);
    expect(f!.message).not.toMatch(/[\u0000-\u001f]/);
  });
});

describe('known-vulnerability', () => {
  const bump = change({ name: 'lodash', from: '4.17.19', to: '4.17.20' });
  const vuln = (id: string, severity?: string) => adv({ id, kind: 'vulnerability', summary: `vuln ${id}`, ...(severity ? { severity } : {}) });

  it('is medium for a critical or high advisory, low otherwise', () => {
    expect(knownVulnerability.run(withAdvisories(bump, [vuln('GHSA-35jh-r3h4-6jhm', 'high')]))[0]!.severity).toBe('medium');
    expect(knownVulnerability.run(withAdvisories(bump, [vuln('GHSA-a', 'critical')]))[0]!.severity).toBe('medium');
    expect(knownVulnerability.run(withAdvisories(bump, [vuln('GHSA-b', 'moderate')]))[0]!.severity).toBe('low');
    expect(knownVulnerability.run(withAdvisories(bump, [vuln('GHSA-c')]))[0]!.severity).toBe('low');
    const both = knownVulnerability.run(withAdvisories(bump, [vuln('GHSA-b', 'low'), vuln('GHSA-a', 'high')]));
    expect(both).toHaveLength(1);
    expect(both[0]!.severity).toBe('medium');
  });

  it('does not repeat malware advisories', () => {
    expect(knownVulnerability.run(withAdvisories(bump, [adv({ id: 'MAL-1' })]))).toEqual([]);
  });
});
