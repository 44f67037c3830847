/**
 * Issue 13: a release already known to be malicious (chalk 5.6.1, September 2025) with a clean publish
 * history — same publisher, same maintainers, no install script, twelve days old — must fail the check.
 * Without advisories the review passes it; with an OSV service or a local advisory directory it fails
 * with known-malicious evidence. Removing the package gives no finding; downgrading TO it does.
 */
import { review } from '../../src/core/review.js';
import { defaultConfig } from '../../src/policy/index.js';
import { Advisories } from '../../src/registry/advisories/index.js';
import { createNpmRegistryClient } from '../../src/registry/npm.js';
import { createNpmRegistryConfig } from '../../src/registry/npmrc.js';
import { startFixtureOsv, type FixtureOsv } from '../../test-support/fixture-osv.js';
import type { FixtureRegistry } from '../../test-support/fixture-registry.js';
import { ADVISORY_DIR, NOW, packageLock, startAdvisoryRegistry } from '../helpers/advisories.js';

let registry: FixtureRegistry;
let osv: FixtureOsv;
beforeAll(async () => {
  [registry, osv] = await Promise.all([startAdvisoryRegistry(), startFixtureOsv()]);
});
afterAll(async () => {
  await Promise.all([registry.close(), osv.close()]);
});

function npm() {
  return createNpmRegistryClient({ config: createNpmRegistryConfig({ registry: registry.url }) });
}

async function bump(from: Record<string, string>, to: Record<string, string>) {
  return [{ file: 'package-lock.json', base: await packageLock(registry, from), head: await packageLock(registry, to) }];
}

describe('a known-malicious release with a clean publish history', () => {
  it('passes without an advisory source: the metadata alone shows nothing (the gap this closes)', async () => {
    const r = await review(await bump({ chalk: '5.6.0' }, { chalk: '5.6.1' }), { registry: npm(), now: NOW, config: defaultConfig() });
    expect(r.changes[0]!.findings.filter((f) => f.severity === 'high' || f.severity === 'critical')).toEqual([]);
    expect(r.conclusion).not.toBe('failure');
  });

  it('fails with known-malicious evidence when the OSV service knows it', async () => {
    const r = await review(await bump({ chalk: '5.6.0' }, { chalk: '5.6.1' }), {
      registry: npm(),
      now: NOW,
      config: defaultConfig(),
      advisories: new Advisories({ osvUrl: osv.url }),
    });
    expect(r.conclusion).toBe('failure');
    const f = r.changes[0]!.findings.find((x) => x.signal === 'known-malicious');
    expect(f?.severity).toBe('critical');
    const [group] = f!.evidence['advisories'] as {
      ids: string[];
      aliases: string[];
      sources: string[];
      affected: string[];
      published: string;
      url?: string;
      urls: string[];
    }[];
    expect(group!.ids).toEqual(['MAL-2025-46969']);
    expect(group!.aliases).toEqual(['GHSA-2v46-p5h4-248w']);
    expect(group!.sources).toEqual(['osv']);
    expect(group!.affected).toEqual(['= 5.6.1']);
    expect(group!.published).toBe('2025-09-08T17:11:19Z');
    expect(group!.urls).toEqual(['https://github.com/advisories/GHSA-2v46-p5h4-248w']);
  });

  it('fails offline with a local advisory directory, and no network source is asked', async () => {
    const before = osv.requests.length;
    const r = await review(await bump({ debug: '4.4.1' }, { debug: '4.4.2' }), {
      registry: null,
      now: NOW,
      config: defaultConfig(),
      advisories: new Advisories({ osvUrl: osv.url, directory: ADVISORY_DIR }),
    });
    expect(r.conclusion).toBe('failure');
    expect(r.changes[0]!.findings.map((f) => f.signal)).toContain('known-malicious');
    expect(osv.requests.length).toBe(before);
  });

  it('gives no finding for removing the package, and one for downgrading to a malicious version', async () => {
    const advisories = new Advisories({ directory: ADVISORY_DIR });
    const removed = await review(await bump({ chalk: '5.6.1', debug: '4.4.1' }, { debug: '4.4.1' }), {
      registry: null,
      now: NOW,
      config: defaultConfig(),
      advisories,
    });
    expect(removed.changes.flatMap((c) => c.findings).filter((f) => f.signal === 'known-malicious')).toEqual([]);
    // a base lockfile at a later version (its text only: offline, nothing is fetched for it)
    const down = await review(
      [
        {
          file: 'package-lock.json',
          base: (await packageLock(registry, { chalk: '5.6.1' })).replace(/5\.6\.1/g, '5.7.0'),
          head: await packageLock(registry, { chalk: '5.6.1' }),
        },
      ],
      { registry: null, now: NOW, config: defaultConfig(), advisories },
    );
    expect(down.changes[0]!.kind).toBe('downgraded');
    expect(down.changes[0]!.findings.map((f) => f.signal)).toContain('known-malicious');
  });
});
