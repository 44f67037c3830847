/**
 * `engines` is truthful: every package the lockfile installs (production and development) accepts the
 * oldest Node version package.json promises, so `npm ci` prints no EBADENGINE warning.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { engines?: unknown }> };

it('package.json promises a Node range with a minimum', () => {
  expect(semver.minVersion(pkg.engines.node)?.version).toBe('20.18.1');
});

it('every locked package accepts the oldest promised Node version', () => {
  const oldest = semver.minVersion(pkg.engines.node)!.version;
  const refused: string[] = [];
  for (const [key, entry] of Object.entries(lock.packages)) {
    const node = entry.engines && typeof entry.engines === 'object' ? (entry.engines as { node?: unknown }).node : undefined;
    if (key !== '' && typeof node === 'string' && !semver.satisfies(oldest, node)) refused.push(`${key} (node ${node})`);
  }
  expect(refused).toEqual([]);
});
