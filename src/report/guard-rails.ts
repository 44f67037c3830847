/**
 * The "Guard rails" part of every report: settings files whose defences the change weakened (file:line,
 * before → after, why it matters), settings it tightened (good news, one line), lockwarden's own config
 * changed (for awareness) and settings files it could not read. Values are attacker text: escaped here.
 */
import { severityRank, type GuardRailChange, type GuardRailFinding, type GuardRailReview, type ReviewResult, type Severity } from '../model/index.js';
import { code, escapeText } from './escape.js';

/** Every guard-rail finding that counts (not accepted), worst first. */
export function guardRailFindings(r: ReviewResult, min: Severity = 'info'): GuardRailFinding[] {
  return (r.guardRails ?? [])
    .flatMap((g) => g.findings)
    .filter((f) => !f.allowed && severityRank(f.severity) >= severityRank(min))
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
}

/** `.npmrc line 2: ignore-scripts` (plain text; escape before rendering). */
export function guardRailLabel(f: GuardRailFinding): string {
  return `${f.evidence['file']} line ${f.change.line}: ${f.change.key}`;
}

/** The verdict's words for weakened guard rails: `guard rail weakened: .npmrc line 2: ignore-scripts (high)`, or undefined. */
export function guardRailHeadline(r: ReviewResult, min: Severity): string | undefined {
  const weak = guardRailFindings(r, min);
  if (!weak.length) return undefined;
  const first = `${guardRailLabel(weak[0]!)} (${weak[0]!.severity})`;
  return weak.length === 1 ? `guard rail weakened: ${first}` : `${weak.length} guard rails weakened, first ${first}`;
}

const ICON: Record<Severity, string> = { critical: '🔴', high: '🟠', medium: '🟡', low: '⚪', info: '⚪' };

function move(c: GuardRailChange, value: (s: string) => string): string {
  return `${c.before === null ? 'not set' : value(c.before)} → ${c.after === null ? 'removed' : value(c.after)}`;
}

function markdownWeakening(file: string, f: GuardRailFinding): string {
  const c = f.change;
  const where = `${code(file, 200)} line ${c.line}${c.side === 'base' ? ' (base)' : ''}`;
  const accepted = f.allowed ? ', accepted' : '';
  return `- ${ICON[f.severity]} **guard-rail-weakened** (${f.severity}${accepted}): ${where}: ${code(c.key, 200)} ${move(c, (s) => code(s, 200))}. Why this matters: ${escapeText(c.reason)}.`;
}

function markdownFile(g: GuardRailReview): string[] {
  const out = g.findings.map((f) => markdownWeakening(g.file, f));
  if (g.unreadable) out.push(`- ❌ ${code(g.file, 200)} cannot be read, so its guard rails are not reviewed: ${escapeText(g.unreadable.message)}`);
  for (const a of g.awareness ?? []) out.push(`- ℹ️ ${escapeText(a)}`);
  return out;
}

/** The Markdown section (empty when the change touched no settings file worth a word). */
export function guardRailsMarkdown(r: ReviewResult, level: number): string {
  const reviews = r.guardRails ?? [];
  const lines = reviews.flatMap(markdownFile);
  const good = reviews.flatMap((g) => g.tightened.map((c) => `${code(g.file, 200)} line ${c.line} ${code(c.key, 200)} ${move(c, (s) => code(s, 200))}`));
  if (good.length) lines.push(`- ✅ Good news, tightened: ${good.slice(0, 20).join('; ')}${good.length > 20 ? `; and ${good.length - 20} more` : ''}.`);
  if (!lines.length) return '';
  return [`${'#'.repeat(level)} Guard rails`, '', ...lines.slice(0, 200), ...(lines.length > 200 ? [`- … and ${lines.length - 200} more`] : [])].join('\n');
}

/** Plain lines for the terminal (`clean` strips control sequences); [] when nothing to say. */
export function guardRailsText(r: ReviewResult, clean: (s: string) => string): string[] {
  const out: string[] = [];
  for (const g of r.guardRails ?? []) {
    for (const f of g.findings) {
      const c = f.change;
      out.push(
        `${f.severity.toUpperCase().padEnd(8)} guard-rail-weakened ${clean(g.file)}:${c.line}  ${clean(c.key)} ${clean(move(c, (s) => s))}${f.allowed ? ' (accepted)' : ''}`,
      );
      out.push(`         why this matters: ${clean(c.reason)}`);
    }
    if (g.unreadable) out.push(`cannot read ${clean(g.file)}: ${clean(g.unreadable.message)}`);
    for (const a of g.awareness ?? []) out.push(`note: ${clean(a)}`);
    for (const c of g.tightened) out.push(`good news: ${clean(g.file)}:${c.line} ${clean(c.key)} ${clean(move(c, (s) => s))}`);
  }
  return out;
}
