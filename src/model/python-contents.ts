/** How the engine asks the Python index client for two releases' distribution contents (issue 14). */
import type { ContentLimits } from './content-fetch.js';
import type { ArchiveContents } from './contents.js';
import type { DistFile } from './python-dist.js';

/** One side of a comparison: the distribution file the install would use, and what the lockfile pins. */
export interface DistSide {
  version: string;
  /** A {@link DistFile} of a packument the client returned (only the index's own file URLs are fetched). */
  file: DistFile;
  /** Lower-case hex sha256 digests the lockfile pins for this version (empty: it pins none). */
  lockSha256: readonly string[];
}

export interface PythonContentsRequest {
  name: string;
  next: DistSide;
  /** The release it is compared with: a wheel's members are fetched only where the two RECORDs differ. */
  previous?: DistSide;
  limits: ContentLimits;
}

/**
 * `failClosed`: the distribution itself was refused (hash mismatch, RECORD missing or disagreeing,
 * a bomb, over a cap): the attacker can cause it. Otherwise the index's trouble (network, 5xx, timeout).
 */
export type PythonContentsResult =
  | {
      ok: true;
      next: ArchiveContents;
      previous?: ArchiveContents;
      /** Bytes fetched for this pair (0 when every part came from the cache). */
      downloaded: number;
      /** How each side was read (`whole wheel x.whl`, `RECORD + 3 ranges of x.whl`, `sdist x.tar.gz`), for the note. */
      how: string[];
    }
  | { ok: false; version: string; reason: string; failClosed?: boolean };
