/**
 * Issue 12 item 2: a signal's `needs` is what it reads. Every signal's `run` is watched while the
 * engine reviews every fixture scenario (npm against the fixture registry, Python against the fixture
 * index, sdist builds included), all on 127.0.0.1: a read of data the signal did not declare would be
 * data the engine no longer gathers when only that signal is on. The combiners' own reads are the
 * packument (their inputs are watched as signals of their own).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { review, type LockfileInput } from '../../src/core/review.js';
import { startFixtureIndex, type FixtureIndex } from '../../test-support/fixture-index.js';
import { startFixtureRegistry, type FixtureRegistry } from '../../test-support/fixture-registry.js';
import type { DataNeed, SignalDefinition, SignalId, SignalInput } from '../../src/model/index.js';
import { defaultConfig } from '../../src/policy/config.js';
import { createNpmRegistryClient } from '../../src/registry/npm.js';
import { createNpmRegistryConfig } from '../../src/registry/npmrc.js';
import { createPypiIndexConfig } from '../../src/registry/pip-config.js';
import { createPypiIndexClient } from '../../src/registry/pypi.js';
import { ALL_SIGNALS } from '../../src/signals/index.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const NPM_SCENARIOS = ['axios', 'benign', 'demo', 'eslint-scope', 'event-stream', 'ua-parser-js'];
const PY_SCENARIOS = ['litellm', 'ultralytics', 'python-benign'];

/** The input fields the gatherers fill, by the kind of data they hold. */
const FIELD_NEED: Readonly<Record<string, DataNeed>> = {
  packument: 'packument',
  provenance: 'attestations',
  wheels: 'wheel-listings',
  sdists: 'sdist-contents',
  registryOrigins: 'registry-origins',
};

const read = new Map<SignalId, Set<DataNeed>>();
const originals = new Map<SignalDefinition, SignalDefinition['run']>();

/** The input as `id` sees it: each gathered field it reads is recorded. */
function watched(id: SignalId, input: SignalInput): SignalInput {
  return new Proxy(input, {
    get(target, key, receiver) {
      const need = typeof key === 'string' ? FIELD_NEED[key] : undefined;
      if (need !== undefined) read.get(id)!.add(need);
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

let registry: FixtureRegistry;
let index: FixtureIndex;
beforeAll(async () => {
  registry = await startFixtureRegistry();
  index = await startFixtureIndex();
  for (const s of ALL_SIGNALS) {
    read.set(s.id, new Set());
    const run = s.run;
    originals.set(s, run);
    s.run = (input) => run.call(s, watched(s.id, input));
  }
});
afterAll(async () => {
  for (const [s, run] of originals) s.run = run;
  await registry.close();
  await index.close();
});

const text = (...p: string[]) => readFileSync(path.join(root, 'examples', ...p), 'utf8');
const nowOf = (...p: string[]) => new Date((JSON.parse(text(...p, 'scenario.json')) as { now: string }).now);
const npm = () => createNpmRegistryClient({ config: createNpmRegistryConfig({ registry: registry.url }) });
const pypi = () => createPypiIndexClient({ config: createPypiIndexConfig({ indexUrl: index.simpleUrl }), backoffMs: 1 });

/** `name==version --hash=…` for every file of the release, as pip-compile writes it. */
function pin(name: string, version: string): string {
  const release = index.projects.get(name)!.releases.find((r) => r.version === version)!;
  return `${name}==${version} ${release.files.map((f) => `--hash=sha256:${f.sha256}`).join(' ')}`;
}

async function reviewAll(): Promise<void> {
  const config = defaultConfig();
  for (const s of NPM_SCENARIOS) {
    const input: LockfileInput = { file: 'package-lock.json', base: text(s, 'base', 'package-lock.json'), head: text(s, 'head', 'package-lock.json') };
    const r = await review([input], { registry: npm(), pypi: pypi(), now: nowOf(s), config });
    expect(r.incomplete).toEqual([]);
  }
  for (const s of PY_SCENARIOS) {
    const input: LockfileInput = { file: 'poetry.lock', base: text('pypi', s, 'base', 'poetry.lock'), head: text('pypi', s, 'head', 'poetry.lock') };
    const r = await review([input], { registry: npm(), pypi: pypi(), now: nowOf('pypi', s), config });
    expect(r.incomplete).toEqual([]);
  }
  // projects whose new versions build from source: their sdists are read
  const pairs: Array<[string, string, string]> = [
    ['buildhook-setuppy', '1.4.1', '1.4.2'],
    ['buildhook-backend', '2.3.0', '2.3.1'],
  ];
  const sdist: LockfileInput = {
    file: 'requirements.txt',
    base: pairs.map(([n, a]) => pin(n, a)).join('\n'),
    head: pairs.map(([n, , b]) => pin(n, b)).join('\n'),
  };
  const r = await review([sdist], { registry: npm(), pypi: pypi(), now: new Date('2026-04-01T12:00:00Z'), config });
  expect(r.incomplete).toEqual([]);
}

it('every signal reads only the data it declares, and each kind of data is read by a signal that declares it', async () => {
  await reviewAll();
  const undeclared: string[] = [];
  for (const s of ALL_SIGNALS) for (const n of read.get(s.id)!) if (!s.needs.includes(n)) undeclared.push(`${s.id} reads ${n}`);
  expect(undeclared).toEqual([]);
  // the scenarios exercise every kind (a watch that saw nothing would prove nothing)
  const seen = new Set([...read.values()].flatMap((x) => [...x]));
  expect([...seen].sort()).toEqual(['attestations', 'packument', 'registry-origins', 'sdist-contents', 'wheel-listings']);
}, 60_000);
