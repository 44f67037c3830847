/**
 * Signals fire identically whichever package manager wrote the lockfile: the CLI reviews the yarn
 * classic lockfiles that real yarn 1 produced for a scenario (examples/<scenario>/formats/yarn-v1/,
 * scripts/make-fixtures-yarn-v1.mjs) and the npm package-lock.json of the same scenario, against the
 * fixture registry served by the test, and the (name, from, to, kind, signals, severity) sets match.
 */
import { readFile } from 'node:fs/promises';
import { lockPath, review, scenarioNow, summary } from './format-review.js';

describe.each(['axios', 'event-stream'])('yarn v1 lockfiles of the %s scenario', (scenario) => {
  it('give the same changes, signals and severities as the npm lockfiles', async () => {
    const now = await scenarioNow(scenario);
    const side = (s: 'base' | 'head') => lockPath(scenario, 'yarn-v1', s, 'yarn.lock');
    const yarn = await review(side('base'), side('head'), now);
    const npm = await review(lockPath(scenario, 'npm', 'base', ''), lockPath(scenario, 'npm', 'head', ''), now);
    expect(npm.report.changes.length).toBeGreaterThan(0);
    expect(summary(yarn.report)).toEqual(summary(npm.report));
    expect(yarn.code).toBe(npm.code);
    expect(yarn.code).toBe(1);
    expect(yarn.report.conclusion).toBe(npm.report.conclusion);
    expect(yarn.report.incomplete).toEqual([]);
    // the same paths from the direct dependency, and lines pointing at the yarn.lock entries
    const text = (await readFile(side('head'), 'utf8')).split('\n');
    for (const c of yarn.report.changes) {
      const twin = npm.report.changes.find((n) => n.name === c.name && n.to === c.to)!;
      expect(c.via).toEqual(twin.via);
      expect(c.direct).toBe(twin.direct);
      if (c.kind !== 'removed') expect(text[c.line - 1]).toMatch(new RegExp(`^"?${c.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}@`));
    }
  });
});
