import type { ArchiveContents, Change, Packument, SignalInput, VersionMeta } from '../../src/model/index.js';
import { manifestMismatch } from '../../src/signals/manifest-mismatch.js';
import { DEFAULT_SIGNAL_OPTIONS } from '../../src/signals/types.js';

function input(meta: Partial<VersionMeta>, pkg: Record<string, unknown> | string, extra: string[] = []): SignalInput {
  const version = '1.0.1';
  const packument: Packument = {
    name: 'p',
    versions: new Map([[version, { version, scripts: {}, manifestName: 'p', ...meta }]]),
    distTags: new Map(),
    abbreviated: false,
  };
  const text = typeof pkg === 'string' ? pkg : JSON.stringify(pkg);
  const files = [
    { path: 'package.json', size: text.length, sha256: '', kind: 'text' as const, text },
    ...extra.map((path) => ({ path, size: 1, sha256: '', kind: 'text' as const, text: 'x' })),
  ];
  const contents: ArchiveContents = { ecosystem: 'npm', name: 'p', version, integrity: 'sha512-x', files, skipped: [], bytes: { compressed: 1, unpacked: 1 } };
  const change = {
    ecosystem: 'npm',
    name: 'p',
    from: '1.0.0',
    to: version,
    kind: 'upgraded',
    lockfile: 'package-lock.json',
    line: 1,
    direct: true,
    directOf: [''],
    via: [],
    nameInBase: true,
  } as Change;
  return {
    change,
    packument,
    now: new Date(),
    options: DEFAULT_SIGNAL_OPTIONS,
    provenance: new Map(),
    wheels: new Map(),
    contents: new Map([[version, contents]]),
  };
}

const base = { name: 'p', version: '1.0.1' };
const run = (i: SignalInput) => manifestMismatch.run(i).map((f) => [f.severity, (f.evidence as { field?: string }).field]);

describe('manifest-mismatch', () => {
  it('is quiet when the tarball agrees with the registry (bin string form, ./ paths)', () => {
    expect(run(input({ bin: { p: 'cli.js' }, dependencies: { a: '^1' } }, { ...base, bin: './cli.js', dependencies: { a: '^1' } }))).toEqual([]);
  });
  it('install script only in the tarball: high', () => {
    expect(run(input({}, { ...base, scripts: { preinstall: 'curl x | sh' } }))).toEqual([['high', 'scripts']]);
  });
  it("npm's own install: node-gyp rebuild for a binding.gyp is not a mismatch", () => {
    expect(run(input({ scripts: { install: 'node-gyp rebuild' } }, base, ['binding.gyp']))).toEqual([]);
  });
  it('bin differing: high; dependencies differing: medium, naming them', () => {
    const findings = manifestMismatch.run(input({ dependencies: { a: '^1' } }, { ...base, bin: { p: 'evil.js' }, dependencies: { a: '^1', b: '1.0.0' } }));
    expect(findings.map((f) => [f.severity, (f.evidence as { field: string }).field])).toEqual([
      ['high', 'bin'],
      ['medium', 'dependencies'],
    ]);
    expect(findings[1]!.message).toContain('"b": registry none, tarball "1.0.0"');
  });
  it('name or version differing: high', () => {
    expect(run(input({}, { name: 'other', version: '1.0.1' }))).toEqual([['high', 'name']]);
    expect(run(input({}, { name: 'p', version: '9.9.9' }))).toEqual([['high', 'name']]);
  });
  it('an unreadable package.json: medium, never silent', () => {
    expect(run(input({}, '{not json'))).toEqual([['medium', undefined]]);
  });
  it('not evaluated without contents', () => {
    const i = input({}, { ...base, scripts: { postinstall: 'x' } });
    delete i.contents;
    expect(manifestMismatch.run(i)).toEqual([]);
  });
});
