/** A configuration file a change touches that can weaken the repository's own defences (src/guard-rails). */

/** One such file at both sides of the change, as the edges read it (the App from the pull request, the CLI from git or two directories). */
export interface GuardRailFile {
  /** Repository-relative path (`.npmrc`, `packages/a/package.json`, `.github/lockwarden.yml`). */
  file: string;
  /** The text before the change, or null when the change adds the file. */
  base: string | null;
  /** The text after the change, or null when the change deletes it. */
  head: string | null;
}
