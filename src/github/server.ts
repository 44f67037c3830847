/**
 * The App's HTTP server: Probot's webhook middleware behind a front door that
 *  - refuses unsigned or wrongly signed webhooks with 401 before anything is parsed,
 *  - bounds the request body (GitHub caps webhook payloads at 25 MB),
 *  - serves GET /healthz,
 * and Probot's standard environment (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT,
 * HOST, LOG_LEVEL, LOG_FORMAT, GHE_HOST/GHE_PROTOCOL, WEBHOOK_PATH) plus LOCKWARDEN_SECRET, validated at start-up.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, createProbot, type ApplicationFunction, type Probot } from 'probot';
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
  else if (!env['PRIVATE_KEY'] && env['PRIVATE_KEY_PATH'] && !existsSync(env['PRIVATE_KEY_PATH'])) missing.push(`PRIVATE_KEY_PATH: no file at ${env['PRIVATE_KEY_PATH']}`);
  if (!env['WEBHOOK_SECRET']) missing.push('WEBHOOK_SECRET (the webhook secret set on the App)');
  const own = env['LOCKWARDEN_SECRET'];
  if (own && own.length < MIN_SECRET_LENGTH) missing.push(`LOCKWARDEN_SECRET (at least ${MIN_SECRET_LENGTH} characters; unset, a key is derived from WEBHOOK_SECRET)`);
  if (missing.length) throw new StartupError(`missing or invalid environment: ${missing.join('; ')}`);
  if (env['PORT'] && !/^\d{1,5}$/.test(env['PORT'])) throw new StartupError(`PORT must be a number, got "${env['PORT']}"`);
}

export function validSignature(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header || !header.startsWith('sha256=')) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

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

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
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

  const server = http.createServer((req, res) => {
    const url = req.url?.split('?')[0];
    if (req.method === 'POST' && url === webhookPath) {
      void readBody(req, MAX_WEBHOOK_BYTES).then(
        (body) => {
          if (body === null) {
            // answer, then drop the connection instead of reading the rest
            res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
            res.end(JSON.stringify({ error: 'payload too large' }), () => req.destroy());
            return;
          }
          const sig = req.headers['x-hub-signature-256'];
          if (!validSignature(secret, body, Array.isArray(sig) ? sig[0] : sig)) {
            probot.log.warn({ delivery: req.headers['x-github-delivery'], event: req.headers['x-github-event'] }, 'webhook refused: bad signature');
            return json(res, 401, { error: 'signature does not match the payload and the webhook secret' });
          }
          // Probot's middleware reads an already-buffered body from `req.body`.
          (req as http.IncomingMessage & { body?: string }).body = body.toString('utf8');
          return middleware(req, res, () => json(res, 404, { error: 'not found' }));
        },
        () => json(res, 400, { error: 'could not read the request' }),
      );
      return;
    }
    void middleware(req, res, () => json(res, 404, { error: 'not found' }));
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
