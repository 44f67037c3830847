/**
 * The advisories of each change's new version: ONE batched lookup for the whole review (every source
 * at once, cached), then each change gets its list. Needs no packument: an offline review still asks
 * a local directory. A source without an answer is a note (the review says what it lacked), not a gap;
 * an internal error fails closed.
 */
import { advisoryKey, type AdvisoryClient, type AdvisoryLookup, type AdvisoryQuery, type Change, type ReviewNote } from '../../model/index.js';
import { normalizeName } from '../../versions/index.js';
import type { GatherContext, Gatherer } from './types.js';

export const advisoriesGatherer: Gatherer = {
  after: [],
  async start(subjects, ctx) {
    const client = ctx.advisories;
    const queries = subjects.flatMap((s) => queryOf(s.change) ?? []);
    if (!client || !queries.length) return async () => {};
    // not awaited here: the lookup runs while the other gatherers read the registry; each change's step waits for it
    const lookup = lookupAll(client, queries, ctx);
    return async ({ change, data }) => {
      const found = await lookup;
      const q = queryOf(change);
      const list = q && found ? found.results.get(advisoryKey(q)) : undefined;
      if (list) data.advisories = list;
    };
  },
};

/** The one lookup of the review, its gaps as notes; undefined after an internal error (which fails the review closed). */
async function lookupAll(client: AdvisoryClient, queries: AdvisoryQuery[], ctx: GatherContext): Promise<AdvisoryLookup | undefined> {
  try {
    const found = await client.lookup(queries, ctx.read, { offline: !ctx.clients.online, vulnerabilities: ctx.vulnerabilities !== false });
    report(found, ctx);
    return found;
  } catch (e) {
    ctx.incomplete.push({ name: 'advisories', version: null, reason: `advisory lookup: internal error: ${(e as Error).message}`, failClosed: true });
    return undefined;
  }
}

/** The version a change brings in (none for a removal). */
function queryOf(change: Change): AdvisoryQuery | undefined {
  if (change.kind === 'removed' || typeof change.to !== 'string' || change.to === '') return undefined;
  return { ecosystem: change.ecosystem, name: normalizeName(change.ecosystem, change.name), version: change.to };
}

/** Unavailable sources and dropped records become notes; an internal error fails the review closed. */
function report(lookup: AdvisoryLookup, ctx: GatherContext): void {
  const notes: ReviewNote[] = (ctx.notes ??= []);
  for (const gap of lookup.unavailable) {
    if (gap.internal) ctx.incomplete.push({ name: `advisories (${gap.source})`, version: null, reason: gap.reason, failClosed: true });
    notes.push({
      kind: 'advisories-unavailable',
      source: gap.source,
      reason: gap.reason,
      packages: gap.packages,
      message: `Advisory source ${SOURCE_NAMES[gap.source]} gave no answer${gap.packages ? ` for ${gap.packages} package version${gap.packages === 1 ? '' : 's'}` : ''} (${gap.reason}): known-malicious and known-vulnerability could not use what it knows.`,
    });
  }
  for (const d of lookup.dropped) {
    notes.push({
      kind: 'advisories-dropped',
      source: d.source,
      reason: 'malformed, or not about the version asked',
      packages: d.count,
      message: `${d.count} advisory record${d.count === 1 ? '' : 's'} from ${SOURCE_NAMES[d.source]} ${d.count === 1 ? 'was' : 'were'} dropped: malformed, or not about the version asked.`,
    });
  }
}

const SOURCE_NAMES = { osv: 'OSV', github: "GitHub's advisory database", local: 'the local advisory directory' } as const;
