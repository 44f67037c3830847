#!/usr/bin/env node
// `npm run demo`: the GitHub App, offline. Starts the real app (Probot server on 127.0.0.1) against an
// in-process fake GitHub API and the bundled fixture registry, delivers the bundled, signed
// pull_request webhook (a Dependabot-style PR that bumps axios to the poisoned 1.14.1 among routine
// updates; the payload comes from @octokit/webhooks-examples, adapted), and prints the check run and
// the PR comment the app posted. No GitHub account, no network.
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { startAppServer } from '../dist/github/server.js';
import { lockwardenApp } from '../dist/github/app.js';
import { memoryJournal } from '../dist/github/journal.js';
import { startFakeGitHub } from '../dist-support/test-support/fake-github.js';
import { startFixtureRegistry } from '../dist-support/test-support/fixture-registry.js';
import { createNpmRegistryClient, resolveNpmConfig } from '../dist/registry/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const scenario = process.argv[2] ?? 'demo';
const dir = path.join(here, scenario);
const meta = JSON.parse(await readFile(path.join(dir, 'scenario.json'), 'utf8'));
const read = (side, file) => readFile(path.join(dir, side, file), 'utf8');

const fake = await startFakeGitHub();
const registry = await startFixtureRegistry();
const secret = randomUUID();
const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const logs = [];
const log = pino({ level: 'info' }, { write: (s) => void logs.push(JSON.parse(s)) });

// The repository on the fake GitHub: main has the base lockfile, the PR branch the head one.
fake.addInstallation(4242, 'acme');
fake.addRepo({ owner: 'acme', name: 'webapp', defaultBranch: 'main', ownerType: 'Organization' });
const base = fake.commit(
  'acme/webapp',
  { 'package.json': await read('base', 'package.json'), 'package-lock.json': await read('base', 'package-lock.json') },
  { branch: 'main' },
);
const head = fake.commit(
  'acme/webapp',
  { 'package.json': await read('head', 'package.json'), 'package-lock.json': await read('head', 'package-lock.json') },
  { branch: 'dependabot/npm_and_yarn/axios-1.14.1', parent: base },
);
fake.addPullRequest('acme/webapp', {
  number: 7,
  baseRef: 'main',
  baseSha: base,
  headRef: 'dependabot/npm_and_yarn/axios-1.14.1',
  headSha: head,
  user: 'dependabot[bot]',
});

/** @type {import('../dist/github/queue.js').ReviewQueue | undefined} */
let queue;
const server = await startAppServer({
  probot: new Probot({
    appId: 1,
    privateKey,
    secret,
    baseUrl: fake.url,
    log,
    Octokit: ProbotOctokit.defaults((o) => ({ ...o, retry: { enabled: false }, throttle: { ...o.throttle, enabled: false } })),
  }),
  secret,
  host: '127.0.0.1',
  port: 0,
  appFn: lockwardenApp({
    registry: createNpmRegistryClient({ config: await resolveNpmConfig({ cwd: here, registry: registry.url, env: {}, homedir: '/nonexistent' }) }),
    journal: memoryJournal(),
    signingSecret: secret,
    now: () => new Date(meta.now),
    onReady: (q) => (queue = q),
    advisories: null,
  }),
});
const port = server.port;

try {
  const body = (await readFile(path.join(here, 'webhooks', 'pull_request.opened.json'), 'utf8')).replaceAll('HEAD_SHA', head).replaceAll('BASE_SHA', base);
  const res = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'pull_request',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
    body,
  });
  if (!queue) throw new Error('the App did not load');
  await queue.idle();
  const out = [];
  out.push(`# lockwarden App demo: ${meta.title}`);
  out.push(`webhook pull_request.opened delivered over HTTP → ${res.status}; now = ${meta.now}`);
  for (const run of fake.checkRuns) {
    out.push('', `## Check run "${run.name}" on ${run.head_sha.slice(0, 7)}: ${run.status} / ${run.conclusion}`, `title: ${run.output.title}`);
    out.push('', `annotations (${run.output.annotations.length}):`);
    for (const a of run.output.annotations) out.push(`  ${a.annotation_level.padEnd(7)} ${a.path}:${a.start_line}  ${a.title}`);
    out.push('', '--- check run summary (Markdown) ---', run.output.summary);
  }
  for (const c of fake.comments) out.push('', `## PR comment #${c.id} on acme/webapp#${c.issue} by ${c.user}`, c.body);
  const line = logs.find((l) => l.msg === 'review complete');
  if (line)
    out.push(
      '',
      `log: ${JSON.stringify({ repo: line.repo, pr: line.pr, sha: line.sha, changes: line.changes, findings: line.findings, conclusion: line.conclusion, durationMs: line.durationMs })}`,
    );
  out.push(
    '',
    `GitHub API requests: ${fake.requests.length} (all validated against GitHub's OpenAPI description: ${fake.errors.length === 0 ? 'no violations' : fake.errors.join('; ')})`,
  );
  out.push(`registry requests: ${registry.requests.length}`);
  process.stdout.write(`${out.join('\n')}\n`);
  if (fake.errors.length) process.exitCode = 1;
} finally {
  await server.close();
  await fake.close();
  await registry.close();
}
