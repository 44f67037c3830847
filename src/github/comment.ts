/**
 * The one sticky PR comment: found by a hidden marker, updated in place, carrying the approvals that
 * reviewers granted with `/lockwarden allow` in a hidden, validated block.
 */
import { z } from 'zod';
import { severityRank } from '../model.js';
import type { ReviewResult } from '../core/review.js';
import type { AllowEntry, Config } from '../policy/index.js';
import { code, escapeText, renderMarkdown } from '../report/index.js';
import type { IssueComment } from './api.js';

export const STICKY_MARKER = '<!-- lockwarden:sticky -->';
const APPROVALS_RE = /<!-- lockwarden:approvals ([A-Za-z0-9+/=]*) -->/;
/** GitHub's comment limit is 65,536 characters; keep room for the approvals block. */
const COMMENT_BUDGET = 60_000;
const MAX_APPROVALS = 200;

const approvalSchema = z.object({
  package: z.string().min(1).max(214),
  version: z.string().min(1).max(256),
  by: z.string().min(1).max(100),
  at: z.string().max(40),
  reason: z.string().min(1).max(1000),
});
export type Approval = z.infer<typeof approvalSchema>;

/** Our sticky comment among a PR's comments: it has the marker and was written by a bot (never a user's copy of the marker). */
export function findSticky(comments: readonly IssueComment[]): IssueComment | undefined {
  return comments.find((c) => c.user?.type === 'Bot' && c.body.includes(STICKY_MARKER));
}

/** Approvals recorded in a sticky comment's hidden block; anything malformed is ignored. */
export function readApprovals(body: string | undefined): Approval[] {
  const m = body ? APPROVALS_RE.exec(body) : null;
  if (!m) return [];
  try {
    const parsed = z.array(approvalSchema).max(MAX_APPROVALS).safeParse(JSON.parse(Buffer.from(m[1]!, 'base64').toString('utf8')));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** Approvals become exact-version allow entries (they never cover another version). */
export function approvalsToAllow(approvals: readonly Approval[]): AllowEntry[] {
  return approvals.map((a) => ({ package: a.package, version: a.version, reason: a.reason, by: a.by }));
}

export function withApprovals(config: Config, approvals: readonly Approval[]): Config {
  return { ...config, allow: [...config.allow, ...approvalsToAllow(approvals)] };
}

/** Is there anything at or above `commentOn` (counted or accepted) worth a comment? */
export function worthCommenting(result: ReviewResult, config: Config): boolean {
  const min = severityRank(config.commentOn);
  return result.changes.some((c) => c.findings.some((f) => severityRank(f.severity) >= min)) || result.incomplete.length > 0;
}

function approvalsSection(approvals: readonly Approval[]): string {
  if (!approvals.length) return '';
  const rows = approvals.map((a) => `| ${code(`${a.package}@${a.version}`, 120)} | ${escapeText(a.by)} | ${escapeText(a.at.slice(0, 16).replace('T', ' '))} UTC | ${escapeText(a.reason)} |`);
  return ['#### Accepted by reviewers', '', '| package | accepted by | when | reason |', '|---|---|---|---|', ...rows].join('\n');
}

function approvalsBlock(approvals: readonly Approval[]): string {
  return approvals.length ? `<!-- lockwarden:approvals ${Buffer.from(JSON.stringify(approvals), 'utf8').toString('base64')} -->` : '';
}

/**
 * The comment body. `result` null means "nothing to report any more" (a later push removed every
 * finding): the comment says so instead of leaving a stale warning.
 */
export function renderSticky(result: ReviewResult | null, approvals: readonly Approval[], sha: string, config: Config): string {
  const parts = [STICKY_MARKER];
  if (result === null) {
    parts.push(`## ✅ lockwarden: no risky dependency changes any more\n\nThe findings reported earlier are gone as of commit ${code(sha.slice(0, 12))}.`);
  } else {
    parts.push(renderMarkdown(result, { maxBytes: COMMENT_BUDGET, minSeverity: config.commentOn }));
    parts.push(`<sub>Commit ${code(sha.slice(0, 12))}. A collaborator with write access can accept a finding with ${code('/lockwarden allow <package>@<version> <reason>')}.</sub>`);
  }
  const section = approvalsSection(approvals);
  if (section) parts.push(section);
  const block = approvalsBlock(approvals);
  if (block) parts.push(block);
  return parts.join('\n\n');
}

/** `/lockwarden allow <package>@<version> <reason…>` → the parsed command, or an error to explain. */
export function parseAllowCommand(body: string): { package: string; version: string; reason: string } | { error: string } | null {
  const line = body.split(/\r?\n/).find((l) => l.trim().startsWith('/lockwarden'));
  if (!line) return null;
  const m = /^\/lockwarden\s+allow\s+(\S+)\s*(.*)$/.exec(line.trim());
  if (!m) return { error: 'usage: `/lockwarden allow <package>@<version> <reason>`' };
  const spec = m[1]!;
  const reason = m[2]!.trim();
  const at = spec.lastIndexOf('@');
  if (at <= 0) return { error: 'name the exact version: `/lockwarden allow <package>@<version> <reason>`' };
  const pkg = spec.slice(0, at);
  const version = spec.slice(at + 1);
  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(pkg) || pkg.length > 214) return { error: `"${pkg}" is not a package name` };
  if (!/^[0-9A-Za-z.+-]{1,100}$/.test(version)) return { error: `"${version}" is not an exact version` };
  if (!reason) return { error: 'give a reason: `/lockwarden allow <package>@<version> <reason>`' };
  return { package: pkg, version, reason: reason.slice(0, 1000) };
}
