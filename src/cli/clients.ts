/**
 * The registry clients of a CLI review: npm's registry and the Python index from the flags, the
 * config and the user's own configuration (the project's only with --trust-project-config).
 */
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../policy/index.js';
import { createClients, type PythonIndexClient, type RegistryClient } from '../registry/index.js';
import { isWithin } from '../registry/config-shared.js';
import type { CliIo } from './main.js';
import type { CliValues } from './options.js';
import type { IgnoredProjectConfig } from './project-config.js';
import { VERSION } from './version.js';

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

export interface CliClients {
  registry: RegistryClient | null;
  pypi: (() => PythonIndexClient | Promise<PythonIndexClient>) | null;
}

/**
 * The clients, or nulls with --offline. `needsNpm`: some lockfile under review is npm's; when none is,
 * npm's configuration failing to resolve does not stop the review (any npm change would be listed).
 */
export async function cliClients(values: CliValues, config: Config, io: CliIo, ignored: IgnoredProjectConfig, needsNpm: boolean): Promise<CliClients> {
  if (values.offline) return { registry: null, pypi: null };
  const trustProjectConfig = values['trust-project-config'] === true;
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
  try {
    // Resolved only when a Python change needs the index (pip may be asked for its default).
    return { registry: await clients.npm(), pypi: clients.pypi };
  } catch (e) {
    if (needsNpm || values.registry !== undefined) throw e;
    return { registry: unavailableRegistry((e as Error).message), pypi: clients.pypi };
  }
}
