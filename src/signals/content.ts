/**
 * The content signals (issue 14): what the new version's files add compared with the version the change
 * is reviewed against — obfuscated code, new capabilities, new executables, a changed install payload —
 * read by the pure detectors of src/content from the archives the contents gatherer verified.
 */
import { analyseContents, type ContentAnalysis, type ContentSignal, type ReleaseContext } from '../content/index.js';
import type { ArchiveContents, Finding } from '../model/index.js';
import { releaseContext } from './content-release.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { finding } from './util.js';

/** Files listed in a finding's files-changed evidence (the counts stay complete). */
const FILES_IN_EVIDENCE = 30;

/**
 * One analysis per new archive, compared archive and release context: the four signals of a change share
 * it. Archives are cached across reviews, and another registry may say other publishers: the context is
 * part of the key.
 */
const analyses = new WeakMap<ArchiveContents, Map<ArchiveContents | null, Map<string, ContentAnalysis>>>();

function analysisOf(next: ArchiveContents, previous: ArchiveContents | null, release: ReleaseContext | null): ContentAnalysis {
  let byPrevious = analyses.get(next);
  if (!byPrevious) analyses.set(next, (byPrevious = new Map()));
  let byRelease = byPrevious.get(previous);
  if (!byRelease) byPrevious.set(previous, (byRelease = new Map()));
  const key = release === null ? 'unknown' : `${release.samePublisher}/${release.patch}`;
  let a = byRelease.get(key);
  if (!a) byRelease.set(key, (a = analyseContents(previous, next, release ? { release } : {})));
  return a;
}

/** The archives the gatherer read for this change: the new version's, and the compared one (its other entry). */
function archivesOf(input: SignalInput): { next: ArchiveContents; previous: ArchiveContents | null } | null {
  const to = input.change.to;
  const contents = input.contents;
  if (to === null || !contents) return null;
  const next = contents.get(to);
  if (!next) return null;
  let previous: ArchiveContents | null = null;
  for (const [version, archive] of contents) if (version !== to) previous = archive;
  return { next, previous };
}

function runFor(signal: ContentSignal) {
  return (input: SignalInput): Finding[] => {
    const archives = archivesOf(input);
    if (!archives) return [];
    const release = releaseContext(input.packument, archives.next.version, archives.previous?.version ?? null);
    const { findings, summary } = analysisOf(archives.next, archives.previous, release);
    return findings
      .filter((f) => f.signal === signal)
      .map((f) =>
        finding(signal, f.severity, f.message, {
          version: input.change.to,
          comparedWith: archives.previous?.version ?? null,
          ...f.evidence,
          filesChanged: {
            added: summary.added,
            removed: summary.removed,
            changed: summary.changed,
            bytesBefore: summary.bytesBefore,
            bytesAfter: summary.bytesAfter,
            // the largest changes (the report shows 30 and counts the rest)
            files: summary.files.slice(0, FILES_IN_EVIDENCE),
          },
        }),
      );
  };
}

function contentSignal(id: ContentSignal, defaultSeverity: SignalDefinition['defaultSeverity'], description: string): SignalDefinition {
  return { id, defaultSeverity, description, offline: false, needs: ['packument', 'contents'], run: runFor(id) };
}

export const obfuscatedCode = contentSignal(
  'obfuscated-code',
  'high',
  'Code the new version adds or grows is obfuscated or packed (_0x names, escaped string tables, long lines in a readable file, eval of decoded data): critical with a new network, credential or hook capability in the same file.',
);
export const newCapability = contentSignal(
  'new-capability',
  'medium',
  'A file gains a capability its previous version lacked: process execution, network to literal hosts, credential reads, CI or shell start-up writes, fetch/wallet hooks, code from the network; Python exec of decoded data, import-time side effects (high in an entry point or install target).',
);
export const newExecutable = contentSignal(
  'new-executable',
  'medium',
  'A binary (ELF, PE, Mach-O, .node/.dll/.exe/.so) or a shell/batch script is added or changed (info for a package that always shipped binaries).',
);
export const installScriptPayload = contentSignal(
  'install-script-payload',
  'high',
  'The file an install script runs (node install.js, sh, bun launchers) changed, with what it now does.',
);
