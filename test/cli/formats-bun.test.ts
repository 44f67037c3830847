/**
 * Signals fire identically whichever package manager wrote the lockfile: the CLI reviews the
 * bun.lock files that real bun produced for a scenario (examples/<scenario>/formats/bun/,
 * scripts/make-fixtures-bun.mjs) and the npm package-lock.json of the same scenario, against the
 * fixture registry served by the test, and the (name, from, to, kind, signals, severity) sets match.
 */
import { readFile } from 'node:fs/promises';
import { lockPath, review, scenarioNow, summary } from './format-review.js';

describe.each(['axios', 'event-stream'])('bun.lock files of the %s scenario', (scenario) => {
  it('give the same changes, signals and severities as the npm lockfiles', async () => {
    const now = await scenarioNow(scenario);
    const side = (s: 'base' | 'head') => lockPath(scenario, 'bun', s, 'bun.lock');
    const bun = await review(side('base'), side('head'), now);
    const npm = await review(lockPath(scenario, 'npm', 'base', ''), lockPath(scenario, 'npm', 'head', ''), now);
    expect(npm.report.changes.length).toBeGreaterThan(0);
    expect(summary(bun.report)).toEqual(summary(npm.report));
    expect(bun.code).toBe(npm.code);
    expect(bun.code).toBe(1);
    expect(bun.report.conclusion).toBe(npm.report.conclusion);
    expect(bun.report.incomplete).toEqual([]);
    // the same paths from the direct dependency, and lines pointing at the bun.lock entries' keys
    const text = (await readFile(side('head'), 'utf8')).split('\n');
    for (const c of bun.report.changes) {
      const twin = npm.report.changes.find((n) => n.name === c.name && n.to === c.to)!;
      expect(c.via).toEqual(twin.via);
      expect(c.direct).toBe(twin.direct);
      if (c.kind !== 'removed') expect(text[c.line - 1]!.startsWith(`    ${JSON.stringify(c.name)}: [${JSON.stringify(`${c.name}@${c.to}`)}`)).toBe(true);
    }
  });
});
