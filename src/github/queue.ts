/**
 * In-process review queue. The webhook is acknowledged at once; reviews run here, a few at a time.
 * Per key (one pull request, or one merge group): a newer job replaces a pending one (skipped) and
 * aborts a running one (it completes its check run as superseded). Duplicate deliveries are dropped.
 */
export type Job = (signal: AbortSignal) => Promise<void>;

interface Entry {
  key: string;
  job: Job;
  /** Called instead of the job when a newer job for the same key replaces it before it starts. */
  onSkip?: () => void;
}

export class ReviewQueue {
  private readonly pending = new Map<string, Entry>();
  private readonly order: string[] = [];
  private readonly running = new Map<string, AbortController>();
  private readonly deliveries = new Set<string>();
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    private readonly concurrency = 4,
    private readonly onError: (key: string, error: unknown) => void = () => {},
    private readonly maxDeliveries = 5000,
  ) {}

  /** True the first time a delivery id is seen; false for a redelivery. */
  firstDelivery(id: string | undefined): boolean {
    if (!id) return true;
    if (this.deliveries.has(id)) return false;
    this.deliveries.add(id);
    if (this.deliveries.size > this.maxDeliveries) {
      const oldest = this.deliveries.values().next().value as string;
      this.deliveries.delete(oldest);
    }
    return true;
  }

  enqueue(key: string, job: Job, onSkip?: () => void): void {
    const previous = this.pending.get(key);
    if (previous) previous.onSkip?.();
    else this.order.push(key);
    this.pending.set(key, { key, job, ...(onSkip ? { onSkip } : {}) });
    this.running.get(key)?.abort(new Error('superseded by a newer event'));
    this.pump();
  }

  get size(): number {
    return this.pending.size + this.running.size;
  }

  /** Resolves when nothing is pending or running (tests and graceful shutdown). */
  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running.size < this.concurrency) {
      // the first pending key that is not already running (a key runs one job at a time)
      const i = this.order.findIndex((k) => !this.running.has(k));
      if (i < 0) break;
      const key = this.order.splice(i, 1)[0]!;
      const entry = this.pending.get(key)!;
      this.pending.delete(key);
      const controller = new AbortController();
      this.running.set(key, controller);
      void Promise.resolve()
        .then(() => entry.job(controller.signal))
        .catch((e: unknown) => this.onError(key, e))
        .finally(() => {
          this.running.delete(key);
          this.pump();
          if (this.size === 0) for (const w of this.idleWaiters.splice(0)) w();
        });
    }
  }
}
