/**
 * How many changes of a review hold their archives in memory at once, per ecosystem: a change takes a
 * place before its first archive is read and gives it back once analysed (and its texts dropped), so
 * downloads wait for the analysis instead of piling archives up. The bytes being read are bounded
 * apart (./archive-bytes.ts).
 */
import type { Ecosystem } from '../../model/index.js';
import type { GatherContext, Subject } from './types.js';

class Places {
  private used = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly max: number) {}

  /** Resolves with the place's release once one is free, or at once when the review is cut (its reads then end at once). */
  take(signal: AbortSignal | undefined): Promise<() => void> {
    if (this.used < this.max || signal?.aborted) return Promise.resolve(this.granted());
    return new Promise((resolve) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(this.granted());
      };
      const onAbort = (): void => {
        const i = this.waiting.indexOf(grant);
        if (i >= 0) this.waiting.splice(i, 1);
        grant();
      };
      this.waiting.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private granted(): () => void {
    this.used++;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.used--;
      this.waiting.shift()?.();
    };
  }
}

const places = new WeakMap<GatherContext, Map<Ecosystem, Places>>();
const releases = new WeakMap<Subject, () => void>();

/** Called by the step that frees the archives (the analysis): without it, changes do not wait. */
export function limitHeldArchives(ctx: GatherContext, max: Readonly<Partial<Record<Ecosystem, number>>>): void {
  places.set(ctx, new Map(Object.entries(max).map(([eco, n]) => [eco as Ecosystem, new Places(n)])));
}

export async function holdArchives(ctx: GatherContext, subject: Subject): Promise<void> {
  const p = places.get(ctx)?.get(subject.change.ecosystem);
  if (p) releases.set(subject, await p.take(ctx.read.signal));
}

export function releaseArchives(subject: Subject): void {
  releases.get(subject)?.();
  releases.delete(subject);
}
