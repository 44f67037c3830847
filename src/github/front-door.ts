/**
 * The front door's routing: which requests may go on, decided from the method and path alone,
 * before any body is read. Paths are compared after the normalisation lenient routers apply.
 */
import type http from 'node:http';

export const HEALTH_PATH = '/healthz';

export type Route = { kind: 'webhook' } | { kind: 'health' } | { kind: 'refuse'; status: 404 | 405; allow?: string };

/**
 * The path of a request target as a lenient router could read it: query and fragment dropped,
 * percent-decoded, backslashes as slashes, duplicate and trailing slashes and dot segments removed.
 * Absolute-form targets (`http://host/path`) give their path. null when the target cannot be decoded.
 */
export function normalisePath(target: string): string | null {
  let pathname: string;
  if (target.startsWith('/')) {
    // not through URL: `//host/path` would read as a host
    pathname = target.split(/[?#]/, 1)[0]!;
  } else {
    try {
      pathname = new URL(target).pathname;
    } catch {
      return null;
    }
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  // Dot segments again after decoding: `%2e%2e` and `%2F` only become segments here.
  const out: string[] = [];
  for (const seg of decoded.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}

/**
 * Every spelling of the webhook path is the webhook (POST only: 405 otherwise), GET of the health
 * path is the health check, anything else is 404: nothing but these two reaches Probot.
 */
export function route(method: string | undefined, target: string | undefined, webhookPath: string): Route {
  const path = normalisePath(target ?? '');
  if (path === null) return { kind: 'refuse', status: 404 };
  if (path === normalisePath(webhookPath)) return method === 'POST' ? { kind: 'webhook' } : { kind: 'refuse', status: 405, allow: 'POST' };
  if (path === HEALTH_PATH) return method === 'GET' ? { kind: 'health' } : { kind: 'refuse', status: 405, allow: 'GET' };
  return { kind: 'refuse', status: 404 };
}

/** How long, and how many more bytes, a refused request's body is discarded before the connection is cut. */
const LINGER_MS = 1000;
const LINGER_BYTES = 64 * 1024 * 1024;

/**
 * Answers `status` and closes the connection without reading the rest of the body. The body still
 * in flight is discarded for a moment first (a bounded lingering close): closing a connection with
 * unread data resets it, and a client still sending would lose the answer.
 */
export function refuse(req: http.IncomingMessage, res: http.ServerResponse, status: number, error: string, headers: Record<string, string> = {}): void {
  const incomplete = !req.complete;
  // Node closes a `Connection: close` request's socket as soon as the answer is out: we close it ourselves.
  if (incomplete) res.shouldKeepAlive = true;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ error }));
  if (incomplete) linger(req);
}

function linger(req: http.IncomingMessage): void {
  const socket = req.socket;
  const cut = () => socket.destroy();
  const timer = setTimeout(cut, LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  let discarded = 0;
  req.removeAllListeners('data');
  req.on('data', (c: Buffer) => {
    discarded += c.length;
    if (discarded > LINGER_BYTES) cut();
  });
  // No more requests on this connection.
  req.on('end', () => socket.end());
  req.resume();
}
