/** The review's last step: the summary, the notes and the conclusion, from what was gathered and evaluated. */
import { allowNotes, conclude, cooldownHold, type Config } from '../policy/index.js';
import type {
  GuardRailReview,
  Incomplete,
  PolicyFinding,
  Packument,
  ReviewedChange,
  ReviewNote,
  ReviewResult,
  ReviewSummary,
  Severity,
  Unreviewed,
} from '../model/index.js';
import { needsRegistry } from './cap.js';
import type { ReviewClients } from './clients.js';
import { repairNote, type NotEvaluated } from './document-notes.js';
import type { Subject } from './gatherers/index.js';
import { weakIntegrityNotes } from './weak-integrity.js';

export interface Outcome {
  lockfiles: string[];
  subjects: readonly Subject[];
  reviewed: ReviewedChange[];
  incomplete: Incomplete[];
  unreviewed: Unreviewed[];
  notEvaluated: NotEvaluated;
  /** The registry documents read, by key. */
  documents: ReadonlyMap<string, Packument | null>;
  clients: ReviewClients;
  config: Config;
  now: Date;
  /** The settings files compared (src/core/guard-rails.ts): their findings count like any other. */
  guardRails?: GuardRailReview[];
  /** Notes of the gather step (advisory sources unavailable). */
  notes?: readonly ReviewNote[] | undefined;
}

/** Every finding the conclusion weighs: the packages' and the settings files'. */
export function reviewFindings(r: Pick<ReviewResult, 'changes' | 'guardRails'>): PolicyFinding[] {
  return [...r.changes.flatMap((c) => c.findings), ...(r.guardRails ?? []).flatMap((g) => g.findings)];
}

export function concludeReview(o: Outcome): ReviewResult {
  const all = reviewFindings({ changes: o.reviewed, guardRails: o.guardRails });
  o.incomplete.sort((a, b) => a.name.localeCompare(b.name) || String(a.version).localeCompare(String(b.version)));
  const changes = o.subjects.map((s) => s.change);
  const cooldown = cooldownHold(o.reviewed, o.config);
  return {
    changes: o.reviewed,
    conclusion: conclude(all, o.incomplete.length, o.config, o.incomplete.filter((i) => i.failClosed).length),
    incomplete: o.incomplete,
    summary: summarize(o),
    notes: [...documentNotes(o.documents), ...o.notEvaluated.notes(), ...weakIntegrityNotes(changes), ...(o.notes ?? []), ...allowNotes(o.config, o.now)],
    unreviewed: o.unreviewed,
    ...(cooldown ? { cooldown } : {}),
    ...(o.guardRails?.length ? { guardRails: o.guardRails } : {}),
  };
}

/** What the review covered; `analysed` counts changes whose registry document was read and usable (or not needed). */
function summarize(o: Outcome): ReviewSummary {
  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const c of o.reviewed) if (c.severity) bySeverity[c.severity]++;
  const needing = o.subjects.filter((s) => needsRegistry(s.change));
  const checked = o.clients.online ? needing.filter((s) => s.status === 'read' || s.status === 'none') : [];
  const partially = checked.filter((s) => s.partial).length;
  const summary: ReviewSummary = {
    lockfiles: o.lockfiles,
    changes: o.reviewed.length,
    needsRegistry: needing.length,
    analysed: checked.length - partially,
    partiallyAnalysed: partially,
    offline: !o.clients.online,
    bySeverity,
  };
  const requests = o.clients.requests();
  if (requests !== undefined) summary.registryRequests = requests;
  return summary;
}

/** A note for every document that had to be repaired, by package name. */
function documentNotes(documents: ReadonlyMap<string, Packument | null>): ReviewNote[] {
  const out: ReviewNote[] = [];
  for (const p of documents.values()) {
    const note = p ? repairNote(p.name, p) : undefined;
    if (note) out.push(note);
  }
  return out;
}
