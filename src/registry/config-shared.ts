/**
 * What the npm registry configuration (npmrc.ts) and the Python index configuration (pip-config.ts)
 * check and read the same way: a configured base URL, and an optional configuration file.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { ConfigError } from '../errors.js';

/**
 * Checks a configured base URL: a valid URL, http(s) only, no query or fragment. `noun` names it in
 * messages (`registry URL`, `the index URL`); messages name `where` but never echo the URL (it may
 * carry a token). With `credentialsMessage`, a URL carrying user:password is refused with it (checked
 * before the query, so that advice comes first); without, credentials are left to the caller.
 */
export function checkBaseUrl(raw: string, where: string, noun: string, credentialsMessage?: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError(`${where}: not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${where}: ${noun} must be http or https (got ${url.protocol})`);
  }
  if (credentialsMessage !== undefined && (url.username || url.password)) throw new ConfigError(`${where}: ${credentialsMessage}`);
  if (url.search || url.hash) throw new ConfigError(`${where}: ${noun} must not have a query or fragment`);
  return url;
}

/** `scheme://host[:port]/path/` of a checked URL: without credentials, the path ending with `/`. */
export function baseUrlOf(url: URL): string {
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  return `${url.protocol}//${url.host}${path}`;
}

/** A configuration file's text; undefined when there is none (missing, or a directory in the way). */
export async function readConfigFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    throw new ConfigError(`cannot read ${path}: ${code ?? 'error'}`);
  }
}

/** Is `file` inside directory `dir` (or `dir` itself), by path? Callers resolve symbolic links first where they matter. */
export function isWithin(dir: string, file: string): boolean {
  const rel = relative(dir, file);
  return rel.split(sep)[0] !== '..' && !isAbsolute(rel);
}
