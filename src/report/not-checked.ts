/**
 * What a review did not check, in a few words for the headline: the signals of the
 * `signals-not-evaluated` notes grouped into topics a reviewer recognises, and why.
 */
import type { ReviewResult } from '../model/index.js';
import { NO_ATTESTATIONS, NO_MAINTAINERS, NO_PUBLISHER } from '../signals/coverage.js';

const TOPICS: ReadonlyArray<[string, readonly string[]]> = [
  ['publisher', ['publisher-changed']],
  ['maintainers', ['maintainers-changed']],
  ['provenance', ['trust-downgrade', 'provenance-source-changed']],
  ['release timing', ['release-too-new', 'dormant-revival', 'young-package']],
];

/** Reasons that mean the registry does not serve the data at all. */
const NOT_SERVED = new Set([NO_PUBLISHER, NO_MAINTAINERS, NO_ATTESTATIONS]);

function joinList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]!}`;
}

/** `publisher and provenance not checked for 3 packages: the registry does not publish them`, or undefined. */
export function notChecked(r: ReviewResult): string | undefined {
  const notes = r.notes.flatMap((n) => (n.kind === 'signals-not-evaluated' ? [n] : []));
  if (notes.length === 0) return undefined;
  const signals = new Set(notes.flatMap((n) => n.signals));
  const topics = TOPICS.filter(([, ids]) => ids.some((id) => signals.has(id))).map(([t]) => t);
  if (topics.length === 0) return undefined;
  const served = notes.every((n) => NOT_SERVED.has(n.reason));
  const why = served
    ? 'the registry does not publish them'
    : notes.every((n) => !NOT_SERVED.has(n.reason))
      ? 'the registry documents have no usable publish times'
      : 'see the notes';
  const n = r.summary.partiallyAnalysed ?? 0;
  const count = n > 0 ? ` for ${n} package${n === 1 ? '' : 's'}` : '';
  return `${joinList(topics)} not checked${count}: ${why}`;
}
