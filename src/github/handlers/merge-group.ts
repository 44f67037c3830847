/** `merge_group.checks_requested`: review the merge group's head against its base (merge queues). */
import type { Probot } from 'probot';
import type { Octokit } from '../api.js';
import type { Reviews } from './reviews.js';

export function onMergeGroup(app: Probot, reviews: Reviews): void {
  app.on('merge_group.checks_requested', async (context) => {
    const { payload } = context;
    if (!payload.repository || !payload.installation || !reviews.fresh(context)) return;
    const mg = payload.merge_group;
    reviews.schedule(context.octokit as Octokit, {
      owner: payload.repository.owner.login,
      repo: payload.repository.name,
      installationId: payload.installation.id,
      headSha: mg.head_sha,
      baseSha: mg.base_sha,
    });
  });
}
