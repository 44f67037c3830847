/**
 * The committed fixture lockfiles (examples/<scenario>/{base,head}/package-lock.json) were produced by
 * npm against the fixture registry: their integrity values must equal what the registry serves today
 * (tarballs are deterministic), and they must only point at the loopback registry.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFixtureRegistry, packumentPath, type FixtureRegistry } from '../../test-support/fixture-registry.js';
import { getJson } from './helpers.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const scenarios = readdirSync(examples, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(examples, d.name, 'scenario.json')))
  .map((d) => d.name)
  .sort();

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  hasInstallScript?: boolean;
  link?: boolean;
}
interface Lock {
  name: string;
  lockfileVersion: number;
  packages: Record<string, LockEntry & { dependencies?: Record<string, string> }>;
}

function readJson<T>(...parts: string[]): T {
  return JSON.parse(readFileSync(join(examples, ...parts), 'utf8')) as T;
}

/** `node_modules/a/node_modules/@s/b` → `@s/b` */
function nameOf(key: string): string {
  const i = key.lastIndexOf('node_modules/');
  return key.slice(i + 'node_modules/'.length);
}

let reg: FixtureRegistry;
const packuments = new Map<string, any>();
async function packument(name: string): Promise<any> {
  let doc = packuments.get(name);
  if (!doc) {
    const res = await getJson(`${reg.url}${packumentPath(name).slice(1)}`);
    expect(res.status).toBe(200);
    doc = res.json;
    packuments.set(name, doc);
  }
  return doc;
}

beforeAll(async () => {
  reg = await startFixtureRegistry();
});
afterAll(async () => {
  await reg.close();
});

it('finds the six scenarios', () => {
  expect(scenarios).toEqual(['axios', 'benign', 'demo', 'eslint-scope', 'event-stream', 'ua-parser-js']);
});

describe.each(scenarios)('%s', (scenario) => {
  const sides = ['base', 'head'] as const;

  it.each(sides)('%s lockfile: npm v3 lockfile of its package.json, resolved only from 127.0.0.1', (side) => {
    const pkg = readJson<{ name: string; dependencies: Record<string, string> }>(scenario, side, 'package.json');
    const lock = readJson<Lock>(scenario, side, 'package-lock.json');
    expect(lock.lockfileVersion).toBe(3);
    expect(lock.name).toBe(pkg.name);
    expect(lock.packages['']!.dependencies).toEqual(pkg.dependencies);
    const entries = Object.entries(lock.packages).filter(([k]) => k !== '');
    expect(entries.length).toBeGreaterThan(0);
    for (const [key, entry] of entries) {
      expect(entry.resolved).toBeDefined();
      const url = new URL(entry.resolved!);
      expect({ key, host: url.hostname }).toEqual({ key, host: '127.0.0.1' });
      expect(url.protocol).toBe('http:');
      expect(url.pathname).toMatch(new RegExp(`^/${nameOf(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/-/`));
    }
  });

  it.each(sides)('%s lockfile: integrity and hasInstallScript equal what the registry serves', async (side) => {
    const lock = readJson<Lock>(scenario, side, 'package-lock.json');
    for (const [key, entry] of Object.entries(lock.packages)) {
      if (key === '') continue;
      const doc = await packument(nameOf(key));
      const served = doc.versions[entry.version!];
      expect({ key, version: entry.version, known: served !== undefined }).toEqual({ key, version: entry.version, known: true });
      expect({ key, integrity: entry.integrity }).toEqual({ key, integrity: served.dist.integrity });
      const scripts = served.scripts ?? {};
      const installs = Boolean(scripts.preinstall || scripts.install || scripts.postinstall || served.gypfile);
      expect({ key, hasInstallScript: entry.hasInstallScript === true }).toEqual({ key, hasInstallScript: installs });
    }
  });

  it('scenario.json: fixes the clock after every locked release and names head packages in expect', async () => {
    const s = readJson<{ title: string; description: string; now: string; expect: Record<string, string> }>(scenario, 'scenario.json');
    expect(typeof s.title).toBe('string');
    expect(s.description.length).toBeGreaterThan(50);
    const now = Date.parse(s.now);
    expect(new Date(now).toISOString()).toBe(s.now);
    const head = readJson<Lock>(scenario, 'head', 'package-lock.json');
    const headVersions = new Set(
      Object.entries(head.packages)
        .filter(([k]) => k !== '')
        .map(([k, e]) => `${nameOf(k)}@${e.version}`),
    );
    let newest = 0;
    for (const side of sides) {
      const lock = readJson<Lock>(scenario, side, 'package-lock.json');
      for (const [key, entry] of Object.entries(lock.packages)) {
        if (key === '') continue;
        const published = Date.parse((await packument(nameOf(key))).time[entry.version!]);
        expect({ key, side, publishedBeforeNow: published < now }).toEqual({ key, side, publishedBeforeNow: true });
        newest = Math.max(newest, published);
      }
    }
    // "a few hours after the head release" for incidents; weeks for the benign controls
    const hours = (now - newest) / 3600_000;
    expect(hours).toBeGreaterThan(0);
    expect(hours).toBeLessThan(scenario === 'benign' ? 24 * 60 : 12);
    expect(Object.keys(s.expect).length).toBeGreaterThan(0);
    for (const [spec, level] of Object.entries(s.expect)) {
      expect({ spec, inHead: headVersions.has(spec) }).toEqual({ spec, inHead: true });
      expect(['high', 'critical', '<=medium']).toContain(level);
    }
  });
});

it('the demo is the axios incident plus the benign updates', () => {
  const demo = readJson<Lock>('demo', 'head', 'package-lock.json');
  const parts = [readJson<Lock>('axios', 'head', 'package-lock.json'), readJson<Lock>('benign', 'head', 'package-lock.json')];
  const merged = Object.assign({}, ...parts.map((l) => Object.fromEntries(Object.entries(l.packages).filter(([k]) => k !== ''))));
  const demoPackages = Object.fromEntries(Object.entries(demo.packages).filter(([k]) => k !== ''));
  expect(demoPackages).toEqual(merged);
});
