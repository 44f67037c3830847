/**
 * Hostile pnpm-lock.yaml input: a clear LockfileError with file and line, or a correct parse, in
 * bounded time; never a crash or a polluted prototype.
 */
import type { LockfileError } from '../../src/errors.js';
import { parseLockfile } from '../../src/lockfiles/index.js';
import { lockfileError } from './helpers.js';

const HEAD = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      foo:\n        specifier: 1.0.0\n        version: 1.0.0\n\npackages:\n\n";
const FOO = '  foo@1.0.0:\n    resolution: {integrity: sha512-aaaa}\n\nsnapshots:\n\n  foo@1.0.0: {}\n';

function refused(text: string, message: RegExp, line: number): LockfileError {
  const e = lockfileError(() => parseLockfile('pnpm-lock.yaml', text));
  expect(e.message).toMatch(message);
  expect(e.file).toBe('pnpm-lock.yaml');
  expect(e.line).toBe(line);
  return e;
}

describe('pnpm-lock.yaml: YAML outside the subset pnpm writes is refused', () => {
  it('refuses anchors and aliases (no alias bombs)', () => {
    const bomb = [
      "lockfileVersion: '9.0'",
      'importers: {}',
      'a: &a [x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
      '',
    ].join('\n');
    const started = Date.now();
    refused(bomb, /anchors are not supported/, 3);
    expect(Date.now() - started).toBeLessThan(1000);
    refused(`${HEAD}  foo@1.0.0: *x\n`, /aliases are not supported/, 13);
    refused(`${HEAD}  foo@1.0.0:\n    resolution: {integrity: *x}\n`, /aliases are not supported/, 14);
    refused(`${HEAD}  &x foo@1.0.0:\n    resolution: {integrity: x}\n`, /anchors are not supported/, 13);
  });

  it('refuses tags, block scalars, complex keys, directives and several documents', () => {
    refused(`${HEAD}  foo@1.0.0:\n    resolution: !!map {integrity: x}\n`, /tags are not supported/, 14);
    refused(`${HEAD}  foo@1.0.0:\n    resolution: |\n      text\n`, /block scalars are not supported/, 14);
    refused(`${HEAD}  ? foo@1.0.0\n  : {}\n`, /complex keys/, 13);
    refused(`${HEAD}%TAG ! tag:example.test,2000:\n`, /directives are not supported/, 13);
    // a file starting with a directive is not recognised as a pnpm lockfile at all
    expect(lockfileError(() => parseLockfile('pnpm-lock.yaml', `%YAML 1.2\n---\n${HEAD}`)).message).toContain('not a recognised lockfile');
    // two documents: the first must be pnpm's env document (test/lockfiles/pnpm-env.test.ts), a lockfile is not one
    refused(`---\n${HEAD}${FOO}---\nlockfileVersion: '9.0'\n`, /unexpected "dependencies" in the env document's importer/, 7);
    refused(`${HEAD}${FOO}---\nlockfileVersion: '9.0'\n`, /only a file whose first line is "---"/, 19);
    // one leading document start is fine
    expect(parseLockfile('pnpm-lock.yaml', `---\n${HEAD}${FOO}`).packages).toHaveLength(1);
  });

  it('refuses duplicate keys, naming the second one', () => {
    refused(`${HEAD}${'  foo@1.0.0:\n    resolution: {integrity: sha512-aaaa}\n'.repeat(2)}`, /duplicate key "foo@1.0.0"/, 15);
    refused(`${HEAD}  foo@1.0.0:\n    resolution: {integrity: a, integrity: b}\n`, /duplicate key "integrity"/, 14);
    // quoting does not make a different key
    refused(`${HEAD}  foo@1.0.0: {}\n  'foo@1.0.0': {}\n`, /duplicate key/, 14);
  });

  it('refuses malformed lines with their line number', () => {
    refused(`${HEAD}\tfoo@1.0.0: {}\n`, /tab in indentation/, 13);
    refused(`${HEAD}  foo@1.0.0:\n    resolution: {integrity: sha512-aaaa\n`, /flow mapping not closed/, 14);
    refused(`${HEAD}  foo@1.0.0:\n    resolution: 'abc\n`, /unterminated quoted string/, 14);
    refused(`${HEAD}  foo@1.0.0:\n    resolution: "a\\qb"\n`, /unsupported escape/, 14);
    refused(`${HEAD}  foo@1.0.0:\n    name: foo\n      bar\n`, /bad indentation/, 15);
    // a mapping as a sequence item is YAML pnpm writes (runtime variants); a malformed one is refused
    refused(`${HEAD}  foo@1.0.0:\n    os:\n      - a: b\n       c: d\n`, /bad indentation/, 16);
    refused(`${HEAD}  foo@1.0.0:\n    os:\n      - a: b\n        a: c\n`, /bad indentation|duplicate key/, 16);
    refused(`${HEAD}  just text\n`, /expected "key: value"/, 13);
    refused(`${HEAD}  foo@1.0.0: {} trailing\n`, /unexpected text after the value/, 13);
    refused("lockfileVersion: '9.0'\npackages: [a, b]\n", /"packages" is not a mapping/, 2);
    refused(`${HEAD}  foo@1.0.0: text\n`, /is not a mapping/, 13);
  });

  it('refuses deep nesting (block and flow) without overflowing the stack', () => {
    let block = "lockfileVersion: '9.0'\nimporters:\n";
    for (let i = 1; i <= 5000; i++) block += `${' '.repeat(i)}k:\n`;
    refused(block, /nesting deeper than 128 levels/, 130);
    const flow = `lockfileVersion: '9.0'\nimporters: ${'{a: '.repeat(100_000)}x${'}'.repeat(100_000)}\n`;
    refused(flow, /nesting deeper than 128 levels/, 2);
    refused(`lockfileVersion: '9.0'\nimporters: ${'['.repeat(100_000)}\n`, /nesting deeper than 128 levels/, 2);
  });

  it('refuses invalid UTF-8 with its line', () => {
    const bytes = new TextEncoder().encode(`${HEAD}  foo@1.0.0:\n    resolution: {integrity: X}\n`);
    const at = bytes.lastIndexOf(0x58); // 'X'
    bytes[at] = 0xff;
    refused(bytes as unknown as string, /invalid UTF-8/, 14);
  });
});

describe('pnpm-lock.yaml: hostile but well-formed input parses correctly', () => {
  it('keeps __proto__ and constructor as plain names, without touching prototypes', () => {
    const text = [
      "lockfileVersion: '9.0'",
      '__proto__: {polluted: yes}',
      '',
      'importers:',
      '',
      '  .:',
      '    dependencies:',
      '      __proto__:',
      '        specifier: 1.0.0',
      '        version: 1.0.0',
      '      constructor:',
      '        specifier: 2.0.0',
      '        version: 2.0.0',
      '',
      'packages:',
      '',
      '  __proto__@1.0.0:',
      '    resolution: {integrity: sha512-p, __proto__: {polluted: yes}}',
      '',
      '  constructor@2.0.0:',
      '    resolution: {integrity: sha512-c}',
      '',
      'snapshots:',
      '',
      '  __proto__@1.0.0:',
      '    dependencies:',
      '      constructor: 2.0.0',
      '',
      '  constructor@2.0.0: {}',
      '',
    ].join('\n');
    const lock = parseLockfile('pnpm-lock.yaml', text);
    expect(lock.packages.map((p) => [p.id, p.name, p.version, p.integrity, p.line])).toEqual([
      ['__proto__@1.0.0', '__proto__', '1.0.0', 'sha512-p', 17],
      ['constructor@2.0.0', 'constructor', '2.0.0', 'sha512-c', 20],
    ]);
    expect(lock.packages[0]!.deps).toEqual(['constructor@2.0.0']);
    expect(lock.importers[0]!.deps).toEqual(['__proto__@1.0.0', 'constructor@2.0.0']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(lock.packages[0]!)).toBe(Object.prototype);
  });

  it('reads enormous scalars in bounded time', () => {
    const huge = 'x'.repeat(8 * 1024 * 1024);
    const started = Date.now();
    const lock = parseLockfile('pnpm-lock.yaml', `${HEAD}  foo@1.0.0:\n    resolution: {integrity: ${huge}}\n`);
    expect(lock.packages[0]!.integrity).toHaveLength(huge.length);
    const long = parseLockfile('pnpm-lock.yaml', `${HEAD}  '${huge}@1.0.0':\n    resolution: {integrity: sha512-x}\n`);
    expect(long.packages[0]!.name).toHaveLength(huge.length);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reads many entries in time linear in the input', () => {
    let text = HEAD;
    for (let i = 0; i < 50_000; i++) text += `  p${i}@1.0.${i}:\n    resolution: {integrity: sha512-${i}}\n\n`;
    const started = Date.now();
    const lock = parseLockfile('pnpm-lock.yaml', text);
    expect(lock.packages).toHaveLength(50_000);
    expect(lock.packages[49_999]).toMatchObject({ name: 'p49999', version: '1.0.49999', line: 13 + 3 * 49_999 });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('accepts comments, double-quoted escapes and CRLF', () => {
    const text = `# a comment\r\n${HEAD.replace(/\n/g, '\r\n')}  "foo@1.0.0": # trailing comment\r\n    resolution: {integrity: "sha512-\\u0061a"}\r\n`;
    const lock = parseLockfile('pnpm-lock.yaml', text);
    expect(lock.packages[0]).toMatchObject({ id: 'foo@1.0.0', integrity: 'sha512-aa', line: 14 });
  });
});
