/**
 * pnpm `pnpm-lock.yaml` (lockfile versions 5.x, 6.x, 9.x, and pnpm 11's env document before it) → the
 * common model; docs/FORMATS.md has the mapping. Config dependencies are installed first and may carry
 * pnpmfile hooks, so they are packages like any other, under `env:` ids and the `(config)` and
 * `(packageManager)` importers. Any other document layout is refused naming the line (see
 * docs/FORMATS.md); everything keyed by input is in Maps.
 */
import type { Importer, LockPackage, Lockfile } from '../../../model/index.js';
import { CONFIG_IMPORTER, ENV_IMPORTER_FIELDS, PACKAGE_MANAGER_IMPORTER, readEnvDocument } from './env.js';
import { importerOf } from './importers.js';
import { fail, IMPORTER_DEP_FIELDS, type Major, majorOf, map } from './nodes.js';
import { readPackages } from './packages.js';
import { readPnpmYamlDocuments, type YDocument, YMap } from './yaml.js';

export { CONFIG_IMPORTER, ENV_PREFIX, PACKAGE_MANAGER_IMPORTER } from './env.js';

/** Top-level keys pnpm writes; pnpm 6 sorted them, so `importers` and others can come before `lockfileVersion`. */
const SORTED_FIRST_KEY =
  /^(?:importers|dependencies|devDependencies|optionalDependencies|specifiers|overrides|neverBuiltDependencies|onlyBuiltDependencies|patchedDependencies|packageExtensionsChecksum|settings|catalogs|time|packages):/;
const TOP_LEVEL_VERSION = /^(?:lockfileVersion|'lockfileVersion'|"lockfileVersion")\s*:/m;

/**
 * Does the text (from `start`) begin like a pnpm lockfile: `lockfileVersion:` as its first key, or
 * another key pnpm writes first with `lockfileVersion:` further down at the top level?
 */
export function sniffPnpm(text: string, start: number): boolean {
  let pos = start;
  const n = text.length;
  // Skip blank lines, comments and a `---` document start.
  for (let lines = 0; pos < n && lines < 50; lines++) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = n;
    let i = pos;
    while (i < nl && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 13)) i++;
    if (i === nl || text.charCodeAt(i) === 35 || (i === pos && text.startsWith('---', i))) {
      pos = nl + 1;
      continue;
    }
    if (i !== pos) return false;
    const head = text.slice(i, i + 40);
    return /^(?:lockfileVersion|'lockfileVersion'|"lockfileVersion")\s*:/.test(head) || (SORTED_FIRST_KEY.test(head) && TOP_LEVEL_VERSION.test(text.slice(nl)));
  }
  return false;
}

export interface PnpmParseOptions {
  maxDepth: number;
}

/** Reads the documents (an env document, then the lockfile), then each one's packages and importers. */
export function parsePnpm(file: string, text: string, start: number, opts: PnpmParseOptions): Lockfile {
  const docs = readPnpmYamlDocuments(file, text, start, opts.maxDepth, 2);
  const { envDoc, mainDoc } = splitDocuments(file, docs);
  // in file order: the env document is checked first
  const env = envDoc === undefined ? undefined : readEnvDocument(file, envDoc.map);
  const doc = mainDoc.map;
  const major = lockfileMajor(file, doc, env !== undefined);
  const { packages, byId } = readPackages(file, doc, major, '');
  const importers = projectImporters(file, doc, major, byId);
  if (env !== undefined) {
    // in file order: the env document's packages come first
    return { ecosystem: 'npm', format: `pnpm-v${major}`, file, importers: importers.concat(env.importers), packages: env.packages.concat(packages) };
  }
  return { ecosystem: 'npm', format: `pnpm-v${major}`, file, importers, packages };
}

/** The env document (when the file has two) and the lockfile's. */
function splitDocuments(file: string, docs: YDocument[]): { envDoc: YDocument | undefined; mainDoc: YDocument } {
  if (docs.length !== 2) return { envDoc: undefined, mainDoc: docs[0]! };
  const [envDoc, mainDoc] = docs as [YDocument, YDocument];
  // pnpm reads an env document only when the file starts with a line `---` and the next line
  // `---` ends it; anything else is no pnpm lockfile pnpm would read the same way
  if (envDoc.markerLine !== 1 || !envDoc.bareMarker) {
    fail(file, 'a second YAML document: only a file whose first line is "---" may hold an env document before the lockfile', mainDoc.markerLine);
  }
  if (!mainDoc.bareMarker) fail(file, 'the line between the env document and the lockfile must be exactly "---"', mainDoc.markerLine);
  if (mainDoc.map.entries.size === 0) fail(file, 'the env document is not followed by a lockfile', mainDoc.markerLine);
  return { envDoc, mainDoc };
}

/** The lockfile's major version, once it is known to hold a lockfile pnpm would read. */
function lockfileMajor(file: string, doc: YMap, afterEnv: boolean): Major {
  const major = majorOf(file, doc);
  if (afterEnv && major !== 9)
    fail(file, 'a lockfile after an env document must have lockfileVersion 9.x (pnpm 11 and later write both)', doc.entries.get('lockfileVersion')!.line);
  let hasContent = false;
  for (const k of ['importers', 'packages', 'specifiers', 'dependencies', 'devDependencies', 'optionalDependencies']) {
    if (doc.entries.has(k)) hasContent = true;
  }
  // pnpm writes `importers` (v9, workspaces) or `specifiers` (v5/v6 single projects) even when empty
  if (!hasContent) fail(file, 'not a recognised lockfile (a pnpm lockfileVersion, but no importers, specifiers, dependencies or packages)');
  return major;
}

/** The lockfile's importers: each of `importers` (workspaces), or the document itself (a single project). */
function projectImporters(file: string, doc: YMap, major: Major, byId: Map<string, LockPackage>): Importer[] {
  const importerSection = doc.entries.get('importers');
  if (importerSection === undefined) return [importerOf(file, major, byId, '', '', doc, 1, IMPORTER_DEP_FIELDS, false)];
  const importers: Importer[] = [];
  const imps = map(importerSection.value);
  if (imps === undefined && importerSection.value !== null) fail(file, '"importers" is not a mapping', importerSection.line);
  if (imps === undefined) return importers;
  for (const [path, entry] of imps.entries) {
    if (path === CONFIG_IMPORTER || path === PACKAGE_MANAGER_IMPORTER)
      fail(file, `importer ${JSON.stringify(path)}: that path is reserved for the env document`, entry.line);
    const body = map(entry.value) ?? new YMap();
    for (const [field] of ENV_IMPORTER_FIELDS) {
      const e = body.entries.get(field);
      if (e !== undefined)
        fail(file, `${field} in the lockfile's importer ${JSON.stringify(path)}: pnpm keeps them in the env document (a leading YAML document)`, e.line);
    }
    importers.push(importerOf(file, major, byId, '', path === '.' ? '' : path, body, entry.line, IMPORTER_DEP_FIELDS, false));
  }
  return importers;
}
