/**
 * Markdown report: what a reviewer sees in the PR comment and the check run summary.
 * Verdict and one line per risky package first, then each package's findings one line each with
 * its install scripts in view and the evidence in words collapsed; routine changes collapsed.
 * Every value from a lockfile or a registry goes through ./escape.ts.
 */
import { severityRank, type PolicyFinding, type ReviewedChange, type ReviewResult, type Severity } from '../model/index.js';
import { byLockfile } from './by-lockfile.js';
import { code, codeBlock, escapeText } from './escape.js';
import { changeLabel, isRisky, riskyChanges, routineChanges, verdict } from './common.js';
import { groupSiblings, isGroup, type SiblingGroup } from './siblings.js';
import { combinedParts } from './combined.js';
import { cooldownMarkdown } from './cooldown.js';
import { evidenceLines, type EvidenceFormat } from './evidence.js';
import { scriptBlocks } from './scripts.js';
import { filesChangedMarkdown } from './files-changed.js';
import { guardRailsMarkdown } from './guard-rails.js';

export const SEVERITY_ICON: Record<Severity, string> = {
  critical: '🔴',
  high: '🟠',
  medium: '🟡',
  low: '⚪',
  info: '⚪',
};

export interface MarkdownOptions {
  /** Hard limit on the UTF-8 size of the output (GitHub: 65,535 for comments and check summaries). */
  maxBytes?: number;
  /** Hide changes whose highest finding is below this severity from the risky list (they go to routine). */
  minSeverity?: Severity;
  /** Heading level of the verdict line (default 2). */
  headingLevel?: number;
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

function changeText(c: ReviewedChange): string {
  const where = c.direct ? 'direct' : c.via.length ? `via ${c.via.map((v) => code(v, 80)).join(' › ')}` : 'transitive';
  switch (c.kind) {
    case 'added':
      return `new ${code(c.to ?? '')} (${where})`;
    case 'removed':
      return `removed ${code(c.from ?? '')}`;
    case 'source-changed':
      return `${code(c.to ?? '')} from a different source (${where})`;
    default:
      return `${code(c.from ?? '')} → ${code(c.to ?? '')} (${where})`;
  }
}

const MD_VALUES: EvidenceFormat = { value: (s) => code(s, 200) };

/** One line per finding; a combined finding names the indicators it stands for instead of repeating them. */
function findingLine(f: PolicyFinding, signals: readonly string[]): string {
  const parts = combinedParts(f, signals);
  const combines = parts?.length ? ` Combines ${parts.map((p) => escapeText(p)).join(', ')}.` : '';
  const line = `- ${SEVERITY_ICON[f.severity]} **${escapeText(f.signal)}** (${f.severity}${f.allowed ? ', accepted' : ''}): ${escapeText(f.message)}${combines}`;
  if (!f.allowed) return line;
  const a = f.allowed;
  return `${line}
  - accepted${a.by ? ` by ${escapeText(a.by)}` : ''}: ${escapeText(a.reason)}${a.until ? ` (until ${escapeText(a.until)})` : ''}`;
}

/** The findings in one line each, the install scripts in view (once), the evidence in words collapsed. */
export function renderFindings(findings: readonly PolicyFinding[]): string {
  const signals = findings.map((f) => f.signal);
  const out = [findings.map((f) => findingLine(f, signals)).join('\n')];
  const blocks = scriptBlocks(findings).map((b) => ({ ...b, md: `${escapeText(b.title)}:\n${codeBlock(b.body, 2000)}` }));
  for (const b of blocks) if (b.inView) out.push(b.md);
  const evidence = findings.flatMap((f) => {
    const lines = evidenceLines(f, MD_VALUES);
    return lines.length ? [`- **${escapeText(f.signal)}**: ${lines.join('; ')}`] : [];
  });
  const collapsed = blocks.filter((b) => !b.inView).map((b) => b.md);
  const inside = [...(evidence.length ? [evidence.join('\n')] : []), ...collapsed];
  if (inside.length) out.push(`<details><summary>evidence</summary>\n\n${inside.join('\n\n')}\n</details>`);
  const files = filesChangedMarkdown(findings);
  if (files) out.push(files);
  return out.join('\n\n');
}

export function renderChangeSection(c: ReviewedChange, level: number): string {
  const sev = c.severity ?? 'info';
  const source = c.source && c.source.type !== 'registry' ? ` · source: ${code(c.source.type)}${c.source.url ? ` ${code(c.source.url, 200)}` : ''}` : '';
  const title = `${'#'.repeat(level)} ${SEVERITY_ICON[sev]} ${code(c.name, 120)} ${changeText(c)} · ${code(c.lockfile, 200)} line ${c.line}${source}`;
  return [title, renderFindings(c.findings)].join('\n');
}

function countedSignals(c: ReviewedChange): string[] {
  return c.findings.filter((f) => !f.allowed && severityRank(f.severity) >= severityRank('low')).map((f) => escapeText(f.signal));
}

/** One section for siblings: every member with its place, then the first member's findings. */
function renderGroupSection(g: SiblingGroup, level: number): string {
  const first = g.members[0]!;
  const sev = first.severity ?? 'info';
  const title = `${'#'.repeat(level)} ${SEVERITY_ICON[sev]} ${code(g.pattern, 120)} (${g.members.length}) ${code(first.to ?? '', 100)}: ${countedSignals(first).join(', ')}`;
  const shown = g.members.slice(0, 50).map((c) => `${code(c.name, 120)} (${code(c.lockfile, 200)} line ${c.line})`);
  const more = g.members.length > 50 ? ` and ${g.members.length - 50} more` : '';
  const list = `${g.members.length} packages with the same findings: ${shown.join(', ')}${more}. The first of them:`;
  return [title, list, '', renderFindings(first.findings)].join('\n');
}

export function renderMarkdown(result: ReviewResult, opts: MarkdownOptions = {}): string {
  const maxBytes = opts.maxBytes ?? 65_000;
  const level = opts.headingLevel ?? 2;
  const min = opts.minSeverity ?? 'medium';
  const risky = riskyChanges(result, min);
  const routine = routineChanges(result, min);
  const v = verdict(result, min);

  const head: string[] = [`${'#'.repeat(level)} ${v.icon} lockwarden: ${escapeText(v.title)}`, '', escapeText(v.detail)];
  if (result.incomplete.length) {
    head.push('', `**Not analysed (${result.incomplete.length}):** the registry could not be read or used for these, so this review cannot pass cleanly.`);
    for (const i of result.incomplete.slice(0, 20)) head.push(`- ${code(i.name)}${i.version ? ` ${code(i.version)}` : ''}: ${escapeText(i.reason)}`);
    if (result.incomplete.length > 20) head.push(`- … and ${result.incomplete.length - 20} more`);
  }
  head.push(...cooldownMarkdown(result, min));
  // sibling packages with the same verdict (platform builds a mirror lacks) read as one entry
  const entries = groupSiblings(risky);
  if (entries.length) {
    head.push('', '| | Package | Change | Signals |', '|---|---|---|---|');
    for (const e of entries.slice(0, 30)) {
      const c = isGroup(e) ? e.members[0]! : e;
      const name = isGroup(e) ? `${code(e.pattern, 100)} (${e.members.length})` : code(c.name, 100);
      const change = isGroup(e) ? code(c.to ?? '') : changeText(c);
      head.push(`| ${SEVERITY_ICON[c.severity!]} ${c.severity} | ${name} | ${change} | ${countedSignals(c).join(', ')} |`);
    }
    if (entries.length > 30) head.push(`| | … ${entries.length - 30} more below | | |`);
  }
  const guard = guardRailsMarkdown(result, level + 1);
  if (guard) head.push('', guard);
  for (const n of result.notes) head.push('', `> ${escapeText(n.message)}${n.line ? ` (config line ${n.line})` : ''}`);
  const unreviewed = result.unreviewed ?? [];
  if (unreviewed.length) {
    const shown = unreviewed.slice(0, 10).map((u) => `${code(u.name, 100)} (${code(u.lockfile, 200)} line ${u.line}: ${escapeText(u.reason)})`);
    const more = unreviewed.length > 10 ? ` and ${unreviewed.length - 10} more` : '';
    head.push(
      '',
      `> ${unreviewed.length} requirement${unreviewed.length === 1 ? ' was' : 's were'} not reviewed (not pinned to one version): ${shown.join(', ')}${more}.`,
    );
  }

  const tail = renderRoutine(routine);
  const sections = entries.map((e) => (isGroup(e) ? renderGroupSection(e, level + 1) : renderChangeSection(e, level + 1)));
  // Assemble within the byte budget, cutting whole sections and saying what was cut.
  let out = head.join('\n');
  let shown = 0;
  const reserve = 400;
  for (const s of sections) {
    if (bytes(out) + bytes(s) + 2 + reserve > maxBytes) break;
    out += `\n\n${s}`;
    shown++;
  }
  if (shown < sections.length) {
    out += `\n\n> ✂️ ${sections.length - shown} more risky package${sections.length - shown === 1 ? '' : 's'} not shown here (output limit). Run \`lockwarden review --format json\` or see the check run annotations for all of them.`;
  }
  if (tail && bytes(out) + bytes(tail) + 2 <= maxBytes) out += `\n\n${tail}`;
  else if (tail) out += `\n\n> ✂️ ${routine.length} routine changes not listed (output limit).`;
  return truncateUtf8(out, maxBytes);
}

function renderRoutine(routine: readonly ReviewedChange[]): string {
  if (!routine.length) return '';
  // several lockfiles (the CLI's --git and directory forms): a row naming each lockfile before its changes
  const groups = byLockfile(routine.slice(0, 300));
  const rows = groups.flatMap((g) => [
    ...(groups.length > 1 ? [`| **${code(g.lockfile, 200)}** | | |`] : []),
    ...g.changes.map((c) => {
      const notes = c.findings.map((f) => `${escapeText(f.signal)}${f.allowed ? ' (accepted)' : ''}`).join(', ');
      return `| ${code(c.name, 100)} | ${changeText(c)} | ${notes || '—'} |`;
    }),
  ]);
  if (routine.length > 300) rows.push(`| … ${routine.length - 300} more | | |`);
  return [
    `<details><summary>${routine.length} routine change${routine.length === 1 ? '' : 's'}</summary>`,
    '',
    '| Package | Change | Notes |',
    '|---|---|---|',
    ...rows,
    '',
    '</details>',
  ].join('\n');
}

/** Cut at a UTF-8 boundary, never inside a multi-byte character. */
export function truncateUtf8(s: string, maxBytes: number): string {
  if (bytes(s) <= maxBytes) return s;
  const note = '\n\n> ✂️ truncated (output limit)';
  const buf = Buffer.from(s, 'utf8').subarray(0, Math.max(0, maxBytes - bytes(note)));
  let text = buf.toString('utf8');
  if (text.endsWith('\ufffd')) text = text.slice(0, -1);
  return text + note;
}

export { isRisky, changeLabel };
