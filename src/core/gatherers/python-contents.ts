/**
 * Python: the contents of a change's new release and of the release it is compared with, read by the
 * index client as one pair (a wheel's members are fetched only where the two RECORDs differ). The
 * same slots and per-package time budget as npm (./contents.ts); one note says which files were compared.
 */
import type { ArchiveContents, Change, ContentComparedNote, Packument, PythonContentsResult, PythonIndexClient } from '../../model/index.js';
import type { Limiter } from '../../registry/http.js';
import { type ContentGap, reportGaps } from './content-notes.js';
import { chooseDists } from './python-dist-choice.js';
import { thrownRead } from './read-gap.js';
import type { GatherContext, Subject } from './types.js';

export async function gatherPythonContents(
  subject: Subject,
  client: PythonIndexClient,
  versions: string[],
  limiter: Limiter,
  ctx: GatherContext,
): Promise<void> {
  const { change } = subject;
  if (!client.getDistContents) return;
  const sides = chooseDists(change, subject.data.packument as Packument, versions);
  if (!sides) {
    // nothing to read is said, never a silent pass (a note: the index's shape, not the attacker's file)
    reportGaps(ctx, change, [{ version: versions[0]!, reason: 'the index lists no wheel or sdist for it', noteOnly: true }]);
    return;
  }
  const c = ctx.content!;
  const request = {
    name: change.name,
    ...sides,
    limits: { maxArchiveBytes: c.maxArchiveBytes, maxUnpackedBytes: c.maxUnpackedBytes, maxFiles: c.maxFiles },
  };
  let budget: AbortSignal | undefined;
  const signal = (): AbortSignal => {
    budget = AbortSignal.timeout(c.timeBudgetMs);
    return ctx.read.signal ? AbortSignal.any([ctx.read.signal, budget]) : budget;
  };
  const r = await limiter
    .run(() => client.getDistContents!(request, { signal: signal() }), ctx.read.signal)
    .catch((e: unknown): PythonContentsResult => ({ ...thrownRead(e), version: sides.next.version }));
  if (!r.ok) {
    const reason = budget?.aborted && !ctx.read.signal?.aborted ? `over the content time budget (${c.timeBudgetMs} ms)` : r.reason;
    reportGaps(ctx, change, [{ version: r.version, reason, ...(r.failClosed ? { failClosed: true } : {}) }]);
    return;
  }
  record(subject, change, r, ctx);
}

function record(subject: Subject, change: Change, r: Extract<PythonContentsResult, { ok: true }>, ctx: GatherContext): void {
  const contents = (subject.data.contents ??= new Map<string, ArchiveContents>());
  const gaps: ContentGap[] = [];
  for (const a of r.previous ? [r.next, r.previous] : [r.next]) {
    contents.set(a.version, a);
    if (a.skipped.length) gaps.push({ version: a.version, partial: a.skipped });
  }
  reportGaps(ctx, change, gaps);
  const against = r.previous ? ` with ${r.previous.version}` : '';
  noteCompared(ctx, `${change.name} ${r.next.version}${against}: ${r.how.join('; ')}`, r.downloaded);
}

const SHOWN = 3;
const KEPT = 500;
/** The review's one `content-compared` note, updated as packages complete (one line per package would crowd the comment). */
const compared = new WeakMap<GatherContext, ContentComparedNote>();

function noteCompared(ctx: GatherContext, line: string, bytes: number): void {
  let note = compared.get(ctx);
  if (!note) {
    note = { kind: 'content-compared', packages: [], bytes: 0, message: '' };
    compared.set(ctx, note);
    (ctx.notes ??= []).push(note);
  }
  if (note.packages.length < KEPT) note.packages.push(line);
  note.bytes += bytes;
  const n = note.packages.length;
  const more = n > SHOWN ? `; and ${n - SHOWN} more` : '';
  note.message = `Python contents compared (${note.bytes} bytes downloaded): ${note.packages.slice(0, SHOWN).join(' · ')}${more}.`;
}
