/** An OSV record as an {@link Advisory} for one queried version, once re-checked that it names that version. */
import type { Advisory, AdvisoryQuery, AdvisorySource } from '../../model/index.js';
import { matchOsv } from './match.js';
import type { OsvRecord } from './osv-schema.js';

/** The public OSV service: an advisory database, not a package registry (the only place its host is written). */
export const DEFAULT_OSV_URL = 'https://api.osv.dev';

/** The malicious-packages data's summaries, and GitHub's wording for its malware advisories. */
const MALWARE_SUMMARY = /^\s*(malicious code in|malicious package in|embedded malware in|embedded malicious code in)\b/i;

/** MAL- ids, records with malicious-packages origins, and the summaries those sources write. */
export function isMalicious(record: Pick<OsvRecord, 'id' | 'summary' | 'maliciousOrigins'>): boolean {
  return record.id.startsWith('MAL-') || record.maliciousOrigins || MALWARE_SUMMARY.test(record.summary);
}

/** The advisory for `q`, or null when the record does not name this package at this version. */
export function advisoryFromOsv(record: OsvRecord, source: AdvisorySource, q: AdvisoryQuery, osvBase?: string): Advisory | null {
  const affected = matchOsv(record.affected, q.ecosystem, q.name, q.version);
  if (!affected.length) return null;
  const a: Advisory = {
    id: record.id,
    aliases: record.aliases,
    source,
    kind: isMalicious(record) ? 'malicious' : 'vulnerability',
    summary: record.summary,
    affected,
    url: record.url ?? defaultUrl(record.id, osvBase),
  };
  const severity = record.severity ?? record.affected.find((x) => x.severity)?.severity;
  if (severity !== undefined) a.severity = severity;
  if (record.published !== undefined) a.published = record.published;
  if (record.modified !== undefined) a.modified = record.modified;
  return a;
}

/** A GitHub advisory page for a GHSA id, else the record at the OSV API (the service asked, or the public one for a local record). */
function defaultUrl(id: string, osvBase = DEFAULT_OSV_URL): string {
  if (/^GHSA-[\w-]+$/.test(id)) return `https://github.com/advisories/${id}`;
  return `${osvBase}/v1/vulns/${encodeURIComponent(id)}`;
}
