import { chmodSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ConfigError } from '../../src/errors.js';
import {
  askInstalledPip,
  createPypiIndexConfig,
  deriveApiRoot,
  indexUrlFromPipFiles,
  normalizeIndexUrl,
  parsePipConfig,
  pipConfigFiles,
  resolvePypiIndexConfig,
  type ResolvePypiConfigOptions,
} from '../../src/registry/pip-config.js';

const HOME = '/home/dev';

/** Resolves with an in-memory file system and no pip unless one is given. */
function resolveWith(files: Record<string, string>, opts: Partial<ResolvePypiConfigOptions> = {}) {
  const reads: string[] = [];
  return {
    reads,
    run: () =>
      resolvePypiIndexConfig({
        env: {},
        homedir: HOME,
        platform: 'linux',
        readFile: async (p) => {
          reads.push(p);
          return Object.hasOwn(files, p) ? files[p] : undefined;
        },
        askPip: async () => undefined,
        ...opts,
      }),
  };
}

describe('normalizeIndexUrl / deriveApiRoot', () => {
  it('splits credentials off and adds the trailing slash', () => {
    const n = normalizeIndexUrl('https://me:s%40cret@index.example.test:8443/simple');
    expect(n.url).toBe('https://index.example.test:8443/simple/');
    expect(n.origin).toBe('https://index.example.test:8443');
    expect(n.auth).toBe(`Basic ${Buffer.from('me:s@cret').toString('base64')}`);
    expect(normalizeIndexUrl('http://127.0.0.1:1/simple/').auth).toBeUndefined();
  });

  it('refuses non-http, query and fragment without echoing the URL', () => {
    expect(() => normalizeIndexUrl('ftp://x/simple/')).toThrow(/must be http or https/);
    expect(() => normalizeIndexUrl('https://u:tok@x/simple/?a=1', 'PIP_INDEX_URL')).toThrow(
      new ConfigError('PIP_INDEX_URL: the index URL must not have a query or fragment'),
    );
    let message = '';
    try {
      normalizeIndexUrl('https://u:SECRET@ x/simple/');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe('index-url: not a valid URL');
  });

  it('derives the JSON API root by dropping the last simple/ segment', () => {
    expect(deriveApiRoot('https://h.test/simple/')).toBe('https://h.test/');
    expect(deriveApiRoot('https://h.test/mirror/pypi/simple/')).toBe('https://h.test/mirror/pypi/');
    expect(deriveApiRoot('https://h.test/root/pypi/+simple/')).toBeUndefined();
    expect(deriveApiRoot('https://h.test/notsimple/')).toBeUndefined();
  });
});

describe('PypiIndexConfig credentials', () => {
  it('sends credentials to the index origin only', () => {
    const c = createPypiIndexConfig({ indexUrl: 'https://user:TOKEN123@idx.test/simple/' });
    expect(c.indexUrl).toBe('https://idx.test/simple/');
    const header = `Basic ${Buffer.from('user:TOKEN123').toString('base64')}`;
    expect(c.authHeaderFor('https://idx.test/pypi/x/json')).toBe(header);
    expect(c.authHeaderFor('https://idx.test:443/integrity/x/1/x.whl/provenance')).toBe(header);
    expect(c.authHeaderFor('http://idx.test/simple/')).toBeUndefined(); // not over another scheme
    expect(c.authHeaderFor('https://idx.test:8443/simple/')).toBeUndefined();
    expect(c.authHeaderFor('https://files.idx.test/packages/x.whl')).toBeUndefined();
    expect(c.authHeaderFor('not a url')).toBeUndefined();
  });

  it('never shows the credentials', () => {
    const c = createPypiIndexConfig({ indexUrl: 'https://user:TOKEN123@idx.test/simple/' });
    for (const text of [String(c), JSON.stringify(c), inspect(c), inspect(c, { showHidden: true, depth: 5 })]) {
      expect(text).not.toContain('TOKEN123');
      expect(text).not.toContain(Buffer.from('user:TOKEN123').toString('base64'));
    }
    expect(c.toJSON()).toEqual({ indexUrl: 'https://idx.test/simple/', source: 'option', authFor: ['https://idx.test'] });
  });
});

describe('parsePipConfig', () => {
  it('reads sections, both separators, comments and continuation lines like configparser', () => {
    const v = parsePipConfig(
      [
        '# comment',
        '[global]',
        'index_url = https://a.test/simple/',
        '; other comment',
        'timeout: 60',
        'extra-index-url =',
        '    https://b.test/simple/',
        '    https://c.test/simple/',
        '',
        '[install]',
        'Index-URL=https://d.test/simple/',
      ].join('\n'),
      'pip.conf',
    );
    expect(v.get('global.index-url')).toEqual({ value: 'https://a.test/simple/', line: 3 });
    expect(v.get('global.timeout')!.value).toBe('60');
    expect(v.get('global.extra-index-url')!.value).toBe('\nhttps://b.test/simple/\nhttps://c.test/simple/');
    expect(v.get('install.index-url')).toEqual({ value: 'https://d.test/simple/', line: 11 });
  });

  it('keeps # inside a value (no inline comments) and harmless keys like __proto__', () => {
    const v = parsePipConfig('[global]\nindex-url = https://a.test/simple/#frag\n__proto__ = x\n', 'f');
    expect(v.get('global.index-url')!.value).toBe('https://a.test/simple/#frag');
    expect(v.size).toBe(2);
    expect(Object.getPrototypeOf(v)).toBe(Map.prototype);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('refuses what configparser refuses, naming file and line', () => {
    expect(() => parsePipConfig('index-url = x\n', '/etc/pip.conf')).toThrow(
      new ConfigError('a setting before the first [section] header', { file: '/etc/pip.conf', line: 1 }),
    );
    expect(() => parsePipConfig('[global]\njust-a-key\n', 'f')).toThrow(/f:2:1: expected `key = value`/);
    expect(() => parsePipConfig('[global]\na = 1\n[global]\n', 'f')).toThrow(/f:3: section \[global\] appears twice/);
    expect(() => parsePipConfig('[global]\nindex-url = 1\nindex_url = 2\n', 'f')).toThrow(/f:3: `index_url` appears twice/);
  });
});

describe('pipConfigFiles', () => {
  it('lists the Linux locations in pip order', () => {
    expect(pipConfigFiles({ env: { VIRTUAL_ENV: '/venv' }, homedir: HOME, platform: 'linux' })).toEqual({
      global: ['/etc/xdg/pip/pip.conf', '/etc/pip.conf'],
      user: [`${HOME}/.pip/pip.conf`, `${HOME}/.config/pip/pip.conf`],
      site: ['/venv/pip.conf'],
    });
    const xdg = pipConfigFiles({ env: { XDG_CONFIG_DIRS: '/a:/b', XDG_CONFIG_HOME: '/cfg', PIP_CONFIG_FILE: '/x.conf' }, homedir: HOME, platform: 'linux' });
    expect(xdg).toEqual({
      env: '/x.conf',
      global: ['/a/pip/pip.conf', '/b/pip/pip.conf', '/etc/pip.conf'],
      user: [`${HOME}/.pip/pip.conf`, '/cfg/pip/pip.conf'],
      site: [],
    });
  });

  it('lists macOS and Windows locations', () => {
    expect(pipConfigFiles({ env: {}, homedir: '/Users/d', platform: 'darwin', macAppSupportExists: true }).user).toEqual([
      '/Users/d/.pip/pip.conf',
      '/Users/d/Library/Application Support/pip/pip.conf',
    ]);
    expect(pipConfigFiles({ env: {}, homedir: '/Users/d', platform: 'darwin' }).user[1]).toBe('/Users/d/.config/pip/pip.conf');
    const w = pipConfigFiles({
      env: { APPDATA: 'C:\\Users\\d\\AppData\\Roaming', PROGRAMDATA: 'C:\\ProgramData' },
      homedir: 'C:\\Users\\d',
      platform: 'win32',
    });
    expect(w.user).toEqual(['C:\\Users\\d\\pip\\pip.ini', 'C:\\Users\\d\\AppData\\Roaming\\pip\\pip.ini']);
    expect(w.global).toEqual(['C:\\ProgramData\\pip\\pip.ini']);
  });
});

describe('indexUrlFromPipFiles', () => {
  const f = (file: string, text: string) => ({ file, values: parsePipConfig(text, file) });
  it('[install] beats [global] across files; within a section the later file wins; empty values are ignored', () => {
    expect(
      indexUrlFromPipFiles([
        f('/etc/pip.conf', '[install]\nindex-url = https://sys.test/simple/'),
        f('user', '[global]\nindex-url = https://user.test/simple/'),
      ])!.value,
    ).toBe('https://sys.test/simple/');
    expect(
      indexUrlFromPipFiles([
        f('/etc/pip.conf', '[global]\nindex-url = https://sys.test/simple/'),
        f('user', '[global]\nindex-url = https://user.test/simple/'),
      ]),
    ).toEqual({
      value: 'https://user.test/simple/',
      file: 'user',
      line: 2,
    });
    expect(indexUrlFromPipFiles([f('a', '[global]\nindex-url = https://a.test/simple/'), f('b', '[global]\nindex-url =')])).toBeUndefined();
    expect(indexUrlFromPipFiles([f('a', '[download]\nindex-url = https://a.test/simple/')])).toBeUndefined();
  });
});

describe('resolvePypiIndexConfig precedence', () => {
  const files = {
    '/etc/pip.conf': '[global]\nindex-url = https://global.test/simple/\n',
    [`${HOME}/.config/pip/pip.conf`]: '[global]\nindex-url = https://user.test/simple/\n',
    '/venv/pip.conf': '[global]\nindex-url = https://site.test/simple/\n',
    '/custom.conf': '[global]\nindex-url = https://custom.test/simple/\n',
  };
  const env = {
    PIP_INDEX_URL: 'https://pipenv.test/simple/',
    UV_DEFAULT_INDEX: 'https://uvdefault.test/simple/',
    UV_INDEX_URL: 'https://uv.test/simple/',
    VIRTUAL_ENV: '/venv',
    PIP_CONFIG_FILE: '/custom.conf',
  };

  it('explicit option > PIP_INDEX_URL > UV_DEFAULT_INDEX > UV_INDEX_URL > PIP_CONFIG_FILE > site > user > global > pip default', async () => {
    const steps: [Partial<ResolvePypiConfigOptions>, Record<string, string>, string, string][] = [
      [{ indexUrl: 'https://flag.test/simple/', env }, files, 'https://flag.test/simple/', 'option'],
      [{ env }, files, 'https://pipenv.test/simple/', 'PIP_INDEX_URL'],
      [{ env: { ...env, PIP_INDEX_URL: '' } }, files, 'https://uvdefault.test/simple/', 'UV_DEFAULT_INDEX'],
      [{ env: { ...env, PIP_INDEX_URL: '', UV_DEFAULT_INDEX: '' } }, files, 'https://uv.test/simple/', 'UV_INDEX_URL'],
      [{ env: { VIRTUAL_ENV: '/venv', PIP_CONFIG_FILE: '/custom.conf' } }, files, 'https://custom.test/simple/', '/custom.conf:2'],
      [{ env: { VIRTUAL_ENV: '/venv' } }, files, 'https://site.test/simple/', '/venv/pip.conf:2'],
      [{ env: {} }, files, 'https://user.test/simple/', `${HOME}/.config/pip/pip.conf:2`],
      [{ env: {} }, { '/etc/pip.conf': files['/etc/pip.conf'] }, 'https://global.test/simple/', '/etc/pip.conf:2'],
      [{ env: {}, askPip: async () => 'https://pip-default.test/simple/' }, {}, 'https://pip-default.test/simple/', 'pip default'],
    ];
    for (const [opts, fs, url, source] of steps) {
      const c = await resolveWith(fs, opts).run();
      expect({ url: c.indexUrl, source: c.source }).toEqual({ url, source });
    }
  });

  it('does not read user files when PIP_CONFIG_FILE exists, and reads none for /dev/null', async () => {
    const a = resolveWith(files, { env: { PIP_CONFIG_FILE: '/custom.conf' } });
    await a.run();
    expect(a.reads).not.toContain(`${HOME}/.config/pip/pip.conf`);
    expect(a.reads).toContain('/etc/pip.conf');
    const b = resolveWith({ [`${HOME}/.config/pip/pip.conf`]: files[`${HOME}/.config/pip/pip.conf`] }, { env: { PIP_CONFIG_FILE: '/missing.conf' } });
    expect((await b.run()).indexUrl).toBe('https://user.test/simple/');
    const c = resolveWith(files, { env: { PIP_CONFIG_FILE: '/dev/null' }, askPip: async () => 'https://pip-default.test/simple/' });
    expect((await c.run()).source).toBe('pip default');
    expect(c.reads).toEqual([]);
  });

  it("skips a virtualenv's site file inside the project directory unless the project is trusted", async () => {
    const inProject = { ...files, '/work/checkout/.venv/pip.conf': '[global]\nindex-url = https://checkout.test/simple/\n' };
    const ignored: string[] = [];
    const opts = { env: { VIRTUAL_ENV: '/work/checkout/.venv' }, projectDir: '/work/checkout', onIgnored: (f: string) => ignored.push(f) };
    expect((await resolveWith(inProject, opts).run()).indexUrl).toBe('https://user.test/simple/');
    expect(ignored).toEqual(['/work/checkout/.venv/pip.conf']);
    expect((await resolveWith(inProject, { ...opts, trustProjectConfig: true }).run()).indexUrl).toBe('https://checkout.test/simple/');
    // a virtualenv outside the project is the user's
    expect((await resolveWith(files, { env: { VIRTUAL_ENV: '/venv' }, projectDir: '/work/checkout' }).run()).indexUrl).toBe('https://site.test/simple/');
  });

  it('does not ask pip when something is configured', async () => {
    let asked = 0;
    const askPip = async () => {
      asked++;
      return 'https://x.test/simple/';
    };
    await resolveWith(files, { askPip }).run();
    expect(asked).toBe(0);
  });

  it('fails with instructions when nothing is configured and no pip answers', async () => {
    await expect(resolveWith({}).run()).rejects.toThrow(/no Python package index configured.*--index-url.*PIP_INDEX_URL.*pip\.conf/);
  });

  it('reports a broken pip.conf with its file and line', async () => {
    await expect(resolveWith({ '/etc/pip.conf': '[global]\noops\n' }).run()).rejects.toThrow('/etc/pip.conf:2:1: expected `key = value`');
  });

  it('reads real files from disk by default', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lw-pipconf-'));
    mkdirSync(join(dir, '.config', 'pip'), { recursive: true });
    writeFileSync(join(dir, '.config', 'pip', 'pip.conf'), '[install]\nindex-url = https://tok:en@disk.test/simple/\n');
    const c = await resolvePypiIndexConfig({ env: { XDG_CONFIG_DIRS: join(dir, 'none') }, homedir: dir, platform: 'linux', askPip: async () => undefined });
    expect(c.indexUrl).toBe('https://disk.test/simple/');
    expect(c.authHeaderFor('https://disk.test/pypi/x/json')).toBe(`Basic ${Buffer.from('tok:en').toString('base64')}`);
  });
});

describe('askInstalledPip', () => {
  it('asks pip’s module in isolated mode, python3 first, then python', async () => {
    const calls: string[][] = [];
    const url = await askInstalledPip({
      exec: async (file, args) => {
        calls.push([file, ...args]);
        return file === 'python' ? { stdout: 'https://from-python.test/simple\n' } : undefined;
      },
    });
    expect(url).toBe('https://from-python.test/simple');
    expect(calls.map((c) => c.slice(0, 3))).toEqual([
      ['python3', '-I', '-c'],
      ['python', '-I', '-c'],
    ]);
    expect(calls[0]![3]).toContain('pip');
  });

  it('ignores an answer that is not an http(s) URL', async () => {
    expect(await askInstalledPip({ exec: async () => ({ stdout: 'Traceback (most recent call last)\n' }) })).toBeUndefined();
  });

  it('runs a real python3 from PATH (a fake one here) with a neutral working directory', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'lw-fakepy-'));
    const log = join(bin, 'log');
    writeFileSync(join(bin, 'python3'), `#!/bin/sh\necho "$PWD $*" > "${log}"\necho https://fake-pip.test/simple/\n`);
    chmodSync(join(bin, 'python3'), 0o755);
    const url = await askInstalledPip({ env: { PATH: bin } });
    expect(url).toBe('https://fake-pip.test/simple/');
    const { readFileSync } = await import('node:fs');
    const logged = readFileSync(log, 'utf8');
    expect(logged.startsWith(tmpdir())).toBe(true);
    expect(logged).toContain('-I -c from pip._internal.models.index import PyPI');
  });

  it('the real installed pip names an http(s) simple URL (when this machine has one)', async () => {
    const { spawnSync } = await import('node:child_process');
    const hasPip = spawnSync('python3', ['-I', '-c', 'import pip'], { cwd: tmpdir() }).status === 0;
    const url = await askInstalledPip();
    // only the shape is asserted: the default is pip's business, not ours
    if (hasPip) expect(url).toMatch(/^https?:\/\/[^/]+\/simple\/?$/);
    else expect(url).toBeUndefined();
  });
});
