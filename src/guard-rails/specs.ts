/**
 * Settings from a parsed document (JSON, YAML, TOML as plain values) by a table of specs: a path
 * (`*` for any key, as in `npmScopes.*.npmRegistryServer`), a rule, and what the setting guards.
 */
import type { Rule, Setting } from './settings.js';
import { valueText } from './values.js';

export interface Spec {
  path: readonly string[];
  rule: Rule;
  why: string;
  /** flag: the safe values, and whether leaving the setting out is safe. */
  safe?: (v: unknown) => boolean;
  defaultSafe?: boolean;
  /** age: the value as an amount. */
  amount?: (v: unknown) => number | undefined;
  /** allow / deny: the value is a list (array items, or object keys whose value is not `false`). */
  entries?: boolean;
  /** The part of the value that is the setting (`url` of a registry table: its token is never read). */
  project?: (v: unknown) => unknown;
}

/** A parsed document and where its keys are. */
export interface Doc {
  value: unknown;
  /** 1-based line of the node at `path` (its key), or the nearest enclosing one. */
  lineOf(path: readonly string[]): number;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function own(v: unknown, key: string): unknown {
  return isObject(v) && Object.hasOwn(v, key) ? v[key] : undefined;
}

/** Every concrete path matching `pattern` in `v`, with its value. */
function resolve(v: unknown, pattern: readonly string[], at: string[] = []): Array<{ path: string[]; value: unknown }> {
  if (pattern.length === 0) return v === undefined ? [] : [{ path: at, value: v }];
  const [seg, ...rest] = pattern;
  if (seg === '*') return isObject(v) ? Object.keys(v).flatMap((k) => resolve(v[k], rest, [...at, k])) : [];
  return resolve(own(v, seg!), rest, [...at, seg!]);
}

/** The entries of a list setting: array items, or the keys of an object whose value is not `false`. */
function entriesOf(v: unknown): Array<{ name: string; value: unknown }> {
  if (Array.isArray(v)) return v.map((item) => ({ name: valueText(item), value: item }));
  if (isObject(v)) return Object.keys(v).flatMap((k) => (v[k] === false ? [] : [{ name: valueText(k), value: v[k] }]));
  if (typeof v === 'string' && v !== '') return [{ name: valueText(v), value: v }];
  return [];
}

function settingFor(spec: Spec, key: string, value: unknown, line: number): Setting {
  const s: Setting = { key, value: valueText(value), line, rule: spec.rule, why: spec.why };
  if (spec.safe) s.safe = spec.safe(value);
  if (spec.defaultSafe !== undefined) s.defaultSafe = spec.defaultSafe;
  if (spec.amount) {
    const a = spec.amount(value);
    if (a !== undefined) s.amount = a;
  }
  return s;
}

/** The settings `specs` name in `doc`, each with its line; `prefix` is put before each key (`pnpm.`). */
export function settingsFromDoc(doc: Doc, specs: readonly Spec[], prefix = ''): Setting[] {
  const out: Setting[] = [];
  for (const spec of specs) {
    for (const { path, value: raw } of resolve(doc.value, spec.path)) {
      const value = spec.project ? spec.project(raw) : raw;
      if (value === undefined) continue;
      const key = `${prefix}${path.join('.')}`;
      if (!spec.entries) {
        out.push(settingFor(spec, key, value, doc.lineOf(path)));
        continue;
      }
      for (const e of entriesOf(value)) {
        out.push(settingFor(spec, `${key}: ${e.name}`, e.value === true ? e.name : e.value, doc.lineOf([...path, e.name])));
      }
    }
  }
  return out;
}
