import type { PolicyFinding } from './finding.js';

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

/**
 * One setting a change moved, as the readers in src/guard-rails see it. Values are cleaned, cut and
 * stripped of credentials by the readers (`https://***@host/`); reports still escape them.
 */
export interface GuardRailChange {
  /** The setting as the tool names it: `ignore-scripts`, `@corp:registry`, `allowScripts: esbuild`. */
  key: string;
  /** The value before (null: not set), and after (null: removed). */
  before: string | null;
  after: string | null;
  /** 1-based line in the head file, or in the base file when the setting was removed. */
  line: number;
  /** Which side `line` refers to. */
  side: 'head' | 'base';
  /** One sentence: why this matters (weakened) or what it now guards (tightened). */
  reason: string;
}

/** A weakening after policy: a `guard-rail-weakened` finding that carries the setting it is about. */
export interface GuardRailFinding extends PolicyFinding {
  change: GuardRailChange;
}

/**
 * The review of one settings file (JSON `guardRails[]`): `{ file, findings: [{ signal, severity, message,
 * evidence, change }], tightened: [change], awareness?: [string], unreadable?: { message, line? } }`.
 */
export interface GuardRailReview {
  file: string;
  /** Weakenings, highest severity first (empty when the signal is off). */
  findings: GuardRailFinding[];
  /** Settings made stricter: good news, never a finding. */
  tightened: GuardRailChange[];
  /** lockwarden's own config changed: what changed, shown for awareness (the PR's copy is never applied). */
  awareness?: string[];
  /** The head file could not be read: the review fails closed (an unreadable file could hide a weakening). */
  unreadable?: { message: string; line?: number };
}
