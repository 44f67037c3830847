/** The contract of the review's gather step: a change with the data gathered for it, and one gatherer per kind of data. */
import type { AdvisoryClient, Change, DataNeed, Incomplete, Packument, ReadOptions, ReviewNote, SignalInput } from '../../model/index.js';
import type { ContentConfig } from '../../policy/content-config.js';
import type { ReviewClients } from '../clients.js';
import type { ContentAnalyser } from '../content-pool.js';

/** What the signals read besides the change itself: filled by the gatherers of the needed kinds. */
export type GatheredData = Pick<
  SignalInput,
  'packument' | 'provenance' | 'wheels' | 'sdists' | 'registryOrigins' | 'advisories' | 'contents' | 'contentAnalysis'
>;

/**
 * What became of a change's registry document: `none` (offline, not from a registry, or no running
 * signal reads one), `over-cap` (not asked: over the review's cap), `unreadable` (the read failed),
 * `unusable` (read, but the version under review cannot be analysed from it: fails closed), `read`.
 */
export type DocumentStatus = 'none' | 'over-cap' | 'unreadable' | 'unusable' | 'read';

/** One change on its way through the review. */
export interface Subject {
  change: Change;
  /** `npm:name`, `pypi:name`: the registry is asked once per key. */
  key: string;
  status: DocumentStatus;
  data: GatheredData;
  /** Analysed, but some signals could not be evaluated (set by the evaluate step). */
  partial: boolean;
}

export interface GatherContext {
  clients: ReviewClients;
  read: ReadOptions;
  /** Most names asked about the registry. */
  maxChanges: number;
  /** The registry hosts each lockfile's base side downloads from, by lockfile. */
  baseOrigins: ReadonlyMap<string, Set<string>>;
  /** Origins the repository's config allows for tarball URLs. */
  allowedOrigins: readonly string[];
  onProgress?: ((p: { done: number; total: number; name?: string }) => void) | undefined;
  /** What could not be gathered, and why: shared with the rest of the review. */
  incomplete: Incomplete[];
  /** The registry documents read, by key (null: the registry does not know the name), for the notes. */
  documents: Map<string, Packument | null>;
  /** The advisory sources (absent or null: none configured). */
  advisories?: AdvisoryClient | null | undefined;
  /** Also vulnerability advisories (known-vulnerability runs), not only malware. */
  vulnerabilities?: boolean;
  /** Content analysis: enabled and its caps (config `content`); absent: no contents gathered. */
  content?: ContentConfig;
  /** Runs content analysis (the engine's worker pool): set whenever `content` is. */
  contentAnalyser?: ContentAnalyser;
  /** Notes of the gather step (advisory sources unavailable), for the review's notes. */
  notes?: ReviewNote[];
}

/** Fills one kind of data for one change. */
export type GatherStep = (subject: Subject) => Promise<void>;

export interface Gatherer {
  /** The kinds this one reads (a change's packument, say): gathered before it. */
  after: readonly DataNeed[];
  /** Starts gathering for a review (reads shared between changes happen here) and returns the per-change step. */
  start(subjects: readonly Subject[], ctx: GatherContext): Promise<GatherStep>;
}
