/**
 * Differential test on the pairs tools/corpus-scale/select.mjs took from real lockfile histories
 * (test/fixtures/corpus-scale: the pairs that exposed bugs, and some with unusual features): parse
 * + diff each pair and compare the (name, from, to, kind) set with its oracle.json. Where a
 * documented erratum applies (`errata`, see tools/corpus-scale/oracle-notes.md), the diff must
 * give the erratum's changes, and those must differ from the plain rule's (or it is no erratum).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { changeKey, expectSameChanges, readPair, type OracleChange } from '../helpers/oracle.js';
import { diffLockfiles } from '../../src/diff/index.js';

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'corpus-scale');

function pairs(): string[] {
  const out: string[] = [];
  for (const format of readdirSync(ROOT).sort()) {
    for (const slug of readdirSync(join(ROOT, format)).sort()) if (existsSync(join(ROOT, format, slug, 'oracle.json'))) out.push(`${format}/${slug}`);
  }
  return out;
}

/** URL hosts of a text whose top-level domain is not `.example` (the fixtures are neutralised). */
function publicHosts(text: string): string[] {
  return [...text.matchAll(/[a-z][a-z0-9+.-]*:\/\/(?:[^\s@/"'<>]+@)?((?:[a-z0-9-]+\.)+[a-z][a-z0-9-]*)(?=[/:\s"'<>#?\]}),]|$)/gi)]
    .map((m) => m[1]!)
    .filter((h) => !h.toLowerCase().endsWith('.example'));
}

describe('corpus-scale pairs (differential against oracle.json)', () => {
  const all = pairs();

  it('finds the pairs', () => {
    expect(all.length).toBeGreaterThanOrEqual(8);
  });

  it.each(all)('%s matches the oracle', (pair) => {
    // the lockfile's path under head/ (requirements files keep their directory: the path chooses their parser)
    const file = readdirSync(join(ROOT, pair, 'head'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(join(ROOT, pair, 'head'), join(e.parentPath, e.name)))[0]!;
    const sides = readPair(pair, file, ROOT);
    const { oracle, base, head } = sides;
    expect(publicHosts(sides.baseText + sides.headText)).toEqual([]);
    const errata = (oracle as { errata?: { rule: string; changes: OracleChange[] } }).errata;
    const expected = errata?.changes ?? oracle.changes;
    if (errata) expect(new Set(errata.changes.map(changeKey))).not.toEqual(new Set(oracle.changes.map(changeKey)));
    expectSameChanges(diffLockfiles(base, head), expected);
  });
});
