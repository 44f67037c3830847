/**
 * bun.lock parser: entry forms, keys and edge resolution, importers, flags, lines, JSONC syntax,
 * dispatching (sniffing) and the bun.lockb refusal.
 */
import { LOCKFILE_NAMES, isKnownLockfilePath, isLockfilePath, parseLockfile } from '../../src/lockfiles/index.js';
import { BUN_LOCKB_MESSAGE, parseBun, sniffBun } from '../../src/lockfiles/formats/bun/parse.js';
import type { LockPackage, Lockfile } from '../../src/model/index.js';
import { fixture, lineOf, lockfileError } from './helpers.js';

const I = (c: string): string => `sha512-${c.repeat(86)}==`;

/** A bun.lock as bun writes it (two-space indent, trailing commas, blank line between packages). */
function bunLock(workspaces: string, packages: string[], extra = ''): string {
  return `{\n  "lockfileVersion": 1,\n  "workspaces": {\n${workspaces}\n  },\n  "packages": {\n${packages.map((p) => `    ${p},`).join('\n\n')}\n  }${extra}\n}\n`;
}

const ROOT = `    "": {\n      "name": "app",\n      "dependencies": {\n        "a": "^1.0.0",\n        "b": "^1.0.0",\n      },\n      "devDependencies": {\n        "d": "^1.0.0",\n      },\n      "optionalDependencies": {\n        "o": "^1.0.0",\n      },\n    },`;

const BASIC = bunLock(ROOT, [
  `"a": ["a@1.0.0", "", { "dependencies": { "b": "^2.0.0", "c": "^1.0.0" } }, "${I('a')}"]`,
  `"a/b": ["b@2.0.0", "", {}, "${I('b')}"]`,
  `"b": ["b@1.0.0", "", { "dependencies": { "c": "^1.0.0" }, "optionalDependencies": { "x": "^1.0.0" } }, "${I('c')}"]`,
  `"c": ["c@1.0.0", "", { "bin": { "c": "c.js" } }, "${I('d')}"]`,
  `"d": ["d@1.0.0", "", { "dependencies": { "e": "^1.0.0" } }, "${I('e')}"]`,
  `"e": ["e@1.0.0", "", {}, "${I('f')}"]`,
  `"o": ["o@1.0.0", "", { "os": "darwin", "cpu": "arm64" }, "${I('g')}"]`,
  `"x": ["x@1.0.0", "", {}, "${I('h')}"]`,
]);

function pkg(lock: Lockfile, id: string): LockPackage {
  const p = lock.packages.find((q) => q.id === id);
  if (!p) throw new Error(`no package ${id}`);
  return p;
}

describe('bun.lock entries', () => {
  const lock = parseLockfile('bun.lock', BASIC);

  it('reads registry packages: name, version, integrity, source and the line of the key', () => {
    expect(lock.format).toBe('bun-v1');
    expect(lock.ecosystem).toBe('npm');
    expect(lock.packages.map((p) => p.id)).toEqual(['a', 'a/b', 'b', 'c', 'd', 'e', 'o', 'x']);
    const b2 = pkg(lock, 'a/b');
    expect(b2).toMatchObject({ name: 'b', version: '2.0.0', integrity: I('b'), source: { type: 'registry' } });
    expect(b2.alias).toBeUndefined();
    expect(b2.source.url).toBeUndefined();
    for (const p of lock.packages) expect(p.line).toBe(lineOf(BASIC, `    "${p.id}": [`));
  });

  it('resolves edges like node_modules: the nested copy first, then the top level', () => {
    expect(pkg(lock, 'a').deps).toEqual(['a/b', 'c']);
    expect(pkg(lock, 'b').deps).toEqual(['c', 'x']);
    expect(pkg(lock, 'c').deps).toEqual([]);
  });

  it('makes the root importer from the "" workspace, with its direct dependencies of every kind', () => {
    expect(lock.importers).toEqual([{ path: '', name: 'app', line: lineOf(BASIC, '    "": {'), deps: ['a', 'b', 'd', 'o'] }]);
  });

  it('derives dev / optional / devOptional flags from the graph as npm would record them', () => {
    const flags = (id: string): string =>
      Object.entries(pkg(lock, id).flags)
        .filter(([, v]) => v)
        .map(([k]) => k)
        .join(',');
    expect(flags('a')).toBe('');
    expect(flags('c')).toBe('');
    expect(flags('d')).toBe('dev');
    expect(flags('e')).toBe('dev');
    expect(flags('o')).toBe('optional');
    expect(flags('x')).toBe('optional'); // only through b's optionalDependencies
  });

  it('marks a package needed only by a dev path and an optional path as devOptional', () => {
    const text = bunLock(`    "": {\n      "devDependencies": { "d": "1" },\n      "optionalDependencies": { "o": "1" },\n    },`, [
      `"d": ["d@1.0.0", "", { "dependencies": { "s": "1" } }, ""]`,
      `"o": ["o@1.0.0", "", { "dependencies": { "s": "1" } }, ""]`,
      `"s": ["s@1.0.0", "", {}, ""]`,
    ]);
    const s = pkg(parseLockfile('bun.lock', text), 's');
    expect(s.flags).toMatchObject({ dev: false, optional: false, devOptional: true });
    expect(s.integrity).toBeUndefined(); // an empty integrity is no integrity
  });

  it('resolves npm aliases to the real name, keyed by the alias', () => {
    const text = bunLock(`    "": {\n      "dependencies": { "my-lodash": "npm:lodash@4.17.21" },\n    },`, [
      `"my-lodash": ["lodash@4.17.21", "", {}, "${I('l')}"]`,
    ]);
    const p = pkg(parseLockfile('bun.lock', text), 'my-lodash');
    expect(p).toMatchObject({ name: 'lodash', alias: 'my-lodash', version: '4.17.21' });
  });

  it('splits scoped names in nested keys and walks up scoped parents', () => {
    const text = bunLock(`    "": {\n      "dependencies": { "@s/a": "1" },\n    },`, [
      `"@s/a": ["@s/a@1.0.0", "", { "dependencies": { "@s/b": "1", "q": "1" } }, ""]`,
      `"@s/a/@s/b": ["@s/b@2.0.0", "", { "dependencies": { "q": "1", "@t/r": "1" } }, ""]`,
      `"@s/a/q": ["q@2.0.0", "", {}, ""]`,
      `"@s/b": ["@s/b@1.0.0", "", {}, ""]`,
      `"@t/r": ["@t/r@1.0.0", "", {}, ""]`,
      `"q": ["q@1.0.0", "", {}, ""]`,
    ]);
    const lock = parseLockfile('bun.lock', text);
    expect(pkg(lock, '@s/a').deps).toEqual(['@s/a/@s/b', '@s/a/q']);
    // from @s/a/@s/b: q is found in @s/a's folder, @t/r at the top
    expect(pkg(lock, '@s/a/@s/b').deps).toEqual(['@s/a/q', '@t/r']);
    expect(pkg(lock, '@s/a/@s/b')).toMatchObject({ name: '@s/b', version: '2.0.0' });
    expect(pkg(lock, '@s/a/@s/b').alias).toBeUndefined();
  });

  it('reads a non-default registry URL as the source, and classifies other URLs', () => {
    const text = bunLock(`    "": {\n      "dependencies": { "r": "1", "t": "1" },\n    },`, [
      `"r": ["r@1.0.0", "http://127.0.0.1:4873/r/-/r-1.0.0.tgz", {}, "${I('r')}"]`,
      `"t": ["t@1.0.0", "http://127.0.0.1:4873/elsewhere/t.tgz", {}, "${I('t')}"]`,
    ]);
    const lock = parseLockfile('bun.lock', text);
    expect(pkg(lock, 'r').source).toEqual({ type: 'registry', url: 'http://127.0.0.1:4873/r/-/r-1.0.0.tgz' });
    expect(pkg(lock, 't').source).toEqual({ type: 'tarball', url: 'http://127.0.0.1:4873/elsewhere/t.tgz' });
  });

  it('reads git, github, remote and local tarball packages; leaves out link, folder and root entries', () => {
    const text = bunLock(
      `    "": {\n      "name": "app",\n      "dependencies": { "g": "1", "h": "1", "t": "1", "f": "1", "l": "link:l", "dir": "file:./dir" },\n    },`,
      [
        `"app": ["app@root:", { "bin": { "app": "x.js" } }]`,
        `"dir": ["dir@file:./dir", { "dependencies": { "t": "1" } }]`,
        `"f": ["f@./vendor/f-1.0.0.tgz", {}]`,
        `"g": ["g@git+ssh://git@example.test/o/g.git#0123456789abcdef", { "dependencies": { "t": "1" } }, "o-g-0123456"]`,
        `"h": ["h@github:o/h#fedcba9", {}, "o-h-fedcba9", "${I('h')}"]`,
        `"l": ["l@link:l", {}]`,
        `"t": ["t@https://example.test/t-1.0.0.tgz", {}, "${I('t')}"]`,
      ],
    );
    const lock = parseLockfile('bun.lock', text);
    expect(lock.packages.map((p) => p.id)).toEqual(['f', 'g', 'h', 't']);
    expect(pkg(lock, 'g')).toMatchObject({ name: 'g', version: 'git+ssh://git@example.test/o/g.git#0123456789abcdef', source: { type: 'git' }, deps: ['t'] });
    expect(pkg(lock, 'g').integrity).toBeUndefined(); // the bun tag is not an integrity
    expect(pkg(lock, 'h')).toMatchObject({ source: { type: 'git', url: 'github:o/h#fedcba9' }, integrity: I('h') });
    expect(pkg(lock, 't')).toMatchObject({ source: { type: 'tarball', url: 'https://example.test/t-1.0.0.tgz' }, integrity: I('t') });
    expect(pkg(lock, 'f')).toMatchObject({ source: { type: 'file', url: './vendor/f-1.0.0.tgz' } });
    // edges to links and folders land nowhere
    expect(lock.importers[0]!.deps).toEqual(['g', 'h', 't', 'f']);
  });
});

describe('bun.lock workspaces', () => {
  const text = bunLock(
    `    "": {\n      "name": "root",\n      "devDependencies": { "typescript": "5" },\n    },\n    "packages/web": {\n      "name": "web",\n      "version": "1.0.0",\n      "dependencies": { "lib": "workspace:*", "react": "18" },\n    },\n    "packages/lib": {\n      "name": "lib",\n      "dependencies": { "react": "17" },\n    },`,
    [
      `"lib": ["lib@workspace:packages/lib"]`,
      `"lib/react": ["react@17.0.2", "", {}, ""]`,
      `"react": ["react@18.3.1", "", {}, ""]`,
      `"typescript": ["typescript@5.6.3", "", {}, ""]`,
      `"web": ["web@workspace:packages/web", { "dependencies": { "lib": "workspace:*" } }]`,
    ],
  );
  const lock = parseLockfile('bun.lock', text);

  it('makes one importer per workspace, edges to a workspace landing on its importer', () => {
    expect(lock.importers.map((i) => [i.path, i.name, i.deps])).toEqual([
      ['', 'root', ['typescript']],
      ['packages/web', 'web', ['packages/lib', 'react']],
      ['packages/lib', 'lib', ['lib/react']],
    ]);
    expect(lock.importers[1]!.line).toBe(lineOf(text, '"packages/web": {'));
  });

  it('leaves workspace entries out of the packages and resolves nested copies under the workspace key', () => {
    expect(lock.packages.map((p) => `${p.id}=${p.name}@${p.version}`)).toEqual(['lib/react=react@17.0.2', 'react=react@18.3.1', 'typescript=typescript@5.6.3']);
    expect(pkg(lock, 'typescript').flags.dev).toBe(true);
    expect(pkg(lock, 'react').flags.dev).toBe(false);
  });
});

describe('bun.lock syntax (JSONC)', () => {
  it('accepts comments anywhere whitespace may be, counting the lines inside block comments', () => {
    const text = `// generated\n{\n  /* a\n     multi-line\n     comment */\n  "lockfileVersion": 0, // v0\n  "workspaces": { "": { "dependencies": { "a": "1", }, }, },\n  "packages": {\n    /* x */ "a": ["a@1.0.0", "", {}, "", ], // trailing\n  },\n}\n// end\n`;
    const lock = parseLockfile('any-name', text);
    expect(lock.format).toBe('bun-v0');
    expect(pkg(lock, 'a').line).toBe(9);
  });

  it('counts lines with CRLF line endings', () => {
    const crlf = BASIC.replace(/\n/g, '\r\n');
    const lock = parseLockfile('bun.lock', crlf);
    for (const p of lock.packages) expect(p.line).toBe(lineOf(BASIC, `    "${p.id}": [`));
  });

  it('keeps lines right after a BOM (string and bytes)', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(BASIC)]);
    expect(pkg(parseLockfile('bun.lock', bytes), 'e').line).toBe(lineOf(BASIC, '"e": ['));
    expect(pkg(parseLockfile('bun.lock', `\ufeff${BASIC}`), 'e').line).toBe(lineOf(BASIC, '"e": ['));
  });

  it('decodes escapes in keys and names', () => {
    const text = bunLock(`    "": {\n      "dependencies": { "\\u0071": "1" },\n    },`, [`"q": ["\\u0071@1.0.0", "", {}, ""]`]);
    expect(pkg(parseLockfile('bun.lock', text), 'q')).toMatchObject({ name: 'q', version: '1.0.0' });
  });

  it.each([
    ['an unterminated block comment', BASIC.replace('"packages": {', '/* "packages": {'), /unterminated comment/],
    ['a missing comma', BASIC.replace('"", {}, "sha512-', '"" {}, "sha512-'), /expected ',' or '\]'/],
    ['a truncated file', BASIC.slice(0, BASIC.length / 2), /unexpected end of input|unterminated string/],
    ['an unsupported lockfileVersion', BASIC.replace('"lockfileVersion": 1', '"lockfileVersion": 2'), /unsupported bun lockfileVersion 2/],
    ['an entry that is not an array', BASIC.replace('"e": ["e@1.0.0", "", {}, ', '"e": {"x": 1}, "ee": ["e@1.0.0", "", {}, '), /an array for package "e"/],
    ['an identifier without a version', BASIC.replace('"e@1.0.0"', '"e"'), /invalid identifier "e"/],
    ['text after the object', `${BASIC}{}`, /after the end of the lockfile/],
  ])('refuses %s with a LockfileError naming the file and line', (_what, text, message) => {
    const err = lockfileError(() => parseLockfile('dir/bun.lock', text));
    expect(err.message).toMatch(message);
    expect(err.file).toBe('dir/bun.lock');
    expect(err.line).toBeGreaterThanOrEqual(1);
    expect(err.message.startsWith(`dir/bun.lock:${err.line}`)).toBe(true);
  });

  it('reports the line of a syntax error', () => {
    const text = BASIC.replace('"c@1.0.0", "", {', '"c@1.0.0", "", {,');
    expect(lockfileError(() => parseLockfile('bun.lock', text)).line).toBe(lineOf(BASIC, '"c": ['));
  });
});

describe('dispatching', () => {
  it('detects bun.lock content under any file name, and lets npm lockfiles and other JSON go to npm', () => {
    expect(parseLockfile('some/other-name', BASIC).format).toBe('bun-v1');
    expect(sniffBun(BASIC, 0)).toBe(true);
    const v0 = BASIC.replace('"lockfileVersion": 1,', '"lockfileVersion": 1,\n  "configVersion": 0,');
    expect(sniffBun(v0, 0)).toBe(true);
    const npm = JSON.stringify({ name: 'x', lockfileVersion: 3, requires: true, packages: { '': { name: 'x' } } }, null, 2);
    expect(sniffBun(npm, 0)).toBe(false);
    expect(parseLockfile('package-lock.json', npm).format).toBe('npm-v3');
    // a lockfileVersion-first npm-like object without the workspaces map is not bun's
    expect(sniffBun('{"lockfileVersion": 1, "packages": {}}', 0)).toBe(false);
  });

  it('marks bun.lock supported and bun.lockb known but not supported', () => {
    expect(isLockfilePath('apps/x/bun.lock')).toBe(true);
    expect(isLockfilePath('bun.lockb')).toBe(false);
    expect(isKnownLockfilePath('bun.lockb')).toBe(true);
    expect(LOCKFILE_NAMES.find((l) => l.fileName === 'bun.lockb')!.supported).toBe(false);
  });

  it('refuses bun.lockb by name (whatever it holds) and binary bun lockfiles by content, with the clear message', () => {
    const binary = Buffer.concat([Buffer.from('#!/usr/bin/env bun\nbun-lockfile-format-v0\n'), Buffer.from([0, 0, 0, 2, 0xff, 0xfe, 0x80])]);
    for (const [file, content] of [
      ['bun.lockb', binary],
      ['x/bun.lockb', BASIC],
      ['uploaded.bin', binary],
    ] as const) {
      const err = lockfileError(() => parseLockfile(file, content));
      expect(err.message).toBe(`${file}: ${BUN_LOCKB_MESSAGE}`);
      expect(err.message).toContain('bun install --save-text-lockfile');
    }
  });

  it('parseBun can be called directly with a start offset', () => {
    const lock = parseBun('bun.lock', `\ufeff${BASIC}`, 1, { maxDepth: 128 });
    expect(lock.packages).toHaveLength(8);
  });
});

describe('a lockfile written by real bun (test/fixtures/lockfiles/bun/features, scripts/make-fixtures-bun.mjs)', () => {
  const text = fixture('bun/features/bun.lock');
  const lock = parseLockfile('bun.lock', text);

  it('reads every registry package with its source, integrity and key line; workspaces are importers', () => {
    expect(lock.packages.map((p) => `${p.id}=${p.name}@${p.version}`).sort()).toEqual(
      [
        'asynckit=asynckit@0.4.0',
        'axios=axios@1.14.0',
        'combined-stream=combined-stream@1.0.8',
        'delayed-stream=delayed-stream@1.0.0',
        'follow-redirects=follow-redirects@1.15.11',
        'form-data=form-data@4.0.5',
        'mime-db=mime-db@1.52.0',
        'mime-types=mime-types@2.1.35',
        'old-proxy=proxy-from-env@1.0.0',
        'picocolors=picocolors@1.1.1',
        'proxy-from-env=proxy-from-env@2.1.0',
        'semver=semver@7.7.3',
        'tool/semver=semver@7.7.1',
      ].sort(),
    );
    for (const p of lock.packages) {
      expect(p.source.type).toBe('registry');
      expect(p.source.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:48730/${p.name}/-/`));
      expect(p.integrity).toMatch(/^sha512-/);
      expect(p.line).toBe(lineOf(text, `    ${JSON.stringify(p.id)}: [`));
    }
    expect(pkg(lock, 'old-proxy').alias).toBe('old-proxy');
  });

  it('links importers to their direct dependencies, a workspace dependency to the workspace itself', () => {
    const byPath = new Map(lock.importers.map((i) => [i.path, i]));
    expect(byPath.get('')!.deps).toEqual(['axios', 'old-proxy', 'proxy-from-env', 'semver', 'picocolors']);
    expect(byPath.get('packages/tool')!).toMatchObject({ name: 'tool', deps: ['packages/lib', 'tool/semver'] });
    expect(byPath.get('packages/lib')!).toMatchObject({ name: 'bun-features-lib', deps: ['mime-types'] });
    expect(pkg(lock, 'axios').deps).toEqual(['follow-redirects', 'form-data', 'proxy-from-env']);
    expect(pkg(lock, 'follow-redirects').deps).toEqual([]); // an optional peer that is not installed
  });

  it('derives the flags: dev-only, optional-only, and production copies', () => {
    expect(pkg(lock, 'semver').flags).toMatchObject({ dev: true, optional: false });
    expect(pkg(lock, 'tool/semver').flags).toMatchObject({ dev: false, optional: false });
    expect(pkg(lock, 'picocolors').flags).toMatchObject({ dev: false, optional: true });
    expect(pkg(lock, 'mime-db').flags).toMatchObject({ dev: false, optional: false, devOptional: false });
  });
});
