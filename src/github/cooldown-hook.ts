/** After a pull request's review: a hold arms (or replaces) the head's cooldown timer; no hold releases it. */
import type { ReviewResult } from '../core/review.js';
import type { CooldownTimers } from './cooldown-timers.js';
import type { ReviewTarget } from './review-job.js';

export function cooldownAfterReview(timers: CooldownTimers): (t: ReviewTarget, result: ReviewResult) => Promise<void> {
  return async (t, result) => {
    if (t.pullNumber === undefined) return; // a merge group is not re-run: the queue asks again
    if (result.cooldown) {
      await timers.hold({
        installationId: t.installationId,
        owner: t.owner,
        repo: t.repo,
        pullNumber: t.pullNumber,
        headSha: t.headSha,
        clearsAt: result.cooldown.clearsAt,
      });
    } else {
      await timers.release(t.owner, t.repo, t.pullNumber, t.headSha);
    }
  };
}
