/**
 * The bundled example scenarios (`examples/<scenario>/`): a base and a head project whose lockfiles
 * were produced by npm against the fixture registry, plus `scenario.json` with the clock to review
 * them at and the verdicts a reviewer should reach.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { repoRoot } from './repo-root.js';

/** `high` / `critical`: at least that severity; `<=medium` / `<=low`: nothing above it. */
export type ExpectedLevel = 'high' | 'critical' | '<=medium' | '<=low';
const LEVELS: readonly string[] = ['high', 'critical', '<=medium', '<=low'];

export interface ScenarioSide {
  dir: string;
  packageJson: string;
  lockfile: string;
}

export interface Scenario {
  name: string;
  title: string;
  description: string;
  /** The fixed review time. */
  now: Date;
  /** `name@version` (a head package) → expected verdict. */
  expect: Map<string, ExpectedLevel>;
  base: ScenarioSide;
  head: ScenarioSide;
}

/** The repository's `examples/` directory, found relative to this module (works from `test-support/` and `dist-support/`). */
export function examplesDir(): string {
  return join(repoRoot(), 'examples') + sep;
}

/** Names of the scenarios: directories of `dir` that hold a `scenario.json`, sorted. */
export function listScenarios(dir = examplesDir()): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'scenario.json')))
    .map((d) => d.name)
    .sort();
}

function side(dir: string): ScenarioSide {
  return { dir, packageJson: join(dir, 'package.json'), lockfile: join(dir, 'package-lock.json') };
}

/** Reads and checks `examples/<name>/scenario.json`. Throws on a malformed file. */
export function readScenario(name: string, dir = examplesDir()): Scenario {
  if (!listScenarios(dir).includes(name)) throw new Error(`no scenario named ${JSON.stringify(name)} in ${dir}`);
  const file = join(dir, name, 'scenario.json');
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof raw !== 'object' || raw === null) throw new Error(`${file}: not an object`);
  const o = raw as Record<string, unknown>;
  const { title, description, now } = o;
  if (typeof title !== 'string' || typeof description !== 'string' || typeof now !== 'string') {
    throw new Error(`${file}: title, description and now must be strings`);
  }
  const when = new Date(now);
  if (Number.isNaN(when.getTime())) throw new Error(`${file}: now is not a date: ${now}`);
  const expectRaw = o['expect'];
  if (typeof expectRaw !== 'object' || expectRaw === null || Array.isArray(expectRaw)) throw new Error(`${file}: expect must be an object`);
  const expect = new Map<string, ExpectedLevel>();
  for (const [spec, level] of Object.entries(expectRaw)) {
    if (typeof level !== 'string' || !LEVELS.includes(level)) throw new Error(`${file}: expect["${spec}"] must be one of ${LEVELS.join(', ')}`);
    expect.set(spec, level as ExpectedLevel);
  }
  return { name, title, description, now: when, expect, base: side(join(dir, name, 'base')), head: side(join(dir, name, 'head')) };
}
