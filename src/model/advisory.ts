/**
 * Advisories about package versions (known-malicious releases, known vulnerabilities) and the client
 * the review engine asks for them. Implemented in src/registry/advisories (the only advisory I/O).
 */
import type { Ecosystem } from './lockfile.js';
import type { ReadOptions } from './registry.js';

export type AdvisorySource = 'osv' | 'github' | 'local';

export interface Advisory {
  /** `MAL-2025-46969`, `GHSA-…`: the source's own id. */
  id: string;
  /** Other ids of the same advisory (CVE, GHSA, MAL), as the source lists them. */
  aliases: string[];
  source: AdvisorySource;
  kind: 'malicious' | 'vulnerability';
  /** Attacker-influenced free text: reports clean and cut it. */
  summary: string;
  /** The source's own word for it, lower case (`critical`, `high`, `moderate`, `low`), when it gives one. */
  severity?: string;
  published?: string;
  modified?: string;
  /** The affected versions as text (`>=0 <5.6.2`, `= 5.6.1`), at most a few. */
  affected: string[];
  url: string;
}

/** One package version to look up. Python names are PEP 503-normalised by the client. */
export interface AdvisoryQuery {
  ecosystem: Ecosystem;
  name: string;
  version: string;
}

/** Why a configured source gave no answer for this review (network, 5xx, rate limit, unreadable answer). */
export interface AdvisoryGap {
  source: AdvisorySource;
  reason: string;
  /** How many of the queried versions it did not answer for. */
  packages: number;
  /** A bug in lockwarden, not the source's trouble: the review fails closed. */
  internal?: boolean;
}

export interface AdvisoryLookup {
  /** By {@link advisoryKey}; a query with no advisory has an empty list. */
  results: Map<string, Advisory[]>;
  unavailable: AdvisoryGap[];
  /** Records a source sent that were malformed, or named another package or version: dropped. */
  dropped: { source: AdvisorySource; count: number }[];
}

export interface AdvisoryStats {
  /** HTTP requests sent, by source. */
  requests: Record<AdvisorySource, number>;
  /** Queries answered from the cache, and asked of a source. */
  cacheHits: number;
  cacheMisses: number;
}

export interface AdvisoryLookupOptions {
  /** Only sources that need no network (the local directory). */
  offline?: boolean;
  /** Also vulnerability advisories, not only malware (default true). */
  vulnerabilities?: boolean;
}

export interface AdvisoryClient {
  /** Never throws: a source that fails is listed in `unavailable`. */
  lookup(queries: readonly AdvisoryQuery[], read: ReadOptions, opts?: AdvisoryLookupOptions): Promise<AdvisoryLookup>;
  /** Names of the configured sources (for --help and notes). */
  readonly sources: readonly AdvisorySource[];
  stats(): AdvisoryStats;
}

/** `npm:chalk@5.6.1`; Python names PEP 503-normalised by the caller. */
export function advisoryKey(q: AdvisoryQuery): string {
  return `${q.ecosystem}:${q.name}@${q.version}`;
}
