/**
 * Signals fire the same whichever package manager wrote the lockfile: the CLI reviews the pnpm
 * lockfiles written by real pnpm 10 (scripts/make-fixtures-pnpm.mjs) for the axios and event-stream
 * scenarios against the fixture registry, and gives the same (name, from, to, kind, signals,
 * severity) set as for the npm package-lock.json of the same scenario.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { lockPath, review, root, summary } from './format-review.js';

const RANK = ['info', 'low', 'medium', 'high', 'critical'];
const rank = (s: string | null): number => (s === null ? -1 : RANK.indexOf(s));

describe.each(['axios', 'event-stream'])('pnpm-lock.yaml of the %s scenario', (scenario) => {
  it('gives the same changes, signals and severities as the npm lockfile', async () => {
    const meta = JSON.parse(await readFile(path.join(root, 'examples', scenario, 'scenario.json'), 'utf8')) as { now: string; expect: Record<string, string> };
    const npm = await review(lockPath(scenario, 'npm', 'base', ''), lockPath(scenario, 'npm', 'head', ''), meta.now);
    const pnpm = await review(lockPath(scenario, 'pnpm', 'base', 'pnpm-lock.yaml'), lockPath(scenario, 'pnpm', 'head', 'pnpm-lock.yaml'), meta.now);
    expect(pnpm.report.changes.length).toBeGreaterThan(0);
    expect(summary(pnpm.report)).toEqual(summary(npm.report));
    expect(pnpm.code).toBe(npm.code);
    // the scenario's expected verdicts (at least / `<=` at most) hold for the pnpm lockfile too
    for (const [id, want] of Object.entries(meta.expect)) {
      const at = id.lastIndexOf('@');
      const c = pnpm.report.changes.find((x) => x.name === id.slice(0, at) && x.to === id.slice(at + 1));
      if (!c) throw new Error(`no change for ${id}`);
      if (want.startsWith('<=')) expect([id, rank(c.severity) <= rank(want.slice(2))]).toEqual([id, true]);
      else expect([id, rank(c.severity) >= rank(want)]).toEqual([id, true]);
    }
  });
});
