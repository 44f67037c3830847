/**
 * A slowloris registry on 127.0.0.1: answers every request with 200 and a JSON content type, then
 * sends one byte of body every `intervalMs`, forever. It records each request and when the client
 * closed its connection, so tests can assert that a read was really cut.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlowRequest {
  path: string;
  at: number;
  /** When the client closed the connection (undefined while it is open). */
  closedAt?: number;
}

export interface SlowServer {
  url: string;
  requests: SlowRequest[];
  /** Resolves once `n` requests have arrived. */
  waitForRequests(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSlowloris(intervalMs = 1000): Promise<SlowServer> {
  const requests: SlowRequest[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const seen: SlowRequest = { path: req.url ?? '/', at: Date.now() };
    requests.push(seen);
    for (const w of waiters.splice(0))
      if (requests.length >= w.n) w.resolve();
      else waiters.push(w);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{');
    const timer = setInterval(() => res.write(' '), intervalMs);
    timers.add(timer);
    res.on('close', () => {
      seen.closedAt = Date.now();
      clearInterval(timer);
      timers.delete(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    waitForRequests: (n) => (requests.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearInterval(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
