/** `check_suite.rerequested`: re-run the check of every pull request of the suite. */
import type { Probot } from 'probot';
import { GitHubApi, type Octokit } from '../api.js';
import { CHECK_NAME } from '../check-output.js';
import { pullNumberFromExternalId } from '../review-job.js';
import type { Reviews } from './reviews.js';

export function onCheckSuiteRerequested(app: Probot, reviews: Reviews): void {
  app.on('check_suite.rerequested', async (context) => {
    const { payload } = context;
    if (!reviews.fresh(context) || !payload.installation) return;
    const owner = payload.repository.owner.login;
    const repo = payload.repository.name;
    const suite = payload.check_suite;
    let numbers = suite.pull_requests.map((p) => p.number);
    if (numbers.length === 0) {
      // Fork PRs are not listed on the suite: find the PR through our earlier check run's external_id.
      const runs = await new GitHubApi(context.octokit as Octokit).listCheckRuns(owner, repo, suite.head_sha, CHECK_NAME);
      numbers = runs.map((r) => pullNumberFromExternalId(r.external_id)).filter((n): n is number => n !== undefined);
    }
    for (const n of new Set(numbers)) await reviews.rerunPull(context.octokit as Octokit, owner, repo, n, payload.installation.id, suite.head_sha);
  });
}
