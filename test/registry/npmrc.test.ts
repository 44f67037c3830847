import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ConfigError } from '../../src/errors.js';
import { askInstalledNpm, createNpmRegistryConfig, expandEnv, nerfDart, parseNpmrc, resolveNpmConfig } from '../../src/registry/npmrc.js';

let root: string;
let cwd: string;
let home: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'lockwarden-npmrc-'));
  cwd = join(root, 'project');
  home = join(root, 'home');
  await Promise.all([mkdir(cwd), mkdir(home)]);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const noNpm = async (): Promise<string | undefined> => {
  throw new Error('askNpm must not be called when a registry is configured');
};

describe('parseNpmrc', () => {
  it('reads key=value lines, comments, quotes and inline comments like ini', () => {
    const text = [
      '; a comment',
      '# another comment',
      '   ; indented comment',
      'registry = http://127.0.0.1:9/a/  ',
      'quoted="http://127.0.0.1:9/q/"',
      "single='it''s'",
      'inline=value ; trailing comment',
      'escaped=a\\;b\\#c',
      'flag',
      'list[]=one',
      '',
      '[section]',
      'registry=http://ignored.invalid/',
    ].join('\r\n');
    const m = parseNpmrc(text, {});
    expect(m.get('registry')).toBe('http://127.0.0.1:9/a/');
    expect(m.get('quoted')).toBe('http://127.0.0.1:9/q/');
    expect(m.get('single')).toBe("it''s");
    expect(m.get('inline')).toBe('value');
    expect(m.get('escaped')).toBe('a;b#c');
    expect(m.get('flag')).toBe('true');
    expect(m.get('list')).toBe('one');
    expect([...m.keys()]).not.toContain('[section]');
  });

  it('expands ${ENV} in keys and values as npm does', () => {
    const env = { TOKEN: 'tok-123', HOST: '127.0.0.1:4873' };
    const m = parseNpmrc('//${HOST}/:_authToken=${TOKEN}\nmissing=${NOPE}\noptional=x${NOPE?}y\nescaped=\\${TOKEN}', env);
    expect(m.get('//127.0.0.1:4873/:_authToken')).toBe('tok-123');
    expect(m.get('missing')).toBe('${NOPE}');
    expect(m.get('optional')).toBe('xy');
    expect(m.get('escaped')).toBe('${TOKEN}');
  });

  it('expandEnv honours doubled backslashes', () => {
    expect(expandEnv('\\\\${A}', { A: 'v' })).toBe('\\v');
    expect(expandEnv('\\\\\\${A}', { A: 'v' })).toBe('\\${A}');
  });

  it('never lets a __proto__ key through', () => {
    const m = parseNpmrc('__proto__=x\nconstructor=y', {});
    expect(m.has('__proto__')).toBe(false);
    expect(m.get('constructor')).toBe('y');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('nerfDart', () => {
  it('drops protocol, query and the last path segment', () => {
    expect(nerfDart('https://127.0.0.1:8443/npm/registry/pkg?x=1')).toBe('//127.0.0.1:8443/npm/registry/');
    expect(nerfDart('http://127.0.0.1/')).toBe('//127.0.0.1/');
  });
});

describe('resolveNpmConfig precedence', () => {
  async function write(dir: string, text: string): Promise<void> {
    await writeFile(join(dir, '.npmrc'), text);
  }

  it('--registry beats env, project and user config', async () => {
    await write(cwd, 'registry=http://127.0.0.1:2/project/');
    await write(home, 'registry=http://127.0.0.1:3/user/');
    const c = await resolveNpmConfig({
      cwd,
      homedir: home,
      registry: 'http://127.0.0.1:1/flag',
      env: { npm_config_registry: 'http://127.0.0.1:4/env/' },
      askNpm: noNpm,
    });
    expect(c.registry).toBe('http://127.0.0.1:1/flag/');
  });

  it('env beats project and user; both spellings of the variable work', async () => {
    await write(cwd, 'registry=http://127.0.0.1:2/project/');
    for (const key of ['npm_config_registry', 'NPM_CONFIG_REGISTRY']) {
      const c = await resolveNpmConfig({ cwd, homedir: home, env: { [key]: 'http://127.0.0.1:4/env/' }, askNpm: noNpm });
      expect(c.registry).toBe('http://127.0.0.1:4/env/');
    }
  });

  it('trusted, the project .npmrc beats the user .npmrc, which is used when alone', async () => {
    await write(home, 'registry=http://127.0.0.1:3/user/\n@acme:registry=http://127.0.0.1:5/acme-user/');
    let c = await resolveNpmConfig({ cwd, homedir: home, env: {}, askNpm: noNpm });
    expect(c.registry).toBe('http://127.0.0.1:3/user/');
    await write(cwd, 'registry=http://127.0.0.1:2/project/');
    c = await resolveNpmConfig({ cwd, homedir: home, env: {}, askNpm: noNpm, trustProjectConfig: true });
    expect(c.registry).toBe('http://127.0.0.1:2/project/');
    // keys merge across layers: the user's scope survives the project's registry
    expect(c.registryFor('@acme/x')).toBe('http://127.0.0.1:5/acme-user/');
  });

  it('untrusted (the default), the project .npmrc is not read, and the caller is told', async () => {
    await write(cwd, 'registry=http://127.0.0.1:2/project/\n@acme:registry=http://127.0.0.1:2/acme/\n//127.0.0.1:2/:_authToken=project-token');
    await write(home, 'registry=http://127.0.0.1:3/user/');
    const ignored: string[] = [];
    const c = await resolveNpmConfig({ cwd, homedir: home, env: {}, askNpm: noNpm, onIgnored: (f) => ignored.push(f) });
    expect(c.registry).toBe('http://127.0.0.1:3/user/');
    expect(c.registryFor('@acme/x')).toBe('http://127.0.0.1:3/user/');
    expect(c.authHeaderFor('http://127.0.0.1:2/x')).toBeUndefined();
    expect(ignored).toEqual([join(cwd, '.npmrc')]);
  });

  it('run from the home directory, ~/.npmrc is the user file, read without trust', async () => {
    await write(home, 'registry=http://127.0.0.1:3/user/');
    const ignored: string[] = [];
    const c = await resolveNpmConfig({ cwd: home, homedir: home, env: {}, askNpm: noNpm, onIgnored: (f) => ignored.push(f) });
    expect(c.registry).toBe('http://127.0.0.1:3/user/');
    expect(ignored).toEqual([]);
  });

  it('NPM_CONFIG_USERCONFIG points at another user config file', async () => {
    const other = join(root, 'other.npmrc');
    await writeFile(other, 'registry=http://127.0.0.1:6/other/');
    await write(home, 'registry=http://127.0.0.1:3/user/');
    const c = await resolveNpmConfig({ cwd, homedir: home, env: { NPM_CONFIG_USERCONFIG: other }, askNpm: noNpm });
    expect(c.registry).toBe('http://127.0.0.1:6/other/');
  });

  it('asks the installed npm only when nothing configures a registry', async () => {
    let asked = 0;
    const askNpm = async (): Promise<string | undefined> => {
      asked++;
      return 'http://127.0.0.1:7/from-npm';
    };
    await write(home, '@acme:registry=http://127.0.0.1:5/acme/');
    const c = await resolveNpmConfig({ cwd, homedir: home, env: {}, askNpm });
    expect(asked).toBe(1);
    expect(c.registry).toBe('http://127.0.0.1:7/from-npm/');
    expect(c.registryFor('@acme/x')).toBe('http://127.0.0.1:5/acme/');

    await write(cwd, 'registry=http://127.0.0.1:2/project/');
    await resolveNpmConfig({ cwd, homedir: home, env: {}, askNpm, trustProjectConfig: true });
    expect(asked).toBe(1);
  });

  it('fails with a ConfigError when nothing is configured and npm gives nothing', async () => {
    await expect(resolveNpmConfig({ cwd, homedir: home, env: {}, askNpm: async () => undefined })).rejects.toThrow(ConfigError);
  });

  it('validates registry URLs: http(s) only, no credentials', async () => {
    await expect(resolveNpmConfig({ cwd, homedir: home, env: {}, registry: 'ftp://127.0.0.1/', askNpm: noNpm })).rejects.toThrow(/http or https/);
    await expect(resolveNpmConfig({ cwd, homedir: home, env: {}, registry: 'not a url', askNpm: noNpm })).rejects.toThrow(ConfigError);
    await write(cwd, '@acme:registry=file:///etc/');
    await expect(resolveNpmConfig({ cwd, homedir: home, env: {}, registry: 'http://127.0.0.1:1/', askNpm: noNpm, trustProjectConfig: true })).rejects.toThrow(
      /@acme:registry/,
    );
    const err = await resolveNpmConfig({ cwd, homedir: home, env: {}, registry: 'http://user:s3cret-pass@127.0.0.1/', askNpm: noNpm }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(String((err as Error).message)).not.toContain('s3cret-pass');
  });
});

describe('scoped registries and nerf-darted auth', () => {
  const npmrc = [
    '@acme:registry=http://127.0.0.1:5000/acme',
    '//127.0.0.1:5000/:_authToken=host-token',
    '//127.0.0.1:5000/acme/:_authToken=acme-token',
    '//127.0.0.1:6000/:username=alice',
    `//127.0.0.1:6000/:_password=${Buffer.from('pa:ss').toString('base64')}`,
    `//127.0.0.1:7000/deep/:_auth=${Buffer.from('bob:pw').toString('base64')}`,
    '_authToken=un-nerfed-token-is-ignored',
  ].join('\n');
  const config = createNpmRegistryConfig({ registry: 'http://127.0.0.1:4000/', npmrc });

  it('routes scoped names to their scope registry, others to the default', () => {
    expect(config.registryFor('@acme/widget')).toBe('http://127.0.0.1:5000/acme/');
    expect(config.registryFor('@other/widget')).toBe('http://127.0.0.1:4000/');
    expect(config.registryFor('plain')).toBe('http://127.0.0.1:4000/');
  });

  it('picks the longest matching nerf-dart', () => {
    expect(config.authHeaderFor('http://127.0.0.1:5000/acme/@acme%2fwidget')).toBe('Bearer acme-token');
    expect(config.authHeaderFor('http://127.0.0.1:5000/other/pkg')).toBe('Bearer host-token');
    // protocol does not matter to npm's nerf-darts
    expect(config.authHeaderFor('https://127.0.0.1:5000/acme/x')).toBe('Bearer acme-token');
  });

  it('sends credentials only to their own host and port', () => {
    expect(config.authHeaderFor('http://127.0.0.1:4000/plain')).toBeUndefined();
    expect(config.authHeaderFor('http://127.0.0.1:5001/acme/x')).toBeUndefined();
    expect(config.authHeaderFor('http://localhost:5000/acme/x')).toBeUndefined();
    expect(config.authHeaderFor('http://127.0.0.1:7000/other/x')).toBeUndefined();
  });

  it('builds Basic auth from username + base64 _password, and from _auth', () => {
    expect(config.authHeaderFor('http://127.0.0.1:6000/x')).toBe(`Basic ${Buffer.from('alice:pa:ss').toString('base64')}`);
    expect(config.authHeaderFor('http://127.0.0.1:7000/deep/x')).toBe(`Basic ${Buffer.from('bob:pw').toString('base64')}`);
  });

  it('never shows a credential in toString, JSON or inspect', () => {
    const shown = [String(config), JSON.stringify(config), inspect(config, { depth: 10, showHidden: true }), `${config}`];
    for (const s of shown) {
      for (const secret of ['host-token', 'acme-token', 'alice', Buffer.from('pa:ss').toString('base64'), Buffer.from('bob:pw').toString('base64')]) {
        expect(s).not.toContain(secret);
      }
    }
    expect(JSON.parse(JSON.stringify(config))).toEqual({
      registry: 'http://127.0.0.1:4000/',
      scopes: { '@acme': 'http://127.0.0.1:5000/acme/' },
      authFor: ['//127.0.0.1:5000/', '//127.0.0.1:5000/acme/', '//127.0.0.1:6000/', '//127.0.0.1:7000/deep/'],
    });
  });

  it('reads nerf-darted tokens from npm_config_ environment variables', async () => {
    const c = await resolveNpmConfig({
      cwd,
      homedir: home,
      env: { npm_config_registry: 'http://127.0.0.1:4000/', 'npm_config_//127.0.0.1:4000/:_authToken': 'env-token' },
      askNpm: noNpm,
    });
    expect(c.authHeaderFor('http://127.0.0.1:4000/x')).toBe('Bearer env-token');
  });
});

describe('the default askNpm (the installed npm)', () => {
  it('falls back to what npm itself resolves, e.g. from its global config that lockwarden does not read', async () => {
    const globalrc = join(root, 'global-npmrc');
    await writeFile(globalrc, 'registry=http://127.0.0.1:8/from-npm-global/\n');
    const env = { PATH: process.env.PATH, HOME: home, npm_config_globalconfig: globalrc, npm_config_update_notifier: 'false' };
    const c = await resolveNpmConfig({ cwd, homedir: home, env });
    expect(c.registry).toBe('http://127.0.0.1:8/from-npm-global/');
  }, 30_000);

  it('answers undefined when npm cannot be run', async () => {
    expect(await askInstalledNpm(cwd, { PATH: join(root, 'no-bin') })).toBeUndefined();
  });
});
