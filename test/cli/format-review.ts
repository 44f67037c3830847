/**
 * Shared by the test/cli/formats-*.test.ts files: the CLI's JSON review of two lockfiles against the
 * fixture registry this module starts for the test file, and the (name, from, to, kind, signals,
 * severity) summary that must be the same whichever package manager wrote the lockfile.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { startFixtureRegistry } from '../../src/demo/fixture-registry.js';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

export interface JsonChange {
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
export interface JsonReport {
  changes: JsonChange[];
  conclusion: string;
  incomplete: unknown[];
}

export let registry: Awaited<ReturnType<typeof startFixtureRegistry>>;
beforeAll(async () => {
  registry = await startFixtureRegistry();
});
afterAll(async () => {
  await registry.close();
});

/** `lockwarden review base head --format json` against the fixture registry; stderr must stay empty. */
export async function review(base: string, head: string, now: string): Promise<{ code: number; report: JsonReport }> {
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

export const summary = (r: JsonReport): string[] =>
  r.changes.map((c) => JSON.stringify([c.name, c.from, c.to, c.kind, c.findings.map((f) => f.signal).sort(), c.severity])).sort();

export async function scenarioNow(scenario: string): Promise<string> {
  return (JSON.parse(await readFile(path.join(root, 'examples', scenario, 'scenario.json'), 'utf8')) as { now: string }).now;
}

/** examples/<scenario>/formats/<format>/<side>/<file>, or the npm lockfile when format is 'npm'. */
export function lockPath(scenario: string, format: string, side: 'base' | 'head', file: string): string {
  return format === 'npm' ? path.join(root, 'examples', scenario, side, 'package-lock.json') : path.join(root, 'examples', scenario, 'formats', format, side, file);
}
