/**
 * An OSV record (https://ossf.github.io/osv-schema/) as lockwarden reads it: lenient per item, so one
 * bad `affected` entry, range or event drops only itself; a record without an id or affected entry is dropped.
 */
import { z } from 'zod';

const text = (max: number) => z.string().max(max);

const event = z.union([
  z.strictObject({ introduced: text(200) }),
  z.strictObject({ fixed: text(200) }),
  z.strictObject({ last_affected: text(200) }),
  z.strictObject({ limit: text(200) }),
]);

export type OsvEvent = z.infer<typeof event>;

export interface OsvRange {
  type: string;
  events: OsvEvent[];
}

export interface OsvAffected {
  ecosystem: string;
  name: string;
  versions: string[];
  ranges: OsvRange[];
  severity?: string;
}

export interface OsvRecord {
  id: string;
  aliases: string[];
  summary: string;
  published?: string;
  modified?: string;
  affected: OsvAffected[];
  /** `database_specific.severity` (GHSA-style: LOW, MODERATE, HIGH, CRITICAL), lower case. */
  severity?: string;
  /** Has `database_specific.malicious-packages-origins` (the OpenSSF malicious-packages data). */
  maliciousOrigins: boolean;
  url?: string;
}

const head = z.object({
  id: z.string().min(1).max(200),
  aliases: z.array(z.unknown()).max(100).optional().catch(undefined),
  summary: z.string().optional().catch(undefined),
  details: z.string().optional().catch(undefined),
  published: z.string().max(60).optional().catch(undefined),
  modified: z.string().max(60).optional().catch(undefined),
  affected: z.array(z.unknown()).max(10_000),
  references: z.array(z.unknown()).max(1000).optional().catch(undefined),
  database_specific: z.record(z.string(), z.unknown()).optional().catch(undefined),
});

const affectedItem = z.object({
  package: z.object({ ecosystem: text(100), name: text(300) }),
  versions: z.array(z.unknown()).max(100_000).optional(),
  ranges: z.array(z.unknown()).max(1000).optional(),
  ecosystem_specific: z.record(z.string(), z.unknown()).optional().catch(undefined),
  database_specific: z.record(z.string(), z.unknown()).optional().catch(undefined),
});

const rangeItem = z.object({ type: text(40), events: z.array(z.unknown()).max(10_000) });

/** The record, or null when it has no id or no list of affected packages; `dropped` counts the bad items left out. */
export function parseOsvRecord(value: unknown): { record: OsvRecord | null; dropped: number } {
  const parsed = head.safeParse(value);
  if (!parsed.success) return { record: null, dropped: 1 };
  const r = parsed.data;
  let dropped = 0;
  const affected: OsvAffected[] = [];
  for (const item of r.affected) {
    const a = affectedOf(item);
    if (a) affected.push(a);
    else dropped++;
  }
  const record: OsvRecord = {
    id: r.id,
    aliases: (r.aliases ?? []).filter((a): a is string => typeof a === 'string' && a.length <= 200),
    summary: r.summary ?? firstLine(r.details ?? ''),
    affected,
    maliciousOrigins: r.database_specific !== undefined && 'malicious-packages-origins' in r.database_specific,
  };
  if (r.published !== undefined) record.published = r.published;
  if (r.modified !== undefined) record.modified = r.modified;
  const severity = lowerString(r.database_specific?.['severity']);
  if (severity !== undefined) record.severity = severity;
  const url = advisoryUrl(r.references ?? []);
  if (url !== undefined) record.url = url;
  return { record, dropped };
}

function affectedOf(item: unknown): OsvAffected | null {
  const p = affectedItem.safeParse(item);
  if (!p.success) return null;
  const a = p.data;
  const ranges: OsvRange[] = [];
  for (const r of a.ranges ?? []) {
    const range = rangeItem.safeParse(r);
    if (!range.success) continue;
    const events = range.data.events.flatMap((e) => {
      const ev = event.safeParse(e);
      return ev.success ? [ev.data] : [];
    });
    if (events.length) ranges.push({ type: range.data.type, events });
  }
  const versions = (a.versions ?? []).filter((v): v is string => typeof v === 'string' && v.length <= 200);
  if (!versions.length && !ranges.length) return null;
  const out: OsvAffected = { ecosystem: a.package.ecosystem, name: a.package.name, versions, ranges };
  const severity = lowerString(a.ecosystem_specific?.['severity']) ?? lowerString(a.database_specific?.['severity']);
  if (severity !== undefined) out.severity = severity;
  return out;
}

function lowerString(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 && v.length <= 40 ? v.toLowerCase() : undefined;
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0] ?? '';
}

/** The record's ADVISORY reference if it has one (an https URL), else its first https reference. */
function advisoryUrl(refs: readonly unknown[]): string | undefined {
  const urls = refs.flatMap((r) => {
    const ref = r as { type?: unknown; url?: unknown } | null;
    return ref && typeof ref.url === 'string' && /^https:\/\/[^\s]{1,500}$/.test(ref.url) ? [{ type: ref.type, url: ref.url }] : [];
  });
  return (urls.find((u) => u.type === 'ADVISORY') ?? urls[0])?.url;
}
