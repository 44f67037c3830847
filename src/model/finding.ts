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
