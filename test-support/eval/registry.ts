/**
 * The evaluation cases served as metadata-clean upgrades: one packument per case (same publisher on
 * every version, months old, same scripts and dependencies), tarballs built from the cases' files by the
 * fixture registry, and the lockfiles of a repository bumping the package.
 */
import { createHash } from 'node:crypto';
import { buildVersionTarball, startFixtureRegistry, type FixtureRegistry } from '../fixture-registry.js';
import type { EvalCase } from './case.js';

/** When the evaluation's reviews run: a month after each case's release (well past any cooldown). */
export const EVAL_NOW = new Date('2025-06-01T00:00:00Z');
const PUBLISHER = { name: 'longtime-maintainer', email: 'maintainer@maintainers.example' };
const EARLY = '0.0.1';

/** A version's registry document and its tarball's files (package.json included: the tarball says what the document says). */
function version(c: EvalCase, v: string, files: Record<string, string>) {
  const manifest = { name: c.name, version: v, description: `${c.name} (evaluation case)`, license: 'MIT', ...c.manifest };
  const all = { 'package.json': `${JSON.stringify(manifest, null, 2)}\n`, ...files };
  return { doc: { ...manifest, _npmUser: PUBLISHER, maintainers: [PUBLISHER], dist: {} }, files: all };
}

/** The case's packument (fixture shape, `_fixture.files` carrying each version's files). */
export function caseDocument(c: EvalCase): Record<string, unknown> {
  const versions = { [EARLY]: version(c, EARLY, c.before), [c.from]: version(c, c.from, c.before), [c.to]: version(c, c.to, c.after) };
  return {
    name: c.name,
    'dist-tags': { latest: c.to },
    maintainers: [PUBLISHER],
    versions: Object.fromEntries(Object.entries(versions).map(([v, x]) => [v, x.doc])),
    time: {
      created: '2019-03-01T00:00:00.000Z',
      modified: '2025-05-01T00:00:00.000Z',
      [EARLY]: '2019-03-01T00:00:00.000Z',
      [c.from]: '2025-03-01T00:00:00.000Z',
      [c.to]: '2025-05-01T00:00:00.000Z',
    },
    _fixture: { files: Object.fromEntries(Object.entries(versions).map(([v, x]) => [v, x.files])) },
  };
}

/** The SRI the fixture registry computes for a case's version (its tarball is deterministic). */
export function caseIntegrity(c: EvalCase, v: string): string {
  const doc = caseDocument(c) as { versions: Record<string, Record<string, unknown>>; _fixture: { files: Record<string, Record<string, string>> } };
  const { tgz } = buildVersionTarball(doc.versions[v]!, new Map(Object.entries(doc._fixture.files[v]!)));
  return sri(tgz);
}

export function sri(bytes: Buffer): string {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}

/** A fixture registry on 127.0.0.1 serving these cases (and, for benign controls, ready-made archives). */
export function startEvalRegistry(
  cases: readonly EvalCase[],
  more: { documents?: Record<string, unknown>[]; archives?: Map<string, Buffer> } = {},
): Promise<FixtureRegistry> {
  const documents = [...cases.map(caseDocument), ...(more.documents ?? [])];
  return startFixtureRegistry(more.archives ? { documents, archives: more.archives } : { documents });
}

/** The tarball file name the registry serves (the scope dropped). */
function tarball(url: string, name: string, v: string): string {
  return `${url}${name}/-/${name.split('/').pop()}-${v}.tgz`;
}

/** A package-lock.json (v3) of an app depending on `name` at `v`. */
export function lockfileFor(url: string, name: string, v: string, integrity: string): string {
  const packages = {
    '': { name: 'eval-app', version: '1.0.0', dependencies: { [name]: `^${v}` } },
    [`node_modules/${name}`]: { version: v, resolved: tarball(url, name, v), integrity },
  };
  return `${JSON.stringify({ name: 'eval-app', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}

/** The base and head lockfiles of the pull request bumping a case's package. */
export function caseLockfiles(url: string, c: EvalCase): { base: string; head: string } {
  return { base: lockfileFor(url, c.name, c.from, caseIntegrity(c, c.from)), head: lockfileFor(url, c.name, c.to, caseIntegrity(c, c.to)) };
}
