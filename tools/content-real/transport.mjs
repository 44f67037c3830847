/**
 * The tool's transport: the global fetch, with registry documents kept on disk in the work folder so a
 * rerun asks the registry for nothing (archives are cached by the project's own archive cache).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A `fetchImpl` for the npm client: GETs of documents answered from `dir` when kept, archives passed through. */
export function cachingFetch(dir, counters) {
  mkdirSync(dir, { recursive: true });
  return async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.endsWith('.tgz') || (init?.method ?? 'GET') !== 'GET') return fetch(input, init);
    const accept = new Headers(init?.headers).get('accept') ?? '';
    const file = join(dir, `${createHash('sha256').update(`${accept} ${url}`).digest('hex')}.json`);
    try {
      const body = readFileSync(file);
      counters.documentHits++;
      return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
    } catch {
      // not kept yet: fetched below
    }
    const res = await fetch(input, init);
    if (res.status !== 200) return res;
    const body = Buffer.from(await res.arrayBuffer());
    counters.documentBytes += body.length;
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, body);
    renameSync(tmp, file);
    return new Response(body, { status: 200, headers: { 'content-type': res.headers.get('content-type') ?? 'application/json' } });
  };
}
