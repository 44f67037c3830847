/** known-malicious / known-vulnerability evidence in words: one line per advisory (ids, sources, dates, range, summary, link). */
import type { EvidenceFormat } from './evidence.js';

type Evidence = Record<string, unknown>;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const day = (v: unknown): string | undefined => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : undefined);

/** At most five advisories, each on one line; every value is advisory text, shown through `f.value`. */
export function advisoryEvidence(e: Evidence, f: EvidenceFormat): string[] {
  const groups = Array.isArray(e['advisories']) ? (e['advisories'] as unknown[]).filter((g): g is Evidence => typeof g === 'object' && g !== null) : [];
  const lines = groups.slice(0, 5).map((g) => {
    const ids = [...strings(g['ids']), ...strings(g['aliases'])].slice(0, 6).map(f.value).join(', ');
    const parts = [`${ids} (${strings(g['sources']).map(f.value).join(', ')})`];
    if (typeof g['summary'] === 'string' && g['summary'] !== '') parts.push(f.value(g['summary']));
    const affected = strings(g['affected']);
    if (affected.length) parts.push(`affected ${affected.map(f.value).join('; ')}`);
    const published = day(g['published']);
    if (published) parts.push(`published ${published}`);
    if (typeof g['severity'] === 'string') parts.push(`severity ${f.value(g['severity'])}`);
    const url = strings(g['urls'])[0];
    if (url) parts.push(f.value(url));
    return parts.join(' · ');
  });
  if (groups.length > 5) lines.push(`and ${groups.length - 5} more advisories`);
  return lines;
}
