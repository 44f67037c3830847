/** The contract between the review engine and the signals (src/signals): their ids, thresholds and input. */
import type { Advisory } from './advisory.js';
import type { AnalysedChange } from './content-analysis.js';
import type { ArchiveContents } from './contents.js';
import type { Change } from './change.js';
import type { Finding, Severity } from './finding.js';
import type { Packument, ProvenanceSource } from './packument.js';
import type { SdistInfo, WheelListing } from './python-dist.js';

export type SignalId =
  | 'install-script-added'
  | 'install-script-changed'
  | 'publisher-changed'
  | 'maintainers-changed'
  | 'trust-downgrade'
  | 'provenance-source-changed'
  | 'release-too-new'
  | 'dormant-revival'
  | 'new-dependency'
  | 'young-package'
  | 'non-registry-source'
  | 'integrity-mismatch'
  | 'version-not-found'
  | 'security-holder'
  | 'deprecated'
  | 'downgrade'
  | 'pth-file-added'
  | 'sdist-only'
  | 'install-hook-changed'
  | 'yanked'
  | 'possible-takeover'
  | 'suspicious-new-package'
  | 'guard-rail-weakened'
  | 'known-malicious'
  | 'known-vulnerability'
  | 'manifest-mismatch'
  | 'obfuscated-code'
  | 'new-capability'
  | 'new-executable'
  | 'install-script-payload';

/** Thresholds, all configurable through the config file. */
export interface SignalOptions {
  /** release-too-new: minimum age of a release, in hours (default 48). */
  releaseAgeHours: number;
  /** dormant-revival: a gap longer than this (days) before the new release (default 365). */
  dormantDays: number;
  /** young-package: the package's first release is younger than this (days, default 30). */
  youngPackageDays: number;
  /** publisher-changed: how many earlier versions to look back over (default 10). */
  publisherLookback: number;
}

export interface SignalInput {
  change: Change;
  /** null when offline, or when the registry could not be read (the change is then listed as incomplete). */
  packument: Packument | null;
  now: Date;
  options: SignalOptions;
  /** Provenance statements fetched for the versions `provenanceVersionsNeeded` asked for (null: has none / unreadable). */
  provenance: Map<string, ProvenanceSource | null>;
  /** Python: wheel member lists for the versions `wheelVersionsNeeded` asked for (absent: not listed). */
  wheels: Map<string, WheelListing[]>;
  /** Python: what the sdists of the versions `sdistVersionsNeeded` asked for would build (absent: not read). */
  sdists?: Map<string, SdistInfo>;
  /** npm: the registry origins a tarball URL may come from without being another source (absent: not known). */
  registryOrigins?: RegistryOrigins;
  /** The advisories the configured sources know for the new version (absent: not looked up). */
  advisories?: Advisory[];
  /** npm: the verified archive contents of the new version and of the version it is compared with, by version (absent: not gathered). */
  contents?: Map<string, ArchiveContents>;
  /** npm: what the new version's files add compared with the other archive of `contents` (absent: not analysed). */
  contentAnalysis?: AnalysedChange;
}

/**
 * Origins (`https://host:port`) of the registry: the one the review reads this name from (online),
 * and those the base side of the same lockfile already downloads registry packages from. A resolved
 * URL elsewhere, or over plain http on a host only known over https, is another source.
 */
export interface RegistryOrigins {
  configured?: string;
  base: ReadonlySet<string>;
  /** Origins the repository's config allows (`allowedHosts`). */
  allowed?: readonly string[];
}

/**
 * The kinds of data a signal can read besides the lockfiles, each gathered by one gatherer of the
 * review engine (src/core/gatherers): add a kind here and a gatherer there, and a signal can name it.
 */
export const DATA_NEEDS = [
  /**
   * Advisories (known-malicious releases, known vulnerabilities) for the new version: one batched lookup
   * per review. First, so that its lookup runs while the registry documents are read.
   */
  'advisories',
  /** The registry document of the package (npm packument, Python index project). */
  'packument',
  /** npm: the SLSA provenance statements of versions, from the registry's attestations endpoint. */
  'attestations',
  /** Python: the member lists of wheels (their ZIP central directories). */
  'wheel-listings',
  /** Python: what the sdists of versions that build from source would run. */
  'sdist-contents',
  /** npm: the registry origins a tarball URL may come from (no request: configuration and base lockfile). */
  'registry-origins',
  /** npm: the verified, unpacked tarballs of the new version and the compared one (src/registry/contents). */
  'contents',
  /**
   * What the new version's files add (src/content), analysed in the engine's worker pool as soon as a
   * change's archives are read; their texts are dropped then, so a review never holds every archive.
   */
  'content-analysis',
] as const;

export type DataNeed = (typeof DATA_NEEDS)[number];

export interface SignalDefinition {
  id: SignalId;
  defaultSeverity: Severity;
  /** One line for the README's table and `--help`. */
  description: string;
  /** Works from the lockfiles alone (runs with --offline). */
  offline: boolean;
  /**
   * The data the signal reads besides the lockfiles: the engine gathers, for each change, exactly what
   * the enabled signals need, so a switched-off signal costs no request. [] for lockfile-only signals.
   */
  needs: readonly DataNeed[];
  /**
   * A combiner: the signals whose findings it weighs. They run (and their data is gathered) while the
   * combiner is on, even when they are off themselves (their own findings are then dropped by policy).
   */
  combines?: readonly SignalDefinition[];
  run(input: SignalInput): Finding[];
}
