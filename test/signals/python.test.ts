/**
 * The Python signals (pth-file-added, sdist-only, yanked, integrity-mismatch against the index's
 * file hashes) and the shared signals on index-shaped metadata, with fixture documents shaped like
 * the index client's slim output.
 */
import { runSignals, wheelVersionsNeeded } from '../../src/signals/index.js';
import { pthFileAdded } from '../../src/signals/pth-file-added.js';
import { sdistOnly } from '../../src/signals/sdist-only.js';
import { yanked } from '../../src/signals/yanked.js';
import { integrityMismatch } from '../../src/signals/integrity-mismatch.js';
import { platformFamily, startupHooks, wheelTags, wheelsToList, MAX_WHEELS_PER_RELEASE } from '../../src/signals/python-dist.js';
import type { DistFile, VersionMeta, WheelListing } from '../../src/model/index.js';
import { change, daysAgo, hoursAgo, input, packument, ver } from './builders.js';

function wheel(name: string, version: string, tag = 'py3-none-any', extra: Partial<DistFile> = {}): DistFile {
  return { filename: `${name}-${version}-${tag}.whl`, kind: 'wheel', url: `http://127.0.0.1:9/files/${name}-${version}-${tag}.whl`, ...extra };
}
function sdist(name: string, version: string, extra: Partial<DistFile> = {}): DistFile {
  return { filename: `${name}-${version}.tar.gz`, kind: 'sdist', url: `http://127.0.0.1:9/files/${name}-${version}.tar.gz`, ...extra };
}
function listing(file: DistFile, ...extra: string[]): WheelListing {
  const stem = file.filename.split('-').slice(0, 2).join('-');
  return { filename: file.filename, members: [`${stem}.dist-info/METADATA`, `${stem}.dist-info/RECORD`, 'pkg/__init__.py', ...extra] };
}
function py(version: string, publishedAt: string, files: DistFile[], extra: Partial<VersionMeta> = {}) {
  return ver(version, publishedAt, { files, ...extra });
}

describe('python-dist helpers', () => {
  it('reads wheel tags, including compressed tag sets and build numbers', () => {
    expect(wheelTags('numpy-2.1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl')).toEqual({
      python: ['cp312'],
      abi: ['cp312'],
      platform: ['manylinux_2_17_x86_64', 'manylinux2014_x86_64'],
    });
    expect(wheelTags('pkg-1.0-1-py3-none-any.whl')?.platform).toEqual(['any']);
    expect(wheelTags('pkg-1.0.tar.gz')).toBeNull();
    expect(wheelTags('broken.whl')).toBeNull();
  });

  it('groups platform baselines into families', () => {
    expect(platformFamily('manylinux_2_28_x86_64')).toBe('linux_x86_64');
    expect(platformFamily('manylinux2014_x86_64')).toBe('linux_x86_64');
    expect(platformFamily('musllinux_1_2_aarch64')).toBe('musllinux_aarch64');
    expect(platformFamily('macosx_11_0_arm64')).toBe('macosx_arm64');
    expect(platformFamily('win_amd64')).toBe('win_amd64');
  });

  it('finds start-up hooks at the top of site-packages only', () => {
    const hooks = startupHooks([
      'litellm_init.pth',
      'pkg/inner.pth', // inside a package: never read by the site module
      'pkg-1.0.data/purelib/evil.pth',
      'pkg-1.0.data/platlib/sitecustomize.py',
      'pkg-1.0.data/scripts/run.pth', // scripts folder, not site-packages
      'usercustomize.py',
      'README.pth.txt',
    ]);
    expect(hooks.map((h) => h.installedAs)).toEqual(['litellm_init.pth', 'evil.pth', 'sitecustomize.py', 'usercustomize.py']);
  });

  it('lists one wheel per platform family first and caps the count', () => {
    const files: DistFile[] = [];
    for (let i = 0; i < 30; i++) files.push(wheel('np', '1.0', `cp3${i % 10}-cp3${i % 10}-manylinux_2_17_x86_64`));
    files.push(wheel('np', '1.0', 'cp312-cp312-win_amd64'));
    const chosen = wheelsToList({ version: '1.0', scripts: {}, files });
    expect(chosen).toHaveLength(MAX_WHEELS_PER_RELEASE);
    expect(chosen.map((f) => f.filename)).toContain('np-1.0-cp312-cp312-win_amd64.whl');
  });
});

describe('pth-file-added', () => {
  const w6 = wheel('litellm', '1.82.6');
  const w8 = wheel('litellm', '1.82.8');
  const doc = packument('litellm', [py('1.82.6', daysAgo(10), [w6, sdist('litellm', '1.82.6')]), py('1.82.8', hoursAgo(3), [w8, sdist('litellm', '1.82.8')])]);
  const c = change({ name: 'litellm', from: '1.82.6', to: '1.82.8', ecosystem: 'pypi' });

  it('asks for the wheels of the new version and of the version it replaces', () => {
    expect(wheelVersionsNeeded(c, doc)).toEqual(['1.82.8', '1.82.6']);
    expect(wheelVersionsNeeded({ ...c, ecosystem: 'npm' }, doc)).toEqual([]);
  });

  it('is critical when the new wheel has a top-level .pth the old one did not, naming the file', () => {
    const f = pthFileAdded.run(
      input(c, doc, {
        wheels: [
          ['1.82.8', [listing(w8, 'litellm_init.pth')]],
          ['1.82.6', [listing(w6)]],
        ],
      }),
    );
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('critical');
    expect(f[0]!.message).toContain('litellm_init.pth');
    expect(f[0]!.evidence).toMatchObject({ files: ['litellm_init.pth'], baseVersion: '1.82.6', wheel: w8.filename });
  });

  it('stays quiet when the hook was already there (setuptools-style)', () => {
    const f = pthFileAdded.run(
      input(c, doc, {
        wheels: [
          ['1.82.8', [listing(w8, 'distutils-precedence.pth')]],
          ['1.82.6', [listing(w6, 'distutils-precedence.pth')]],
        ],
      }),
    );
    expect(f).toEqual([]);
  });

  it('is high, not critical, when the earlier wheels could not be read', () => {
    const f = pthFileAdded.run(input(c, doc, { wheels: [['1.82.8', [listing(w8, 'x.pth')]]] }));
    expect(f[0]!.severity).toBe('high');
    expect(f[0]!.message).toContain('could not be read');
  });

  it('is high for a first release that ships a hook', () => {
    const only = packument('newpkg', [py('0.1', hoursAgo(5), [wheel('newpkg', '0.1')])]);
    const nc = change({ name: 'newpkg', to: '0.1', ecosystem: 'pypi' });
    const f = pthFileAdded.run(input(nc, only, { wheels: [['0.1', [listing(wheel('newpkg', '0.1'), 'sitecustomize.py')]]] }));
    expect(f[0]!.severity).toBe('high');
    expect(f[0]!.message).toContain('first release');
  });

  it('combines with a young package into suspicious-new-package', () => {
    const only = packument('newpkg', [py('0.1', hoursAgo(5), [wheel('newpkg', '0.1')])]);
    const nc = change({ name: 'newpkg', to: '0.1', ecosystem: 'pypi', nameInBase: false });
    const all = runSignals(input(nc, only, { wheels: [['0.1', [listing(wheel('newpkg', '0.1'), 'evil.pth')]]] }));
    expect(all[0]!.signal).toBe('suspicious-new-package');
    expect(all[0]!.severity).toBe('critical');
  });
});

describe('sdist-only', () => {
  const c = change({ name: 'fastlib', from: '2.0', to: '2.1', ecosystem: 'pypi' });
  const linux = 'cp312-cp312-manylinux_2_17_x86_64';
  const mac = 'cp312-cp312-macosx_11_0_arm64';

  it('is medium when the new version ships only an sdist where the old one had wheels', () => {
    const doc = packument('fastlib', [
      py('2.0', daysAgo(60), [wheel('fastlib', '2.0', linux), sdist('fastlib', '2.0')]),
      py('2.1', daysAgo(5), [sdist('fastlib', '2.1')]),
    ]);
    const f = sdistOnly.run(input(c, doc));
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('medium');
    expect(f[0]!.evidence).toMatchObject({ lostPlatforms: ['linux_x86_64'], noWheels: true });
  });

  it('is low when one platform lost its wheel', () => {
    const doc = packument('fastlib', [
      py('2.0', daysAgo(60), [wheel('fastlib', '2.0', linux), wheel('fastlib', '2.0', mac), sdist('fastlib', '2.0')]),
      py('2.1', daysAgo(5), [wheel('fastlib', '2.1', 'cp312-cp312-manylinux_2_28_x86_64'), sdist('fastlib', '2.1')]),
    ]);
    const f = sdistOnly.run(input(c, doc));
    expect(f[0]!.severity).toBe('low');
    expect(f[0]!.evidence['lostPlatforms']).toEqual(['macosx_arm64']);
  });

  it('says nothing when a platform is added, or a pure-Python wheel covers everything', () => {
    const added = packument('fastlib', [
      py('2.0', daysAgo(60), [wheel('fastlib', '2.0', linux), sdist('fastlib', '2.0')]),
      py('2.1', daysAgo(5), [wheel('fastlib', '2.1', linux), wheel('fastlib', '2.1', 'cp312-cp312-musllinux_1_2_x86_64'), sdist('fastlib', '2.1')]),
    ]);
    expect(sdistOnly.run(input(c, added))).toEqual([]);
    const pure = packument('fastlib', [
      py('2.0', daysAgo(60), [wheel('fastlib', '2.0', linux), sdist('fastlib', '2.0')]),
      py('2.1', daysAgo(5), [wheel('fastlib', '2.1'), sdist('fastlib', '2.1')]),
    ]);
    expect(sdistOnly.run(input(c, pure))).toEqual([]);
  });

  it('says nothing when the earlier version had no wheels either', () => {
    const doc = packument('fastlib', [py('2.0', daysAgo(60), [sdist('fastlib', '2.0')]), py('2.1', daysAgo(5), [sdist('fastlib', '2.1')])]);
    expect(sdistOnly.run(input(c, doc))).toEqual([]);
  });
});

describe('yanked', () => {
  const c = change({ name: 'pkg', from: '1.0', to: '1.1', ecosystem: 'pypi' });
  it('reports a yanked version with its reason, high when the reason speaks of a compromise', () => {
    const doc = packument('pkg', [py('1.0', daysAgo(90), []), py('1.1', daysAgo(3), [], { yanked: { reason: 'Compromised token, malicious upload' } })]);
    const f = yanked.run(input(c, doc));
    expect(f[0]!.severity).toBe('high');
    expect(f[0]!.message).toContain('Compromised token');
    const plain = packument('pkg', [py('1.0', daysAgo(90), []), py('1.1', daysAgo(3), [], { yanked: {} })]);
    expect(yanked.run(input(c, plain))[0]!.severity).toBe('medium');
  });
  it('ignores versions that are not yanked, and npm changes', () => {
    const doc = packument('pkg', [py('1.0', daysAgo(90), []), py('1.1', daysAgo(3), [])]);
    expect(yanked.run(input(c, doc))).toEqual([]);
    const y = packument('pkg', [py('1.1', daysAgo(3), [], { yanked: {} })]);
    expect(yanked.run(input({ ...c, ecosystem: 'npm' }, y))).toEqual([]);
  });
});

describe('integrity-mismatch (Python)', () => {
  const A = 'a'.repeat(64);
  const B = 'b'.repeat(64);
  const EVIL = 'e'.repeat(64);
  const doc = packument('pkg', [py('1.1', daysAgo(3), [wheel('pkg', '1.1', 'py3-none-any', { sha256: A }), sdist('pkg', '1.1', { sha256: B })])]);
  const mk = (hashes: Array<{ digest: string; file?: string; algorithm?: string }>) =>
    change({ name: 'pkg', from: '1.0', to: '1.1', ecosystem: 'pypi', headHashes: hashes.map((h) => ({ algorithm: h.algorithm ?? 'sha256', ...h })) });

  it('accepts hashes the index lists, with or without file names, and a subset of the files', () => {
    expect(integrityMismatch.run(input(mk([{ digest: A }, { digest: B }]), doc))).toEqual([]);
    expect(integrityMismatch.run(input(mk([{ digest: A, file: 'pkg-1.1-py3-none-any.whl' }]), doc))).toEqual([]);
    expect(integrityMismatch.run(input(mk([{ digest: 'ffff', algorithm: 'md5' }]), doc))).toEqual([]);
  });

  it('is critical when one listed hash is foreign, even next to good ones', () => {
    const f = integrityMismatch.run(input(mk([{ digest: A }, { digest: EVIL }]), doc));
    expect(f[0]!.severity).toBe('critical');
    expect(f[0]!.evidence['foreignHashes']).toEqual([{ file: null, digest: EVIL, indexDigest: null }]);
  });

  it('compares per file where the lockfile names the file', () => {
    const f = integrityMismatch.run(input(mk([{ digest: B, file: 'pkg-1.1-py3-none-any.whl' }]), doc));
    expect(f[0]!.evidence['foreignHashes']).toEqual([{ file: 'pkg-1.1-py3-none-any.whl', digest: B, indexDigest: A }]);
  });
});

describe('the shared signals on index metadata', () => {
  it('LiteLLM-like: hours-old token upload after attested releases, with a .pth → critical takeover verdict', () => {
    const attested = { trustedPublisher: {}, attestations: { provenance: { predicateType: 'pep740:publish/v1' } } };
    const versions = [];
    for (let i = 0; i <= 6; i++) {
      const v = `1.82.${i}`;
      versions.push(py(v, daysAgo(40 - i * 5), [wheel('litellm', v, 'py3-none-any', { provenance: true })], attested));
    }
    const w8 = wheel('litellm', '1.82.8');
    versions.push(py('1.82.7', hoursAgo(6), [wheel('litellm', '1.82.7')]));
    versions.push(py('1.82.8', hoursAgo(3), [w8]));
    const doc = packument('litellm', versions);
    const c = change({ name: 'litellm', from: '1.82.6', to: '1.82.8', ecosystem: 'pypi', direct: true });
    const all = runSignals(
      input(c, doc, {
        wheels: [
          ['1.82.8', [listing(w8, 'litellm_init.pth')]],
          ['1.82.6', [listing(wheel('litellm', '1.82.6'))]],
        ],
      }),
    );
    const ids = all.map((f) => f.signal);
    expect(ids).toEqual(expect.arrayContaining(['pth-file-added', 'trust-downgrade', 'release-too-new', 'possible-takeover']));
    expect(all[0]!.severity).toBe('critical');
    const takeover = all.find((f) => f.signal === 'possible-takeover')!;
    expect(takeover.severity).toBe('critical');
    expect(takeover.message).toContain('litellm_init.pth');
  });
});
