/**
 * yarn berry parser on hostile input: a clear LockfileError with file and line, or a correct
 * parse; bounded time; never a crash or a polluted prototype.
 */
import { LockfileError } from '../../src/errors.js';
import { parseLockfile } from '../../src/lockfiles/index.js';
import { fixture, lineOf, lockfileError } from './helpers.js';

const TEXT = fixture('yarn-berry/features/yarn.lock');
const HEAD = '# yarn berry\n\n__metadata:\n  version: 10\n  cacheKey: 10c0\n\n';

function entry(descriptor: string, resolution: string, version: string, d: [string, string][] = []): string {
  return [
    `"${descriptor}":`,
    `  version: ${version}`,
    `  resolution: "${resolution}"`,
    ...(d.length ? ['  dependencies:', ...d.map(([k, v]) => `    "${k}": "${v}"`)] : []),
    '  checksum: 10c0/00',
    '  languageName: node',
    '  linkType: hard',
    '',
  ].join('\n');
}

function timed<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, performance.now() - t0];
}

describe('yarn berry: hostile input', () => {
  it('refuses YAML anchors and aliases (an alias bomb) with the line, quickly', () => {
    const lines = [HEAD.trimEnd(), 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)}]`,
      );
    const bomb = `${lines.join('\n')}\n`;
    const [err, ms] = timed(() => lockfileError(() => parseLockfile('yarn.lock', bomb)));
    expect(err.message).toMatch(/^yarn\.lock:6:4: unsupported YAML syntax/);
    expect(err.line).toBe(6);
    expect(ms).toBeLessThan(200);
    // an alias as a field value, inside an entry
    const alias = TEXT.replace('  version: 1.0.2\n', '  version: *ver\n');
    expect(lockfileError(() => parseLockfile('yarn.lock', alias)).line).toBe(lineOf(TEXT, '  version: 1.0.2'));
    const anchor = TEXT.replace('  languageName: node\n', '  languageName: &x node\n');
    expect(lockfileError(() => parseLockfile('yarn.lock', anchor)).message).toMatch(/unsupported YAML syntax/);
    const tag = TEXT.replace('  version: 1.0.2\n', '  version: !!str 1.0.2\n');
    expect(lockfileError(() => parseLockfile('yarn.lock', tag)).message).toMatch(/unsupported YAML syntax/);
    const flow = TEXT.replace('  linkType: soft\n', '  linkType: {a: 1}\n');
    expect(lockfileError(() => parseLockfile('yarn.lock', flow)).message).toMatch(/unsupported YAML syntax/);
  });

  it('parses an enormous scalar in linear time, and keeps it as written', () => {
    const big = 'x'.repeat(8 * 1024 * 1024);
    const text = HEAD + entry('huge@npm:^1.0.0', 'huge@npm:1.0.0', `1.0.0-${big}`);
    const [lock, ms] = timed(() => parseLockfile('yarn.lock', text));
    expect(lock.packages[0]!.version).toHaveLength(8 * 1024 * 1024 + 6);
    expect(ms).toBeLessThan(2000);
    // a huge quoted key without its closing quote: an error with the line, not a hang
    const open = `${HEAD}"${'y'.repeat(4 * 1024 * 1024)}:\n  version: 1.0.0\n`;
    const [err, ms2] = timed(() => lockfileError(() => parseLockfile('yarn.lock', open)));
    expect(err.message).toMatch(/^yarn\.lock:7:1: unterminated string/);
    expect(ms2).toBeLessThan(2000);
  });

  it('takes __proto__ and constructor as ordinary package names without polluting prototypes', () => {
    const text =
      HEAD +
      entry('__proto__@npm:^1.0.0', '__proto__@npm:1.0.0', '1.0.0', [
        ['constructor', 'npm:^2.0.0'],
        ['hasOwnProperty', 'npm:1.0.0'],
      ]) +
      '\n' +
      entry('constructor@npm:^2.0.0', 'constructor@npm:2.0.0', '2.0.0', [['__proto__', 'npm:^1.0.0']]) +
      '\n' +
      entry('hasOwnProperty@npm:1.0.0', 'hasOwnProperty@npm:1.0.0', '1.0.0') +
      '\n' +
      entry('app@workspace:.', 'app@workspace:.', '0.0.0-use.local', [
        ['__proto__', 'npm:^1.0.0'],
        ['toString', 'npm:^1.0.0'],
      ]);
    const lock = parseLockfile('yarn.lock', text);
    expect(lock.packages.map((p) => [p.name, p.version, p.deps])).toEqual([
      ['__proto__', '1.0.0', ['constructor@npm:2.0.0', 'hasOwnProperty@npm:1.0.0']],
      ['constructor', '2.0.0', ['__proto__@npm:1.0.0']],
      ['hasOwnProperty', '1.0.0', []],
    ]);
    expect(lock.importers[0]!.deps).toEqual(['__proto__@npm:1.0.0']);
    expect(({} as Record<string, unknown>)['version']).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'version')).toBe(false);
    expect(typeof ({} as { constructor: unknown }).constructor).toBe('function');
    // an unknown dependency name that is a prototype member does not resolve to anything
    const ghost = parseLockfile(
      'yarn.lock',
      HEAD +
        entry('a@npm:^1', 'a@npm:1.0.0', '1.0.0', [
          ['toString', 'npm:^1'],
          ['valueOf', '^1'],
        ]),
    );
    expect(ghost.packages[0]!.deps).toEqual([]);
  });

  it('refuses duplicate descriptors, duplicate fields and a duplicate __metadata with the line', () => {
    const dupEntry = `${TEXT}\n${TEXT.slice(TEXT.indexOf('"duplexer@npm:^0.1.1":'), TEXT.indexOf('"esbuild@npm:'))}`;
    const e1 = lockfileError(() => parseLockfile('yarn.lock', dupEntry));
    expect(e1.message).toMatch(/duplicate descriptor "duplexer@npm:\^0\.1\.1"/);
    expect(e1.line).toBe(TEXT.split('\n').length + 1);
    const dupField = TEXT.replace('  resolution: "duplexer@npm:0.1.1"\n', '  resolution: "duplexer@npm:0.1.1"\n  resolution: "evil@npm:6.6.6"\n');
    const e2 = lockfileError(() => parseLockfile('yarn.lock', dupField));
    expect(e2.message).toMatch(/duplicate key "resolution"/);
    expect(e2.line).toBe(lineOf(TEXT, '  resolution: "duplexer@npm:0.1.1"') + 1);
    // two entries claiming the same locator (ids must be unique)
    const twin = `${TEXT.replace('"duplexer@npm:^0.1.1":', '"duplexer@npm:0.1.x":')}\n${TEXT.slice(TEXT.indexOf('"duplexer@npm:^0.1.1":'), TEXT.indexOf('"esbuild@npm:'))}`;
    const e3 = lockfileError(() => parseLockfile('yarn.lock', twin));
    expect(e3.message).toMatch(/duplicate resolution "duplexer@npm:0\.1\.1"/);
    expect(e3.line).toBe(TEXT.split('\n').length + 1);
    const dupMeta = `${TEXT}\n__metadata:\n  version: 4\n`;
    expect(lockfileError(() => parseLockfile('yarn.lock', dupMeta)).message).toMatch(/duplicate __metadata/);
  });

  it('reads CRLF line endings and a BOM as the same lockfile (same lines)', () => {
    const lf = parseLockfile('yarn.lock', TEXT);
    const crlf = parseLockfile('yarn.lock', TEXT.replace(/\n/g, '\r\n'));
    expect(crlf).toEqual(lf);
    const bom = parseLockfile('yarn.lock', new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(TEXT.replace(/\n/g, '\r\n'))]));
    expect(bom).toEqual(lf);
  });

  it('refuses invalid UTF-8 with the line', () => {
    const at = TEXT.indexOf('  version: 1.0.2') + 11;
    const bytes = Buffer.concat([Buffer.from(TEXT.slice(0, at)), Buffer.from([0xc3, 0x28]), Buffer.from(TEXT.slice(at))]);
    const e = lockfileError(() => parseLockfile('yarn.lock', bytes));
    expect(e.message).toMatch(/invalid UTF-8/);
    expect(e.line).toBe(lineOf(TEXT, '  version: 1.0.2'));
  });

  it('refuses bad structure with file and line: tabs, stray indentation, missing fields, bad strings', () => {
    const cases: [string, RegExp, number][] = [
      [TEXT.replace('  version: 1.0.2\n', '\tversion: 1.0.2\n'), /tab in indentation/, lineOf(TEXT, '  version: 1.0.2')],
      [TEXT.replace('  version: 1.0.2\n', '      version: 1.0.2\n'), /unexpected indentation/, lineOf(TEXT, '  version: 1.0.2')],
      [TEXT.replace('  version: 1.0.2\n', '   version: 1.0.2\n'), /unexpected indentation/, lineOf(TEXT, '  version: 1.0.2')],
      [TEXT.replace('  resolution: "balanced-match@npm:1.0.2"\n', ''), /entry has no resolution/, lineOf(TEXT, '"bm-alias@npm:')],
      [TEXT.replace('  version: 1.0.2\n', ''), /entry has no version/, lineOf(TEXT, '"bm-alias@npm:')],
      [
        TEXT.replace('"bm-alias@npm:balanced-match@^1.0.2":', '"bm-alias@npm:balanced-match@^1.0.2" x:'),
        /expected ":" after the key/,
        lineOf(TEXT, '"bm-alias@npm:'),
      ],
      [TEXT.replace('  version: 1.0.2\n', '  version: "1.0.2\n'), /unterminated string/, lineOf(TEXT, '  version: 1.0.2')],
      [TEXT.replace('  version: 1.0.2\n', '  version: "1.0.2\\q"\n'), /invalid escape/, lineOf(TEXT, '  version: 1.0.2')],
      [TEXT.replace('  version: 1.0.2\n', '  version: "1.0.2" trailing\n'), /unexpected text after a string/, lineOf(TEXT, '  version: 1.0.2')],
      [TEXT.replace('  version: 1.0.2\n', '  version 1.0.2\n'), /expected "key: value"/, lineOf(TEXT, '  version: 1.0.2')],
      [
        TEXT.replace('  dependencies:\n    "@fx/b": "workspace:^"', '  dependencies: yes\n    "@fx/b": "workspace:^"'),
        /"dependencies" must be a mapping/,
        lineOf(TEXT, '"@fx/a@workspace:packages/a":') + 3,
      ],
      [TEXT.replace('"duplexer@npm:^0.1.1":\n', 'duplexer: 1\n'), /must be a mapping/, lineOf(TEXT, '"duplexer@npm:^0.1.1":')],
      [TEXT.replace('  resolution: "balanced-match@npm:1.0.2"', '  resolution: "balanced-match"'), /invalid resolution/, lineOf(TEXT, '"bm-alias@npm:')],
    ];
    for (const [text, message, line] of cases) {
      const e = lockfileError(() => parseLockfile('dir/yarn.lock', text));
      expect([e.message, e.line, e.file]).toEqual([expect.stringMatching(message), line, 'dir/yarn.lock']);
      expect(e.message.startsWith(`dir/yarn.lock:${line}`)).toBe(true);
      expect(e).toBeInstanceOf(LockfileError);
    }
  });

  it('handles very deep nesting under an ignored field and 20k entries in bounded time', () => {
    let deep = '';
    for (let i = 0; i < 3000; i++) deep += `${' '.repeat(4 + 2 * i)}k${i}:\n`;
    const text = TEXT.replace('  bin:\n    esbuild: bin/esbuild\n', `  bin:\n${deep}`);
    const [lock, ms] = timed(() => parseLockfile('yarn.lock', text));
    expect(lock.packages.find((p) => p.name === 'esbuild')!.deps).toHaveLength(3);
    expect(ms).toBeLessThan(10000);

    const parts = [HEAD];
    for (let i = 0; i < 20000; i++) parts.push(entry(`p${i}@npm:^1.0.0`, `p${i}@npm:1.0.0`, '1.0.0', i > 0 ? [[`p${i - 1}`, 'npm:^1.0.0']] : []), '\n');
    const [many, ms2] = timed(() => parseLockfile('yarn.lock', parts.join('')));
    expect(many.packages).toHaveLength(20000);
    expect(many.packages[19999]!.deps).toEqual(['p19998@npm:1.0.0']);
    expect(ms2).toBeLessThan(10000);
  });

  it('random corruptions of a real lockfile: a parse or a LockfileError with a line, never anything else', () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const CHARS = ['"', "'", ':', '\n', ' ', '#', '&', '*', '\t', '\\', ',', '@', '\r', '\u2028', '{', '-'];
    const lines = TEXT.split('\n').length;
    let errors = 0;
    let parsed = 0;
    for (let i = 0; i < 1500; i++) {
      let t = TEXT;
      for (let k = 1 + rand(3); k > 0; k--) {
        const at = rand(t.length);
        const op = rand(3);
        if (op === 0) t = t.slice(0, at) + t.slice(at + 1 + rand(8));
        else if (op === 1) t = t.slice(0, at) + CHARS[rand(CHARS.length)]! + t.slice(at);
        else {
          const end = t.indexOf('\n', at);
          t = t.slice(0, end + 1) + t.slice(at, end + 1) + t.slice(end + 1);
        }
      }
      try {
        const lock = parseLockfile('yarn.lock', t);
        parsed++;
        if (lock.packages.some((p) => !(p.line > 0))) throw new Error('a package without a line');
      } catch (e) {
        if (!(e instanceof LockfileError)) throw e;
        // a corrupted `__metadata` line makes the text no yarn berry file at all (the dispatcher says so)
        if (e.message === 'yarn.lock: not a recognised lockfile') continue;
        if (e.line === undefined) throw new Error(`no line: ${e.message}`);
        if (e.line < 1 || e.line > lines + 10) throw new Error(`line out of range: ${e.message}`);
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(50);
    expect(parsed).toBeGreaterThan(50);
  });

  it('refuses a file over the size limit before parsing', () => {
    const e = lockfileError(() => parseLockfile('yarn.lock', TEXT, { maxBytes: 100 }));
    expect(e.message).toMatch(/file too large/);
  });
});
