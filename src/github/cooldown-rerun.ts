/**
 * What a cooldown timer does when it fires: re-read the pull request and, when the held head is
 * still its open head, queue a review of it as `check_run.rerequested` does; otherwise nothing.
 */
import type { Probot } from 'probot';
import { GitHubApi, type Octokit } from './api.js';
import type { CooldownEntry } from './cooldown-store.js';
import type { FireOutcome } from './cooldown-timers.js';
import type { Reviews } from './handlers/reviews.js';

export function cooldownRerun(app: Probot, reviews: () => Reviews): (e: CooldownEntry) => Promise<FireOutcome> {
  return async (e) => {
    const octokit = (await app.auth(e.installationId)) as Octokit;
    const pr = await new GitHubApi(octokit).getPull(e.owner, e.repo, e.pullNumber);
    if (pr.state !== 'open' || pr.head.sha !== e.headSha) return 'stale';
    reviews().schedule(octokit, {
      owner: e.owner,
      repo: e.repo,
      installationId: e.installationId,
      headSha: e.headSha,
      baseSha: pr.base.sha,
      pullNumber: e.pullNumber,
    });
    return 'queued';
  };
}
