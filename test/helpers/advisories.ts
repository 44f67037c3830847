/** Lockfiles against the advisory tests' fixture registry (test/fixtures/advisories-registry), with the registry's own tarball URLs and hashes. */
import path from 'node:path';
import { startFixtureRegistry, type FixtureRegistry } from '../../test-support/fixture-registry.js';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
export const ADVISORY_REGISTRY_DIR = path.join(root, 'test', 'fixtures', 'advisories-registry');
export const ADVISORY_DIR = path.join(root, 'test', 'fixtures', 'advisories');
/** Twelve days after chalk 5.6.1 and debug 4.4.2: old enough for release-too-new to stay quiet. */
export const NOW = new Date('2025-09-20T12:00:00.000Z');

export function startAdvisoryRegistry(): Promise<FixtureRegistry> {
  return startFixtureRegistry({ dir: ADVISORY_REGISTRY_DIR });
}

/** A package-lock.json (v3) holding `deps` (name → version), resolved and hashed as the registry serves them. */
export async function packageLock(registry: FixtureRegistry, deps: Record<string, string>): Promise<string> {
  const packages: Record<string, unknown> = { '': { name: 'app', version: '1.0.0', dependencies: Object.fromEntries(Object.keys(deps).map((n) => [n, '*'])) } };
  for (const [name, version] of Object.entries(deps)) {
    const doc = (await (await fetch(`${registry.url}${name}`)).json()) as { versions: Record<string, { dist: { tarball: string; integrity: string } }> };
    const dist = doc.versions[version]!.dist;
    packages[`node_modules/${name}`] = { version, resolved: dist.tarball, integrity: dist.integrity, license: 'MIT' };
  }
  return `${JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}
