/**
 * The registry document edge: which parts of a packument are read, how they are checked, and how
 * they become the slim {@link Packument} of `types.ts`.
 *
 * Tolerant and bounded: a malformed field is dropped (its version kept), a malformed version skipped,
 * and what is kept is capped ({@link DOCUMENT_CAPS}, VERSION_CAPS); everything left out is recorded in
 * `Packument.repairs` / `VersionMeta.dropped`, so the engine can say so and fail closed when the
 * version under review lost something a signal needs. Only a document that is not a JSON object, or
 * is for another package, is rejected ({@link InvalidDocumentError}).
 */
import type { ObjectSelector, Selector } from '../readers/json-select.js';
import { droppedEntries } from '../readers/json-select.js';
import { Share } from './packument-share.js';
import { readVersion, versionSelector } from './packument-version.js';
import type { DocumentRepairs, Packument, Person, VersionMeta } from '../model/index.js';

export { INSTALL_SCRIPT_NAMES, VERSION_CAPS } from './packument-version.js';

const MiB = 1024 * 1024;

/**
 * Caps on a whole document. Real packuments reach a few thousand versions (10,000 for the busiest
 * nightly publishers) and keep well under 20 MiB of the data lockwarden reads.
 */
export const DOCUMENT_CAPS = {
  versions: 50_000,
  /** Publish times kept when `time` comes before `versions` (afterwards only the kept versions' are). */
  timeEntries: 50_010,
  distTags: 1_000,
  /** Approximate bytes of kept data (strings, dependency maps) after which further versions are not read. */
  keptBytes: 64 * MiB,
} as const;

/** How many dropped items a document's repairs list by name (the count covers all). */
const LISTED = 20;

const scalar: ObjectSelector = { maxString: 1024 };

/** Version keys kept of `time.unpublished.versions` and of the publish times of versions not listed. */
const UNLISTED_KEPT = 500;
/** `time.unpublished` of an unpublished package: when, and which versions it had. */
const UNPUBLISHED: Selector = { fields: new Map<string, Selector>([['versions', { items: { maxString: 256 }, maxEntries: UNLISTED_KEPT }]]) };

/** What the streaming parser keeps of a (full or abbreviated) packument, for a whole-document parse. */
export const PACKUMENT_SELECTOR: Selector = {
  fields: new Map<string, Selector>([
    ['name', scalar],
    ['dist-tags', { any: scalar, maxEntries: DOCUMENT_CAPS.distTags }],
    ['time', { fields: new Map([['unpublished', UNPUBLISHED]]), any: scalar, maxEntries: DOCUMENT_CAPS.timeEntries }],
    ['modified', scalar], // the abbreviated document's top-level field
    ['versions', { any: versionSelector, maxEntries: DOCUMENT_CAPS.versions }],
  ]),
};

export class InvalidDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidDocumentError';
  }
}

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Builds the slim packument while the document streams: {@link selector} hands every version to
 * {@link PackumentReducer.version} as soon as it is parsed (read and reduced on the spot, so the kept
 * parts of a 40 MB document never pile up) and every publish time to {@link PackumentReducer.time};
 * {@link finish} reads the rest. Versions and times over the caps are skipped before they are built.
 */
export class PackumentReducer {
  readonly selector: Selector;
  private readonly versions = new Map<string, VersionMeta>();
  private readonly times = new Map<string, string>();
  private readonly share = new Share();
  private readonly repairs: DocumentRepairs = { dropped: [], droppedCount: 0, skippedVersions: 0, versionsOverCap: 0, entriesOverCap: 0 };
  private timeIsObject = false;
  private unpublished: string[] | undefined;
  private readonly timedOnly = { versions: [] as string[], more: 0 };

  constructor(private readonly requestedName: string) {
    this.selector = {
      fields: new Map<string, Selector>([
        ['name', scalar],
        ['dist-tags', { any: scalar, maxEntries: DOCUMENT_CAPS.distTags }],
        [
          'time',
          {
            fields: new Map([['unpublished', UNPUBLISHED]]),
            any: scalar,
            onEntry: (k, v) => this.time(k, v),
            wants: (k) => this.wantsTime(k),
            maxEntries: Number.MAX_SAFE_INTEGER,
          },
        ],
        ['modified', scalar],
        ['versions', { any: versionSelector, onEntry: (k, v) => this.version(k, v), wants: () => this.wantsVersion(), maxEntries: Number.MAX_SAFE_INTEGER }],
      ]),
    };
  }

  private drop(what: string): void {
    if (this.repairs.droppedCount++ < LISTED) this.repairs.dropped.push(what.length > 120 ? `${what.slice(0, 117)}...` : what);
  }

  /** Whether the next version is read at all (asked before it is parsed). */
  wantsVersion(): boolean {
    if (this.versions.size < DOCUMENT_CAPS.versions && this.share.bytes < DOCUMENT_CAPS.keptBytes) return true;
    this.repairs.versionsOverCap++;
    return false;
  }

  version(key: string, raw: unknown): void {
    if (!isObj(raw)) {
      this.repairs.skippedVersions++;
      this.drop(`${key}: not an object`);
      return;
    }
    const meta = readVersion(key, raw, this.share);
    for (const f of meta.dropped ?? []) this.drop(`${key}: ${f}`);
    this.versions.set(key, meta);
  }

  /** Publish times of versions already read (when `time` follows `versions`), else the first few thousand. */
  private wantsTime(key: string): boolean {
    this.timeIsObject = true;
    if (key === 'created' || key === 'modified' || key === 'unpublished') return true;
    if (this.versions.size > 0) {
      if (this.versions.has(key)) return true;
      this.noteTimedOnly(key);
      return false;
    }
    if (this.times.size < DOCUMENT_CAPS.timeEntries) return true;
    this.repairs.entriesOverCap++;
    return false;
  }

  /** A publish time of a version the document does not list (unpublished, or a mirror's gap). */
  private noteTimedOnly(key: string): void {
    if (this.timedOnly.versions.length < UNLISTED_KEPT) this.timedOnly.versions.push(key.slice(0, 256));
    else this.timedOnly.more++;
  }

  time(key: string, value: unknown): void {
    // `time.unpublished` is an object on unpublished packages; every other entry is an ISO string
    if (key === 'unpublished') {
      const versions = isObj(value) ? value['versions'] : undefined;
      if (Array.isArray(versions)) this.unpublished = versions.filter((v): v is string => typeof v === 'string');
      return;
    }
    if (typeof value === 'string') this.times.set(key, value);
    else this.drop(`time.${key}`);
  }

  finish(kept: unknown): Packument {
    if (!isObj(kept)) throw new InvalidDocumentError('expected a JSON object');
    const name = kept['name'];
    if (typeof name === 'string' && name !== this.requestedName) {
      throw new InvalidDocumentError(`document is for another package (${JSON.stringify(name.slice(0, 100))})`);
    }
    if (name != null && typeof name !== 'string') this.drop('name');
    if (kept['versions'] != null && !isObj(kept['versions'])) this.drop('versions');
    const time = kept['time'];
    if (time != null && !isObj(time)) this.drop('time');
    for (const [v, meta] of this.versions) {
      const published = this.times.get(v);
      if (published !== undefined) meta.publishedAt = published;
    }
    // `time` came first: its entries for versions the document does not list
    for (const k of this.times.keys()) if (k !== 'created' && k !== 'modified' && !this.versions.has(k)) this.noteTimedOnly(k);
    const p: Packument = {
      name: this.requestedName,
      versions: this.versions,
      distTags: this.distTags(kept['dist-tags']),
      abbreviated: !this.timeIsObject && !isObj(time),
    };
    const created = this.times.get('created');
    const modified = this.times.get('modified') ?? (typeof kept['modified'] === 'string' ? kept['modified'] : undefined);
    if (created !== undefined) p.created = created;
    if (modified !== undefined) p.modified = modified;
    if (this.unpublished !== undefined) p.unpublished = this.unpublished;
    if (this.timedOnly.versions.length > 0) p.timedOnly = this.timedOnly;
    const r = this.repairs;
    if (r.droppedCount + r.skippedVersions + r.versionsOverCap + r.entriesOverCap > 0) p.repairs = r;
    return p;
  }

  private distTags(tags: unknown): Map<string, string> {
    const out = new Map<string, string>();
    if (tags == null) return out;
    if (!isObj(tags)) {
      this.drop('dist-tags');
      return out;
    }
    this.repairs.entriesOverCap += droppedEntries(tags);
    for (const t of Object.keys(tags)) {
      const v = tags[t];
      if (typeof v === 'string') out.set(t, v);
      else this.drop(`dist-tags.${t}`);
    }
    return out;
  }
}

/** The same reduction for a document already parsed whole (with {@link PACKUMENT_SELECTOR}). */
export function toPackument(requestedName: string, kept: unknown): Packument {
  const reducer = new PackumentReducer(requestedName);
  const versions = isObj(kept) ? kept['versions'] : undefined;
  if (isObj(versions)) for (const key of Object.keys(versions)) if (reducer.wantsVersion()) reducer.version(key, versions[key]);
  const time = isObj(kept) ? kept['time'] : undefined;
  if (isObj(time)) for (const key of Object.keys(time)) reducer.time(key, time[key]);
  return reducer.finish(kept);
}

/**
 * A rough size of a slim packument in memory (bytes), for the byte-bounded cache. Values shared
 * between versions (people, dependency lists, scripts, repeated strings) are counted once.
 */
/** A VersionMeta object with its hidden class, its Map entry, and the arrays/objects of one version. */
const VERSION_OVERHEAD = 650;

export function estimatePackumentBytes(p: Packument): number {
  const seen = new Set<unknown>();
  const str = (s: string | undefined): number => {
    if (s === undefined) return 0;
    if (s.length <= 256) {
      if (seen.has(s)) return 0;
      seen.add(s);
    }
    // most registry text is one-byte in V8; a little headroom for two-byte strings
    return 24 + Math.ceil(s.length * 1.25);
  };
  const once = (o: object | undefined, size: () => number): number => {
    if (o === undefined || seen.has(o)) return o === undefined ? 0 : 8;
    seen.add(o);
    return size();
  };
  const person = (x: Person | undefined): number => once(x, () => 48 + str(x!.name) + str(x!.email));
  let n = 200 + str(p.name) + str(p.created) + str(p.modified);
  for (const [k, v] of p.distTags) n += 40 + str(k) + str(v);
  for (const v of [...(p.unpublished ?? []), ...(p.timedOnly?.versions ?? [])]) n += 8 + str(v);
  for (const [k, v] of p.versions) {
    n +=
      VERSION_OVERHEAD +
      str(k) +
      str(v.version) +
      str(v.publishedAt) +
      person(v.npmUser) +
      str(v.integrity) +
      str(v.shasum) +
      str(v.deprecated) +
      str(v.repository);
    n += once(v.trustedPublisher, () => 48 + str(v.trustedPublisher!.id));
    n += once(v.maintainers, () => 32 + v.maintainers!.reduce((t, m) => t + 8 + person(m), 0));
    const sc = v.scripts;
    n += once(sc, () => 48 + str(sc.preinstall) + str(sc.install) + str(sc.postinstall) + str(sc.prepare));
    n += once(v.attestations, () => 64 + str(v.attestations!.url) + str(v.attestations!.provenance?.predicateType));
    const deps = v.dependencies;
    n += once(deps, () => Object.keys(deps!).reduce((t, d) => t + 32 + str(d) + str(deps![d]), 48));
  }
  return n;
}
