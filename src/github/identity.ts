/**
 * Who this App is on GitHub (its id and slug, learnt once with `GET /app`), and whether a comment
 * was written by it: its bot account `<slug>[bot]`, and when GitHub names the App that performed it,
 * that App. Only such comments are ever read back for approvals or the fingerprint.
 */
import type { IssueComment } from './api.js';

export interface AppIdentity {
  id: number;
  slug: string;
}

export const botLogin = (app: AppIdentity): string => `${app.slug}[bot]`;

export function writtenByApp(c: IssueComment, app: AppIdentity): boolean {
  if (c.user?.type !== 'Bot' || c.user.login.toLowerCase() !== botLogin(app).toLowerCase()) return false;
  return c.appId === null || c.appId === app.id;
}

/**
 * Caches the first successful answer of `load`; a failed attempt is retried at the next call (a
 * GitHub outage at start-up must not disable the App until restart).
 */
export function cachedIdentity(load: () => Promise<AppIdentity>): () => Promise<AppIdentity> {
  let pending: Promise<AppIdentity> | undefined;
  return () => {
    pending ??= load().catch((e: unknown) => {
      pending = undefined;
      throw e;
    });
    return pending;
  };
}
