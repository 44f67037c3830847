/**
 * A registry on 127.0.0.1 serving packuments and tarballs built by the test (hostile ones too), with
 * its request log; `dist.tarball` may point at another server and `dist.integrity` may lie.
 */
import { createHash } from 'node:crypto';
import { createTgz, type TarEntry } from '../../../test-support/tarball.js';
import { startServer, type TestServer } from '../server.js';

export interface VersionSpec {
  /** The registry document's entry (name, version, scripts, bin, dependencies…). */
  manifest?: Record<string, unknown>;
  /** The tarball's package.json (default: the manifest). */
  packageJson?: Record<string, unknown>;
  /** More files (paths relative to package/), or the whole archive. */
  files?: TarEntry[];
  tgz?: Buffer;
  /** Another origin for dist.tarball (`http://127.0.0.1:PORT/`). */
  tarballOrigin?: string;
  /** A dist.integrity that is not the archive's. */
  integrity?: string;
  published?: string;
}

export interface ArchiveRegistry {
  server: TestServer;
  url: string;
  /** The archive bytes served for name@version. */
  tgz(name: string, version: string): Buffer;
  integrity(name: string, version: string): string;
  /** A package-lock.json (v3) installing these versions from this registry; `integrity` overrides a package's. */
  packageLock(versions: Record<string, string>, integrity?: Record<string, string>): string;
  tarballRequests(): string[];
  close(): Promise<void>;
}

export async function startArchiveRegistry(packages: Record<string, Record<string, VersionSpec>>): Promise<ArchiveRegistry> {
  const archives = new Map<string, Buffer>();
  const docs = new Map<string, string>();
  const server = await startServer((req, res) => {
    const path = decodeURIComponent(req.url ?? '/');
    const body = docs.get(path) ?? archives.get(path);
    if (body === undefined) {
      res.writeHead(404).end('{}');
      return;
    }
    res.writeHead(200, { 'content-type': docs.has(path) ? 'application/json' : 'application/octet-stream' }).end(body);
  });
  const file = (name: string, v: string) => `/${name}/-/${name.split('/').pop()}-${v}.tgz`;
  for (const [name, versions] of Object.entries(packages)) {
    const out: Record<string, unknown> = {};
    const time: Record<string, string> = { created: '2020-01-01T00:00:00.000Z' };
    let i = 0;
    for (const [v, spec] of Object.entries(versions)) {
      const manifest = { name, version: v, ...spec.manifest };
      const tgz = spec.tgz ?? createTgz([{ path: 'package/package.json', content: JSON.stringify(spec.packageJson ?? manifest) }, ...(spec.files ?? [])]);
      archives.set(file(name, v), tgz);
      const origin = (spec.tarballOrigin ?? server.url).replace(/\/$/, '');
      const integrity = spec.integrity ?? sri(tgz);
      out[v] = { ...manifest, dist: { tarball: `${origin}${file(name, v)}`, integrity, shasum: createHash('sha1').update(tgz).digest('hex') } };
      time[v] = spec.published ?? new Date(Date.UTC(2020, 1, 1 + i++)).toISOString();
    }
    const latest = Object.keys(versions).pop()!;
    docs.set(`/${name}`, JSON.stringify({ name, versions: out, time, 'dist-tags': { latest } }));
  }
  return {
    server,
    url: server.url,
    tgz: (name, v) => archives.get(file(name, v))!,
    integrity: (name, v) => sri(archives.get(file(name, v))!),
    packageLock: (versions, integrity = {}) => {
      const deps = Object.fromEntries(Object.keys(versions).map((n) => [n, '*']));
      const packages: Record<string, unknown> = { '': { name: 'app', version: '0.0.0', dependencies: deps } };
      for (const [n, v] of Object.entries(versions))
        packages[`node_modules/${n}`] = {
          version: v,
          resolved: `${server.url.replace(/\/$/, '')}${file(n, v)}`,
          integrity: integrity[n] ?? sri(archives.get(file(n, v))!),
        };
      return JSON.stringify({ name: 'app', lockfileVersion: 3, requires: true, packages });
    },
    tarballRequests: () => server.requests.map((r) => r.path).filter((p) => p.endsWith('.tgz')),
    close: () => server.close(),
  };
}

export function sri(bytes: Buffer): string {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}
