#!/usr/bin/env node
/**
 * `npm start`: the GitHub App server. Probot reads its standard environment: APP_ID, PRIVATE_KEY or
 * PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, HOST, LOG_LEVEL, LOG_FORMAT, GHE_HOST / GHE_PROTOCOL.
 * Registry settings come from npm's own configuration (npm_config_registry, .npmrc).
 */
import { run } from 'probot';
import { lockwardenApp } from './app.js';

run(lockwardenApp()).catch((e: unknown) => {
  process.stderr.write(`lockwarden: cannot start: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
