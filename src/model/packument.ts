/**
 * The slim view of a registry document that lockwarden keeps in memory and the signals read.
 * The registry client (src/registry) reduces a full packument (often 15–40 MB) to these fields as it parses.
 */
import type { DistFile } from './python-dist.js';

export interface Person {
  name: string;
  email?: string;
}

/** Install-time lifecycle scripts (the only scripts that run on `npm install` of a dependency). */
export interface InstallScripts {
  preinstall?: string;
  install?: string;
  postinstall?: string;
  /** Runs for git dependencies at install time. */
  prepare?: string;
}

export interface VersionMeta {
  version: string;
  /** ISO time from the packument's `time[version]`, when present. */
  publishedAt?: string;
  /** `_npmUser`: the account (or token owner) that published this version. */
  npmUser?: Person;
  /** `_npmUser.trustedPublisher` was present: published through OIDC trusted publishing. */
  trustedPublisher?: { id?: string };
  maintainers?: Person[];
  scripts: InstallScripts;
  /** `gypfile: true` (npm runs an implicit `node-gyp rebuild`). */
  gypfile?: boolean;
  /** The abbreviated document's flag (present when only that document was available). */
  hasInstallScript?: boolean;
  integrity?: string;
  shasum?: string;
  /** `dist.tarball`: followed only when on the registry client's own origin (src/registry/contents). */
  tarball?: string;
  /** The version entry's `name` (manifest-mismatch compares it with the tarball's). */
  manifestName?: string;
  /** `bin`, a string normalised to `{ [name]: path }` as npm does. */
  bin?: Record<string, string>;
  deprecated?: string;
  /** `dist.attestations`: url and the provenance predicate type. */
  attestations?: { url?: string; provenance?: { predicateType?: string } };
  dependencies?: Record<string, string>;
  /** repository URL from the version manifest (`repository.url` or string). */
  repository?: string;
  /** Python: the release's files (wheels and sdists). */
  files?: DistFile[];
  /** Python: every file of the release is yanked (PEP 592); the reason when given. */
  yanked?: { reason?: string };
  /** Python: `requires_dist` of the release, when the index document carried it. */
  requiresDist?: string[];
  /**
   * Fields of this version's entry that were malformed or over a cap and were dropped (`gypfile`,
   * `scripts.postinstall`, `dependencies`, `dist.integrity`…): the rest of the version was kept.
   */
  dropped?: string[];
}

/** What reading a registry document had to leave out; absent when nothing was. */
export interface DocumentRepairs {
  /** What was dropped, first few only: `0.9.0: gypfile`, `time`, `dist-tags.beta`. */
  dropped: string[];
  /** How many things were dropped in all (`dropped` may list fewer). */
  droppedCount: number;
  /** Versions whose entry was not an object: skipped. */
  skippedVersions: number;
  /** Versions not read because the document is over a cap (versions, or the memory budget of kept data). */
  versionsOverCap: number;
  /** Other entries left out over a cap (time, dist-tags, maintainers…). */
  entriesOverCap: number;
}

export interface Packument {
  name: string;
  /** Keyed by version. A Map so attacker-chosen keys cannot pollute prototypes. */
  versions: Map<string, VersionMeta>;
  /** `time.created` */
  created?: string;
  /** `time.modified` */
  modified?: string;
  distTags: Map<string, string>;
  /** `true` when the document had no `time` map (an abbreviated document or a stripped mirror). */
  abbreviated: boolean;
  /** What reading the document left out (malformed or over a cap); absent when nothing. */
  repairs?: DocumentRepairs;
  /** Python: the project's current owners and maintainers (`ownership.roles`), where the index says. */
  owners?: Array<{ role: string; user: string }>;
  /** Origin (scheme, host, port) of the registry that served the document: never a path or credentials. */
  origin?: string;
  /** npm `time.unpublished.versions`: versions the registry lists as unpublished (first few hundred). */
  unpublished?: string[];
  /**
   * Versions with an entry in `time` but none in `versions` (npm keeps the publish time of a version
   * it unpublished): the first few hundred, and how many more there were.
   */
  timedOnly?: { versions: string[]; more: number };
}

/** Source repository and workflow read from a SLSA provenance statement. */
export interface ProvenanceSource {
  /** e.g. `https://github.com/owner/repo` */
  repository?: string;
  /** e.g. `.github/workflows/release.yml` */
  workflow?: string;
  ref?: string;
  predicateType?: string;
}
