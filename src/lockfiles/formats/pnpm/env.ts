/** pnpm 11's env document: config dependencies and the package manager, before the lockfile. */
import type { Importer, LockPackage } from '../../../model/index.js';
import { importerOf } from './importers.js';
import { fail, majorOf, map, str } from './nodes.js';
import { readPackages } from './packages.js';
import { YMap } from './yaml.js';

/** Importer path of the env document's `configDependencies` (a path no workspace has: see {@link ENV_PREFIX}). */
export const CONFIG_IMPORTER = '(config)';
/** Importer path of the env document's `packageManagerDependencies` (pnpm itself, when the project pins it). */
export const PACKAGE_MANAGER_IMPORTER = '(packageManager)';
/** Prefix of the ids of the env document's packages (`env:picocolors@1.1.1`): never the id of a project package. */
export const ENV_PREFIX = 'env:';

export const ENV_IMPORTER_FIELDS = [
  ['configDependencies', CONFIG_IMPORTER],
  ['packageManagerDependencies', PACKAGE_MANAGER_IMPORTER],
] as const;
const ENV_KEYS = new Set(['lockfileVersion', 'importers', 'packages', 'snapshots']);

/**
 * The env document pnpm 11+ writes before the lockfile: `lockfileVersion`, `importers` with only
 * `.` and only `configDependencies`/`packageManagerDependencies` in it, `packages`, `snapshots`.
 * Anything else (a project lockfile in first place, unknown keys) is refused, naming the line.
 */
export function readEnvDocument(file: string, doc: YMap): { packages: LockPackage[]; importers: Importer[] } {
  for (const [key, entry] of doc.entries) {
    if (!ENV_KEYS.has(key))
      fail(
        file,
        `unexpected ${JSON.stringify(key)} in the env document (the first of two YAML documents holds only pnpm's config dependencies and package manager)`,
        entry.line,
      );
  }
  const major = majorOf(file, doc);
  if (major !== 9)
    fail(
      file,
      `env document with lockfileVersion ${JSON.stringify(str(doc.get('lockfileVersion')))} (pnpm writes it with 9.x)`,
      doc.entries.get('lockfileVersion')!.line,
    );
  const impSection = doc.entries.get('importers');
  if (impSection === undefined) fail(file, 'the env document has no importers');
  const imps = map(impSection.value);
  if (imps === undefined) fail(file, '"importers" of the env document is not a mapping', impSection.line);
  const { packages, byId } = readPackages(file, doc, 9, ENV_PREFIX);
  const importers: Importer[] = [];
  for (const [path, entry] of imps.entries) {
    if (path !== '.') fail(file, `importer ${JSON.stringify(path)} in the env document (only "." is expected)`, entry.line);
    const body = entry.value === null ? new YMap() : map(entry.value);
    if (body === undefined) fail(file, 'importer "." of the env document is not a mapping', entry.line);
    for (const [field, e] of body.entries) {
      const known = ENV_IMPORTER_FIELDS.find(([f]) => f === field);
      if (known === undefined)
        fail(
          file,
          `unexpected ${JSON.stringify(field)} in the env document's importer (only configDependencies and packageManagerDependencies are expected)`,
          e.line,
        );
      if (e.value !== null && !(e.value instanceof YMap)) fail(file, `${field} is not a mapping`, e.line);
      importers.push(importerOf(file, 9, byId, ENV_PREFIX, known[1], body, e.line, [field], true));
    }
  }
  return { packages, importers };
}
