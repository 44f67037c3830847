/**
 * What the demo's local package servers (the fixture registry and the fixture index) do the same
 * way: start and stop — listen on the given loopback host, keep the open connections so that close()
 * ends them at once instead of waiting for the client to drop them, and let close() be called more
 * than once — and read a request target's path.
 */
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Listening {
  /** The port bound (the one asked for, or the free one chosen for port 0). */
  port: number;
  /** Stops the server and destroys its open connections; every call returns the same promise. */
  close(): Promise<void>;
}

/** Listens on host:port (0: any free port); rejects when the server cannot listen (port in use, …). */
export async function listen(server: Server, host: string, port = 0): Promise<Listening> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  let closed: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        for (const s of sockets) s.destroy();
      });
      return closed;
    },
  };
}

/** A request target's path, percent-decoded, without its query; undefined when it does not decode. */
export function requestPath(target: string): string | undefined {
  try {
    return decodeURIComponent(target.split('?')[0] ?? '');
  } catch {
    return undefined;
  }
}
