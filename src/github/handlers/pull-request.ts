/** `pull_request`: review the pull request's head against its base. */
import type { Probot } from 'probot';
import type { Octokit } from '../api.js';
import type { Reviews } from './reviews.js';

const PR_ACTIONS = ['opened', 'synchronize', 'reopened', 'ready_for_review', 'edited'] as const;

export function onPullRequest(app: Probot, reviews: Reviews): void {
  app.on(
    PR_ACTIONS.map((a) => `pull_request.${a}` as const),
    async (context) => {
      const { payload } = context;
      // an edit matters only when it changed the base branch
      if (payload.action === 'edited' && !('changes' in payload && payload.changes && 'base' in payload.changes && payload.changes.base)) return;
      if (!reviews.fresh(context) || !payload.installation) return;
      const pr = payload.pull_request;
      // Config, files and contents are always read from the base repository: never the fork's config.
      reviews.schedule(context.octokit as Octokit, {
        owner: payload.repository.owner.login,
        repo: payload.repository.name,
        installationId: payload.installation.id,
        headSha: pr.head.sha,
        baseSha: pr.base.sha,
        pullNumber: pr.number,
      });
    },
  );
}
