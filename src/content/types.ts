/** Content analysis (issue 14): what the detectors report, and the file-level change they read. */
import type { ArchiveFile } from '../model/contents.js';
import type { Severity } from '../model/finding.js';

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

/** One path whose bytes differ between the two versions (unchanged files are not listed). */
export interface FileDelta {
  path: string;
  status: 'added' | 'removed' | 'changed';
  before: ArchiveFile | null;
  after: ArchiveFile | null;
  bytesBefore: number;
  bytesAfter: number;
  /** The text of each side when the gatherer kept it. */
  textBefore?: string;
  textAfter?: string;
}

/** How the new version was released relative to the compared one (from the registry document). */
export interface ReleaseContext {
  /** Published by the account that published the compared version. */
  samePublisher: boolean;
  /** A patch release of the compared version, or a prerelease of one. */
  patch: boolean;
}

/** What a detector knows besides the file: the package around it. */
export interface DetectorContext {
  ecosystem: 'npm' | 'pypi';
  /** False when there is no previous version to compare with: nothing is "new", findings stay low. */
  hasPrevious: boolean;
  /** Capabilities any file of the previous version had (code moved between files is not new to the package). */
  previousCapabilities: ReadonlySet<string>;
  /** Obfuscation kinds any file of the previous version showed (a renamed bundle chunk is not new). */
  previousObfuscation: ReadonlySet<string>;
  /** Whether the previous version shipped any binary or script (a platform package). */
  previousHadExecutables: boolean;
  /** Files the new version's install scripts run, and the previous version's (paths as in the archive). */
  installTargets: ReadonlySet<string>;
  previousInstallTargets: ReadonlySet<string>;
  /** Files the package's `main`/`exports`/`bin` name, plus Python start-up files. */
  entryPoints: ReadonlySet<string>;
  /** Whether a text file of the new version other than `except` names `name` (a script nothing names does not run). */
  mentioned(name: string, except: string): boolean;
  /** The release's context, when the caller knows it (the same-publisher patch escalation reads it). */
  release?: ReleaseContext;
}

export interface FilesChangedSummary {
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  bytesBefore: number;
  bytesAfter: number;
  /** The largest changes first, at most 50 (the counts above are complete). */
  files: Array<{ path: string; status: FileDelta['status']; bytesBefore: number; bytesAfter: number }>;
  /** Files whose text was not kept (over a cap) or was skipped by the gatherer: not analysed, never clean. */
  notAnalysed: string[];
}
