/** The npm-family readers: .npmrc, package.json (npm 11, bun, pnpm), pnpm-workspace.yaml, .yarnrc.yml, bunfig.toml. */
import { weakenings } from '../../src/guard-rails/index.js';

const keys = (cs: { key: string }[]) => cs.map((c) => c.key);

describe('.npmrc', () => {
  const base = [
    '; project settings',
    'ignore-scripts=true',
    '@corp:registry=https://npm.corp.example/',
    '//npm.corp.example/:_authToken=${NPM_TOKEN}',
    'min-release-age=3',
    '',
  ].join('\n');

  it('ignore-scripts true → false is a weakening on its line', () => {
    const w = weakenings('.npmrc', base, base.replace('ignore-scripts=true', 'ignore-scripts=false'));
    expect(w.weakened).toEqual([expect.objectContaining({ key: 'ignore-scripts', before: 'true', after: 'false', line: 2, side: 'head' })]);
    expect(w.tightened).toEqual([]);
  });

  it('ignore-scripts removed is a weakening on the base line', () => {
    const w = weakenings('.npmrc', base, base.replace('ignore-scripts=true\n', ''));
    expect(w.weakened).toEqual([expect.objectContaining({ key: 'ignore-scripts', after: null, line: 2, side: 'base' })]);
  });

  it('adding ignore-scripts=true is good news, not a finding', () => {
    const w = weakenings('.npmrc', 'registry=https://npm.corp.example/\n', 'registry=https://npm.corp.example/\nignore-scripts=true\n');
    expect(w.weakened).toEqual([]);
    expect(w.tightened).toEqual([expect.objectContaining({ key: 'ignore-scripts', before: null, after: 'true', line: 2 })]);
  });

  it('a new default registry, a changed scoped registry and strict-ssl=false are weakenings', () => {
    const head = `${base.replace('npm.corp.example/', 'npm.attacker.example/')}registry=https://mirror.example/\nstrict-ssl=false\n`;
    const w = weakenings('.npmrc', base, head);
    expect(keys(w.weakened)).toEqual(['@corp:registry', 'registry', 'strict-ssl']);
    expect(w.weakened[0]).toMatchObject({ before: 'https://npm.corp.example/', after: 'https://npm.attacker.example/', line: 3 });
  });

  it('min-release-age lowered or removed is a weakening, raised is good news', () => {
    expect(keys(weakenings('.npmrc', base, base.replace('min-release-age=3', 'min-release-age=0')).weakened)).toEqual(['min-release-age']);
    expect(keys(weakenings('.npmrc', base, base.replace('min-release-age=3\n', '')).weakened)).toEqual(['min-release-age']);
    expect(keys(weakenings('.npmrc', base, base.replace('min-release-age=3', 'min-release-age=7')).tightened)).toEqual(['min-release-age']);
  });

  it('never reads credential lines, and redacts credentials in registry URLs', () => {
    const head = `${base}registry=https://ci:s3cr3t-token@npm.corp.example/\n//npm.corp.example/:_authToken=npm_leaked\n`;
    const w = weakenings('.npmrc', base, head);
    expect(JSON.stringify(w)).not.toMatch(/s3cr3t|npm_leaked|NPM_TOKEN/);
    expect(w.weakened).toEqual([expect.objectContaining({ key: 'registry', after: 'https://***@npm.corp.example/' })]);
  });

  it('reads values as npm does: inline comments, quoted keys and values, a lone CR ending a line', () => {
    expect(keys(weakenings('.npmrc', '', 'strict-ssl=false ; "temporarily"\n').weakened)).toEqual(['strict-ssl']);
    expect(keys(weakenings('.npmrc', '', '"strict-ssl" = "false"\n').weakened)).toEqual(['strict-ssl']);
    expect(weakenings('.npmrc', '', 'registry=https://npm.corp.example/\rstrict-ssl=false\n').weakened).toEqual([
      expect.objectContaining({ key: 'registry', after: 'https://npm.corp.example/', line: 1 }),
      expect.objectContaining({ key: 'strict-ssl', after: 'false', line: 1 }),
    ]);
    expect(keys(weakenings('.npmrc', 'ignore-scripts=true\n', 'ignore-scripts = true # keep\n').weakened)).toEqual([]);
  });

  it('keys under a [section] are not settings to npm, and are not read', () => {
    expect(weakenings('.npmrc', 'ignore-scripts=true\n', 'ignore-scripts=true\n[notes]\nignore-scripts=false\n')).toEqual({ weakened: [], tightened: [] });
  });

  it('the same file on both sides says nothing', () => {
    expect(weakenings('.npmrc', base, base)).toEqual({ weakened: [], tightened: [] });
  });
});

describe('package.json', () => {
  const pkg = (extra: Record<string, unknown>) =>
    `${JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { esbuild: '^0.25.0' }, ...extra }, null, 2)}\n`;

  it('npm 11 allowScripts: each new entry is named, on its line', () => {
    const head = pkg({ allowScripts: { esbuild: true, 'evil-pkg': true, fsevents: false } });
    const w = weakenings('package.json', pkg({ allowScripts: { esbuild: true } }), head);
    expect(w.weakened).toEqual([
      expect.objectContaining({ key: 'allowScripts: evil-pkg', line: head.split('\n').findIndex((l) => l.includes('"evil-pkg"')) + 1 }),
    ]);
  });

  it('bun trustedDependencies added; pnpm onlyBuiltDependencies added, neverBuiltDependencies removed', () => {
    const base = pkg({ trustedDependencies: ['esbuild'], pnpm: { onlyBuiltDependencies: ['esbuild'], neverBuiltDependencies: ['core-js'] } });
    const head = pkg({ trustedDependencies: ['esbuild', 'node-gyp-bomb'], pnpm: { onlyBuiltDependencies: ['esbuild', 'sharp'], neverBuiltDependencies: [] } });
    expect(keys(weakenings('package.json', base, head).weakened).sort()).toEqual([
      'pnpm.neverBuiltDependencies: core-js',
      'pnpm.onlyBuiltDependencies: sharp',
      'trustedDependencies: node-gyp-bomb',
    ]);
  });

  it('pnpm minimumReleaseAge lowered, trustPolicy relaxed and blockExoticSubdeps off are weakenings', () => {
    const base = pkg({ pnpm: { minimumReleaseAge: 1440, trustPolicy: 'no-downgrade', blockExoticSubdeps: true } });
    const head = pkg({ pnpm: { minimumReleaseAge: 60, trustPolicy: 'off', blockExoticSubdeps: false } });
    expect(keys(weakenings('package.json', base, head).weakened).sort()).toEqual(['pnpm.blockExoticSubdeps', 'pnpm.minimumReleaseAge', 'pnpm.trustPolicy']);
    expect(keys(weakenings('package.json', head, base).tightened).sort()).toEqual(['pnpm.blockExoticSubdeps', 'pnpm.minimumReleaseAge', 'pnpm.trustPolicy']);
  });

  it('a dependency bump alone says nothing; invalid JSON in head throws with the line', () => {
    expect(weakenings('package.json', pkg({}), pkg({ dependencies: { esbuild: '^0.26.0' } }))).toEqual({ weakened: [], tightened: [] });
    expect(() => weakenings('package.json', pkg({}), '{\n  "name": "app",\n  "allowScripts": {,\n}')).toThrow(/package\.json:3/);
  });
});

describe('pnpm-workspace.yaml (pnpm 10)', () => {
  const base = "packages:\n  - 'packages/*'\nonlyBuiltDependencies:\n  - esbuild\nminimumReleaseAge: 1440\nallowBuilds:\n  esbuild: true\n";

  it('allowBuilds and onlyBuiltDependencies entries added, minimumReleaseAge removed', () => {
    const head = "packages:\n  - 'packages/*'\nonlyBuiltDependencies:\n  - esbuild\n  - postinstall-miner\nallowBuilds:\n  esbuild: true\n  sharp: true\n";
    const w = weakenings('pnpm-workspace.yaml', base, head);
    expect(w.weakened).toEqual([
      expect.objectContaining({ key: 'minimumReleaseAge', before: '1440', after: null, side: 'base', line: 5 }),
      expect.objectContaining({ key: 'onlyBuiltDependencies: postinstall-miner', line: 5 }),
      expect.objectContaining({ key: 'allowBuilds: sharp', line: 8 }),
    ]);
  });

  it('an allowBuilds entry set to false allows nothing', () => {
    expect(weakenings('pnpm-workspace.yaml', base, `${base}  sharp: false\n`).weakened).toEqual([]);
  });

  it('unparsable YAML in head throws with the line', () => {
    expect(() => weakenings('pnpm-workspace.yaml', base, 'onlyBuiltDependencies:\n  - esbuild\n - [bad\n')).toThrow(/pnpm-workspace\.yaml:\d/);
  });
});

describe('.yarnrc.yml (yarn 4)', () => {
  const base =
    'nodeLinker: node-modules\nenableScripts: false\nnpmMinimalAgeGate: 3d\nnpmScopes:\n  corp:\n    npmRegistryServer: "https://npm.corp.example"\n';

  it('enableScripts false → true, a scope registry changed, the age gate lowered, an http host whitelisted', () => {
    const head =
      'nodeLinker: node-modules\nenableScripts: true\nnpmMinimalAgeGate: 60\nnpmScopes:\n  corp:\n    npmRegistryServer: "https://npm.attacker.example"\nunsafeHttpWhitelist:\n  - "*.attacker.example"\n';
    const w = weakenings('.yarnrc.yml', base, head);
    expect(w.weakened.map((c) => [c.key, c.line])).toEqual([
      ['enableScripts', 2],
      ['npmMinimalAgeGate', 3],
      ['npmScopes.corp.npmRegistryServer', 6],
      ['unsafeHttpWhitelist: *.attacker.example', 8],
    ]);
  });

  it('a setting brought in by a YAML merge key counts, as yarn and pnpm read it', () => {
    const head = `${base}defaults: &defaults\n  npmRegistryServer: "https://npm.attacker.example"\n<<: *defaults\n`;
    expect(keys(weakenings('.yarnrc.yml', base, head).weakened)).toEqual(['npmRegistryServer']);
  });

  it('a new npmRegistryServer and enableStrictSsl: false are weakenings; raising the gate is good news', () => {
    const head = `${base.replace('3d', '7d')}npmRegistryServer: "https://mirror.example"\nenableStrictSsl: false\n`;
    const w = weakenings('.yarnrc.yml', base, head);
    expect(keys(w.weakened)).toEqual(['npmRegistryServer', 'enableStrictSsl']);
    expect(keys(w.tightened)).toEqual(['npmMinimalAgeGate']);
  });
});

describe('bunfig.toml', () => {
  const base =
    '[install]\nregistry = "https://npm.corp.example/"\nminimumReleaseAge = 259200\n\n[install.scopes]\ncorp = { url = "https://npm.corp.example/", token = "$CORP_TOKEN" }\n';

  it('registry and scope changed, minimumReleaseAge lowered; the scope token is never read', () => {
    const head =
      '[install]\nregistry = "https://mirror.example/"\nminimumReleaseAge = 60\n\n[install.scopes]\ncorp = { url = "https://npm.attacker.example/", token = "tok_LEAK" }\n';
    const w = weakenings('bunfig.toml', base, head);
    expect(w.weakened.map((c) => [c.key, c.line])).toEqual([
      ['install.registry', 2],
      ['install.minimumReleaseAge', 3],
      ['install.scopes.corp', 6],
    ]);
    expect(JSON.stringify(w)).not.toMatch(/tok_LEAK|CORP_TOKEN/);
  });

  it('invalid TOML in head throws with the line', () => {
    expect(() => weakenings('bunfig.toml', base, '[install]\nregistry = \n')).toThrow(/bunfig\.toml:2/);
  });
});
