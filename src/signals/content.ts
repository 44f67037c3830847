/**
 * The content signals (issue 14): what the new version's files add compared with the version the change
 * is reviewed against — obfuscated code, new capabilities, new executables, a changed install payload —
 * as the engine's analysis of the verified archives (src/core/gatherers/content-analysis.ts) found them.
 */
import type { ContentSignal } from '../content/index.js';
import type { Finding } from '../model/index.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { finding } from './util.js';

/** Files listed in a finding's files-changed evidence (the counts stay complete). */
const FILES_IN_EVIDENCE = 30;

function runFor(signal: ContentSignal) {
  return (input: SignalInput): Finding[] => {
    const analysis = input.contentAnalysis;
    if (!analysis || analysis.version !== input.change.to) return [];
    const { findings, summary } = analysis;
    return findings
      .filter((f) => f.signal === signal)
      .map((f) =>
        finding(signal, f.severity, f.message, {
          version: input.change.to,
          comparedWith: analysis.comparedWith,
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
  return { id, defaultSeverity, description, offline: false, needs: ['packument', 'contents', 'content-analysis'], run: runFor(id) };
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
