/**
 * Sibling packages with the same verdict, for the Markdown report: platform builds
 * (`@oxc-minify/binding-linux-x64-gnu`, `…-darwin-arm64`, …) that a mirror lacks all fail the same
 * way, and 17 identical sections would bury everything else. JSON keeps every change.
 */
import type { ReviewedChange } from '../model/index.js';

/** Fewest siblings shown as one group. */
export const MIN_GROUP = 3;

/**
 * Findings whose evidence says what the registry lacks or states, not what the package would run:
 * only changes with nothing else are grouped. A payload (install script, integrity, takeover) differs
 * per package and each one needs its own look, so those keep their own sections.
 */
const GROUPABLE = new Set(['version-not-found', 'deprecated', 'yanked', 'downgrade', 'new-dependency']);

export interface SiblingGroup {
  /** `@oxc-minify/binding-*` */
  pattern: string;
  members: ReviewedChange[];
}

/** Same new version, same findings (signal and severity) in the same order. */
function verdictKey(c: ReviewedChange): string {
  return JSON.stringify([c.to, c.severity, c.findings.map((f) => [f.signal, f.severity, Boolean(f.allowed)])]);
}

/** What siblings share at least: `@scope/` of a scoped name, else the first word with its `-` (`esbuild-`). */
function familyOf(name: string): string {
  const slash = name.indexOf('/');
  if (name.startsWith('@') && slash > 0) return name.slice(0, slash + 1);
  const dash = name.indexOf('-');
  return dash > 0 ? name.slice(0, dash + 1) : name;
}

/** The names' longest common prefix, cut back to a word boundary (`-`, `_`, `.` or the scope's `/`). */
function sharedPrefix(names: readonly string[]): string {
  let p = names[0] ?? '';
  for (const n of names) while (!n.startsWith(p)) p = p.slice(0, -1);
  const cut = Math.max(p.lastIndexOf('-'), p.lastIndexOf('_'), p.lastIndexOf('.'), p.lastIndexOf('/'));
  return p.slice(0, cut + 1);
}

/**
 * The changes in order, with siblings (same verdict of {@link GROUPABLE} findings only, and the same
 * scope or first word of the name) folded into one group at the place of the first of them.
 */
export function groupSiblings(changes: readonly ReviewedChange[]): Array<ReviewedChange | SiblingGroup> {
  const buckets = new Map<string, ReviewedChange[]>();
  for (const c of changes) {
    if (c.findings.length === 0 || !c.findings.every((f) => GROUPABLE.has(f.signal))) continue;
    const key = `${familyOf(c.name)}\u0000${verdictKey(c)}`;
    const list = buckets.get(key) ?? [];
    list.push(c);
    buckets.set(key, list);
  }
  const groupOf = new Map<ReviewedChange, SiblingGroup>();
  for (const list of buckets.values()) {
    if (new Set(list.map((c) => c.name)).size < MIN_GROUP) continue;
    // at least the family (`@scope/`, `esbuild-`): a shorter prefix is no family at all
    const prefix = sharedPrefix(list.map((c) => c.name));
    if (prefix.length < familyOf(list[0]!.name).length) continue;
    const group: SiblingGroup = { pattern: `${prefix}*`, members: list };
    for (const c of list) groupOf.set(c, group);
  }
  const out: Array<ReviewedChange | SiblingGroup> = [];
  const placed = new Set<SiblingGroup>();
  for (const c of changes) {
    const g = groupOf.get(c);
    if (!g) out.push(c);
    else if (!placed.has(g)) {
      placed.add(g);
      out.push(g);
    }
  }
  return out;
}

export function isGroup(x: ReviewedChange | SiblingGroup): x is SiblingGroup {
  return 'members' in x;
}
