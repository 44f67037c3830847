/**
 * The review's evaluate step: the running signals on one change, with what was gathered for it, then
 * the policy (severity overrides, `off`, the allowlist). Signals a document cannot support are noted.
 */
import { coverageGaps, runSignals, timeSignalsSkipped, TIME_SIGNALS } from '../signals/index.js';
import { applyPolicy, escalateTooNew, maxSeverity, type Config } from '../policy/index.js';
import type { Change, PolicyFinding, ReviewedChange, SignalId, SignalInput } from '../model/index.js';
import type { NotEvaluated } from './document-notes.js';
import type { Subject } from './gatherers/index.js';

export interface Evaluation {
  now: Date;
  config: Config;
  /** The signals that run: the enabled ones and the inputs of enabled combiners. */
  running: ReadonlySet<SignalId>;
  /** Why signals were not evaluated, for the notes (filled here). */
  notEvaluated: NotEvaluated;
}

export function evaluate(subject: Subject, ev: Evaluation): ReviewedChange {
  const { change, data } = subject;
  const input: SignalInput = { change, now: ev.now, options: ev.config.thresholds, ...data };
  if (data.packument) noteCoverage(subject, input, ev.notEvaluated);
  const raw = runSignals(input, ev.running);
  const counted = applyPolicy(raw, { name: change.name, version: change.to ?? change.from, ecosystem: change.ecosystem }, ev.config, ev.now);
  const findings = escalateTooNew(counted, ev.config);
  return reviewedChange(change, findings);
}

/** Unusable publish times, or data the registry does not serve (publisher, maintainers, attestations): not a pass either. */
function noteCoverage(subject: Subject, input: SignalInput, notEvaluated: NotEvaluated): void {
  const timeReason = timeSignalsSkipped(input);
  if (timeReason !== undefined) {
    subject.partial = true;
    notEvaluated.add(TIME_SIGNALS, timeReason);
  }
  for (const gap of coverageGaps(input, timeReason !== undefined)) {
    subject.partial = true;
    notEvaluated.add(gap.signals, gap.reason);
  }
}

/** A change as reports see it: the diff's facts, the findings, and the source of the new version. */
function reviewedChange(change: Change, findings: PolicyFinding[]): ReviewedChange {
  const out: ReviewedChange = {
    ecosystem: change.ecosystem,
    name: change.name,
    from: change.from,
    to: change.to,
    kind: change.kind,
    lockfile: change.lockfile,
    line: change.line,
    direct: change.direct,
    directOf: change.directOf,
    via: change.via,
    findings,
    severity: maxSeverity(findings),
  };
  const src = (change.head ?? change.base)?.source;
  if (src) out.source = src.url !== undefined ? { type: src.type, url: src.url } : { type: src.type };
  return out;
}
