/**
 * `obfuscated-code`: packing or obfuscation the file's previous version did not show (a minified build
 * the package always shipped is not new), and dynamic code run on decoded data.
 */
import type { Severity } from '../model/finding.js';
import { hunkExcerpt } from './excerpt.js';
import { scannerOf } from './language.js';
import { memoized } from './memo.js';
import { addedLines, lineOf, lineStarts } from './lines.js';
import { LONG_LINE, longestLine, type ObfuscationHit, obfuscationHits } from './obfuscation-metrics.js';
import type { ContentFinding, DetectorContext, FileDelta } from './types.js';

/** Every obfuscation kind of a text, `eval-of-decoded` included for files a scanner reads. */
export function obfuscationOf(path: string, text: string): ObfuscationHit[] {
  const hits = [...memoized('obfuscation', text, obfuscationHits)];
  const scan = scannerOf(path);
  const decoded = scan === null ? undefined : scan(text).get('decoded-code');
  if (decoded !== undefined) hits.push({ kind: 'eval-of-decoded', offset: decoded[0]! });
  return hits;
}

export function detectObfuscation(delta: FileDelta, ctx: DetectorContext): ContentFinding[] {
  if (delta.textAfter === undefined || scannerOf(delta.path) === null) return [];
  const before = new Set(delta.textBefore === undefined ? [] : obfuscationOf(delta.path, delta.textBefore).map((h) => h.kind));
  // a previous text the reader cut is no baseline of its own: the package's, as for a new file
  const packageWide = delta.status === 'added' || wasCut(delta);
  const fresh = obfuscationOf(delta.path, delta.textAfter).filter((h) => !before.has(h.kind) && !(packageWide && ctx.previousObfuscation.has(h.kind)));
  if (fresh.length === 0) return [];
  return [finding(delta, ctx, fresh)];
}

/** The previous version's text was kept only in part (over the reader's budget). */
function wasCut(delta: FileDelta): boolean {
  return delta.before?.truncated === true;
}

function finding(delta: FileDelta, ctx: DetectorContext, fresh: ObfuscationHit[]): ContentFinding {
  const text = delta.textAfter!;
  const starts = lineStarts(text);
  const added = addedLines(delta.textBefore, text);
  const first = Math.min(...fresh.map((h) => h.offset));
  const line = lineOf(starts, first);
  const lines = fresh.map((h) => lineOf(starts, h.offset));
  const wasReadable = delta.textBefore !== undefined && !wasCut(delta) && longestLine(delta.textBefore).length <= LONG_LINE;
  const kinds = fresh.map((h) => h.kind);
  return {
    signal: 'obfuscated-code',
    severity: severity(kinds, ctx),
    message: `${delta.path}${wasReadable ? ', readable before,' : ''} now shows ${kinds.join(', ')} (${delta.bytesBefore} → ${delta.bytesAfter} bytes)`,
    evidence: {
      file: delta.path,
      lines: [Math.min(...lines), Math.max(...lines)],
      bytesBefore: delta.bytesBefore,
      bytesAfter: delta.bytesAfter,
      excerpt: hunkExcerpt(text, added, line, first - starts[line - 1]!),
      kinds: wasReadable ? [...kinds, 'was-readable'] : kinds,
    },
  };
}

/** A long line alone is what a build change looks like (low); names, escapes, blobs and decoded code are medium. */
function severity(kinds: readonly string[], ctx: DetectorContext): Severity {
  if (!ctx.hasPrevious) return 'low';
  return kinds.some((k) => k !== 'long-line') ? 'medium' : 'low';
}
