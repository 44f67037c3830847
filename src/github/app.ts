/**
 * The lockwarden GitHub App (Probot 14): webhook handlers (handlers/, one per event) → the review
 * queue → review jobs. Handlers only validate and enqueue, so the webhook is answered at once.
 */
import { type ContentAnalyser, ContentPool } from '../core/content-pool.js';
import { contentPoolOptionsFromEnv } from '../core/content-pool-env.js';
import os from 'node:os';
import path from 'node:path';
import type { ApplicationFunction, Probot } from 'probot';
import { createClients, type PythonIndexClient, type RegistryClient } from '../registry/index.js';
import { appAdvisories } from './advisories.js';
import type { Advisories } from '../registry/advisories/index.js';
import { GitHubApi, type Octokit } from './api.js';
import { loadRepoConfig } from './config.js';
import { cooldownAfterReview } from './cooldown-hook.js';
import { cooldownRerun } from './cooldown-rerun.js';
import { fileCooldownStore, memoryCooldownStore } from './cooldown-store.js';
import { CooldownTimers } from './cooldown-timers.js';
import { onPullRequestCooldown } from './handlers/cooldown.js';
import { onCheckRunRerequested } from './handlers/check-run.js';
import { onCheckSuiteRerequested } from './handlers/check-suite.js';
import { onIssueComment } from './handlers/issue-comment.js';
import { onMergeGroup } from './handlers/merge-group.js';
import { onPullRequest } from './handlers/pull-request.js';
import { createReviews } from './handlers/reviews.js';
import { cachedIdentity, type AppIdentity } from './identity.js';
import { fileJournal, type Journal } from './journal.js';
import { reviewLimitsFromEnv } from './limits.js';
import { ReviewQueue } from './queue.js';
import type { JobDeps } from './review-job.js';
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
  /**
   * The advisory sources (default: from the environment — LOCKWARDEN_OSV_URL, LOCKWARDEN_ADVISORIES_DIR,
   * LOCKWARDEN_GITHUB_ADVISORIES, LOCKWARDEN_ADVISORIES_TTL); null: none.
   */
  advisories?: Advisories | null;
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
  /**
   * Where the journal and the cooldown timers are kept (default: LOCKWARDEN_STATE_DIR, else
   * <tmp>/lockwarden). A caller that injects its own `journal` keeps state itself: without a
   * `stateDir` too, the cooldown timers then live in memory only.
   */
  stateDir?: string;
  /** How long after a hold clears its re-run starts, ms (default 60,000). */
  cooldownSlackMs?: number;
  /** Called with the cooldown timers once they are armed (tests fire them with `fireDue()`). */
  onCooldownTimers?: (timers: CooldownTimers) => void;
  /**
   * The content-analysis pool of every review (default: LOCKWARDEN_CONTENT_WORKERS threads, else
   * min(2, cores), each with LOCKWARDEN_CONTENT_WORKER_MB of heap, else 256).
   */
  contentAnalyser?: ContentAnalyser;
}

export function lockwardenApp(options: LockwardenAppOptions = {}): ApplicationFunction {
  return async (app: Probot, { addHandler }) => {
    const limits = reviewLimitsFromEnv(process.env);
    // one pool for the process: its threads bound the App's analysis work whatever the review concurrency
    const contentAnalyser = options.contentAnalyser ?? new ContentPool(contentPoolOptionsFromEnv(process.env));
    // The App's working directory is its deployment's (/app in the image), never a repository's.
    const clients = createClients({ userAgent: 'lockwarden-app', cwd: process.cwd(), env: process.env, homedir: os.homedir(), trustProjectConfig: true });
    const registry = options.registry ?? (await clients.npm());
    const stateDir = options.stateDir ?? process.env['LOCKWARDEN_STATE_DIR'] ?? path.join(os.tmpdir(), 'lockwarden');
    const journal = options.journal ?? fileJournal(stateDir);
    const queue =
      options.queue ??
      new ReviewQueue(Number(process.env['LOCKWARDEN_CONCURRENCY'] ?? 4), (key, e) => app.log.error({ key, error: (e as Error).message }, 'review job failed'));
    // One long-lived client (shared cache); a failed resolution is retried at the next review.
    const pypi = (): Promise<PythonIndexClient> => (options.pypi ? Promise.resolve(options.pypi) : clients.pypi());
    const signer = createSigner(options.signingSecret ?? resolveSigningSecret(process.env));
    const given = options.identity;
    const identity = given ? () => Promise.resolve(given) : cachedIdentity(async () => new GitHubApi((await app.auth()) as Octokit).authenticatedApp());
    let reviews: ReturnType<typeof createReviews> | undefined;
    const timers = new CooldownTimers({
      store: options.journal && options.stateDir === undefined ? memoryCooldownStore() : fileCooldownStore(stateDir),
      now: options.now ?? (() => new Date()),
      fire: cooldownRerun(app, () => reviews!),
      log: app.log,
      ...(options.cooldownSlackMs !== undefined ? { slackMs: options.cooldownSlackMs } : {}),
    });
    const deps: JobDeps = {
      registry,
      advisories: options.advisories !== undefined ? options.advisories : appAdvisories(process.env),
      pypi,
      log: app.log,
      journal,
      signer,
      identity,
      ...(options.now ? { now: options.now } : {}),
      timeoutMs: options.timeoutMs ?? limits.timeoutMs,
      maxChanges: options.maxChanges ?? limits.maxChanges,
      onReviewed: cooldownAfterReview(timers),
      contentAnalyser,
    };

    reviews = createReviews(app, queue, deps);
    onPullRequest(app, reviews);
    onPullRequestCooldown(app, reviews, timers);
    onCheckRunRerequested(app, reviews);
    onCheckSuiteRerequested(app, reviews);
    onMergeGroup(app, reviews);
    onIssueComment(app, reviews);

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
    // Re-arm the cooldown timers a previous process left (an overdue one fires at once).
    await timers.start().catch((e: unknown) => app.log.warn({ error: (e as Error).message }, 'could not load the cooldown timers'));
    options.onCooldownTimers?.(timers);
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
