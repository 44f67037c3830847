/** Pure: check-run annotations for weakened guard rails, on the settings file's line (failure at or above failOn). */
import { severityRank, type Severity } from '../model/index.js';
import type { ReviewResult } from '../core/review.js';
import type { Config } from '../policy/index.js';
import type { Annotation } from './api.js';

function level(s: Severity, config: Config): Annotation['annotation_level'] {
  if (severityRank(s) >= severityRank(config.failOn)) return 'failure';
  if (severityRank(s) >= severityRank(config.warnOn)) return 'warning';
  return 'notice';
}

/** At most this many weakenings are annotated (each is in the summary anyway): one file cannot cost thousands of API calls. */
export const MAX_GUARD_RAIL_ANNOTATIONS = 100;

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** One annotation per counted weakening, and one per settings file that could not be read. */
export function guardRailAnnotations(result: ReviewResult, config: Config): Annotation[] {
  const out: Annotation[] = [];
  const unreadable: Annotation[] = [];
  for (const g of result.guardRails ?? []) {
    for (const f of g.findings) {
      if (f.allowed) continue;
      // A removed setting has no head line: point at the top of the file, and say where it was.
      const line = f.change.side === 'head' ? f.change.line : 1;
      const was = f.change.side === 'base' ? ` (removed; it was line ${f.change.line} of the base file)` : '';
      out.push({
        path: g.file,
        start_line: line,
        end_line: line,
        annotation_level: level(f.severity, config),
        title: clip(`guard rail weakened: ${f.change.key} (${f.severity})`, 255),
        message: clip(`${f.message}${was}`, 4000),
      });
    }
    if (g.unreadable) {
      const line = g.unreadable.line ?? 1;
      unreadable.push({
        path: g.file,
        start_line: line,
        end_line: line,
        annotation_level: 'failure',
        title: 'lockwarden cannot read this settings file',
        message: clip(g.unreadable.message, 4000),
      });
    }
  }
  return [...unreadable, ...out].slice(0, MAX_GUARD_RAIL_ANNOTATIONS);
}
