/** `check_run.rerequested`: re-run our check, for a pull request or a merge group. */
import type { Probot } from 'probot';
import type { Octokit } from '../api.js';
import { CHECK_NAME } from '../check-output.js';
import { pullNumberFromExternalId } from '../review-job.js';
import type { Reviews } from './reviews.js';

export function onCheckRunRerequested(app: Probot, reviews: Reviews): void {
  app.on('check_run.rerequested', async (context) => {
    const { payload } = context;
    if (!reviews.fresh(context) || !payload.installation || payload.check_run.name !== CHECK_NAME) return;
    const owner = payload.repository.owner.login;
    const repo = payload.repository.name;
    const run = payload.check_run;
    // a fork PR is not listed on the check run: our external_id names it
    const pullNumber = pullNumberFromExternalId(run.external_id) ?? run.pull_requests[0]?.number;
    if (pullNumber !== undefined) {
      await reviews.rerunPull(context.octokit as Octokit, owner, repo, pullNumber, payload.installation.id, run.head_sha);
      return;
    }
    const mg = run.external_id && /^merge-group:([a-f0-9]{40})$/.exec(run.external_id);
    if (mg) reviews.schedule(context.octokit as Octokit, { owner, repo, installationId: payload.installation.id, headSha: run.head_sha, baseSha: mg[1]! });
  });
}
