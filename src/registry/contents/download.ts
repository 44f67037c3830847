/** A bounded archive download over the client's transport (retries, deadline, byte cap), admitted by its size. */
import type { ArchiveAdmission } from '../../model/index.js';
import { ReadCut } from '../abort.js';
import { type Consume, type Final, TooLarge } from '../http.js';

export type Fetch = (consume: Consume<Buffer | Wait>, signal: AbortSignal | undefined) => Promise<Final<Buffer | Wait>>;
export type Downloaded = { bytes: Buffer } | { reason: string; failClosed?: boolean };

/** Bytes an archive without a declared length is admitted for (a registry streaming it chunked). */
export const UNDECLARED_ARCHIVE_BYTES = 8 * 1024 * 1024;

/** The body was not read: the archive waits for `bytes` to fit, then is asked for again. */
interface Wait {
  wait: number;
}

/**
 * The archive's bytes, or why not: over `limit` is the server's doing (fails closed), the rest is
 * infrastructure. With `admission`, the body is read only once its size fits; when it does not, the
 * response is dropped unread (a body left waiting would still pile up in memory), the read waits
 * holding no connection, then asks again. No read holding a connection ever waits, so the gate cannot
 * deadlock; admitted bytes are kept through retries, and a read archive's are the caller's to give back.
 */
export async function downloadTarball(fetch: Fetch, limit: number, signal: AbortSignal | undefined, admission?: ArchiveAdmission): Promise<Downloaded> {
  let tooLarge = false;
  let release: (() => void) | undefined;
  const consume: Consume<Buffer | Wait> = async (res, readBody) => {
    const declared = declaredLength(res, limit);
    if (admission && !release) {
      const need = declared ?? Math.min(limit, UNDECLARED_ARCHIVE_BYTES);
      release = admission.tryTake(need);
      if (!release) return { wait: need };
    }
    try {
      const into = new Collector(declared);
      await readBody(limit, (chunk) => into.add(chunk));
      return into.bytes();
    } catch (e) {
      tooLarge = e instanceof TooLarge;
      throw e;
    }
  };
  let out = await fetch(consume, signal);
  if (out.type === 'ok' && 'wait' in out.value) {
    try {
      release = await admission!.take(out.value.wait);
    } catch (e) {
      if (e instanceof ReadCut) return { reason: `archive download: ${e.message}` };
      throw e;
    }
    // admitted: this request reads the body whatever its declared length (still within `limit`)
    out = await fetch(consume, signal);
  }
  // once admitted, `consume` reads the body: a second wait cannot come back
  if (out.type === 'ok') return { bytes: out.value as Buffer };
  release?.();
  if (tooLarge) return { reason: `archive over the ${limit}-byte cap (content.maxArchiveBytes)`, failClosed: true };
  if (out.type === 'notFound') return { reason: 'archive not found on the registry (404)' };
  if (out.type === 'notModified') return { reason: 'unexpected 304 for an archive' };
  return { reason: `archive download: ${out.reason}` };
}

/** The body's declared length when it is the archive's (not a compressed transfer) and within the cap. */
function declaredLength(res: Response, limit: number): number | undefined {
  const n = Number(res.headers.get('content-length') ?? NaN);
  return !res.headers.get('content-encoding') && Number.isSafeInteger(n) && n > 0 && n <= limit ? n : undefined;
}

/**
 * The archive's bytes as they arrive: written straight into one buffer of the declared length (one
 * copy, no second buffer to join the chunks into), else kept as chunks and joined once at the end.
 */
class Collector {
  private buf: Buffer | undefined;
  private at = 0;
  private parts: Uint8Array[] = [];

  constructor(declared: number | undefined) {
    if (declared !== undefined) this.buf = Buffer.allocUnsafeSlow(declared);
  }

  add(chunk: Uint8Array): void {
    if (this.buf && this.at + chunk.length <= this.buf.length) {
      this.buf.set(chunk, this.at);
      this.at += chunk.length;
      return;
    }
    if (this.buf) {
      // more than declared: the length lied, keep everything as chunks (the cap still holds)
      this.parts.push(this.buf.subarray(0, this.at));
      this.buf = undefined;
    }
    this.parts.push(chunk);
  }

  bytes(): Buffer {
    return this.buf ? this.buf.subarray(0, this.at) : Buffer.concat(this.parts);
  }
}
