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
  const out = await fetch(async (_res, readBody) => {
    try {
      // the transport hands fresh chunks: kept as they are, copied once into the archive
      const parts: Uint8Array[] = [];
      await readBody(limit, (chunk) => parts.push(chunk));
      return Buffer.concat(parts);
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
