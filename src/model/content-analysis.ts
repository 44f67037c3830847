/**
 * What content analysis (src/content) reports for one change: the findings and the files-changed
 * summary, computed once per change by the engine (in a worker) and read by the content signals.
 */
import type { Severity } from './finding.js';

export type ContentSignal = 'obfuscated-code' | 'new-capability' | 'new-executable' | 'install-script-payload';

export interface ContentEvidence {
  file: string;
  /** 1-based, inclusive, in the new version's file (`[0, 0]` for a binary or a removed file). */
  lines: [number, number];
  bytesBefore: number;
  bytesAfter: number;
  /** A unified hunk, or the head of a one-line blob with its length: attacker text, raw (reports escape it). */
  excerpt: string;
  kinds: string[];
}

export interface ContentFinding {
  signal: ContentSignal;
  severity: Severity;
  message: string;
  evidence: ContentEvidence;
}

export interface FilesChangedSummary {
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  bytesBefore: number;
  bytesAfter: number;
  /** The largest changes first, at most 50 (the counts above are complete). */
  files: Array<{ path: string; status: 'added' | 'removed' | 'changed'; bytesBefore: number; bytesAfter: number }>;
  /** Files whose text was not kept (over a cap) or was skipped by the gatherer: not analysed, never clean. */
  notAnalysed: string[];
}

export interface ContentAnalysis {
  findings: ContentFinding[];
  summary: FilesChangedSummary;
}

/** A change's analysis as the engine stores it: which version was compared with which. */
export interface AnalysedChange extends ContentAnalysis {
  version: string;
  /** The version the new one was compared with (null: none, everything is new). */
  comparedWith: string | null;
}
