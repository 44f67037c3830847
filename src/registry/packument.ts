/**
 * The registry document edge: which parts of a packument are read, how they are validated, and how
 * they become the slim {@link Packument} of `types.ts`.
 *
 * The selector below tells the streaming parser what to materialise; the zod schema then checks
 * the TYPES of exactly those parts (extra fields are never materialised, so never rejected).
 * Records keyed by untrusted input (versions, time, dist-tags, dependencies) are read from the
 * parser's null-prototype objects into Maps / null-prototype objects, never into `{}`.
 */
import { z } from 'zod';
import type { ObjectSelector, Selector } from './json-select.js';
import type { InstallScripts, Packument, Person, VersionMeta } from './types.js';

const sel = (fields: Record<string, Selector>, any?: Selector): ObjectSelector => (any === undefined ? { fields: new Map(Object.entries(fields)) } : { fields: new Map(Object.entries(fields)), any });

export const INSTALL_SCRIPT_NAMES = ['preinstall', 'install', 'postinstall', 'prepare'] as const;

const personSelector = sel({ name: true, email: true });

const versionSelector = sel({
  version: true,
  _npmUser: sel({ name: true, email: true, trustedPublisher: sel({ id: true }) }),
  maintainers: { items: personSelector },
  scripts: sel(Object.fromEntries(INSTALL_SCRIPT_NAMES.map((s) => [s, true]))),
  gypfile: true,
  hasInstallScript: true,
  deprecated: true,
  dependencies: true,
  repository: sel({ url: true }),
  dist: sel({ integrity: true, shasum: true, attestations: sel({ url: true, provenance: sel({ predicateType: true }) }) }),
});

/** What the streaming parser keeps of a (full or abbreviated) packument. */
export const PACKUMENT_SELECTOR: Selector = sel({
  name: true,
  'dist-tags': true,
  time: true,
  modified: true, // the abbreviated document's top-level field
  versions: sel({}, versionSelector),
});

// ---- schema (types of what is kept; absent or null optional fields are accepted as absent) ----

const optStr = z.string().nullish();
const personSchema = z.object({ name: z.string(), email: optStr });
/** Very old manifests list maintainers as "name <email>" strings. */
const maintainerSchema = z.union([personSchema, z.string()]);
/**
 * Objects keyed by untrusted input are checked here rather than with `z.record`, which skips (and
 * so never validates) a `__proto__` key.
 */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
const strRecord = z.unknown().superRefine((v, ctx) => {
  if (v == null) return;
  if (!isPlainObject(v)) {
    ctx.addIssue({ code: 'custom', message: 'expected an object' });
    return;
  }
  for (const k of Object.keys(v)) {
    if (typeof v[k] !== 'string') ctx.addIssue({ code: 'custom', path: [k], message: 'expected a string' });
  }
});
const versionSchema = z.object({
  version: optStr,
  _npmUser: z
    .object({ name: z.string(), email: optStr, trustedPublisher: z.object({ id: optStr }).nullish() })
    .nullish(),
  maintainers: z.array(maintainerSchema).nullish(),
  scripts: z.object(Object.fromEntries(INSTALL_SCRIPT_NAMES.map((s) => [s, optStr]))).nullish(),
  gypfile: z.boolean().nullish(),
  hasInstallScript: z.boolean().nullish(),
  deprecated: optStr,
  dependencies: strRecord.optional(),
  repository: z.union([z.string(), z.object({ url: optStr })]).nullish(),
  dist: z
    .object({
      integrity: optStr,
      shasum: optStr,
      attestations: z.object({ url: optStr, provenance: z.object({ predicateType: optStr }).nullish() }).nullish(),
    })
    .nullish(),
});

const timeSchema = z.unknown().superRefine((time, ctx) => {
  if (time == null) return;
  if (!isPlainObject(time)) {
    ctx.addIssue({ code: 'custom', message: 'expected an object' });
    return;
  }
  for (const key of Object.keys(time)) {
    const v = time[key];
    // `time.unpublished` is an object on unpublished packages; every other entry is an ISO string
    if (key === 'unpublished' ? typeof v !== 'object' : typeof v !== 'string') {
      ctx.addIssue({ code: 'custom', path: [key], message: key === 'unpublished' ? 'expected an object' : 'expected a string' });
    }
  }
});

/** The versions container's type only: its entries are validated one by one as they stream in. */
const versionsSchema = z.unknown().superRefine((versions, ctx) => {
  if (versions != null && !isPlainObject(versions)) ctx.addIssue({ code: 'custom', message: 'expected an object' });
});

const packumentSchema = z.object({
  name: optStr,
  'dist-tags': strRecord.optional(),
  time: timeSchema.optional(),
  modified: optStr,
  versions: versionsSchema.optional(),
});

type RawVersion = Omit<z.infer<typeof versionSchema>, 'dependencies'> & { dependencies?: Record<string, string> | null };
interface RawPackument {
  name?: string | null;
  'dist-tags'?: Record<string, string> | null;
  time?: Record<string, unknown> | null;
  modified?: string | null;
}

export class InvalidDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidDocumentError';
  }
}

function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): string {
  const first = issues
    .slice(0, 2)
    .map((i) => describeIssue(i, prefix))
    .join('; ');
  return issues.length > 2 ? `${first} (+${issues.length - 2} more)` : first;
}

function describeIssue(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): string {
  const path = [...prefix, ...issue.path].map((p) => String(p)).join('.');
  const msg = issue.message.replace(/^Invalid input: /, '');
  const where = path.length > 120 ? `${path.slice(0, 117)}...` : path;
  return where ? `${where}: ${msg}` : msg;
}

/**
 * Per-document sharing of equal values. A packument repeats the same people, dependency lists,
 * ranges and scripts across hundreds of versions; keeping one copy of each makes the slim document
 * several times smaller. Shared objects are read-only by convention, like the whole slim document.
 */
class Share {
  private readonly strings = new Map<string, string>();
  private readonly objects = new Map<string, unknown>();
  str(v: string): string {
    if (v.length > 256) return v;
    const got = this.strings.get(v);
    if (got !== undefined) return got;
    this.strings.set(v, v);
    return v;
  }
  obj<T>(key: string, make: () => T): T {
    const got = this.objects.get(key) as T | undefined;
    if (got !== undefined) return got;
    const made = make();
    this.objects.set(key, made);
    return made;
  }
  person(p: { name: string; email?: string | null | undefined } | string): Person {
    let name: string;
    let email: string | undefined;
    if (typeof p === 'string') {
      const m = /^\s*([^<]*?)\s*(?:<([^>]*)>)?\s*$/.exec(p);
      name = m?.[1] ?? p;
      email = m?.[2] || undefined;
    } else {
      name = p.name;
      email = p.email || undefined;
    }
    return this.obj(JSON.stringify(['p', name, email ?? null]), () => (email !== undefined ? { name: this.str(name), email: this.str(email) } : { name: this.str(name) }));
  }
}

function toVersionMeta(version: string, raw: RawVersion, share: Share): VersionMeta {
  let scripts: InstallScripts = EMPTY_SCRIPTS;
  if (raw.scripts) {
    const found: InstallScripts = {};
    const parts: string[] = ['s'];
    for (const s of INSTALL_SCRIPT_NAMES) {
      const v = raw.scripts[s];
      if (typeof v === 'string') {
        found[s] = v;
        parts.push(s, v);
      }
    }
    if (parts.length > 1) scripts = share.obj(JSON.stringify(parts), () => found);
  }
  const meta: VersionMeta = { version, scripts };
  if (raw._npmUser) {
    meta.npmUser = share.person(raw._npmUser);
    const tp = raw._npmUser.trustedPublisher;
    if (tp) meta.trustedPublisher = share.obj(JSON.stringify(['t', tp.id ?? null]), () => (tp.id ? { id: share.str(tp.id) } : {}));
  }
  if (raw.maintainers) {
    const people = raw.maintainers.map((m) => share.person(m));
    meta.maintainers = share.obj(JSON.stringify(['m', ...people.map((p) => [p.name, p.email ?? null])]), () => people);
  }
  if (raw.gypfile != null) meta.gypfile = raw.gypfile;
  if (raw.hasInstallScript != null) meta.hasInstallScript = raw.hasInstallScript;
  if (raw.dist?.integrity) meta.integrity = raw.dist.integrity;
  if (raw.dist?.shasum) meta.shasum = raw.dist.shasum;
  const att = raw.dist?.attestations;
  if (att) {
    const a: NonNullable<VersionMeta['attestations']> = {};
    if (att.url) a.url = att.url;
    if (att.provenance) a.provenance = att.provenance.predicateType ? { predicateType: share.str(att.provenance.predicateType) } : {};
    meta.attestations = a;
  }
  if (typeof raw.deprecated === 'string') meta.deprecated = share.str(raw.deprecated);
  const deps = raw.dependencies;
  if (deps) {
    const names = Object.keys(deps);
    // JSON keeps the key unambiguous whatever characters the names contain
    const key = JSON.stringify(['d', ...names.map((n) => [n, deps[n]])]);
    meta.dependencies = share.obj(key, () => {
      // a fresh null-prototype object (never `{}`: names are attacker-chosen)
      const out = Object.create(null) as Record<string, string>;
      for (const n of names) out[share.str(n)] = share.str(deps[n]!);
      return out;
    });
  }
  const repo = raw.repository;
  if (typeof repo === 'string') meta.repository = share.str(repo);
  else if (repo?.url) meta.repository = share.str(repo.url);
  return meta;
}

const EMPTY_SCRIPTS: InstallScripts = Object.freeze({});

/**
 * Builds the slim packument while the document streams: {@link selector} hands every version to
 * {@link PackumentReducer.version} as soon as it is parsed (validated and reduced on the spot, so
 * the kept parts of a 40 MB document never pile up), and {@link finish} validates the rest and
 * fills in publish times (the `time` map usually follows `versions`).
 * Throws {@link InvalidDocumentError} with a short reason naming the first failing path.
 */
export class PackumentReducer {
  readonly selector: Selector;
  private readonly versions = new Map<string, VersionMeta>();
  private readonly share = new Share();

  constructor(private readonly requestedName: string) {
    this.selector = sel({
      name: true,
      'dist-tags': true,
      time: true,
      modified: true,
      versions: { fields: new Map(), any: versionSelector, onEntry: (key, value) => this.version(key, value) },
    });
  }

  version(key: string, raw: unknown): void {
    const r = versionSchema.safeParse(raw);
    if (!r.success) throw new InvalidDocumentError(describeIssues(r.error.issues, ['versions', key]));
    // zod's output drops `__proto__` keys: read from the parser's null-prototype objects
    this.versions.set(key, toVersionMeta(key, raw as RawVersion, this.share));
  }

  finish(kept: unknown): Packument {
    if (kept === null || typeof kept !== 'object' || Array.isArray(kept)) {
      throw new InvalidDocumentError('expected a JSON object');
    }
    const parsed = packumentSchema.safeParse(kept);
    if (!parsed.success) throw new InvalidDocumentError(describeIssues(parsed.error.issues));
    const doc = kept as RawPackument;
    if (doc.name != null && doc.name !== this.requestedName) {
      throw new InvalidDocumentError(`document is for another package (${JSON.stringify(doc.name.slice(0, 100))})`);
    }
    const time = doc.time ?? undefined;
    if (time) {
      for (const [v, meta] of this.versions) {
        const published = time[v];
        if (typeof published === 'string') meta.publishedAt = published;
      }
    }
    const distTags = new Map<string, string>();
    if (doc['dist-tags']) for (const t of Object.keys(doc['dist-tags'])) distTags.set(t, doc['dist-tags'][t]!);
    const p: Packument = { name: this.requestedName, versions: this.versions, distTags, abbreviated: time === undefined };
    if (typeof time?.created === 'string') p.created = time.created;
    if (typeof time?.modified === 'string') p.modified = time.modified;
    else if (doc.modified) p.modified = doc.modified;
    return p;
  }
}

/** The same reduction for a document already parsed whole (with {@link PACKUMENT_SELECTOR}). */
export function toPackument(requestedName: string, kept: unknown): Packument {
  const reducer = new PackumentReducer(requestedName);
  const versions = isPlainObject(kept) ? kept.versions : undefined;
  if (isPlainObject(versions)) for (const key of Object.keys(versions)) reducer.version(key, versions[key]);
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
  for (const [k, v] of p.versions) {
    n += VERSION_OVERHEAD + str(k) + str(v.version) + str(v.publishedAt) + person(v.npmUser) + str(v.integrity) + str(v.shasum) + str(v.deprecated) + str(v.repository);
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
