/** What each advisory source (OSV API, GitHub advisories, local directory) gives the combining client. */
import type { Advisory, AdvisoryQuery, AdvisorySource, ReadOptions } from '../../model/index.js';

export interface SourceContext {
  read: ReadOptions;
  /** Also ask for vulnerability advisories (not only malware): false when known-vulnerability is off. */
  vulnerabilities: boolean;
  /** The GitHub API root and token for this review (the App's installation token; the CLI's GITHUB_TOKEN). */
  github?: GithubAccess | undefined;
}

export interface GithubAccess {
  apiUrl: string;
  token: () => Promise<string | undefined>;
}

export interface SourceAnswer {
  /** By advisoryKey, for the queries the source answered (an empty list: nothing known). */
  results: Map<string, Advisory[]>;
  /** Records dropped: malformed, or naming another package or version than asked. */
  dropped: number;
  /** Why some queries were not answered, and how many. */
  gap?: { reason: string; packages: number; internal?: boolean };
  /** The source is not configured for this review (no token): not a gap. */
  notConfigured?: boolean;
}

export interface SourceClient {
  readonly name: AdvisorySource;
  /** Asks a server (skipped offline); the local directory does not. */
  readonly network: boolean;
  lookup(queries: readonly AdvisoryQuery[], ctx: SourceContext): Promise<SourceAnswer>;
}

/** An answer for no query, with why. */
export function unanswered(queries: readonly AdvisoryQuery[], reason: string, results = new Map<string, Advisory[]>(), dropped = 0): SourceAnswer {
  return { results, dropped, gap: { reason, packages: queries.length - results.size } };
}

/** A JSON body the server sent that does not parse, or is not the expected shape. */
export class Unreadable extends Error {}

/** The body as JSON (throws {@link Unreadable}). */
export function parseJson(buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    throw new Unreadable('not JSON');
  }
}
