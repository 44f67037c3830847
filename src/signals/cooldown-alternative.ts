/**
 * The release a reviewer can pin instead of one still inside the cooldown window: the newest version
 * published before the window, not deprecated or yanked, not a prerelease (unless the target is one),
 * never above the target, from the target's release line when it has one there.
 */
import type { Ecosystem, Packument, VersionMeta } from '../model/index.js';
import { versionComparator } from '../versions/index.js';
import { isPrerelease, releaseLine } from './history.js';
import { timeOf } from './util.js';

export interface Alternative {
  version: string;
  publishedAt: string;
  /** In the target's release line (its major, or `0.minor`). */
  sameLine: boolean;
}

/** `before`: epoch ms the alternative must be published before (now − window). */
export function cooldownAlternative(packument: Packument, target: string, before: number, ecosystem: Ecosystem): Alternative | undefined {
  const cmp = versionComparator(ecosystem);
  const allowPre = isPrerelease(target);
  const candidates: { meta: VersionMeta; time: number }[] = [];
  for (const [v, meta] of packument.versions) {
    const t = timeOf(meta.publishedAt);
    if (t === undefined || t >= before || v === target || cmp(v, target) > 0) continue;
    if ((typeof meta.deprecated === 'string' && meta.deprecated.trim() !== '') || meta.yanked !== undefined) continue;
    if (!allowPre && isPrerelease(v)) continue;
    candidates.push({ meta, time: t });
  }
  candidates.sort((a, b) => cmp(b.meta.version, a.meta.version));
  const line = releaseLine(target);
  const inLine = line === null ? undefined : candidates.find((c) => releaseLine(c.meta.version) === line);
  const pick = inLine ?? candidates[0];
  if (!pick) return undefined;
  return { version: pick.meta.version, publishedAt: new Date(pick.time).toISOString(), sameLine: pick === inLine };
}
