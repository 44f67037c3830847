/** The file-level difference of two archives: what content detectors read, and the "files changed" summary. */
import type { ArchiveContents, ArchiveFile } from '../model/contents.js';
import type { FileDelta, FilesChangedSummary } from './types.js';

const SUMMARY_FILES = 50;

/** Added, removed and changed files (same path, different sha256), in the new version's path order. */
export function compareContents(previous: ArchiveContents | null, next: ArchiveContents): FileDelta[] {
  const before = new Map<string, ArchiveFile>((previous?.files ?? []).map((f) => [f.path, f]));
  const after = new Map<string, ArchiveFile>(next.files.map((f) => [f.path, f]));
  const out: FileDelta[] = [];
  for (const [path, file] of after) {
    const old = before.get(path) ?? null;
    if (old !== null && old.sha256 === file.sha256) continue;
    out.push(delta(path, old === null ? 'added' : 'changed', old, file));
  }
  for (const [path, old] of before) if (!after.has(path)) out.push(delta(path, 'removed', old, null));
  return out;
}

function delta(path: string, status: FileDelta['status'], before: ArchiveFile | null, after: ArchiveFile | null): FileDelta {
  const d: FileDelta = { path, status, before, after, bytesBefore: before?.size ?? 0, bytesAfter: after?.size ?? 0 };
  if (before?.text !== undefined) d.textBefore = before.text;
  if (after?.text !== undefined) d.textAfter = after.text;
  return d;
}

export function filesChangedSummary(previous: ArchiveContents | null, next: ArchiveContents, deltas: readonly FileDelta[]): FilesChangedSummary {
  const count = (s: FileDelta['status']): number => deltas.filter((d) => d.status === s).length;
  const largest = [...deltas].sort((a, b) => Math.abs(b.bytesAfter - b.bytesBefore) - Math.abs(a.bytesAfter - a.bytesBefore));
  return {
    added: count('added'),
    removed: count('removed'),
    changed: count('changed'),
    unchanged: next.files.length - count('added') - count('changed'),
    bytesBefore: previous?.bytes.unpacked ?? 0,
    bytesAfter: next.bytes.unpacked,
    files: largest.slice(0, SUMMARY_FILES).map((d) => ({ path: d.path, status: d.status, bytesBefore: d.bytesBefore, bytesAfter: d.bytesAfter })),
    notAnalysed: notAnalysed(next, deltas),
  };
}

/** Added or changed files the detectors could not read, and what the gatherer skipped. */
function notAnalysed(next: ArchiveContents, deltas: readonly FileDelta[]): string[] {
  const out = deltas.filter((d) => d.after?.truncated === true).map((d) => d.path);
  for (const s of next.skipped) out.push(s.path === undefined ? s.reason : `${s.path}: ${s.reason}`);
  return out;
}
