/**
 * The CLI on yarn berry lockfiles produced by real yarn 4 against the fixture registry
 * (examples/<scenario>/formats/yarn-berry/, scripts/make-fixtures-yarn-berry.mjs): the signals fire
 * as they do on the npm lockfile of the same scenario.
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
  severity: string | null;
  findings: { signal: string; severity: string }[];
}
interface JsonReport {
  changes: JsonChange[];
  conclusion: string;
}

let registry: Awaited<ReturnType<typeof startFixtureRegistry>>;
beforeAll(async () => {
  registry = await startFixtureRegistry();
});
afterAll(async () => {
  await registry.close();
});

async function review(base: string, head: string, now: string): Promise<JsonReport> {
  let stdout = '';
  let stderr = '';
  const code = await main(['review', base, head, '--registry', registry.url, '--now', now, '--format', 'json'], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { HOME: '/nonexistent-home' },
    cwd: root,
  });
  expect(stderr).toBe('');
  expect([0, 1]).toContain(code);
  return JSON.parse(stdout) as JsonReport;
}

const summary = (r: JsonReport): string[] =>
  r.changes.map((c) => JSON.stringify([c.name, c.from, c.to, c.kind, c.findings.map((f) => f.signal).sort(), c.severity])).sort();

describe.each(['axios', 'event-stream'])('yarn berry lockfiles of the %s scenario', (scenario) => {
  const dir = path.join(root, 'examples', scenario);
  const yarn = (side: string) => path.join(dir, 'formats', 'yarn-berry', side, 'yarn.lock');
  const npm = (side: string) => path.join(dir, side, 'package-lock.json');

  it('give the same changes, signals and severities as the npm lockfiles', async () => {
    const meta = JSON.parse(await readFile(path.join(dir, 'scenario.json'), 'utf8')) as { now: string; expect: Record<string, string> };
    const fromYarn = await review(yarn('base'), yarn('head'), meta.now);
    const fromNpm = await review(npm('base'), npm('head'), meta.now);
    expect(fromYarn.changes.length).toBeGreaterThan(0);
    expect(summary(fromYarn)).toEqual(summary(fromNpm));
    expect(fromYarn.conclusion).toBe(fromNpm.conclusion);
    // the incident is flagged high or critical
    const flagged = fromYarn.changes.filter((c) => c.severity === 'high' || c.severity === 'critical');
    expect(flagged.length).toBeGreaterThan(0);
    // lines point at the entry keys of the yarn.lock
    const text = (await readFile(yarn('head'), 'utf8')).split('\n');
    for (const c of fromYarn.changes) if (c.kind !== 'removed') expect(text[c.line - 1]).toMatch(new RegExp(`^"${c.name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}@npm:[^"]*":$`));
  });
});
