/**
 * Shared by the test/cli/formats-*.test.ts files: the CLI's JSON review of two lockfiles against the
 * fixture registry this module starts for the test file, and the (name, from, to, kind, signals,
 * severity) summary that must be the same whichever package manager wrote the lockfile.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { startFixtureRegistry } from '../../test-support/fixture-registry.js';

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
    env: { LOCKWARDEN_OSV_URL: 'off', HOME: '/nonexistent-home' },
    cwd: root,
  });
  expect(stderr).toBe('');
  return { code, report: JSON.parse(stdout) as JsonReport };
}

/**
 * Reviews the axios scenario in `format` with its head lockfile edited by `edit` (which must change
 * it); the edited text's URLs are data: nothing naming `attacker` is ever requested.
 */
export async function reviewEditedHead(format: string, file: string, edit: (text: string) => string): Promise<JsonReport> {
  const head = await readFile(lockPath('axios', format, 'head', file), 'utf8');
  const edited = edit(head);
  expect(edited).not.toBe(head);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'lw-edited-'));
  await writeFile(path.join(tmp, file), edited);
  const before = registry.requests.length;
  const { report } = await review(lockPath('axios', format, 'base', file), path.join(tmp, file), await scenarioNow('axios'));
  for (const r of registry.requests.slice(before)) expect(JSON.stringify(r)).not.toContain('attacker');
  return report;
}

export const summary = (r: JsonReport): string[] =>
  r.changes.map((c) => JSON.stringify([c.name, c.from, c.to, c.kind, c.findings.map((f) => f.signal).sort(), c.severity])).sort();

export async function scenarioNow(scenario: string): Promise<string> {
  return (JSON.parse(await readFile(path.join(root, 'examples', scenario, 'scenario.json'), 'utf8')) as { now: string }).now;
}

/** examples/<scenario>/formats/<format>/<side>/<file>, or the npm lockfile when format is 'npm'. */
export function lockPath(scenario: string, format: string, side: 'base' | 'head', file: string): string {
  return format === 'npm'
    ? path.join(root, 'examples', scenario, side, 'package-lock.json')
    : path.join(root, 'examples', scenario, 'formats', format, side, file);
}
