/**
 * The "files changed" block of a flagged package (issue 14): its added, removed and changed files with
 * their sizes, collapsed, from a content finding's `filesChanged` evidence. Paths are attacker text:
 * each is a code span, one list item per file (a list, so no path can break a table).
 */
import type { PolicyFinding } from '../model/index.js';
import { code } from './escape.js';

/** Rows shown at most; the rest is counted. */
export const FILES_SHOWN = 30;

interface FileRow {
  path: string;
  status: string;
  bytesBefore: number;
  bytesAfter: number;
}

interface FilesChanged {
  added: number;
  removed: number;
  changed: number;
  bytesBefore: number;
  bytesAfter: number;
  files: FileRow[];
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/** The evidence's `filesChanged`, read defensively (a JSON report read back may carry anything). */
function filesChangedOf(evidence: Record<string, unknown>): FilesChanged | null {
  const raw = evidence['filesChanged'];
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const files = (Array.isArray(r['files']) ? r['files'] : []).flatMap((x: unknown): FileRow[] => {
    if (typeof x !== 'object' || x === null) return [];
    const f = x as Record<string, unknown>;
    return typeof f['path'] === 'string' && typeof f['status'] === 'string'
      ? [{ path: f['path'], status: f['status'], bytesBefore: num(f['bytesBefore']), bytesAfter: num(f['bytesAfter']) }]
      : [];
  });
  return {
    added: num(r['added']),
    removed: num(r['removed']),
    changed: num(r['changed']),
    bytesBefore: num(r['bytesBefore']),
    bytesAfter: num(r['bytesAfter']),
    files,
  };
}

function row(f: FileRow): string {
  const status = f.status === 'added' || f.status === 'removed' ? f.status : 'changed';
  const size = status === 'added' ? `${f.bytesAfter} bytes` : status === 'removed' ? `${f.bytesBefore} bytes` : `${f.bytesBefore} → ${f.bytesAfter} bytes`;
  return `- ${code(f.path, 200)} ${status}, ${size}`;
}

/** The collapsed block for one package's findings, or null when no content finding carries the summary. */
export function filesChangedMarkdown(findings: readonly Pick<PolicyFinding, 'evidence'>[]): string | null {
  const fc = findings.map((f) => filesChangedOf(f.evidence)).find((x) => x !== null && x.files.length > 0);
  if (!fc) return null;
  const total = fc.added + fc.removed + fc.changed;
  const shown = fc.files.slice(0, FILES_SHOWN);
  const more = Math.max(0, total - shown.length);
  const summary = `files changed: ${fc.added} added, ${fc.removed} removed, ${fc.changed} changed (${fc.bytesBefore} → ${fc.bytesAfter} bytes unpacked)`;
  const rows = [...shown.map(row), ...(more > 0 ? [`- and ${more} more`] : [])];
  return `<details><summary>${summary}</summary>\n\n${rows.join('\n')}\n</details>`;
}
