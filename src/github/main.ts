#!/usr/bin/env node
/**
 * `npm start`: the GitHub App server. Probot's standard environment: APP_ID, PRIVATE_KEY or
 * PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT (3000), HOST, LOG_LEVEL, LOG_FORMAT, GHE_HOST / GHE_PROTOCOL.
 * Registry settings come from npm's own configuration (npm_config_registry, .npmrc). Approvals are
 * sealed with LOCKWARDEN_SECRET (at least 32 characters), else with a key derived from WEBHOOK_SECRET.
 * Per review: LOCKWARDEN_REVIEW_TIMEOUT (seconds, default 300) and LOCKWARDEN_MAX_CHANGES (default 5000).
 * Content analysis: LOCKWARDEN_CONTENT_WORKERS threads (default min(2, cores)), LOCKWARDEN_CONTENT_WORKER_MB each (256).
 */
import { lockwardenApp } from './app.js';
import type { ReviewQueue } from './queue.js';
import { checkEnv, startAppServer, StartupError } from './server.js';

async function start(): Promise<void> {
  checkEnv(process.env);
  let queue: ReviewQueue | undefined;
  const app = await startAppServer({ appFn: lockwardenApp({ onReady: (q) => (queue = q) }) });
  const stop = async (signal: string) => {
    app.probot.log.info({ signal, queued: queue?.size ?? 0 }, 'shutting down: finishing the reviews in progress');
    await app.close();
    // Reviews in progress finish their check runs; anything left is completed by the next start's sweep.
    await Promise.race([queue?.idle(), new Promise((r) => setTimeout(r, 8_000).unref())]); // within docker stop's 10 s
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

start().catch((e: unknown) => {
  process.stderr.write(`lockwarden: cannot start: ${e instanceof StartupError ? e.message : (e as Error).message}\n`);
  process.exitCode = 1;
});
