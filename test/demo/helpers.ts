import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as sent (not decompressed). */
  body: Buffer;
}

/**
 * A GET (or other method) through node:http, so the test controls every header: fetch would add
 * Accept and Accept-Encoding on its own and decompress behind our back.
 */
export function rawRequest(url: string, headers: Record<string, string> = {}, method = 'GET', timeoutMs = 5000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

export async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; json: any; headers: RawResponse['headers'] }> {
  const res = await rawRequest(url, headers);
  return { status: res.status, json: JSON.parse(res.body.toString('utf8')), headers: res.headers };
}

/** npm's own Accept header for packuments. */
export const NPM_CORGI_ACCEPT = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';
