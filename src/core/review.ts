/**
 * The review engine: lockfile texts in, reviewed changes and a conclusion out.
 *
 *   parse base & head → diff → registry metadata → signals → policy
 *
 * Shared by the CLI and the GitHub App. The only I/O is through the injected registry client.
 */
import { setMaxListeners } from 'node:events';
import { parseLockfile } from '../lockfiles/index.js';
import { diffLockfiles } from '../diff/index.js';
import {
  coverageGaps,
  dominantRegistryOrigin,
  originOf,
  provenanceVersionsNeeded,
  registryOriginsOf,
  runSignals,
  sdistToInspect,
  sdistVersionsNeeded,
  timeSignalsSkipped,
  TIME_SIGNALS,
  wheelsToList,
  wheelVersionsNeeded,
} from '../signals/index.js';
import { applyPolicy, allowNotes, conclude, maxSeverity, type Config } from '../policy/index.js';
import { RegistryError } from '../registry/http.js';
import type {
  Change,
  Ecosystem,
  Incomplete,
  Lockfile,
  Packument,
  PolicyFinding,
  ProvenanceSource,
  PythonIndexClient,
  ReadOptions,
  RegistryClient,
  RegistryOrigins,
  ReviewedChange,
  ReviewNote,
  ReviewResult,
  ReviewSummary,
  SdistInfo,
  Severity,
  Unreviewed,
  WheelListing,
} from '../model/index.js';
import { NotEvaluated, repairNote, targetDocumentProblem } from './document-notes.js';
import { weakIntegrityNotes } from './weak-integrity.js';

/** The result's types live in src/model; re-exported for the edges that call `review()`. */
export type { Incomplete, NotEvaluatedNote, RepairNote, ReviewedChange, ReviewNote, ReviewResult, ReviewSummary, Unreviewed } from '../model/index.js';

/**
 * Default cap on the names one review asks the registry about. Real lockfile changes add up to about
 * 3,300 packages (a new app with a large framework); 5,000 keeps those reviewable while one PR can no
 * longer make tens of thousands of registry requests.
 */
export const DEFAULT_MAX_CHANGES = 5000;

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
  /**
   * The review's deadline or cancellation, passed to every registry read: a read it cuts is listed
   * as incomplete with the reason (`timed out: …`), and the review returns what it could review.
   */
  signal?: AbortSignal;
  /**
   * Most names the review asks the registry about (default {@link DEFAULT_MAX_CHANGES}): direct
   * dependencies first, then by name. The rest are not requested, and the review fails saying how many.
   */
  maxChanges?: number;
}

function needsRegistry(c: Change): boolean {
  return c.kind !== 'removed' && c.head !== undefined && (c.head.source.type === 'registry' || c.head.source.type === 'unknown');
}

function parseSide(file: string, content: string | Uint8Array | null, includes: ReadonlyMap<string, string> | undefined, path: string): Lockfile | null {
  return content === null ? null : parseLockfile(file, content, { includes, path });
}

/** Parses and diffs every lockfile. Throws LockfileError on bad input (naming file and line). */
export function diffInputs(inputs: readonly LockfileInput[], unreviewed: Unreviewed[] = [], baseOrigins?: Map<string, Set<string>>): Change[] {
  const changes: Change[] = [];
  for (const input of inputs) {
    const base = parseSide(input.baseFile ?? input.file, input.base, input.baseIncludes, input.basePath ?? input.baseFile ?? input.file);
    const head = parseSide(input.file, input.head, input.headIncludes, input.file);
    const trusted = registryOriginsOf(base);
    baseOrigins?.set(head?.file ?? input.file, base === null ? dominantRegistryOrigin(head) : trusted);
    for (const u of head?.unreviewed ?? []) unreviewed.push({ lockfile: u.file ?? input.file, name: u.name, line: u.line, reason: u.reason });
    // A loop, not push(...): a spread of a big diff's changes overflows the stack.
    if (head) for (const c of diffLockfiles(base, head)) changes.push(c);
    else if (base) {
      // The PR deletes the lockfile: everything in it is removed. Diff against an empty lockfile of the same shape.
      const empty: Lockfile = { ...base, importers: [], packages: [] };
      for (const c of diffLockfiles(base, empty)) changes.push(c);
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

type Wanted = Map<string, { ecosystem: Ecosystem; name: string }>;

/**
 * The names to ask the registry about, at most `cap`: direct dependencies first, then by key (code
 * unit order, the same on every machine). The rest are skipped.
 */
export function capWanted(changes: readonly Change[], cap: number): { asked: Wanted; skipped: Set<string>; total: number } {
  const wanted: Wanted = new Map();
  const direct = new Set<string>();
  for (const c of changes) {
    if (!needsRegistry(c)) continue;
    const key = keyOf(c);
    if (!wanted.has(key)) wanted.set(key, { ecosystem: c.ecosystem, name: c.name });
    if (c.direct) direct.add(key);
  }
  if (wanted.size <= cap) return { asked: wanted, skipped: new Set(), total: wanted.size };
  const keys = [...wanted.keys()].sort((a, b) => Number(direct.has(b)) - Number(direct.has(a)) || (a < b ? -1 : a > b ? 1 : 0));
  const asked: Wanted = new Map();
  for (const k of keys.slice(0, Math.max(0, cap))) asked.set(k, wanted.get(k)!);
  return { asked, skipped: new Set(keys.slice(Math.max(0, cap))), total: wanted.size };
}

/** One entry for every name over the cap (a report must stay readable with 20,000 of them): it fails the check. */
function overCap(skipped: number, total: number, cap: number): Incomplete {
  return {
    name: `${skipped} packages`,
    version: null,
    reason: `${skipped} of the ${total} changed packages that need the registry were not reviewed: over the cap of ${cap} per review (--max-changes, LOCKWARDEN_MAX_CHANGES)`,
    failClosed: true,
  };
}

/** A registry read that threw: a RegistryError is the registry's trouble; anything else is a bug, and fails the check. */
function readGap(change: Change, version: string | null, what: string, e: unknown): Incomplete {
  const internal = !(e instanceof RegistryError);
  const message = e instanceof Error ? e.message : String(e);
  const gap: Incomplete = { name: change.name, version, reason: `${what}: ${internal ? 'internal error: ' : ''}${message}`, lockfile: change.lockfile };
  if (internal) gap.failClosed = true;
  return gap;
}

/** Where this change's registry tarballs may come from: the registry the review reads it from, and the base side's registry hosts. */
function originsFor(change: Change, client: RegistryClient | null, baseOrigins: Map<string, Set<string>>, allowed: readonly string[]): RegistryOrigins {
  const base = baseOrigins.get(change.lockfile) ?? new Set<string>();
  const url = change.ecosystem === 'npm' ? client?.registryUrl?.(change.name) : undefined;
  const configured = url !== undefined ? originOf(url) : undefined;
  return configured !== undefined ? { configured, base, allowed } : { base, allowed };
}

/** The review's signal for its reads: every read in flight listens to it (thousands in a big review), which is no leak. */
function readOptions(signal: AbortSignal | undefined): ReadOptions {
  if (!signal) return {};
  const reads = AbortSignal.any([signal]);
  setMaxListeners(0, reads);
  return { signal: reads };
}

export async function review(inputs: readonly LockfileInput[], opts: ReviewOptions): Promise<ReviewResult> {
  const { registry, now, config } = opts;
  const read = readOptions(opts.signal);
  const unreviewed: Unreviewed[] = [];
  const baseOrigins = new Map<string, Set<string>>();
  const changes = diffInputs(inputs, unreviewed, baseOrigins);
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

  // One document request per name (the clients dedupe too; this keeps the engine honest on its own), capped.
  const cap = opts.maxChanges ?? DEFAULT_MAX_CHANGES;
  const { asked, skipped, total } = registry ? capWanted(changes, cap) : { asked: new Map() as Wanted, skipped: new Set<string>(), total: 0 };
  if (skipped.size) incomplete.push(overCap(skipped.size, total, cap));
  const packuments = new Map<string, Packument | null>();
  const failures = new Map<string, { reason: string; failClosed?: boolean }>();
  // which registry answered 404 for a name (its origin), for the version-not-found message
  const notFoundAt = new Map<string, string>();
  let done = 0;
  if (registry) {
    if ([...asked.values()].some((w) => w.ecosystem === 'pypi')) await preparePypi();
    await Promise.all(
      [...asked].map(async ([key, { ecosystem, name }]) => {
        const client = clientFor(ecosystem);
        try {
          if (!client) failures.set(key, { reason: pypiError ?? 'no registry for this ecosystem' });
          else {
            const r = await client.getPackument(name, read);
            if (r.ok) packuments.set(key, r.packument);
            else if (r.notFound) {
              packuments.set(key, null);
              if (r.origin !== undefined) notFoundAt.set(key, r.origin);
            }
            else failures.set(key, r.failClosed ? { reason: r.reason, failClosed: true } : { reason: r.reason });
          }
        } catch (e) {
          // getPackument never throws: this is a bug, not the registry's trouble
          failures.set(key, { reason: `registry client error: internal error: ${(e as Error).message}`, failClosed: true });
        }
        opts.onProgress?.({ done: ++done, total: asked.size, name });
      }),
    );
  }

  // changes not (fully) analysed, and why the time-based signals were skipped (reason → packages)
  const notAnalysed = new Set<Change>();
  const partial = new Set<Change>();
  const notEvaluated = new NotEvaluated();
  const reviewed: ReviewedChange[] = await Promise.all(
    changes.map(async (change) => {
      let packument: Packument | null = null;
      const provenance = new Map<string, ProvenanceSource | null>();
      const wheels = new Map<string, WheelListing[]>();
      const sdists = new Map<string, SdistInfo>();
      const key = keyOf(change);
      const online = registry !== null && needsRegistry(change) && !skipped.has(key);
      const client = online ? clientFor(change.ecosystem) : null;
      if (online) {
        const failure = failures.get(key);
        if (failure !== undefined || !client) {
          incomplete.push({ name: change.name, version: change.to, reason: failure?.reason ?? 'no registry', lockfile: change.lockfile, ...(failure?.failClosed ? { failClosed: true } : {}) });
        } else {
          packument = packuments.get(key) ?? null;
          if (packument === null) packument = notFoundPackument(change.name, notFoundAt.get(key));
          const problem = change.to !== null ? targetDocumentProblem(packument, change.to) : undefined;
          if (problem !== undefined) {
            notAnalysed.add(change);
            incomplete.push({ name: change.name, version: change.to, reason: problem, lockfile: change.lockfile, failClosed: true });
          }
          for (const v of provenanceVersionsNeeded(change, packument)) {
            try {
              provenance.set(v, await client.getProvenance(change.name, v, read));
            } catch (e) {
              incomplete.push(readGap(change, v, 'provenance unavailable', e));
            }
          }
          if (change.ecosystem === 'pypi' && pypi) await readDists(pypi, change, packument, read, wheels, sdists, incomplete);
        }
      }
      const registryOrigins = originsFor(change, registry, baseOrigins, config.allowedOrigins);
      const input = { change, packument, now, options: config.thresholds, provenance, wheels, sdists, registryOrigins };
      const timeReason = packument ? timeSignalsSkipped(input) : undefined;
      if (timeReason !== undefined) {
        partial.add(change);
        notEvaluated.add(TIME_SIGNALS, timeReason);
      }
      // what the registry does not serve (publisher, maintainers, attestations) is not a pass either
      for (const gap of packument ? coverageGaps(input, timeReason !== undefined) : []) {
        partial.add(change);
        notEvaluated.add(gap.signals, gap.reason);
      }
      const raw = runSignals(input);
      const findings = applyPolicy(raw, { name: change.name, version: change.to ?? change.from, ecosystem: change.ecosystem }, config, now);
      return reviewedChange(change, findings);
    }),
  );

  const all = reviewed.flatMap((c) => c.findings);
  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const c of reviewed) if (c.severity) bySeverity[c.severity]++;
  incomplete.sort((a, b) => a.name.localeCompare(b.name) || String(a.version).localeCompare(String(b.version)));
  const needing = changes.filter(needsRegistry);
  // read and checked against the registry (without an index client every Python name is in `failures`, with the reason)
  const checked = registry ? needing.filter((c) => !failures.has(keyOf(c)) && !skipped.has(keyOf(c)) && !notAnalysed.has(c)) : [];
  const partially = checked.filter((c) => partial.has(c)).length;
  const summary: ReviewSummary = {
    lockfiles: inputs.map((i) => i.file),
    changes: reviewed.length,
    needsRegistry: needing.length,
    analysed: checked.length - partially,
    partiallyAnalysed: partially,
    offline: registry === null,
    bySeverity,
  };
  if (registry) summary.registryRequests = registry.stats().requests + (pypi ? pypi.stats().requests : 0);
  return {
    changes: reviewed,
    conclusion: conclude(all, incomplete.length, config, incomplete.filter((i) => i.failClosed).length),
    incomplete,
    summary,
    notes: [...documentNotes(packuments), ...notEvaluated.notes(), ...weakIntegrityNotes(changes), ...allowNotes(config, now)],
    unreviewed,
  };
}

/** Python: the wheel listings and sdist contents the signals need for one change (gaps go to `incomplete`). */
async function readDists(
  index: PythonIndexClient,
  change: Change,
  packument: Packument,
  read: ReadOptions,
  wheels: Map<string, WheelListing[]>,
  sdists: Map<string, SdistInfo>,
  incomplete: Incomplete[],
): Promise<void> {
  for (const v of wheelVersionsNeeded(change, packument)) {
    try {
      const files = wheelsToList(packument.versions.get(v));
      wheels.set(v, await Promise.all(files.map((f) => index.listWheel(f, read))));
    } catch (e) {
      incomplete.push(readGap(change, v, 'wheel contents unavailable', e));
    }
  }
  // only when the new version builds from source (no wheel fits): its sdist, and the replaced version's
  for (const v of sdistVersionsNeeded(change, packument)) {
    const file = sdistToInspect(packument.versions.get(v));
    if (!file) continue;
    try {
      sdists.set(v, await index.inspectSdist(file, read));
    } catch (e) {
      incomplete.push(readGap(change, v, 'sdist contents unavailable', e));
    }
  }
}

/** A change as reports see it: the diff's facts, the findings, and the source of the new version. */
function reviewedChange(change: Change, findings: PolicyFinding[]): ReviewedChange {
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
function notFoundPackument(name: string, origin: string | undefined): Packument {
  const p: Packument = { name, versions: new Map(), distTags: new Map(), abbreviated: false };
  if (origin !== undefined) p.origin = origin;
  return p;
}
