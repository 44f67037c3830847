/**
 * What a lockfile format plugs into {@link parseLockfile} (./index.ts): its file names, a content
 * sniff and a parser. Each format module under ./formats exports one.
 */
import type { Lockfile } from '../model/index.js';

/** `parseLockfile`'s options with their defaults applied (`includes` stays optional). */
export interface FormatOptions {
  /** Larger inputs are refused. */
  maxBytes: number;
  /** Deeper nesting is refused. */
  maxDepth: number;
  /** Requirements files: the texts of the files a `-r` line includes, by repository-relative path. */
  includes?: ReadonlyMap<string, string> | undefined;
}

export interface LockfileFormat {
  /** Format family, for messages. */
  id: string;
  /** File names this parser is meant for (a hint when several parsers accept the content). */
  fileNames: readonly string[];
  /** Does the text (from `start`, after any BOM) look like this format? */
  sniff(text: string, start: number): boolean;
  /** For formats without a content signature: is this path such a file? (Consulted when no sniff matches.) */
  matchesPath?(path: string): boolean;
  parse(file: string, text: string, start: number, opts: FormatOptions): Lockfile;
}
