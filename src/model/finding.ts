/** What signals (src/signals) report and policy (src/policy) weighs: findings, their severity, the conclusion. */

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export interface Finding {
  signal: string;
  severity: Severity;
  message: string;
  evidence: Record<string, unknown>;
}

export type Conclusion = 'success' | 'neutral' | 'failure';

/** A finding after policy: severity overrides applied, and marked when an allow entry accepts it. */
export interface PolicyFinding extends Finding {
  /** Set when an allow entry (or an approval on the PR) accepts this finding: it no longer counts. */
  allowed?: { reason: string; by?: string; until?: string; line?: number };
}
