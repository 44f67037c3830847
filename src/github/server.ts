/**
 * The App's HTTP server: Probot's webhook middleware behind a front door that
 *  - lets through only POST to the webhook path (any spelling of it; see front-door.ts) and GET /healthz,
 *    refusing anything else (404, 405) before reading a body,
 *  - refuses unsigned or wrongly signed webhooks with 401 before anything is parsed,
 *  - bounds the request body (GitHub caps webhook payloads at 25 MB),
 * and Probot's standard environment (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT,
 * HOST, LOG_LEVEL, LOG_FORMAT, GHE_HOST/GHE_PROTOCOL, WEBHOOK_PATH) plus LOCKWARDEN_SECRET, validated at start-up.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, createProbot, type ApplicationFunction, type Probot } from 'probot';
import { HEALTH_PATH, refuse, route } from './front-door.js';
import { MIN_SECRET_LENGTH } from './signing.js';

export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;
export const DEFAULT_WEBHOOK_PATH = '/api/github/webhooks';

export interface AppServerOptions {
  appFn: ApplicationFunction;
  /** A ready Probot (tests); default: one built from `env` with createProbot. */
  probot?: Probot;
  env?: NodeJS.ProcessEnv;
  port?: number;
  host?: string;
  secret?: string;
  webhookPath?: string;
}

export interface AppServer {
  server: http.Server;
  port: number;
  probot: Probot;
  close(): Promise<void>;
}

export class StartupError extends Error {}

/** Checks the environment a production start needs, with messages that say what to set. */
export function checkEnv(env: NodeJS.ProcessEnv): void {
  const missing: string[] = [];
  if (!env['APP_ID'] || !/^\d+$/.test(env['APP_ID'])) missing.push('APP_ID (the numeric App ID)');
  if (!env['PRIVATE_KEY'] && !env['PRIVATE_KEY_PATH']) missing.push('PRIVATE_KEY or PRIVATE_KEY_PATH (the App private key, PEM)');
  else if (!env['PRIVATE_KEY'] && env['PRIVATE_KEY_PATH'] && !existsSync(env['PRIVATE_KEY_PATH']))
    missing.push(`PRIVATE_KEY_PATH: no file at ${env['PRIVATE_KEY_PATH']}`);
  if (!env['WEBHOOK_SECRET']) missing.push('WEBHOOK_SECRET (the webhook secret set on the App)');
  const own = env['LOCKWARDEN_SECRET'];
  if (own && own.length < MIN_SECRET_LENGTH)
    missing.push(`LOCKWARDEN_SECRET (at least ${MIN_SECRET_LENGTH} characters; unset, a key is derived from WEBHOOK_SECRET)`);
  if (missing.length) throw new StartupError(`missing or invalid environment: ${missing.join('; ')}`);
  if (env['PORT'] && !/^\d{1,5}$/.test(env['PORT'])) throw new StartupError(`PORT must be a number, got "${env['PORT']}"`);
}

export function validSignature(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The body, or null once it passes `limit` (the rest is left unread: the caller refuses the request). */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

type Middleware = Awaited<ReturnType<typeof createNodeMiddleware>>;

/**
 * A webhook: at most 25 MB (a larger declared length is refused before reading), a valid signature,
 * then Probot's middleware with the canonical path, so Probot never sees an unsigned payload.
 */
async function guardWebhook(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  guard: { secret: string; webhookPath: string; probot: Probot; middleware: Middleware },
): Promise<void> {
  const tooLarge = () => refuse(req, res, 413, 'payload too large');
  if (Number(req.headers['content-length'] ?? 0) > MAX_WEBHOOK_BYTES) return tooLarge();
  let body: Buffer | null;
  try {
    body = await readBody(req, MAX_WEBHOOK_BYTES);
  } catch {
    return refuse(req, res, 400, 'could not read the request');
  }
  if (body === null) return tooLarge();
  const sig = req.headers['x-hub-signature-256'];
  if (!validSignature(guard.secret, body, Array.isArray(sig) ? sig[0] : sig)) {
    guard.probot.log.warn({ delivery: req.headers['x-github-delivery'], event: req.headers['x-github-event'] }, 'webhook refused: bad signature');
    return refuse(req, res, 401, 'signature does not match the payload and the webhook secret');
  }
  req.url = guard.webhookPath;
  // Probot's middleware reads an already-buffered body from `req.body`.
  (req as http.IncomingMessage & { body?: string }).body = body.toString('utf8');
  await guard.middleware(req, res, () => refuse(req, res, 404, 'not found'));
}

export async function startAppServer(opts: AppServerOptions): Promise<AppServer> {
  const env = opts.env ?? process.env;
  const probot =
    opts.probot ??
    // REDIS_URL is ignored on purpose: Probot would download ioredis at run time through npx.
    // Production defaults: structured logs at info (Probot's own default is pretty logs at warn).
    createProbot({ env: { LOG_LEVEL: 'info', LOG_FORMAT: 'json', ...env, REDIS_URL: '' } });
  const secret = opts.secret ?? env['WEBHOOK_SECRET'] ?? '';
  const webhookPath = opts.webhookPath ?? env['WEBHOOK_PATH'] ?? DEFAULT_WEBHOOK_PATH;
  const middleware = await createNodeMiddleware(opts.appFn, { probot, webhooksPath: webhookPath });

  const guard = { secret, webhookPath, probot, middleware };
  const server = http.createServer((req, res) => {
    // Decided on the method and path alone, before any body is read.
    const r = route(req.method, req.url, webhookPath);
    if (r.kind === 'refuse') return refuse(req, res, r.status, r.status === 405 ? 'method not allowed' : 'not found', r.allow ? { allow: r.allow } : {});
    if (r.kind === 'health') {
      req.url = HEALTH_PATH;
      return void middleware(req, res, () => refuse(req, res, 404, 'not found'));
    }
    void guardWebhook(req, res, guard).catch((e: unknown) => {
      probot.log.error({ error: (e as Error).message }, 'webhook failed');
      if (!res.headersSent) refuse(req, res, 500, 'internal error');
    });
  });
  const port = opts.port ?? Number(env['PORT'] ?? 3000);
  const host = opts.host ?? env['HOST'] ?? 'localhost';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  probot.log.info(`lockwarden listening on http://${host}:${bound}`);
  return {
    server,
    port: bound,
    probot,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
