/**
 * Approvals accepted from `/lockwarden allow` but not yet written into the sticky comment. A newer push
 * replaces or aborts the review that carried one, so every review of that pull request takes them along
 * until one of them has written the comment.
 */
import type { Approval } from './approvals.js';

const MAX_PULLS = 1000;
const MAX_PER_PULL = 10;

export class PendingApprovals {
  private readonly byPull = new Map<string, Approval[]>();

  add(key: string, approval: Approval): void {
    const list = (this.byPull.get(key) ?? []).filter((a) => !(a.package === approval.package && a.version === approval.version));
    list.push(approval);
    this.byPull.delete(key);
    this.byPull.set(key, list.slice(-MAX_PER_PULL));
    // bounded: the oldest pull requests' unrecorded approvals go first
    while (this.byPull.size > MAX_PULLS) this.byPull.delete(this.byPull.keys().next().value as string);
  }

  get(key: string): Approval[] {
    return [...(this.byPull.get(key) ?? [])];
  }

  /** Forgets the approvals a review has written (later ones, added meanwhile, stay). */
  recorded(key: string, written: readonly Approval[]): void {
    const left = (this.byPull.get(key) ?? []).filter((a) => !written.includes(a));
    if (left.length) this.byPull.set(key, left);
    else this.byPull.delete(key);
  }
}
