/**
 * What the demo's fixture servers share (test-support/local-server.ts): how they start and stop, and how
 * they read a request's path.
 */
import { createServer, request } from 'node:http';
import { listen, requestPath } from '../../test-support/local-server.js';

describe('listen', () => {
  it('binds a free port; close() ends a connection still being answered at once; a second close() is the same promise', async () => {
    // the answer never ends: without destroying its connection, close() would wait for the client
    const server = createServer((_req, res) => res.write('partial'));
    const l = await listen(server, '127.0.0.1');
    expect(l.port).toBeGreaterThan(0);
    const clientSawEnd = new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port: l.port, path: '/' }, (res) => {
        res.resume();
        res.on('close', () => resolve());
      });
      req.on('error', () => resolve());
      req.end();
    });
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    const first = l.close();
    expect(l.close()).toBe(first);
    await first;
    await clientSawEnd;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(server.listening).toBe(false);
  });

  it('rejects when the port is taken, leaving no listener behind', async () => {
    const a = await listen(createServer(), '127.0.0.1');
    const other = createServer();
    await expect(listen(other, '127.0.0.1', a.port)).rejects.toThrow(/EADDRINUSE/);
    expect(other.listening).toBe(false);
    await a.close();
  });
});

describe('requestPath', () => {
  it('decodes the path and drops the query; undefined for broken percent-encoding', () => {
    expect(requestPath('/simple/my%2Dpkg/?format=json')).toBe('/simple/my-pkg/');
    expect(requestPath('/@scope%2fname')).toBe('/@scope/name');
    expect(requestPath('/a%20b?x=%zz')).toBe('/a b');
    expect(requestPath('/bad%zz')).toBeUndefined();
    expect(requestPath('')).toBe('');
  });
});
