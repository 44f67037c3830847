/** `lockwarden --help`: the three forms of `review`, every option, the exit codes and the signals. */
import { ADVISORY_HELP } from './advisories.js';
import { DEFAULT_MAX_CHANGES } from '../core/review.js';
import { ALL_SIGNALS } from '../signals/index.js';
import { DEFAULT_TIMEOUT_SECONDS } from './options.js';
import { VERSION } from './version.js';

const HELP = `lockwarden ${VERSION} — review a lockfile change for supply-chain risk

Usage:
  lockwarden review <base-lockfile> <head-lockfile> [options]
  lockwarden review --git <base>..<head> [options]
  lockwarden review --base-dir <dir> --head-dir <dir> [options]

  <base-lockfile>  the lockfile before the change (an empty file or /dev/null when the change adds it)
  <head-lockfile>  the lockfile after the change
  --git <base>..<head>
                   the whole change between two commits of the git repository in the current
                   directory (<base>...<head>: from their merge base, as git diff does): every changed
                   lockfile, the requirements files whose -r includes changed, and the changed settings
                   files (.npmrc, package.json, pnpm-workspace.yaml, .yarnrc.yml, bunfig.toml, pip.conf,
                   uv.toml, pyproject.toml, .github/lockwarden.yml). Read from git's objects: nothing
                   from the working tree, no hooks, filters, textconv or fsmonitor; symbolic links are
                   not followed; submodules are skipped.
  --base-dir <dir> --head-dir <dir>
                   the same for two checkouts: files are paired by their path relative to each
                   directory (.git, node_modules, .venv, venv, __pycache__, .tox and .nox are not
                   walked; symbolic links are not followed; at most {MAX_DEPTH} levels and
                   {MAX_ENTRIES} entries per directory tree).
  With --git and the directories, a changed bun.lockb, more than {MAX_LOCKFILES} changed lockfiles or more than
  {MAX_GUARD_RAILS} changed settings files fail the review, naming the files not reviewed.
  Supported: package-lock.json (v1, v2, v3), npm-shrinkwrap.json, yarn.lock (classic v1 and berry),
  pnpm-lock.yaml (5.x, 6.0, 9.0), bun.lock (bun.lockb is binary: commit bun.lock instead);
  Python: poetry.lock (1.x, 2.x), uv.lock, pylock.toml, Pipfile.lock, requirements*.txt pinned with ==
  (and --hash; -r includes are read relative to the file, and must stay inside the current directory,
  symbolic links resolved; with --git, at the same commit, and never through a symbolic link)

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
files of the change that could not be reviewed, or an internal error), 2 usage or input error (also a
lockfile that cannot be parsed, and with --git: not a git repository, an unknown revision).

Signals:
{SIGNALS}
`;

/** What the help text states about the bounds of --git and the directories (kept in step by the caller). */
export interface HelpLimits {
  maxLockfiles: number;
  maxGuardRails: number;
  maxDepth: number;
  maxEntries: number;
}

export function helpText(limits: HelpLimits): string {
  const rows = ALL_SIGNALS.map((s) => `  ${s.id.padEnd(26)} ${s.defaultSeverity.padEnd(8)} ${s.offline ? 'offline ' : '        '} ${s.description}`);
  const values: Record<string, string> = {
    SIGNALS: rows.join('\n'),
    ADVISORIES: ADVISORY_HELP,
    TIMEOUT: String(DEFAULT_TIMEOUT_SECONDS),
    MAX_CHANGES: String(DEFAULT_MAX_CHANGES),
    MAX_LOCKFILES: String(limits.maxLockfiles),
    MAX_GUARD_RAILS: String(limits.maxGuardRails),
    MAX_DEPTH: String(limits.maxDepth),
    MAX_ENTRIES: limits.maxEntries.toLocaleString('en-US'),
  };
  return HELP.replace(/\{([A-Z_]+)\}/g, (m, k: string) => values[k] ?? m);
}
