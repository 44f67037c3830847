/**
 * examples/registry/*.json: what scripts/author-registry.mjs writes, coherent as a registry (every
 * dependency range resolvable, times consistent), and free of public registry hosts.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { loadFixtures } from '../../test-support/fixture-registry.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = join(root, 'examples', 'registry');
const fixtures = loadFixtures(dir);
const docs = new Map([...fixtures].map(([name, f]) => [name, f.doc as any]));

it('matches what scripts/author-registry.mjs generates', () => {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'author-registry.mjs'), '--check'], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});

it('holds one packument per package, named like its file', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  expect(files.length).toBe(fixtures.size);
  for (const [name, f] of fixtures) expect(f.file.endsWith(`${name.replace('/', '__')}.json`)).toBe(true);
  expect(fixtures.size).toBeGreaterThanOrEqual(30);
});

// Hosts the fixtures may mention (homepages, repositories, funding, predicate types). Anything else,
// a registry host in particular, fails the test.
const ALLOWED_HOSTS = new Set([
  'github.com',
  'slsa.dev',
  'axios-http.com',
  'opencollective.com',
  'paypal.me',
  'bit.ly',
  'blog.izs.me',
  'debuggable.com',
  'dominictarr.com',
  'faisalman.com',
  'juliangruber.com',
  'robwu.nl',
  'ruben.verborgh.org',
]);

it('mentions only known non-registry hosts, and no tarball URLs or digests (the server fills them in)', () => {
  for (const f of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    const text = readFileSync(join(dir, f), 'utf8');
    const hosts = [...text.matchAll(/[a-z+]+:\/\/(?:[^@/"\s]+@)?([^/:"\s)]+)/gi)].map((m) => m[1]!.toLowerCase());
    expect({ f, unknown: hosts.filter((h) => !ALLOWED_HOSTS.has(h)) }).toEqual({ f, unknown: [] });
    expect({ f, dist: /"tarball"|"integrity"|"shasum"/.test(text) }).toEqual({ f, dist: false });
  }
});

describe.each([...docs.keys()])('%s', (name) => {
  const doc = docs.get(name);

  it('is shaped like a full packument with consistent times and publishers', () => {
    expect(doc._id).toBe(name);
    expect(doc.name).toBe(name);
    expect(doc.versions[doc['dist-tags'].latest]).toBeDefined();
    expect(doc.maintainers.length).toBeGreaterThan(0);
    expect(typeof doc.readme).toBe('string');
    const created = Date.parse(doc.time.created);
    const modified = Date.parse(doc.time.modified);
    for (const [version, v] of Object.entries<any>(doc.versions)) {
      expect(v.name).toBe(name);
      expect(v.version).toBe(version);
      expect(v._id).toBe(`${name}@${version}`);
      expect(semver.valid(version)).toBe(version);
      const t = Date.parse(doc.time[version]);
      expect(Number.isNaN(t)).toBe(false);
      expect(t).toBeGreaterThanOrEqual(created);
      expect(t).toBeLessThanOrEqual(modified);
      expect(typeof v._npmUser.name).toBe('string');
      expect(v.maintainers.length).toBeGreaterThan(0);
      if (v._npmUser.trustedPublisher) {
        expect(v._npmUser).toMatchObject({ name: 'GitHub Actions', email: 'npm-oidc-no-reply@github.com', trustedPublisher: { id: 'github' } });
        expect(v.dist.attestations).toBeDefined();
      }
    }
  });

  it('declares provenance facts for exactly the versions with dist.attestations', () => {
    const attested = Object.entries<any>(doc.versions)
      .filter(([, v]) => v.dist.attestations)
      .map(([k]) => k)
      .sort();
    const declared = [...fixtures.get(name)!.extras.provenance.keys()].sort();
    expect(declared).toEqual(attested);
  });

  it('depends only on ranges the registry can satisfy with versions published earlier', () => {
    for (const [version, v] of Object.entries<any>(doc.versions)) {
      const t = Date.parse(doc.time[version]);
      for (const field of ['dependencies', 'optionalDependencies']) {
        for (const [dep, range] of Object.entries<string>(v[field] ?? {})) {
          const target = docs.get(dep);
          expect({ from: `${name}@${version}`, dep, known: Boolean(target) }).toEqual({ from: `${name}@${version}`, dep, known: true });
          const candidates = Object.keys(target.versions).filter((cv) => Date.parse(target.time[cv]) <= t);
          // the malicious event-stream 3.3.6 range is satisfied by flatmap-stream 0.1.0, published before it
          expect({ from: `${name}@${version}`, dep, range, ok: semver.maxSatisfying(candidates, range) !== null }).toEqual({
            from: `${name}@${version}`,
            dep,
            range,
            ok: true,
          });
        }
      }
    }
  });
});
