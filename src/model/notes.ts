/** The notes a review carries besides findings: policy notes, repaired documents, signals not evaluated, weak hashes. */

export interface PolicyNote {
  /** `no-change`: the CLI's --git or directory form found no lockfile or settings file changed. */
  kind: 'allow-expired' | 'allow-unused' | 'config-ignored' | 'no-change';
  message: string;
  line?: number;
}

export interface RepairNote {
  kind: 'registry-document-repaired';
  package: string;
  /** What was dropped, first few: `0.9.0: gypfile`, `time.1.0.0`. */
  dropped: string[];
  message: string;
  line?: never;
}

export interface NotEvaluatedNote {
  kind: 'signals-not-evaluated';
  signals: string[];
  /** How many packages this reason applies to. */
  packages: number;
  reason: string;
  message: string;
  line?: never;
}

/** A changed package the lockfile pins only with a weak hash (sha1, md5): src/core/weak-integrity.ts. */
export interface WeakIntegrityNote {
  kind: 'weak-integrity';
  /** How many changed packages are pinned only by a weak hash. */
  packages: number;
  /** The first few, as `name@version`. */
  examples: string[];
  message: string;
  line?: never;
}

/**
 * A configured advisory source gave no answer (unreachable, rate-limited, unreadable) or sent records
 * that were dropped: the review says which knowledge it lacked. Not incomplete, no conclusion change.
 */
export interface AdvisoriesNote {
  kind: 'advisories-unavailable' | 'advisories-dropped';
  source: string;
  reason: string;
  /** How many packages (unavailable) or records (dropped) this applies to. */
  packages: number;
  message: string;
  line?: never;
}

/** A package version whose archive was not analysed (over a cap, timed out, another origin…): never a silent pass. */
export interface ContentNote {
  kind: 'content-not-analysed';
  package: string;
  version: string;
  reason: string;
  message: string;
  line?: never;
}

/** Python: which distribution files content analysis compared (a wheel by tag, an sdist), and how: one note per review. */
export interface ContentComparedNote {
  kind: 'content-compared';
  /** One line per package: `litellm 1.82.7 with 1.82.6: x.whl (RECORD and 2 changed members by range); …`. */
  packages: string[];
  /** Bytes downloaded for these packages' contents. */
  bytes: number;
  message: string;
  line?: never;
}

export type ReviewNote = ContentNote | ContentComparedNote | PolicyNote | RepairNote | NotEvaluatedNote | WeakIntegrityNote | AdvisoriesNote;
