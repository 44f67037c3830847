/**
 * Approvals granted with `/lockwarden allow`: each one sealed with an HMAC over (repository, PR,
 * package, exact version, approver, time, reason) when the App writes it, and dropped when read
 * back unless that MAC verifies. They become allow entries that cover one exact version only.
 */
import { z } from 'zod';
import type { AllowEntry, Config } from '../policy/index.js';
import type { Signer, SigningScope } from './signing.js';

/** At most this many approvals are kept per PR (the newest), so the comment stays under GitHub's limit. */
export const MAX_APPROVALS = 10;
export const MAX_REASON_LENGTH = 300;

const approvalSchema = z.strictObject({
  package: z.string().min(1).max(214),
  version: z.string().min(1).max(100),
  by: z.string().min(1).max(100),
  at: z.string().max(40),
  reason: z.string().min(1).max(MAX_REASON_LENGTH),
});
export type Approval = z.infer<typeof approvalSchema>;

const sealedSchema = z.array(approvalSchema.extend({ mac: z.string().max(64) })).max(MAX_APPROVALS);

const fields = (a: Approval) => ['approval', a.package, a.version, a.by, a.at, a.reason];

/** The approvals as the App stores them: base64 of JSON, each entry with its MAC. */
export function sealApprovals(approvals: readonly Approval[], scope: SigningScope, signer: Signer): string {
  const sealed = approvals.map((a) => ({
    package: a.package,
    version: a.version,
    by: a.by,
    at: a.at,
    reason: a.reason,
    mac: signer.approvalMac(scope, fields(a)),
  }));
  return Buffer.from(JSON.stringify(sealed), 'utf8').toString('base64');
}

export interface OpenedApprovals {
  approvals: Approval[];
  /** Entries dropped because they were malformed or their MAC did not verify (to log). */
  dropped: number;
}

/** The approvals whose MAC verifies for this scope; a malformed block yields none. */
export function openApprovals(base64: string, scope: SigningScope, signer: Signer): OpenedApprovals {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    return { approvals: [], dropped: 1 };
  }
  const parsed = sealedSchema.safeParse(raw);
  if (!parsed.success) return { approvals: [], dropped: Array.isArray(raw) ? Math.max(1, raw.length) : 1 };
  const approvals: Approval[] = [];
  for (const { mac, ...a } of parsed.data) if (signer.verifyApproval(scope, fields(a), mac)) approvals.push(a);
  return { approvals, dropped: parsed.data.length - approvals.length };
}

/** Approvals become exact allow entries: the same name, the same version string, nothing else. */
export function approvalsToAllow(approvals: readonly Approval[]): AllowEntry[] {
  return approvals.map((a) => ({ package: a.package, version: a.version, exact: true, reason: a.reason, by: a.by }));
}

export function withApprovals(config: Config, approvals: readonly Approval[]): Config {
  return { ...config, allow: [...config.allow, ...approvalsToAllow(approvals)] };
}

/** A new approval replaces one for the same package and version; only the newest MAX_APPROVALS are kept. */
export function mergeApprovals(existing: readonly Approval[], added: readonly Approval[]): Approval[] {
  let all = [...existing];
  for (const a of added) all = [...all.filter((e) => !(e.package === a.package && e.version === a.version)), a];
  return all.slice(-MAX_APPROVALS);
}
