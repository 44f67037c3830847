/**
 * Differential tests of the TOML reader against smol-toml (the established parser): every TOML
 * lockfile of the corpus, and seeded random documents (toml-gen.ts) whose expected value is known
 * from the generator. Both parsers must give the generated value; the reader must also give every
 * header's line.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse as smolParse, TomlDate } from 'smol-toml';
import { readToml, TomlDateTime, TomlTable, type TomlValue } from '../../src/lockfiles/readers/toml.js';
import { corpusDir } from '../helpers/corpus.js';
import { genDocument, type GenValue } from './toml-gen.js';

/** 200 seeds; TOML_SEEDS=<n> for a longer local run, TOML_SEED=<seed> to replay one. */
const SEEDS = process.env['TOML_SEED']
  ? [Number(process.env['TOML_SEED'])]
  : Array.from({ length: Number(process.env['TOML_SEEDS'] ?? 200) }, (_, i) => 7 + i * 104729);

type Plain = unknown;

function dateKey(d: TomlDate): string {
  const kind = d.isDate() ? 'local-date' : d.isTime() ? 'local-time' : d.isLocal() ? 'local-date-time' : 'offset-date-time';
  return `${kind}:${d.toISOString()}`;
}

/** The reader's value as plain data (date-times through smol-toml's TomlDate, so both read alike). */
function ours(v: TomlValue): Plain {
  if (v instanceof TomlTable) {
    const o: Record<string, Plain> = {};
    for (const [k, x] of v.map) Object.defineProperty(o, k, { value: ours(x), enumerable: true });
    return o;
  }
  if (Array.isArray(v)) return v.map(ours);
  if (v instanceof TomlDateTime) return `${v.kind}:${new TomlDate(v.text).toISOString()}`;
  return v;
}

function theirs(v: unknown): Plain {
  if (v instanceof TomlDate) return dateKey(v);
  if (Array.isArray(v)) return v.map(theirs);
  if (v !== null && typeof v === 'object') {
    const o: Record<string, Plain> = {};
    for (const k of Object.keys(v)) Object.defineProperty(o, k, { value: theirs((v as Record<string, unknown>)[k]), enumerable: true });
    return o;
  }
  return v;
}

function expected(v: GenValue): Plain {
  switch (v.t) {
    case 'str':
    case 'bool':
      return v.v;
    case 'int': {
      const n = Number(v.v);
      return Number.isSafeInteger(n) ? n + 0 : v.v;
    }
    case 'float':
      return v.v;
    case 'dt':
      return `${v.kind}:${new TomlDate(v.text).toISOString()}`;
    case 'arr':
      return v.v.map(expected);
    case 'aot':
      return v.v.map(expected);
    case 'tab': {
      const o: Record<string, Plain> = {};
      for (const [k, x] of v.v) Object.defineProperty(o, k, { value: expected(x), enumerable: true });
      return o;
    }
  }
}

/** Every table's header line, keyed like the generator's records. */
function headerLines(t: TomlTable, path: string[], out: Map<string, number>): void {
  for (const [k, x] of t.map) {
    const sub = [...path, k];
    if (x instanceof TomlTable) {
      out.set(JSON.stringify(sub), x.line);
      headerLines(x, sub, out);
    } else if (Array.isArray(x)) {
      x.forEach((el, i) => {
        if (el instanceof TomlTable) {
          out.set(`${JSON.stringify(sub)}[${i}]`, el.line);
          headerLines(el, sub, out);
        }
      });
    }
  }
}

describe('TOML reader vs smol-toml: corpus lockfiles', () => {
  const root = corpusDir();
  const files: string[] = [];
  for (const [format, name] of [
    ['poetry', 'poetry.lock'],
    ['uv', 'uv.lock'],
    ['pylock', 'pylock.toml'],
  ] as const) {
    const dir = join(root, format);
    if (!existsSync(dir)) continue;
    for (const pair of readdirSync(dir).sort())
      for (const side of ['base', 'head']) if (existsSync(join(dir, pair, side, name))) files.push(join(format, pair, side, name));
  }

  it('finds the TOML files of the corpus', () => {
    expect(files.length).toBeGreaterThanOrEqual(16);
  });

  it.each(files)('%s reads to the same value', (f) => {
    const text = readFileSync(join(root, f), 'utf8');
    expect(ours(readToml(f, text, 0, { maxDepth: 128 }))).toEqual(theirs(smolParse(text, { integersAsBigInt: 'asNeeded' })));
  });
});

describe('TOML reader vs smol-toml: generated documents', () => {
  it.each(SEEDS)('seed %i', (seed) => {
    const doc = genDocument(seed);
    const want = expected(doc.value);
    const mine = readToml('gen.toml', doc.text, 0, { maxDepth: 128 });
    expect(ours(mine)).toEqual(want);
    expect(theirs(smolParse(doc.text, { integersAsBigInt: 'asNeeded' }))).toEqual(want);
    const lines = new Map<string, number>();
    headerLines(mine, [], lines);
    for (const [path, line] of doc.headers) expect([path, lines.get(path)]).toEqual([path, line]);
  });

  it('the generator covers the syntax (so the seeds above test something)', () => {
    const all = SEEDS.map((s) => genDocument(s).text).join('\n');
    for (const needle of ['[[', '"""', "'''", '0x', '0o', '0b', '_', 'inf', 'nan', '{ ', ' # ', '\\u', '.', 'T', 'Z', '\r\n']) expect(all).toContain(needle);
  });
});
