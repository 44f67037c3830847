/**
 * The URL check and file read that the npm and Python configurations share (src/registry/config-shared.ts).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/errors.js';
import { baseUrlOf, checkBaseUrl, readConfigFile } from '../../src/registry/config-shared.js';
import { normalizeRegistryUrl } from '../../src/registry/npmrc.js';
import { normalizeIndexUrl } from '../../src/registry/pip-config.js';

describe('checkBaseUrl / baseUrlOf', () => {
  it('accepts http(s) and gives scheme, host, port and a path ending with /', () => {
    expect(baseUrlOf(checkBaseUrl(' http://127.0.0.1:4873/npm ', 'w', 'registry URL'))).toBe('http://127.0.0.1:4873/npm/');
    expect(baseUrlOf(checkBaseUrl('https://index.example.test/simple/', 'w', 'the index URL'))).toBe('https://index.example.test/simple/');
  });

  it('refuses with messages naming where and the noun, never the URL', () => {
    expect(() => checkBaseUrl('not a url tok3n', 'PIP_INDEX_URL', 'the index URL')).toThrow(new ConfigError('PIP_INDEX_URL: not a valid URL'));
    expect(() => checkBaseUrl('ftp://127.0.0.1/', '--registry', 'registry URL')).toThrow(
      new ConfigError('--registry: registry URL must be http or https (got ftp:)'),
    );
    expect(() => checkBaseUrl('http://127.0.0.1/?tok3n', 'w', 'the index URL')).toThrow(new ConfigError('w: the index URL must not have a query or fragment'));
    expect(() => checkBaseUrl('http://127.0.0.1/#tok3n', 'w', 'the index URL')).toThrow(/must not have a query or fragment/);
  });

  it('credentials: left to the caller, or refused before the query is looked at', () => {
    const url = checkBaseUrl('http://me:tok3n@127.0.0.1/simple/', 'w', 'the index URL');
    expect([url.username, url.password]).toEqual(['me', 'tok3n']);
    expect(baseUrlOf(url)).toBe('http://127.0.0.1/simple/');
    expect(() => checkBaseUrl('http://me:tok3n@127.0.0.1/?q', 'w', 'registry URL', 'no credentials here')).toThrow(new ConfigError('w: no credentials here'));
  });

  it('the npm and Python normalisers keep their own rules on top', () => {
    expect(() => normalizeRegistryUrl('http://me:tok3n@127.0.0.1/?q')).toThrow(/must not contain credentials; use a nerf-darted _authToken/);
    expect(() => normalizeIndexUrl('http://me:tok3n@127.0.0.1/simple/?q')).toThrow(
      new ConfigError('index-url: the index URL must not have a query or fragment'),
    );
    expect(normalizeIndexUrl('http://me:tok3n@127.0.0.1/simple').url).toBe('http://127.0.0.1/simple/');
  });
});

describe('readConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lockwarden-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file, and says "none" for a missing file, a directory, or a file standing where a directory should be', async () => {
    writeFileSync(join(dir, 'pip.conf'), '[global]\n');
    mkdirSync(join(dir, 'sub'));
    expect(await readConfigFile(join(dir, 'pip.conf'))).toBe('[global]\n');
    expect(await readConfigFile(join(dir, 'missing'))).toBeUndefined();
    expect(await readConfigFile(join(dir, 'sub'))).toBeUndefined();
    expect(await readConfigFile(join(dir, 'pip.conf', 'below'))).toBeUndefined();
  });

  it('any other failure is a ConfigError naming the path and the code', async () => {
    const long = join(dir, 'x'.repeat(5000));
    await expect(readConfigFile(long)).rejects.toThrow(new ConfigError(`cannot read ${long}: ENAMETOOLONG`));
  });
});
