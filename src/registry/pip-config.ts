/**
 * Which Python package index to ask, resolved from configuration only (never from a lockfile or a
 * requirements file, whose URLs an attacker controls in a pull request); precedence in docs/REGISTRY.md.
 * A project's own `.venv/pip.conf` counts only when the project is trusted. Credentials in the URL are
 * split off, sent only to that URL's origin, and never appear in messages, `toString()`,
 * `JSON.stringify()` or `util.inspect()`.
 */
import { execFile } from 'node:child_process';
import { realpath, stat } from 'node:fs/promises';
import { homedir as osHomedir, tmpdir } from 'node:os';
import { posix, resolve, win32 } from 'node:path';
import { inspect } from 'node:util';
import { ConfigError } from '../errors.js';
import { baseUrlOf, checkBaseUrl, isWithin, readConfigFile } from './config-shared.js';

export interface PypiIndexConfig {
  /** The Simple API root without credentials, always ending with `/` (e.g. `https://host/simple/`). */
  readonly indexUrl: string;
  /** Where the URL came from, for messages: `option`, `PIP_INDEX_URL`, a pip.conf path, `pip default`, … */
  readonly source: string;
  /** The `Authorization` header for a request URL: only for the origin whose URL carried credentials. */
  authHeaderFor(url: string): string | undefined;
  /** Safe description: the URL, its source and the origins that have credentials, never the credentials. */
  toJSON(): { indexUrl: string; source: string; authFor: string[] };
  toString(): string;
}

/**
 * Validates an index URL and splits off credentials: http(s) only, no query or fragment, path ending
 * with `/`. Messages name `where` but never echo the URL (it may carry a token).
 */
export function normalizeIndexUrl(raw: string, where = 'index-url'): { url: string; origin: string; auth?: string } {
  const url = checkBaseUrl(raw, where, 'the index URL');
  let auth: string | undefined;
  if (url.username || url.password) {
    let user: string;
    let password: string;
    try {
      user = decodeURIComponent(url.username);
      password = decodeURIComponent(url.password);
    } catch {
      throw new ConfigError(`${where}: the credentials in the index URL are not valid percent-encoding`);
    }
    auth = `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
  }
  const out: { url: string; origin: string; auth?: string } = { url: baseUrlOf(url), origin: `${url.protocol}//${url.host}` };
  if (auth) out.auth = auth;
  return out;
}

/**
 * The root of the index's JSON API and Integrity API for a Simple API URL: the same origin, the path
 * without its last `simple/` segment (`https://h/simple/` → `https://h/`, `https://h/py/simple/` →
 * `https://h/py/`). undefined when the path does not end with `simple/` (the caller must say where
 * the JSON API is, or do without it).
 */
export function deriveApiRoot(indexUrl: string): string | undefined {
  const u = new URL(indexUrl);
  if (!/(^|\/)simple\/$/.test(u.pathname)) return undefined;
  return `${u.protocol}//${u.host}${u.pathname.slice(0, -'simple/'.length)}`;
}

function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? `${u.protocol}//${u.host}` : undefined;
  } catch {
    return undefined;
  }
}

class ResolvedPypiConfig implements PypiIndexConfig {
  readonly indexUrl: string;
  readonly source: string;
  readonly #auth: Map<string, string>;

  constructor(indexUrl: string, source: string, auth: Map<string, string>) {
    this.indexUrl = indexUrl;
    this.source = source;
    this.#auth = auth;
  }

  authHeaderFor(url: string): string | undefined {
    const origin = originOf(url);
    return origin === undefined ? undefined : this.#auth.get(origin);
  }

  toJSON(): { indexUrl: string; source: string; authFor: string[] } {
    return { indexUrl: this.indexUrl, source: this.source, authFor: [...this.#auth.keys()].sort() };
  }

  toString(): string {
    return `PypiIndexConfig(index=${this.indexUrl} from ${this.source}; credentials for ${this.#auth.size} origin(s))`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** A config from an explicit index URL (tests, embedding, the CLI flag). */
export function createPypiIndexConfig(opts: { indexUrl: string; source?: string }): PypiIndexConfig {
  const source = opts.source ?? 'option';
  const n = normalizeIndexUrl(opts.indexUrl, source);
  const auth = new Map<string, string>();
  if (n.auth) auth.set(n.origin, n.auth);
  return new ResolvedPypiConfig(n.url, source, auth);
}

// ---- pip's configuration files --------------------------------------------------------------

/** One parsed pip.conf: `section.key` (pip's normalised names) → value, with the line it came from. */
export type PipConfigValues = Map<string, { value: string; line: number }>;

/** pip's key normalisation: lower case, `_` → `-`, a leading `--` dropped. */
function normalizeKey(key: string): string {
  let k = key.trim().toLowerCase().replace(/_/g, '-');
  if (k.startsWith('--')) k = k.slice(2);
  return k;
}

const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Parses pip.conf text the way Python's `configparser.RawConfigParser` (which pip uses) reads it:
 * `[section]` headers, `key = value` or `key: value`, whole-line `#`/`;` comments, indented
 * continuation lines, no inline comments. Like Python (strict mode) it refuses keys before a section,
 * a key without a value, and a duplicate section or key: a {@link ConfigError} naming file and line.
 */
export function parsePipConfig(text: string, file: string): PipConfigValues {
  if (text.length > MAX_CONFIG_BYTES) throw new ConfigError('pip configuration file too large', { file });
  const out: PipConfigValues = new Map();
  const sections = new Set<string>();
  let section: string | undefined;
  let last: { key: string; indent: number } | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = i + 1;
    const trimmed = raw.trim();
    const indent = raw.length - raw.trimStart().length;
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    if (trimmed === '') {
      // an empty line inside a value belongs to it; the value's trailing newlines are stripped
      if (last) {
        const e = out.get(last.key)!;
        e.value += '\n';
      }
      continue;
    }
    if (last && indent > last.indent) {
      const e = out.get(last.key)!;
      e.value = `${e.value}\n${trimmed}`;
      continue;
    }
    last = undefined;
    const header = /^\[([^\]]+)\]/.exec(trimmed);
    if (header && indent === 0) {
      section = header[1]!;
      if (sections.has(section)) throw new ConfigError(`section [${section}] appears twice`, { file, line });
      sections.add(section);
      continue;
    }
    if (section === undefined) throw new ConfigError('a setting before the first [section] header', { file, line });
    const m = /^([^=:]*?)\s*[=:]\s*(.*)$/.exec(trimmed);
    if (!m || m[1] === '') throw new ConfigError('expected `key = value`', { file, line, column: indent + 1 });
    const key = `${section}.${normalizeKey(m[1]!)}`;
    if (out.has(key)) throw new ConfigError(`\`${m[1]}\` appears twice in [${section}]`, { file, line });
    out.set(key, { value: m[2]!.trim(), line });
    last = { key, indent };
  }
  for (const e of out.values()) e.value = e.value.replace(/\n+$/, '');
  return out;
}

export interface PipConfigFiles {
  /** `PIP_CONFIG_FILE` (highest of the files), when set. */
  env?: string;
  global: string[];
  user: string[];
  site: string[];
}

export interface PipConfigFileOptions {
  env: NodeJS.ProcessEnv;
  homedir: string;
  platform: NodeJS.Platform;
  /** pip's `sys.prefix` (its site file is `<prefix>/pip.conf`); default `$VIRTUAL_ENV`. */
  sitePrefix?: string;
  /** macOS: does `~/Library/Application Support/pip` exist (pip then uses it instead of `~/.config/pip`)? */
  macAppSupportExists?: boolean;
}

/**
 * pip's configuration file locations (pip's `get_configuration_files`), lowest precedence first in
 * each list: global (`$XDG_CONFIG_DIRS/pip/pip.conf` for each dir, then `/etc/pip.conf`), user (the
 * legacy `~/.pip/pip.conf`, then `$XDG_CONFIG_HOME/pip/pip.conf`), site (`<prefix>/pip.conf`), and
 * `PIP_CONFIG_FILE`.
 */
export function pipConfigFiles(opts: PipConfigFileOptions): PipConfigFiles {
  const { env, homedir, platform } = opts;
  const out: PipConfigFiles = { global: [], user: [], site: [] };
  if (env.PIP_CONFIG_FILE !== undefined && env.PIP_CONFIG_FILE !== '') out.env = env.PIP_CONFIG_FILE;
  const prefix = opts.sitePrefix ?? (env.VIRTUAL_ENV || undefined);
  if (platform === 'win32') {
    const p = win32;
    out.global.push(p.join(env.ALLUSERSPROFILE || env.PROGRAMDATA || 'C:\\ProgramData', 'pip', 'pip.ini'));
    out.user.push(p.join(homedir, 'pip', 'pip.ini'));
    out.user.push(p.join(env.APPDATA || p.join(homedir, 'AppData', 'Roaming'), 'pip', 'pip.ini'));
    if (prefix) out.site.push(p.join(prefix, 'pip.ini'));
    return out;
  }
  const p = posix;
  if (platform === 'darwin') {
    out.global.push('/Library/Application Support/pip/pip.conf');
    out.user.push(p.join(homedir, '.pip', 'pip.conf'));
    out.user.push(
      opts.macAppSupportExists ? p.join(homedir, 'Library', 'Application Support', 'pip', 'pip.conf') : p.join(homedir, '.config', 'pip', 'pip.conf'),
    );
  } else {
    const dirs = (env.XDG_CONFIG_DIRS || '/etc/xdg').split(':').filter((d) => d !== '');
    for (const d of dirs) out.global.push(p.join(d, 'pip', 'pip.conf'));
    out.global.push('/etc/pip.conf');
    out.user.push(p.join(homedir, '.pip', 'pip.conf'));
    out.user.push(p.join(env.XDG_CONFIG_HOME || p.join(homedir, '.config'), 'pip', 'pip.conf'));
  }
  if (prefix) out.site.push(p.join(prefix, 'pip.conf'));
  return out;
}

/** An `index-url` found in pip's files, and where. */
export interface PipFileSetting {
  value: string;
  file: string;
  line: number;
}

/**
 * `index-url` as pip's `install` command sees it across parsed files (lowest precedence first):
 * files are merged key by key (a later file's `section.key` replaces an earlier one's), then an
 * `[install]` value beats a `[global]` one — so `[install]` in /etc/pip.conf beats `[global]` in the
 * user's file, as in pip. Empty values are ignored, as pip ignores them.
 */
export function indexUrlFromPipFiles(files: { file: string; values: PipConfigValues }[]): PipFileSetting | undefined {
  const merged = new Map<string, PipFileSetting>();
  for (const { file, values } of files) {
    for (const [key, { value, line }] of values) merged.set(key, { value, file, line });
  }
  for (const key of ['install.index-url', 'global.index-url']) {
    const s = merged.get(key);
    if (s && s.value !== '') return s;
  }
  return undefined;
}

/** Runs a program; undefined when it cannot run or exits non-zero. */
export type ExecFn = (file: string, args: string[]) => Promise<{ stdout: string } | undefined>;

function defaultExec(env: NodeJS.ProcessEnv, timeoutMs: number): ExecFn {
  return (file, args) =>
    new Promise((done) => {
      // cwd: a neutral directory, so no module in the reviewed checkout can shadow pip's
      execFile(file, args, { cwd: tmpdir(), env, timeout: timeoutMs, windowsHide: true, maxBuffer: 64 * 1024 }, (err, stdout) => {
        done(err ? undefined : { stdout: String(stdout) });
      });
    });
}

/**
 * The installed pip's default index (its `PyPI.simple_url`), asked from pip's own module with
 * `python3 -I` (isolated: neither the working directory nor PYTHON* variables can substitute a
 * module), then `python -I`. undefined when no Python with pip answers with an http(s) URL.
 */
export async function askInstalledPip(opts: { env?: NodeJS.ProcessEnv; exec?: ExecFn; timeoutMs?: number } = {}): Promise<string | undefined> {
  const exec = opts.exec ?? defaultExec(opts.env ?? process.env, opts.timeoutMs ?? 15_000);
  const code = 'from pip._internal.models.index import PyPI; print(PyPI.simple_url)';
  for (const python of ['python3', 'python']) {
    const r = await exec(python, ['-I', '-c', code]);
    const value = r?.stdout.trim();
    if (value && /^https?:\/\/\S+$/.test(value)) return value;
  }
  return undefined;
}

export interface ResolvePypiConfigOptions {
  /** An explicit index URL (lockwarden config or `--index-url`): wins over everything. */
  indexUrl?: string;
  /** Where the explicit URL came from, for messages (default `option`). */
  indexUrlSource?: string;
  env?: NodeJS.ProcessEnv;
  homedir?: string;
  platform?: NodeJS.Platform;
  /** Reads a config file; undefined when it does not exist. Default: the file system. */
  readFile?: (path: string) => Promise<string | undefined>;
  /** pip's site prefix; default `$VIRTUAL_ENV`. */
  sitePrefix?: string;
  /** Asked only when nothing else configures the index. Default: {@link askInstalledPip}. */
  askPip?: () => Promise<string | undefined>;
  /**
   * The directory under review (the CLI's working directory). A virtualenv site file inside it is the
   * checkout's, not the user's: read only with `trustProjectConfig`.
   */
  projectDir?: string;
  trustProjectConfig?: boolean;
  /** Called with the path of a site file inside `projectDir` that exists and is not trusted (so not read). */
  onIgnored?: (file: string) => void;
}

/** Is `file` inside `dir`, symbolic links resolved where they exist? */
async function isInside(dir: string, file: string): Promise<boolean> {
  const real = (p: string) => realpath(p).catch(() => resolve(p));
  return isWithin(await real(dir), await real(file));
}

function isDevNull(path: string, platform: NodeJS.Platform): boolean {
  return platform === 'win32' ? path.toLowerCase() === 'nul' : path === '/dev/null';
}

/** pip's configuration files that exist, parsed, lowest precedence first (none with `PIP_CONFIG_FILE=/dev/null`). */
async function readPipFiles(opts: ResolvePypiConfigOptions, env: NodeJS.ProcessEnv): Promise<{ file: string; values: PipConfigValues }[]> {
  const platform = opts.platform ?? process.platform;
  const read = opts.readFile ?? readConfigFile;
  const home = opts.homedir ?? osHomedir();
  let macAppSupportExists = false;
  if (platform === 'darwin' && opts.readFile === undefined) {
    macAppSupportExists = await stat(posix.join(home, 'Library', 'Application Support', 'pip')).then(
      (s) => s.isDirectory(),
      () => false,
    );
  }
  const fileOpts: PipConfigFileOptions = { env, homedir: home, platform, macAppSupportExists };
  if (opts.sitePrefix !== undefined) fileOpts.sitePrefix = opts.sitePrefix;
  const locations = pipConfigFiles(fileOpts);
  const parsed: { file: string; values: PipConfigValues }[] = [];
  if (locations.env !== undefined && isDevNull(locations.env, platform)) return parsed;
  const load = async (file: string): Promise<boolean> => {
    const text = await read(file);
    if (text === undefined) return false;
    parsed.push({ file, values: parsePipConfig(text, file) });
    return true;
  };
  for (const f of locations.global) await load(f);
  // pip skips the user files when PIP_CONFIG_FILE names an existing file
  const envText = locations.env !== undefined ? await read(locations.env) : undefined;
  if (envText === undefined) for (const f of locations.user) await load(f);
  for (const f of locations.site) {
    if (opts.projectDir !== undefined && opts.trustProjectConfig !== true && (await isInside(opts.projectDir, f))) {
      if ((await read(f)) !== undefined) opts.onIgnored?.(f);
      continue;
    }
    await load(f);
  }
  if (envText !== undefined) parsed.push({ file: locations.env!, values: parsePipConfig(envText, locations.env!) });
  return parsed;
}

export async function resolvePypiIndexConfig(opts: ResolvePypiConfigOptions = {}): Promise<PypiIndexConfig> {
  const env = opts.env ?? process.env;
  if (opts.indexUrl !== undefined && opts.indexUrl.trim() !== '') {
    return createPypiIndexConfig({ indexUrl: opts.indexUrl, source: opts.indexUrlSource ?? 'option' });
  }
  for (const name of ['PIP_INDEX_URL', 'UV_DEFAULT_INDEX', 'UV_INDEX_URL']) {
    const v = env[name];
    if (v !== undefined && v.trim() !== '') return createPypiIndexConfig({ indexUrl: v, source: name });
  }

  const fromFiles = indexUrlFromPipFiles(await readPipFiles(opts, env));
  if (fromFiles) return createPypiIndexConfig({ indexUrl: fromFiles.value, source: `${fromFiles.file}:${fromFiles.line}` });

  const ask = opts.askPip ?? (() => askInstalledPip({ env }));
  const fallback = await ask();
  if (fallback !== undefined) return createPypiIndexConfig({ indexUrl: fallback, source: 'pip default' });
  throw new ConfigError(
    'no Python package index configured and no pip installed to ask for its default: pass --index-url (or python.indexUrl in the lockwarden config), set PIP_INDEX_URL, or set index-url in pip.conf',
  );
}
