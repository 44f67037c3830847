/**
 * `lockwarden review <base-lockfile> <head-lockfile> [options]`
 *
 * Exit codes: 0 success or neutral, 1 failure (also an internal error), 2 usage / input error. Never a
 * stack trace for bad input.
 */
import { readFile, realpath } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { InputError } from '../errors.js';
import { DEFAULT_MAX_CHANGES, review, type LockfileInput, type ReviewResult } from '../core/review.js';
import { defaultConfig, parseConfig, type Config } from '../policy/index.js';
import { createClients } from '../registry/index.js';
import { isWithin } from '../registry/config-shared.js';
import { IncludeRefused, isRequirementsPath, loadIncludedFiles } from '../lockfiles/formats/requirements/index.js';
import { ecosystemOfPath } from '../lockfiles/index.js';
import type { RegistryClient } from '../registry/index.js';
import { render, REPORT_FORMATS, type ReportFormat } from '../report/index.js';
import { ALL_SIGNALS } from '../signals/index.js';
import { ADVISORY_HELP, ADVISORY_OPTIONS, cliAdvisories } from './advisories.js';
import { ignoredProjectConfig } from './project-config.js';
import { VERSION } from './version.js';

export interface CliIo {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export { VERSION };

const HELP = `lockwarden ${VERSION} — review a lockfile change for supply-chain risk

Usage:
  lockwarden review <base-lockfile> <head-lockfile> [options]

  <base-lockfile>  the lockfile before the change (an empty file or /dev/null when the change adds it)
  <head-lockfile>  the lockfile after the change
  Supported: package-lock.json (v1, v2, v3), npm-shrinkwrap.json, yarn.lock (classic v1 and berry),
  pnpm-lock.yaml (5.x, 6.0, 9.0), bun.lock (bun.lockb is binary: commit bun.lock instead);
  Python: poetry.lock (1.x, 2.x), uv.lock, pylock.toml, Pipfile.lock, requirements*.txt pinned with ==
  (and --hash; -r includes are read relative to the file, and must stay inside the current directory,
  symbolic links resolved)

Options:
  --registry <url>     npm registry to read metadata from (default: npm's own configuration:
                       npm_config_registry, your ~/.npmrc or NPM_CONFIG_USERCONFIG, then
                       \`npm config get registry\` asked without the project's .npmrc). Never taken
                       from the lockfile.
  --index-url <url>    Python package index (Simple API root) for Python lockfiles (default: the config's
                       python.indexUrl, then pip's configuration: PIP_INDEX_URL, UV_DEFAULT_INDEX/UV_INDEX_URL,
                       pip.conf, then the installed pip's own default). Never taken from the lockfile.
  --trust-project-config
                       also take registries and credentials from the current directory: its .npmrc, and
                       $VIRTUAL_ENV/pip.conf when the virtualenv is inside it. Off by default: in a pull
                       request's checkout those files are the pull request's, and would choose the hosts
                       asked and the tokens sent (a file not read is named on stderr). Use it only on a
                       checkout you trust.
  --now <ISO8601>      fix the clock, for reproducible reviews (default: now)
  --format <fmt>       json | markdown | text (default: text)
  --config <file>      lockwarden YAML config (thresholds, cooldown, severities, allowlist)
  --offline            no network: evaluate only lockfile-derived signals (and a local --advisories directory)
{ADVISORIES}
  --timeout <seconds>  the review's deadline (default {TIMEOUT}): registry reads still running then are
                       cut and listed as not analysed ("timed out"); the review reports what it reviewed
  --max-changes <n>    most changed packages to look up in the registry (default {MAX_CHANGES}), direct
                       dependencies first, then by name; more than that fails the review, saying how
                       many were not reviewed
  --quiet              no progress indicator
  -h, --help           show this help
  -v, --version        show the version

Exit codes: 0 success or neutral, 1 failure (a finding at or above failOn, packages over --max-changes,
or an internal error), 2 usage or input error.

Signals:
${'{SIGNALS}'}
`;

function helpText(): string {
  const rows = ALL_SIGNALS.map((s) => `  ${s.id.padEnd(26)} ${s.defaultSeverity.padEnd(8)} ${s.offline ? 'offline ' : '        '} ${s.description}`);
  return HELP.replace('{SIGNALS}', rows.join('\n'))
    .replace('{ADVISORIES}', ADVISORY_HELP)
    .replace('{TIMEOUT}', String(DEFAULT_TIMEOUT_SECONDS))
    .replace('{MAX_CHANGES}', String(DEFAULT_MAX_CHANGES));
}

class UsageError extends Error {}

/** The review's deadline when --timeout is not given (the App's LOCKWARDEN_REVIEW_TIMEOUT default too). */
export const DEFAULT_TIMEOUT_SECONDS = 300;

/** A whole number from 1 to `max` given to `flag`, else `fallback` when absent. */
function positiveIntegerFlag(value: unknown, flag: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max)
    throw new UsageError(`${flag} must be a whole number from 1 to ${max}, got '${String(value).slice(0, 40)}'`);
  return n;
}

async function readInput(file: string, cwd: string, what: string): Promise<Uint8Array | null> {
  const p = path.resolve(cwd, file);
  try {
    const buf = await readFile(p);
    return buf.length === 0 ? null : buf;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${what}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`, { file });
  }
}

/**
 * Reads an include (a cwd-relative path) from disk, refusing one whose real path, symbolic links
 * resolved, is outside the repository (the current directory): a checkout's link must not pull a
 * runner's files into the report. The file read is the resolved one, so the check holds for what is read.
 */
function includeReader(cwd: string): (p: string) => Promise<string | null> {
  let root: Promise<string> | undefined;
  return async (p) => {
    let real: string;
    try {
      real = await realpath(path.resolve(cwd, p));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return null;
      throw new InputError(`cannot read ${p}: ${code ?? 'error'}`, { file: p });
    }
    if (!isWithin(await (root ??= realpath(cwd)), real)) throw new IncludeRefused('a symbolic link leads outside the repository: not read');
    try {
      return await readFile(real, 'utf8');
    } catch (e) {
      throw new InputError(`cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { file: p });
    }
  };
}

/**
 * A requirements file's `-r` includes, read from disk relative to the file. The repository is the
 * current directory: an include that leaves it, by its path or through a symbolic link, is refused
 * (as the App refuses one leaving the repository). The file itself may be anywhere: the user chose it.
 */
async function includesOf(file: string, content: Uint8Array | null, cwd: string): Promise<{ file: string; includes: Map<string, string> } | undefined> {
  if (content === null || !isRequirementsPath(file)) return undefined;
  const rel = path.relative(cwd, path.resolve(cwd, file)).split(path.sep).join('/');
  if (rel.startsWith('../') || path.isAbsolute(rel)) return undefined; // outside the directory: no includes allowed
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return undefined; // the parser reports the invalid UTF-8 with its line
  }
  const includes = await loadIncludedFiles(rel, text, includeReader(cwd));
  // keyed by the cwd-relative paths the parser resolves includes to (from `rel`); the file itself is parsed from `content`
  if (!includes) return undefined;
  return { file: rel, includes };
}

/** A registry client for an unconfigured registry: every read fails with `reason` (so nothing passes silently). */
function unavailableRegistry(reason: string): RegistryClient {
  const client: RegistryClient = {
    getPackument: async () => ({ ok: false, reason }),
    getProvenance: async () => {
      throw new Error(reason);
    },
    stats: () => ({ requests: 0, packumentRequests: 0, cacheHits: 0, notModified: 0, retries: 0 }),
    review: () => client,
  };
  return client;
}

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

function progress(io: CliIo, enabled: boolean) {
  if (!enabled) return { update: () => {}, done: () => {} };
  let last = 0;
  let shown = false;
  return {
    update: ({ done, total }: { done: number; total: number }) => {
      const t = Date.now();
      if (t - last < 100 && done < total) return;
      last = t;
      shown = true;
      io.stderr.write(`\r\u001b[2Klockwarden: registry metadata ${done}/${total}`);
    },
    done: () => {
      if (shown) io.stderr.write('\r\u001b[2K');
    },
  };
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
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
      },
    }));
  } catch (e) {
    io.stderr.write(`lockwarden: ${(e as Error).message}\nRun 'lockwarden review --help' for usage.\n`);
    return 2;
  }
  if (values.version) {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (values.help || command === 'help') {
    io.stdout.write(helpText());
    return 0;
  }
  try {
    if (command !== 'review') throw new UsageError(command ? `unknown command '${command}'` : 'missing command');
    if (rest.length !== 2) throw new UsageError(`review takes exactly two lockfiles (base and head), got ${rest.length}`);
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
    const timeoutSeconds = positiveIntegerFlag(values.timeout, '--timeout', DEFAULT_TIMEOUT_SECONDS, 86_400);
    const maxChanges = positiveIntegerFlag(values['max-changes'], '--max-changes', DEFAULT_MAX_CHANGES, 1_000_000);

    const [baseFile, headFile] = rest as [string, string];
    const config = await loadConfig(values.config as string | undefined, io.cwd);
    const [base, head] = await Promise.all([readInput(baseFile, io.cwd, 'base lockfile'), readInput(headFile, io.cwd, 'head lockfile')]);
    if (head === null) throw new InputError('head lockfile is empty', { file: headFile });

    const [baseIncludes, headIncludes] = await Promise.all([includesOf(baseFile, base, io.cwd), includesOf(headFile, head, io.cwd)]);

    let registry = null;
    let pypi = null;
    const trustProjectConfig = values['trust-project-config'] === true;
    const ignored = ignoredProjectConfig(io.cwd, io.stderr);
    if (!values.offline) {
      const flag = values['index-url'] as string | undefined;
      // A config file inside the directory under review is the pull request's: it does not choose hosts.
      const configPath = values.config !== undefined ? path.resolve(io.cwd, values.config as string) : undefined;
      const configInProject = configPath !== undefined && isWithin(io.cwd, configPath);
      const configIndexUrl = configInProject && !trustProjectConfig ? undefined : config.pythonIndexUrl;
      if (configIndexUrl === undefined && config.pythonIndexUrl !== undefined) ignored.onIgnored(`${configPath!} (python.indexUrl)`);
      const indexUrl = flag ?? configIndexUrl;
      const indexUrlSource = flag !== undefined ? '--index-url' : `${values.config as string} (python.indexUrl)`;
      const clients = createClients({
        userAgent: `lockwarden/${VERSION}`,
        cwd: io.cwd,
        env: io.env,
        homedir: io.env.HOME ?? os.homedir(),
        trustProjectConfig,
        registry: values.registry as string | undefined,
        index: indexUrl !== undefined ? { url: indexUrl, source: indexUrlSource } : undefined,
        onIgnored: ignored.onIgnored,
      });
      // Resolved only when a Python change needs the index (pip may be asked for its default).
      pypi = clients.pypi;
      try {
        registry = await clients.npm();
      } catch (e) {
        // A Python lockfile does not need npm's configuration: any npm change would be listed as not analysed.
        if (ecosystemOfPath(headFile) !== 'pypi' || values.registry !== undefined) throw e;
        registry = unavailableRegistry((e as Error).message);
      }
    }
    const configPath = values.config !== undefined ? path.resolve(io.cwd, values.config as string) : undefined;
    const advisories = cliAdvisories(values, {
      config,
      env: io.env,
      cwd: io.cwd,
      offline: values.offline === true,
      configTrusted: configPath === undefined || trustProjectConfig || !isWithin(io.cwd, configPath),
      onIgnored: (what) => ignored.onIgnored(`${configPath!} (${what})`),
    });
    const bar = progress(io, !values.quiet && io.stderr.isTTY === true);
    let result: ReviewResult;
    try {
      // The head file's name is what reports show; a parse error names the side's own file.
      const input: LockfileInput = { file: headIncludes?.file ?? headFile, baseFile: baseIncludes?.file ?? baseFile, base, head };
      if (baseIncludes) input.baseIncludes = baseIncludes.includes;
      if (headIncludes) input.headIncludes = headIncludes.includes;
      result = await review([input], {
        registry,
        pypi,
        now,
        config,
        onProgress: bar.update,
        // one deadline for the whole review, counted from here (parsing included)
        signal: AbortSignal.timeout(timeoutSeconds * 1000),
        maxChanges,
        advisories,
      });
    } finally {
      bar.done();
    }
    for (const note of ignored.notes()) result.notes.push(note);
    const color = format === 'text' && io.stdout.isTTY === true && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
    io.stdout.write(render(result, format, { color, minSeverity: config.warnOn }));
    return result.conclusion === 'failure' ? 1 : 0;
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
