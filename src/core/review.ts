/**
 * The review engine: lockfile texts in, reviewed changes and a conclusion out.
 *
 *   parse base & head → diff → registry metadata → signals → policy
 *
 * Shared by the CLI and the GitHub App. The only I/O is through the injected registry client.
 */
import { parseLockfile } from '../lockfiles/index.js';
import { diffLockfiles } from '../diff/index.js';
import { runSignals, timeSignalsSkipped, provenanceVersionsNeeded, sdistVersionsNeeded, wheelVersionsNeeded } from '../signals/index.js';
import { sdistToInspect } from '../signals/install-hook-changed.js';
import { wheelsToList } from '../signals/python-dist.js';
import { applyPolicy, allowNotes, conclude, maxSeverity, type Config, type PolicyFinding } from '../policy/index.js';
import type { RegistryClient } from '../registry/index.js';
import type { DistFile, Packument, ProvenanceSource, SdistInfo, WheelListing } from '../registry/types.js';
import type { Change, Conclusion, Ecosystem, Lockfile, Severity } from '../model.js';
import { notEvaluatedNotes, repairNote, targetDocumentProblem, type ReviewNote } from './document-notes.js';

export type { NotEvaluatedNote, RepairNote, ReviewNote } from './document-notes.js';

/** A Python package index client: the registry interface plus wheel listings (ZIP central directories) and sdist contents. */
export interface PythonIndexClient extends RegistryClient {
  listWheel(file: DistFile): Promise<WheelListing>;
  /** What building an sdist would run (only asked for versions that build from source). */
  inspectSdist(file: DistFile): Promise<SdistInfo>;
}

export interface LockfileInput {
  /** Path of the lockfile (in the repository, or on disk): used in messages and annotations. */
  file: string;
  /** Name for the base side in error messages, when it differs (the CLI reads two paths). */
  baseFile?: string;
  /** The base side's real path when `baseFile` is only a label (`path (base)`): chooses the parser by name. */
  basePath?: string;
  /** Base version of the lockfile, or null when the PR adds the file. */
  base: string | Uint8Array | null;
  /** Head version of the lockfile, or null when the PR deletes the file. */
  head: string | Uint8Array | null;
  /** Requirements files: the texts of the files each side includes with `-r`, by repository-relative path. */
  baseIncludes?: ReadonlyMap<string, string>;
  headIncludes?: ReadonlyMap<string, string>;
}

export interface ReviewOptions {
  /** null → offline: only lockfile-derived signals, no network (for every ecosystem). */
  registry: RegistryClient | null;
  /**
   * The Python package index, for Python lockfiles (online reviews only). A function is called once,
   * when the first Python change needs the index (so an npm-only review never resolves pip's configuration).
   * Missing while online: Python changes are listed as incomplete.
   */
  pypi?: PythonIndexClient | (() => PythonIndexClient | Promise<PythonIndexClient>) | null;
  now: Date;
  config: Config;
  onProgress?: (p: { done: number; total: number; name?: string }) => void;
}

/** A change as reports see it: the diff's facts without the lockfile entries behind them, plus the verdict. */
export interface ReviewedChange extends Omit<Change, 'base' | 'head' | 'nameInBase'> {
  /** Source of the new version (registry, git, tarball, file…), for reports. */
  source?: { type: string; url?: string };
  findings: PolicyFinding[];
  /** Highest severity among findings that count (not allowed); null when none. */
  severity: Severity | null;
}

export interface Incomplete {
  name: string;
  version: string | null;
  reason: string;
  lockfile?: string;
  /**
   * Set when an attacker can cause this (a rejected or implausible document, work over a cap, an
   * internal error): the check fails. Unset: infrastructure trouble, concluded by `config.incomplete`.
   */
  failClosed?: boolean;
}

/** A requirement the head lockfile names without pinning it: never reviewed (listed so nobody takes silence for a pass). */
export interface Unreviewed {
  lockfile: string;
  name: string;
  line: number;
  reason: string;
}

export interface ReviewSummary {
  lockfiles: string[];
  changes: number;
  /** Changes whose registry metadata was needed. */
  needsRegistry: number;
  /** Of those, how many were fully analysed against the registry. */
  analysed: number;
  /** Analysed, but some signals could not be evaluated (publish times unusable): see the notes. Always set by `review`. */
  partiallyAnalysed?: number;
  offline: boolean;
  bySeverity: Record<Severity, number>;
  registryRequests?: number;
}

export interface ReviewResult {
  changes: ReviewedChange[];
  conclusion: Conclusion;
  incomplete: Incomplete[];
  summary: ReviewSummary;
  notes: ReviewNote[];
  /** Requirements that are not pinned (requirements files only): not reviewed. Always set by `review`. */
  unreviewed?: Unreviewed[];
}

function needsRegistry(c: Change): boolean {
  return c.kind !== 'removed' && c.head !== undefined && (c.head.source.type === 'registry' || c.head.source.type === 'unknown');
}

function parseSide(file: string, content: string | Uint8Array | null, includes: ReadonlyMap<string, string> | undefined, path: string): Lockfile | null {
  return content === null ? null : parseLockfile(file, content, { includes, path });
}

/** Parses and diffs every lockfile. Throws LockfileError on bad input (naming file and line). */
export function diffInputs(inputs: readonly LockfileInput[], unreviewed: Unreviewed[] = []): Change[] {
  const changes: Change[] = [];
  for (const input of inputs) {
    const base = parseSide(input.baseFile ?? input.file, input.base, input.baseIncludes, input.basePath ?? input.baseFile ?? input.file);
    const head = parseSide(input.file, input.head, input.headIncludes, input.file);
    for (const u of head?.unreviewed ?? []) unreviewed.push({ lockfile: u.file ?? input.file, name: u.name, line: u.line, reason: u.reason });
    if (head) changes.push(...diffLockfiles(base, head));
    else if (base) {
      // The PR deletes the lockfile: everything in it is removed. Diff against an empty lockfile of the same shape.
      const empty: Lockfile = { ...base, importers: [], packages: [] };
      changes.push(...diffLockfiles(base, empty));
    }
  }
  // A requirements file included by another changed one: its changes come from both reviews, keep one.
  const seen = new Set<string>();
  return changes.filter((c) => {
    const k = `${c.lockfile}\u0000${c.line}\u0000${c.ecosystem}\u0000${c.name}\u0000${c.from}\u0000${c.to}\u0000${c.kind}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Key of a name within its ecosystem (`npm:foo`, `pypi:foo`): the two namespaces never mix. */
function keyOf(c: { ecosystem: Ecosystem; name: string }): string {
  return `${c.ecosystem}:${c.name}`;
}

export async function review(inputs: readonly LockfileInput[], opts: ReviewOptions): Promise<ReviewResult> {
  const { registry, now, config } = opts;
  const unreviewed: Unreviewed[] = [];
  const changes = diffInputs(inputs, unreviewed);
  const incomplete: Incomplete[] = [];

  // The Python index client is made on first need (resolving pip's configuration may ask pip itself).
  let pypi = null as PythonIndexClient | null;
  let pypiError: string | undefined;
  let pypiReady: Promise<void> | undefined;
  const preparePypi = (): Promise<void> =>
    (pypiReady ??= (async () => {
      try {
        const p = opts.pypi;
        pypi = typeof p === 'function' ? await p() : (p ?? null);
        if (pypi === null) pypiError = 'no Python package index configured';
      } catch (e) {
        pypiError = `package index not configured: ${(e as Error).message}`;
      }
    })());
  const clientFor = (ecosystem: Ecosystem): RegistryClient | null => (!registry ? null : ecosystem === 'pypi' ? pypi : registry);

  // One document request per name (the clients dedupe too; this keeps the engine honest on its own).
  const wanted = new Map<string, { ecosystem: Ecosystem; name: string }>();
  for (const c of changes) if (needsRegistry(c) && !wanted.has(keyOf(c))) wanted.set(keyOf(c), { ecosystem: c.ecosystem, name: c.name });
  const packuments = new Map<string, Packument | null>();
  const failures = new Map<string, { reason: string; failClosed?: boolean }>();
  let done = 0;
  if (registry) {
    if ([...wanted.values()].some((w) => w.ecosystem === 'pypi')) await preparePypi();
    await Promise.all(
      [...wanted].map(async ([key, { ecosystem, name }]) => {
        const client = clientFor(ecosystem);
        try {
          if (!client) failures.set(key, { reason: pypiError ?? 'no registry for this ecosystem' });
          else {
            const r = await client.getPackument(name);
            if (r.ok) packuments.set(key, r.packument);
            else if (r.notFound) packuments.set(key, null);
            else failures.set(key, r.failClosed ? { reason: r.reason, failClosed: true } : { reason: r.reason });
          }
        } catch (e) {
          failures.set(key, { reason: `registry error: ${(e as Error).message}` });
        }
        opts.onProgress?.({ done: ++done, total: wanted.size, name });
      }),
    );
  }

  // changes not (fully) analysed, and why the time-based signals were skipped (reason → packages)
  const notAnalysed = new Set<Change>();
  const partial = new Set<Change>();
  const timeReasons = new Map<string, number>();
  const reviewed: ReviewedChange[] = await Promise.all(
    changes.map(async (change) => {
      let packument: Packument | null = null;
      const provenance = new Map<string, ProvenanceSource | null>();
      const wheels = new Map<string, WheelListing[]>();
      const sdists = new Map<string, SdistInfo>();
      const client = registry && needsRegistry(change) ? clientFor(change.ecosystem) : null;
      if (registry && needsRegistry(change)) {
        const failure = failures.get(keyOf(change));
        if (failure !== undefined || !client) {
          incomplete.push({ name: change.name, version: change.to, reason: failure?.reason ?? 'no registry', lockfile: change.lockfile, ...(failure?.failClosed ? { failClosed: true } : {}) });
        } else {
          packument = packuments.get(keyOf(change)) ?? null;
          if (packument === null) packument = notFoundPackument(change.name);
          const problem = change.to !== null ? targetDocumentProblem(packument, change.to) : undefined;
          if (problem !== undefined) {
            notAnalysed.add(change);
            incomplete.push({ name: change.name, version: change.to, reason: problem, lockfile: change.lockfile, failClosed: true });
          }
          for (const v of provenanceVersionsNeeded(change, packument)) {
            try {
              provenance.set(v, await client.getProvenance(change.name, v));
            } catch (e) {
              incomplete.push({ name: change.name, version: v, reason: `provenance unavailable: ${(e as Error).message}`, lockfile: change.lockfile });
            }
          }
          if (change.ecosystem === 'pypi' && pypi) {
            const index = pypi;
            for (const v of wheelVersionsNeeded(change, packument)) {
              try {
                const files = wheelsToList(packument.versions.get(v));
                wheels.set(v, await Promise.all(files.map((f) => index.listWheel(f))));
              } catch (e) {
                incomplete.push({ name: change.name, version: v, reason: `wheel contents unavailable: ${(e as Error).message}`, lockfile: change.lockfile });
              }
            }
            // only when the new version builds from source (no wheel fits): its sdist, and the replaced version's
            for (const v of sdistVersionsNeeded(change, packument)) {
              const file = sdistToInspect(packument.versions.get(v));
              if (!file) continue;
              try {
                sdists.set(v, await index.inspectSdist(file));
              } catch (e) {
                incomplete.push({ name: change.name, version: v, reason: `sdist contents unavailable: ${(e as Error).message}`, lockfile: change.lockfile });
              }
            }
          }
        }
      }
      const input = { change, packument, now, options: config.thresholds, provenance, wheels, sdists };
      const timeReason = packument ? timeSignalsSkipped(input) : undefined;
      if (timeReason !== undefined) {
        partial.add(change);
        timeReasons.set(timeReason, (timeReasons.get(timeReason) ?? 0) + 1);
      }
      const raw = runSignals(input);
      const findings = applyPolicy(raw, { name: change.name, version: change.to ?? change.from, ecosystem: change.ecosystem }, config, now);
      const out: ReviewedChange = {
        ecosystem: change.ecosystem,
        name: change.name,
        from: change.from,
        to: change.to,
        kind: change.kind,
        lockfile: change.lockfile,
        line: change.line,
        direct: change.direct,
        directOf: change.directOf,
        via: change.via,
        findings,
        severity: maxSeverity(findings),
      };
      const src = (change.head ?? change.base)?.source;
      if (src) out.source = src.url !== undefined ? { type: src.type, url: src.url } : { type: src.type };
      return out;
    }),
  );

  const all = reviewed.flatMap((c) => c.findings);
  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const c of reviewed) if (c.severity) bySeverity[c.severity]++;
  incomplete.sort((a, b) => a.name.localeCompare(b.name) || String(a.version).localeCompare(String(b.version)));
  const needing = changes.filter(needsRegistry);
  const summary: ReviewSummary = {
    lockfiles: inputs.map((i) => i.file),
    changes: reviewed.length,
    needsRegistry: needing.length,
    // (without an index client every Python name is in `failures`, with the reason)
    analysed: registry ? needing.filter((c) => !failures.has(keyOf(c)) && !notAnalysed.has(c) && !partial.has(c)).length : 0,
    partiallyAnalysed: registry ? needing.filter((c) => !failures.has(keyOf(c)) && !notAnalysed.has(c) && partial.has(c)).length : 0,
    offline: registry === null,
    bySeverity,
  };
  if (registry) summary.registryRequests = registry.stats().requests + (pypi ? pypi.stats().requests : 0);
  return {
    changes: reviewed,
    conclusion: conclude(all, incomplete.length, config, incomplete.filter((i) => i.failClosed).length),
    incomplete,
    summary,
    notes: [...documentNotes(packuments), ...notEvaluatedNotes(timeReasons), ...allowNotes(config, now)],
    unreviewed,
  };
}

/** A note for every document that had to be repaired, by package name. */
function documentNotes(packuments: ReadonlyMap<string, Packument | null>): ReviewNote[] {
  const out: ReviewNote[] = [];
  for (const p of packuments.values()) {
    const note = p ? repairNote(p.name, p) : undefined;
    if (note) out.push(note);
  }
  return out;
}

/**
 * The registry answered 404 for the name: a packument with no versions, so `version-not-found`
 * fires for registry-sourced changes (a forged or unpublished package).
 */
function notFoundPackument(name: string): Packument {
  return { name, versions: new Map(), distTags: new Map(), abbreviated: false };
}
