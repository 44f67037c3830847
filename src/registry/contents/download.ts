/** A bounded archive download over the client's transport (retries, deadline, byte cap). */
import { type Final, type ReadBody, TooLarge } from '../http.js';

export type Fetch = (consume: (res: Response, readBody: ReadBody) => Promise<Buffer>, signal: AbortSignal | undefined) => Promise<Final<Buffer>>;

/** The archive's bytes, or why not: over `limit` is the server's doing (fails closed), the rest is infrastructure. */
export async function downloadTarball(
  fetch: Fetch,
  limit: number,
  signal: AbortSignal | undefined,
): Promise<{ bytes: Buffer } | { reason: string; failClosed?: boolean }> {
  let tooLarge = false;
  const out = await fetch(async (res, readBody) => {
    try {
      const into = new Collector(declaredLength(res, limit));
      await readBody(limit, (chunk) => into.add(chunk));
      return into.bytes();
    } catch (e) {
      tooLarge = e instanceof TooLarge;
      throw e;
    }
  }, signal);
  if (out.type === 'ok') return { bytes: out.value };
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
