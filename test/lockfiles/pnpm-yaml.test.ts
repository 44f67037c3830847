/**
 * The YAML-subset reader against the `yaml` package (failsafe schema: every scalar a string) on every
 * pnpm-lock.yaml of the corpus and the real-pnpm fixtures: the same tree, and key lines that point at the key.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readPnpmYaml, YMap, type YNode } from '../../src/lockfiles/pnpm-yaml.js';
import { corpusDir, corpusPairs } from '../helpers/corpus.js';
import { FIXTURES } from './helpers.js';

type Plain = string | Plain[] | { [k: string]: Plain };

/** Our tree as plain data (null-prototype objects: keys such as __proto__ stay keys); null → '' like failsafe. */
function plain(n: YNode): Plain {
  if (n === null) return '';
  if (typeof n === 'string') return n;
  if (Array.isArray(n)) return n.map(plain);
  const o = Object.create(null) as { [k: string]: Plain };
  for (const [k, e] of n.entries) o[k] = plain(e.value);
  return o;
}

function normalise(v: unknown): Plain {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(normalise);
  const o = Object.create(null) as { [k: string]: Plain };
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) o[k] = normalise(x);
  return o;
}

const files = [
  // the head of every pair (base and head differ by a few lines; the yaml package takes its time)
  ...corpusPairs(['pnpm-v5', 'pnpm-v6', 'pnpm-v9']).map((p) => join(corpusDir(), p, 'head', 'pnpm-lock.yaml')),
  ...['5', '6', '9'].map((v) => join(FIXTURES, 'pnpm', `workspace-v${v}.pnpm-lock.yaml`)),
];

describe('readPnpmYaml agrees with the yaml package', () => {
  it.each(files)('%s', (file) => {
    const text = readFileSync(file, 'utf8');
    const ours = readPnpmYaml(file, text, 0, 128);
    expect(plain(ours)).toEqual(normalise(parse(text, { schema: 'failsafe', uniqueKeys: true })));
    // every key's line starts with that key (quoted or not) at the right place
    const lines = text.split('\n');
    const wrong: string[] = [];
    let checked = 0;
    const check = (m: YMap, block: boolean): void => {
      for (const [k, e] of m.entries) {
        const line = lines[e.line - 1]!.trimStart();
        if (block) {
          checked++;
          if (!(line.startsWith(`${k}:`) || line.startsWith(`'${k}':`) || line.startsWith(`"${k}":`))) wrong.push(`${e.line}: ${k}`);
        }
        // keys inside a flow mapping share its line
        if (e.value instanceof YMap) check(e.value, block && !line.endsWith('}'));
      }
    };
    check(ours, true);
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  }, 60_000);
});
