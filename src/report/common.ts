import { severityRank, type ReviewedChange, type ReviewResult, type Severity } from '../model/index.js';
import { cooldownTitle } from './cooldown.js';
import { notChecked } from './not-checked.js';
import { guardRailHeadline } from './guard-rails.js';

/** A change a reviewer must look at: its highest counted finding is at or above `min`. */
export function isRisky(c: ReviewedChange, min: Severity): boolean {
  return c.severity !== null && severityRank(c.severity) >= severityRank(min);
}

const byRisk = (a: ReviewedChange, b: ReviewedChange) =>
  severityRank(b.severity ?? 'info') - severityRank(a.severity ?? 'info') || b.findings.length - a.findings.length || a.name.localeCompare(b.name);

export function riskyChanges(r: ReviewResult, min: Severity): ReviewedChange[] {
  return r.changes.filter((c) => isRisky(c, min)).sort(byRisk);
}

export function routineChanges(r: ReviewResult, min: Severity): ReviewedChange[] {
  return r.changes.filter((c) => !isRisky(c, min));
}

/** `axios 1.14.0 → 1.14.1`, `new plain-crypto-js 4.2.1`, … (plain text; escape before rendering). */
export function changeLabel(c: ReviewedChange): string {
  switch (c.kind) {
    case 'added':
      return `${c.name} ${c.to} (new)`;
    case 'removed':
      return `${c.name} ${c.from} (removed)`;
    case 'source-changed':
      return `${c.name} ${c.to} (source changed)`;
    default:
      return `${c.name} ${c.from} → ${c.to}`;
  }
}

export interface Verdict {
  icon: string;
  /** One line stating the verdict (used as the check run title). */
  title: string;
  detail: string;
}

export function verdict(r: ReviewResult, min: Severity = 'medium'): Verdict {
  const risky = riskyChanges(r, min);
  const n = r.summary.changes;
  const plural = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
  const top = risky[0];
  const coverage = r.summary.offline
    ? 'offline review: registry signals were not evaluated'
    : `${r.summary.analysed} of ${r.summary.needsRegistry} changed registry packages analysed against the registry${r.summary.partiallyAnalysed ? ` (${r.summary.partiallyAnalysed} more partially: some signals not evaluated, see the notes)` : ''}`;
  // a pass that could not check everything says so in the headline
  const gap = notChecked(r);
  const unchecked = gap ? ` · ${gap}` : '';
  const detail = `${plural(n, 'dependency change')} in ${r.summary.lockfiles.join(', ') || 'no lockfile'} · ${coverage}.`;
  const closed = r.incomplete.filter((i) => i.failClosed);
  const guard = guardRailHeadline(r, min);
  if (guard && !risky.length && (r.conclusion === 'failure' || r.conclusion === 'neutral')) {
    // a settings file, not a package, is what needs a reviewer
    return { icon: r.conclusion === 'failure' ? '❌' : '⚠️', title: `${guard[0]!.toUpperCase()}${guard.slice(1)}`, detail };
  }
  if (r.conclusion === 'failure' && !risky.length && closed.length) {
    // nothing risky was found, but part of the change could not be reviewed for a reason the PR can cause
    const one = closed[0]!;
    const first = one.lockfile !== undefined ? `${one.name}${one.version ? ` ${one.version}` : ''}: ${one.reason}` : one.reason;
    const why = closed.length === 1 ? first : `${plural(closed.length, 'package')} could not be reviewed (${first})`;
    return { icon: '❌', title: `Cannot pass: ${why}`, detail };
  }
  const waiting = cooldownTitle(r);
  if (waiting && !risky.length && !r.incomplete.length) {
    // only young releases stand between this change and a pass: say when that ends
    return { icon: r.conclusion === 'failure' ? '❌' : '⏳', title: waiting, detail };
  }
  if (r.conclusion === 'failure') {
    const first = top ? `: ${changeLabel(top)} (${top.severity})` : '';
    const also = guard ? `; ${guard}` : '';
    return {
      icon: '❌',
      title: `${plural(risky.length, 'risky package')} ${risky.length === 1 ? 'needs' : 'need'} review before merging${first}${also}`,
      detail,
    };
  }
  if (r.incomplete.length && !risky.length) {
    return { icon: '⚠️', title: `Review incomplete: ${plural(r.incomplete.length, 'package')} could not be checked against the registry`, detail };
  }
  if (r.incomplete.length) {
    return {
      icon: '⚠️',
      title: `Review incomplete: ${plural(r.incomplete.length, 'package')} could not be checked; ${plural(risky.length, 'package')} worth a look`,
      detail,
    };
  }
  if (r.conclusion === 'neutral' || risky.length) {
    return { icon: '⚠️', title: `${plural(risky.length, 'package')} worth a look${unchecked}`, detail };
  }
  if (n === 0) return { icon: '✅', title: 'No dependency changes', detail };
  return { icon: '✅', title: `No risky dependency changes (${plural(n, 'change')} reviewed)${unchecked}`, detail };
}
