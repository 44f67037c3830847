/**
 * Pure: a review result → the check run's conclusion, title, summary and annotations.
 */
import { severityRank, type Severity } from '../model/index.js';
import type { ReviewResult, ReviewedChange } from '../core/review.js';
import type { Config } from '../policy/index.js';
import { changeLabel, escapeText, renderMarkdown, verdict } from '../report/index.js';
import type { Annotation, CheckRunOutput } from './api.js';
import { guardRailAnnotations } from './guard-rail-annotations.js';

export const CHECK_NAME = 'lockwarden';
/** GitHub's limits: 65,535 characters for summary and text, 255 for the title, 64 KB per annotation message. */
export const SUMMARY_LIMIT = 65_535;
export const TITLE_LIMIT = 255;
const ANNOTATION_MESSAGE_LIMIT = 60_000;
export const ANNOTATIONS_PER_REQUEST = 50;

function level(s: Severity): Annotation['annotation_level'] {
  if (severityRank(s) >= severityRank('high')) return 'failure';
  if (severityRank(s) >= severityRank('medium')) return 'warning';
  return 'notice';
}

export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function annotationFor(c: ReviewedChange): Annotation {
  const counted = c.findings.filter((f) => !f.allowed);
  const top = c.severity ?? 'info';
  const message = counted.map((f) => `[${f.severity}] ${f.signal}: ${f.message}`).join('\n');
  const details = JSON.stringify(
    counted.map((f) => ({ signal: f.signal, severity: f.severity, evidence: f.evidence })),
    null,
    1,
  );
  const a: Annotation = {
    path: c.lockfile,
    start_line: Math.max(1, c.line),
    end_line: Math.max(1, c.line),
    annotation_level: level(top),
    title: clip(`${changeLabel(c)}: ${top}`, 255),
    message: clip(message, ANNOTATION_MESSAGE_LIMIT),
  };
  if (details.length <= ANNOTATION_MESSAGE_LIMIT) a.raw_details = details;
  return a;
}

/** One annotation per change with counted findings at `low` or above, on its lockfile line, worst first. */
export function annotations(result: ReviewResult): Annotation[] {
  return result.changes
    .filter((c) => c.kind !== 'removed' && c.severity !== null && severityRank(c.severity) >= severityRank('low'))
    .sort((a, b) => severityRank(b.severity!) - severityRank(a.severity!) || a.lockfile.localeCompare(b.lockfile) || a.line - b.line)
    .map(annotationFor);
}

export interface CheckPlan {
  conclusion: 'success' | 'neutral' | 'failure';
  output: CheckRunOutput;
  /** Annotations beyond the first batch, to send in further updates of ANNOTATIONS_PER_REQUEST each. */
  moreAnnotations: Annotation[][];
}

export function planCheck(result: ReviewResult, config: Config, sha: string): CheckPlan {
  const v = verdict(result, config.warnOn);
  const summary = renderMarkdown(result, { maxBytes: SUMMARY_LIMIT - 200, minSeverity: config.warnOn, headingLevel: 3 });
  const all = [...guardRailAnnotations(result, config), ...annotations(result)];
  const batches: Annotation[][] = [];
  for (let i = 0; i < all.length; i += ANNOTATIONS_PER_REQUEST) batches.push(all.slice(i, i + ANNOTATIONS_PER_REQUEST));
  const [first = [], ...rest] = batches;
  return {
    conclusion: result.conclusion,
    output: {
      title: clip(v.title, TITLE_LIMIT),
      summary: `${summary}\n\n<sub>Reviewed commit ${sha.slice(0, 12)}.</sub>`,
      annotations: first,
    },
    moreAnnotations: rest,
  };
}

/**
 * The output of a check that could not review the change: says why, never claims success. `reason`
 * is plain text (it may name a file from the PR: escaped here); `detail` is Markdown, escaped by the caller.
 */
export function incompleteOutput(reason: string, detail?: string): CheckRunOutput {
  return {
    title: clip(`Review incomplete: ${reason}`, TITLE_LIMIT),
    summary: clip(
      `### ⚠️ lockwarden could not complete this review\n\n${escapeText(reason)}\n\n${detail ?? 'Re-run the check (or push again) once the problem is fixed.'}`,
      SUMMARY_LIMIT,
    ),
  };
}
