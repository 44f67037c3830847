/** What a review returns (src/core/review.ts) and every report renders: the JSON contract of `--format json`. */
import type { Change } from './change.js';
import type { Conclusion, PolicyFinding, Severity } from './finding.js';
import type { GuardRailReview } from './guard-rail.js';
import type { ReviewNote } from './notes.js';

/** A change as reports see it: the diff's facts without the lockfile entries behind them, plus the verdict. */
export interface ReviewedChange extends Omit<Change, 'base' | 'head' | 'nameInBase'> {
  /** Source of the new version (registry, git, tarball, file…), for reports. */
  source?: { type: string; url?: string };
  findings: PolicyFinding[];
  /** Highest severity among findings that count (not allowed); null when none. */
  severity: Severity | null;
}

export interface Incomplete {
  name: string;
  version: string | null;
  reason: string;
  lockfile?: string;
  /**
   * Set when an attacker can cause this (a rejected or implausible document, work over a cap, an
   * internal error): the check fails. Unset: infrastructure trouble, concluded by `config.incomplete`.
   */
  failClosed?: boolean;
}

/** A requirement the head lockfile names without pinning it: never reviewed (listed so nobody takes silence for a pass). */
export interface Unreviewed {
  lockfile: string;
  name: string;
  line: number;
  reason: string;
}

export interface ReviewSummary {
  lockfiles: string[];
  changes: number;
  /** Changes whose registry metadata was needed. */
  needsRegistry: number;
  /**
   * Of those, how many were fully analysed against the registry: its document read and usable, or not
   * needed (every signal that reads it switched off, so nothing was asked).
   */
  analysed: number;
  /**
   * Analysed, but some signals could not be evaluated (publish times unusable, or the registry does not
   * serve `_npmUser`, `maintainers` or attestations): see the `signals-not-evaluated` notes. Always set by `review`.
   */
  partiallyAnalysed?: number;
  offline: boolean;
  bySeverity: Record<Severity, number>;
  registryRequests?: number;
}

export interface ReviewResult {
  changes: ReviewedChange[];
  conclusion: Conclusion;
  incomplete: Incomplete[];
  summary: ReviewSummary;
  notes: ReviewNote[];
  /** Requirements that are not pinned (requirements files only): not reviewed. Always set by `review`. */
  unreviewed?: Unreviewed[];
  /**
   * The cooldown (config `cooldown`), set when a counted release-too-new finding holds the check: `held`
   * lists each release with the time it clears (ISO) and, when the registry has one, an older release to
   * pin instead; `clearsAt` is the last of those times (the App re-runs the check then); `conclusion` is
   * what the hold alone makes of the check (`neutral` or `failure`). Absent: nothing held, or `cooldown: off`.
   */
  cooldown?: CooldownHold;
  /** The settings files the change touched that can weaken the repository's defences (src/guard-rails); absent: none. */
  guardRails?: GuardRailReview[];
}

/** A release held by the cooldown (JSON contract: `cooldown.held[]`). */
export interface HeldRelease {
  ecosystem: Change['ecosystem'];
  name: string;
  version: string;
  lockfile: string;
  line: number;
  /** When the release was published (ISO). */
  publishedAt?: string;
  /** When it is old enough (ISO): published + the window. */
  clearsAt: string;
  /** The newest older release outside the window, to pin instead (`sameLine`: in the target's release line). */
  alternative?: { version: string; publishedAt: string; sameLine: boolean };
}

export interface CooldownHold {
  held: HeldRelease[];
  /** The last clear time (ISO). */
  clearsAt: string;
  conclusion: 'neutral' | 'failure';
}
