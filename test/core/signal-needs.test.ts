/**
 * Issue 12 item 2: every signal declares the data it needs, the engine has a gatherer for every kind a
 * signal can declare, and a combiner that is on brings the signals it weighs (and their needs).
 */
import { DATA_NEEDS, type DataNeed, type SignalId } from '../../src/model/index.js';
import { ALL_SIGNALS, needsOf, possibleTakeover, signalsToRun } from '../../src/signals/index.js';
import { IDENTITY_INDICATORS, PAYLOAD_INDICATORS } from '../../src/signals/combine.js';
import { GATHERERS } from '../../src/core/gatherers/index.js';
import { gatheringOrder } from '../../src/core/gather.js';

const byId = new Map(ALL_SIGNALS.map((s) => [s.id, s]));
const LOCKFILE_ONLY: SignalId[] = ['downgrade', 'new-dependency', 'non-registry-source', 'security-holder'];

describe('signals declare their needs', () => {
  it.each(ALL_SIGNALS.map((s) => [s.id, s] as const))('%s declares needs the engine knows, once each', (_id, s) => {
    expect(Array.isArray(s.needs)).toBe(true);
    for (const n of s.needs) expect(DATA_NEEDS).toContain(n);
    expect(new Set(s.needs).size).toBe(s.needs.length);
  });

  it('a signal that runs offline needs nothing from a registry but may read the document when online', () => {
    // advisories: an offline review still asks a local advisory directory (no network)
    const offlineKinds = ['packument', 'registry-origins', 'advisories'];
    for (const s of ALL_SIGNALS.filter((x) => x.offline)) expect(s.needs.filter((n) => !offlineKinds.includes(n))).toEqual([]);
    for (const s of ALL_SIGNALS.filter((x) => !x.offline)) expect(s.needs).toContain('packument');
  });

  it('the lockfile-only signals need no registry document', () => {
    for (const id of LOCKFILE_ONLY) expect(byId.get(id)!.needs).not.toContain('packument');
  });

  it('the combiners name signals that exist, and are the only ones that combine', () => {
    const combiners = ALL_SIGNALS.filter((s) => s.combines !== undefined).map((s) => s.id);
    expect(combiners.sort()).toEqual(['possible-takeover', 'suspicious-new-package']);
    for (const s of ALL_SIGNALS) for (const c of s.combines ?? []) expect(byId.get(c.id)).toBe(c);
  });

  it('possible-takeover combines exactly the indicators it weighs', () => {
    expect(possibleTakeover.combines!.map((s) => s.id).sort()).toEqual([...IDENTITY_INDICATORS, ...PAYLOAD_INDICATORS].sort());
  });
});

describe('the engine has a gatherer for every need', () => {
  it('one gatherer per kind of data, and none for a kind no one can declare', () => {
    expect(Object.keys(GATHERERS).sort()).toEqual([...DATA_NEEDS].sort());
    for (const s of ALL_SIGNALS) for (const n of s.needs) expect(typeof GATHERERS[n]?.start).toBe('function');
  });

  it("a gatherer's prerequisites come before it in gathering order", () => {
    for (const [kind, g] of Object.entries(GATHERERS) as [DataNeed, (typeof GATHERERS)[DataNeed]][]) {
      for (const before of g.after) expect(DATA_NEEDS.indexOf(before)).toBeLessThan(DATA_NEEDS.indexOf(kind));
    }
  });

  it('gathering attestations, wheel listings or sdist contents reads the packument first', () => {
    expect(gatheringOrder(new Set(['attestations']))).toEqual(['packument', 'attestations']);
    expect(gatheringOrder(new Set(['sdist-contents', 'wheel-listings']))).toEqual(['packument', 'wheel-listings', 'sdist-contents']);
    expect(gatheringOrder(new Set(['registry-origins']))).toEqual(['registry-origins']);
    expect(gatheringOrder(new Set())).toEqual([]);
  });
});

describe('which signals run, and what they need', () => {
  const allOn = () => true;
  const offOnly =
    (...off: SignalId[]) =>
    (id: SignalId) =>
      !off.includes(id);

  it('with every signal on, all run and every kind is needed', () => {
    const running = signalsToRun(ALL_SIGNALS, allOn);
    expect(running.size).toBe(ALL_SIGNALS.length);
    expect([...needsOf(ALL_SIGNALS, running)].sort()).toEqual([...DATA_NEEDS].sort());
  });

  it('a switched-off signal still runs while a combiner that weighs it is on', () => {
    const running = signalsToRun(ALL_SIGNALS, offOnly('provenance-source-changed'));
    expect(running.has('provenance-source-changed')).toBe(true);
    expect(needsOf(ALL_SIGNALS, running).has('attestations')).toBe(true);
  });

  it('with the signal and its combiner off, its data is not needed', () => {
    const running = signalsToRun(ALL_SIGNALS, offOnly('provenance-source-changed', 'possible-takeover'));
    expect(running.has('provenance-source-changed')).toBe(false);
    expect(needsOf(ALL_SIGNALS, running).has('attestations')).toBe(false);
    const python = signalsToRun(
      ALL_SIGNALS,
      offOnly(
        'pth-file-added',
        'possible-takeover',
        'suspicious-new-package',
        'install-hook-changed',
        'provenance-source-changed',
        'known-malicious',
        'known-vulnerability',
        'manifest-mismatch',
        'obfuscated-code',
        'new-capability',
        'new-executable',
        'install-script-payload',
      ),
    );
    expect([...needsOf(ALL_SIGNALS, python)].sort()).toEqual(['packument', 'registry-origins']);
  });

  it('with only the lockfile-only signals on, no registry document is needed', () => {
    const running = signalsToRun(ALL_SIGNALS, (id) => LOCKFILE_ONLY.includes(id));
    expect([...running].sort()).toEqual([...LOCKFILE_ONLY].sort());
    expect([...needsOf(ALL_SIGNALS, running)]).toEqual(['registry-origins']);
  });
});
