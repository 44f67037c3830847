/**
 * npm registry configuration, resolved the way npm resolves it (precedence in docs/REGISTRY.md). A
 * project `.npmrc` is read only when the project is trusted. Credentials are nerf-darted (the longest
 * matching `//host/path/:` key), held in a private field, and never appear in errors, `toString()`,
 * `JSON.stringify()` or `util.inspect()`.
 */
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { homedir as osHomedir, tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { inspect } from 'node:util';
import { ConfigError } from '../errors.js';
import { baseUrlOf, checkBaseUrl, readConfigFile } from './config-shared.js';

export interface NpmRegistryConfig {
  /** The default registry URL (always ends with `/`). */
  readonly registry: string;
  /** `@scope` → registry URL (each ends with `/`). */
  readonly scopes: ReadonlyMap<string, string>;
  /** The registry for a package name: its scope's registry when configured, else the default (ends with `/`). */
  registryFor(name: string): string;
  /** The `Authorization` header value for a request URL, from the longest matching nerf-dart, if any. */
  authHeaderFor(url: string): string | undefined;
  /** Safe description: registries and the nerf-darts that have credentials, never the credentials. */
  toJSON(): { registry: string; scopes: Record<string, string>; authFor: string[] };
  toString(): string;
}

/** Credentials for one nerf-dart (`//host[:port]/path/`). */
interface NerfAuth {
  token?: string;
  auth?: string;
  username?: string;
  password?: string;
}

const AUTH_FIELDS = ['_authToken', '_auth', 'username', '_password'] as const;
type AuthField = (typeof AUTH_FIELDS)[number];

/**
 * Validates a registry URL and normalises it: http(s) only, no credentials, no query or fragment,
 * path ending with `/`. The message never echoes user:password parts.
 */
export function normalizeRegistryUrl(raw: string, where = 'registry'): string {
  return baseUrlOf(checkBaseUrl(raw, where, 'registry URL', 'registry URL must not contain credentials; use a nerf-darted _authToken in .npmrc'));
}

/** The nerf-dart of a URL as npm computes it: `//host[:port]/dir/` (protocol, query and file part dropped). */
export function nerfDart(url: string): string {
  const u = new URL(url);
  const dir = new URL('.', `${u.protocol}//${u.host}${u.pathname}`);
  return `//${dir.host}${dir.pathname}`;
}

class ResolvedNpmConfig implements NpmRegistryConfig {
  readonly registry: string;
  readonly scopes: ReadonlyMap<string, string>;
  readonly #auth: Map<string, NerfAuth>;

  constructor(registry: string, scopes: Map<string, string>, auth: Map<string, NerfAuth>) {
    this.registry = registry;
    this.scopes = scopes;
    this.#auth = auth;
  }

  registryFor(name: string): string {
    if (name.startsWith('@')) {
      const slash = name.indexOf('/');
      if (slash > 1) {
        const scoped = this.scopes.get(name.slice(0, slash));
        if (scoped) return scoped;
      }
    }
    return this.registry;
  }

  authHeaderFor(url: string): string | undefined {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return undefined;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    // npm-registry-fetch's walk: //host/a/b → //host/a/ → //host/a → //host/ → //host
    let key = `//${u.host}${u.pathname}`;
    while (key.length > 2) {
      const a = this.#auth.get(key);
      if (a) {
        const header = headerOf(a);
        if (header) return header;
      }
      key = key.replace(/([^/]+|\/)$/, '');
    }
    return undefined;
  }

  toJSON(): { registry: string; scopes: Record<string, string>; authFor: string[] } {
    const scopes: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [k, v] of this.scopes) scopes[k] = v;
    return { registry: this.registry, scopes, authFor: [...this.#auth.keys()].sort() };
  }

  toString(): string {
    const scopes = [...this.scopes].map(([k, v]) => `${k}=${v}`).join(', ');
    return `NpmRegistryConfig(registry=${this.registry}${scopes ? `; scopes: ${scopes}` : ''}; credentials for ${this.#auth.size} host(s))`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

function headerOf(a: NerfAuth): string | undefined {
  if (a.token) return `Bearer ${a.token}`;
  if (a.username && a.password) {
    const password = Buffer.from(a.password, 'base64').toString('utf8');
    return `Basic ${Buffer.from(`${a.username}:${password}`, 'utf8').toString('base64')}`;
  }
  if (a.auth) return `Basic ${a.auth}`;
  return undefined;
}

/** One configuration layer: raw `key → value` strings (npm config keys, after env expansion). */
export type NpmConfigLayer = Map<string, string>;

/**
 * Builds a config from layers, highest precedence first. Keys used: `registry`, `@scope:registry`,
 * `//nerf/dart/:_authToken|_auth|username|_password`. Other keys are ignored.
 */
export function configFromLayers(layers: { layer: NpmConfigLayer; where: string }[], fallbackRegistry?: string): NpmRegistryConfig {
  let registry: string | undefined;
  const scopes = new Map<string, string>();
  const auth = new Map<string, NerfAuth>();
  // lowest precedence first, so later layers overwrite
  for (const { layer, where } of [...layers].reverse()) {
    for (const [key, value] of layer) {
      if (key === 'registry') {
        registry = normalizeRegistryUrl(value, `${where}: registry`);
      } else if (/^@[^/:]+:registry$/.test(key)) {
        scopes.set(key.slice(0, key.indexOf(':')), normalizeRegistryUrl(value, `${where}: ${key}`));
      } else if (key.startsWith('//')) {
        const colon = key.lastIndexOf(':');
        if (colon <= 2) continue;
        const field = key.slice(colon + 1) as AuthField;
        if (!(AUTH_FIELDS as readonly string[]).includes(field)) continue;
        const dart = key.slice(0, colon);
        let entry = auth.get(dart);
        if (!entry) auth.set(dart, (entry = {}));
        if (field === '_authToken') entry.token = value;
        else if (field === '_auth') entry.auth = value;
        else if (field === 'username') entry.username = value;
        else entry.password = value;
      }
    }
  }
  if (registry === undefined) {
    if (fallbackRegistry === undefined) {
      throw new ConfigError('no npm registry configured: pass --registry, set registry in .npmrc, or install npm');
    }
    registry = normalizeRegistryUrl(fallbackRegistry, 'npm config get registry');
  }
  return new ResolvedNpmConfig(registry, scopes, auth);
}

/** A config from explicit values (tests, embedding). `npmrc` is .npmrc text parsed with {@link parseNpmrc}. */
export function createNpmRegistryConfig(opts: {
  registry: string;
  scopes?: Record<string, string>;
  npmrc?: string;
  env?: NodeJS.ProcessEnv;
}): NpmRegistryConfig {
  const top: NpmConfigLayer = new Map([['registry', opts.registry]]);
  for (const [scope, url] of Object.entries(opts.scopes ?? {})) top.set(`${scope}:registry`, url);
  const layers = [{ layer: top, where: 'options' }];
  if (opts.npmrc !== undefined) layers.push({ layer: parseNpmrc(opts.npmrc, opts.env ?? {}), where: '.npmrc' });
  return configFromLayers(layers);
}

/**
 * npm's `${VAR}` expansion (@npmcli/config env-replace): `${VAR}` → value (left as is when unset),
 * `${VAR?}` → value or empty; a preceding backslash escapes (`\${VAR}` stays literal).
 */
export function expandEnv(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(/(?<!\\)(\\*)\$\{([^${}?]+)(\?)?\}/g, (orig, esc: string, name: string, modifier: string | undefined) => {
    const fallback = modifier === '?' ? '' : `$\{${name}}`;
    const value = Object.hasOwn(env, name) && env[name] !== undefined ? env[name]! : fallback;
    if (esc.length % 2) return orig.slice((esc.length + 1) / 2);
    return esc.slice(esc.length / 2) + value;
  });
}

/** The `ini` package's value unquoting, as npm uses it. */
function unquote(raw: string): string {
  const val = raw.trim();
  if ((val.startsWith('"') && val.endsWith('"') && val.length > 1) || (val.startsWith("'") && val.endsWith("'") && val.length > 1)) {
    if (val.startsWith("'")) return val.slice(1, -1);
    try {
      const parsed: unknown = JSON.parse(val);
      return typeof parsed === 'string' ? parsed : String(parsed);
    } catch {
      return val.slice(1, -1);
    }
  }
  // unquoted: an unescaped ; or # starts a comment; \; \# \\ are escapes
  let out = '';
  let esc = false;
  for (const c of val) {
    if (esc) {
      out += '\\;#'.includes(c) ? c : `\\${c}`;
      esc = false;
    } else if (c === '\\') {
      esc = true;
    } else if (c === ';' || c === '#') {
      break;
    } else {
      out += c;
    }
  }
  if (esc) out += '\\';
  return out.trim();
}

/**
 * Parses .npmrc text (ini): `key = value` lines, `;`/`#` comment lines, quoted values, inline
 * comments, `${ENV}` expansion in keys and values. Keys under a `[section]` header are not
 * top-level npm settings and are ignored. A key without `=` means `true`; `key[]` arrays keep the last value.
 */
export function parseNpmrc(text: string, env: NodeJS.ProcessEnv): NpmConfigLayer {
  const out: NpmConfigLayer = new Map();
  let inSection = false;
  for (const line of text.split(/[\r\n]+/)) {
    if (!line.trim() || /^\s*[;#]/.test(line)) continue;
    const m = /^\[([^\]]*)\]\s*$|^([^=]+)(=(.*))?$/.exec(line);
    if (!m) continue;
    if (m[1] !== undefined) {
      inSection = true;
      continue;
    }
    if (inSection) continue;
    let key = unquote(m[2] ?? '');
    if (key.endsWith('[]') && key.length > 2) key = key.slice(0, -2);
    if (!key || key === '__proto__') continue;
    const value = m[3] !== undefined ? unquote(m[4] ?? '') : 'true';
    out.set(expandEnv(key, env), expandEnv(value, env));
  }
  return out;
}

/** npm_config_* environment variables as config keys (npm's rule: `_` → `-` and lower-cased, except nerf-darts). */
export function envLayer(env: NodeJS.ProcessEnv): NpmConfigLayer {
  const out: NpmConfigLayer = new Map();
  // npm reads them in object order; a lower-case and an upper-case spelling of one key: the later wins
  for (const [envKey, value] of Object.entries(env)) {
    if (!/^npm_config_/i.test(envKey) || value === undefined || value === '') continue;
    let key = envKey.slice('npm_config_'.length);
    if (!key.startsWith('//')) key = key.replace(/(?!^)_/g, '-').toLowerCase();
    out.set(key, value);
  }
  return out;
}

/**
 * `npm config get registry`, via execFile with a timeout; undefined when npm is missing or says nothing
 * usable. `cwd` is the project whose `.npmrc` npm may read; undefined: none (npm runs in the temp
 * directory with `--location=global`, which skips the project layer: npm would otherwise read the
 * `.npmrc` of the directory it runs in, or of the nearest one above with a package.json).
 */
export function askInstalledNpm(cwd: string | undefined, env: NodeJS.ProcessEnv, timeoutMs = 15_000): Promise<string | undefined> {
  const args = cwd === undefined ? ['config', 'get', 'registry', '--location=global'] : ['config', 'get', 'registry'];
  return new Promise((done) => {
    execFile('npm', args, { cwd: cwd ?? tmpdir(), env, timeout: timeoutMs, windowsHide: true, maxBuffer: 64 * 1024 }, (err, stdout) => {
      if (err) return done(undefined);
      const value = String(stdout).trim();
      done(value && value !== 'undefined' && value !== 'null' ? value : undefined);
    });
  });
}

export interface ResolveNpmConfigOptions {
  cwd: string;
  /** `--registry` from the command line. */
  registry?: string;
  env?: NodeJS.ProcessEnv;
  homedir?: string;
  /**
   * Read `cwd`'s `.npmrc` (and let the installed npm read it). Default false: in a pull request's
   * checkout that file is the attacker's, and would choose hosts and send tokens.
   */
  trustProjectConfig?: boolean;
  /** Called with the project `.npmrc`'s path when one exists and is not trusted (so not read). */
  onIgnored?: (file: string) => void;
  /** Asked only when no layer configures `registry`; defaults to running `npm config get registry`. */
  askNpm?: () => Promise<string | undefined>;
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** The user's `.npmrc`: `userconfig` from the environment, else `~/.npmrc`. */
function userConfigFile(fromEnv: NpmConfigLayer, home: string, cwd: string): string {
  const file = fromEnv.get('userconfig') ?? join(home, '.npmrc');
  if (file.startsWith('~/')) return join(home, file.slice(2));
  return isAbsolute(file) ? file : resolve(cwd, file);
}

export async function resolveNpmConfig(opts: ResolveNpmConfigOptions): Promise<NpmRegistryConfig> {
  const env = opts.env ?? process.env;
  const trusted = opts.trustProjectConfig === true;
  const layers: { layer: NpmConfigLayer; where: string }[] = [];
  if (opts.registry !== undefined) layers.push({ layer: new Map([['registry', opts.registry]]), where: '--registry' });
  const fromEnv = envLayer(env);
  layers.push({ layer: fromEnv, where: 'environment' });

  const projectFile = join(resolve(opts.cwd), '.npmrc');
  const userFile = resolve(userConfigFile(fromEnv, opts.homedir ?? osHomedir(), opts.cwd));
  // The user's own file stays the user's when it is also the project's (run from the home directory).
  if (trusted || userFile === projectFile) {
    const projectText = await readConfigFile(projectFile);
    if (projectText !== undefined) layers.push({ layer: parseNpmrc(projectText, env), where: projectFile });
  } else if (await isFile(projectFile)) {
    opts.onIgnored?.(projectFile);
  }
  if (userFile !== projectFile) {
    const userText = await readConfigFile(userFile);
    if (userText !== undefined) layers.push({ layer: parseNpmrc(userText, env), where: userFile });
  }

  const configured = layers.some(({ layer }) => layer.has('registry'));
  let fallback: string | undefined;
  if (!configured) {
    const ask = opts.askNpm ?? (() => askInstalledNpm(trusted ? opts.cwd : undefined, env));
    fallback = await ask();
  }
  return configFromLayers(layers, fallback);
}
