/** Content analysis (issue 14): what the detectors report, and the file-level change they read. */
import type { ArchiveFile } from '../model/contents.js';

export type { ContentEvidence, ContentFinding, ContentSignal, FilesChangedSummary } from '../model/content-analysis.js';

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
