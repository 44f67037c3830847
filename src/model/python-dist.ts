/** Python: the views of a release's files that the index client reads and the Python signals compare. */

/** Python: one file of a release, as the package index lists it. */
export interface DistFile {
  filename: string;
  /** `wheel` (`.whl`), `sdist` (`.tar.gz`, `.zip`) or anything else the index lists (eggs, exe). */
  kind: 'wheel' | 'sdist' | 'other';
  /** The file's URL from the index's own document (never from a lockfile). */
  url: string;
  /** Lower-case hex sha256 digest, as the index gives it. */
  sha256?: string;
  size?: number;
  /** ISO upload time of this file. */
  uploadedAt?: string;
  yanked?: boolean;
  /** PEP 740: the index holds provenance (attestations) for this file. */
  provenance?: boolean;
  /** The upload client (`uploaded_via`, e.g. `twine/6.1.0`), where the index says. */
  uploadedVia?: string;
}

/** Python: the file list of one wheel, read from its ZIP central directory. */
export interface WheelListing {
  filename: string;
  /** Every member path in the archive. */
  members: string[];
}

/** Python: a build input read from an sdist (`setup.py`, `setup.cfg`, `pyproject.toml` at the project root). */
export interface SdistBuildFile {
  /**
   * Lower-case hex sha256 of what the build reads at that path (for a link: of its target). Undefined
   * when a symbolic link points at nothing the archive holds.
   */
  sha256?: string;
  size: number;
  /** The member is a link in the archive (pip extracts tar links): the path it points to. */
  linkTo?: string;
}

/**
 * Python: what building an sdist would run, read from the archive itself (the index's metadata does
 * not say which build backend an sdist uses). Paths are relative to {@link SdistInfo.root}, the
 * directory pip builds in.
 */
export interface SdistInfo {
  filename: string;
  /** How the archive was read (pip reads any ZIP as a ZIP, whatever its name). */
  format: 'tar.gz' | 'zip';
  /** The archive's single top-level directory (pip strips it), or '' when the members do not share one. */
  root: string;
  /** Members the installer would extract. */
  members: number;
  /** Uncompressed bytes read. */
  unpackedBytes: number;
  /** `setup.py`, with the first ~2 KB of its text (empty for a link) for evidence. */
  setupPy?: SdistBuildFile & { head: string; headTruncated: boolean };
  setupCfg?: SdistBuildFile;
  pyproject?: SdistBuildFile & {
    /** The `[build-system]` table, when present and readable. */
    buildSystem?: { buildBackend?: string; requires?: string[]; backendPath?: string[] };
    /** With `backend-path` (an in-tree backend): sha256 over the backend's own files in the archive. */
    backendDigest?: string;
    /** How many files {@link backendDigest} covers. */
    backendFiles?: number;
    /** Why pip could not read it (invalid TOML, wrong types): the build fails before running anything. */
    error?: string;
  };
}
