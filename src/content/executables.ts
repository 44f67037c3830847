/**
 * `new-executable`: binaries (ELF, PE, Mach-O, native extensions) and shell or batch scripts added or
 * changed. A platform package's binary changing at the same path is expected: info, never an alarm alone.
 */
import type { ArchiveFile } from '../model/contents.js';
import type { Severity } from '../model/finding.js';
import { binaryExcerpt, hunkExcerpt } from './excerpt.js';
import { addedLines } from './lines.js';
import type { ContentFinding, DetectorContext, FileDelta } from './types.js';

const MAGIC: ReadonlyArray<readonly [string, string]> = [
  ['7f454c46', 'elf'],
  ['4d5a', 'pe'],
  ['feedface', 'mach-o'],
  ['feedfacf', 'mach-o'],
  ['cefaedfe', 'mach-o'],
  ['cffaedfe', 'mach-o'],
  ['cafebabe', 'mach-o'],
];

/** What kind of executable a file is, or null: magic bytes first, then name, then a `#!` line. */
export function executableKind(file: ArchiveFile): string | null {
  const hex = Buffer.from(file.head ?? '', 'base64')
    .subarray(0, 4)
    .toString('hex');
  const magic = MAGIC.find(([m]) => hex.startsWith(m));
  if (magic !== undefined) return magic[1];
  const ext = /\.(node|dll|exe|so|dylib|sh|bat|cmd|ps1)$/i.exec(file.path)?.[1]?.toLowerCase();
  if (ext !== undefined) return ext === 'node' || ext === 'dll' || ext === 'exe' || ext === 'so' || ext === 'dylib' ? `native-${ext}` : `script-${ext}`;
  if (file.text?.startsWith('#!') === true && !/^#![^\n]{0,40}\b(?:node|python[0-9.]*)\b/.test(file.text)) return 'script-shebang';
  return null;
}

export function detectExecutables(delta: FileDelta, ctx: DetectorContext): ContentFinding[] {
  if (delta.after === null) return [];
  const kind = executableKind(delta.after);
  if (kind === null) return [];
  const wasExecutable = delta.before !== null && executableKind(delta.before) !== null;
  const kinds = [kind, delta.status === 'added' ? 'added' : wasExecutable ? 'changed' : 'became-executable'];
  let sev = severity(ctx, wasExecutable);
  if (sev === 'medium' && kind.startsWith('script-') && !referenced(delta.path, ctx)) {
    sev = 'low';
    kinds.push('not-referenced');
  }
  return [
    {
      signal: 'new-executable',
      severity: sev,
      message: `${delta.path}: ${kind} ${kinds[1]} (${delta.bytesBefore} → ${delta.bytesAfter} bytes)`,
      evidence: { file: delta.path, lines: [0, 0], bytesBefore: delta.bytesBefore, bytesAfter: delta.bytesAfter, excerpt: excerpt(delta), kinds },
    },
  ];
}

/** Info when the same path was an executable before; low in a package that shipped them; medium in one that never did. */
function severity(ctx: DetectorContext, wasExecutable: boolean): Severity {
  if (wasExecutable || !ctx.hasPrevious) return 'info';
  return ctx.previousHadExecutables ? 'low' : 'medium';
}

/**
 * A script runs only when something runs it: an install script, a `bin`, or code that names it. One that
 * no other file of the new version names (a maintainer's release.sh) is shown, at low; code that
 * starts running it is the finding that matters, and names it.
 */
function referenced(path: string, ctx: DetectorContext): boolean {
  if (ctx.installTargets.has(path) || ctx.entryPoints.has(path)) return true;
  return ctx.mentioned(path.slice(path.lastIndexOf('/') + 1), path);
}

function excerpt(delta: FileDelta): string {
  if (delta.textAfter === undefined) return binaryExcerpt(delta.after!.head, delta.bytesAfter);
  return hunkExcerpt(delta.textAfter, addedLines(delta.textBefore, delta.textAfter), 1);
}
