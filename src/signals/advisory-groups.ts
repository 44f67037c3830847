/**
 * Advisories grouped by identity: two sources' records about the same incident (sharing an id or an
 * alias) are one group, so a version two sources know is ONE finding listing both. Evidence text is
 * cleaned and cut: advisory summaries are free text that others can influence.
 */
import type { Advisory } from '../model/index.js';
import { clean } from './util.js';

export interface AdvisoryGroup {
  ids: string[];
  aliases: string[];
  sources: string[];
  summary: string;
  severity?: string;
  published?: string;
  modified?: string;
  affected: string[];
  urls: string[];
}

const MAX_GROUPS = 20;

export function groupAdvisories(advisories: readonly Advisory[]): AdvisoryGroup[] {
  const groups: { names: Set<string>; members: Advisory[] }[] = [];
  for (const a of advisories) {
    const names = [a.id, ...a.aliases];
    const hit = groups.filter((g) => names.some((n) => g.names.has(n)));
    const merged = { names: new Set(names), members: [a] };
    for (const g of hit) {
      for (const n of g.names) merged.names.add(n);
      merged.members.push(...g.members);
      groups.splice(groups.indexOf(g), 1);
    }
    groups.push(merged);
  }
  return groups.slice(0, MAX_GROUPS).map((g) => evidenceOf(g.members));
}

function evidenceOf(members: readonly Advisory[]): AdvisoryGroup {
  const ids = unique(members.map((m) => m.id));
  const first = members.find((m) => m.summary.trim() !== '') ?? members[0]!;
  const group: AdvisoryGroup = {
    ids: ids.map((i) => clean(i, 100)),
    aliases: unique(members.flatMap((m) => m.aliases))
      .filter((a) => !ids.includes(a))
      .slice(0, 10)
      .map((a) => clean(a, 100)),
    sources: unique(members.map((m) => m.source)),
    summary: clean(first.summary, 300),
    affected: unique(members.flatMap((m) => m.affected))
      .slice(0, 5)
      .map((r) => clean(r, 120)),
    urls: unique(members.map((m) => m.url))
      .slice(0, 5)
      .map((u) => clean(u, 300)),
  };
  const severity = members.find((m) => m.severity)?.severity;
  if (severity !== undefined) group.severity = clean(severity, 20);
  const published = earliest(members.map((m) => m.published));
  if (published !== undefined) group.published = clean(published, 40);
  const modified = members
    .map((m) => m.modified)
    .filter((x): x is string => x !== undefined)
    .sort()
    .pop();
  if (modified !== undefined) group.modified = clean(modified, 40);
  return group;
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

function earliest(xs: readonly (string | undefined)[]): string | undefined {
  return xs.filter((x): x is string => x !== undefined).sort()[0];
}

/** `MAL-2025-46969 (GHSA-2v46-p5h4-248w)` for a message. */
export function groupLabel(g: AdvisoryGroup): string {
  return g.aliases.length ? `${g.ids.join(', ')} (${g.aliases.slice(0, 3).join(', ')})` : g.ids.join(', ');
}
