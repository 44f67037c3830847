/**
 * `new-capability`: kinds the new version's file has and its previous version (same path) had not.
 * A kind some other file of the previous version had moved rather than appeared: weak kinds are then
 * dropped, strong ones kept at low.
 */
import type { Severity } from '../model/finding.js';
import type { Capabilities } from './capability-set.js';
import { hunkExcerpt } from './excerpt.js';
import { addedLines, lineOf, lineStarts } from './lines.js';
import type { ContentFinding, DetectorContext, FileDelta } from './types.js';

/** Kinds worth a reviewer's look on their own; the others (network, spawn, hosts, eval) are what packages do. */
const STRONG = [
  'credential:',
  'env-dump',
  'ci-config',
  'shell-startup',
  'browser-hook',
  'secret-to-network',
  'secret-to-host',
  'recon-to-host',
  'download-exec',
  'remote-code',
  'decoded-code',
  'runs-at-import',
  'pth-exec',
];

export function isStrong(kind: string): boolean {
  return STRONG.some((s) => kind === s || kind.startsWith(s));
}

/** The finding for one added or changed file read by `scan` (the JS or the Python scanner). */
export function capabilityFindings(delta: FileDelta, ctx: DetectorContext, scan: (text: string) => Capabilities, python: boolean): ContentFinding[] {
  if (delta.textAfter === undefined) return [];
  // a copy: the scanner's result is shared within the analysis, and Python's import-time kinds are added here
  const after = new Map(scan(delta.textAfter));
  const before = delta.textBefore === undefined ? new Map() : scan(delta.textBefore);
  const lines = () => ({ added: addedLines(delta.textBefore, delta.textAfter!), starts: lineStarts(delta.textAfter!) });
  const early = python ? lines() : undefined;
  if (early) addImportTime(after, delta, early.added, early.starts);
  const fresh = newKinds(after, before, ctx);
  if (fresh.length === 0) return [];
  const { added, starts } = early ?? lines();
  return [finding(delta, ctx, after, fresh, added, starts)];
}

function newKinds(after: Capabilities, before: Capabilities, ctx: DetectorContext): Array<{ kind: string; moved: boolean }> {
  const out: Array<{ kind: string; moved: boolean }> = [];
  for (const kind of after.keys()) {
    if (kind === 'secret-word' || before.has(kind)) continue;
    const moved = ctx.previousCapabilities.has(kind);
    if (moved && !isStrong(kind)) continue;
    out.push({ kind, moved });
  }
  return out;
}

/** Python: a hit on an added, unindented line runs when the module is imported; `.pth` import lines run at start-up. */
function addImportTime(caps: Capabilities, delta: FileDelta, added: ReadonlySet<number>, starts: readonly number[]): void {
  const text = delta.textAfter!;
  for (const [kind, offsets] of [...caps]) {
    if (!['process-exec', 'network', 'dynamic-code', 'decoded-code', 'remote-code'].includes(kind)) continue;
    const top = offsets.find((o) => added.has(lineOf(starts, o)) && isTopLevelStatement(text, starts[lineOf(starts, o) - 1]!));
    if (top !== undefined) caps.set('runs-at-import', [top]);
  }
  if (!delta.path.endsWith('.pth')) return;
  for (const n of added) if (/^import[ \t]/.test(text.slice(starts[n - 1]!, starts[n - 1]! + 8))) caps.set('pth-exec', [starts[n - 1]!]);
}

/** An unindented line that is not an import: it runs when the module loads. */
function isTopLevelStatement(text: string, start: number): boolean {
  const head = text.slice(start, start + 8);
  return /^\S/.test(head) && !/^(?:import|from|def|class|#|@)[ \t]/.test(head);
}

function finding(
  delta: FileDelta,
  ctx: DetectorContext,
  caps: Capabilities,
  fresh: Array<{ kind: string; moved: boolean }>,
  added: ReadonlySet<number>,
  starts: readonly number[],
): ContentFinding {
  const hits = fresh.flatMap(({ kind }) => caps.get(kind) ?? []).sort((a, b) => a - b);
  const lines = hits.map((o) => lineOf(starts, o));
  const first = hits.find((o) => added.has(lineOf(starts, o))) ?? hits[0]!;
  const firstLine = lineOf(starts, first);
  const kinds = fresh.map((f) => (f.moved ? `${f.kind} (moved)` : f.kind));
  return {
    signal: 'new-capability',
    severity: baseSeverity(fresh, ctx),
    message: `${delta.path}${delta.status === 'added' ? ' (new file)' : ''} gains: ${kinds.join(', ')}`,
    evidence: {
      file: delta.path,
      lines: [Math.min(...lines), Math.max(...lines)],
      bytesBefore: delta.bytesBefore,
      bytesAfter: delta.bytesAfter,
      excerpt: hunkExcerpt(delta.textAfter!, added, firstLine, first - starts[firstLine - 1]!),
      kinds,
    },
  };
}

/** Medium for a strong kind new to the package, low otherwise; entry points and combinations raise it later. */
function baseSeverity(fresh: Array<{ kind: string; moved: boolean }>, ctx: DetectorContext): Severity {
  if (!ctx.hasPrevious) return 'low';
  return fresh.some((f) => isStrong(f.kind) && !f.moved) ? 'medium' : 'low';
}
