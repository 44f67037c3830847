/**
 * Incident-shaped tests: the metadata is modelled on what was published (accounts, timing, scripts,
 * dependencies), reduced to the fields lockwarden keeps. Each must come out high or critical overall.
 */
import { severityRank } from '../../src/model/index.js';
import { runSignals, severityOf } from '../../src/signals/index.js';
import { by, change, input, maint, packument, prov, trusted, ver } from './builders.js';

const at = (iso: string) => new Date(iso);
const ids = (fs: { signal: string }[]) => fs.map((f) => f.signal);
const atLeastHigh = (fs: Parameters<typeof severityOf>[0]) => severityRank(severityOf(fs) ?? 'info') >= severityRank('high');

describe('event-stream 3.3.4 → 3.3.6 (2018)', () => {
  const deps = {
    duplexer: '~0.1.1',
    from: '~0',
    'map-stream': '~0.1.0',
    'pause-stream': '0.0.11',
    split: '0.3',
    'stream-combiner': '~0.0.4',
    through: '~2.3.1',
  };
  const p = packument('event-stream', [
    ver('3.3.0', '2015-03-05T18:00:00.000Z', { ...by('dominictarr'), ...maint('dominictarr'), dependencies: deps }),
    ver('3.3.1', '2015-05-14T10:00:00.000Z', { ...by('dominictarr'), ...maint('dominictarr'), dependencies: deps }),
    ver('3.3.2', '2015-10-26T09:00:00.000Z', { ...by('dominictarr'), ...maint('dominictarr'), dependencies: deps }),
    ver('3.3.3', '2016-05-30T12:00:00.000Z', { ...by('dominictarr'), ...maint('dominictarr'), dependencies: deps }),
    ver('3.3.4', '2016-07-22T14:00:00.000Z', { ...by('dominictarr'), ...maint('dominictarr'), dependencies: deps }),
    ver('3.3.6', '2018-09-09T11:00:00.000Z', {
      ...by('right9ctrl'),
      ...maint('dominictarr', 'right9ctrl'),
      dependencies: { ...deps, 'flatmap-stream': '^0.1.0' },
    }),
  ]);

  it('is a critical possible takeover: new publisher, revived after two years, adds flatmap-stream', () => {
    const c = change({ name: 'event-stream', from: '3.3.4', to: '3.3.6', via: ['nodemon', 'ps-tree'] });
    const out = runSignals(input(c, p, { now: at('2018-09-20T12:00:00.000Z') }));
    expect(out[0]?.signal).toBe('possible-takeover');
    expect(out[0]?.severity).toBe('critical');
    expect(out[0]?.evidence['addedDependencies']).toEqual(['flatmap-stream']);
    expect(out[0]?.evidence['indicators']).toEqual(['publisher-changed', 'dormant-revival', 'added-dependencies']);
    expect(ids(out)).toEqual(expect.arrayContaining(['publisher-changed', 'dormant-revival', 'maintainers-changed']));
    const pub = out.find((f) => f.signal === 'publisher-changed');
    expect(pub?.evidence['previousPublishers']).toEqual([{ name: 'dominictarr', versionsInWindow: 5, trustedPublisher: false }]);
  });
});

describe('flatmap-stream 0.1.1 (2018)', () => {
  const p = packument('flatmap-stream', [
    ver('0.1.0', '2018-09-09T10:00:00.000Z', { ...by('hugeglass'), ...maint('hugeglass') }),
    ver('0.1.1', '2018-10-05T07:00:00.000Z', { ...by('hugeglass'), ...maint('hugeglass') }),
  ]);
  it('is high: a name new to the lockfile, a package under a month old, a release hours old', () => {
    const c = change({ name: 'flatmap-stream', to: '0.1.1', via: ['nodemon', 'ps-tree', 'event-stream'] });
    const out = runSignals(input(c, p, { now: at('2018-10-05T20:00:00.000Z') }));
    expect(atLeastHigh(out)).toBe(true);
    expect(out[0]?.signal).toBe('young-package');
    expect(ids(out)).toEqual(expect.arrayContaining(['new-dependency', 'release-too-new']));
  });
});

describe('eslint-scope 3.7.1 → 3.7.2 (2018)', () => {
  const p = packument('eslint-scope', [
    ver('3.7.0', '2017-06-09T20:00:00.000Z', by('eslintbot')),
    ver('3.7.1', '2017-07-24T23:00:00.000Z', by('eslintbot')),
    ver('3.7.2', '2018-07-12T10:40:00.000Z', { ...by('eslintbot'), scripts: { postinstall: 'node ./lib/build.js' } }),
  ]);
  it('is high: same account, but a postinstall appears', () => {
    const c = change({ name: 'eslint-scope', from: '3.7.1', to: '3.7.2', via: ['eslint'] });
    const out = runSignals(input(c, p, { now: at('2018-07-12T12:00:00.000Z') }));
    expect(out[0]?.signal).toBe('install-script-added');
    expect(out[0]?.severity).toBe('high');
    expect(out[0]?.evidence['scripts']).toEqual({ postinstall: 'node ./lib/build.js' });
    expect(ids(out)).not.toContain('publisher-changed');
  });
});

describe('ua-parser-js 0.7.28 → 0.7.29 (2021)', () => {
  const p = packument('ua-parser-js', [
    ver('0.7.27', '2021-03-29T12:00:00.000Z', by('faisalman')),
    ver('0.7.28', '2021-04-12T09:00:00.000Z', by('faisalman')),
    ver('0.7.29', '2021-10-22T12:15:00.000Z', { ...by('faisalman'), scripts: { preinstall: 'start /B node preinstall.js & node preinstall.js' } }),
  ]);
  it('is high: a preinstall appears', () => {
    const c = change({ name: 'ua-parser-js', from: '0.7.28', to: '0.7.29', direct: true });
    const out = runSignals(input(c, p, { now: at('2021-10-22T16:00:00.000Z') }));
    expect(atLeastHigh(out)).toBe(true);
    expect(out[0]?.signal).toBe('install-script-added');
    expect(out[0]?.message).toContain('preinstall');
  });
});

describe('axios 1.14.0 → 1.14.1 (2026)', () => {
  const deps = { 'follow-redirects': '^1.15.6', 'form-data': '^4.0.4', 'proxy-from-env': '^1.1.0' };
  const p = packument('axios', [
    ver('1.12.2', '2025-09-14T10:00:00.000Z', { ...by('jasonsaayman'), ...prov(), dependencies: deps }),
    ver('1.13.0', '2025-10-27T10:00:00.000Z', { ...trusted(), dependencies: deps }),
    ver('1.13.2', '2025-11-04T10:00:00.000Z', { ...trusted(), dependencies: deps }),
    ver('1.14.0', '2026-03-12T10:00:00.000Z', { ...trusted(), dependencies: deps }),
    ver('0.30.4', '2026-03-31T01:00:00.000Z', { ...by('jasonsaayman'), dependencies: { ...deps, 'plain-crypto-js': '^4.2.1' } }),
    ver('1.14.1', '2026-03-31T00:21:00.000Z', { ...by('jasonsaayman'), dependencies: { ...deps, 'plain-crypto-js': '^4.2.1' } }),
  ]);
  const c = change({ name: 'axios', from: '1.14.0', to: '1.14.1', direct: true });

  it('is critical: token publish instead of trusted publishing, no provenance, adds plain-crypto-js', () => {
    const out = runSignals(input(c, p, { now: at('2026-03-31T03:00:00.000Z') }));
    const verdict = out[0];
    expect(verdict?.signal).toBe('possible-takeover');
    expect(verdict?.severity).toBe('critical');
    expect(verdict?.evidence['identityIndicators']).toEqual(['publisher-changed', 'trust-downgrade']);
    expect(verdict?.evidence['addedDependencies']).toEqual(['plain-crypto-js']);
    const td = out.find((f) => f.signal === 'trust-downgrade');
    expect(td?.evidence['baselineVersion']).toBe('1.14.0');
    expect(td?.evidence['baselineLevel']).toBe('trusted-publisher');
  });

  it('stays critical days later, when the cooldown has passed', () => {
    const out = runSignals(input(c, p, { now: at('2026-04-05T03:00:00.000Z') }));
    expect(out[0]?.severity).toBe('critical');
    expect(ids(out)).not.toContain('release-too-new');
  });
});

describe('plain-crypto-js 4.2.1 (2026)', () => {
  const p = packument('plain-crypto-js', [
    ver('4.2.0', '2026-03-30T05:57:00.000Z', by('nrwise')),
    ver('4.2.1', '2026-03-30T23:59:00.000Z', { ...by('nrwise'), scripts: { postinstall: 'node setup.js' } }),
  ]);
  it('is critical: a package created hours earlier, new to the lockfile, whose new release adds a postinstall', () => {
    const c = change({ name: 'plain-crypto-js', to: '4.2.1', via: ['axios'] });
    const out = runSignals(input(c, p, { now: at('2026-03-31T03:00:00.000Z') }));
    expect(severityOf(out)).toBe('critical');
    expect(ids(out)).toEqual(expect.arrayContaining(['suspicious-new-package', 'install-script-added', 'young-package', 'new-dependency', 'release-too-new']));
    expect(out.find((f) => f.signal === 'install-script-added')?.evidence['previousVersion']).toBe('4.2.0');
  });
  it('is still at least medium offline, from the lockfile flag alone', () => {
    const c = change({ name: 'plain-crypto-js', to: '4.2.1', via: ['axios'], headFlags: { hasInstallScript: true } });
    const out = runSignals(input(c, null, { now: at('2026-03-31T03:00:00.000Z') }));
    expect(severityOf(out)).toBe('medium');
  });
});
