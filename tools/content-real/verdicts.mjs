/**
 * My verdicts: on each finding at medium or above of the current run (by `name@to signal file`), and on
 * each upgrade the first run (before calibration) raised to medium or above, with the rule changed for it.
 */
export const VERDICTS = {
  'conventional-changelog-core@4.2.3 new-capability index.js':
    'benign, and worth showing: index.js starts running `git rev-parse --verify HEAD` (execFileSync, fixed program, argument array, no shell) to check the repository has a commit. Medium is right: an entry point that starts spawning is what a reviewer must see; it is no longer high (spawn alone, without network or a strong kind).',
};

/** The first run over the same 819 upgrades: 7 upgrades at medium or above (0.85 %), 1 at high. */
export const BEFORE_CALIBRATION = [
  {
    upgrade: '@angular/common 12.0.3 → 12.2.1',
    found:
      'manifest-mismatch medium (package.json "not readable text (truncated)"); obfuscated-code medium on 70 locale files (long-line, encoded-blob, was-readable)',
    verdict:
      'benign. The archive holds more than 8 MiB of text and package.json comes after the locales in tar order: the reader had cut it (and most 12.0.3 locale files) to 0 characters, so the manifest could not be compared and the cut files looked "readable before". The locale files carry an inline source map that grew past 1000 characters.',
    fix: 'archives: the manifest has a text budget of its own; obfuscated-code: a previous text that was cut is no baseline of its own (package-wide baseline instead); an inline source map comment line is neither an encoded blob nor a long line.',
  },
  {
    upgrade: '@angular/compiler 12.0.3 → 12.2.1, @angular/core 12.0.3 → 12.2.1, prettier 2.3.0 → 2.3.2, tap 16.3.4 → 16.3.7',
    found: 'manifest-mismatch medium: package.json "not readable text (text, truncated)"',
    verdict:
      'benign: the same budget starvation of package.json (big archives, manifest late in tar order); the registry document and the tarball agree once it is read.',
    fix: 'archives: package.json is read whatever text came before it.',
  },
  {
    upgrade: 'conventional-changelog-core 4.2.2 → 4.2.3',
    found: 'new-capability high: index.js gains process-exec, entry-point',
    verdict: 'benign (`git rev-parse --verify HEAD`), but a real new capability of an entry point: kept at medium.',
    fix: 'escalate: in an entry point, spawn or network alone raises to medium; both together (download and run) or with a strong kind, high.',
  },
  {
    upgrade: 'watch 0.10.0 → 0.18.0',
    found: 'new-executable medium: release.sh (script-sh, added)',
    verdict:
      'benign: a 110-byte maintainer script (`npm version minor && npm publish && git push --tags`) that no install script, bin or file of the package runs.',
    fix: 'new-executable: a script nothing in the new version names is low (kind not-referenced); binaries and named scripts stay medium.',
  },
];
