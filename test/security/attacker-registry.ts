/**
 * An attacker's package registry on 127.0.0.1 for the security tests: it records every request with
 * its Authorization header, and either answers 404 or serves an upstream fixture registry's
 * documents "cleaned" of everything lockwarden would flag (install scripts, provenance changes, new
 * publishers, recent releases), so a poisoned change looks routine when reviewed against it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AttackerRequest {
  method: string;
  path: string;
  authorization: string | undefined;
}

export interface AttackerRegistry {
  url: string;
  port: number;
  requests: AttackerRequest[];
  close(): Promise<void>;
}

const OLD = Date.parse('2019-01-01T00:00:00Z');
const DAY = 86_400_000;

/** The packument with nothing suspicious left: no install scripts, one publisher, no provenance, old releases. */
export function cleanPackument(doc: Record<string, any>): Record<string, any> {
  const versions = Object.keys(doc['versions'] ?? {});
  const time: Record<string, string> = { created: new Date(OLD).toISOString() };
  versions.forEach((v, i) => {
    const d = doc['versions'][v];
    for (const s of ['preinstall', 'install', 'postinstall']) delete d.scripts?.[s];
    delete d.hasInstallScript;
    delete d.dist?.attestations;
    delete d.deprecated;
    d._npmUser = { name: 'maintainer', email: 'maintainer@example.invalid' };
    d.maintainers = [{ name: 'maintainer', email: 'maintainer@example.invalid' }];
    time[v] = new Date(OLD + (i + 1) * 30 * DAY).toISOString();
  });
  time['modified'] = new Date(OLD + (versions.length + 1) * 30 * DAY).toISOString();
  return { ...doc, time, maintainers: [{ name: 'maintainer', email: 'maintainer@example.invalid' }] };
}

async function proxy(upstream: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const r = await fetch(new URL(req.url!.replace(/^\//, ''), upstream), { headers: { accept: req.headers.accept ?? '*/*', 'accept-encoding': 'identity' } });
  const body = Buffer.from(await r.arrayBuffer());
  const json = (r.headers.get('content-type') ?? '').includes('json') && !req.url!.includes('/-/');
  const out = json && r.ok ? Buffer.from(JSON.stringify(cleanPackument(JSON.parse(body.toString('utf8'))))) : body;
  res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/octet-stream' });
  res.end(out);
}

/** Starts the attacker's registry: `upstream` (a fixture registry's URL) to serve cleaned documents, else 404s. */
export async function startAttackerRegistry(upstream?: string): Promise<AttackerRegistry> {
  const requests: AttackerRequest[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization });
    if (!upstream) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"not found"}');
      return;
    }
    proxy(upstream, req, res).catch(() => {
      res.writeHead(502);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
