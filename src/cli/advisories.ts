/**
 * The CLI's advisory sources, from its flags, the config file and the environment: OSV (`--osv URL|off`,
 * default the public service), a local directory (`--advisories DIR`) and GitHub's advisory database
 * (when GITHUB_TOKEN is set; `--no-github-advisories` switches it off; GHE_HOST for Enterprise Server).
 */
import path from 'node:path';
import { InputError } from '../errors.js';
import { isWithin } from '../registry/config-shared.js';
import type { Config } from '../policy/index.js';
import { Advisories, DEFAULT_OSV_URL, githubApiUrl } from '../registry/advisories/index.js';

export const ADVISORY_OPTIONS = {
  osv: { type: 'string' },
  advisories: { type: 'string' },
  'no-github-advisories': { type: 'boolean' },
} as const;

export const ADVISORY_HELP = `  --osv <url|off>      OSV API for known-malicious and known-vulnerability (default: the config's
                       advisories.osv, else LOCKWARDEN_OSV_URL, else the public OSV service); off: not asked. Not asked with --offline
  --advisories <dir>   a local directory of OSV records (e.g. a checkout of the OpenSSF malicious-packages
                       data); read with --offline too (default: the config's advisories.directory)
  --no-github-advisories
                       do not ask GitHub's advisory database (asked when GITHUB_TOKEN is set;
                       GHE_HOST / GHE_PROTOCOL for GitHub Enterprise Server)`;

export interface AdvisoryFlags {
  osv?: string | boolean | undefined;
  advisories?: string | boolean | undefined;
  'no-github-advisories'?: string | boolean | undefined;
}

export interface AdvisoryContext {
  config: Config;
  env: NodeJS.ProcessEnv;
  cwd: string;
  offline: boolean;
  /** The config file may choose hosts and paths (outside the directory under review, or trusted). */
  configTrusted: boolean;
  /** Reports a config setting that was not used (a project's file choosing hosts). */
  onIgnored: (what: string) => void;
}

/** LOCKWARDEN_OSV_URL (as for the App): a URL or `off`; anything else is refused. */
function envOsv(env: NodeJS.ProcessEnv): string | undefined {
  const v = env['LOCKWARDEN_OSV_URL']?.trim();
  if (!v) return undefined;
  if (v !== 'off' && !/^https?:\/\/[^\s]+$/i.test(v)) throw new InputError(`LOCKWARDEN_OSV_URL must be an http(s) URL or off, got '${v.slice(0, 60)}'`);
  return v;
}

/** The advisory client the flags, config and environment describe; null when every source is off. */
export function cliAdvisories(flags: AdvisoryFlags, ctx: AdvisoryContext): Advisories | null {
  const a = ctx.config.advisories;
  const fromConfig = <T>(value: T | undefined, key: string): T | undefined => {
    if (value === undefined || ctx.configTrusted) return value;
    ctx.onIgnored(`advisories.${key}`);
    return undefined;
  };
  const osvFlag = typeof flags.osv === 'string' ? flags.osv : undefined;
  if (osvFlag !== undefined && osvFlag !== 'off' && !/^https?:\/\/[^\s]+$/i.test(osvFlag))
    throw new InputError(`--osv must be an http(s) URL or off, got '${osvFlag.slice(0, 60)}'`);
  if (osvFlag !== undefined && osvFlag !== 'off' && ctx.offline)
    throw new InputError('--offline and --osv cannot be combined (a local --advisories directory can)');
  // `off` in a project's file only switches a source off, which it may do
  const configOsv = a.osv === 'off' ? 'off' : fromConfig(a.osv, 'osv');
  const osv = osvFlag ?? configOsv ?? envOsv(ctx.env) ?? DEFAULT_OSV_URL;
  const dirFlag = typeof flags.advisories === 'string' ? flags.advisories : undefined;
  const directory = dirFlag ?? fromConfig(a.directory, 'directory');
  const token = ctx.env['GITHUB_TOKEN'];
  const github =
    flags['no-github-advisories'] !== true && a.github !== false && token ? { apiUrl: githubApiUrl(ctx.env), token: async () => token } : undefined;
  if (osv === 'off' && directory === undefined && github === undefined) return null;
  return new Advisories({
    osvUrl: osv === 'off' ? undefined : osv,
    directory: directory !== undefined ? path.resolve(ctx.cwd, directory) : undefined,
    github,
    ...(a.ttlHours !== undefined ? { ttlMs: a.ttlHours * 3_600_000 } : {}),
  });
}

/**
 * {@link cliAdvisories} for a review's command line: a `--config` file inside the directory under review
 * is the pull request's and may not choose hosts or paths (unless --trust-project-config); what it tried
 * to set is named like the other project configuration that was not read.
 */
export function reviewAdvisories(
  values: AdvisoryFlags & {
    config?: string | boolean | undefined;
    offline?: string | boolean | undefined;
    'trust-project-config'?: string | boolean | undefined;
  },
  config: Config,
  io: { env: NodeJS.ProcessEnv; cwd: string },
  ignored: { onIgnored(file: string): void },
): Advisories | null {
  const configPath = typeof values.config === 'string' ? path.resolve(io.cwd, values.config) : undefined;
  return cliAdvisories(values, {
    config,
    env: io.env,
    cwd: io.cwd,
    offline: values.offline === true,
    configTrusted: configPath === undefined || values['trust-project-config'] === true || !isWithin(io.cwd, configPath),
    onIgnored: (what) => ignored.onIgnored(`${configPath ?? ''} (${what})`),
  });
}
