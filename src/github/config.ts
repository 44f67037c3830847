/**
 * Loads `.github/lockwarden.yml` the way Probot's `context.config` does (the repository's file, else the
 * organisation's `.github` repository; `_extends` to another repository), but from the raw text, so an
 * invalid file is reported with its file and line. Always read from the BASE repository's default
 * branch: a pull request (from a fork, or not) never supplies its own config.
 */
import { ConfigError } from '../errors.js';
import { configFromLayers, parseConfigLayer, type Config, type ConfigLayer } from '../policy/index.js';
import type { GitHubApi } from './api.js';

export const CONFIG_PATH = '.github/lockwarden.yml';
const MAX_EXTENDS_DEPTH = 3;

interface Location {
  owner: string;
  repo: string;
  path: string;
}

const label = (l: Location) => `${l.owner}/${l.repo}:${l.path}`;

/** `repo`, `owner/repo`, `owner/repo:path/to/file.yml` (relative to the extending file's owner). */
export function parseExtends(value: string, from: Location): Location {
  const m = /^(?:([A-Za-z0-9-]+)\/)?([A-Za-z0-9._-]+)(?::(.+))?$/.exec(value.trim());
  if (!m) throw new ConfigError(`invalid _extends value "${value}": expected repo, owner/repo or owner/repo:path`, { file: label(from) });
  return { owner: m[1] ?? from.owner, repo: m[2]!, path: m[3] ?? CONFIG_PATH };
}

async function readLayer(api: GitHubApi, loc: Location): Promise<ConfigLayer | null> {
  const text = await api.readDefaultBranchFile(loc.owner, loc.repo, loc.path);
  if (text === null) return null;
  return parseConfigLayer(text, label(loc));
}

/**
 * The effective config for a repository. Throws ConfigError (file and line) for an invalid file,
 * or for an `_extends` chain that is too deep, cyclic, or points at a file that does not exist.
 */
export async function loadRepoConfig(api: GitHubApi, owner: string, repo: string): Promise<{ config: Config; files: string[] }> {
  const own: Location = { owner, repo, path: CONFIG_PATH };
  let first = await readLayer(api, own);
  if (first === null && repo !== '.github') {
    // organisation (or user) defaults
    first = await readLayer(api, { owner, repo: '.github', path: CONFIG_PATH });
  }
  if (first === null) return { config: configFromLayers([]), files: [] };
  const chain: ConfigLayer[] = [first];
  const seen = new Set([first.file]);
  let current = first;
  let loc = own;
  while (current.extends !== undefined) {
    if (chain.length > MAX_EXTENDS_DEPTH) throw new ConfigError(`_extends chain is longer than ${MAX_EXTENDS_DEPTH}`, { file: current.file });
    const next = parseExtends(current.extends, loc);
    if (seen.has(label(next))) throw new ConfigError(`_extends cycle through ${label(next)}`, { file: current.file });
    const layer = await readLayer(api, next);
    if (layer === null) throw new ConfigError(`_extends points at ${label(next)}, which does not exist or is not readable`, { file: current.file });
    seen.add(layer.file);
    chain.push(layer);
    current = layer;
    loc = next;
  }
  chain.reverse(); // most general first
  return { config: configFromLayers(chain), files: chain.map((l) => l.file) };
}
