/**
 * The review's guard-rail step: the settings files the change touched (passed by the edge, plus the
 * requirements files among the lockfiles and their `-r` includes) are compared base against head
 * (src/guard-rails). Weakenings are `guard-rail-weakened` findings; tightenings are good news.
 */
import { InputError } from '../errors.js';
import { hasGuardRailReader, isLockwardenConfig, lockwardenConfigChanges, MAX_GUARD_RAIL_FILES, weakenings } from '../guard-rails/index.js';
import { isRequirementsPath } from '../lockfiles/formats/requirements/index.js';
import type { GuardRailChange, GuardRailFile, GuardRailFinding, GuardRailReview, Incomplete, Severity } from '../model/index.js';
import { parseConfigLayer, type Config } from '../policy/index.js';
import { guardRailWeakened } from '../signals/index.js';
import type { LockfileInput } from './inputs.js';

export interface GuardRailOutcome {
  reviews: GuardRailReview[];
  incomplete: Incomplete[];
}

const text = (c: string | Uint8Array | null): string | null => (c === null || typeof c === 'string' ? c : new TextDecoder().decode(c));

/** The files to compare: the edge's, then each requirements lockfile and what it includes (first of a path wins). */
export function guardRailFilesOf(files: readonly GuardRailFile[], inputs: readonly LockfileInput[]): GuardRailFile[] {
  const out = new Map<string, GuardRailFile>();
  const add = (f: GuardRailFile) => void (out.has(f.file) ? undefined : out.set(f.file, f));
  for (const f of files) add(f);
  for (const i of inputs) {
    if (!isRequirementsPath(i.file) && !isRequirementsPath(i.basePath ?? i.file)) continue;
    add({ file: i.file, base: text(i.base), head: text(i.head) });
    const included = new Set([...(i.baseIncludes?.keys() ?? []), ...(i.headIncludes?.keys() ?? [])]);
    for (const p of included) add({ file: p, base: i.baseIncludes?.get(p) ?? null, head: i.headIncludes?.get(p) ?? null });
  }
  return [...out.values()];
}

function finding(file: string, c: GuardRailChange, severity: Severity): GuardRailFinding {
  const move = `${c.key} ${c.before ?? '(not set)'} → ${c.after ?? '(removed)'}`;
  return {
    signal: 'guard-rail-weakened',
    severity,
    message: `${file} line ${c.line}: ${move}: ${c.reason}.`,
    evidence: { file, line: c.line, key: c.key, before: c.before, after: c.after },
    change: c,
  };
}

function unreadable(file: string, e: unknown): { review: GuardRailReview; incomplete: Incomplete } {
  const message = e instanceof InputError ? e.message : `internal error: ${(e as Error)?.message ?? String(e)}`;
  const line = e instanceof InputError ? e.line : undefined;
  const review: GuardRailReview = { file, findings: [], tightened: [], unreadable: { message, ...(line ? { line } : {}) } };
  // An unreadable settings file could hide a weakening: the check fails, as for an unreadable lockfile.
  const reason = `settings file not readable, so its guard rails are not reviewed: ${message}`;
  return { review, incomplete: { name: file, version: null, reason, lockfile: file, failClosed: true } };
}

/** lockwarden's own config: what changed, and whether the new copy would even load (it takes effect once merged). */
function awareness(f: GuardRailFile): string[] {
  const lines = lockwardenConfigChanges(f.file, f.base, f.head);
  if (!lines.length || f.head === null) return lines;
  try {
    parseConfigLayer(f.head, f.file);
  } catch (e) {
    lines.push(`the new ${f.file} is not a valid configuration: ${(e as Error).message}`);
  }
  return lines;
}

function reviewOne(f: GuardRailFile, severity: Severity | 'off'): GuardRailReview {
  if (isLockwardenConfig(f.file)) return { file: f.file, findings: [], tightened: [], awareness: awareness(f) };
  const w = weakenings(f.file, f.base, f.head);
  const findings = severity === 'off' ? [] : w.weakened.map((c) => finding(f.file, c, severity));
  return { file: f.file, findings, tightened: w.tightened };
}

/**
 * Compares every file (at most {@link MAX_GUARD_RAIL_FILES}; past it the review fails closed, naming how
 * many). Severity comes from `signals: { guard-rail-weakened: … }`; allow entries name packages and never apply.
 */
export function reviewGuardRails(files: readonly GuardRailFile[], inputs: readonly LockfileInput[], config: Config): GuardRailOutcome {
  const all = guardRailFilesOf(files, inputs).filter((f) => isLockwardenConfig(f.file) || hasGuardRailReader(f.file));
  const severity = config.signals.get('guard-rail-weakened') ?? guardRailWeakened.defaultSeverity;
  const out: GuardRailOutcome = { reviews: [], incomplete: [] };
  for (const f of all.slice(0, MAX_GUARD_RAIL_FILES)) {
    try {
      const r = reviewOne(f, severity);
      if (r.findings.length || r.tightened.length || r.awareness?.length) out.reviews.push(r);
    } catch (e) {
      const u = unreadable(f.file, e);
      out.reviews.push(u.review);
      out.incomplete.push(u.incomplete);
    }
  }
  if (all.length > MAX_GUARD_RAIL_FILES) {
    const skipped = all.length - MAX_GUARD_RAIL_FILES;
    out.incomplete.push({
      name: `${skipped} settings files`,
      version: null,
      reason: `${skipped} of the ${all.length} changed settings files were not reviewed for weakened guard rails: over the cap of ${MAX_GUARD_RAIL_FILES} per review`,
      failClosed: true,
    });
  }
  return out;
}
