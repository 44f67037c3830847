/**
 * The committed Python example lockfiles (examples/pypi/<scenario>/{base,head}/) were produced by
 * poetry and pipenv against the fixture index (scripts/make-fixtures-python.mjs); uv.lock and
 * pylock.toml were written by that script. Every locked version and every sha256 must be what the
 * index serves today (its files are deterministic), every URL must be the fixture index, and
 * scenario.json must fit the lockfiles.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseToml } from 'smol-toml';
import { buildProject, loadProjectDocs, type BuiltProject } from '../../test-support/fixture-index.js';
import { normalizePythonName } from '../../src/versions/index.js';

const examples = fileURLToPath(new URL('../../examples/pypi/', import.meta.url));
const scenarios = readdirSync(examples, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(examples, d.name, 'scenario.json')))
  .map((d) => d.name)
  .sort();
const FIXTURE_ORIGIN = 'http://127.0.0.1:48731';

const projects = new Map<string, BuiltProject>();
beforeAll(() => {
  for (const [name, p] of loadProjectDocs(join(examples, 'index'))) projects.set(name, buildProject(p));
});

/** name → version → sha256 set of the release's files */
function served(name: string, version: string): { hashes: Set<string>; uploadTimes: number[]; filenames: Set<string> } | undefined {
  const r = projects.get(normalizePythonName(name))?.releases.find((x) => x.version === version);
  if (!r) return undefined;
  return {
    hashes: new Set(r.files.map((f) => f.sha256)),
    uploadTimes: r.files.map((f) => Date.parse(f.uploadTime)),
    filenames: new Set(r.files.map((f) => f.filename)),
  };
}

interface Locked {
  name: string;
  version: string;
  hashes: string[];
}

const read = (...p: string[]): string => readFileSync(join(examples, ...p), 'utf8');

function fromPoetry(text: string): Locked[] {
  const doc = parseToml(text) as { package: Array<{ name: string; version: string; files: Array<{ file: string; hash: string }>; source: { url: string } }> };
  return doc.package.map((p) => {
    expect(p.source.url).toBe(`${FIXTURE_ORIGIN}/simple`);
    return { name: p.name, version: p.version, hashes: p.files.map((f) => f.hash.replace(/^sha256:/, '')) };
  });
}

function fromPipfileLock(text: string): Locked[] {
  const doc = JSON.parse(text) as {
    _meta: { sources: Array<{ url: string }> };
    default: Record<string, { version: string; hashes: string[] }>;
    develop: object;
  };
  expect(doc._meta.sources).toEqual([{ name: 'fixture', url: `${FIXTURE_ORIGIN}/simple`, verify_ssl: false }]);
  expect(doc.develop).toEqual({});
  return Object.entries(doc.default).map(([name, e]) => ({
    name,
    version: e.version.replace(/^==/, ''),
    hashes: e.hashes.map((h) => h.replace(/^sha256:/, '')),
  }));
}

function fromRequirements(text: string): Locked[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  expect(lines[0]).toBe(`-i ${FIXTURE_ORIGIN}/simple`);
  return lines.slice(1).map((line) => {
    const m = /^([A-Za-z0-9._-]+)==([^\s;]+)(?: ;[^-]*)?((?:\s+--hash=sha256:[0-9a-f]{64})+)\s*$/.exec(line);
    expect({ line, ok: m !== null }).toEqual({ line, ok: true });
    return { name: m![1]!, version: m![2]!, hashes: [...m![3]!.matchAll(/sha256:([0-9a-f]{64})/g)].map((h) => h[1]!) };
  });
}

function fromUvLock(text: string): Locked[] {
  const doc = parseToml(text) as {
    version: number;
    package: Array<{
      name: string;
      version: string;
      source: Record<string, string>;
      sdist?: { url: string; hash: string };
      wheels?: Array<{ url: string; hash: string }>;
    }>;
  };
  expect(doc.version).toBe(1);
  return doc.package
    .filter((p) => !('virtual' in p.source))
    .map((p) => {
      expect(p.source).toEqual({ registry: `${FIXTURE_ORIGIN}/simple` });
      const files = [...(p.sdist ? [p.sdist] : []), ...(p.wheels ?? [])];
      for (const f of files) expect(f.url.startsWith(`${FIXTURE_ORIGIN}/packages/`)).toBe(true);
      return { name: p.name, version: p.version, hashes: files.map((f) => f.hash.replace(/^sha256:/, '')) };
    });
}

function fromPylock(text: string): Locked[] {
  const doc = parseToml(text) as {
    'lock-version': string;
    packages: Array<{
      name: string;
      version: string;
      index: string;
      sdist?: { url: string; hashes: { sha256: string } };
      wheels?: Array<{ url: string; hashes: { sha256: string } }>;
    }>;
  };
  expect(doc['lock-version']).toBe('1.0');
  return doc.packages.map((p) => {
    expect(p.index).toBe(`${FIXTURE_ORIGIN}/simple/`);
    const files = [...(p.sdist ? [p.sdist] : []), ...(p.wheels ?? [])];
    return { name: p.name, version: p.version, hashes: files.map((f) => f.hashes.sha256) };
  });
}

const FORMATS: Array<[string, (t: string) => Locked[]]> = [
  ['poetry.lock', fromPoetry],
  ['Pipfile.lock', fromPipfileLock],
  ['requirements.txt', fromRequirements],
  ['uv.lock', fromUvLock],
  ['pylock.toml', fromPylock],
];

it('finds the three Python scenarios', () => {
  expect(scenarios).toEqual(['litellm', 'python-benign', 'ultralytics']);
});

describe.each(scenarios)('%s', (scenario) => {
  const sides = ['base', 'head'] as const;
  const formats = FORMATS.filter(([file]) => existsSync(join(examples, scenario, 'base', file)));

  it('has poetry.lock, Pipfile.lock and requirements.txt on both sides (uv.lock and pylock.toml for litellm)', () => {
    const names = formats.map(([f]) => f);
    expect(names).toEqual(scenario === 'litellm' ? FORMATS.map(([f]) => f) : ['poetry.lock', 'Pipfile.lock', 'requirements.txt']);
    for (const [file] of formats) expect(existsSync(join(examples, scenario, 'head', file))).toBe(true);
  });

  it.each(sides)('%s: every URL in every file points at the fixture index', (side) => {
    for (const file of [...formats.map(([f]) => f), 'pyproject.toml', 'Pipfile']) {
      const text = read(scenario, side, file);
      const urls = [...text.matchAll(/https?:\/\/[^\s"'<>)\]]+/g)].map((m) => m[0]);
      expect(urls.length).toBeGreaterThan(0);
      for (const u of urls) expect({ file, origin: new URL(u).origin }).toEqual({ file, origin: FIXTURE_ORIGIN });
    }
  });

  it.each(sides)('%s: every locked version and sha256 is served by the index, and the formats agree', (side) => {
    const sets = new Map<string, string[]>();
    for (const [file, parse] of formats) {
      const locked = parse(read(scenario, side, file));
      expect(locked.length).toBeGreaterThan(2);
      for (const p of locked) {
        const s = served(p.name, p.version);
        expect({ file, pkg: `${p.name}@${p.version}`, served: s !== undefined }).toEqual({ file, pkg: `${p.name}@${p.version}`, served: true });
        expect(p.hashes.length).toBeGreaterThan(0);
        for (const h of p.hashes) expect({ file, pkg: p.name, hash: h, known: s!.hashes.has(h) }).toEqual({ file, pkg: p.name, hash: h, known: true });
      }
      // poetry and pipenv lock every file of a release; the written formats too
      for (const p of locked)
        expect({ file, pkg: p.name, count: p.hashes.length }).toEqual({ file, pkg: p.name, count: served(p.name, p.version)!.hashes.size });
      sets.set(file, locked.map((p) => `${normalizePythonName(p.name)}@${p.version}`).sort());
    }
    const [first, ...rest] = [...sets.values()];
    for (const other of rest) expect(other).toEqual(first);
  });

  it('scenario.json: the clock is after every locked upload, and expect names head packages', () => {
    const s = JSON.parse(read(scenario, 'scenario.json')) as { title: string; description: string; now: string; expect: Record<string, string> };
    expect(s.title.length).toBeGreaterThan(10);
    expect(s.description.length).toBeGreaterThan(50);
    const now = Date.parse(s.now);
    expect(new Date(now).toISOString()).toBe(s.now);
    let newest = 0;
    const headSet = new Set<string>();
    for (const side of sides) {
      for (const p of fromPoetry(read(scenario, side, 'poetry.lock'))) {
        const times = served(p.name, p.version)!.uploadTimes;
        for (const t of times)
          expect({ pkg: `${p.name}@${p.version}`, side, beforeNow: t < now }).toEqual({ pkg: `${p.name}@${p.version}`, side, beforeNow: true });
        newest = Math.max(newest, ...times);
        if (side === 'head') headSet.add(`${normalizePythonName(p.name)}@${p.version}`);
      }
    }
    const hours = (now - newest) / 3_600_000;
    expect(hours).toBeGreaterThan(0);
    if (scenario === 'python-benign') expect(hours).toBeGreaterThan(24 * 14);
    else expect(hours).toBeLessThan(12);
    expect(Object.keys(s.expect).length).toBeGreaterThan(0);
    for (const [spec, level] of Object.entries(s.expect)) {
      expect({ spec, inHead: headSet.has(spec) }).toEqual({ spec, inHead: true });
      expect(['critical', 'high', '<=medium', '<=low']).toContain(level);
    }
  });
});

describe('the incidents are in the index as described', () => {
  it('litellm: releases since 2024 before 1.82.7 attested by one workflow (the 2023 ones predate attestations); 1.82.7 and 1.82.8 token uploads hours apart; only the 1.82.8 wheel has a top-level .pth', () => {
    const l = projects.get('litellm')!;
    for (const r of l.releases) {
      const token = r.version === '1.82.7' || r.version === '1.82.8' || r.version === '0.1.1' || r.version === '1.0.0';
      for (const f of r.files) {
        expect({ file: f.filename, publisher: f.publisher?.repository ?? null }).toEqual({ file: f.filename, publisher: token ? null : 'BerriAI/litellm' });
        const pth = f.members.filter((m) => m.endsWith('.pth') && !m.includes('/'));
        expect({ file: f.filename, pth }).toEqual({ file: f.filename, pth: f.filename === 'litellm-1.82.8-py3-none-any.whl' ? ['litellm_init.pth'] : [] });
      }
    }
    const t7 = Date.parse(l.releases.find((r) => r.version === '1.82.7')!.files[0]!.uploadTime);
    const t8 = Date.parse(l.releases.find((r) => r.version === '1.82.8')!.files[0]!.uploadTime);
    expect((t8 - t7) / 3_600_000).toBeLessThan(6);
    const pth = l.releases.at(-1)!.files.find((f) => f.packagetype === 'bdist_wheel')!;
    expect(pth.uploadedVia).toMatch(/^twine\//);
  });

  it('ultralytics: 8.3.40 attested, 8.3.41 not, same dependencies', () => {
    const u = projects.get('ultralytics')!;
    const r40 = u.releases.find((r) => r.version === '8.3.40')!;
    const r41 = u.releases.find((r) => r.version === '8.3.41')!;
    expect(r40.files.every((f) => f.publisher?.repository === 'ultralytics/ultralytics')).toBe(true);
    expect(r41.files.every((f) => f.publisher === null)).toBe(true);
    expect(r41.requiresDist).toEqual(r40.requiresDist);
  });

  it('python-benign: PyYAML 6.0.2 keeps every 6.0.1 wheel platform and adds musllinux and aarch64, same publisher', () => {
    const y = projects.get('pyyaml')!;
    const plat = (v: string) =>
      new Set(
        y.releases
          .find((r) => r.version === v)!
          .files.filter((f) => f.packagetype === 'bdist_wheel')
          .map((f) => f.filename.split('-').slice(2).join('-')),
      );
    const before = plat('6.0.1');
    const after = plat('6.0.2');
    for (const p of before) expect(after.has(p)).toBe(true);
    expect([...after].filter((p) => !before.has(p)).sort()).toEqual([
      'cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl',
      'cp311-cp311-musllinux_1_1_x86_64.whl',
      'cp312-cp312-manylinux_2_17_aarch64.manylinux2014_aarch64.whl',
      'cp312-cp312-musllinux_1_1_x86_64.whl',
    ]);
    const pubs = new Set(y.releases.flatMap((r) => r.files.map((f) => JSON.stringify(f.publisher))));
    expect(pubs.size).toBe(1);
  });
});
