/**
 * `issue_comment.created`: `/lockwarden allow <package>@<version> <reason>` from a collaborator with
 * write access records the approval and re-runs the check; anyone else gets a polite refusal.
 */
import type { Probot } from 'probot';
import { escapeText } from '../../report/index.js';
import { parseAllowCommand } from '../allow-command.js';
import { GitHubApi, type Octokit } from '../api.js';
import type { Reviews } from './reviews.js';

const REFUSAL =
  'Thanks for looking into this. Accepting a finding needs write access to this repository, so lockwarden has not recorded this approval. A maintainer can accept it with the same command.';

export function onIssueComment(app: Probot, reviews: Reviews): void {
  /** A reaction is a courtesy: failing to add one never stops the command. */
  async function react(api: GitHubApi, owner: string, repo: string, commentId: number, content: '+1' | 'confused') {
    try {
      await api.react(owner, repo, commentId, content);
    } catch (e) {
      reviews.log.warn({ repo: `${owner}/${repo}`, commentId, error: (e as Error).message }, 'could not react to a comment');
    }
  }

  app.on('issue_comment.created', async (context) => {
    const { payload } = context;
    if (!payload.issue.pull_request || !payload.installation || payload.comment.user?.type === 'Bot') return;
    const cmd = parseAllowCommand(payload.comment.body ?? '');
    if (cmd === null || !reviews.fresh(context)) return;
    const owner = payload.repository.owner.login;
    const repo = payload.repository.name;
    const pullNumber = payload.issue.number;
    const user = payload.comment.user?.login ?? '';
    const api = new GitHubApi(context.octokit as Octokit);
    if ('error' in cmd) {
      await api.createComment(owner, repo, pullNumber, `lockwarden: ${escapeText(cmd.error)}`);
      return;
    }
    const permission = await api.permission(owner, repo, user);
    if (permission !== 'admin' && permission !== 'write') {
      await react(api, owner, repo, payload.comment.id, 'confused');
      await api.createComment(owner, repo, pullNumber, REFUSAL);
      reviews.log.info({ repo: `${owner}/${repo}`, pr: pullNumber, user, permission }, 'allow command refused');
      return;
    }
    await react(api, owner, repo, payload.comment.id, '+1');
    const approval = { package: cmd.package, version: cmd.version, reason: cmd.reason, by: user, at: new Date().toISOString() };
    const pr = await api.getPull(owner, repo, pullNumber);
    reviews.approve({ owner, repo, pullNumber, headSha: pr.head.sha }, approval);
    reviews.schedule(context.octokit as Octokit, {
      owner,
      repo,
      installationId: payload.installation.id,
      headSha: pr.head.sha,
      baseSha: pr.base.sha,
      pullNumber,
    });
    reviews.log.info({ repo: `${owner}/${repo}`, pr: pullNumber, user, package: `${cmd.package}@${cmd.version}` }, 'allow command accepted');
  });
}
