/**
 * The verified contents of each change's new version and of the version it is compared with (the base
 * version of an upgrade, else the previous release in line or time): npm here, Python in
 * ./python-contents.ts. The first archives are read ahead of their documents (./content-read-ahead.ts);
 * reads stay within 48 MiB of declared archive bytes (./archive-bytes.ts); four npm and four Python
 * changes hold archives at once (./content-hold.ts), and changed code a first read left past its text
 * budget is read again (./content-second-look.ts); each package within `content.timeBudgetMs`, the
 * wait for memory not counted. Whatever is not read is a `content-not-analysed` note; a refused
 * archive also fails the check closed.
 */
import type { ArchiveAdmission, ArchiveContents, Change, ContentsRequest, ContentsResult, Packument, RegistryClient } from '../../model/index.js';
import { withoutRepeatedTexts } from '../../content/index.js';
import { history } from '../../signals/index.js';
import { Limiter } from '../../registry/http.js';
import { ARCHIVE_BYTES_AT_ONCE, ByteGate, PausableBudget } from './archive-bytes.js';
import { holdArchives, releaseArchives } from './content-hold.js';
import { lockfileWants, readAhead } from './content-read-ahead.js';
import { comparedContents, secondLook } from './content-second-look.js';
import { reportGaps, type ContentGap } from './content-notes.js';
import { gatherPythonContents } from './python-contents.js';
import { thrownRead } from './read-gap.js';
import type { GatherContext, Gatherer, Subject } from './types.js';

/** Archive reads at once per review, and archives read ahead of their documents. */
export const CONTENT_CONCURRENCY = 24;
/**
 * Changes holding archives at once, per ecosystem (each reads its new and its compared archive): their
 * texts wait for the analysis, so this bounds the texts a review holds (read-ahead keeps a routine
 * bump from waiting on it: its archives are in before the changes take their places).
 */
export const CHANGES_HOLDING_ARCHIVES = { npm: 4, pypi: 4 } as const;
/** Changes taking a second look at once (./content-second-look.ts): each holds more text meanwhile. */
export const SECOND_LOOKS_AT_ONCE = 2;

export const contentsGatherer: Gatherer = {
  after: ['packument'],
  async start(subjects, ctx) {
    const limiter = new Limiter(CONTENT_CONCURRENCY);
    const gate = new ByteGate(ARCHIVE_BYTES_AT_ONCE);
    const looks = new Limiter(SECOND_LOOKS_AT_ONCE);
    readAhead(subjects, ctx, CONTENT_CONCURRENCY);
    return async (subject) => {
      if (!wanted(subject, ctx)) return;
      const python = subject.change.ecosystem === 'pypi' ? ctx.clients.python : null;
      const client = ctx.clients.registry;
      if (!python && (subject.change.ecosystem !== 'npm' || !client?.getContents)) return;
      // with content analysis running, a change waits for a place before holding archives (./content-hold.ts)
      await holdArchives(ctx, subject);
      try {
        if (python) await gatherPythonContents(subject, python, contentVersions(subject.change, subject.data.packument!), limiter, ctx);
        else await gatherOne(subject, client!, { limiter, gate, looks }, ctx);
      } catch (e) {
        // a bug: the analysis step after this one will not run, so the place is given back here
        releaseArchives(subject);
        throw e;
      }
    };
  },
};

function wanted(s: Subject, ctx: GatherContext): boolean {
  return lockfileWants(s.change, ctx) && s.status === 'read' && s.data.packument !== null && s.data.packument !== undefined;
}

/** The versions to read: the new one, then the one it is compared with (when the registry has it). */
export function contentVersions(change: Change, packument: Packument): string[] {
  const to = change.to as string;
  const from =
    change.from !== null && change.from !== to && packument.versions.has(change.from) ? change.from : history.previousInLineOrTime(packument, to)?.meta.version;
  return from !== undefined && from !== to ? [to, from] : [to];
}

async function gatherOne(
  subject: Subject,
  client: RegistryClient,
  at: { limiter: Limiter; gate: ByteGate; looks: Limiter },
  ctx: GatherContext,
): Promise<void> {
  const { change } = subject;
  const packument = subject.data.packument as Packument;
  const ms = ctx.content!.timeBudgetMs;
  // the package's budget runs from its first archive's slot, stopped while an archive waits for memory
  const budget = new PausableBudget(ms);
  const signal = ctx.read.signal ? AbortSignal.any([ctx.read.signal, budget.signal]) : budget.signal;
  const admission: ArchiveAdmission = {
    tryTake: (bytes) => at.gate.tryTake(bytes),
    take: async (bytes) => {
      const resume = budget.pause();
      try {
        return await at.gate.take(bytes, signal);
      } finally {
        resume();
      }
    },
  };
  const contents = (subject.data.contents ??= new Map<string, ArchiveContents>());
  const read = (version: string, textOf?: readonly string[], maxTotalTextBytes?: number): Promise<ContentsResult> => {
    const base = requestFor(change, packument, version, ctx);
    const req = textOf ? { ...base, textOf, limits: { ...base.limits, ...(maxTotalTextBytes !== undefined ? { maxTotalTextBytes } : {}) } } : base;
    const run = (): Promise<ContentsResult> => {
      budget.begin();
      return client.getContents!(req, { signal, admission });
    };
    return at.limiter.run(run, ctx.read.signal).catch(thrownRead);
  };
  const versions = contentVersions(change, packument);
  const results = await Promise.all(versions.map((version) => read(version)));
  versions.forEach((version, i) => {
    const r = results[i]!;
    if (r.ok) contents.set(version, r.contents);
  });
  // a second look cut by the review leaves the first reads as they were (their cut files reported)
  await at.looks.run(() => secondLook(contents, change.to!, read), ctx.read.signal).catch(() => undefined);
  keepTextsOnce(contents, change.to!);
  budget.end();
  reportGaps(ctx, change, gapsOf(versions, results, contents, budget.signal.aborted && !ctx.read.signal?.aborted, ms));
}

/** The new version's unchanged files give up the text the compared version holds too (src/content/repeated-texts.ts). */
function keepTextsOnce(contents: Map<string, ArchiveContents>, to: string): void {
  const next = contents.get(to);
  const previous = comparedContents(contents, to);
  if (next && previous) contents.set(to, withoutRepeatedTexts(previous, next));
}

/** What each version's read left out: the skipped parts of what was read (after the second look), or why it was not. */
function gapsOf(versions: string[], results: ContentsResult[], contents: ReadonlyMap<string, ArchiveContents>, overBudget: boolean, ms: number): ContentGap[] {
  return versions.flatMap((version, i): ContentGap[] => {
    const r = results[i]!;
    const read = contents.get(version);
    if (r.ok) return read?.skipped.length ? [{ version, partial: read.skipped }] : [];
    if (overBudget) return [{ version, reason: `over the content time budget (${ms} ms)` }];
    return [{ version, reason: r.reason, ...(r.failClosed ? { failClosed: true } : {}), ...(r.noteOnly ? { noteOnly: true } : {}) }];
  });
}

/** What to ask for one version: the registry's URL and digests, and the lockfile's integrity for that side. */
function requestFor(change: Change, packument: Packument, version: string, ctx: GatherContext): ContentsRequest {
  const meta = packument.versions.get(version);
  const side = change.head?.version === version ? change.head : change.base?.version === version ? change.base : undefined;
  const c = ctx.content!;
  return {
    name: change.name,
    version,
    tarball: meta?.tarball,
    integrity: meta?.integrity,
    shasum: meta?.shasum,
    lockIntegrity: side?.integrity,
    limits: { maxArchiveBytes: c.maxArchiveBytes, maxUnpackedBytes: c.maxUnpackedBytes, maxFiles: c.maxFiles },
  };
}
