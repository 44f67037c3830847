/** The `content-not-analysed` notes of one package: a whole archive not read, or parts of one. */
import type { Change, ContentNote, ContentSkip } from '../../model/index.js';
import type { GatherContext } from './types.js';

export interface ContentGap {
  version: string;
  /** The archive was not read, and why. */
  reason?: string;
  failClosed?: boolean;
  /** Not read by the registry's shape (no dist.tarball, another origin): a note only. */
  noteOnly?: boolean;
  /** The archive was read, but these members were not (or only in part). */
  partial?: readonly ContentSkip[];
}

const SHOWN = 3;

/**
 * Says what a change's content step did not read: each archive not read makes the review incomplete
 * (failing it closed when the archive itself caused it; a registry-shape gap is a note only), and
 * every gap, whole or partial, is a note.
 */
export function reportGaps(ctx: GatherContext, change: Change, gaps: readonly ContentGap[]): void {
  for (const g of gaps) {
    if (g.reason === undefined || g.noteOnly) continue;
    ctx.incomplete.push({
      name: change.name,
      version: g.version,
      reason: `content not analysed: ${g.reason}`,
      lockfile: change.lockfile,
      ...(g.failClosed ? { failClosed: true } : {}),
    });
  }
  (ctx.notes ??= []).push(...skipNotes(change.name, gaps));
}

function skipNotes(name: string, gaps: readonly ContentGap[]): ContentNote[] {
  return gaps.map((g) => {
    const reason = g.reason ?? partialReason(g.partial ?? []);
    const what = g.reason !== undefined ? 'was not analysed' : 'was analysed in part';
    return { kind: 'content-not-analysed', package: name, version: g.version, reason, message: `The archive of ${name}@${g.version} ${what}: ${reason}.` };
  });
}

function partialReason(skips: readonly ContentSkip[]): string {
  const shown = skips.slice(0, SHOWN).map((s) => (s.path !== undefined ? `${JSON.stringify(s.path.slice(0, 120))}: ${s.reason}` : s.reason));
  const more = skips.length > SHOWN ? `; and ${skips.length - SHOWN} more` : '';
  return `${skips.length} member${skips.length === 1 ? '' : 's'} not read in full (${shown.join('; ')}${more})`;
}
