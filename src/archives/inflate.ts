/**
 * Inflates bytes held in memory through a node:zlib stream, handing each output chunk on until the
 * reader says stop (a tar's end, a cap): the stream is destroyed then and the promise settles once.
 */
import type { Gunzip, InflateRaw } from 'node:zlib';
import { SdistError } from './listing.js';

export interface Inflated {
  /** The reader stopped the stream (what followed was never inflated). */
  stopped: boolean;
  /** Input bytes the stream used when it ended by itself (0 when stopped). */
  consumed: number;
}

/** `onData` returns true to stop; what it throws rejects. A corrupt stream rejects with {@link SdistError}. */
export function inflateInto(stream: Gunzip | InflateRaw, data: Uint8Array, onData: (chunk: Buffer) => boolean): Promise<Inflated> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const stop = (f: () => void): void => {
      if (settled) return;
      settled = true;
      stream.destroy();
      f();
    };
    stream.on('data', (chunk: Buffer) => {
      if (settled) return;
      try {
        if (onData(chunk)) stop(() => resolve({ consumed: 0, stopped: true }));
      } catch (e) {
        stop(() => reject(e));
      }
    });
    stream.on('error', (e: Error) => stop(() => reject(new SdistError(`not a valid gzip stream: ${e.message}`))));
    stream.on('end', () => {
      if (settled) return;
      settled = true;
      resolve({ consumed: stream.bytesWritten, stopped: false });
    });
    stream.end(data);
  });
}
