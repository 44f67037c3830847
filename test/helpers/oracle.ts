/**
 * The shared part of the differential corpus tests: read a pair's oracle.json and its two lockfiles,
 * parse both sides, and compare the diff's (name, from, to, kind) set with the oracle's.
 *
 * What each format counts differently (the oracle counts entries, specifiers or both sections of a
 * Pipfile.lock) and what its key lines look like stays in that format's test; only the reading and
 * the set comparison, identical for every format, live here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir } from './corpus.js';
import { parseLockfile } from '../../src/lockfiles/index.js';
import type { Change, LockPackage, Lockfile } from '../../src/model/index.js';

/** One change as the oracle lists it. */
export interface OracleChange {
  name: string;
  from: string | null;
  to: string | null;
  kind: string;
}

/** A pair's oracle.json (the fields the tests read; Python pairs also list `versions`). */
export interface Oracle {
  basePackages: number;
  headPackages: number;
  changes: OracleChange[];
  versions?: { added: Array<[string, string]>; removed: Array<[string, string]> };
}

/** A corpus pair read and parsed: both texts, their lines, and both lockfiles. */
export interface CorpusPair {
  dir: string;
  oracle: Oracle;
  baseText: string;
  headText: string;
  baseLines: string[];
  headLines: string[];
  base: Lockfile;
  head: Lockfile;
}

/** The identity of a change the oracle and the diff are compared on. */
export const changeKey = (c: OracleChange): string => JSON.stringify([c.name, c.from, c.to, c.kind]);

/** The oracle.json of `<format>/<pair>` (of the shared corpus, or of the corpus at `root`). */
export function readOracle(pair: string, root: string = corpusDir()): Oracle {
  return JSON.parse(readFileSync(join(root, pair, 'oracle.json'), 'utf8')) as Oracle;
}

/**
 * Reads and parses both sides of `<format>/<pair>`. The base side is parsed from its bytes and the
 * head side from its text, so every format's corpus goes through both kinds of parser input.
 */
export function readPair(pair: string, fileName: string, root: string = corpusDir()): CorpusPair {
  const dir = join(root, pair);
  const baseBytes = readFileSync(join(dir, 'base', fileName));
  const baseText = baseBytes.toString('utf8');
  const headText = readFileSync(join(dir, 'head', fileName), 'utf8');
  return {
    dir,
    oracle: readOracle(pair, root),
    baseText,
    headText,
    baseLines: baseText.split('\n'),
    headLines: headText.split('\n'),
    base: parseLockfile(fileName, baseBytes),
    head: parseLockfile(fileName, headText),
  };
}

/** The diff's changes are the expected ones: the same (name, from, to, kind) set, and as many changes as expected. */
export function expectSameChanges(changes: readonly Change[], expected: readonly OracleChange[]): void {
  expect(new Set(changes.map(changeKey))).toEqual(new Set(expected.map(changeKey)));
  expect(changes).toHaveLength(expected.length);
}

/**
 * The package a change is about (the head copy, the base copy for a removal) and the text of the line
 * the change points at, after checking that the change's line is that package's line.
 */
export function changeLine(c: Change, pair: Pick<CorpusPair, 'baseLines' | 'headLines'>): { pkg: LockPackage; text: string } {
  const pkg = c.kind === 'removed' ? c.base! : c.head!;
  expect(c.line).toBe(pkg.line);
  return { pkg, text: (c.kind === 'removed' ? pair.baseLines : pair.headLines)[c.line - 1]! };
}

/** A change is direct exactly when an importer depends on it, and then has no path. */
export function expectDirectness(c: Change): void {
  expect(c.direct).toBe(c.directOf.length > 0);
  if (c.direct) expect(c.via).toEqual([]);
}
