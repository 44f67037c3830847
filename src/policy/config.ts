/**
 * lockwarden's configuration: the same YAML file for the CLI (`--config`) and the App (`.github/lockwarden.yml`).
 * Parsed with `yaml` (for line positions) and validated with a zod schema at this edge.
 */
import { type ContentConfig, contentSchema, DEFAULT_CONTENT_CONFIG, mergeContent } from './content-config.js';
import { LineCounter, isMap, isNode, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import semver from 'semver';
import { ConfigError } from '../errors.js';
import { SEVERITIES, type Severity, type SignalId, type SignalOptions } from '../model/index.js';
import { DEFAULT_SIGNAL_OPTIONS } from '../signals/types.js';
import { isPep440Range } from '../versions/index.js';

export const SIGNAL_IDS: readonly SignalId[] = [
  'install-script-added',
  'install-script-changed',
  'publisher-changed',
  'maintainers-changed',
  'trust-downgrade',
  'provenance-source-changed',
  'release-too-new',
  'dormant-revival',
  'new-dependency',
  'young-package',
  'non-registry-source',
  'integrity-mismatch',
  'version-not-found',
  'security-holder',
  'deprecated',
  'downgrade',
  'pth-file-added',
  'sdist-only',
  'install-hook-changed',
  'yanked',
  'possible-takeover',
  'suspicious-new-package',
  'guard-rail-weakened',
  'known-malicious',
  'known-vulnerability',
  'manifest-mismatch',
  'obfuscated-code',
  'new-capability',
  'new-executable',
  'install-script-payload',
];

export interface AllowEntry {
  /** Exact name, `@scope/*`, or a `*` glob (Python names are compared PEP 503-normalised). */
  package: string;
  /** Only packages of this ecosystem; absent = any (a name can exist on npm and on the Python index). */
  ecosystem?: 'npm' | 'pypi';
  /** Optional version range the version must satisfy (semver for npm, a PEP 440 specifier or version for Python); absent = every version. */
  version?: string;
  /** Only these signals are accepted; absent = all. */
  signals?: SignalId[];
  /** Date after which the entry no longer applies (inclusive end of that day, UTC). */
  until?: string;
  reason: string;
  /** Who approved it (the App fills this for `/lockwarden allow`). */
  by?: string;
  /**
   * Set only for approvals made with `/lockwarden allow` (never from a config file): `package` and
   * `version` are compared as exact strings (Python names PEP 503-normalised), no globs, no ranges.
   */
  exact?: true;
  /** 1-based line of the entry in the config file (for messages). */
  line?: number;
}

export interface Config {
  /** Findings at or above this severity make the conclusion `failure`. */
  failOn: Severity;
  /** Findings at or above this severity make the conclusion `neutral`. */
  warnOn: Severity;
  /** Conclusion when some changed packages could not be analysed (never `success`). */
  incomplete: 'neutral' | 'failure';
  thresholds: SignalOptions;
  /** Per-signal severity override, or `off`. */
  signals: Map<SignalId, Severity | 'off'>;
  allow: AllowEntry[];
  /** The App posts a PR comment only for findings at or above this severity. */
  commentOn: Severity;
  /**
   * CLI only: the Python package index (Simple API root) to read, ahead of pip's configuration. The App
   * ignores it — a repository must not choose the hosts the App's server connects to — and says so.
   */
  pythonIndexUrl?: string;
  /**
   * Origins (`https://host[:port]`) whose tarball URLs count as registry downloads besides the registry's
   * own and the base lockfile's (lockfile-lint's allowed hosts). Only compared with lockfile text, never
   * fetched, so a repository may set them.
   */
  allowedOrigins: string[];
  /**
   * The cooldown gate (src/policy/cooldown.ts): what a release younger than `thresholds.releaseAgeHours`
   * (the window, `cooldown.window` in the file) does to the conclusion until it ages. `off`: only a finding.
   */
  cooldown: { conclusion: CooldownConclusion };
  /**
   * Advisory sources (known-malicious, known-vulnerability). `osv` (`off` to switch it off) and
   * `directory` choose hosts and server paths: the App ignores them from a repository and says so; a
   * repository may switch a source off. Absent keys: the edge's defaults.
   */
  advisories: AdvisoriesConfig;
  /** Content analysis: archives gathered and their caps (src/policy/content-config.ts). */
  content: ContentConfig;
}

export interface AdvisoriesConfig {
  /** The OSV API root, or `off`. */
  osv?: string;
  /** A local directory of OSV records (CLI only). */
  directory?: string;
  /** GitHub's advisory database (needs a token: the App's installation token, the CLI's GITHUB_TOKEN). */
  github?: boolean;
  /** How long answers are kept, hours (default 1). */
  ttlHours?: number;
}

export type CooldownConclusion = 'neutral' | 'failure' | 'off';

export function defaultConfig(): Config {
  return {
    failOn: 'high',
    warnOn: 'medium',
    incomplete: 'neutral',
    thresholds: { ...DEFAULT_SIGNAL_OPTIONS },
    signals: new Map(),
    allow: [],
    commentOn: 'medium',
    allowedOrigins: [],
    cooldown: { conclusion: 'neutral' },
    advisories: {},
    content: { ...DEFAULT_CONTENT_CONFIG },
  };
}

const UNITS: Record<string, number> = { m: 1 / 60, h: 1, d: 24, w: 24 * 7 };

/** Parses `90m`, `48h`, `30d`, `2w` (or a bare number of `defaultUnit`) to hours. */
export function parseDuration(value: string | number, defaultUnit: 'h' | 'd'): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * (UNITS[defaultUnit] ?? 1) : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(m|h|d|w)?\s*$/.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * (UNITS[m[2] ?? defaultUnit] ?? 1);
}

const severity = z.enum(SEVERITIES as [Severity, ...Severity[]]);
const duration = (unit: 'h' | 'd') =>
  z.union([z.string(), z.number()]).refine((v) => parseDuration(v, unit) !== undefined, {
    message: `expected a duration such as 48h, 30d or 2w (a bare number means ${unit === 'h' ? 'hours' : 'days'})`,
  });
const dateString = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .refine((v) => /^\d{4}-\d{2}-\d{2}(T.*)?$/.test(v) && !Number.isNaN(Date.parse(v)), {
    message: 'expected a date like 2026-12-31',
  });

/** `host[:port]` → its https origin; `http(s)://host[:port]` as written, normalised; else undefined. */
export function allowedOrigin(value: string): string | undefined {
  const v = value.trim();
  const withScheme = /^https?:\/\//i.test(v) ? v : /^[a-z0-9.-]+(:\d{1,5})?$/i.test(v) ? `https://${v}` : undefined;
  if (withScheme === undefined) return undefined;
  try {
    const u = new URL(withScheme);
    const bare = u.pathname === '/' && !u.search && !u.hash && !u.username && !u.password;
    return bare && u.hostname !== '' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

const allowEntrySchema = z.strictObject({
  package: z.string().min(1).max(214),
  ecosystem: z.enum(['npm', 'pypi']).optional(),
  version: z
    .string()
    .refine((v) => semver.validRange(v) !== null || isPep440Range(v), { message: 'expected a version or range (semver, or a PEP 440 specifier)' })
    .optional(),
  signals: z.array(z.enum(SIGNAL_IDS as [SignalId, ...SignalId[]])).optional(),
  until: dateString.optional(),
  reason: z.string().min(1, 'every allow entry needs a reason'),
  by: z.string().optional(),
});

const configSchema = z.strictObject({
  failOn: severity.optional(),
  warnOn: severity.optional(),
  incomplete: z.enum(['neutral', 'failure']).optional(),
  commentOn: severity.optional(),
  thresholds: z
    .strictObject({
      releaseAge: duration('h').optional(),
      dormant: duration('d').optional(),
      youngPackage: duration('d').optional(),
      publisherLookback: z.number().int().min(1).max(1000).optional(),
    })
    .optional(),
  signals: z.partialRecord(z.enum(SIGNAL_IDS as [SignalId, ...SignalId[]]), z.union([severity, z.literal('off'), z.literal(false)])).optional(),
  allow: z.array(allowEntrySchema).optional(),
  allowedHosts: z
    .array(
      z
        .string()
        .max(300)
        .refine((v) => allowedOrigin(v) !== undefined, {
          message: 'expected a host (npm.corp.example, host:8080) or an origin (https://npm.corp.example, http://… for plain http)',
        }),
    )
    .max(100)
    .optional(),
  cooldown: z
    .strictObject({
      window: duration('h').optional(),
      conclusion: z.enum(['neutral', 'failure', 'off']).optional(),
    })
    .optional(),
  python: z
    .strictObject({
      indexUrl: z.url({ protocol: /^https?$/, message: 'expected an http(s) URL of the index (its Simple API root)' }),
    })
    .optional(),
  advisories: z
    .strictObject({
      osv: z.union([z.literal('off'), z.url({ protocol: /^https?$/, message: 'expected an http(s) URL of an OSV API, or off' })]).optional(),
      directory: z.string().min(1).max(4096).optional(),
      github: z.boolean().optional(),
      ttl: duration('h').optional(),
    })
    .optional(),
  content: contentSchema,
  _extends: z.string().optional(),
});

type RawConfig = z.infer<typeof configSchema>;

function lineOf(doc: Document, lc: LineCounter, path: readonly PropertyKey[]): number | undefined {
  // Walk down as far as the path exists, so an unknown key or wrong type points at the nearest node;
  // a map entry points at its key's line (the value of `a:` may start on the next line).
  let node: unknown = doc.contents;
  let best: number | undefined = isNode(node) && node.range ? lc.linePos(node.range[0]).line : undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === seg);
      if (!pair) break;
      if (isNode(pair.key) && pair.key.range) best = lc.linePos(pair.key.range[0]).line;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      if (isNode(node) && node.range) best = lc.linePos(node.range[0]).line;
    } else break;
  }
  return best;
}

/** One validated config file, before it is merged with the files it extends. */
export interface ConfigLayer {
  file: string;
  raw: RawConfig;
  /** 1-based line of each allow entry, in order. */
  allowLines: (number | undefined)[];
  /** `_extends` as written (the App resolves it: `repo`, `owner/repo`, optionally `:path`). */
  extends?: string;
}

/**
 * Parses and validates one config file's text. Throws {@link ConfigError} naming the file and line of the
 * first problem.
 */
export function parseConfigLayer(text: string, file = 'lockwarden.yml'): ConfigLayer {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  const err = doc.errors[0];
  if (err) {
    const pos = lc.linePos(err.pos[0]);
    throw new ConfigError(`invalid YAML: ${err.message.split('\n')[0]}`, { file, line: pos.line, column: pos.col });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 }) ?? {};
  } catch (e) {
    // yaml refuses alias bombs ("billion laughs") and similar resource exhaustion.
    throw new ConfigError(`invalid YAML: ${(e as Error).message}`, { file, line: 1 });
  }
  const parsed = configSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    let path = issue.path;
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      message = `unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      path = [...issue.path, issue.keys[0]!];
    }
    const where = path.length ? ` at ${path.join('.')}` : '';
    throw new ConfigError(`${message}${where}`, { file, line: lineOf(doc, lc, path) });
  }
  const raw = parsed.data;
  if (raw.cooldown?.window !== undefined && raw.thresholds?.releaseAge !== undefined) {
    // two spellings of one setting in one file: refuse rather than guess which was meant
    throw new ConfigError('cooldown.window and thresholds.releaseAge set the same window: keep only cooldown.window', {
      file,
      line: lineOf(doc, lc, ['thresholds', 'releaseAge']),
    });
  }
  checkWindow(raw, file, (path) => lineOf(doc, lc, path));
  const layer: ConfigLayer = { file, raw, allowLines: (raw.allow ?? []).map((_, i) => lineOf(doc, lc, ['allow', i])) };
  if (raw._extends !== undefined) layer.extends = raw._extends;
  return layer;
}

/** A year: a longer cooldown is a typo, and past Date's range it would break every clear time. */
export const MAX_COOLDOWN_WINDOW_HOURS = 365 * 24;

function checkWindow(raw: RawConfig, file: string, line: (path: string[]) => number | undefined): void {
  const [path, value] =
    raw.cooldown?.window !== undefined ? [['cooldown', 'window'], raw.cooldown.window] : [['thresholds', 'releaseAge'], raw.thresholds?.releaseAge];
  if (value === undefined || parseDuration(value, 'h')! <= MAX_COOLDOWN_WINDOW_HOURS) return;
  throw new ConfigError(`the cooldown window is at most 365d at ${path.join('.')}`, { file, line: line(path) });
}

/**
 * Parses and validates a config file's text. Empty text gives the defaults.
 * Throws {@link ConfigError} naming the file and line of the first problem.
 */
export function parseConfig(text: string, file = 'lockwarden.yml'): Config {
  return configFromLayers([parseConfigLayer(text, file)]);
}

/**
 * Merges layers, the most general first (organisation defaults, then what a repository's file extends,
 * then the repository's own file): later layers override scalar settings, thresholds and signal
 * overrides key by key; allow entries accumulate.
 */
export function configFromLayers(layers: readonly ConfigLayer[]): Config {
  const c = defaultConfig();
  for (const { raw, allowLines } of layers) {
    if (raw.failOn) c.failOn = raw.failOn;
    if (raw.warnOn) c.warnOn = raw.warnOn;
    if (raw.incomplete) c.incomplete = raw.incomplete;
    if (raw.commentOn) c.commentOn = raw.commentOn;
    if (raw.python?.indexUrl) c.pythonIndexUrl = raw.python.indexUrl;
    mergeAdvisories(c.advisories, raw.advisories);
    mergeContent(c.content, raw.content);
    for (const h of raw.allowedHosts ?? []) {
      const origin = allowedOrigin(h) as string;
      if (!c.allowedOrigins.includes(origin)) c.allowedOrigins.push(origin);
    }
    const t = raw.thresholds;
    if (t?.releaseAge !== undefined) c.thresholds.releaseAgeHours = parseDuration(t.releaseAge, 'h')!;
    if (raw.cooldown?.window !== undefined) c.thresholds.releaseAgeHours = parseDuration(raw.cooldown.window, 'h')!;
    if (raw.cooldown?.conclusion !== undefined) c.cooldown = { conclusion: raw.cooldown.conclusion };
    if (t?.dormant !== undefined) c.thresholds.dormantDays = parseDuration(t.dormant, 'd')! / 24;
    if (t?.youngPackage !== undefined) c.thresholds.youngPackageDays = parseDuration(t.youngPackage, 'd')! / 24;
    if (t?.publisherLookback !== undefined) c.thresholds.publisherLookback = t.publisherLookback;
    for (const [id, sev] of Object.entries(raw.signals ?? {}) as [SignalId, Severity | 'off' | false][]) {
      c.signals.set(id, sev === false ? 'off' : sev);
    }
    (raw.allow ?? []).forEach((e, i) => {
      const entry: AllowEntry = { package: e.package, reason: e.reason };
      const line = allowLines[i];
      if (line !== undefined) entry.line = line;
      if (e.ecosystem !== undefined) entry.ecosystem = e.ecosystem;
      if (e.version !== undefined) entry.version = e.version;
      if (e.signals !== undefined) entry.signals = e.signals;
      if (e.until !== undefined) entry.until = e.until;
      if (e.by !== undefined) entry.by = e.by;
      c.allow.push(entry);
    });
  }
  return c;
}

/** A layer's advisory settings over the ones before it, key by key. */
function mergeAdvisories(into: AdvisoriesConfig, raw: RawConfig['advisories']): void {
  if (!raw) return;
  if (raw.osv !== undefined) into.osv = raw.osv;
  if (raw.directory !== undefined) into.directory = raw.directory;
  if (raw.github !== undefined) into.github = raw.github;
  if (raw.ttl !== undefined) into.ttlHours = parseDuration(raw.ttl, 'h')!;
}
