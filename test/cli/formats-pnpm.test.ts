/**
 * Signals fire the same whichever package manager wrote the lockfile: the CLI reviews the pnpm
 * lockfiles written by real pnpm 10 (scripts/make-fixtures-pnpm.mjs) for the axios and event-stream
 * scenarios against the fixture registry, and gives the same (name, from, to, kind, signals,
 * severity) set as for the npm package-lock.json of the same scenario.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { startFixtureRegistry } from '../../src/demo/fixture-registry.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

interface JsonChange {
  name: string;
  from: string | null;
  to: string | null;
  kind: string;
  severity: string | null;
  findings: { signal: string; severity: string }[];
}

let registry: Awaited<ReturnType<typeof startFixtureRegistry>>;
beforeAll(async () => {
  registry = await startFixtureRegistry();
});
afterAll(async () => {
  await registry.close();
});

async function review(base: string, head: string, now: string): Promise<{ code: number; changes: JsonChange[] }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['review', base, head, '--registry', registry.url, '--now', now, '--format', 'json'], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { HOME: '/nonexistent-home' },
    cwd: root,
  });
  expect(stderr).toBe('');
  return { code, changes: (JSON.parse(stdout) as { changes: JsonChange[] }).changes };
}

const RANK = ['info', 'low', 'medium', 'high', 'critical'];
const rank = (s: string | null): number => (s === null ? -1 : RANK.indexOf(s));

const summary = (changes: JsonChange[]): string[] =>
  changes
    .map((c) => JSON.stringify([c.name, c.from, c.to, c.kind, c.findings.map((f) => f.signal).sort(), c.severity]))
    .sort();

describe.each(['axios', 'event-stream'])('pnpm-lock.yaml of the %s scenario', (scenario) => {
  it('gives the same changes, signals and severities as the npm lockfile', async () => {
    const meta = JSON.parse(await readFile(path.join(root, 'examples', scenario, 'scenario.json'), 'utf8')) as { now: string; expect: Record<string, string> };
    const dir = path.join(root, 'examples', scenario);
    const npm = await review(path.join(dir, 'base', 'package-lock.json'), path.join(dir, 'head', 'package-lock.json'), meta.now);
    const pnpm = await review(path.join(dir, 'formats', 'pnpm', 'base', 'pnpm-lock.yaml'), path.join(dir, 'formats', 'pnpm', 'head', 'pnpm-lock.yaml'), meta.now);
    expect(pnpm.changes.length).toBeGreaterThan(0);
    expect(summary(pnpm.changes)).toEqual(summary(npm.changes));
    expect(pnpm.code).toBe(npm.code);
    // the scenario's expected verdicts (at least / `<=` at most) hold for the pnpm lockfile too
    for (const [id, want] of Object.entries(meta.expect)) {
      const at = id.lastIndexOf('@');
      const c = pnpm.changes.find((x) => x.name === id.slice(0, at) && x.to === id.slice(at + 1));
      if (!c) throw new Error(`no change for ${id}`);
      if (want.startsWith('<=')) expect([id, rank(c.severity) <= rank(want.slice(2))]).toEqual([id, true]);
      else expect([id, rank(c.severity) >= rank(want)]).toEqual([id, true]);
    }
  });
});
