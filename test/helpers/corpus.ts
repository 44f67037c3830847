/**
 * Where the shared lockfile corpus is: $LOCKWARDEN_CORPUS, else `../shared/corpus` beside the repository,
 * else the workplace's `/work/shared/corpus` (a clean clone elsewhere, as CI makes, still finds it).
 * Tests that need it fail, rather than skip, when it is absent.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

export function corpusDir(): string {
  const candidates = [process.env['LOCKWARDEN_CORPUS'], path.resolve(repoRoot, '..', 'shared', 'corpus'), '/work/shared/corpus'].filter((c): c is string =>
    Boolean(c),
  );
  const found = candidates.find((c) => existsSync(path.join(c, 'INDEX.json')));
  if (!found) throw new Error(`the shared lockfile corpus is missing (looked in ${candidates.join(', ')}); set LOCKWARDEN_CORPUS`);
  return found;
}

/** `<format>/<pair>` for every pair directory of the given formats that has an oracle.json. */
export function corpusPairs(formats: readonly string[]): string[] {
  const root = corpusDir();
  const out: string[] = [];
  for (const format of formats) {
    const dir = path.join(root, format);
    if (!existsSync(dir)) continue;
    for (const pair of readdirSync(dir).sort()) if (existsSync(path.join(dir, pair, 'oracle.json'))) out.push(`${format}/${pair}`);
  }
  return out;
}
