/** The npm-ecosystem upgrades of the shared corpus pairs, deduplicated by (name, from, to), with the pairs that carry each. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Corpus formats whose packages come from the npm registry. */
const NPM_FORMATS = new Set(['npm-v1', 'npm-v2', 'npm-v3', 'npm-shrinkwrap', 'yarn-v1', 'yarn-berry', 'pnpm-v5', 'pnpm-v6', 'pnpm-v9', 'bun']);

/** Every distinct `upgraded` change of the npm pairs, sorted by name then versions; `pairs` names where it came from. */
export function corpusUpgrades(corpusDir) {
  const index = JSON.parse(readFileSync(join(corpusDir, 'INDEX.json'), 'utf8'));
  const byKey = new Map();
  for (const item of index) {
    if (item.single || !NPM_FORMATS.has(item.format)) continue;
    const oracle = JSON.parse(readFileSync(join(corpusDir, item.dir, 'oracle.json'), 'utf8'));
    for (const c of oracle.changes) {
      if (c.kind !== 'upgraded') continue;
      const key = `${c.name}@${c.from}>${c.to}`;
      const entry = byKey.get(key) ?? { name: c.name, from: c.from, to: c.to, pairs: [] };
      entry.pairs.push(item.dir);
      byKey.set(key, entry);
    }
  }
  return [...byKey.values()].sort((a, b) => (a.name === b.name ? `${a.from}>${a.to}`.localeCompare(`${b.from}>${b.to}`) : a.name < b.name ? -1 : 1));
}
