/**
 * Content analysis (pure): compares two versions' archives and reports what the new version's code
 * adds — obfuscation, capabilities, executables, install payloads — with a files-changed summary.
 */
import type { ContentAnalysis } from '../model/content-analysis.js';
import type { ArchiveContents } from '../model/contents.js';
import { detectJsCapabilities } from './capabilities-js.js';
import { detectPyCapabilities } from './capabilities-py.js';
import { detectScriptCapabilities } from './capabilities-sh.js';
import { compareContents, filesChangedSummary } from './compare.js';
import { escalate } from './escalate.js';
import { detectExecutables, executableKind } from './executables.js';
import { detectInstallPayload } from './install-payload.js';
import { scannerOf } from './language.js';
import { withMemo } from './memo.js';
import { withRepeatedTexts } from './repeated-texts.js';
import { entryPointsOf, installScriptsOf, installTargets, manifestOf } from './manifest.js';
import { detectObfuscation, obfuscationOf } from './obfuscation.js';
import type { ContentFinding, DetectorContext, FileDelta, ReleaseContext } from './types.js';

export type { ContentFinding, ContentSignal, FileDelta, FilesChangedSummary, ReleaseContext } from './types.js';
export { compareContents, filesChangedSummary } from './compare.js';
export { cutChangedCode, unreadChangedCode } from './unread.js';
export { withoutRepeatedTexts } from './repeated-texts.js';

export interface AnalyseOptions {
  /** The new version's install scripts (`postinstall: 'node install.js'`); default: its package.json's. */
  installScripts?: Record<string, string>;
  /** The new version's entry points; default: package.json `main`/`bin`/`exports`, Python start-up files. */
  entryPoints?: string[];
  /** Who published the new version and how it relates to the compared one (absent: not known, no escalation). */
  release?: ReleaseContext;
}

export type { ContentAnalysis } from '../model/content-analysis.js';

const DETECTORS: ReadonlyArray<(delta: FileDelta, ctx: DetectorContext) => ContentFinding[]> = [
  detectObfuscation,
  detectJsCapabilities,
  detectPyCapabilities,
  detectScriptCapabilities,
  detectExecutables,
  detectInstallPayload,
];

export function analyseContents(previous: ArchiveContents | null, next: ArchiveContents, options: AnalyseOptions = {}): ContentAnalysis {
  // the review keeps an unchanged file's text once, on the compared side (./repeated-texts.ts)
  return withMemo(() => analyse(previous, withRepeatedTexts(previous, next), options));
}

function analyse(previous: ArchiveContents | null, next: ArchiveContents, options: AnalyseOptions): ContentAnalysis {
  const deltas = compareContents(previous, next);
  const ctx = contextOf(previous, next, options);
  const findings = deltas.flatMap((d) => DETECTORS.flatMap((detect) => detect(d, ctx)));
  return { findings: escalate(findings, ctx), summary: filesChangedSummary(previous, next, deltas) };
}

function contextOf(previous: ArchiveContents | null, next: ArchiveContents, options: AnalyseOptions): DetectorContext {
  const nextManifest = manifestOf(next);
  const previousManifest = manifestOf(previous);
  return {
    ecosystem: next.ecosystem,
    hasPrevious: previous !== null,
    ...packageWide(previous),
    previousHadExecutables: (previous?.files ?? []).some((f) => executableKind(f) !== null),
    installTargets: installTargets(options.installScripts ?? installScriptsOf(nextManifest), next),
    previousInstallTargets: installTargets(installScriptsOf(previousManifest), previous),
    entryPoints: new Set(options.entryPoints ?? entryPointsOf(nextManifest, next)),
    mentioned: (name, except) => next.files.some((f) => f.path !== except && f.text?.includes(name) === true),
    ...(options.release ? { release: options.release } : {}),
  };
}

/**
 * What the previous version had in any file: code moved between files or into a renamed bundle chunk
 * is not new to the package (a file's own previous version decides what is new to the file).
 */
function packageWide(previous: ArchiveContents | null): Pick<DetectorContext, 'previousCapabilities' | 'previousObfuscation'> {
  const previousCapabilities = new Set<string>();
  const previousObfuscation = new Set<string>();
  for (const f of previous?.files ?? []) {
    const scan = scannerOf(f.path);
    if (f.text === undefined || scan === null) continue;
    for (const k of scan(f.text).keys()) previousCapabilities.add(k);
    for (const h of obfuscationOf(f.path, f.text)) previousObfuscation.add(h.kind);
  }
  return { previousCapabilities, previousObfuscation };
}
