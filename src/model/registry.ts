/**
 * The registry clients the review engine calls: one interface per ecosystem (`RegistryClient` for npm,
 * `PythonIndexClient` for Python). Implemented in src/registry, the only code that talks to registries.
 */
import type { ContentsPrefetch, ContentsRequest, ContentsResult } from './content-fetch.js';
import type { Packument, ProvenanceSource } from './packument.js';
import type { DistFile, SdistInfo, WheelListing } from './python-dist.js';
import type { PythonContentsRequest, PythonContentsResult } from './python-contents.js';

/** What the registry layer hands to the core for one package name. */
export type RegistryResult =
  | { ok: true; packument: Packument }
  /** `failClosed`: the document itself was rejected (not JSON, not an object, over the size cap): the server's doing, not the network's. */
  | { ok: false; reason: string; notFound?: boolean; failClosed?: boolean; origin?: string };

/** What a caller may pass with a registry read. */
export interface ReadOptions {
  /** Aborted at the review's deadline (an `AbortSignal.timeout` reason) or when the review is cancelled. */
  signal?: AbortSignal | undefined;
}

/**
 * A review's bound on the archive bytes it holds at once: an archive is admitted by its size (declared
 * length, else an estimate) before its body is read, and gives the bytes back once unpacked.
 */
export interface ArchiveAdmission {
  /** The function giving `bytes` back when they fit now; undefined: the body is not read and the read waits with {@link take}. */
  tryTake(bytes: number): (() => void) | undefined;
  /** Resolves once `bytes` fit; rejects with the read's cut when the review or the package's budget ends first. */
  take(bytes: number): Promise<() => void>;
}

/** What a caller may pass with an archive read. */
export interface ContentsReadOptions extends ReadOptions {
  admission?: ArchiveAdmission | undefined;
}

export interface RegistryStats {
  /** HTTP requests sent (every attempt and redirect hop counts). */
  requests: number;
  /** Of those, packument requests. */
  packumentRequests: number;
  /** Calls answered without a request of their own (repeated or concurrent calls, cached provenance). */
  cacheHits: number;
  /** 304 answers that reused a cached document. */
  notModified: number;
  /** Attempts repeated after a retryable failure. */
  retries: number;
}

/**
 * Every read takes an optional {@link ReadOptions} `signal`: the review's deadline or cancellation.
 * An aborted read ends at once, as a failure whose reason says so (`timed out: …` or `cancelled`).
 */
export interface RegistryClient {
  /** The slim packument for a name, from the name's configured registry. Never throws. */
  getPackument(name: string, opts?: ReadOptions): Promise<RegistryResult>;
  /**
   * The source repository and workflow from the SLSA provenance of name@version, read from the
   * configured registry's attestations endpoint. null: the version has no provenance (404 or no
   * SLSA attestation). Throws `RegistryError` (src/registry/http.ts) when it could not be read
   * (network, status, malformed document), so callers can tell "none" from "unknown".
   */
  getProvenance(name: string, version: string, opts?: ReadOptions): Promise<ProvenanceSource | null>;
  /**
   * The registry URL this client reads `name` from (scoped registries included), so the signals can
   * tell a tarball on that host from one elsewhere. Optional: a client without it has no host to compare.
   */
  registryUrl?(name: string): string;
  /**
   * npm: a version's archive, downloaded from the configured registry origin only, verified against
   * the registry's and the lockfile's integrity, then unpacked with caps (src/registry/contents).
   * Cached by integrity. Never throws. Optional: a client without it gathers no contents.
   */
  getContents?(request: ContentsRequest, opts?: ContentsReadOptions): Promise<ContentsResult>;
  /**
   * npm: starts reading a version's archive before its document is in, from where the configured
   * registry keeps it by convention; a later getContents whose dist.tarball is that URL takes the bytes
   * (verified then). Small archives only, within a per-review budget. Optional, never throws.
   */
  prefetchContents?(request: ContentsPrefetch, opts?: ReadOptions): void;
  stats(): RegistryStats;
  /**
   * A view for one review: its own one-request-per-name memo, sharing this client's cache (and its
   * ETags), concurrency limit and stats. A long-lived process (the App) keeps one client and calls
   * `review()` per pull request, so each review sees fresh (revalidated) documents.
   */
  review(): RegistryClient;
}

/** A Python package index client: the registry interface plus wheel listings (ZIP central directories) and sdist contents. */
export interface PythonIndexClient extends RegistryClient {
  /**
   * The member list of a wheel, read from its ZIP central directory with range requests (a few KB),
   * or with a bounded download when the server ignores ranges. `file` must be a {@link DistFile} of a
   * packument this client returned (only the index's own file URLs are fetched). Cached by sha256.
   * Throws `RegistryError` when the listing cannot be read.
   */
  listWheel(file: DistFile, opts?: ReadOptions): Promise<WheelListing>;
  /**
   * What building an sdist would run (its `pyproject.toml` build system, `setup.py`, `setup.cfg`),
   * read from the archive itself: a bounded download of the whole file (checked against the index's
   * size and sha256), then the decompressed stream walked once (src/archives/sdist.ts). `.tar.gz` and
   * `.zip` only; `file` must be a {@link DistFile} of a packument this client returned. Cached by sha256.
   * Only asked for versions that build from source. Throws `RegistryError` when it cannot be read.
   */
  inspectSdist(file: DistFile, opts?: ReadOptions): Promise<SdistInfo>;
  /**
   * Content analysis: the files of two releases' distributions (src/registry/contents/python-contents.ts):
   * small wheels and sdists downloaded whole and verified against the index's and the lockfile's
   * sha256, larger wheels by their RECORD and range requests for the members that differ. Never throws.
   */
  getDistContents?(request: PythonContentsRequest, opts?: ReadOptions): Promise<PythonContentsResult>;
  review(): PythonIndexClient;
  /** The JSON API / Integrity API root in use; undefined when the index has none. */
  readonly apiRoot: string | undefined;
}
