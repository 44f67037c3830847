/**
 * The archive bytes a review reads and unpacks at once: an archive is admitted by its declared size
 * once its headers are in, before its body is read, and gives the bytes back once unpacked. So many
 * small archives are read together and big ones a few at a time (ARCHITECTURE.md, content analysis).
 */
import { ReadCut, cutReason } from '../../registry/abort.js';

const MiB = 1024 * 1024;

/** Declared archive bytes read and unpacked at once per review; one larger archive is read alone. */
export const ARCHIVE_BYTES_AT_ONCE = 48 * MiB;

export class ByteGate {
  private used = 0;
  private readonly waiting: Array<{ bytes: number; grant: () => void }> = [];
  constructor(private readonly max: number) {}

  /** The function giving `bytes` back when they fit now and nobody waits before them; else undefined. */
  tryTake(bytes: number): (() => void) | undefined {
    return this.waiting.length === 0 && this.fits(bytes) ? this.granted(bytes) : undefined;
  }

  /**
   * Resolves with the function giving `bytes` back, in arrival order, once they fit (or nothing else is
   * held); rejects with {@link ReadCut} when `signal` aborts first. Only reads holding no connection
   * wait here (src/registry/contents/download.ts), so admitted reads always finish and the gate cannot deadlock.
   */
  take(bytes: number, signal: AbortSignal | undefined): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(new ReadCut(cutReason(signal)));
    const now = this.tryTake(bytes);
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const entry = {
        bytes,
        grant: (): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.granted(bytes));
        },
      };
      const onAbort = (): void => {
        const i = this.waiting.indexOf(entry);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new ReadCut(cutReason(signal!)));
        this.next();
      };
      this.waiting.push(entry);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Bytes held now (for tests and figures). */
  get held(): number {
    return this.used;
  }

  private fits(bytes: number): boolean {
    return this.used === 0 || this.used + bytes <= this.max;
  }

  private granted(bytes: number): () => void {
    this.used += bytes;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.used -= bytes;
      this.next();
    };
  }

  private next(): void {
    while (this.waiting.length > 0 && this.fits(this.waiting[0]!.bytes)) this.waiting.shift()!.grant();
  }
}

/** A package's time budget that stands still while its archives wait for memory (not the package's doing). */
export class PausableBudget {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private begun = false;
  private paused = 0;
  constructor(private readonly ms: number) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Starts the countdown, once. */
  begin(): void {
    if (this.begun) return;
    this.begun = true;
    this.run();
  }

  /** Stops the countdown until every pause has ended; it then runs the whole budget again. */
  pause(): () => void {
    if (this.paused++ === 0) clearTimeout(this.timer);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--this.paused === 0) this.run();
    };
  }

  end(): void {
    clearTimeout(this.timer);
    this.paused = Infinity;
  }

  private run(): void {
    if (this.controller.signal.aborted || this.paused > 0) return;
    clearTimeout(this.timer);
    const reason = new DOMException(`over the content time budget (${this.ms} ms)`, 'TimeoutError');
    this.timer = setTimeout(() => this.controller.abort(reason), this.ms);
  }
}
