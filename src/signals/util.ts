/**
 * Small helpers shared by the signals. Everything here is pure.
 */
import type { Change, Finding, InstallScripts, Packument, Severity, VersionMeta } from '../model/index.js';
import { severityRank } from '../model/index.js';
import type { SignalInput } from './types.js';

/** Change kinds the signals look at (never `removed`). */
export function isReviewable(change: Change): boolean {
  return change.kind !== 'removed' && typeof change.to === 'string' && change.to.length > 0;
}

/** The new version of a change and its registry metadata (undefined when the packument lacks it). */
export interface Target {
  version: string;
  meta: VersionMeta | undefined;
}

export function targetOf(input: SignalInput): Target | null {
  const { change } = input;
  if (!isReviewable(change)) return null;
  const version = change.to as string;
  return { version, meta: input.packument?.versions.get(version) };
}

/**
 * The change keeps a version the base lockfile already had from the registry (a `source-changed`
 * entry with the same version): its registry history was reviewed when it first arrived, so the
 * history-based signals stay quiet and only the source/integrity signals look at it.
 */
export function alreadyInBase(change: Change): boolean {
  return change.from !== null && change.from === change.to && change.base?.source.type === 'registry';
}

/** Registry metadata of the new version, for the signals that read the packument's history. */
export function registryTarget(input: SignalInput): { version: string; meta: VersionMeta; packument: Packument } | null {
  const t = targetOf(input);
  if (!t?.meta || !input.packument || alreadyInBase(input.change)) return null;
  return { version: t.version, meta: t.meta, packument: input.packument };
}

/** Epoch milliseconds of an ISO time, or undefined when absent or unreadable. */
export function timeOf(iso: string | undefined): number | undefined {
  if (typeof iso !== 'string' || iso === '') return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Rounds to one decimal (ages and gaps in evidence). */
export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/**
 * A value from the lockfile or the registry, made safe to put inside a one-line message:
 * control characters and line breaks become spaces, and very long values are cut.
 * (Markdown escaping is the report's job; this only keeps the sentence on one line.)
 */
export function clean(value: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const flat = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** `name@version` for messages. */
export function spec(name: string, version: string): string {
  return `${clean(name)}@${clean(version, 100)}`;
}

export const SCRIPT_TEXT_LIMIT = 2000;

/** Script text for evidence: cut to about 2,000 characters with a note of what was cut. */
export function truncateScript(text: string, limit = SCRIPT_TEXT_LIMIT): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}\n… [truncated by lockwarden: ${text.length - limit} of ${text.length} characters not shown]`;
}

export const INSTALL_HOOKS = ['preinstall', 'install', 'postinstall'] as const;
export type InstallHook = (typeof INSTALL_HOOKS)[number];

/** What is known about the install-time scripts of one registry version. */
export interface InstallScriptInfo {
  /** The version runs something at install time. */
  has: boolean;
  /** The script texts are known (full document); false when only the abbreviated flag said so. */
  textKnown: boolean;
  /** Effective install hooks, including npm's implicit `node-gyp rebuild` for `gypfile: true`. */
  scripts: Map<InstallHook, string>;
  /** The install hook is npm's implicit `node-gyp rebuild`. */
  implicitGyp: boolean;
}

export function installScriptsOf(meta: VersionMeta): InstallScriptInfo {
  const s: InstallScripts = meta.scripts ?? {};
  const scripts = new Map<InstallHook, string>();
  for (const hook of INSTALL_HOOKS) {
    const text = s[hook];
    if (typeof text === 'string' && text.trim() !== '') scripts.set(hook, text);
  }
  let implicitGyp = false;
  // npm adds `install: node-gyp rebuild` when the package has a binding.gyp and no install/preinstall of its own.
  if (meta.gypfile === true && !scripts.has('install') && !scripts.has('preinstall')) {
    scripts.set('install', 'node-gyp rebuild');
    implicitGyp = true;
  }
  if (scripts.size > 0) return { has: true, textKnown: true, scripts, implicitGyp };
  if (meta.hasInstallScript === true) return { has: true, textKnown: false, scripts, implicitGyp };
  return { has: false, textKnown: true, scripts, implicitGyp };
}

/** Script texts for evidence (truncated). Keys are the fixed hook names, never input. */
export function scriptsEvidence(scripts: Map<InstallHook, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [hook, text] of scripts) out[hook] = truncateScript(text);
  return out;
}

export function anyTruncated(scripts: Map<InstallHook, string>): boolean {
  for (const text of scripts.values()) if (text.length > SCRIPT_TEXT_LIMIT) return true;
  return false;
}

export function finding(signal: string, severity: Severity, message: string, evidence: Record<string, unknown>): Finding {
  return { signal, severity, message, evidence };
}

/** The highest severity among findings, or null when there are none. */
export function severityOf(findings: readonly Finding[]): Severity | null {
  let best: Severity | null = null;
  for (const f of findings) if (best === null || severityRank(f.severity) > severityRank(best)) best = f.severity;
  return best;
}

/** Dependency names of a version (an absent `dependencies` field means none). */
export function dependencyNames(meta: VersionMeta): string[] {
  const deps = meta.dependencies;
  if (!deps || typeof deps !== 'object') return [];
  return Object.keys(deps);
}

/** `a`, `a and b`, `a, b and c`. */
export function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] as string}`;
}

/** `1 release`, `3 releases`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `a postinstall script`, `preinstall and postinstall scripts`. */
export function hookPhrase(hooks: readonly string[]): string {
  if (hooks.length === 0) return 'install scripts';
  return hooks.length === 1 ? `a ${hooks[0] as string} script` : `${joinList(hooks)} scripts`;
}
