/**
 * The one sticky PR comment: written by this App, starting with a hidden marker, updated in place,
 * and ending with the App's state (sealed approvals, keyed fingerprint) as its trailing lines.
 */
import { severityRank } from '../model/index.js';
import type { ReviewResult } from '../core/review.js';
import type { Config } from '../policy/index.js';
import { code, escapeText, renderMarkdown } from '../report/index.js';
import type { IssueComment } from './api.js';
import { ALLOW_SYNTAX } from './allow-command.js';
import { openApprovals, sealApprovals, type Approval, type OpenedApprovals } from './approvals.js';
import { writtenByApp, type AppIdentity } from './identity.js';
import type { Signer, SigningScope } from './signing.js';

export const STICKY_MARKER = '<!-- lockwarden:sticky -->';
/** GitHub's comment limit is 65,536 characters (counted here in UTF-8 bytes, which is never fewer). */
const COMMENT_LIMIT = 65_536;
/** Room for the commit line, separators and the fingerprint. */
const COMMENT_RESERVE = 1_000;
/** The App's state: only ever read as the last two lines of the App's own comment. */
const TRAILER_RE = /\n<!-- lockwarden:approvals ([A-Za-z0-9+/=]*) -->\n<!-- lockwarden:fingerprint ([a-f0-9]{64}) -->\s*$/;

/** Our sticky comment: written by this App (never a user's or another bot's copy of the marker). */
export function findSticky(comments: readonly IssueComment[], app: AppIdentity): IssueComment | undefined {
  return comments.find((c) => writtenByApp(c, app) && c.body.startsWith(STICKY_MARKER));
}

interface Trailer {
  approvals: string;
  fingerprint: string;
}

function readTrailer(body: string | undefined): Trailer | null {
  const m = body ? TRAILER_RE.exec(body) : null;
  return m ? { approvals: m[1]!, fingerprint: m[2]! } : null;
}

/** Approvals sealed in the trailer of the App's comment whose MACs verify for this PR. */
export function readApprovals(body: string | undefined, scope: SigningScope, signer: Signer): OpenedApprovals {
  const t = readTrailer(body);
  return t ? openApprovals(t.approvals, scope, signer) : { approvals: [], dropped: 0 };
}

export function readFingerprint(body: string | undefined): string | undefined {
  return readTrailer(body)?.fingerprint;
}

/** Is there anything at or above `commentOn` (counted or accepted) worth a comment? */
export function worthCommenting(result: ReviewResult, config: Config): boolean {
  const min = severityRank(config.commentOn);
  const guard = (result.guardRails ?? []).some((g) => g.findings.some((f) => severityRank(f.severity) >= min));
  return guard || result.changes.some((c) => c.findings.some((f) => severityRank(f.severity) >= min)) || result.incomplete.length > 0;
}

function approvalsSection(approvals: readonly Approval[]): string {
  if (!approvals.length) return '';
  const rows = approvals.map(
    (a) =>
      `| ${code(`${a.package}@${a.version}`, 120)} | ${escapeText(a.by)} | ${escapeText(a.at.slice(0, 16).replace('T', ' '))} UTC | ${escapeText(a.reason)} |`,
  );
  return ['#### Accepted by reviewers', '', '| package | accepted by | when | reason |', '|---|---|---|---|', ...rows].join('\n');
}

export interface StickyState {
  approvals: readonly Approval[];
  scope: SigningScope;
  signer: Signer;
  /** From {@link stickyFingerprint}. */
  fingerprint: string;
}

/**
 * The comment body. `result` null means "nothing to report any more" (a later push removed every
 * finding): the comment says so instead of leaving a stale warning. Everything rendered before the
 * trailer is escaped (src/report/escape.ts), so no value shown can form a marker.
 */
export function renderSticky(result: ReviewResult | null, sha: string, config: Config, state: StickyState): string {
  const section = approvalsSection(state.approvals);
  const trailer = `<!-- lockwarden:approvals ${sealApprovals(state.approvals, state.scope, state.signer)} -->\n<!-- lockwarden:fingerprint ${state.fingerprint} -->`;
  const budget = COMMENT_LIMIT - COMMENT_RESERVE - Buffer.byteLength(section) - Buffer.byteLength(trailer);
  const parts = [STICKY_MARKER];
  if (result === null) {
    parts.push(`## ✅ lockwarden: no risky dependency changes any more\n\nThe findings reported earlier are gone as of commit ${code(sha.slice(0, 12))}.`);
  } else {
    parts.push(renderMarkdown(result, { maxBytes: budget, minSeverity: config.commentOn }));
    parts.push(`<sub>Commit ${code(sha.slice(0, 12))}. A collaborator with write access can accept a finding with ${code(ALLOW_SYNTAX)}.</sub>`);
  }
  if (section) parts.push(section);
  return `${parts.join('\n\n')}\n\n${trailer}`;
}

/** What the comment says, reduced to what matters and keyed: a new body only when this changes. */
export function stickyFingerprint(result: ReviewResult | null, approvals: readonly Approval[], scope: SigningScope, signer: Signer): string {
  const facts = result
    ? result.changes.map((c) => [c.lockfile, c.name, c.from, c.to, c.kind, c.findings.map((f) => [f.signal, f.severity, Boolean(f.allowed)])])
    : 'clear';
  const guard = result?.guardRails?.map((g) => [g.file, g.findings.map((f) => [f.change.key, f.change.after, f.severity])]) ?? [];
  return signer.fingerprint(scope, [facts, result?.incomplete.map((i) => [i.name, i.version]) ?? [], approvals, ...(guard.length ? [guard] : [])]);
}
