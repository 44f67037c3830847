/**
 * The review engine reads sdists only when a new version builds from source, and install-hook-changed
 * reaches the report: requirements files reviewed against the fixture package index (127.0.0.1) with
 * the real index client.
 */
import { review, type LockfileInput } from '../../src/core/review.js';
import { startFixtureIndex, type FixtureIndex } from '../../test-support/fixture-index.js';
import { defaultConfig } from '../../src/policy/config.js';
import { createPypiIndexConfig } from '../../src/registry/pip-config.js';
import { createPypiIndexClient, type PypiIndexClientOptions } from '../../src/registry/pypi.js';
import type { RegistryClient } from '../../src/model/index.js';

let idx: FixtureIndex;
beforeAll(async () => {
  idx = await startFixtureIndex();
});
afterAll(async () => {
  await idx.close();
});

const NOW = new Date('2026-04-01T12:00:00Z');

/** The npm side is never asked in a Python-only review; any use would fail the test. */
const noNpm: RegistryClient = {
  getPackument: () => Promise.reject(new Error('npm registry used in a Python review')),
  getProvenance: () => Promise.reject(new Error('npm registry used in a Python review')),
  stats: () => ({ requests: 0, packumentRequests: 0, cacheHits: 0, notModified: 0, retries: 0 }),
  review() {
    return this;
  },
};

/** `name==version --hash=…` for every file of the release, as pip-compile writes it. */
function pin(name: string, version: string): string {
  const release = idx.projects.get(name)!.releases.find((r) => r.version === version)!;
  return `${name}==${version} ${release.files.map((f) => `--hash=sha256:${f.sha256}`).join(' ')}`;
}

function input(pairs: Array<[string, string, string]>): LockfileInput {
  return {
    file: 'requirements.txt',
    base: `${pairs.map(([n, from]) => pin(n, from)).join('\n')}\n`,
    head: `${pairs.map(([n, , to]) => pin(n, to)).join('\n')}\n`,
  };
}

async function run(pairs: Array<[string, string, string]>, opts: Partial<PypiIndexClientOptions> = {}) {
  const pypi = createPypiIndexClient({ config: createPypiIndexConfig({ indexUrl: idx.simpleUrl }), backoffMs: 1, ...opts });
  const before = idx.requests.length;
  const result = await review([input(pairs)], { registry: noNpm, pypi, now: NOW, config: defaultConfig() });
  const sdistRequests = idx.requests.slice(before).filter((r) => r.path.startsWith('/packages/') && r.path.endsWith('.tar.gz'));
  return { result, sdistRequests: sdistRequests.map((r) => r.path.split('/').pop()!).sort() };
}

const hookFinding = (result: Awaited<ReturnType<typeof review>>, name: string) =>
  result.changes.find((c) => c.name === name)?.findings.find((f) => f.signal === 'install-hook-changed');

describe('review: sdists read only where installing builds from source', () => {
  it('flags the setup.py that arrives with a release without wheels, and the in-tree backend; quiet for the benign sdist-only project', async () => {
    const { result, sdistRequests } = await run([
      ['buildhook-setuppy', '1.4.1', '1.4.2'],
      ['buildhook-backend', '2.3.0', '2.3.1'],
      ['buildhook-benign', '0.9.0', '0.9.1'],
      ['urllib3', '2.2.2', '2.2.3'],
    ]);
    expect(result.incomplete).toEqual([]);
    // both sides of the three projects that build from source; none for urllib3 (its wheel fits everywhere)
    expect(sdistRequests).toEqual([
      'buildhook_backend-2.3.0.tar.gz',
      'buildhook_backend-2.3.1.tar.gz',
      'buildhook_benign-0.9.0.tar.gz',
      'buildhook_benign-0.9.1.tar.gz',
      'buildhook_setuppy-1.4.1.tar.gz',
      'buildhook_setuppy-1.4.2.tar.gz',
    ]);
    const setup = hookFinding(result, 'buildhook-setuppy')!;
    expect(setup.severity).toBe('high');
    expect(setup.message).toBe(
      'buildhook-setuppy@1.4.2 has no wheels, so installing it builds its source distribution, and its build runs a setup.py that buildhook-setuppy@1.4.1 did not have.',
    );
    expect((setup.evidence.setupPy as { text: string }).text).toContain('a payload would run here');
    const backend = hookFinding(result, 'buildhook-backend')!;
    expect(backend.severity).toBe('high');
    expect(backend.message).toContain(
      'its build backend is now the in-tree backend lw_backend (backend-path _build), where buildhook-backend@2.3.0 used setuptools.build_meta',
    );
    expect(backend.message).toContain('its build requirements gained build-helpers-ng');
    expect(hookFinding(result, 'buildhook-benign')).toBeUndefined();
    expect(result.changes.find((c) => c.name === 'buildhook-benign')!.severity).toBeNull();
    expect(hookFinding(result, 'urllib3')).toBeUndefined();
    // sdist-only says the build is new; install-hook-changed says what the build runs
    expect(result.changes.find((c) => c.name === 'buildhook-setuppy')!.findings.map((f) => f.signal)).toEqual(
      expect.arrayContaining(['sdist-only', 'install-hook-changed']),
    );
    expect(result.conclusion).toBe('failure');
  });

  it('an sdist that cannot be read makes the review incomplete, naming the version and the reason', async () => {
    const { result } = await run([['buildhook-setuppy', '1.4.1', '1.4.2']], { maxSdistBytes: 200 });
    expect(result.incomplete).toEqual([
      {
        name: 'buildhook-setuppy',
        version: '1.4.1',
        reason: expect.stringMatching(/^sdist contents unavailable: buildhook_setuppy-1\.4\.1\.tar\.gz: \d+ bytes, over the sdist download cap \(200 bytes\)$/),
        lockfile: 'requirements.txt',
      },
      {
        name: 'buildhook-setuppy',
        version: '1.4.2',
        reason: expect.stringMatching(/^sdist contents unavailable: buildhook_setuppy-1\.4\.2\.tar\.gz: /),
        lockfile: 'requirements.txt',
      },
    ]);
    expect(hookFinding(result, 'buildhook-setuppy')).toBeUndefined();
  });

  it('offline reviews read nothing', async () => {
    const before = idx.requests.length;
    const result = await review([input([['buildhook-setuppy', '1.4.1', '1.4.2']])], { registry: null, now: NOW, config: defaultConfig() });
    expect(idx.requests.length).toBe(before);
    expect(hookFinding(result, 'buildhook-setuppy')).toBeUndefined();
  });
});
