/**
 * Signals fire identically whichever package manager wrote the lockfile: the CLI reviews the
 * bun.lock files that real bun produced for a scenario (examples/<scenario>/formats/bun/,
 * scripts/make-fixtures-bun.mjs) and the npm package-lock.json of the same scenario, against the
 * fixture registry served by the test, and the (name, from, to, kind, signals, severity) sets match.
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
  line: number;
  direct: boolean;
  via: string[];
  severity: string | null;
  findings: { signal: string; severity: string }[];
}
interface JsonReport {
  changes: JsonChange[];
  conclusion: string;
  incomplete: unknown[];
}

let registry: Awaited<ReturnType<typeof startFixtureRegistry>>;
beforeAll(async () => {
  registry = await startFixtureRegistry();
});
afterAll(async () => {
  await registry.close();
});

async function review(base: string, head: string, now: string): Promise<{ code: number; report: JsonReport }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['review', base, head, '--registry', registry.url, '--now', now, '--format', 'json'], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { HOME: '/nonexistent-home' },
    cwd: root,
  });
  expect(stderr).toBe('');
  return { code, report: JSON.parse(stdout) as JsonReport };
}

const summary = (r: JsonReport): string[] =>
  r.changes
    .map((c) => JSON.stringify([c.name, c.from, c.to, c.kind, c.findings.map((f) => f.signal).sort(), c.severity]))
    .sort();

describe.each(['axios', 'event-stream'])('bun.lock files of the %s scenario', (scenario) => {
  it('give the same changes, signals and severities as the npm lockfiles', async () => {
    const meta = JSON.parse(await readFile(path.join(root, 'examples', scenario, 'scenario.json'), 'utf8')) as { now: string };
    const bunSide = (side: string) => path.join(root, 'examples', scenario, 'formats', 'bun', side, 'bun.lock');
    const npmSide = (side: string) => path.join(root, 'examples', scenario, side, 'package-lock.json');
    const bun = await review(bunSide('base'), bunSide('head'), meta.now);
    const npm = await review(npmSide('base'), npmSide('head'), meta.now);
    expect(npm.report.changes.length).toBeGreaterThan(0);
    expect(summary(bun.report)).toEqual(summary(npm.report));
    expect(bun.code).toBe(npm.code);
    expect(bun.code).toBe(1);
    expect(bun.report.conclusion).toBe(npm.report.conclusion);
    expect(bun.report.incomplete).toEqual([]);
    // the same paths from the direct dependency, and lines pointing at the bun.lock entries' keys
    const text = (await readFile(bunSide('head'), 'utf8')).split('\n');
    for (const c of bun.report.changes) {
      const twin = npm.report.changes.find((n) => n.name === c.name && n.to === c.to)!;
      expect(c.via).toEqual(twin.via);
      expect(c.direct).toBe(twin.direct);
      if (c.kind !== 'removed') expect(text[c.line - 1]!.startsWith(`    ${JSON.stringify(c.name)}: [${JSON.stringify(`${c.name}@${c.to}`)}`)).toBe(true);
    }
  });
});
