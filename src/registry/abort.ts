/**
 * Deadlines and cancellation for registry reads: a review's AbortSignal (its deadline, or a newer push
 * replacing it) cuts every read at once, whatever attempt, backoff or body it is in.
 */

/** A read given up because its caller's signal was aborted; the message says why (short, no server text). */
export class ReadCut extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReadCut';
  }
}

/** True for the reason `AbortSignal.timeout()` aborts with. */
export function isTimeoutReason(reason: unknown): boolean {
  return (reason as { name?: unknown } | null)?.name === 'TimeoutError';
}

/** Why a read was cut: the review's deadline passed, or the review was cancelled. */
export function cutReason(signal: AbortSignal): string {
  return isTimeoutReason(signal.reason) ? 'timed out: the review deadline passed before the registry answered' : 'cancelled';
}

/** Waits `ms`; resolves false at once when `signal` aborts (a backoff or Retry-After wait never outlives the review). */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = (): void => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * `promise`, or a rejection with {@link ReadCut} as soon as `signal` aborts (`onCut` runs then, once).
 * The promise itself keeps running: the caller decides whether to stop it.
 */
export function untilCut<T>(promise: Promise<T>, signal: AbortSignal, onCut: () => void = () => {}): Promise<T> {
  if (signal.aborted) {
    onCut();
    return Promise.reject(new ReadCut(cutReason(signal)));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      onCut();
      reject(new ReadCut(cutReason(signal)));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
