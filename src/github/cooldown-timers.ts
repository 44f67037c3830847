/**
 * The App's cooldown timers: when a review ends with releases held by the cooldown, the check is
 * re-run by itself once the last of them clears. One timer per pull request head, kept in a
 * {@link CooldownStore} so a restart re-arms them; the clock is the App's (`now`), so tests drive it.
 */
import type { Logger } from 'pino';
import { entryKey, pullKey, type CooldownEntry, type CooldownStore } from './cooldown-store.js';

/** setTimeout's largest delay (about 24.8 days): longer waits are re-armed. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
/** After the clear time, so the re-run's clock is surely past it (registry and App clocks differ a little). */
export const DEFAULT_COOLDOWN_SLACK_MS = 60_000;
/** A re-run that could not be started (GitHub unreachable) is tried again after this long… */
export const RETRY_MS = 5 * 60_000;
/** …for at most this many attempts. */
export const MAX_ATTEMPTS = 12;

/** What firing did: the re-run was queued, or the head is no longer the pull request's open head. */
export type FireOutcome = 'queued' | 'stale';

export interface CooldownTimerOptions {
  store: CooldownStore;
  now: () => Date;
  /** Re-runs the review of the entry's head, or says the head is stale (a newer push, a closed PR). */
  fire: (e: CooldownEntry) => Promise<FireOutcome>;
  log: Pick<Logger, 'info' | 'warn'>;
  slackMs?: number;
}

export class CooldownTimers {
  private readonly handles = new Map<string, NodeJS.Timeout>();
  private readonly firing = new Set<string>();
  private readonly slackMs: number;
  private stopped = false;

  constructor(private readonly o: CooldownTimerOptions) {
    this.slackMs = o.slackMs ?? DEFAULT_COOLDOWN_SLACK_MS;
  }

  /** Arms a timer for every stored entry (an overdue one fires at once). Returns how many. */
  async start(): Promise<number> {
    const entries = await this.o.store.entries();
    for (const e of entries) this.arm(e);
    return entries.length;
  }

  /** After a review of `e`'s head that ended with a hold: re-run it when the hold clears. */
  async hold(e: CooldownEntry): Promise<void> {
    const dropped = await this.o.store.put(e);
    for (const d of dropped) {
      this.disarm(entryKey(d));
      this.o.log.warn({ repo: `${d.owner}/${d.repo}`, pr: d.pullNumber, sha: d.headSha }, 'cooldown timer dropped: too many timers');
    }
    this.arm(e);
  }

  /** A review of this head without a hold: no re-run needed. */
  async release(owner: string, repo: string, pullNumber: number, headSha: string): Promise<void> {
    const key = entryKey({ owner, repo, pullNumber, headSha });
    for (const e of await this.o.store.remove((x) => entryKey(x) === key)) this.disarm(entryKey(e));
  }

  /** A newer push or a closed pull request: every timer of the pull request goes. */
  async dropPull(owner: string, repo: string, pullNumber: number): Promise<number> {
    const key = pullKey(owner, repo, pullNumber);
    const gone = await this.o.store.remove((x) => pullKey(x.owner, x.repo, x.pullNumber) === key);
    for (const e of gone) this.disarm(entryKey(e));
    return gone.length;
  }

  /** Fires every entry that is due by `now` (tests, and a way to catch up); returns how many fired. */
  async fireDue(): Promise<number> {
    const now = this.o.now().getTime();
    const due = (await this.o.store.entries()).filter((e) => this.dueAt(e) <= now);
    for (const e of due) await this.fireOne(e);
    return due.length;
  }

  /** Clears the in-process timers (the store keeps the entries for the next start). */
  stop(): void {
    this.stopped = true;
    for (const h of this.handles.values()) clearTimeout(h);
    this.handles.clear();
  }

  get armed(): number {
    return this.handles.size;
  }

  private dueAt(e: CooldownEntry): number {
    return e.retryAt !== undefined ? Date.parse(e.retryAt) : Date.parse(e.clearsAt) + this.slackMs;
  }

  private arm(e: CooldownEntry): void {
    const key = entryKey(e);
    this.disarm(key);
    if (this.stopped) return;
    const wait = Math.max(0, this.dueAt(e) - this.o.now().getTime());
    const handle = setTimeout(
      () => {
        this.handles.delete(key);
        // a long wait is done in steps; the App's clock decides whether it is time
        if (this.dueAt(e) > this.o.now().getTime()) this.arm(e);
        else void this.fireOne(e);
      },
      Math.min(wait, MAX_TIMER_MS),
    );
    handle.unref();
    this.handles.set(key, handle);
  }

  private disarm(key: string): void {
    const h = this.handles.get(key);
    if (h) clearTimeout(h);
    this.handles.delete(key);
  }

  /** Takes the entry out of the store, then re-runs; a failed attempt puts it back for a retry. */
  private async fireOne(e: CooldownEntry): Promise<void> {
    const key = entryKey(e);
    if (this.firing.has(key)) return;
    this.firing.add(key);
    this.disarm(key);
    const where = { repo: `${e.owner}/${e.repo}`, pr: e.pullNumber, sha: e.headSha };
    try {
      const taken = await this.o.store.remove((x) => entryKey(x) === key && x.clearsAt === e.clearsAt);
      if (taken.length === 0) return; // replaced or released meanwhile
      const outcome = await this.o.fire(e).catch((err: unknown) => this.retry(e, err));
      if (outcome === 'stale') this.o.log.info(where, 'cooldown timer dropped: the pull request has a newer head or is closed');
      else if (outcome === 'queued') this.o.log.info(where, 'cooldown cleared: check re-run');
    } finally {
      this.firing.delete(key);
    }
  }

  private async retry(e: CooldownEntry, err: unknown): Promise<undefined> {
    const attempts = (e.attempts ?? 0) + 1;
    const where = { repo: `${e.owner}/${e.repo}`, pr: e.pullNumber, sha: e.headSha, attempts, error: (err as Error).message };
    if (attempts >= MAX_ATTEMPTS) {
      this.o.log.warn(where, 'cooldown re-run failed: giving up (re-run the check by hand)');
      return undefined;
    }
    this.o.log.warn(where, 'cooldown re-run failed: will retry');
    const again: CooldownEntry = { ...e, attempts, retryAt: new Date(this.o.now().getTime() + RETRY_MS).toISOString() };
    await this.o.store.put(again);
    this.arm(again);
    return undefined;
  }
}
