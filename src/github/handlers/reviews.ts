/**
 * What the event handlers share: scheduling a review in the queue (one per pull request or merge
 * group, newer pushes replacing older ones), approvals waiting for their review, redelivery checks.
 */
import type { Context, Probot } from 'probot';
import type { Approval } from '../approvals.js';
import { GitHubApi, type Octokit } from '../api.js';
import { PendingApprovals } from '../pending-approvals.js';
import type { ReviewQueue } from '../queue.js';
import { runReviewJob, type JobDeps, type ReviewTarget } from '../review-job.js';

export interface Reviews {
  /** Queues a review of `target`, replacing a pending or running one of the same pull request. */
  schedule(octokit: Octokit, target: ReviewTarget): void;
  /** Queues a review of pull request `pullNumber` at `headSha` (default: its current head). */
  rerunPull(octokit: Octokit, owner: string, repo: string, pullNumber: number, installationId: number, headSha?: string): Promise<void>;
  /** Keeps `approval` for the reviews of the pull request until one has written it into the comment. */
  approve(target: Pick<ReviewTarget, 'owner' | 'repo' | 'pullNumber' | 'headSha'>, approval: Approval): void;
  /** False for a redelivery (same X-GitHub-Delivery): it is ignored. */
  fresh(context: Context): boolean;
  log: Probot['log'];
}

export function createReviews(app: Probot, queue: ReviewQueue, deps: JobDeps): Reviews {
  const pendingApprovals = new PendingApprovals();
  const keyOf = (t: Pick<ReviewTarget, 'owner' | 'repo' | 'pullNumber' | 'headSha'>) =>
    t.pullNumber !== undefined ? `${t.owner}/${t.repo}#${t.pullNumber}` : `${t.owner}/${t.repo}@${t.headSha}`;

  function schedule(octokit: Octokit, target: ReviewTarget): void {
    const key = keyOf(target);
    queue.enqueue(key, (signal) => {
      // read when the job starts: a push that replaced the allow command's review still records it
      const newApprovals = pendingApprovals.get(key);
      const job: ReviewTarget = newApprovals.length
        ? { ...target, newApprovals, onApprovalsRecorded: () => pendingApprovals.recorded(key, newApprovals) }
        : target;
      return runReviewJob(new GitHubApi(octokit), job, deps, signal);
    });
  }

  return {
    schedule,
    async rerunPull(octokit, owner, repo, pullNumber, installationId, headSha) {
      const pr = await new GitHubApi(octokit).getPull(owner, repo, pullNumber);
      schedule(octokit, { owner, repo, installationId, headSha: headSha ?? pr.head.sha, baseSha: pr.base.sha, pullNumber });
    },
    approve: (target, approval) => pendingApprovals.add(keyOf(target), approval),
    fresh: (context) => queue.firstDelivery(context.id),
    log: app.log,
  };
}
