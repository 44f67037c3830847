/**
 * Support for the hostile-document tests and bench: a registry on 127.0.0.1 serving documents by package name
 * (whole bodies or generated streams, so a 200 MB document never sits in the test's memory), and
 * package-lock.json texts built from a few entries.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { review, type ReviewResult } from '../src/core/review.js';
import { defaultConfig } from '../src/policy/index.js';
import { createNpmRegistryClient } from '../src/registry/npm.js';
import { createNpmRegistryConfig } from '../src/registry/npmrc.js';

/** A body: JSON text, or a generator of chunks written with back-pressure. */
export type Body = string | (() => Iterable<string>);

export interface HostileRegistry {
  url: string;
  close(): Promise<void>;
}

async function writeAll(res: ServerResponse, chunks: Iterable<string>): Promise<void> {
  let pending = '';
  for (const c of chunks) {
    pending += c;
    if (pending.length < 1 << 20) continue;
    if (!res.write(pending)) await new Promise((r) => res.once('drain', r));
    pending = '';
    if (res.destroyed) return;
  }
  res.end(pending);
}

export async function startHostileRegistry(docs: Record<string, Body>): Promise<HostileRegistry> {
  const server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1).split('?')[0] ?? '');
    const body = Object.hasOwn(docs, name) ? docs[name] : undefined;
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    if (typeof body === 'string') res.end(body);
    else writeAll(res, body()).catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface LockEntry {
  name: string;
  version: string;
  hasInstallScript?: boolean;
}

/** A package-lock.json (v3) with these packages as direct dependencies. */
export function packageLock(entries: readonly LockEntry[]): string {
  const packages: Record<string, unknown> = {
    '': { name: 'app', version: '1.0.0', dependencies: Object.fromEntries(entries.map((e) => [e.name, `^${e.version}`])) },
  };
  for (const e of entries) {
    packages[`node_modules/${e.name}`] = {
      version: e.version,
      resolved: `http://registry.example/${e.name}/-/${e.name}-${e.version}.tgz`,
      integrity: `sha512-${Buffer.from(`${e.name}@${e.version}`).toString('base64')}`,
      ...(e.hasInstallScript ? { hasInstallScript: true } : {}),
    };
  }
  return JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2);
}

export const NOW = new Date('2026-03-31T02:00:00.000Z');

/** Reviews base → head against the hostile registry, through the real npm client. */
export async function reviewAgainst(url: string, base: readonly LockEntry[], head: readonly LockEntry[]): Promise<ReviewResult> {
  const registry = createNpmRegistryClient({ config: createNpmRegistryConfig({ registry: url }), backoffMs: 1, retries: 0 });
  return review([{ file: 'package-lock.json', base: packageLock(base), head: packageLock(head) }], { registry, now: NOW, config: defaultConfig() });
}

/** A full-packument version manifest with a real-looking dist. */
export function manifest(name: string, version: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    version,
    dist: {
      integrity: `sha512-${Buffer.from(`${name}@${version}`).toString('base64')}`,
      shasum: 'a'.repeat(40),
      tarball: `http://registry.example/${name}/-/${name}-${version}.tgz`,
    },
    _npmUser: { name: 'maintainer', email: 'maintainer@mail.example' },
    maintainers: [{ name: 'maintainer', email: 'maintainer@mail.example' }],
    ...extra,
  };
}
