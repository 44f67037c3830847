/** The importers of a pnpm document: their dependency references resolved to its packages. */
import type { Importer, LockPackage } from '../../../model/index.js';
import { fail, type Major, map, refToId, str, stripPeers } from './nodes.js';
import { YMap } from './yaml.js';

/**
 * The importer `path` depending on the references in `fields` of `body` (`name: ref` or, v9,
 * `name: {specifier, version}`). With `strict`, a reference that is no package of the document is
 * refused (the env document's: pnpm would install something the file does not pin).
 */
export function importerOf(
  file: string,
  major: Major,
  byId: Map<string, LockPackage>,
  prefix: string,
  path: string,
  body: YMap,
  line: number,
  fields: readonly string[],
  strict: boolean,
): Importer {
  const deps: string[] = [];
  for (const field of fields) {
    const m = map(body.get(field));
    if (m === undefined) continue;
    for (const [depName, e] of m.entries) {
      const v = e.value;
      const ref = typeof v === 'string' ? v : v instanceof YMap ? str(v.get('version')) : undefined;
      if (ref === undefined) {
        if (strict) fail(file, `${field} entry ${JSON.stringify(depName)} has no version`, e.line);
        continue;
      }
      const id = refToId(major, depName, ref);
      const target = id === null ? undefined : byId.get(prefix + (major === 9 ? stripPeers(id) : id));
      if (target === undefined) {
        if (strict) fail(file, `${field} entry ${JSON.stringify(depName)} (${ref}) has no entry in the document's packages`, e.line);
        continue;
      }
      if (depName !== target.name && target.alias === undefined) target.alias = depName;
      if (!deps.includes(target.id)) deps.push(target.id);
    }
  }
  return { path, line, deps };
}
