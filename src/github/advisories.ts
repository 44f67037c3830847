/**
 * The App's advisory sources: set by its operator through the environment (LOCKWARDEN_OSV_URL,
 * LOCKWARDEN_ADVISORIES_DIR, LOCKWARDEN_GITHUB_ADVISORIES, LOCKWARDEN_ADVISORIES_TTL), asked per
 * review with the installation's token. A repository may switch a source off, never choose a host,
 * a server path or the shared cache's TTL: those settings are ignored with a `config-ignored` note.
 */
import type { AdvisoryClient, AdvisorySource, PolicyNote } from '../model/index.js';
import { parseDuration, type Config } from '../policy/index.js';
import { Advisories, DEFAULT_OSV_URL } from '../registry/advisories/index.js';
import type { GitHubApi } from './api.js';

/** The long-lived client the App's environment describes; null when every source is off. Throws on a bad setting. */
export function appAdvisories(env: NodeJS.ProcessEnv): Advisories | null {
  const osv = env['LOCKWARDEN_OSV_URL']?.trim() || DEFAULT_OSV_URL;
  if (osv !== 'off' && !/^https?:\/\/[^\s]+$/i.test(osv)) throw new Error(`LOCKWARDEN_OSV_URL must be an http(s) URL or off, got '${osv.slice(0, 60)}'`);
  const directory = env['LOCKWARDEN_ADVISORIES_DIR']?.trim() || undefined;
  const github = env['LOCKWARDEN_GITHUB_ADVISORIES']?.trim().toLowerCase() !== 'off';
  const ttl = env['LOCKWARDEN_ADVISORIES_TTL']?.trim();
  const ttlHours = ttl ? parseDuration(ttl, 'h') : undefined;
  if (ttl && ttlHours === undefined) throw new Error(`LOCKWARDEN_ADVISORIES_TTL must be a duration such as 1h or 30m, got '${ttl.slice(0, 40)}'`);
  if (osv === 'off' && !directory && !github) return null;
  return new Advisories({
    osvUrl: osv === 'off' ? undefined : osv,
    directory,
    github,
    ...(ttlHours !== undefined ? { ttlMs: ttlHours * 3_600_000 } : {}),
  });
}

/** The client for one review: the installation's token and API root for GitHub, minus the sources the repository switched off. */
export function reviewAdvisories(client: Advisories | null | undefined, api: GitHubApi, config: Config): AdvisoryClient | null {
  if (!client) return null;
  const off: AdvisorySource[] = [];
  if (config.advisories.osv === 'off') off.push('osv');
  if (config.advisories.github === false) off.push('github');
  const apiUrl = String(api.octokit.request.endpoint.DEFAULTS.baseUrl).replace(/\/+$/, '');
  const token = async (): Promise<string | undefined> => ((await api.octokit.auth({ type: 'installation' })) as { token?: string }).token;
  return client.review({ github: { apiUrl, token }, off });
}

/** Notes for the advisory settings a repository's file tried to choose. */
export function ignoredAdvisorySettings(config: Config): PolicyNote[] {
  const a = config.advisories;
  const keys = [
    a.osv !== undefined && a.osv !== 'off' ? 'advisories.osv' : undefined,
    a.directory !== undefined ? 'advisories.directory' : undefined,
    a.ttlHours !== undefined ? 'advisories.ttl' : undefined,
  ].filter((k): k is string => k !== undefined);
  if (!keys.length) return [];
  return [
    {
      kind: 'config-ignored',
      message: `${keys.join(', ')} ${keys.length === 1 ? 'is' : 'are'} not used by the App (a repository cannot choose the hosts, paths or cache the App uses): its operator sets them (LOCKWARDEN_OSV_URL, LOCKWARDEN_ADVISORIES_DIR, LOCKWARDEN_ADVISORIES_TTL). A repository may switch a source off (osv: off, github: false).`,
    },
  ];
}
