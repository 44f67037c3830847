/**
 * The settings model every guard-rail reader produces, and the one comparison of base against head
 * that turns two snapshots into weakenings and tightenings.
 */
import type { GuardRailChange } from '../model/index.js';

/**
 * How a setting guards the repository: `source` (a registry or index: any change is a weakening),
 * `flag` (a value is safe or not), `age` (a minimum release age: lower is weaker), `allow` (entries
 * that exempt packages or hosts: a new one is a weakening), `deny` (entries that block: a removed one is).
 */
export type Rule = 'source' | 'flag' | 'age' | 'allow' | 'deny';

export interface Setting {
  /** Unique in its file: `ignore-scripts`, `@corp:registry`, `allowScripts: esbuild`. */
  key: string;
  /** Cleaned, cut and without credentials. */
  value: string;
  line: number;
  rule: Rule;
  /** flag: is this value the safe one; `defaultSafe`: is leaving the setting out safe. */
  safe?: boolean;
  defaultSafe?: boolean;
  /** age: the amount in the tool's own unit (undefined when unreadable: any change then counts). */
  amount?: number;
  /** What the setting guards, one sentence. */
  why: string;
}

export type Settings = Map<string, Setting>;

export interface Weakenings {
  weakened: GuardRailChange[];
  tightened: GuardRailChange[];
}

export function settingsOf(list: readonly Setting[]): Settings {
  const out: Settings = new Map();
  for (const s of list) if (!out.has(s.key)) out.set(s.key, s);
  return out;
}

type Direction = 'weakened' | 'tightened' | undefined;

function flagDirection(b: Setting | undefined, h: Setting | undefined, spec: Setting): Direction {
  const before = b ? b.safe === true : spec.defaultSafe === true;
  const after = h ? h.safe === true : spec.defaultSafe === true;
  return before && !after ? 'weakened' : !before && after ? 'tightened' : undefined;
}

function ageDirection(b: Setting | undefined, h: Setting | undefined): Direction {
  const before = b ? b.amount : 0;
  const after = h ? h.amount : 0;
  // An amount the tool may not read is no gate we can vouch for: any change of it counts.
  if (before === undefined || after === undefined) return b?.value === h?.value ? undefined : 'weakened';
  return after < before ? 'weakened' : after > before ? 'tightened' : undefined;
}

function direction(b: Setting | undefined, h: Setting | undefined, spec: Setting): Direction {
  switch (spec.rule) {
    case 'source':
      return b?.value === h?.value ? undefined : 'weakened';
    case 'flag':
      return flagDirection(b, h, spec);
    case 'age':
      return ageDirection(b, h);
    case 'allow':
      return h && !b ? 'weakened' : b && !h ? 'tightened' : undefined;
    case 'deny':
      return b && !h ? 'weakened' : h && !b ? 'tightened' : undefined;
  }
}

/** Base against head: every setting that moved, weakened or tightened (`line` in head, or base when removed). */
export function compareSettings(base: Settings, head: Settings): Weakenings {
  const out: Weakenings = { weakened: [], tightened: [] };
  const keys = new Set([...base.keys(), ...head.keys()]);
  for (const key of keys) {
    const b = base.get(key);
    const h = head.get(key);
    const spec = (h ?? b)!;
    const d = direction(b, h, spec);
    if (d === undefined) continue;
    const where = h ? { line: h.line, side: 'head' as const } : { line: b!.line, side: 'base' as const };
    out[d].push({ key, before: b?.value ?? null, after: h?.value ?? null, ...where, reason: spec.why });
  }
  const byLine = (a: GuardRailChange, c: GuardRailChange) => a.line - c.line || a.key.localeCompare(c.key);
  out.weakened.sort(byLine);
  out.tightened.sort(byLine);
  return out;
}
