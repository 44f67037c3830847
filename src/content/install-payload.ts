/**
 * `install-script-payload`: a file an install script runs was added or changed. The finding says what
 * the file now does (its capabilities) and what of that is new; an unchanged install script is never reported.
 */
import type { Severity } from '../model/finding.js';
import { hunkExcerpt } from './excerpt.js';
import { scannerOf } from './language.js';
import { addedLines } from './lines.js';
import type { ContentFinding, DetectorContext, FileDelta } from './types.js';

export function detectInstallPayload(delta: FileDelta, ctx: DetectorContext): ContentFinding[] {
  if (delta.after === null || !ctx.installTargets.has(delta.path)) return [];
  const now = capabilityKinds(delta.path, delta.textAfter);
  const before = new Set(capabilityKinds(delta.path, delta.textBefore));
  const gained = now.filter((k) => !before.has(k));
  const newTarget = !ctx.previousInstallTargets.has(delta.path);
  const kinds = [newTarget ? 'new-install-target' : 'install-target-changed', ...gained.map((k) => `gains:${k}`)];
  const does = now.length > 0 ? `; it now does: ${now.join(', ')}` : '';
  return [
    {
      signal: 'install-script-payload',
      severity: severity(ctx, newTarget, now, gained),
      message: `${delta.path}, run at install, ${newTarget ? 'is new' : 'changed'} (${delta.bytesBefore} → ${delta.bytesAfter} bytes)${does}`,
      evidence: { file: delta.path, lines: changedLines(delta), bytesBefore: delta.bytesBefore, bytesAfter: delta.bytesAfter, excerpt: excerpt(delta), kinds },
    },
  ];
}

function capabilityKinds(path: string, text: string | undefined): string[] {
  const scan = scannerOf(path);
  if (text === undefined || scan === null) return [];
  return [...scan(text).keys()].filter((k) => k !== 'secret-word');
}

/**
 * High when install now runs a new file that does something, or an existing one gains a capability;
 * low for a changed target that gains nothing (install helpers change with each release).
 */
function severity(ctx: DetectorContext, newTarget: boolean, now: readonly string[], gained: readonly string[]): Severity {
  if (!ctx.hasPrevious) return 'low';
  if (gained.length > 0 || (newTarget && now.length > 0)) return 'high';
  return newTarget ? 'medium' : 'low';
}

/** The first and last lines the new version added (`[0, 0]` when the file is not text or only lost lines). */
function changedLines(delta: FileDelta): [number, number] {
  if (delta.textAfter === undefined) return [0, 0];
  const count = lineCount(delta.textAfter);
  let first = 0;
  let last = 0;
  // a loop, not Math.min(...set): a hostile file can add millions of lines
  for (const n of addedLines(delta.textBefore, delta.textAfter)) {
    if (n > count) continue;
    if (first === 0 || n < first) first = n;
    if (n > last) last = n;
  }
  return [first, last];
}

/** Lines of a text, the empty string after a final newline not counted. */
function lineCount(text: string): number {
  const n = text.split('\n').length;
  return text.endsWith('\n') ? n - 1 : n;
}

function excerpt(delta: FileDelta): string {
  if (delta.textAfter === undefined) return `${delta.bytesAfter} bytes, not text`;
  const added = addedLines(delta.textBefore, delta.textAfter);
  const first = changedLines(delta)[0];
  return hunkExcerpt(delta.textAfter, added, first === 0 ? 1 : first);
}
