/**
 * The registry document of each changed package: one read per name for the whole review (the clients
 * dedupe too; this keeps the engine honest on its own), at most `maxChanges` names, direct first.
 */
import type { Packument } from '../../model/index.js';
import { capWanted, needsRegistry, overCap, type WantedName } from '../cap.js';
import { targetDocumentProblem } from '../document-notes.js';
import type { GatherContext, Gatherer, Subject } from './types.js';

/** What the reads left for the changes: documents by key (null: 404), failures, and the names over the cap. */
interface Reads {
  /** Each asked name's read, so a change goes on to its archives as soon as its own document is in. */
  pending: Map<string, Promise<void>>;
  /**
   * Every read: what a change with no read of its own waits for. Thousands of names over the cap then
   * do not run their steps while the first reads are in flight (a long run of work holding the event
   * loop lets those reads' timers fire before their answers are read).
   */
  all: Promise<unknown>;
  documents: Map<string, Packument | null>;
  failures: Map<string, { reason: string; failClosed?: boolean }>;
  /** Which registry answered 404 for a name (its origin), for the version-not-found message. */
  notFoundAt: Map<string, string>;
  skipped: ReadonlySet<string>;
}

export const packumentGatherer: Gatherer = {
  after: [],
  async start(subjects, ctx) {
    const reads = await readDocuments(subjects, ctx);
    return async (subject) => {
      await (reads.pending.get(subject.key) ?? reads.all);
      attach(subject, reads, ctx);
    };
  },
};

/** The keys of the names each review asks the registry about (within the cap), for the steps that read ahead. */
const askedByReview = new WeakMap<GatherContext, ReadonlySet<string>>();

/** The keys the review asks the registry about; empty before the document reads start, or offline. */
export function askedKeys(ctx: GatherContext): ReadonlySet<string> {
  return askedByReview.get(ctx) ?? new Set();
}

async function readDocuments(subjects: readonly Subject[], ctx: GatherContext): Promise<Reads> {
  const reads: Reads = { pending: new Map(), all: Promise.resolve(), documents: ctx.documents, failures: new Map(), notFoundAt: new Map(), skipped: new Set() };
  if (!ctx.clients.online) return reads;
  const { asked, skipped, total } = capWanted(
    subjects.map((s) => s.change),
    ctx.maxChanges,
  );
  reads.skipped = skipped;
  askedByReview.set(ctx, new Set(asked.keys()));
  if (skipped.size) ctx.incomplete.push(overCap(skipped.size, total, ctx.maxChanges));
  if ([...asked.values()].some((w) => w.ecosystem === 'pypi')) await ctx.clients.preparePython();
  let done = 0;
  // The reads start once the review has set up every change (the other gatherers' starts, thousands
  // of changes' first steps): that work, run while reads are in flight, would hold the event loop past
  // their timeouts. Not awaited here: each change waits for its own document only (readOne never throws).
  const setUp = new Promise<void>((resolve) => setImmediate(resolve));
  for (const [key, wanted] of asked) {
    const read = setUp.then(() => readOne(key, wanted, reads, ctx)).then(() => ctx.onProgress?.({ done: ++done, total: asked.size, name: wanted.name }));
    // a throwing progress listener fails the changes that wait for this read, not the process meanwhile
    read.catch(() => undefined);
    reads.pending.set(key, read);
  }
  reads.all = Promise.allSettled(reads.pending.values());
  return reads;
}

async function readOne(key: string, { ecosystem, name }: WantedName, reads: Reads, ctx: GatherContext): Promise<void> {
  const client = ctx.clients.for(ecosystem);
  if (!client) {
    reads.failures.set(key, { reason: ctx.clients.pythonError ?? 'no registry for this ecosystem' });
    return;
  }
  try {
    const r = await client.getPackument(name, ctx.read);
    if (r.ok) reads.documents.set(key, r.packument);
    else if (r.notFound) {
      reads.documents.set(key, null);
      if (r.origin !== undefined) reads.notFoundAt.set(key, r.origin);
    } else reads.failures.set(key, r.failClosed ? { reason: r.reason, failClosed: true } : { reason: r.reason });
  } catch (e) {
    // getPackument never throws: this is a bug, not the registry's trouble
    reads.failures.set(key, { reason: `registry client error: internal error: ${(e as Error).message}`, failClosed: true });
  }
}

/** The change's document, or why it has none; a version the document cannot vouch for fails closed. */
function attach(subject: Subject, reads: Reads, ctx: GatherContext): void {
  const { change, key } = subject;
  if (!ctx.clients.online || !needsRegistry(change)) return;
  if (reads.skipped.has(key)) {
    subject.status = 'over-cap';
    return;
  }
  const failure = reads.failures.get(key);
  if (failure !== undefined || !ctx.clients.for(change.ecosystem)) {
    subject.status = 'unreadable';
    ctx.incomplete.push({
      name: change.name,
      version: change.to,
      reason: failure?.reason ?? 'no registry',
      lockfile: change.lockfile,
      ...(failure?.failClosed ? { failClosed: true } : {}),
    });
    return;
  }
  const packument = reads.documents.get(key) ?? notFoundPackument(change.name, reads.notFoundAt.get(key));
  subject.data.packument = packument;
  subject.status = 'read';
  const problem = change.to !== null ? targetDocumentProblem(packument, change.to) : undefined;
  if (problem !== undefined) {
    subject.status = 'unusable';
    ctx.incomplete.push({ name: change.name, version: change.to, reason: problem, lockfile: change.lockfile, failClosed: true });
  }
}

/**
 * The registry answered 404 for the name: a packument with no versions, so `version-not-found`
 * fires for registry-sourced changes (a forged or unpublished package).
 */
function notFoundPackument(name: string, origin: string | undefined): Packument {
  const p: Packument = { name, versions: new Map(), distTags: new Map(), abbreviated: false };
  if (origin !== undefined) p.origin = origin;
  return p;
}
