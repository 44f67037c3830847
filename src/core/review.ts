/**
 * The review engine: lockfile texts in, reviewed changes and a conclusion out, in four steps:
 *
 *   diff the lockfiles → gather what the running signals need → evaluate signals and policy → conclude
 *
 * Shared by the CLI and the GitHub App. The only I/O is through the injected registry clients.
 */
import { ALL_SIGNALS, needsOf, signalsToRun } from '../signals/index.js';
import type { Config } from '../policy/index.js';
import type { AdvisoryClient, Change, DataNeed, GuardRailFile, PythonIndexClient, RegistryClient, ReviewResult, Unreviewed } from '../model/index.js';
import { DEFAULT_MAX_CHANGES } from './cap.js';
import { ReviewClients, readOptions } from './clients.js';
import { type ContentAnalyser, ContentPool } from './content-pool.js';
import { concludeReview } from './conclude.js';
import { NotEvaluated } from './document-notes.js';
import { evaluate } from './evaluate.js';
import { gather } from './gather.js';
import { reviewGuardRails } from './guard-rails.js';
import type { GatherContext, Subject } from './gatherers/index.js';
import { diffInputs, type LockfileInput } from './inputs.js';

/** The result's types live in src/model; re-exported for the edges that call `review()`. */
export type { Incomplete, NotEvaluatedNote, RepairNote, ReviewedChange, ReviewNote, ReviewResult, ReviewSummary, Unreviewed } from '../model/index.js';
export { capWanted, DEFAULT_MAX_CHANGES } from './cap.js';
export { diffInputs, type LockfileInput } from './inputs.js';
export { reviewFindings } from './conclude.js';

export interface ReviewOptions {
  /** null → offline: only lockfile-derived signals, no network (for every ecosystem). */
  registry: RegistryClient | null;
  /**
   * The Python package index, for Python lockfiles (online reviews only). A function is called once,
   * when the first Python change needs the index (so an npm-only review never resolves pip's configuration).
   * Missing while online: Python changes are listed as incomplete.
   */
  pypi?: PythonIndexClient | (() => PythonIndexClient | Promise<PythonIndexClient>) | null;
  now: Date;
  config: Config;
  onProgress?: (p: { done: number; total: number; name?: string }) => void;
  /**
   * The review's deadline or cancellation, passed to every registry read: a read it cuts is listed
   * as incomplete with the reason (`timed out: …`), and the review returns what it could review.
   */
  signal?: AbortSignal;
  /**
   * Most names the review asks the registry about (default {@link DEFAULT_MAX_CHANGES}): direct
   * dependencies first, then by name. The rest are not requested, and the review fails saying how many.
   * Only names some running signal needs the registry document of are asked about.
   */
  maxChanges?: number;
  /**
   * The settings files the change touches that can weaken the repository's defences (src/guard-rails):
   * the edges pass those the change touches, read at both sides. Absent: none touched. Requirements
   * lockfiles (and their `-r` includes) are checked as settings files too, without being passed here.
   * Weakenings are `guard-rail-weakened` findings in `ReviewResult.guardRails` (src/core/guard-rails.ts).
   */
  guardRailFiles?: readonly GuardRailFile[];
  /**
   * The advisory sources (src/registry/advisories): one batched lookup per review for every new version.
   * Offline reviews ask only the sources that need no network (a local directory). Absent or null: none.
   */
  advisories?: AdvisoryClient | null;
  /**
   * Runs content analysis (src/core/content-pool.ts): the edges pass one pool for the process. Absent:
   * the review starts its own (threads only once an archive is analysed) and shuts it down at its end.
   */
  contentAnalyser?: ContentAnalyser;
}

export async function review(inputs: readonly LockfileInput[], opts: ReviewOptions): Promise<ReviewResult> {
  const { now, config } = opts;
  const unreviewed: Unreviewed[] = [];
  const baseOrigins = new Map<string, Set<string>>();
  const changes = diffInputs(inputs, unreviewed, baseOrigins);
  // A switched-off signal runs only as an input of a combiner that is on, and otherwise costs nothing.
  const running = signalsToRun(ALL_SIGNALS, (id) => config.signals.get(id) !== 'off');
  const ctx = gatherContext(opts, baseOrigins);
  ctx.vulnerabilities = running.has('known-vulnerability');
  const subjects = await gatherWithPool(changes, needsOf(ALL_SIGNALS, running), ctx, opts.contentAnalyser);
  const notEvaluated = new NotEvaluated();
  const reviewed = subjects.map((s) => evaluate(s, { now, config, running, notEvaluated }));
  const guard = reviewGuardRails(opts.guardRailFiles ?? [], inputs, config);
  const { documents, clients, notes } = ctx;
  const incomplete = [...ctx.incomplete, ...guard.incomplete];
  const lockfiles = inputs.map((i) => i.file);
  return concludeReview({
    lockfiles,
    subjects,
    reviewed,
    incomplete,
    unreviewed,
    notEvaluated,
    documents,
    clients,
    config,
    now,
    guardRails: guard.reviews,
    notes,
  });
}

/** Gathers with the caller's analysis pool, or with one of the review's own, shut down once gathered. */
async function gatherWithPool(changes: Change[], needs: ReadonlySet<DataNeed>, ctx: GatherContext, given: ContentAnalyser | undefined): Promise<Subject[]> {
  const own = given ? null : new ContentPool();
  ctx.contentAnalyser = given ?? (own as ContentPool);
  try {
    return await gather(changes, needs, ctx);
  } finally {
    await own?.close();
  }
}

function gatherContext(opts: ReviewOptions, baseOrigins: ReadonlyMap<string, Set<string>>): GatherContext {
  return {
    clients: new ReviewClients(opts.registry, opts.pypi),
    read: readOptions(opts.signal),
    maxChanges: opts.maxChanges ?? DEFAULT_MAX_CHANGES,
    baseOrigins,
    allowedOrigins: opts.config.allowedOrigins,
    onProgress: opts.onProgress,
    incomplete: [],
    documents: new Map(),
    advisories: opts.advisories ?? null,
    content: opts.config.content,
    notes: [],
  };
}
