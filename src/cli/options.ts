/**
 * The command line: every option of `lockwarden review` in one table, and the checks that turn the
 * parsed values into the settings a review runs with. Bad input is a {@link UsageError} (exit 2).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_MAX_CHANGES } from '../core/review.js';
import { REPORT_FORMATS, type ReportFormat } from '../report/index.js';
import { ADVISORY_OPTIONS } from './advisories.js';

export class UsageError extends Error {}

/** The review's deadline when --timeout is not given (the App's LOCKWARDEN_REVIEW_TIMEOUT default too). */
export const DEFAULT_TIMEOUT_SECONDS = 300;

/** Every option, one entry each (new options go here). */
export const OPTIONS = {
  git: { type: 'string' },
  'base-dir': { type: 'string' },
  'head-dir': { type: 'string' },
  registry: { type: 'string' },
  'index-url': { type: 'string' },
  now: { type: 'string' },
  format: { type: 'string' },
  config: { type: 'string' },
  offline: { type: 'boolean' },
  timeout: { type: 'string' },
  'max-changes': { type: 'string' },
  'trust-project-config': { type: 'boolean' },
  ...ADVISORY_OPTIONS,
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const satisfies ParseArgsConfig['options'];

export type CliValues = Record<string, string | boolean | undefined>;

/** The parsed command line; throws a UsageError for an unknown option or a missing value. */
export function parseCommandLine(argv: readonly string[]): { values: CliValues; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: OPTIONS });
    return { values: values as CliValues, positionals };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Which change the command reviews: two lockfiles, two commits of the current repository, or two directories. */
export type ChangeForm = { kind: 'files'; base: string; head: string } | { kind: 'git'; range: string } | { kind: 'dirs'; base: string; head: string };

/** The form the arguments ask for; mixing forms, or half of one, is a usage error. */
export function changeForm(values: CliValues, files: readonly string[]): ChangeForm {
  const git = values.git as string | undefined;
  const baseDir = values['base-dir'] as string | undefined;
  const headDir = values['head-dir'] as string | undefined;
  const dirs = baseDir !== undefined || headDir !== undefined;
  if (git !== undefined && (dirs || files.length > 0))
    throw new UsageError(`--git cannot be combined with ${dirs ? '--base-dir/--head-dir' : 'lockfile arguments'}`);
  if (dirs && files.length > 0) throw new UsageError('--base-dir/--head-dir cannot be combined with lockfile arguments');
  if (git !== undefined) return { kind: 'git', range: git };
  if (dirs) {
    if (baseDir === undefined || headDir === undefined)
      throw new UsageError(`${baseDir === undefined ? '--head-dir' : '--base-dir'} needs ${baseDir === undefined ? '--base-dir' : '--head-dir'} too`);
    return { kind: 'dirs', base: baseDir, head: headDir };
  }
  if (files.length !== 2)
    throw new UsageError(
      `review takes exactly two lockfiles (base and head), --git <base>..<head>, or --base-dir and --head-dir; got ${files.length} argument${files.length === 1 ? '' : 's'}`,
    );
  return { kind: 'files', base: files[0]!, head: files[1]! };
}

export interface ReviewSettings {
  format: ReportFormat;
  now: Date;
  timeoutSeconds: number;
  maxChanges: number;
}

/** A whole number from 1 to `max` given to `flag`, else `fallback` when absent. */
function positiveIntegerFlag(value: unknown, flag: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max)
    throw new UsageError(`${flag} must be a whole number from 1 to ${max}, got '${String(value).slice(0, 40)}'`);
  return n;
}

/** The checked values of the options every form shares. */
export function reviewSettings(values: CliValues): ReviewSettings {
  const format = (values.format ?? 'text') as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}`);
  let now = new Date();
  if (typeof values.now === 'string') {
    if (!/^\d{4}-\d{2}-\d{2}/.test(values.now) || Number.isNaN(Date.parse(values.now)))
      throw new UsageError(`--now must be an ISO 8601 time, got '${values.now}'`);
    now = new Date(values.now);
  }
  if (values.offline && values.registry) throw new UsageError('--offline and --registry cannot be combined');
  if (values.offline && values['index-url']) throw new UsageError('--offline and --index-url cannot be combined');
  return {
    format,
    now,
    timeoutSeconds: positiveIntegerFlag(values.timeout, '--timeout', DEFAULT_TIMEOUT_SECONDS, 86_400),
    maxChanges: positiveIntegerFlag(values['max-changes'], '--max-changes', DEFAULT_MAX_CHANGES, 1_000_000),
  };
}
