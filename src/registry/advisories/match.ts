/**
 * Whether an advisory's affected entries cover a package version: OSV `versions` (exact) and `ranges`
 * (SEMVER for npm, ECOSYSTEM with PEP 440 ordering for Python; introduced/fixed/last_affected/limit),
 * and GitHub's `vulnerable_version_range` (`>= 1.0.0, < 1.0.1`). What a service sends is re-checked here.
 */
import type { Ecosystem } from '../../model/index.js';
import { normalizeName, versionComparator, type VersionComparator } from '../../versions/index.js';
import type { OsvAffected, OsvEvent, OsvRange } from './osv-schema.js';

/** OSV's ecosystem names for lockwarden's ecosystems. */
export const OSV_ECOSYSTEM: Record<Ecosystem, string> = { npm: 'npm', pypi: 'PyPI' };

/** The affected entries of a record that name this package (ecosystem and normalised name). */
export function entriesFor(affected: readonly OsvAffected[], ecosystem: Ecosystem, name: string): OsvAffected[] {
  const want = normalizeName(ecosystem, name);
  return affected.filter((a) => a.ecosystem === OSV_ECOSYSTEM[ecosystem] && normalizeName(ecosystem, a.name) === want);
}

/** The affected ranges (as text) of this package that contain `version`; empty when none does. */
export function matchOsv(affected: readonly OsvAffected[], ecosystem: Ecosystem, name: string, version: string): string[] {
  const cmp = versionComparator(ecosystem);
  const out: string[] = [];
  for (const a of entriesFor(affected, ecosystem, name)) {
    if (a.versions.includes(version)) out.push(`= ${version}`);
    for (const r of a.ranges) {
      if (!rangeApplies(r, ecosystem)) continue;
      const hit = inRange(r, version, cmp);
      if (hit !== undefined) out.push(hit);
    }
  }
  return [...new Set(out)].slice(0, 5);
}

/** SEMVER ranges for npm, ECOSYSTEM ranges for both (GIT ranges name commits, not versions). */
function rangeApplies(r: OsvRange, ecosystem: Ecosystem): boolean {
  return r.type === 'ECOSYSTEM' || (r.type === 'SEMVER' && ecosystem === 'npm');
}

/**
 * The interval of `r` that holds `version`, as text, or undefined. Events are read in version order
 * (OSV's rule): each `introduced` opens an interval that the next `fixed` / `limit` (exclusive) or
 * `last_affected` (inclusive) closes. `introduced: "0"` is below every version.
 */
function inRange(r: OsvRange, version: string, cmp: VersionComparator): string | undefined {
  const events = [...r.events].sort((a, b) => compareEvents(eventVersion(a), eventVersion(b), cmp));
  let open: string | undefined;
  for (const e of events) {
    if ('introduced' in e) {
      open ??= e.introduced;
      continue;
    }
    if (open === undefined) continue;
    const end = eventVersion(e);
    const inclusive = 'last_affected' in e;
    const started = open === '0' || cmp(open, version) <= 0;
    const beforeEnd = inclusive ? cmp(version, end) <= 0 : cmp(version, end) < 0;
    if (started && beforeEnd) return `>= ${open}, ${inclusive ? '<=' : '<'} ${end}`;
    open = undefined;
  }
  if (open !== undefined && (open === '0' || cmp(open, version) <= 0)) return `>= ${open}`;
  return undefined;
}

function eventVersion(e: OsvEvent): string {
  return 'introduced' in e ? e.introduced : 'fixed' in e ? e.fixed : 'limit' in e ? e.limit : e.last_affected;
}

function compareEvents(a: string, b: string, cmp: VersionComparator): number {
  if (a === '0' || b === '0') return a === b ? 0 : a === '0' ? -1 : 1;
  return cmp(a, b);
}

/** GitHub's `vulnerable_version_range`: comma-separated `op version` terms, all of which must hold. */
export function matchGithubRange(range: string, ecosystem: Ecosystem, version: string): boolean {
  const cmp = versionComparator(ecosystem);
  const terms = range
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (!terms.length || terms.length > 10) return false;
  return terms.every((t) => {
    const m = /^(>=|<=|>|<|=)?\s*(\S{1,100})$/.exec(t);
    if (!m) return false;
    const c = cmp(version, m[2] as string);
    switch (m[1] ?? '=') {
      case '>=':
        return c >= 0;
      case '<=':
        return c <= 0;
      case '>':
        return c > 0;
      case '<':
        return c < 0;
      default:
        return c === 0;
    }
  });
}
