/**
 * `lockwarden review <base-lockfile> <head-lockfile> | --git <base>..<head> | --base-dir A --head-dir B [options]`
 *
 * Exit codes: 0 success or neutral, 1 failure (also an internal error), 2 usage / input error. Never a
 * stack trace for bad input.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError, LockfileError } from '../errors.js';
import { ContentPool } from '../core/content-pool.js';
import { contentPoolOptionsFromEnv } from '../core/content-pool-env.js';
import { review, type ReviewResult } from '../core/review.js';
import { MAX_GUARD_RAIL_FILES } from '../guard-rails/paths.js';
import { ecosystemOfPath } from '../lockfiles/index.js';
import { defaultConfig, parseConfig, type Config } from '../policy/index.js';
import { render } from '../report/index.js';
import { MAX_LOCKFILES, withNotReviewed, withSideLabel, type ChangeSet } from './change-set.js';
import { cliClients } from './clients.js';
import { MAX_WALK_DEPTH, MAX_WALK_ENTRIES } from './dir-walk.js';
import { changeSetFromDirs } from './from-dirs.js';
import { changeSetFromFiles } from './from-files.js';
import { changeSetFromGit } from './from-git.js';
import { reviewAdvisories } from './advisories.js';
import { helpText } from './help.js';
import { changeForm, parseCommandLine, reviewSettings, UsageError, type ChangeForm, type CliValues } from './options.js';
import { progress } from './progress.js';
import { ignoredProjectConfig } from './project-config.js';
import { VERSION } from './version.js';

export interface CliIo {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export { VERSION };
export { DEFAULT_TIMEOUT_SECONDS } from './options.js';

async function loadConfig(file: string | undefined, cwd: string): Promise<Config> {
  if (!file) return defaultConfig();
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8');
  } catch (e) {
    throw new InputError(`cannot read config: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, { file });
  }
  return parseConfig(text, file);
}

/** The change the arguments name, read by its form's source. */
export function readChangeSet(form: ChangeForm, io: CliIo): Promise<ChangeSet> {
  if (form.kind === 'git') return changeSetFromGit(form.range, { cwd: io.cwd, env: io.env });
  if (form.kind === 'dirs') return changeSetFromDirs(form.base, form.head, io.cwd);
  return changeSetFromFiles(form.base, form.head, io.cwd);
}

async function runReview(values: CliValues, files: readonly string[], io: CliIo): Promise<number> {
  const form = changeForm(values, files);
  const settings = reviewSettings(values);
  const config = await loadConfig(values.config as string | undefined, io.cwd);
  const set = await readChangeSet(form, io);
  const ignored = ignoredProjectConfig(io.cwd, io.stderr);
  const needsNpm = set.lockfiles.some((l) => ecosystemOfPath(l.basePath ?? l.file) !== 'pypi');
  const { registry, pypi } = await cliClients(values, config, io, ignored, needsNpm);
  const advisories = reviewAdvisories(values, config, io, ignored);
  const bar = progress(io, !values.quiet && io.stderr.isTTY === true);
  // one analysis pool for the run, shut down after the review so the process exits at once
  const contentAnalyser = new ContentPool(contentPoolOptionsFromEnv(io.env));
  let result: ReviewResult;
  try {
    result = await review(set.lockfiles, {
      registry,
      pypi,
      now: settings.now,
      config,
      onProgress: bar.update,
      // one deadline for the whole review, counted from here (parsing included)
      signal: AbortSignal.timeout(settings.timeoutSeconds * 1000),
      maxChanges: settings.maxChanges,
      guardRailFiles: set.guardRailFiles,
      advisories,
      contentAnalyser,
    });
  } catch (e) {
    throw e instanceof LockfileError ? withSideLabel(e, set) : e;
  } finally {
    bar.done();
    await contentAnalyser.close();
  }
  withNotReviewed(result, set);
  for (const note of ignored.notes()) result.notes.push(note);
  const color = settings.format === 'text' && io.stdout.isTTY === true && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
  io.stdout.write(render(result, settings.format, { color, minSeverity: config.warnOn }));
  return result.conclusion === 'failure' ? 1 : 0;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseCommandLine(argv);
    if (values.version) {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const [command, ...rest] = positionals;
    if (values.help || command === 'help') {
      io.stdout.write(helpText({ maxLockfiles: MAX_LOCKFILES, maxGuardRails: MAX_GUARD_RAIL_FILES, maxDepth: MAX_WALK_DEPTH, maxEntries: MAX_WALK_ENTRIES }));
      return 0;
    }
    if (command !== 'review') throw new UsageError(command ? `unknown command '${command}'` : 'missing command');
    return await runReview(values, rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`lockwarden: ${e.message}\nRun 'lockwarden review --help' for usage.\n`);
      return 2;
    }
    if (e instanceof InputError) {
      io.stderr.write(`lockwarden: ${e.message}\n`);
      return 2;
    }
    // an internal error (a bug, a stack overflow a hostile lockfile provoked) fails the review: it never passes
    io.stderr.write(`lockwarden: internal error: ${(e as Error).message}\n`);
    return 1;
  }
}
