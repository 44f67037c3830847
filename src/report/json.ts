/**
 * The JSON report: a stable contract other programs depend on.
 * `{"changes":[{"ecosystem","name","from","to","kind","lockfile","line","direct","via","findings":[...]}],
 *   "conclusion","incomplete":[{"name","version","reason"}]}` — later keys (summary, notes, unreviewed, cooldown, guardRails: see GuardRailReview) are additive.
 */
import type { ReviewResult } from '../model/index.js';

export function toJson(result: ReviewResult): unknown {
  return {
    changes: result.changes.map((c) => ({
      ecosystem: c.ecosystem,
      name: c.name,
      from: c.from,
      to: c.to,
      kind: c.kind,
      lockfile: c.lockfile,
      line: c.line,
      direct: c.direct,
      via: c.via,
      findings: c.findings.map((f) => ({
        signal: f.signal,
        severity: f.severity,
        message: f.message,
        evidence: f.evidence,
        ...(f.allowed ? { allowed: f.allowed } : {}),
      })),
      severity: c.severity,
      directOf: c.directOf,
      ...(c.source ? { source: c.source } : {}),
    })),
    conclusion: result.conclusion,
    incomplete: result.incomplete.map((i) => ({ name: i.name, version: i.version, reason: i.reason, ...(i.failClosed ? { failClosed: true } : {}) })),
    summary: result.summary,
    notes: result.notes,
    unreviewed: result.unreviewed ?? [],
    ...(result.cooldown ? { cooldown: result.cooldown } : {}),
    guardRails: result.guardRails ?? [],
  };
}

export function renderJson(result: ReviewResult): string {
  return `${JSON.stringify(toJson(result), null, 2)}\n`;
}
