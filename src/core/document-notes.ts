/**
 * What the review says about registry documents it had to repair or could not fully use: a note per
 * repaired document, a note per reason signals were not evaluated (unusable publish times, or data the
 * registry does not serve: src/signals/coverage.ts), and the reason a
 * version under review cannot be analysed (a field a signal needs was dropped, or the version may be
 * among those a cap left unread). Attacker-controlled documents: those reasons fail the check.
 */
import { DOCUMENT_CAPS } from '../registry/packument.js';
import type { NotEvaluatedNote, Packument, RepairNote } from '../model/index.js';
import { TIME_SIGNALS } from '../signals/index.js';

/** Dropped fields of the version under review, and the signals that then cannot be evaluated. */
const NEEDED: ReadonlyArray<[RegExp, string]> = [
  [/^(scripts|gypfile|hasInstallScript)/, 'install-script-added, install-script-changed'],
  [/^dist(\.integrity)?$/, 'integrity-mismatch'],
  [/^dist\.attestations$/, 'trust-downgrade, provenance-source-changed'],
  [/^dependencies/, 'new-dependency'],
  // Python: a release whose file list was malformed
  [/^files$/, 'pth-file-added, sdist-only, install-hook-changed'],
];

/** Why name@version cannot be analysed from this document (fail closed), or undefined. */
export function targetDocumentProblem(packument: Packument, version: string): string | undefined {
  const meta = packument.versions.get(version);
  const r = packument.repairs;
  if (!meta) {
    const unread = (r?.skippedVersions ?? 0) + (r?.versionsOverCap ?? 0);
    if (unread === 0) return undefined;
    return `registry document: ${version} may be among ${unread} versions not read (malformed, or over the cap of ${DOCUMENT_CAPS.versions} versions / ${DOCUMENT_CAPS.keptBytes / 2 ** 20} MiB of kept data)`;
  }
  const dropped = meta.dropped ?? [];
  const fields = dropped.filter((f) => NEEDED.some(([re]) => re.test(f)));
  if (fields.length === 0) return undefined;
  const signals = [...new Set(fields.flatMap((f) => NEEDED.filter(([re]) => re.test(f)).map(([, s]) => s)))];
  return `registry document: ${fields.join(', ')} of ${version} malformed or over a cap; ${signals.join(', ')} not evaluated`;
}

export function repairNote(name: string, packument: Packument): RepairNote | undefined {
  const r = packument.repairs;
  if (!r) return undefined;
  const parts: string[] = [];
  if (r.droppedCount > 0) parts.push(`dropped ${r.dropped.slice(0, 5).join(', ')}${r.droppedCount > 5 ? ` and ${r.droppedCount - 5} more` : ''}`);
  if (r.versionsOverCap > 0)
    parts.push(
      `${r.versionsOverCap} versions not read (over the cap of ${DOCUMENT_CAPS.versions} versions or ${DOCUMENT_CAPS.keptBytes / 2 ** 20} MiB of kept data)`,
    );
  if (r.entriesOverCap > 0) parts.push(`${r.entriesOverCap} entries over a cap left out`);
  if (r.skippedVersions > 0) parts.push(`${r.skippedVersions} malformed versions skipped`);
  return {
    kind: 'registry-document-repaired',
    package: name,
    dropped: r.dropped,
    message: `The registry document of ${name} was repaired: ${parts.join('; ')}.`,
  };
}

/** Signals not evaluated for some packages, by reason: one note per (signals, reason), counting packages. */
export class NotEvaluated {
  private readonly byKey = new Map<string, { signals: readonly string[]; reason: string; packages: number }>();

  add(signals: readonly string[], reason: string): void {
    const key = `${signals.join(',')}\u0000${reason}`;
    const e = this.byKey.get(key);
    if (e) e.packages++;
    else this.byKey.set(key, { signals, reason, packages: 1 });
  }

  notes(): NotEvaluatedNote[] {
    return [...this.byKey.values()].map(({ signals, reason, packages }) => ({
      kind: 'signals-not-evaluated' as const,
      signals: [...signals],
      packages,
      reason,
      message: `${signals.join(', ')} not evaluated for ${packages} package${packages === 1 ? '' : 's'}: ${reason}.`,
    }));
  }
}

/** The time-based signals' notes: one per reason, with how many packages it covers. */
export function notEvaluatedNotes(reasons: ReadonlyMap<string, number>): NotEvaluatedNote[] {
  const acc = new NotEvaluated();
  for (const [reason, packages] of reasons) for (let i = 0; i < packages; i++) acc.add(TIME_SIGNALS, reason);
  return acc.notes();
}
