/**
 * The content-analysis worker pool: a few threads (default min(2, cores)), each with a heap limit,
 * running the pure detectors of src/content on two archives at a time. A task over its time budget or
 * out of memory ends its thread (a new one replaces it) and comes back as not analysed: attacker-caused
 * work, so the engine fails the check closed. Idle threads do not keep the process alive.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ReleaseContext } from '../content/index.js';
import type { ArchiveContents, ContentAnalysis } from '../model/index.js';
import { packArchives } from './content-transfer.js';
import type { WorkerReply, WorkerTask } from './content-worker.js';

export const DEFAULT_POOL_SIZE = Math.max(1, Math.min(2, availableParallelism()));
/** Old-generation heap per worker: two archives' kept texts (8 MiB each by default) with room to scan them. */
export const DEFAULT_WORKER_MEMORY_MB = 256;

export interface ContentPoolOptions {
  /** Threads at most (default {@link DEFAULT_POOL_SIZE}). */
  size?: number;
  /** Old-generation heap of each thread, MB (default {@link DEFAULT_WORKER_MEMORY_MB}). */
  memoryMb?: number;
  /** An idle thread ends after this long, ms (default 10 s): a long-lived App keeps no idle heap. */
  idleMs?: number;
  /** The worker's JavaScript entry (default {@link workerEntry}). */
  entry?: URL;
}

export type AnalysisOutcome = { ok: true; analysis: ContentAnalysis } | { ok: false; reason: string };

export interface AnalyseRequest {
  previous: ArchiveContents | null;
  next: ArchiveContents;
  /** How the new version was released (the same-publisher patch escalation); absent: not known. */
  release?: ReleaseContext | undefined;
  /** Time the analysis may take once a thread runs it. */
  budgetMs: number;
  /** The review's deadline or cancellation: a task still queued or running then is not analysed. */
  signal?: AbortSignal | undefined;
}

/** What the engine asks to analyse a change's archives (the pool, or any stand-in with the same contract). */
export interface ContentAnalyser {
  analyse(req: AnalyseRequest): Promise<AnalysisOutcome>;
  /** Ends every thread; tasks still queued or running come back not analysed. */
  close(): Promise<void>;
}

/**
 * The worker's entry is JavaScript: beside this file once compiled (dist/core). Run from the TypeScript
 * sources (jest with ts-jest) there is none beside it, so the compiled one of the same tree is used:
 * `npm test` builds first, and a missing build fails every analysis closed rather than silently.
 */
export function workerEntry(): URL {
  const beside = new URL('./content-worker.js', import.meta.url);
  return existsSync(beside) ? beside : new URL('../../dist/core/content-worker.js', import.meta.url);
}

interface Task extends AnalyseRequest {
  settle(outcome: AnalysisOutcome): void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
  /** Set once the thread runs (its "online" event): a task's budget starts then, not while the thread is created. */
  online: boolean;
  /** Clears the task's budget timer, or the idle timer. */
  stop?: () => void;
}

export class ContentPool implements ContentAnalyser {
  private readonly size: number;
  private readonly memoryMb: number;
  private readonly entry: URL;
  private readonly idleMs: number;
  private readonly slots = new Set<Slot>();
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;
  /** Threads started so far (replacements included), for tests and figures. */
  started = 0;

  constructor(opts: ContentPoolOptions = {}) {
    this.size = Math.max(1, Math.floor(opts.size ?? DEFAULT_POOL_SIZE));
    this.memoryMb = Math.max(16, Math.floor(opts.memoryMb ?? DEFAULT_WORKER_MEMORY_MB));
    this.entry = opts.entry ?? workerEntry();
    this.idleMs = opts.idleMs ?? 10_000;
  }

  /** Live threads. */
  get threads(): number {
    return this.slots.size;
  }

  analyse(req: AnalyseRequest): Promise<AnalysisOutcome> {
    if (this.closed) return Promise.resolve({ ok: false, reason: 'the analysis pool is shut down' });
    if (req.signal?.aborted) return Promise.resolve({ ok: false, reason: cutReason(req.signal) });
    return new Promise((resolve) => {
      let done = false;
      const task: Task = {
        ...req,
        settle: (o) => {
          if (done) return;
          done = true;
          req.signal?.removeEventListener('abort', onAbort);
          resolve(o);
        },
      };
      const onAbort = (): void => this.cut(task, cutReason(req.signal!));
      req.signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(task);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.settle({ ok: false, reason: 'the analysis pool was shut down' });
    const ending = [...this.slots].map((s) => this.end(s, 'the analysis pool was shut down'));
    await Promise.all(ending);
  }

  /** Hands queued tasks to idle threads, starting threads up to the pool's size. */
  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      const slot = [...this.slots].find((s) => s.task === null) ?? (this.slots.size < this.size ? this.spawn() : undefined);
      if (!slot) return;
      this.run(slot, this.queue.shift()!);
    }
  }

  private run(slot: Slot, task: Task): void {
    slot.stop?.();
    slot.task = task;
    slot.worker.ref();
    if (slot.online) this.startBudget(slot, task);
    try {
      const archives = packArchives(task.previous, task.next);
      const message: WorkerTask = { id: this.nextId++, archives, ...(task.release ? { release: task.release } : {}) };
      slot.worker.postMessage(message, [archives.buffer]);
    } catch (e) {
      this.finish(slot, { ok: false, reason: `internal error: ${(e as Error).message}` });
    }
  }

  private startBudget(slot: Slot, task: Task): void {
    const timer = setTimeout(() => void this.end(slot, `analysis over the content time budget (${task.budgetMs} ms)`), task.budgetMs);
    slot.stop = () => clearTimeout(timer);
  }

  private spawn(): Slot {
    // the worker runs compiled JavaScript and needs none of the parent's flags; some it refuses
    // (`--input-type` of `node -e`, `--expose-gc`), so none are passed on
    const worker = new Worker(this.entry, { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: this.memoryMb } });
    const slot: Slot = { worker, task: null, online: false };
    this.slots.add(slot);
    this.started++;
    worker.once('online', () => {
      slot.online = true;
      if (slot.task) this.startBudget(slot, slot.task);
    });
    worker.on('message', (reply: WorkerReply) =>
      this.finish(slot, reply.ok ? { ok: true, analysis: reply.analysis } : { ok: false, reason: `internal error: ${reply.error}` }),
    );
    worker.on('error', (e: Error & { code?: string }) => {
      const oom = e.code === 'ERR_WORKER_OUT_OF_MEMORY';
      void this.end(slot, oom ? `analysis ran out of memory (${this.memoryMb} MB heap limit)` : `analysis worker failed: ${e.message}`);
    });
    worker.on('exit', (code) => void this.end(slot, `analysis worker exited (code ${code})`));
    worker.unref();
    return slot;
  }

  /** A reply: the thread is idle again and takes the next task. */
  private finish(slot: Slot, outcome: AnalysisOutcome): void {
    const task = slot.task;
    slot.stop?.();
    slot.task = null;
    slot.worker.unref();
    task?.settle(outcome);
    this.dispatch();
    if (slot.task === null) this.idle(slot);
  }

  /** An idle thread ends after `idleMs` unless a task comes first (run() clears the timer). */
  private idle(slot: Slot): void {
    const timer = setTimeout(() => void this.end(slot, 'idle'), this.idleMs);
    timer.unref();
    slot.stop = () => clearTimeout(timer);
  }

  /** Ends a thread (over budget, out of memory, crashed, shut down): its task is not analysed. */
  private async end(slot: Slot, reason: string): Promise<void> {
    if (!this.slots.delete(slot)) return;
    slot.stop?.();
    slot.task?.settle({ ok: false, reason });
    slot.task = null;
    const ending = slot.worker.terminate();
    this.dispatch();
    await ending;
  }

  /** The review's deadline or cancellation: a queued task leaves the queue, a running one ends its thread. */
  private cut(task: Task, reason: string): void {
    const i = this.queue.indexOf(task);
    if (i >= 0) {
      this.queue.splice(i, 1);
      task.settle({ ok: false, reason });
      return;
    }
    const slot = [...this.slots].find((s) => s.task === task);
    if (slot) void this.end(slot, reason);
  }
}

function cutReason(signal: AbortSignal): string {
  return (signal.reason as { name?: unknown } | null)?.name === 'TimeoutError'
    ? 'the review deadline passed before the analysis finished'
    : 'the review was cancelled';
}
