/**
 * Each change's contents (npm and Python) analysed (src/content, in the engine's worker pool) as soon as its
 * archives are read, then the archives' texts dropped, so a review holds only a few changes' archives.
 * An analysis that does not finish (over the time budget, out of memory, a crash) fails the check
 * closed with a `content-not-analysed` note: the archive's contents caused it.
 */
import type { ArchiveContents, ArchiveFile } from '../../model/index.js';
import { unreadChangedCode } from '../../content/index.js';
import { releaseContext } from '../../signals/index.js';
import { withoutText } from '../content-transfer.js';
import { reportGaps } from './content-notes.js';
import { comparedContents } from './content-second-look.js';
import { limitHeldArchives, releaseArchives } from './content-hold.js';
import { CHANGES_HOLDING_ARCHIVES } from './contents.js';
import type { GatherContext, Gatherer, Subject } from './types.js';

/** Texts kept after the analysis: what the signals still read (manifest-mismatch reads package.json). */
const KEPT_TEXTS: ReadonlySet<string> = new Set(['package.json']);

export const contentAnalysisGatherer: Gatherer = {
  after: ['contents'],
  async start(_subjects, ctx) {
    // changes holding archives at once: enough to keep every archive read slot busy
    limitHeldArchives(ctx, CHANGES_HOLDING_ARCHIVES);
    return async (subject) => {
      try {
        await analyseOne(subject, ctx);
      } finally {
        dropTexts(subject);
        releaseArchives(subject);
      }
    };
  },
};

async function analyseOne(subject: Subject, ctx: GatherContext): Promise<void> {
  const { change } = subject;
  const to = change.to;
  const next = to === null ? undefined : subject.data.contents?.get(to);
  if (to === null || !next) return;
  const previous = comparedContents(subject.data.contents!, to) ?? null;
  failUnreadChanges(subject, previous, next, ctx);
  const analyser = ctx.contentAnalyser;
  // who published each version decides the same-publisher patch escalation (src/signals/content-release.ts)
  const release = releaseContext(subject.data.packument ?? null, to, previous?.version ?? null) ?? undefined;
  // a pool that throws (a thread that cannot start) is an internal error: the change fails closed
  const r = analyser
    ? await analyser
        .analyse({ previous, next, release, budgetMs: ctx.content!.timeBudgetMs, signal: ctx.read.signal })
        .catch((e: unknown) => ({ ok: false as const, reason: `internal error: ${(e as Error).message}` }))
    : { ok: false as const, reason: 'internal error: no analysis pool' };
  if (r.ok) {
    subject.data.contentAnalysis = { version: to, comparedWith: previous?.version ?? null, ...r.analysis };
    return;
  }
  reportGaps(ctx, change, [{ version: to, reason: r.reason, failClosed: true }]);
}

/** Changed code past the kept-text budget in a package that was read in full before: fails closed (src/content/unread.ts). */
function failUnreadChanges(subject: Subject, previous: ArchiveContents | null, next: ArchiveContents, ctx: GatherContext): void {
  const unread = unreadChangedCode(previous, next);
  if (unread.length === 0) return;
  const shown = unread.slice(0, 3).map((p) => JSON.stringify(p.slice(0, 120)));
  const more = unread.length > 3 ? ` and ${unread.length - 3} more` : '';
  const reason = `changed code over the kept-text budget, in a package whose previous version was read in full: ${shown.join(', ')}${more}`;
  reportGaps(ctx, subject.change, [{ version: next.version, reason, failClosed: true }]);
}

/** The analysis is stored: the archives keep their file lists and only the texts signals still read. */
function dropTexts(subject: Subject): void {
  const contents = subject.data.contents;
  if (!contents) return;
  const keep = (f: ArchiveFile): ArchiveFile => (f.text === undefined || KEPT_TEXTS.has(f.path) ? f : withoutText(f));
  subject.data.contents = new Map([...contents].map(([v, a]) => [v, { ...a, files: a.files.map(keep) }]));
}
