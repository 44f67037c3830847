/**
 * One review of one commit: check run in progress → changed lockfiles → base and head contents →
 * the shared review engine → completed check run (+ annotations) → the sticky PR comment.
 * Whatever happens, the check run ends completed: a required check that never reports blocks merging.
 */
import type { ContentAnalyser } from '../core/content-pool.js';
import type { Logger } from 'pino';
import { ConfigError, LockfileError } from '../errors.js';
import { review, reviewFindings, type Incomplete, type LockfileInput, type ReviewResult } from '../core/review.js';
import type { GuardRailFile } from '../model/index.js';
import { untilCut } from '../registry/abort.js';
import { conclude, defaultConfig, type Config } from '../policy/index.js';
import type { PythonIndexClient, RegistryClient } from '../registry/index.js';
import { escapeText } from '../report/index.js';
import { ignoredAdvisorySettings, reviewAdvisories } from './advisories.js';
import { appConfig, clampedContentNote } from './content-limits.js';
import type { Advisories } from '../registry/advisories/index.js';
import type { GitHubApi } from './api.js';
import { CHECK_NAME, incompleteOutput, planCheck } from './check-output.js';
import { guardRailsOverCap, readGuardRailFiles } from './guard-rail-files.js';
import { changedFiles, MAX_LOCKFILES, notReviewedLockfiles, readLockfileInputs, splitLockfiles } from './pull-files.js';
import { mergeApprovals, withApprovals, type Approval } from './approvals.js';
import { findSticky, readApprovals, readFingerprint, renderSticky, stickyFingerprint, worthCommenting } from './comment.js';
import { loadRepoConfig } from './config.js';
import type { AppIdentity } from './identity.js';
import type { Journal } from './journal.js';
import type { Signer, SigningScope } from './signing.js';

export interface ReviewTarget {
  owner: string;
  repo: string;
  installationId: number;
  headSha: string;
  baseSha: string;
  /** Absent for merge groups (no PR to comment on). */
  pullNumber?: number;
  /** Reviewers' `/lockwarden allow` approvals not yet in the comment, to record with this run. */
  newApprovals?: readonly Approval[];
  /** Called once the comment holding `newApprovals` is written (or needed no change). */
  onApprovalsRecorded?: () => void;
}

export interface JobDeps {
  registry: RegistryClient;
  /** The Python package index client, asked for only when a Python lockfile changed. */
  pypi?: () => Promise<PythonIndexClient>;
  log: Logger;
  journal: Journal;
  /** Seals approvals and keys the comment fingerprint (the App's server secret). */
  signer: Signer;
  /** This App on GitHub: only its own comments are read back. */
  identity: () => Promise<AppIdentity>;
  now?: () => Date;
  /**
   * The review's deadline, ms (default {@link DEFAULT_REVIEW_TIMEOUT_MS}): registry reads still running
   * then are cut and listed as timed out, and the check completes with what was reviewed.
   */
  timeoutMs?: number;
  /** Most changed names one review asks the registry about (default: the engine's DEFAULT_MAX_CHANGES). */
  maxChanges?: number;
  /** Called once the check run is completed (the cooldown timers: src/github/cooldown-hook.ts); its errors are logged. */
  onReviewed?: (t: ReviewTarget, result: ReviewResult) => Promise<void>;
  /** The advisory sources (known-malicious, known-vulnerability); asked with the installation's token. */
  advisories?: Advisories | null;
  /** The App's content-analysis pool, shared by its reviews (absent: each review starts its own). */
  contentAnalyser?: ContentAnalyser;
}

/** 5 minutes: a large honest change reads a few thousand documents well within it. */
export const DEFAULT_REVIEW_TIMEOUT_MS = 5 * 60_000;

export function externalId(t: Pick<ReviewTarget, 'pullNumber' | 'baseSha'>): string {
  return t.pullNumber !== undefined ? `pr:${t.pullNumber}` : `merge-group:${t.baseSha}`;
}

/** `pr:12` → 12 (a later check_run.rerequested finds its PR this way, also for forks). */
export function pullNumberFromExternalId(id: string | null | undefined): number | undefined {
  const m = id ? /^pr:(\d{1,10})$/.exec(id) : null;
  return m ? Number(m[1]) : undefined;
}

function abortError(signal: AbortSignal): boolean {
  return signal.aborted;
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

export async function runReviewJob(api: GitHubApi, t: ReviewTarget, deps: JobDeps, signal: AbortSignal): Promise<void> {
  const started = Date.now();
  const now = deps.now ?? (() => new Date());
  const log = deps.log.child({ repo: `${t.owner}/${t.repo}`, pr: t.pullNumber, sha: t.headSha });
  const checkRunId = await api.createCheckRun(t.owner, t.repo, t.headSha, CHECK_NAME, externalId(t));
  await deps.journal.add({ installationId: t.installationId, owner: t.owner, repo: t.repo, checkRunId });
  let config: Config = defaultConfig();
  let stage = 'loading the configuration';
  const timeout = AbortSignal.timeout(deps.timeoutMs ?? DEFAULT_REVIEW_TIMEOUT_MS);
  const both = AbortSignal.any([signal, timeout]);
  try {
    // A GitHub call that never answers must not hold the check past the deadline: stop waiting for it then.
    config = (await untilCut(loadRepoConfig(api, t.owner, t.repo), both)).config;

    stage = 'listing the changed files';
    const listed = await untilCut(changedFiles(api, t), both);
    const { supported, unsupported } = splitLockfiles(listed);

    stage = 'reading the pull request comments';
    const scope = t.pullNumber !== undefined ? { repo: `${t.owner}/${t.repo}`, pr: t.pullNumber } : undefined;
    const sticky = scope ? await untilCut(readSticky(api, t, scope, deps, log), both) : undefined;
    const approvals = mergeApprovals(sticky?.approvals ?? [], t.newApprovals ?? []);
    config = withApprovals(config, approvals);

    stage = 'reading the lockfiles';
    const inputs = await untilCut(readLockfileInputs(api, t, supported.slice(0, MAX_LOCKFILES)), both);

    stage = 'reading the settings files';
    const guardRails = await untilCut(readGuardRailFiles(api, t, listed), both);

    // Past this point the deadline no longer aborts the job: reads it cuts are listed as timed out,
    // and the check is completed with what was reviewed.
    stage = 'reviewing';
    const result = await reviewChange(api, deps, { inputs, guardRailFiles: guardRails.files, config, now: now(), signal: both });
    settle(result, config, [...notReviewedLockfiles(supported, unsupported), ...guardRailsOverCap(guardRails)]);
    if (inputs.length === 0) result.summary.offline = false;
    throwIfAborted(signal);

    stage = 'publishing the check run';
    await publishCheck(api, t, checkRunId, result, config);
    await deps.journal.remove(checkRunId);
    await deps.onReviewed?.(t, result).catch((e: unknown) => log.warn({ error: (e as Error).message }, 'after-review step failed'));

    if (scope) {
      stage = 'updating the PR comment';
      await publishComment(api, t, result, config, { approvals, sticky: sticky?.comment, scope, signer: deps.signer });
      t.onApprovalsRecorded?.();
    }
    log.info(
      {
        lockfiles: inputs.length,
        changes: result.changes.length,
        findings: result.changes.reduce((n, c) => n + c.findings.length, 0),
        incomplete: result.incomplete.length,
        conclusion: result.conclusion,
        durationMs: Date.now() - started,
      },
      'review complete',
    );
  } catch (e) {
    await endAfterError(api, t, checkRunId, deps, { error: e, signal, stage, config, timedOut: timeout.aborted, log, started });
  }
}

interface JobFailure {
  error: unknown;
  /** The job's own signal: aborted when a newer push superseded it. */
  signal: AbortSignal;
  stage: string;
  config: Config;
  timedOut: boolean;
  log: Logger;
  started: number;
}

/** Completes the check of a job that threw: cancelled when superseded, else as {@link failureOutput} says. */
async function endAfterError(api: GitHubApi, t: ReviewTarget, checkRunId: number, deps: JobDeps, f: JobFailure): Promise<void> {
  if (abortError(f.signal)) {
    await finish(api, t, checkRunId, deps, 'cancelled', {
      title: 'Superseded by a newer push',
      summary: 'A newer commit of this pull request is being reviewed instead.',
    });
    f.log.info({ durationMs: Date.now() - f.started }, 'review superseded');
    return;
  }
  const { conclusion, output } = failureOutput(f.error, f.stage, f.config, f.timedOut);
  await finish(api, t, checkRunId, deps, conclusion, output);
  f.log.warn({ stage: f.stage, error: (f.error as Error).message, conclusion, durationMs: Date.now() - f.started }, 'review incomplete');
}

interface ChangeToReview {
  inputs: LockfileInput[];
  guardRailFiles: GuardRailFile[];
  config: Config;
  now: Date;
  signal: AbortSignal;
}

/** The shared engine on what was read; no registry or advisory source is asked when no lockfile changed. */
function reviewChange(api: GitHubApi, deps: JobDeps, c: ChangeToReview): Promise<ReviewResult> {
  const pypi = deps.pypi;
  const online = c.inputs.length > 0;
  return review(c.inputs, {
    registry: online ? deps.registry.review() : null,
    pypi: pypi ? async () => (await pypi()).review() : null,
    now: c.now,
    config: appConfig(c.config),
    signal: c.signal,
    guardRailFiles: c.guardRailFiles,
    ...(deps.maxChanges !== undefined ? { maxChanges: deps.maxChanges } : {}),
    advisories: online ? reviewAdvisories(deps.advisories, api, c.config) : null,
    ...(deps.contentAnalyser ? { contentAnalyser: deps.contentAnalyser } : {}),
  });
}

/**
 * What the App adds to the engine's result: the notes on settings it ignores, and the files it did not
 * review (an unsupported or surplus lockfile, settings files over the cap: each fails closed). The
 * conclusion is drawn again over all of it.
 */
function settle(result: ReviewResult, config: Config, notReviewed: readonly Incomplete[]): void {
  result.notes.push(...ignoredAdvisorySettings(config), ...clampedContentNote(config));
  if (config.pythonIndexUrl !== undefined) {
    result.notes.push({
      kind: 'config-ignored',
      message:
        "python.indexUrl is not used by the App (a repository cannot choose the hosts the App connects to): the App's operator sets the index (PIP_INDEX_URL or pip.conf).",
    });
  }
  result.incomplete.push(...notReviewed);
  result.conclusion = conclude(reviewFindings(result), result.incomplete.length, config, result.incomplete.filter((i) => i.failClosed).length);
}

async function publishCheck(api: GitHubApi, t: ReviewTarget, checkRunId: number, result: ReviewResult, config: Config): Promise<void> {
  const plan = planCheck(result, config, t.headSha);
  await api.completeCheckRun(t.owner, t.repo, checkRunId, plan.conclusion, plan.output);
  for (const batch of plan.moreAnnotations) {
    await api.addAnnotations(t.owner, t.repo, checkRunId, { title: plan.output.title, summary: plan.output.summary, annotations: batch });
  }
}

/**
 * The check of a review that threw. An unreadable head lockfile, an invalid config and any internal
 * error (a bug, a RangeError, a stack overflow: what a PR can cause) fail it; only infrastructure
 * trouble (GitHub API and network errors, the deadline) follows `config.incomplete`.
 */
export function failureOutput(e: unknown, stage: string, config: Config, timedOut: boolean) {
  if (e instanceof LockfileError && e.file && !e.file.endsWith(' (base)')) {
    // The pull request's own lockfile cannot be read: it cannot be merged as reviewed.
    const output = incompleteOutput(`cannot read ${e.file}`, escapeText(e.message));
    output.title = `Cannot read ${e.file}${e.line ? ` (line ${e.line})` : ''}`.slice(0, 255);
    if (e.line)
      output.annotations = [
        {
          path: e.file,
          start_line: e.line,
          end_line: e.line,
          annotation_level: 'failure',
          title: 'lockwarden cannot parse this lockfile',
          message: e.message.slice(0, 4000),
        },
      ];
    return { conclusion: 'failure' as const, output };
  }
  if (e instanceof ConfigError) {
    // An unreadable config cannot say how strict to be: fail, so that breaking the config never lets a change through.
    return {
      conclusion: 'failure' as const,
      output: incompleteOutput(
        `invalid configuration (${e.file ?? '.github/lockwarden.yml'}${e.line ? ` line ${e.line}` : ''})`,
        `${escapeText(e.message)}\n\nFix the file on the default branch, then re-run this check.`,
      ),
    };
  }
  const message = e instanceof Error ? e.message : String(e);
  if (timedOut) return { conclusion: config.incomplete, output: incompleteOutput(`timed out while ${stage}`) };
  if (isInfrastructure(e)) return { conclusion: config.incomplete, output: incompleteOutput(`error while ${stage}: ${message}`.slice(0, 200)) };
  const output = incompleteOutput(
    `internal error while ${stage}: ${message}`.slice(0, 200),
    'lockwarden failed while reviewing this change, so it cannot pass. Re-run the check; if it fails again, report the error.',
  );
  return { conclusion: 'failure' as const, output };
}

const NETWORK_CODES = /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/;

/** A GitHub API error (Octokit's RequestError carries the HTTP status) or a network error: not the PR's doing. */
function isInfrastructure(e: unknown): boolean {
  const err = e as { name?: unknown; status?: unknown; code?: unknown; cause?: { code?: unknown } } | null;
  if (err === null || typeof err !== 'object') return false;
  if (err.name === 'HttpError' || typeof err.status === 'number') return true;
  const code = err.code ?? err.cause?.code;
  return typeof code === 'string' && NETWORK_CODES.test(code);
}

async function finish(
  api: GitHubApi,
  t: ReviewTarget,
  checkRunId: number,
  deps: JobDeps,
  conclusion: 'success' | 'neutral' | 'failure' | 'cancelled',
  output: { title: string; summary: string },
) {
  try {
    await api.completeCheckRun(t.owner, t.repo, checkRunId, conclusion, output);
    await deps.journal.remove(checkRunId);
  } catch (e) {
    // Left in the journal: the start-up sweep completes it.
    deps.log.error({ repo: `${t.owner}/${t.repo}`, checkRunId, error: (e as Error).message }, 'could not complete the check run');
  }
}

interface ReadSticky {
  comment: { id: number; body: string } | undefined;
  approvals: Approval[];
}

/** The App's own sticky comment and the approvals in it whose MACs verify (others dropped, and logged). */
async function readSticky(api: GitHubApi, t: ReviewTarget, scope: SigningScope, deps: JobDeps, log: Logger): Promise<ReadSticky> {
  const [comments, app] = await Promise.all([api.listComments(t.owner, t.repo, scope.pr), deps.identity()]);
  const comment = findSticky(comments, app);
  const { approvals, dropped } = readApprovals(comment?.body, scope, deps.signer);
  if (dropped > 0) log.warn({ commentId: comment?.id, dropped }, 'approvals dropped: their MAC does not verify');
  return { comment, approvals };
}

interface CommentState {
  approvals: Approval[];
  sticky: { id: number; body: string } | undefined;
  scope: SigningScope;
  signer: Signer;
}

async function publishComment(api: GitHubApi, t: ReviewTarget, result: ReviewResult, config: Config, s: CommentState) {
  const show = worthCommenting(result, config) || s.approvals.length > 0;
  if (!show && !s.sticky) return; // nothing to say, and nothing said before
  const shown = show ? result : null;
  const fingerprint = stickyFingerprint(shown, s.approvals, s.scope, s.signer);
  if (s.sticky && readFingerprint(s.sticky.body) === fingerprint) return; // nothing changed
  const body = renderSticky(shown, t.headSha, config, { approvals: s.approvals, scope: s.scope, signer: s.signer, fingerprint });
  if (s.sticky) await api.updateComment(t.owner, t.repo, s.sticky.id, body);
  else await api.createComment(t.owner, t.repo, s.scope.pr, body);
}
