/**
 * The lockwarden GitHub App (Probot 14): webhook handlers → the review queue → review jobs.
 * Handlers only validate and enqueue, so the webhook is answered at once.
 */
import os from 'node:os';
import path from 'node:path';
import type { ApplicationFunction, Context, Probot } from 'probot';
import {
  createNpmRegistryClient,
  createPypiIndexClient,
  resolveNpmConfig,
  resolvePypiIndexConfig,
  type PythonIndexClient,
  type RegistryClient,
} from '../registry/index.js';
import { escapeText } from '../report/index.js';
import { GitHubApi, type Octokit } from './api.js';
import { CHECK_NAME } from './check-output.js';
import { parseAllowCommand } from './allow-command.js';
import { cachedIdentity, type AppIdentity } from './identity.js';
import { loadRepoConfig } from './config.js';
import { fileJournal, type Journal } from './journal.js';
import { reviewLimitsFromEnv } from './limits.js';
import { PendingApprovals } from './pending-approvals.js';
import { ReviewQueue } from './queue.js';
import { pullNumberFromExternalId, runReviewJob, type JobDeps, type ReviewTarget } from './review-job.js';
import { createSigner, resolveSigningSecret } from './signing.js';

export interface LockwardenAppOptions {
  /** The registry client (default: one client resolved from npm's configuration at start-up). */
  registry?: RegistryClient;
  /**
   * The Python package index client (default: resolved from the App's environment — PIP_INDEX_URL,
   * UV_DEFAULT_INDEX/UV_INDEX_URL, pip's configuration files, then the installed pip's default — when the
   * first Python lockfile is reviewed). Never from a repository: the index is the operator's choice.
   */
  pypi?: PythonIndexClient;
  journal?: Journal;
  queue?: ReviewQueue;
  /**
   * The server secret that seals approvals and keys the comment fingerprint (default:
   * LOCKWARDEN_SECRET, else derived from WEBHOOK_SECRET). Without one the App refuses to load.
   */
  signingSecret?: string;
  /** This App's id and slug (default: asked once with `GET /app`, authenticated as the App). */
  identity?: AppIdentity;
  now?: () => Date;
  /** The review's deadline, ms (default: LOCKWARDEN_REVIEW_TIMEOUT seconds, else 300 s). */
  timeoutMs?: number;
  /** Most changed names one review asks the registry about (default: LOCKWARDEN_MAX_CHANGES, else 5000). */
  maxChanges?: number;
  /** Called with the queue once the app is loaded (tests wait on `queue.idle()`). */
  onReady?: (queue: ReviewQueue) => void;
}

const PR_ACTIONS = ['opened', 'synchronize', 'reopened', 'ready_for_review', 'edited'] as const;

export function lockwardenApp(options: LockwardenAppOptions = {}): ApplicationFunction {
  return async (app: Probot, { addHandler }) => {
    const limits = reviewLimitsFromEnv(process.env);
    const registry =
      options.registry ??
      createNpmRegistryClient({
        // The App's working directory is its deployment's (/app in the image), never a repository's.
        config: await resolveNpmConfig({ cwd: process.cwd(), trustProjectConfig: true, env: process.env, homedir: os.homedir() }),
        userAgent: 'lockwarden-app',
      });
    const journal = options.journal ?? fileJournal(process.env['LOCKWARDEN_STATE_DIR'] ?? path.join(os.tmpdir(), 'lockwarden'));
    const queue = options.queue ?? new ReviewQueue(Number(process.env['LOCKWARDEN_CONCURRENCY'] ?? 4), (key, e) => app.log.error({ key, error: (e as Error).message }, 'review job failed'));
    let pypiClient: Promise<PythonIndexClient> | undefined;
    const pypi = (): Promise<PythonIndexClient> => {
      if (options.pypi) return Promise.resolve(options.pypi);
      // One long-lived client (shared cache); a failed resolution is retried at the next review.
      pypiClient ??= resolvePypiIndexConfig({ env: process.env, homedir: os.homedir() })
        .then((config) => createPypiIndexClient({ config, userAgent: 'lockwarden-app' }))
        .catch((e: unknown) => {
          pypiClient = undefined;
          throw e;
        });
      return pypiClient;
    };
    const signer = createSigner(options.signingSecret ?? resolveSigningSecret(process.env));
    const given = options.identity;
    const identity = given ? () => Promise.resolve(given) : cachedIdentity(async () => new GitHubApi((await app.auth()) as Octokit).authenticatedApp());
    const deps: JobDeps = {
      registry,
      pypi,
      log: app.log,
      journal,
      signer,
      identity,
      ...(options.now ? { now: options.now } : {}),
      timeoutMs: options.timeoutMs ?? limits.timeoutMs,
      maxChanges: options.maxChanges ?? limits.maxChanges,
    };

    /** A reaction is a courtesy: failing to add one never stops the command. */
    async function react(api: GitHubApi, owner: string, repo: string, commentId: number, content: '+1' | 'confused') {
      try {
        await api.react(owner, repo, commentId, content);
      } catch (e) {
        app.log.warn({ repo: `${owner}/${repo}`, commentId, error: (e as Error).message }, 'could not react to a comment');
      }
    }

    const pendingApprovals = new PendingApprovals();
    const keyOf = (t: Pick<ReviewTarget, 'owner' | 'repo' | 'pullNumber' | 'headSha'>) =>
      t.pullNumber !== undefined ? `${t.owner}/${t.repo}#${t.pullNumber}` : `${t.owner}/${t.repo}@${t.headSha}`;

    function schedule(octokit: Octokit, target: ReviewTarget): void {
      const key = keyOf(target);
      queue.enqueue(key, (signal) => {
        // read when the job starts: a push that replaced the allow command's review still records it
        const newApprovals = pendingApprovals.get(key);
        const job: ReviewTarget = newApprovals.length ? { ...target, newApprovals, onApprovalsRecorded: () => pendingApprovals.recorded(key, newApprovals) } : target;
        return runReviewJob(new GitHubApi(octokit), job, deps, signal);
      });
    }

    /** Redeliveries (same X-GitHub-Delivery) are ignored. */
    const fresh = (context: Context) => queue.firstDelivery(context.id);

    app.on(
      PR_ACTIONS.map((a) => `pull_request.${a}` as const),
      async (context) => {
        const { payload } = context;
        if (payload.action === 'edited' && !('changes' in payload && payload.changes && 'base' in payload.changes && payload.changes.base)) return;
        if (!fresh(context) || !payload.installation) return;
        const pr = payload.pull_request;
        // Config, files and contents are always read from the base repository: never the fork's config.
        schedule(context.octokit as Octokit, {
          owner: payload.repository.owner.login,
          repo: payload.repository.name,
          installationId: payload.installation.id,
          headSha: pr.head.sha,
          baseSha: pr.base.sha,
          pullNumber: pr.number,
        });
      },
    );

    async function rerunForPull(context: Context, octokit: Octokit, owner: string, repo: string, pullNumber: number, installationId: number, headSha?: string) {
      const pr = await new GitHubApi(octokit).getPull(owner, repo, pullNumber);
      schedule(octokit, { owner, repo, installationId, headSha: headSha ?? pr.head.sha, baseSha: pr.base.sha, pullNumber });
      void context;
    }

    app.on('check_run.rerequested', async (context) => {
      const { payload } = context;
      if (!fresh(context) || !payload.installation || payload.check_run.name !== CHECK_NAME) return;
      const owner = payload.repository.owner.login;
      const repo = payload.repository.name;
      const run = payload.check_run;
      const pullNumber = pullNumberFromExternalId(run.external_id) ?? run.pull_requests[0]?.number;
      if (pullNumber !== undefined) {
        await rerunForPull(context, context.octokit as Octokit, owner, repo, pullNumber, payload.installation.id, run.head_sha);
        return;
      }
      const mg = run.external_id && /^merge-group:([a-f0-9]{40})$/.exec(run.external_id);
      if (mg) schedule(context.octokit as Octokit, { owner, repo, installationId: payload.installation.id, headSha: run.head_sha, baseSha: mg[1]! });
    });

    app.on('check_suite.rerequested', async (context) => {
      const { payload } = context;
      if (!fresh(context) || !payload.installation) return;
      const owner = payload.repository.owner.login;
      const repo = payload.repository.name;
      const suite = payload.check_suite;
      let numbers = suite.pull_requests.map((p) => p.number);
      if (numbers.length === 0) {
        // Fork PRs are not listed on the suite: find the PR through our earlier check run's external_id.
        const runs = await new GitHubApi(context.octokit as Octokit).listCheckRuns(owner, repo, suite.head_sha, CHECK_NAME);
        numbers = runs.map((r) => pullNumberFromExternalId(r.external_id)).filter((n): n is number => n !== undefined);
      }
      for (const n of new Set(numbers)) await rerunForPull(context, context.octokit as Octokit, owner, repo, n, payload.installation.id, suite.head_sha);
    });

    app.on('merge_group.checks_requested', async (context) => {
      const { payload } = context;
      if (!payload.repository || !payload.installation || !fresh(context)) return;
      const mg = payload.merge_group;
      schedule(context.octokit as Octokit, {
        owner: payload.repository.owner.login,
        repo: payload.repository.name,
        installationId: payload.installation.id,
        headSha: mg.head_sha,
        baseSha: mg.base_sha,
      });
    });

    app.on('issue_comment.created', async (context) => {
      const { payload } = context;
      if (!payload.issue.pull_request || !payload.installation || payload.comment.user?.type === 'Bot') return;
      const cmd = parseAllowCommand(payload.comment.body ?? '');
      if (cmd === null || !fresh(context)) return;
      const owner = payload.repository.owner.login;
      const repo = payload.repository.name;
      const user = payload.comment.user?.login ?? '';
      const api = new GitHubApi(context.octokit as Octokit);
      if ('error' in cmd) {
        await api.createComment(owner, repo, payload.issue.number, `lockwarden: ${escapeText(cmd.error)}`);
        return;
      }
      const permission = await api.permission(owner, repo, user);
      if (permission !== 'admin' && permission !== 'write') {
        await react(api, owner, repo, payload.comment.id, 'confused');
        await api.createComment(
          owner,
          repo,
          payload.issue.number,
          `Thanks for looking into this. Accepting a finding needs write access to this repository, so lockwarden has not recorded this approval. A maintainer can accept it with the same command.`,
        );
        app.log.info({ repo: `${owner}/${repo}`, pr: payload.issue.number, user, permission }, 'allow command refused');
        return;
      }
      await react(api, owner, repo, payload.comment.id, '+1');
      const approval = { package: cmd.package, version: cmd.version, reason: cmd.reason, by: user, at: new Date().toISOString() };
      const pr = await api.getPull(owner, repo, payload.issue.number);
      pendingApprovals.add(keyOf({ owner, repo, pullNumber: payload.issue.number, headSha: pr.head.sha }), approval);
      schedule(context.octokit as Octokit, {
        owner,
        repo,
        installationId: payload.installation.id,
        headSha: pr.head.sha,
        baseSha: pr.base.sha,
        pullNumber: payload.issue.number,
      });
      app.log.info({ repo: `${owner}/${repo}`, pr: payload.issue.number, user, package: `${cmd.package}@${cmd.version}` }, 'allow command accepted');
    });

    addHandler((req, res) => {
      if (req.method === 'GET' && (req.url === '/healthz' || req.url?.startsWith('/healthz?'))) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'ok', queued: queue.size }));
        return true;
      }
      return false;
    });

    // Finish any check run a previous process left in progress.
    void sweep(app, journal);
    options.onReady?.(queue);
  };
}

export async function sweep(app: Probot, journal: Journal): Promise<number> {
  let done = 0;
  for (const e of await journal.entries()) {
    try {
      const octokit = (await app.auth(e.installationId)) as Octokit;
      const api = new GitHubApi(octokit);
      // As strict as the repository asks for incomplete reviews (an unreadable config: fail).
      const conclusion = await loadRepoConfig(api, e.owner, e.repo).then(
        ({ config }) => config.incomplete,
        () => 'failure' as const,
      );
      await api.completeCheckRun(e.owner, e.repo, e.checkRunId, conclusion, {
        title: 'Review incomplete: lockwarden restarted during the review',
        summary: 'The review was interrupted. Re-run this check (or push again) to review the change.',
      });
      await journal.remove(e.checkRunId);
      done++;
    } catch (err) {
      app.log.warn({ repo: `${e.owner}/${e.repo}`, checkRunId: e.checkRunId, error: (err as Error).message }, 'could not finish an interrupted check run');
    }
  }
  return done;
}
