/**
 * The App's server secret and the MACs made with it: each approval recorded in the sticky comment,
 * and the fingerprint that lets the App skip unchanged comment edits. Both are HMAC-SHA256 under
 * keys derived from one secret, so nothing written by anyone else can pass for the App's own state.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Where a MAC is valid: one pull request of one repository (a MAC never moves to another PR). */
export interface SigningScope {
  /** `owner/name` (compared case-insensitively, as GitHub does). */
  repo: string;
  pr: number;
}

export interface Signer {
  /** Hex HMAC of `fields` (an approval's) for this scope. */
  approvalMac(scope: SigningScope, fields: readonly string[]): string;
  /** Does `mac` authenticate `fields` for this scope? (constant-time comparison) */
  verifyApproval(scope: SigningScope, fields: readonly string[], mac: string): boolean;
  /** Hex HMAC of what a sticky comment says, for this scope. */
  fingerprint(scope: SigningScope, facts: unknown): string;
}

/** The minimum length of LOCKWARDEN_SECRET (e.g. `openssl rand -hex 32` gives 64). */
export const MIN_SECRET_LENGTH = 32;
const DERIVATION_LABEL = 'lockwarden signing secret v1';

export class SigningSecretError extends Error {}

/**
 * LOCKWARDEN_SECRET, or when unset a key derived from WEBHOOK_SECRET (HMAC-SHA256 with a fixed
 * label, so an approval MAC can never equal a webhook signature GitHub computes with that secret).
 */
export function resolveSigningSecret(env: NodeJS.ProcessEnv): Buffer {
  const own = env['LOCKWARDEN_SECRET'];
  if (own !== undefined && own !== '') {
    if (own.length < MIN_SECRET_LENGTH) throw new SigningSecretError(`LOCKWARDEN_SECRET must be at least ${MIN_SECRET_LENGTH} characters long`);
    return Buffer.from(own, 'utf8');
  }
  const webhook = env['WEBHOOK_SECRET'];
  if (!webhook) throw new SigningSecretError('LOCKWARDEN_SECRET or WEBHOOK_SECRET is needed to sign approvals');
  return createHmac('sha256', webhook).update(DERIVATION_LABEL).digest();
}

function subkey(secret: Buffer, purpose: string): Buffer {
  return createHmac('sha256', secret).update(`lockwarden ${purpose} v1`).digest();
}

function mac(key: Buffer, scope: SigningScope, payload: unknown): string {
  return createHmac('sha256', key)
    .update(JSON.stringify([scope.repo.toLowerCase(), scope.pr, payload]))
    .digest('hex');
}

export function createSigner(secret: Buffer | string): Signer {
  const root = Buffer.isBuffer(secret) ? secret : Buffer.from(secret, 'utf8');
  if (root.length === 0) throw new SigningSecretError('the signing secret is empty');
  const approvalKey = subkey(root, 'approval');
  const fingerprintKey = subkey(root, 'fingerprint');
  return {
    approvalMac: (scope, fields) => mac(approvalKey, scope, fields),
    verifyApproval(scope, fields, given) {
      const expected = Buffer.from(mac(approvalKey, scope, fields), 'hex');
      const got = /^[a-f0-9]{64}$/.test(given) ? Buffer.from(given, 'hex') : Buffer.alloc(0);
      return got.length === expected.length && timingSafeEqual(got, expected);
    },
    fingerprint: (scope, facts) => mac(fingerprintKey, scope, facts),
  };
}
