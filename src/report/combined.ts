/**
 * Combined findings (`possible-takeover`, `suspicious-new-package`) stand for other findings of the
 * same package: the report names those parts instead of repeating their evidence.
 */
import type { PolicyFinding } from '../model/index.js';

type Evidence = Record<string, unknown>;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

const COMBINED: Record<string, (e: Evidence, signals: readonly string[]) => string[]> = {
  'possible-takeover': (e) => strings(e['indicators']).map((i) => (i === 'added-dependencies' ? 'new dependencies' : i)),
  'suspicious-new-package': (_e, signals) => ['young-package', 'install-script-added', 'pth-file-added'].filter((p) => signals.includes(p)),
};

/** The indicators a combined finding stands for (by name), given the signals of its package; undefined for a plain finding. */
export function combinedParts(finding: Pick<PolicyFinding, 'signal' | 'evidence'>, signals: readonly string[]): string[] | undefined {
  return COMBINED[finding.signal]?.(finding.evidence, signals);
}
