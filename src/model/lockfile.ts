/** What a lockfile parser (src/lockfiles) produces: a {@link Lockfile} of locked packages and importers. */

export type Ecosystem = 'npm' | 'pypi';

/** Where a locked package comes from, derived from its `resolved`/`version` fields. */
export type SourceType =
  | 'registry' // a registry tarball (or no resolved at all but a semver version, as npm writes with omit-lockfile-registry-resolved)
  | 'git' // git+ssh, git+https, github:, etc.
  | 'tarball' // http(s) URL to a tarball that is not on a configured registry path shape
  | 'file' // file: tarball or directory
  | 'link' // symlink to a directory (workspaces, `npm link`)
  | 'bundled' // inside a bundled dependency: installed from the parent's tarball, no source of its own
  | 'url' // Python: a direct URL to a wheel or sdist outside the package index (PEP 508 `name @ https://…`)
  | 'editable' // Python: an editable install of a local directory (`-e ./pkg`, `develop = true`)
  | 'unknown';
// Python sources map as: index → registry, git (with commit) → git, URL → url, local path → file, editable → editable.

export interface Source {
  type: SourceType;
  /** The lockfile's `resolved` (or equivalent) as written, never fetched. */
  url?: string;
}

export interface PackageFlags {
  dev: boolean;
  optional: boolean;
  devOptional: boolean;
  peer: boolean;
  /** The lockfile claims the package has install scripts (npm's `hasInstallScript`). */
  hasInstallScript: boolean;
  /**
   * `hasInstallScript` comes from pnpm's `requiresBuild`, which pnpm also writes for packages without
   * install scripts (platform binaries such as `@rollup/rollup-*`): a hint, not evidence of a script.
   */
  buildFlagOnly?: boolean;
  /** Part of a bundled dependency (npm `inBundle` / v1 `bundled`). */
  bundled: boolean;
}

/** One file hash recorded by a lockfile (Python lockfiles hash each wheel and sdist of a release). */
export interface LockHash {
  /** Lower-case algorithm name as written (`sha256`, `sha512`, `md5`). */
  algorithm: string;
  /** Lower-case hex digest. */
  digest: string;
  /** The distribution file the hash is for (`pkg-1.0-py3-none-any.whl`), when the lockfile says. */
  file?: string;
}

/** One installed copy of a package in a lockfile. */
export interface LockPackage {
  /**
   * Unique within its lockfile: for npm the install location (`node_modules/a/node_modules/b`).
   * pnpm: the `packages` key; `env:<key>` for a package of pnpm's env document (config
   * dependencies and the package manager, installed before the project's packages).
   */
  id: string;
  /** The real package name (an `npm:` alias is resolved to the package it installs; Python names are PEP 503 normalised). */
  name: string;
  /** Set when the package is installed under another name (`"foo": "npm:bar@1.0.0"` → alias `foo`). */
  alias?: string;
  version: string;
  source: Source;
  /**
   * npm: the SRI string. Python: every recorded file hash as `algorithm:digest`, sorted and joined by
   * spaces (so two copies with the same hashes compare equal in the diff's source comparison).
   */
  integrity?: string;
  /** Python: the file hashes one by one, with their file names when the lockfile records them. */
  hashes?: LockHash[];
  flags: PackageFlags;
  /** 1-based line of the entry's key in the lockfile. */
  line: number;
  /**
   * Set when `line` is in another file than the lockfile's own `file`: a requirements file's
   * package that comes from a `-r` include (the included file's repository-relative path).
   */
  file?: string;
  /** ids of the packages this one depends on (resolved by the format's own rules). */
  deps: string[];
}

/** A requirement the lockfile names without pinning it (`name>=1`, a bare name): not reviewed, listed so reports can say so. */
export interface UnreviewedRequirement {
  /** The (PEP 503 normalised) project name, or the reference as written when it has none (an include that was not read). */
  name: string;
  line: number;
  /** Why it is not reviewed (`not pinned with ==`, …). */
  reason: string;
  /** Set when the line is in another file than the lockfile's own (a `-r` include). */
  file?: string;
}

/** A root of the dependency graph: the project itself or one of its workspaces. */
export interface Importer {
  /**
   * '' for the root project, the workspace path otherwise (`packages/a`). pnpm's env document adds
   * `(config)` (its `configDependencies`) and `(packageManager)` (`packageManagerDependencies`).
   */
  path: string;
  name?: string;
  line: number;
  /** ids of the packages it depends on directly. */
  deps: string[];
}

export interface Lockfile {
  ecosystem: Ecosystem;
  /** e.g. `npm-v1`, `npm-v2`, `npm-v3`. */
  format: string;
  /** The file name or path the lockfile was read from (used in messages and annotations). */
  file: string;
  importers: Importer[];
  packages: LockPackage[];
  /** Requirements files: requirements that are not pinned, so not reviewed (absent for lockfile formats, which pin everything). */
  unreviewed?: UnreviewedRequirement[];
}
