/**
 * The npm registry client and the Python package index client, built from the operator's
 * configuration: the one place where the CLI and the App make them.
 */
import { ArchiveCache } from './contents/cache.js';
import { createNpmRegistryClient } from './npm.js';
import { resolveNpmConfig } from './npmrc.js';
import { resolvePypiIndexConfig } from './pip-config.js';
import type { PythonIndexClient, RegistryClient } from '../model/index.js';
import { createPypiIndexClient } from './pypi.js';

export interface ClientsOptions {
  /** The User-Agent both clients send. */
  userAgent: string;
  /** The directory whose .npmrc and virtualenv pip.conf are project configuration (the CLI's checkout, the App's deployment). */
  cwd: string;
  env: NodeJS.ProcessEnv;
  homedir: string;
  /**
   * Read the project configuration in `cwd`. The App's own directory is the operator's; a CLI checkout
   * is the pull request's, so the CLI trusts it only when asked (--trust-project-config).
   */
  trustProjectConfig: boolean;
  /** The npm registry the caller chose (--registry): wins over npm's configuration. */
  registry?: string | undefined;
  /** The Python index the caller chose (--index-url, the config's python.indexUrl), and where it came from. */
  index?: { url: string; source: string } | undefined;
  /** Called with a project configuration file that exists but is not read (not trusted). */
  onIgnored?: (file: string) => void;
}

export interface Clients {
  /** The npm registry client; resolving npm's configuration may ask the installed npm. */
  npm(): Promise<RegistryClient>;
  /**
   * The Python index client, resolved at its first use (pip may be asked for its default) and kept,
   * so its cache is shared; a failed resolution is not kept, and the next call tries again.
   */
  pypi(): Promise<PythonIndexClient>;
}

export function createClients(o: ClientsOptions): Clients {
  let pypiClient: Promise<PythonIndexClient> | undefined;
  // content analysis: archives kept on disk by integrity when the operator names a directory (npm and Python share it)
  const archiveCache = new ArchiveCache({ dir: o.env['LOCKWARDEN_CACHE_DIR'] || undefined });
  return {
    npm: async () =>
      createNpmRegistryClient({
        config: await resolveNpmConfig({
          cwd: o.cwd,
          registry: o.registry,
          env: o.env,
          homedir: o.homedir,
          trustProjectConfig: o.trustProjectConfig,
          onIgnored: o.onIgnored,
        }),
        userAgent: o.userAgent,
        archiveCache,
      }),
    pypi: () => {
      pypiClient ??= resolvePypiIndexConfig({
        ...(o.index !== undefined ? { indexUrl: o.index.url, indexUrlSource: o.index.source } : {}),
        env: o.env,
        homedir: o.homedir,
        projectDir: o.cwd,
        trustProjectConfig: o.trustProjectConfig,
        onIgnored: o.onIgnored,
      })
        .then((config) => createPypiIndexClient({ config, userAgent: o.userAgent, archiveCache }))
        .catch((e: unknown) => {
          pypiClient = undefined;
          throw e;
        });
      return pypiClient;
    },
  };
}
