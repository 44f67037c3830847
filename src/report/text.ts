/** Terminal output. Colour only when asked (the CLI asks when stdout is a TTY and NO_COLOR is unset). */
import type { ReviewedChange, ReviewResult, Severity } from '../model/index.js';
import { oneLine } from './escape.js';
import { changeLabel, riskyChanges, routineChanges, verdict } from './common.js';
import { byLockfile } from './by-lockfile.js';
import { combinedParts } from './combined.js';
import { cooldownLines } from './cooldown.js';
import { evidenceLines, type EvidenceFormat } from './evidence.js';
import { scriptBlocks } from './scripts.js';
import { guardRailsText } from './guard-rails.js';

const COLORS: Record<Severity | 'bold' | 'dim' | 'green', [number, number]> = {
  critical: [91, 39],
  high: [31, 39],
  medium: [33, 39],
  low: [36, 39],
  info: [2, 22],
  bold: [1, 22],
  dim: [2, 22],
  green: [32, 39],
};

export interface TextOptions {
  color?: boolean;
  minSeverity?: Severity;
}

/** Strip terminal control sequences from untrusted text (a package name must not repaint the terminal). */
function clean(s: string): string {
  // eslint-disable-next-line no-control-regex
  return oneLine(s.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '')).replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

export function renderText(result: ReviewResult, opts: TextOptions = {}): string {
  const paint = (k: keyof typeof COLORS, s: string) => (opts.color ? `\u001b[${COLORS[k][0]}m${s}\u001b[${COLORS[k][1]}m` : s);
  const min = opts.minSeverity ?? 'medium';
  const v = verdict(result, min);
  const lines: string[] = [];
  const tag = result.conclusion === 'failure' ? paint('critical', 'FAIL') : result.conclusion === 'neutral' ? paint('medium', 'WARN') : paint('green', 'PASS');
  lines.push(`${paint('bold', 'lockwarden')} ${tag} ${clean(v.title)}`);
  lines.push(paint('dim', clean(v.detail)));
  for (const i of result.incomplete)
    lines.push(`${paint('medium', 'not analysed')} ${clean(i.name)}${i.version ? `@${clean(i.version)}` : ''}: ${clean(i.reason)}`);
  for (const line of cooldownLines(result, min, clean)) lines.push(`${paint('medium', 'cooldown')} ${line}`);
  // what the registry documents did not allow (repairs, signals not evaluated) belongs with the verdict
  for (const n of result.notes)
    if (n.kind === 'registry-document-repaired' || n.kind === 'signals-not-evaluated') lines.push(`${paint('medium', 'note')} ${clean(n.message)}`);
  for (const u of result.unreviewed ?? [])
    lines.push(`${paint('low', 'not pinned')} ${clean(u.name)} (${clean(u.lockfile)}:${u.line}): ${clean(u.reason)}, not reviewed`);
  const guard = guardRailsText(result, clean);
  if (guard.length) lines.push('', paint('bold', 'Guard rails:'), ...guard);
  for (const c of riskyChanges(result, min)) {
    lines.push('');
    lines.push(renderChange(c, paint));
  }
  const routine = routineChanges(result, min);
  if (routine.length) {
    lines.push('');
    lines.push(paint('dim', `${routine.length} routine change${routine.length === 1 ? '' : 's'}:`));
    // several lockfiles (the CLI's --git and directory forms): each group under its lockfile's name
    const groups = byLockfile(routine);
    for (const g of groups) {
      const indent = groups.length > 1 ? '    ' : '  ';
      if (groups.length > 1) lines.push(paint('dim', `  ${clean(g.lockfile)}:`));
      for (const c of g.changes) {
        const notes = c.findings.map((f) => f.signal).join(', ');
        lines.push(paint('dim', `${indent}${clean(changeLabel(c))}${notes ? `  [${clean(notes)}]` : ''}`));
      }
    }
  }
  for (const n of result.notes)
    if (n.kind !== 'registry-document-repaired' && n.kind !== 'signals-not-evaluated') lines.push(paint('medium', `note: ${clean(n.message)}`));
  return `${lines.join('\n')}\n`;
}

function renderChange(c: ReviewedChange, paint: (k: keyof typeof COLORS, s: string) => string): string {
  const sev = c.severity ?? 'info';
  const where = c.direct ? 'direct' : c.via.length ? `via ${c.via.map(clean).join(' > ')}` : 'transitive';
  const out = [`${paint(sev, sev.toUpperCase().padEnd(8))} ${paint('bold', clean(changeLabel(c)))}  ${clean(c.lockfile)}:${c.line}  ${where}`];
  const signals = c.findings.map((f) => f.signal);
  const values: EvidenceFormat = { value: (s) => clean(s.length > 160 ? `${s.slice(0, 160)}…` : s) };
  for (const f of c.findings) {
    const parts = combinedParts(f, signals);
    const combines = parts?.length ? ` Combines ${parts.map(clean).join(', ')}.` : '';
    out.push(`  ${paint(f.severity, f.severity.padEnd(8))} ${clean(f.signal)}${f.allowed ? ' (accepted)' : ''}: ${clean(f.message)}${combines}`);
    for (const line of evidenceLines(f, values)) out.push(paint('dim', `           ${line}`));
  }
  // the payload, once per package, each line cleaned (a script must not repaint the terminal)
  for (const b of scriptBlocks(c.findings)) {
    out.push(paint('dim', `  ${b.title}:`));
    const lines = b.body.split('\n');
    for (const l of lines.slice(0, 20)) out.push(`    ${clean(l.length > 200 ? `${l.slice(0, 200)}…` : l)}`);
    if (lines.length > 20) out.push(paint('dim', `    … ${lines.length - 20} more lines`));
  }
  return out.join('\n');
}
