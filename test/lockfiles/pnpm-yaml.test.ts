/**
 * The YAML-subset reader against the `yaml` package (failsafe schema: every scalar a string) on every
 * pnpm-lock.yaml of the corpus and the real-pnpm fixtures: the same tree, and key lines that point at the key.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { readPnpmYaml, readPnpmYamlDocuments, YMap, type YNode } from '../../src/lockfiles/formats/pnpm/yaml.js';
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

/** Checks that every block key's line starts with that key (quoted or not); returns the wrong ones and the count checked. */
function keyLines(text: string, root: YMap): { wrong: string[]; checked: number } {
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
  check(root, true);
  return { wrong, checked };
}

describe('readPnpmYaml agrees with the yaml package', () => {
  it.each(files)(
    '%s',
    (file) => {
      const text = readFileSync(file, 'utf8');
      const ours = readPnpmYaml(file, text, 0, 128);
      expect(plain(ours)).toEqual(normalise(parse(text, { schema: 'failsafe', uniqueKeys: true })));
      // every key's line starts with that key (quoted or not) at the right place
      const { wrong, checked } = keyLines(text, ours);
      expect(wrong).toEqual([]);
      expect(checked).toBeGreaterThan(10);
    },
    60_000,
  );
});

describe('readPnpmYamlDocuments agrees with the yaml package on lockfiles with an env document (pnpm 11)', () => {
  it.each(['config-base', 'config-head'])('%s', (name) => {
    const text = readFileSync(join(FIXTURES, 'pnpm-env', `${name}.pnpm-lock.yaml`), 'utf8');
    const ours = readPnpmYamlDocuments(name, text, 0, 128, 2);
    const theirs = parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: true });
    if (!Array.isArray(theirs)) throw new Error('expected documents');
    expect(theirs.every((d) => d.errors.length === 0)).toBe(true);
    expect(ours.map((d) => plain(d.map))).toEqual(theirs.map((d) => normalise(d.toJS())));
    expect(ours.map((d) => [d.markerLine, d.bareMarker])).toEqual([
      [1, true],
      [text.split('\n').indexOf('---', 1) + 1, true],
    ]);
    for (const d of ours) {
      const { wrong, checked } = keyLines(text, d.map);
      expect(wrong).toEqual([]);
      expect(checked).toBeGreaterThan(5);
    }
  });
});

describe('block mappings as sequence items (pnpm 11 runtime variants)', () => {
  // pnpm/pnpm pnpm-lock.yaml @ bb4eecf412c7088200db73d495229156501161f3, line 15438 (hosts neutralised)
  const text = [
    "lockfileVersion: '9.0'",
    'packages:',
    '  node@runtime:26.7.0:',
    '    resolution:',
    '      type: variations',
    '      variants:',
    '        - resolution:',
    '            archive: tarball',
    '            bin:',
    '              node: bin/node',
    '            integrity: sha256-aiblNEH7fhCX+gsZYWAAoDCpuWFW6xWg/iJoLP3xmtI=',
    '            type: binary',
    '            url: https://nodejs.example/download/release/v26.7.0/node-v26.7.0-aix-ppc64.tar.gz',
    '          targets:',
    '            - cpu: ppc64',
    '              os: aix',
    '        - resolution:',
    '            archive: tarball',
    '            url: https://unofficial-builds.nodejs.example/download/release/v26.7.0/node-v26.7.0-linux-arm64-musl.tar.gz',
    '          targets:',
    '            - cpu: arm64',
    '              os: linux',
    '              libc: musl',
    "        - 'quoted': {a: b}",
    '          next: x',
    '        - plain scalar',
    '    version: 26.7.0',
    '    hasBin: true',
    '',
  ].join('\n');

  it('reads them as the yaml package does, with the line of every key', () => {
    const ours = readPnpmYaml('pnpm-lock.yaml', text, 0, 128);
    expect(plain(ours)).toEqual(normalise(parse(text, { schema: 'failsafe', uniqueKeys: true })));
    expect(keyLines(text, ours).wrong).toEqual([]);
  });

  it('still refuses what the subset leaves out inside them', () => {
    const refused = (t: string, re: RegExp): void => expect(() => readPnpmYaml('pnpm-lock.yaml', t, 0, 128)).toThrow(re);
    refused('a:\n  - b: 1\n    b: 2\n', /duplicate key/);
    refused('a:\n  - b: &x 1\n', /anchors|aliases/);
    refused('a:\n  - b: |\n      text\n', /block scalars/);
    refused('a:\n  - b: 1\n   c: 2\n', /indentation/);
    // nesting through item mappings counts towards maxDepth
    expect(() => readPnpmYaml('pnpm-lock.yaml', 'a:\n  - b:\n      - c:\n          - d: 1\n', 0, 3)).toThrow(/nesting deeper/);
  });
});
