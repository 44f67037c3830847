/**
 * pnpm-lock.yaml with a leading env document (pnpm 11+: `configDependencies`,
 * `packageManagerDependencies`). Real files from pnpm 11.28.6 and 10.34.9
 * (test/fixtures/lockfiles/pnpm-env, scripts/make-fixtures-pnpm-env.mjs); hostile variants built
 * from them.
 */
import type { Change, Lockfile, LockPackage } from '../../src/model/index.js';
import type { LockfileError } from '../../src/errors.js';
import { parseLockfile } from '../../src/lockfiles/index.js';
import { CONFIG_IMPORTER, ENV_PREFIX, PACKAGE_MANAGER_IMPORTER } from '../../src/lockfiles/formats/pnpm/parse.js';
import { readPnpmYaml, readPnpmYamlDocuments } from '../../src/lockfiles/formats/pnpm/yaml.js';
import { diffLockfiles } from '../../src/diff/index.js';
import { fixture, lineOf, lockfileError } from './helpers.js';

const BASE = fixture('pnpm-env/config-base.pnpm-lock.yaml');
const HEAD = fixture('pnpm-env/config-head.pnpm-lock.yaml');
const PLAIN = fixture('pnpm-env/plain.pnpm-lock.yaml');
const PNPM10 = fixture('pnpm-env/config-base-pnpm10.pnpm-lock.yaml');

/** The two documents of a fixture as pnpm splits them: after the first line `---`, up to the next line `---`. */
function split(text: string): { env: string; main: string } {
  expect(text.startsWith('---\n')).toBe(true);
  const sep = text.indexOf('\n---\n', 4);
  expect(sep).toBeGreaterThan(0);
  return { env: text.slice(4, sep + 1), main: text.slice(sep + 5) };
}

const parse = (text: string): Lockfile => parseLockfile('pnpm-lock.yaml', text);

function pkg(lock: Lockfile, id: string): LockPackage {
  const p = lock.packages.find((x) => x.id === id);
  if (!p) throw new Error(`no package ${id} in ${lock.packages.map((x) => x.id).join(', ')}`);
  return p;
}

/** The change list without the package objects, sorted by name. */
function changes(base: Lockfile, head: Lockfile): Array<Omit<Change, 'base' | 'head'>> {
  return diffLockfiles(base, head)
    .map(({ base: _b, head: _h, ...c }) => c)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

function refused(text: string, message: RegExp, line: number): LockfileError {
  const e = lockfileError(() => parse(text));
  expect(e.message).toMatch(message);
  expect(e.file).toBe('pnpm-lock.yaml');
  expect(e.line).toBe(line);
  return e;
}

describe('real pnpm 11 lockfiles with configDependencies', () => {
  const base = parse(BASE);
  const head = parse(HEAD);

  it('reads the config dependency as a package: real name, version, integrity, its line in the file', () => {
    expect(base.format).toBe('pnpm-v9');
    const p = pkg(base, `${ENV_PREFIX}picocolors@1.1.0`);
    expect(p).toMatchObject({ name: 'picocolors', version: '1.1.0', source: { type: 'registry' }, deps: [] });
    expect(p.line).toBe(lineOf(BASE, '  picocolors@1.1.0:\n'));
    expect(BASE.split('\n')[p.line]).toBe(`    resolution: {integrity: ${p.integrity}}`);
    expect(p.integrity).toMatch(/^sha512-/);
    expect(p.flags).toEqual({ dev: false, optional: false, devOptional: false, peer: false, hasInstallScript: false, bundled: false });
  });

  it('lists the project importer and a (config) importer depending on the config dependencies', () => {
    expect(base.importers).toEqual([
      { path: '', line: lineOf(BASE, '  .:\n    dependencies:'), deps: ['balanced-match@1.0.2', 'semver@7.7.2'] },
      { path: CONFIG_IMPORTER, line: lineOf(BASE, '    configDependencies:'), deps: [`${ENV_PREFIX}picocolors@1.1.0`] },
    ]);
    expect(head.importers.find((i) => i.path === CONFIG_IMPORTER)!.deps).toEqual([
      `${ENV_PREFIX}@isaacs/balanced-match@4.0.1`,
      `${ENV_PREFIX}picocolors@1.1.1`,
    ]);
  });

  it("keeps the lockfile's lines absolute: the same model as the second document alone, shifted by the env document's lines", () => {
    const { env, main } = split(BASE);
    const alone = parse(main);
    const shift = env.split('\n').length - 1 + 2; // the env document's lines and the two `---` lines
    const projectPackages = base.packages.filter((p) => !p.id.startsWith(ENV_PREFIX));
    expect(projectPackages).toEqual(alone.packages.map((p) => ({ ...p, line: p.line + shift })));
    expect(projectPackages.map((p) => p.line)).toEqual([lineOf(BASE, '  balanced-match@1.0.2:'), lineOf(BASE, '  semver@7.7.2:')]);
    expect(base.importers[0]).toEqual({ ...alone.importers[0]!, line: alone.importers[0]!.line + shift });
  });

  it('diffs base and head: the upgraded config dependency is an upgrade, the new one an addition, both direct dependencies of (config)', () => {
    expect(changes(base, head)).toEqual([
      {
        ecosystem: 'npm',
        name: '@isaacs/balanced-match',
        from: null,
        to: '4.0.1',
        kind: 'added',
        lockfile: 'pnpm-lock.yaml',
        line: lineOf(HEAD, "  '@isaacs/balanced-match@4.0.1':\n    resolution"),
        direct: true,
        directOf: [CONFIG_IMPORTER],
        via: [],
        nameInBase: false,
      },
      {
        ecosystem: 'npm',
        name: 'picocolors',
        from: '1.1.0',
        to: '1.1.1',
        kind: 'upgraded',
        lockfile: 'pnpm-lock.yaml',
        line: lineOf(HEAD, '  picocolors@1.1.1:\n    resolution'),
        direct: true,
        directOf: [CONFIG_IMPORTER],
        via: [],
        nameInBase: true,
      },
    ]);
    // and back: a downgrade and a removal, on the base's lines
    const back = changes(head, base);
    expect(back.map((c) => [c.name, c.kind, c.line])).toEqual([
      ['@isaacs/balanced-match', 'removed', lineOf(HEAD, "  '@isaacs/balanced-match@4.0.1':")],
      ['picocolors', 'downgraded', lineOf(BASE, '  picocolors@1.1.0:')],
    ]);
  });

  it('a lockfile without config dependencies is one document; adding them adds the config dependency', () => {
    expect(PLAIN.includes('---')).toBe(false);
    const plain = parse(PLAIN);
    expect(plain.importers.map((i) => i.path)).toEqual(['']);
    expect(plain.packages.every((p) => !p.id.startsWith(ENV_PREFIX))).toBe(true);
    expect(changes(plain, base).map((c) => [c.name, c.kind, c.to, c.directOf])).toEqual([['picocolors', 'added', '1.1.0', [CONFIG_IMPORTER]]]);
  });

  it("pnpm 10 writes no env document for the same project: only the config dependency differs from pnpm 11's file", () => {
    expect(PNPM10.startsWith('---')).toBe(false);
    const pnpm10 = parse(PNPM10);
    expect(pnpm10.packages.map((p) => p.id)).toEqual(['balanced-match@1.0.2', 'semver@7.7.2']);
    expect(changes(pnpm10, base).map((c) => [c.name, c.kind, c.to])).toEqual([['picocolors', 'added', '1.1.0']]);
  });

  it('gives the same model for CRLF line ends and a BOM', () => {
    const crlf = parse(`\uFEFF${HEAD.replace(/\n/g, '\r\n')}`);
    expect(crlf).toEqual(head);
  });
});

describe('env document shapes the fixture registry cannot produce (hand-made, in the shape pnpm writes)', () => {
  // pnpm pinned by the project (packageManagerDependencies): pnpm and its platform binaries, as in
  // the lockfile of pnpm's own repository; and a config dependency with a dependency of its own
  const env = [
    '---',
    "lockfileVersion: '9.0'",
    '',
    'importers:',
    '',
    '  .:',
    '    configDependencies:',
    '      my-config:',
    '        specifier: 2.0.0',
    '        version: 2.0.0',
    '    packageManagerDependencies:',
    '      pnpm:',
    '        specifier: 11.0.0',
    '        version: 11.0.0',
    '',
    'packages:',
    '',
    '  "@pnpm/exe.linux-x64@11.0.0":',
    '    resolution: {integrity: sha512-bbbb}',
    '    cpu: [x64]',
    '    os: [linux]',
    '',
    '  config-util@1.0.0:',
    '    resolution: {integrity: sha512-cccc}',
    '',
    '  my-config@2.0.0:',
    '    resolution: {integrity: sha512-dddd}',
    '',
    '  pnpm@11.0.0:',
    '    resolution: {integrity: sha512-eeee}',
    '    hasBin: true',
    '',
    'snapshots:',
    '',
    '  "@pnpm/exe.linux-x64@11.0.0":',
    '    optional: true',
    '',
    '  config-util@1.0.0: {}',
    '',
    '  my-config@2.0.0:',
    '    dependencies:',
    '      config-util: 1.0.0',
    '',
    '  pnpm@11.0.0:',
    '    optionalDependencies:',
    "      '@pnpm/exe.linux-x64': 11.0.0",
    '',
  ].join('\n');
  const text = `${env}---\n${split(BASE).main}`;
  const lock = parse(text);

  it('packageManagerDependencies form the (packageManager) importer; snapshots give edges between env packages', () => {
    expect(lock.importers.slice(1)).toEqual([
      { path: CONFIG_IMPORTER, line: 7, deps: ['env:my-config@2.0.0'] },
      { path: PACKAGE_MANAGER_IMPORTER, line: 11, deps: ['env:pnpm@11.0.0'] },
    ]);
    expect(pkg(lock, 'env:pnpm@11.0.0')).toMatchObject({
      name: 'pnpm',
      version: '11.0.0',
      line: 29,
      integrity: 'sha512-eeee',
      deps: ['env:@pnpm/exe.linux-x64@11.0.0'],
    });
    expect(pkg(lock, 'env:@pnpm/exe.linux-x64@11.0.0').flags.optional).toBe(true);
    expect(pkg(lock, 'env:my-config@2.0.0').deps).toEqual(['env:config-util@1.0.0']);
  });

  it("a config dependency's own dependency is reviewed too, reached through it", () => {
    const base = parse(PLAIN);
    const added = changes(base, lock);
    expect(added.map((c) => [c.name, c.kind, c.line, c.direct, c.directOf, c.via])).toEqual([
      ['@pnpm/exe.linux-x64', 'added', 18, false, [], ['pnpm']],
      ['config-util', 'added', 23, false, [], ['my-config']],
      ['my-config', 'added', 26, true, [CONFIG_IMPORTER], []],
      ['pnpm', 'added', 29, true, [PACKAGE_MANAGER_IMPORTER], []],
    ]);
  });

  it('a config dependency with the name of a project package is its own copy: a new version of it is reported', () => {
    const semverEnv = env
      .replace(/my-config/g, 'semver')
      .replace(/semver@2\.0\.0/g, 'semver@7.7.3')
      .replace(/(specifier|version): 2\.0\.0/g, '$1: 7.7.3');
    const both = parse(`${semverEnv}---\n${split(BASE).main}`);
    expect(pkg(both, 'env:semver@7.7.3').line).toBe(26);
    const c = changes(parse(BASE), both).find((x) => x.name === 'semver')!;
    expect(c).toMatchObject({ kind: 'added', from: null, to: '7.7.3', line: 26, directOf: [CONFIG_IMPORTER], nameInBase: true });
  });

  it('keys such as __proto__ are plain names', () => {
    const proto = env.replace(/my-config/g, '__proto__');
    const p = parse(`${proto}---\n${split(BASE).main}`);
    expect(pkg(p, 'env:__proto__@2.0.0').name).toBe('__proto__');
    expect(({} as Record<string, unknown>).specifier).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'version')).toBe(false);
  });
});

describe('pnpm-lock.yaml: anything but [env document] + lockfile is refused, naming the line', () => {
  const { env, main } = split(HEAD);
  const envLines = env.split('\n').length - 1;
  const sepLine = envLines + 2; // line 1 is `---`

  it('refuses a third document', () => {
    refused(`${HEAD}---\nlockfileVersion: '9.0'\nimporters: {}\n`, /more than 2 YAML documents/, HEAD.split('\n').length);
    refused(`---\n${env}---\n${env}---\n${main}`, /more than 2 YAML documents/, 2 * sepLine - 1);
  });

  it('refuses an env document after the lockfile, with or without a leading ---', () => {
    // the lockfile first: not an env document
    refused(`---\n${main}---\n${env}`, /unexpected "settings" in the env document/, lineOf(`---\n${main}`, 'settings:'));
    refused(`${main}---\n${env}`, /only a file whose first line is "---"/, main.split('\n').length);
    // the lockfile alone with configDependencies in its importer (documents merged or swapped)
    const merged = main.replace('  .:\n', `  .:\n    configDependencies:\n      picocolors:\n        specifier: 1.1.1\n        version: 1.1.1\n`);
    refused(merged, /configDependencies in the lockfile's importer "\."/, lineOf(merged, 'configDependencies'));
  });

  it('refuses text between the documents or on the separator', () => {
    refused(`---\n${env}garbage: here\n---\n${main}`, /unexpected "garbage" in the env document/, sepLine);
    refused(`---\n${env}---\ngarbage\n---\n${main}`, /expected "key: value"/, sepLine + 1);
    refused(`---\n${env}--- garbage\n${main}`, /text after a "---" document marker/, sepLine);
    // pnpm looks for a line that is exactly `---`: a comment or spaces after it is not pnpm's separator
    refused(`---\n${env}--- # env ends\n${main}`, /must be exactly "---"/, sepLine);
    refused(`---\n${env}---  \n${main}`, /must be exactly "---"/, sepLine);
    refused(`--- \n${env}---\n${main}`, /only a file whose first line is "---"/, sepLine);
    // and the file must start with it
    refused(`# comment\n---\n${env}---\n${main}`, /only a file whose first line is "---"/, sepLine + 1);
    refused(`\n---\n${env}---\n${main}`, /only a file whose first line is "---"/, sepLine + 1);
    refused(`---\n${env}...\n---\n${main}`, /document end markers are not supported/, sepLine);
  });

  it('refuses empty documents: no env lockfile, or no lockfile after it', () => {
    refused(`---\n---\n${main}`, /empty YAML document/, 2);
    refused(`---\n# nothing\n---\n${main}`, /empty YAML document/, 3);
    refused(`---\n${env}---\n`, /the env document is not followed by a lockfile/, sepLine);
    refused(`---\n${env}---\n# nothing\n\n`, /the env document is not followed by a lockfile/, sepLine);
    const unterminated = `${`---\n${env}`.trimEnd()}\n---`;
    refused(unterminated, /the env document is not followed by a lockfile/, unterminated.split('\n').length);
  });

  it('takes a --- inside a value for what it is: a value (quoted) or a multi-line scalar (refused)', () => {
    const quoted = HEAD.replace('specifier: 1.1.1', "specifier: '---'").replace(
      '  .:\n    dependencies:',
      '  .:\n    dependencies:\n      "---\\n---":\n        specifier: "\\n---\\n"\n        version: link:x',
    );
    const lock = parse(quoted);
    expect(lock.packages).toHaveLength(parse(HEAD).packages.length);
    expect(readPnpmYamlDocuments('pnpm-lock.yaml', quoted, 0, 64, 2)).toHaveLength(2);
    refused(HEAD.replace('specifier: 1.1.1', "specifier: '1.1.1\n---\n'"), /unterminated quoted string/, lineOf(HEAD, 'specifier: 1.1.1'));
    refused(HEAD.replace('specifier: 1.1.1', 'specifier: "1.1.1\n---\n"'), /unterminated quoted string/, lineOf(HEAD, 'specifier: 1.1.1'));
  });

  it('refuses env documents with more than pnpm puts in them', () => {
    const at = (needle: string, text: string): number => lineOf(text, needle);
    let t = `---\n${env.replace("lockfileVersion: '9.0'", "lockfileVersion: '6.0'")}---\n${main}`;
    refused(t, /env document with lockfileVersion "6.0"/, 2);
    t = `---\n${env.replace('  .:\n', '  packages/a:\n    configDependencies: {}\n  .:\n')}---\n${main}`;
    refused(t, /importer "packages\/a" in the env document/, at('packages/a', t));
    t = `---\n${env.replace('  .:\n', '  .:\n    dependencies:\n      semver:\n        specifier: 7.7.3\n        version: 7.7.3\n')}---\n${main}`;
    refused(t, /unexpected "dependencies" in the env document's importer/, at('dependencies', t));
    t = `---\n${env.replace("'@isaacs/balanced-match':\n        specifier: 4.0.1\n        version: 4.0.1", "'@isaacs/balanced-match':\n        specifier: 4.0.1")}---\n${main}`;
    refused(t, /configDependencies entry "@isaacs\/balanced-match" has no version/, at("'@isaacs/balanced-match':", t));
    // a config dependency the env document does not pin would be resolved and installed unreviewed
    t = `---\n${env.replace('version: 1.1.1', 'version: 1.1.2')}---\n${main}`;
    refused(t, /configDependencies entry "picocolors" \(1\.1\.2\) has no entry in the document's packages/, at('      picocolors:', t));
    t = `---\n${env.replace(/configDependencies:\n(?: {6}.*\n)*/, 'configDependencies: [a]\n')}---\n${main}`;
    refused(t, /configDependencies is not a mapping/, 7);
    t = `---\n${env.replace(/importers:\n[\s\S]*?\npackages:/, 'importers: text\n\npackages:')}---\n${main}`;
    refused(t, /"importers" of the env document is not a mapping/, 4);
    refused(`---\n${env.replace('importers:', 'other:')}---\n${main}`, /unexpected "other" in the env document/, 4);
  });

  it('refuses a lockfile after an env document that is not 9.x, and the reserved importer paths in a lockfile', () => {
    const v6 = main.replace("lockfileVersion: '9.0'", "lockfileVersion: '6.0'");
    refused(`---\n${env}---\n${v6}`, /must have lockfileVersion 9\.x/, sepLine + 1);
    for (const path of [CONFIG_IMPORTER, PACKAGE_MANAGER_IMPORTER]) {
      const t = main.replace('  .:\n', `  '${path}':\n    dependencies: {}\n  .:\n`);
      refused(t, /that path is reserved for the env document/, lineOf(t, path));
    }
  });

  it('refuses many documents at the first one too many, quickly', () => {
    const started = Date.now();
    refused(`---\n${env}---\n${main}${'---\na: b\n'.repeat(100_000)}`, /more than 2 YAML documents/, sepLine + main.split('\n').length);
    refused(`---\nlockfileVersion: '9.0'\n${'---\n'.repeat(100_000)}`, /empty YAML document/, 4);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('readPnpmYamlDocuments', () => {
  it('reads each document with its marker line; key lines are the file lines', () => {
    const docs = readPnpmYamlDocuments('f', 'a: 1\n---\nb: 2\n\n--- # x\nc:\n  d: 3\n', 0, 8, 3);
    expect(docs.map((d) => [d.markerLine, d.bareMarker, [...d.map.entries].map(([k, e]) => [k, e.line])])).toEqual([
      [0, false, [['a', 1]]],
      [2, true, [['b', 3]]],
      [5, false, [['c', 6]]],
    ]);
  });

  it('readPnpmYaml still takes one document only', () => {
    expect(readPnpmYaml('f', '---\na: 1\n', 0, 8).get('a')).toBe('1');
    const e = lockfileError(() => readPnpmYaml('f', 'a: 1\n---\nb: 2\n', 0, 8));
    expect(e.message).toMatch(/several YAML documents/);
    expect(e.line).toBe(2);
  });
});
