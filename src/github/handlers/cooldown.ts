/** `pull_request.synchronize` / `closed`: the pull request's cooldown timers go (a newer head is reviewed on its own). */
import type { Probot } from 'probot';
import type { CooldownTimers } from '../cooldown-timers.js';
import type { Reviews } from './reviews.js';

export function onPullRequestCooldown(app: Probot, reviews: Reviews, timers: CooldownTimers): void {
  app.on(['pull_request.synchronize', 'pull_request.closed'], async (context) => {
    const { payload } = context;
    const dropped = await timers.dropPull(payload.repository.owner.login, payload.repository.name, payload.pull_request.number);
    if (dropped > 0)
      reviews.log.info({ repo: payload.repository.full_name, pr: payload.pull_request.number, action: payload.action }, 'cooldown timer dropped');
  });
}
