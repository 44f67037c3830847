/**
 * npm archives read ahead, before their registry documents are in (src/registry/contents/prefetch.ts):
 * the new version and, for an upgrade, the base one, of the first changes the review asks about.
 */
import type { Change } from '../../model/index.js';
import { askedKeys } from './packument.js';
import type { GatherContext, Subject } from './types.js';

const KINDS: ReadonlySet<Change['kind']> = new Set(['added', 'upgraded', 'downgraded', 'source-changed']);

/** What the lockfile alone tells: a registry package whose new version content analysis reads. */
export function lockfileWants(c: Change, ctx: GatherContext): boolean {
  return (
    ctx.clients.online &&
    ctx.content?.enabled === true &&
    (c.ecosystem === 'npm' || c.ecosystem === 'pypi') &&
    KINDS.has(c.kind) &&
    c.to !== null &&
    c.head?.source.type === 'registry'
  );
}

/**
 * The first npm archives, read ahead while the registry documents are fetched (the new version and,
 * for an upgrade, the base one): a routine bump's archives then cost no round trip of their own.
 */
export function readAhead(subjects: readonly Subject[], ctx: GatherContext, max: number): void {
  const client = ctx.clients.registry;
  const c = ctx.content;
  if (!client?.prefetchContents || c?.enabled !== true) return;
  const limits = { maxArchiveBytes: c.maxArchiveBytes, maxUnpackedBytes: c.maxUnpackedBytes, maxFiles: c.maxFiles };
  // only names the review asks the registry about (src/core/cap.ts): a flood of names reads nothing ahead
  const asked = askedKeys(ctx);
  const sides = subjects
    .filter((s) => asked.has(s.key) && s.change.ecosystem === 'npm' && lockfileWants(s.change, ctx))
    .flatMap(({ change: ch }) => {
      const base = ch.from !== null && ch.from !== ch.to && ch.base?.source.type === 'registry' ? [ch.base] : [];
      return [ch.head!, ...base].map((side) => ({ name: ch.name, version: side.version, lockIntegrity: side.integrity }));
    });
  for (const side of sides.slice(0, max)) client.prefetchContents({ ...side, limits }, ctx.read);
}
