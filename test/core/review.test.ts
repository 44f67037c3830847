import { readFileSync } from 'node:fs';
import path from 'node:path';
import { review } from '../../src/core/review.js';
import { defaultConfig, parseConfig } from '../../src/policy/index.js';
import type { RegistryClient } from '../../src/registry/index.js';
import { LockfileError } from '../../src/errors.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const lock = (scenario: string, side: 'base' | 'head') => readFileSync(path.join(root, 'examples', scenario, side, 'package-lock.json'));
const now = new Date('2026-03-31T02:00:00.000Z');

describe('review (offline)', () => {
  it('treats a lockfile added by the PR as all-new packages', async () => {
    const r = await review([{ file: 'package-lock.json', base: null, head: lock('axios', 'head') }], { registry: null, now, config: defaultConfig() });
    expect(r.changes.length).toBeGreaterThan(0);
    expect(r.changes.every((c) => c.kind === 'added' && c.from === null)).toBe(true);
    expect(r.summary.offline).toBe(true);
    expect(r.incomplete).toEqual([]);
  });

  it('treats a lockfile deleted by the PR as all-removed packages, with no findings', async () => {
    const r = await review([{ file: 'package-lock.json', base: lock('axios', 'base'), head: null }], { registry: null, now, config: defaultConfig() });
    expect(r.changes.length).toBeGreaterThan(0);
    expect(r.changes.every((c) => c.kind === 'removed' && c.to === null && c.findings.length === 0)).toBe(true);
    expect(r.conclusion).toBe('success');
  });

  it('reviews several lockfiles in one call and keeps each change tied to its file', async () => {
    const r = await review(
      [
        { file: 'a/package-lock.json', base: lock('axios', 'base'), head: lock('axios', 'head') },
        { file: 'b/package-lock.json', base: lock('eslint-scope', 'base'), head: lock('eslint-scope', 'head') },
      ],
      { registry: null, now, config: defaultConfig() },
    );
    expect(new Set(r.changes.map((c) => c.lockfile))).toEqual(new Set(['a/package-lock.json', 'b/package-lock.json']));
    expect(r.summary.lockfiles).toEqual(['a/package-lock.json', 'b/package-lock.json']);
  });

  it('names the base file when the base side is invalid', async () => {
    await expect(
      review(
        [{ file: 'head/package-lock.json', baseFile: 'base/package-lock.json', base: '{"lockfileVersion": 3, "packages": {', head: lock('axios', 'head') }],
        {
          registry: null,
          now,
          config: defaultConfig(),
        },
      ),
    ).rejects.toThrow(LockfileError);
    await expect(
      review(
        [{ file: 'head/package-lock.json', baseFile: 'base/package-lock.json', base: '{"lockfileVersion": 3, "packages": {', head: lock('axios', 'head') }],
        {
          registry: null,
          now,
          config: defaultConfig(),
        },
      ),
    ).rejects.toThrow(/^base\/package-lock\.json:1/);
  });
});

describe('review with a failing registry client', () => {
  function client(behaviour: (name: string) => Promise<never> | Promise<{ ok: false; reason: string }>): RegistryClient & { calls: string[] } {
    const calls: string[] = [];
    const c = {
      calls,
      getPackument: (name: string) => {
        calls.push(name);
        return behaviour(name);
      },
      getProvenance: async () => null,
      stats: () => ({ requests: calls.length, packumentRequests: calls.length, cacheHits: 0, notModified: 0, retries: 0 }),
      review: () => c,
    };
    return c as unknown as RegistryClient & { calls: string[] };
  }

  it('lists every unreadable package as incomplete and never concludes success', async () => {
    const c = client(async () => ({ ok: false, reason: 'HTTP 503 Service Unavailable' }));
    const r = await review([{ file: 'package-lock.json', base: lock('benign', 'base'), head: lock('benign', 'head') }], {
      registry: c,
      now,
      config: defaultConfig(),
    });
    const needing = r.changes.filter((x) => x.kind !== 'removed');
    expect(r.incomplete.map((i) => i.name).sort()).toEqual(needing.map((x) => x.name).sort());
    expect(r.incomplete.every((i) => i.reason === 'HTTP 503 Service Unavailable')).toBe(true);
    expect(r.conclusion).toBe('neutral');
    expect(r.summary.analysed).toBe(0);
    // one request per name even though the engine sees each name once per change
    expect(new Set(c.calls).size).toBe(c.calls.length);
  });

  it('a client that throws is contained the same way, and strict orgs can fail on it', async () => {
    const c = client(async () => {
      throw new Error('socket hang up');
    });
    const r = await review([{ file: 'package-lock.json', base: lock('benign', 'base'), head: lock('benign', 'head') }], {
      registry: c,
      now,
      config: parseConfig('incomplete: failure'),
    });
    expect(r.incomplete.length).toBeGreaterThan(0);
    expect(r.incomplete[0]!.reason).toMatch(/socket hang up/);
    expect(r.conclusion).toBe('failure');
  });
});
