/** The `content-not-analysed` notes of one package: a whole archive not read, or parts of one. */
import type { ContentNote, ContentSkip } from '../../model/index.js';

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

export function skipNotes(name: string, gaps: readonly ContentGap[]): ContentNote[] {
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
