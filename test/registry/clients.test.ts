/**
 * createClients: the registry clients the CLI and the App both build from the operator's configuration,
 * asked of real servers on 127.0.0.1.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClients } from '../../src/registry/clients.js';
import { startServer, type Handler, type TestServer } from './server.js';

const notFound: Handler = (_req, res) => {
  res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
};

let a: TestServer;
let b: TestServer;
let dir: string;
beforeEach(async () => {
  a = await startServer(notFound);
  b = await startServer(notFound);
  dir = await mkdtemp(path.join(os.tmpdir(), 'lw-clients-'));
});
afterEach(async () => {
  await Promise.all([a.close(), b.close(), rm(dir, { recursive: true, force: true })]);
});

const base = () => ({ userAgent: 'lockwarden-test/1', cwd: dir, homedir: path.join(dir, 'no-home') });

describe('npm()', () => {
  it('asks the registry the caller chose, with the caller’s User-Agent', async () => {
    const npm = await createClients({ ...base(), env: {}, trustProjectConfig: false, registry: a.url }).npm();
    expect((await npm.getPackument('left-pad')).ok).toBe(false);
    expect(a.requests.map((r) => [r.path, r.headers['user-agent']])).toEqual([['/left-pad', 'lockwarden-test/1']]);
  });

  it('does not read an untrusted project .npmrc, and names it', async () => {
    await writeFile(path.join(dir, '.npmrc'), `registry=${b.url}\n`);
    const ignored: string[] = [];
    const clients = createClients({ ...base(), env: { npm_config_registry: a.url }, trustProjectConfig: false, onIgnored: (f) => ignored.push(f) });
    await (await clients.npm()).getPackument('left-pad');
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(0);
    expect(ignored).toEqual([path.join(dir, '.npmrc')]);
  });

  it('reads a trusted project .npmrc (the App’s own deployment directory)', async () => {
    await writeFile(path.join(dir, '.npmrc'), `registry=${b.url}\n`);
    await (await createClients({ ...base(), env: {}, trustProjectConfig: true }).npm()).getPackument('left-pad');
    expect(b.requests.map((r) => r.path)).toEqual(['/left-pad']);
  });
});

describe('pypi()', () => {
  it('asks the index the caller chose, with the caller’s User-Agent', async () => {
    const pypi = await createClients({ ...base(), env: {}, trustProjectConfig: false, index: { url: `${a.url}simple/`, source: '--index-url' } }).pypi();
    expect((await pypi.getPackument('requests')).ok).toBe(false);
    expect(a.requests.length).toBeGreaterThan(0);
    expect(new Set(a.requests.map((r) => r.headers['user-agent']))).toEqual(new Set(['lockwarden-test/1']));
  });

  it('keeps one client, but not a failed resolution: the next call resolves again', async () => {
    const env: NodeJS.ProcessEnv = { PIP_INDEX_URL: 'not a url' };
    const clients = createClients({ ...base(), env, trustProjectConfig: false });
    await expect(clients.pypi()).rejects.toThrow(/PIP_INDEX_URL/);
    env['PIP_INDEX_URL'] = `${b.url}simple/`;
    const first = await clients.pypi();
    expect(await clients.pypi()).toBe(first);
    await first.getPackument('requests');
    expect(b.requests.length).toBeGreaterThan(0);
  });
});
