/**
 * A local Python package index serving fixture documents shaped like the public index's, for
 * lockwarden's tests, its Python examples and the tools that produced their lockfiles (pip, poetry,
 * pipenv). The Python counterpart of `fixture-registry.ts`.
 *
 * Fixtures are declarative project documents (`examples/pypi/index/<normalised-name>.json`, see
 * {@link ProjectDocSchema}): releases with their upload times, the files to build (wheel tags, an
 * sdist, extra wheel members such as a `.pth` start-up hook), the Trusted Publisher that uploaded each
 * file (or none), the upload client, yanks, ownership roles and `requires_dist`. At start-up every
 * file is built deterministically in memory (`wheel.ts`, `sdist.ts`), hashed (sha256, md5,
 * blake2b-256) and placed at the path the public index uses (`/packages/ab/cd/<rest of blake2b>/<file>`).
 *
 * Served, with the public index's shapes (read from its source, pypi/warehouse):
 * - JSON API: `/pypi/<project>/json` and `/pypi/<project>/<version>/json` (keys sorted, compact, a
 *   trailing newline, as the index renders them; `ownership.roles`; no `uploaded_via` — the public
 *   index shows that only on its web pages, so fixtures keep it for documentation and {@link BuiltFile}).
 * - Simple API: `/simple/` and `/simple/<project>/` as PEP 503 HTML or PEP 691 JSON by `Accept`
 *   (api-version 1.4: `versions`, `upload-time`, `size`, `yanked`, `core-metadata`, `provenance`).
 * - Integrity API (PEP 740): `/integrity/<project>/<version>/<filename>/provenance`.
 * - Files, and `<wheel>.metadata` (PEP 658), with single byte ranges (206, suffix ranges, 416), or
 *   whole (200) when `ignoreRange` is set, as some mirrors do.
 *
 * Non-normalised project names in `/simple/` and `/pypi/` paths are redirected (301) to the PEP 503
 * name, like the public index. Only ever listens on 127.0.0.1. Every request is recorded in
 * `requests` with its status, range and the body bytes sent, so tests can count both.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, STATUS_CODES } from 'node:http';
import { join, sep } from 'node:path';
import * as pep440 from '@renovatebot/pep440';
import { z } from 'zod';
import { comparePep440, normalizePythonName } from '../src/versions/index.js';
import { listen, requestPath } from './local-server.js';
import { buildSdist } from './sdist.js';
import { buildWheel, expandWheelTag } from './wheel.js';
import { repoRoot } from './repo-root.js';

// ---------------------------------------------------------------------------------------------
// Documents

/** PEP 508 project name. */
const NAME_RE = /^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$/;
/** Upload times: UTC, seconds, up to six fractional digits (the index stores microseconds). */
const TIME_RE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d{1,6})?Z$/;
/** Archive paths for extra members: no absolute paths, no `..`, no empty segments. */
const MEMBER_RE = /^(?!\/)(?!.*(^|\/)\.\.?(\/|$))(?!.*\/\/)[\x21-\x7e]+$/;

const Time = z.string().regex(TIME_RE, 'an ISO UTC time like 2026-03-24T10:52:00Z');

/** A Trusted Publisher identity (PEP 740 `publisher`); only GitHub is modelled. */
const PublisherSchema = z
  .object({
    kind: z.literal('GitHub').default('GitHub'),
    /** `owner/repo` */
    repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/),
    /** The workflow file name, e.g. `publish.yml`. */
    workflow: z.string().regex(/^[A-Za-z0-9_.-]+\.ya?ml$/),
    environment: z.string().default(''),
  })
  .strict();
export type Publisher = z.infer<typeof PublisherSchema>;

const Members = z.record(z.string().regex(MEMBER_RE, 'a relative archive path'), z.string());

/** What a release's files inherit unless a file says otherwise. */
const FileDefaults = {
  upload_time: Time.optional(),
  /** The upload client's user agent (`twine/6.1.0 CPython/3.12.8`); not served by the JSON API. */
  uploaded_via: z.string().optional(),
  /** The Trusted Publisher that uploaded the file, or null: uploaded with an API token, no provenance. */
  provenance: PublisherSchema.nullable().optional(),
};

const WheelFileSchema = z
  .object({
    wheel: z.string().regex(/^[A-Za-z0-9_.]+-[A-Za-z0-9_.]+-[A-Za-z0-9_.]+$/, 'a wheel tag like py3-none-any'),
    /** Extra archive members: `litellm_init.pth` (archive root), `<name>-<ver>.data/purelib/x.pth`... */
    extra_members: Members.optional(),
    /** Incompressible bytes added as `<pkg>/_fixture_payload.bin`, for a realistic wheel size. */
    padding_bytes: z.number().int().min(0).max(8_000_000).optional(),
    /** The padding's seed: the same seed in two releases keeps the padding member unchanged. */
    padding_seed: z.string().max(100).optional(),
    /** `.dist-info/entry_points.txt` (console scripts). */
    entry_points: z.string().optional(),
    ...FileDefaults,
  })
  .strict();

const SdistFileSchema = z
  .object({
    sdist: z.literal(true),
    build_backend: z.string().optional(),
    build_requires: z.array(z.string()).optional(),
    setup_py: z.boolean().optional(),
    extra_files: Members.optional(),
    ...FileDefaults,
  })
  .strict();

const ReleaseSchema = z
  .object({
    requires_python: z.string().optional(),
    requires_dist: z.array(z.string().regex(/^[A-Za-z0-9][^\r\n]*$/)).optional(),
    /** true, or the reason text (PEP 592). */
    yanked: z.union([z.boolean(), z.string().min(1)]).optional(),
    summary: z.string().optional(),
    files: z.array(z.union([WheelFileSchema, SdistFileSchema])),
    ...FileDefaults,
  })
  .strict();

/** One project document (`examples/pypi/index/<normalised-name>.json`). */
export const ProjectDocSchema = z
  .object({
    /** The project's display name (any PEP 508 spelling; the file is named by its PEP 503 form). */
    name: z.string().regex(NAME_RE),
    summary: z.string().default(''),
    /** Top-level import package (default: the name with `-`/`.` as `_`, lower case). */
    import_name: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
      .optional(),
    license: z.string().optional(),
    author: z.string().optional(),
    home_page: z.string().optional(),
    project_urls: z.record(z.string(), z.string()).optional(),
    ownership: z
      .object({
        roles: z.array(z.object({ role: z.enum(['Owner', 'Maintainer']), user: z.string().min(1) }).strict()),
        organization: z.string().nullable().default(null),
      })
      .strict()
      .default({ roles: [], organization: null }),
    releases: z.record(z.string(), ReleaseSchema),
  })
  .strict();
export type ProjectDoc = z.infer<typeof ProjectDocSchema>;

export interface LoadedProject {
  file: string;
  doc: ProjectDoc;
  /** PEP 503 name */
  normalized: string;
}

/**
 * The most telling message of an issue: for a file that matches neither the wheel nor the sdist
 * shape, the branch that got furthest (so `extra_members.../evil.pth` is named, not "invalid input").
 */
function explainIssue(issue: z.core.$ZodIssue): { path: PropertyKey[]; message: string } {
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    let best: { path: PropertyKey[]; message: string } | undefined;
    for (const branch of issue.errors) {
      const first = branch[0];
      if (!first) continue;
      const inner = explainIssue(first);
      if (!best || inner.path.length > best.path.length) best = inner;
    }
    if (best && best.path.length > 0) return { path: [...issue.path, ...best.path], message: best.message };
  }
  return { path: issue.path, message: issue.message };
}

/** Checks one parsed document; throws an Error naming the file and the offending path. */
export function parseProjectDoc(raw: unknown, file: string): LoadedProject {
  // Checked on the raw keys: a schema's output object would swallow `__proto__` without a word.
  const rawReleases = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)['releases'] : undefined;
  if (typeof rawReleases === 'object' && rawReleases !== null) {
    for (const version of Object.keys(rawReleases)) {
      if (pep440.valid(version) === null) throw new Error(`${file}: releases.${version}: not a PEP 440 version`);
    }
  }
  const r = ProjectDocSchema.safeParse(raw);
  if (!r.success) {
    const { path, message } = explainIssue(r.error.issues[0]!);
    throw new Error(`${file}: ${path.join('.') || '(document)'}: ${message}`);
  }
  const doc = r.data;
  const normalized = normalizePythonName(doc.name);
  const seen: string[] = [];
  for (const [version, rel] of Object.entries(doc.releases)) {
    if (pep440.valid(version) === null) throw new Error(`${file}: releases.${version}: not a PEP 440 version`);
    const same = seen.find((v) => pep440.eq(v, version));
    if (same !== undefined) throw new Error(`${file}: releases.${version}: the same version as ${same}`);
    seen.push(version);
    const tags = new Set<string>();
    let sdists = 0;
    for (const [i, f] of rel.files.entries()) {
      const at = `${file}: releases.${version}.files.${i}`;
      if ((f.upload_time ?? rel.upload_time) === undefined) throw new Error(`${at}: upload_time missing (on the file or its release)`);
      if ('wheel' in f) {
        try {
          expandWheelTag(f.wheel);
        } catch (e) {
          throw new Error(`${at}: ${(e as Error).message}`);
        }
        if (tags.has(f.wheel)) throw new Error(`${at}: a second wheel tagged ${f.wheel}`);
        tags.add(f.wheel);
      } else if (++sdists > 1) throw new Error(`${at}: a second sdist`);
    }
  }
  return { file, doc, normalized };
}

/** The repository's `examples/pypi/index`, found relative to this module (works from `test-support/` and `dist-support/`). */
export function defaultIndexDir(): string {
  return join(repoRoot(), 'examples', 'pypi', 'index') + sep;
}

/** Reads every `*.json` project document in `dir`, keyed by PEP 503 name. */
export function loadProjectDocs(dir: string): Map<string, LoadedProject> {
  const out = new Map<string, LoadedProject>();
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    const file = join(dir, f);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`${file}: ${(e as Error).message}`);
    }
    const p = parseProjectDoc(raw, file);
    if (f !== `${p.normalized}.json`) throw new Error(`${file}: a document for ${p.doc.name} must be named ${p.normalized}.json`);
    out.set(p.normalized, p);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// BLAKE2b-256 (node:crypto only offers BLAKE2b-512, and the index names file paths by BLAKE2b-256)

const B2_IV = [
  0x6a09e667f3bcc908n,
  0xbb67ae8584caa73bn,
  0x3c6ef372fe94f82bn,
  0xa54ff53a5f1d36f1n,
  0x510e527fade682d1n,
  0x9b05688c2b3e6c1fn,
  0x1f83d9abfb41bd6bn,
  0x5be0cd19137e2179n,
];
const B2_SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];
const M64 = 0xffffffffffffffffn;
const rotr64 = (x: bigint, n: bigint): bigint => ((x >> n) | (x << (64n - n))) & M64;

/** BLAKE2b with a 32-byte digest (RFC 7693), unkeyed. Lower-case hex. */
export function blake2b256Hex(data: Uint8Array): string {
  const h = B2_IV.slice();
  h[0] = h[0]! ^ 0x01010020n; // digest length 32, no key, fanout 1, depth 1
  const v = new Array<bigint>(16);
  const m = new Array<bigint>(16);
  const block = Buffer.alloc(128);
  const compress = (t: bigint, last: boolean): void => {
    for (let i = 0; i < 16; i++) m[i] = block.readBigUInt64LE(i * 8);
    for (let i = 0; i < 8; i++) {
      v[i] = h[i]!;
      v[i + 8] = B2_IV[i]!;
    }
    v[12] = v[12]! ^ (t & M64);
    v[13] = v[13]! ^ (t >> 64n);
    if (last) v[14] = v[14]! ^ M64;
    const g = (a: number, b: number, c: number, d: number, x: bigint, y: bigint): void => {
      v[a] = (v[a]! + v[b]! + x) & M64;
      v[d] = rotr64(v[d]! ^ v[a]!, 32n);
      v[c] = (v[c]! + v[d]!) & M64;
      v[b] = rotr64(v[b]! ^ v[c]!, 24n);
      v[a] = (v[a]! + v[b]! + y) & M64;
      v[d] = rotr64(v[d]! ^ v[a]!, 16n);
      v[c] = (v[c]! + v[d]!) & M64;
      v[b] = rotr64(v[b]! ^ v[c]!, 63n);
    };
    for (let r = 0; r < 12; r++) {
      const s = B2_SIGMA[r % 10]!;
      g(0, 4, 8, 12, m[s[0]!]!, m[s[1]!]!);
      g(1, 5, 9, 13, m[s[2]!]!, m[s[3]!]!);
      g(2, 6, 10, 14, m[s[4]!]!, m[s[5]!]!);
      g(3, 7, 11, 15, m[s[6]!]!, m[s[7]!]!);
      g(0, 5, 10, 15, m[s[8]!]!, m[s[9]!]!);
      g(1, 6, 11, 12, m[s[10]!]!, m[s[11]!]!);
      g(2, 7, 8, 13, m[s[12]!]!, m[s[13]!]!);
      g(3, 4, 9, 14, m[s[14]!]!, m[s[15]!]!);
    }
    for (let i = 0; i < 8; i++) h[i] = h[i]! ^ v[i]! ^ v[i + 8]!;
  };
  let off = 0;
  while (data.length - off > 128) {
    block.set(data.subarray(off, off + 128));
    off += 128;
    compress(BigInt(off), false);
  }
  block.fill(0);
  block.set(data.subarray(off));
  compress(BigInt(data.length), true);
  const out = Buffer.alloc(32);
  for (let i = 0; i < 4; i++) out.writeBigUInt64LE(h[i]!, i * 8);
  return out.toString('hex');
}

// ---------------------------------------------------------------------------------------------
// Building

/** One built file of a release, with everything the index says about it. */
export interface BuiltFile {
  project: string;
  version: string;
  filename: string;
  packagetype: 'bdist_wheel' | 'sdist';
  /** Wheel python tag(s) (`py3`, `cp312`), or `source` for an sdist. */
  pythonVersion: string;
  bytes: Buffer;
  sha256: string;
  md5: string;
  blake2b256: string;
  /** `/packages/ab/cd/<rest>/<filename>` */
  path: string;
  /** PEP 658 metadata (wheels only; the index extracts it at upload). */
  metadata?: { bytes: Buffer; sha256: string };
  /** The document's time, as written. */
  uploadTime: string;
  uploadedVia?: string;
  publisher: Publisher | null;
  requiresPython?: string;
  yanked: boolean;
  yankedReason?: string;
  /** Member paths, in archive order. */
  members: string[];
}

export interface BuiltRelease {
  version: string;
  requiresDist: string[];
  requiresPython?: string;
  yanked: boolean;
  yankedReason?: string;
  files: BuiltFile[];
}

export interface BuiltProject {
  name: string;
  normalized: string;
  doc: ProjectDoc;
  /** PEP 440 ascending. */
  releases: BuiltRelease[];
  lastSerial: number;
}

function sha256Hex(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

/** Builds every file of one project. Pure: the same document always gives the same bytes. */
export function buildProject(p: LoadedProject): BuiltProject {
  const { doc } = p;
  const releases: BuiltRelease[] = [];
  const versions = Object.keys(doc.releases).sort(comparePep440);
  for (const version of versions) {
    const rel = doc.releases[version]!;
    const yanked = rel.yanked !== undefined && rel.yanked !== false;
    const yankedReason = typeof rel.yanked === 'string' ? rel.yanked : undefined;
    const requiresDist = rel.requires_dist ?? [];
    const meta = {
      name: doc.name,
      version,
      summary: rel.summary ?? doc.summary,
      requiresDist,
      ...(rel.requires_python !== undefined ? { requiresPython: rel.requires_python } : {}),
      ...(doc.license !== undefined ? { license: doc.license } : {}),
      ...(doc.author !== undefined ? { author: doc.author } : {}),
      ...(doc.home_page !== undefined ? { homePage: doc.home_page } : {}),
      ...(doc.import_name !== undefined ? { importName: doc.import_name } : {}),
    };
    const files: BuiltFile[] = [];
    for (const f of rel.files) {
      let built: { filename: string; bytes: Buffer; metadata: Buffer; members: string[] };
      let packagetype: BuiltFile['packagetype'];
      let pythonVersion: string;
      if ('wheel' in f) {
        built = buildWheel({
          ...meta,
          tag: f.wheel,
          ...(f.extra_members ? { extraMembers: new Map(Object.entries(f.extra_members)) } : {}),
          ...(f.padding_bytes ? { paddingBytes: f.padding_bytes } : {}),
          ...(f.padding_seed !== undefined ? { paddingSeed: f.padding_seed } : {}),
          ...(f.entry_points !== undefined ? { entryPoints: f.entry_points } : {}),
        });
        packagetype = 'bdist_wheel';
        pythonVersion = f.wheel.split('-')[0]!;
      } else {
        built = buildSdist({
          ...meta,
          ...(f.build_backend !== undefined ? { buildBackend: f.build_backend } : {}),
          ...(f.build_requires !== undefined ? { buildRequires: f.build_requires } : {}),
          ...(f.setup_py !== undefined ? { setupPy: f.setup_py } : {}),
          ...(f.extra_files ? { extraFiles: new Map(Object.entries(f.extra_files)) } : {}),
        });
        packagetype = 'sdist';
        pythonVersion = 'source';
      }
      const blake = blake2b256Hex(built.bytes);
      const publisher = f.provenance !== undefined ? f.provenance : (rel.provenance ?? null);
      const uploadedVia = f.uploaded_via ?? rel.uploaded_via;
      files.push({
        project: doc.name,
        version,
        filename: built.filename,
        packagetype,
        pythonVersion,
        bytes: built.bytes,
        sha256: sha256Hex(built.bytes),
        md5: createHash('md5').update(built.bytes).digest('hex'),
        blake2b256: blake,
        path: `/packages/${blake.slice(0, 2)}/${blake.slice(2, 4)}/${blake.slice(4)}/${built.filename}`,
        ...(packagetype === 'bdist_wheel' ? { metadata: { bytes: built.metadata, sha256: sha256Hex(built.metadata) } } : {}),
        uploadTime: (f.upload_time ?? rel.upload_time)!,
        ...(uploadedVia !== undefined ? { uploadedVia } : {}),
        publisher,
        ...(rel.requires_python !== undefined ? { requiresPython: rel.requires_python } : {}),
        yanked,
        ...(yankedReason !== undefined ? { yankedReason } : {}),
        members: built.members,
      });
    }
    files.sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
    releases.push({
      version,
      requiresDist,
      ...(rel.requires_python !== undefined ? { requiresPython: rel.requires_python } : {}),
      yanked,
      ...(yankedReason !== undefined ? { yankedReason } : {}),
      files,
    });
  }
  return { name: doc.name, normalized: p.normalized, doc, releases, lastSerial: 0 };
}

/**
 * Serial numbers, as the index's journal gives them: one per uploaded file across all projects in
 * upload order; a project's `last_serial` is the serial of its newest file.
 */
function assignSerials(projects: Map<string, BuiltProject>): number {
  const all = [...projects.values()].flatMap((p) => p.releases.flatMap((r) => r.files.map((f) => ({ p, f }))));
  all.sort((a, b) => (a.f.uploadTime < b.f.uploadTime ? -1 : a.f.uploadTime > b.f.uploadTime ? 1 : a.f.filename < b.f.filename ? -1 : 1));
  let serial = 20_000_000;
  for (const { p } of all) p.lastSerial = ++serial;
  return serial;
}

// ---------------------------------------------------------------------------------------------
// Documents served

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** JSON with keys sorted at every level and no spaces, plus a newline: the index's renderer. */
export function indexJson(value: Json): string {
  const walk = (v: Json): string => {
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    if (Array.isArray(v)) return `[${v.map(walk).join(',')}]`;
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${walk(v[k]!)}`).join(',')}}`;
  };
  return `${walk(value)}\n`;
}

/** `2026-03-24T10:52:00.123Z` → the index's two forms (`upload_time` without zone, ISO with `Z`). */
function uploadTimes(t: string): { plain: string; iso: string } {
  const m = TIME_RE.exec(t)!;
  const frac = m[2] ? m[2].slice(1).padEnd(6, '0') : '';
  // Python's isoformat() leaves the fraction out when it is zero.
  const iso = `${m[1]}${frac && Number(frac) !== 0 ? `.${frac}` : ''}Z`;
  return { plain: m[1]!, iso };
}

function isPrerelease(version: string): boolean {
  const e = pep440.explain(version);
  return e?.is_prerelease === true;
}

/** The release `/pypi/<name>/json` describes: not yanked first, then final releases, then the highest. */
export function latestRelease(p: BuiltProject): BuiltRelease | undefined {
  const rank = (r: BuiltRelease): number => (r.yanked ? 2 : 0) + (isPrerelease(r.version) ? 1 : 0);
  let best: BuiltRelease | undefined;
  for (const r of p.releases) {
    if (!best || rank(r) < rank(best) || (rank(r) === rank(best) && comparePep440(r.version, best.version) > 0)) best = r;
  }
  return best;
}

function jsonApiFile(f: BuiltFile, origin: string): Json {
  const t = uploadTimes(f.uploadTime);
  return {
    comment_text: null,
    'core-metadata': f.metadata ? { sha256: f.metadata.sha256 } : false,
    digests: { blake2b_256: f.blake2b256, md5: f.md5, sha256: f.sha256 },
    downloads: -1,
    filename: f.filename,
    has_sig: false,
    md5_digest: f.md5,
    packagetype: f.packagetype,
    python_version: f.pythonVersion,
    requires_python: f.requiresPython ?? null,
    size: f.bytes.length,
    upload_time: t.plain,
    upload_time_iso_8601: t.iso,
    url: `${origin}${f.path.slice(1)}`,
    yanked: f.yanked,
    yanked_reason: f.yankedReason ?? null,
  };
}

/** The JSON API document (`/pypi/<name>/json` with all releases, or one release's). */
export function jsonApiDocument(p: BuiltProject, release: BuiltRelease, origin: string, allReleases: boolean): Json {
  const doc = p.doc;
  const roles = [...doc.ownership.roles].sort((a, b) =>
    a.role === 'Owner' && b.role !== 'Owner' ? -1 : b.role === 'Owner' && a.role !== 'Owner' ? 1 : a.user < b.user ? -1 : a.user > b.user ? 1 : 0,
  );
  const data: { [k: string]: Json } = {
    info: {
      author: doc.author ?? null,
      author_email: null,
      bugtrack_url: null,
      classifiers: [],
      description: `${doc.name}: lockwarden fixture project.`,
      description_content_type: 'text/markdown',
      docs_url: null,
      download_url: null,
      downloads: { last_day: -1, last_month: -1, last_week: -1 },
      dynamic: null,
      home_page: doc.home_page ?? null,
      keywords: null,
      license: doc.license ?? null,
      license_expression: null,
      license_files: null,
      maintainer: null,
      maintainer_email: null,
      name: doc.name,
      package_url: `${origin}project/${doc.name}/`,
      platform: null,
      project_url: `${origin}project/${doc.name}/`,
      project_urls: doc.project_urls ?? null,
      provides_extra: null,
      release_url: `${origin}project/${doc.name}/${release.version}/`,
      requires_dist: release.requiresDist.length ? release.requiresDist : null,
      requires_python: release.requiresPython ?? null,
      summary: doc.releases[release.version]?.summary ?? doc.summary,
      version: release.version,
      yanked: release.yanked,
      yanked_reason: release.yankedReason ?? null,
    },
    last_serial: p.lastSerial,
    ownership: { organization: doc.ownership.organization, roles },
    urls: release.files.map((f) => jsonApiFile(f, origin)),
    vulnerabilities: [],
  };
  if (allReleases) {
    const releases: { [k: string]: Json } = {};
    for (const r of [...p.releases].reverse()) releases[r.version] = r.files.map((f) => jsonApiFile(f, origin));
    data['releases'] = releases;
  }
  return data;
}

export const SIMPLE_API_VERSION = '1.4';
export const MIME_SIMPLE_JSON = 'application/vnd.pypi.simple.v1+json';
export const MIME_SIMPLE_HTML = 'application/vnd.pypi.simple.v1+html';
export const MIME_INTEGRITY_JSON = 'application/vnd.pypi.integrity.v1+json';

function simpleFiles(p: BuiltProject): BuiltFile[] {
  // The index orders by (version, filename); releases are already in PEP 440 order.
  return p.releases.flatMap((r) => r.files);
}

function provenanceUrl(p: BuiltProject, f: BuiltFile, origin: string): string {
  return `${origin}integrity/${p.normalized}/${f.version}/${f.filename}/provenance`;
}

/** The PEP 691 project page. */
export function simpleJsonDocument(p: BuiltProject, origin: string): Json {
  const files = simpleFiles(p);
  return {
    meta: { 'api-version': SIMPLE_API_VERSION, '_last-serial': p.lastSerial },
    name: p.normalized,
    'project-status': { status: 'active' },
    versions: p.releases.filter((r) => r.files.length > 0).map((r) => r.version),
    files: files.map((f) => ({
      filename: f.filename,
      url: `${origin}${f.path.slice(1)}`,
      hashes: { sha256: f.sha256 },
      'requires-python': f.requiresPython ?? null,
      size: f.bytes.length,
      'upload-time': uploadTimes(f.uploadTime).iso,
      yanked: f.yanked && f.yankedReason ? f.yankedReason : f.yanked,
      'data-dist-info-metadata': f.metadata ? { sha256: f.metadata.sha256 } : false,
      'core-metadata': f.metadata ? { sha256: f.metadata.sha256 } : false,
      provenance: f.publisher ? provenanceUrl(p, f, origin) : null,
    })),
  };
}

/** Jinja's autoescape: `& < > " '`. */
function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}

/** The PEP 503 project page, attribute for attribute as the index's template writes it. */
export function simpleHtmlDocument(p: BuiltProject, origin: string): string {
  const links = simpleFiles(p).map((f) => {
    let a = `<a href="${escapeHtml(`${origin}${f.path.slice(1)}`)}#sha256=${f.sha256}" `;
    if (f.requiresPython) a += `data-requires-python="${escapeHtml(f.requiresPython)}" `;
    if (f.yanked) a += `data-yanked="${escapeHtml(f.yankedReason ?? '')}" `;
    if (f.metadata) a += `data-dist-info-metadata="sha256=${f.metadata.sha256}" data-core-metadata="sha256=${f.metadata.sha256}"`;
    if (f.publisher) a += ` data-provenance="${escapeHtml(provenanceUrl(p, f, origin))}"`;
    return `    ${a}>${escapeHtml(f.filename)}</a><br />\n`;
  });
  return (
    '<!DOCTYPE html>\n<html lang="en">\n  <head>\n' +
    `    <meta name="pypi:repository-version" content="${SIMPLE_API_VERSION}">\n` +
    '    <meta name="pypi:project-status" content="active">\n' +
    `    <title>Links for ${escapeHtml(p.normalized)}</title>\n  </head>\n  <body>\n` +
    `    <h1>Links for ${escapeHtml(p.normalized)}</h1>\n` +
    links.join('') +
    `    </body>\n</html>\n<!--SERIAL ${p.lastSerial}-->`
  );
}

function simpleIndexHtml(projects: BuiltProject[]): string {
  return (
    '<!DOCTYPE html>\n<html lang="en">\n  <head>\n' +
    `    <meta name="pypi:repository-version" content="${SIMPLE_API_VERSION}">\n    <title>Simple index</title>\n  </head>\n  <body>\n` +
    projects.map((p) => `    <a href="/simple/${p.normalized}/">${escapeHtml(p.name)}</a>\n`).join('') +
    '    </body>\n</html>'
  );
}

function simpleIndexJson(projects: BuiltProject[], serial: number): Json {
  return {
    meta: { 'api-version': SIMPLE_API_VERSION, '_last-serial': serial },
    projects: projects.map((p) => ({ name: p.name, '_last-serial': p.lastSerial })),
  };
}

function placeholder(kind: string, seed: string, bytes = 48): string {
  const out = Buffer.alloc(bytes);
  for (let off = 0, n = 0; off < bytes; n++) off += createHash('sha256').update(`${kind}:${seed}:${n}`).digest().copy(out, off);
  return out.toString('base64');
}

/** The fixture statements' predicate type (the real one is a URL on the index's documentation host, not written here). */
export const PYPI_PUBLISH_ATTESTATION_V1 = 'pep740:publish/v1';

/**
 * The PEP 740 provenance object the Integrity API returns for a file uploaded by a Trusted Publisher:
 * one attestation bundle with the publisher identity and a publish attestation whose in-toto
 * statement names the file and its sha256. Signatures, certificate and log entries have the real
 * shape but are placeholders derived from hashes; lockwarden reads the publisher, it does not verify
 * Sigstore material.
 */
export function provenanceDocument(f: BuiltFile): Json {
  const pub = f.publisher;
  if (!pub) throw new Error(`${f.filename} has no publisher`);
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: f.filename, digest: { sha256: f.sha256 } }],
    predicateType: PYPI_PUBLISH_ATTESTATION_V1,
    predicate: null,
  };
  const seed = `${f.filename}:${f.sha256}`;
  const integrated = Math.floor(Date.parse(f.uploadTime) / 1000) - 3;
  const logIndex = String(100_000_000 + (parseInt(f.sha256.slice(0, 7), 16) % 90_000_000));
  return {
    attestation_bundles: [
      {
        attestations: [
          {
            envelope: { signature: placeholder('sig', seed, 72), statement: Buffer.from(JSON.stringify(statement)).toString('base64') },
            verification_material: {
              certificate: Buffer.from(
                `lockwarden fixture certificate for https://github.com/${pub.repository}/.github/workflows/${pub.workflow} ${placeholder('cert', seed)}`,
              ).toString('base64'),
              transparency_entries: [
                {
                  canonicalizedBody: placeholder('body', seed, 96),
                  inclusionPromise: { signedEntryTimestamp: placeholder('set', seed, 70) },
                  inclusionProof: {
                    checkpoint: { envelope: `lockwarden-fixture-log - 1\n${logIndex}\n${placeholder('root', seed, 32)}\n` },
                    hashes: [placeholder('h0', seed, 32), placeholder('h1', seed, 32)],
                    logIndex,
                    rootHash: placeholder('root', seed, 32),
                    treeSize: String(Number(logIndex) + 2),
                  },
                  integratedTime: String(integrated),
                  kindVersion: { kind: 'dsse', version: '0.0.1' },
                  logId: { keyId: placeholder('log', 'fixture', 32) },
                  logIndex,
                },
              ],
            },
            version: 1,
          },
        ],
        publisher: { claims: null, environment: pub.environment, kind: pub.kind, repository: pub.repository, workflow: pub.workflow },
      },
    ],
    version: 1,
  };
}

// ---------------------------------------------------------------------------------------------
// Serving

export interface FixtureIndexOptions {
  /** Directory of project documents (default: the repository's `examples/pypi/index`). */
  dir?: string;
  host?: '127.0.0.1';
  /** 0 (default) picks a free port. */
  port?: number;
  /** Answer every file request whole (200), ignoring `Range`, as some mirrors and proxies do. */
  ignoreRange?: boolean;
  /**
   * PEP 503 project names whose requests (any API, files included) fail: with this HTTP status, or
   * `'timeout'` to accept the request and never answer. Read at request time.
   */
  failNames?: Map<string, number | 'timeout'>;
  /**
   * Serves other bytes for a file than the ones built (a hostile wheel): the index's documents then
   * list the new bytes' hashes and size, as an index serving an attacker's upload would.
   */
  replaceFile?: (file: BuiltFile) => Buffer | undefined;
}

export interface IndexRequest {
  method: string;
  /** The request target as sent (path and query). */
  path: string;
  accept?: string;
  /** The `Range` header as sent. */
  range?: string;
  status: number;
  /** Body bytes sent (0 for HEAD and 304). */
  bytes: number;
}

export interface FixtureIndex {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  /** `http://127.0.0.1:PORT/simple/`, what pip's `--index-url` takes. */
  simpleUrl: string;
  requests: IndexRequest[];
  /** May be changed between requests. */
  ignoreRange: boolean;
  /** Everything served, by PEP 503 name. */
  projects: Map<string, BuiltProject>;
  /** Every file by its path (`/packages/...`). */
  fileByPath(path: string): BuiltFile | undefined;
  close(): Promise<void>;
}

interface MediaRange {
  type: string;
  q: number;
}

function parseAccept(header: string | undefined): MediaRange[] | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  return header.split(',').map((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const qv = q ? Number(q.slice(2)) : 1;
    return { type: type ?? '', q: Number.isFinite(qv) ? qv : 0 };
  });
}

/**
 * Server-driven negotiation like WebOb's `acceptable_offers`: each offer gets the q of the most
 * specific matching range; offers with q > 0 sorted by q (stable, so the server's order breaks ties).
 * Without an Accept header every offer is acceptable. Returns undefined when none is.
 */
export function negotiate(header: string | undefined, offers: readonly string[]): string | undefined {
  const ranges = parseAccept(header);
  if (!ranges) return offers[0];
  const scored: Array<{ offer: string; q: number }> = [];
  for (const offer of offers) {
    const [major] = offer.split('/');
    let best: { spec: number; q: number } | undefined;
    for (const r of ranges) {
      const spec = r.type === offer ? 2 : r.type === `${major}/*` ? 1 : r.type === '*/*' ? 0 : -1;
      if (spec >= 0 && (!best || spec > best.spec)) best = { spec, q: r.q };
    }
    if (best && best.q > 0) scored.push({ offer, q: best.q });
  }
  scored.sort((a, b) => b.q - a.q);
  return scored[0]?.offer;
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` for a body of `size` bytes. */
export type RangeResult = { kind: 'none' } | { kind: 'range'; start: number; end: number } | { kind: 'unsatisfiable' };

/**
 * Reads a Range header the way common file servers do: one well-formed byte range is honoured
 * (clamped to the body), an unsatisfiable one is 416, anything else (several ranges, other units,
 * bad syntax) is ignored and the whole body is sent.
 */
export function parseRange(header: string | undefined, size: number): RangeResult {
  if (!header) return { kind: 'none' };
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return { kind: 'none' };
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  if (m[2] !== '' && Number(m[2]) < start) return { kind: 'none' }; // invalid: ignored
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return { kind: 'range', start, end };
}

const CORS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET',
  'Access-Control-Expose-Headers': 'X-PyPI-Last-Serial',
};

type Route =
  | { kind: 'simple-index' }
  | { kind: 'simple'; name: string; slash: boolean }
  | { kind: 'json'; name: string; version?: string; slash: boolean }
  | { kind: 'integrity'; name: string; version: string; filename: string }
  | { kind: 'file'; path: string }
  | { kind: 'none' };

function route(target: string): Route {
  const path = requestPath(target);
  if (path === undefined) return { kind: 'none' };
  const segs = path.split('/').slice(1);
  if (path === '/simple/' || path === '/simple') return { kind: 'simple-index' };
  if (segs[0] === 'simple' && segs[1] && (segs.length === 2 || (segs.length === 3 && segs[2] === ''))) {
    return { kind: 'simple', name: segs[1], slash: segs.length === 3 };
  }
  if (segs[0] === 'pypi' && segs[1]) {
    const rest = segs.slice(2);
    const slash = rest[rest.length - 1] === '';
    if (slash) rest.pop();
    if (rest.length === 1 && rest[0] === 'json') return { kind: 'json', name: segs[1], slash };
    if (rest.length === 2 && rest[0] && rest[1] === 'json') return { kind: 'json', name: segs[1], version: rest[0], slash };
    return { kind: 'none' };
  }
  if (segs[0] === 'integrity' && segs.length === 5 && segs[1] && segs[2] && segs[3] && segs[4] === 'provenance') {
    return { kind: 'integrity', name: segs[1], version: segs[2], filename: segs[3] };
  }
  if (segs[0] === 'packages' && segs.length === 5) return { kind: 'file', path };
  return { kind: 'none' };
}

function etagOf(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('hex')}"`;
}

function replaceBytes(f: BuiltFile, bytes: Buffer | undefined): void {
  if (bytes === undefined) return;
  f.bytes = bytes;
  f.sha256 = sha256Hex(bytes);
  f.md5 = createHash('md5').update(bytes).digest('hex');
  f.blake2b256 = blake2b256Hex(bytes);
}

/** Starts the fixture index on 127.0.0.1. */
export async function startFixtureIndex(opts: FixtureIndexOptions = {}): Promise<FixtureIndex> {
  const host = opts.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new Error('the fixture index only listens on 127.0.0.1');
  const loaded = loadProjectDocs(opts.dir ?? defaultIndexDir());
  const projects = new Map<string, BuiltProject>();
  for (const [name, p] of loaded) projects.set(name, buildProject(p));
  if (opts.replaceFile) for (const p of projects.values()) for (const r of p.releases) for (const f of r.files) replaceBytes(f, opts.replaceFile(f));
  const globalSerial = assignSerials(projects);
  const files = new Map<string, { project: BuiltProject; file: BuiltFile; metadata: boolean }>();
  for (const p of projects.values()) {
    for (const r of p.releases) {
      for (const f of r.files) {
        files.set(f.path, { project: p, file: f, metadata: false });
        if (f.metadata) files.set(`${f.path}.metadata`, { project: p, file: f, metadata: true });
      }
    }
  }
  const sorted = [...projects.values()].sort((a, b) => (a.normalized < b.normalized ? -1 : 1));
  const requests: IndexRequest[] = [];
  let origin = '';
  const state = { ignoreRange: opts.ignoreRange ?? false };

  const server = createServer((req, res) => {
    const target = req.url ?? '/';
    const record: IndexRequest = { method: req.method ?? 'GET', path: target, status: 0, bytes: 0 };
    if (req.headers['accept'] !== undefined) record.accept = req.headers['accept'];
    if (req.headers['range'] !== undefined) record.range = req.headers['range'];
    requests.push(record);
    const head = req.method === 'HEAD';
    const finish = (status: number, headers: Record<string, string | number>, body?: Buffer): void => {
      record.status = status;
      const sent = body && !head ? body : undefined;
      record.bytes = sent?.length ?? 0;
      res.writeHead(status, { ...headers, ...(body ? { 'Content-Length': body.length } : {}) });
      res.end(sent);
    };
    const sendJson = (status: number, body: Json, extra: Record<string, string | number> = {}): void =>
      finish(status, { 'Content-Type': 'application/json', ...extra }, Buffer.from(indexJson(body)));
    const sendDoc = (body: Buffer, contentType: string, extra: Record<string, string | number>): void => {
      const etag = etagOf(body);
      const headers = { ...CORS, 'Cache-Control': 'max-age=600, public', ETag: etag, ...extra };
      if (req.headers['if-none-match']?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
        finish(304, headers);
        return;
      }
      finish(200, { ...headers, 'Content-Type': contentType }, body);
    };
    const redirect = (location: string): void =>
      finish(301, { ...CORS, Location: location, 'Content-Type': 'text/plain' }, Buffer.from('301 Moved Permanently\n'));
    const notFound = (message = '404 Not Found'): void => finish(404, { 'Content-Type': 'text/plain' }, Buffer.from(`${message}\n`));

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      finish(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }, Buffer.from('405 Method Not Allowed\n'));
      return;
    }
    const r = route(target);
    if (r.kind === 'none') return notFound();
    if (r.kind === 'simple-index') {
      const type = negotiate(req.headers['accept'], ['text/html', MIME_SIMPLE_HTML, MIME_SIMPLE_JSON]) ?? 'text/html';
      const body = type === MIME_SIMPLE_JSON ? indexJson(simpleIndexJson(sorted, globalSerial)) : simpleIndexHtml(sorted);
      sendDoc(Buffer.from(body), type, { Vary: 'Accept', 'X-PyPI-Last-Serial': globalSerial });
      return;
    }
    const fileEntry = r.kind === 'file' ? files.get(r.path) : undefined;
    const name = r.kind === 'file' ? fileEntry?.project.normalized : normalizePythonName(r.name);
    if (name === undefined) return notFound();
    const failure = opts.failNames?.get(name);
    if (failure === 'timeout') return; // accept, never answer: close() destroys the socket
    if (typeof failure === 'number') {
      finish(failure, { 'Content-Type': 'text/plain' }, Buffer.from(`${failure} ${STATUS_CODES[failure] ?? 'Error'}\n`));
      return;
    }
    const project = projects.get(name);
    if (!project) return notFound();
    switch (r.kind) {
      case 'simple': {
        if (r.name !== project.normalized || !r.slash) return redirect(`/simple/${project.normalized}/`);
        const type = negotiate(req.headers['accept'], ['text/html', MIME_SIMPLE_HTML, MIME_SIMPLE_JSON]) ?? 'text/html';
        const body = type === MIME_SIMPLE_JSON ? indexJson(simpleJsonDocument(project, origin)) : simpleHtmlDocument(project, origin);
        sendDoc(Buffer.from(body), type, { Vary: 'Accept', 'X-PyPI-Last-Serial': project.lastSerial });
        return;
      }
      case 'json': {
        if (r.name !== project.normalized) {
          return redirect(`/pypi/${project.normalized}/${r.version !== undefined ? `${encodeURIComponent(r.version)}/` : ''}json${r.slash ? '/' : ''}`);
        }
        let release: BuiltRelease | undefined;
        if (r.version === undefined) release = latestRelease(project);
        else {
          release =
            project.releases.find((x) => x.version === r.version) ??
            project.releases.find((x) => pep440.valid(r.version!) !== null && pep440.eq(x.version, r.version!));
        }
        if (!release) return sendJson(404, { message: 'Not Found' });
        const doc = jsonApiDocument(project, release, origin, r.version === undefined);
        sendDoc(Buffer.from(indexJson(doc)), 'application/json', { 'X-PyPI-Last-Serial': project.lastSerial });
        return;
      }
      case 'integrity': {
        const type = negotiate(req.headers['accept'], [MIME_INTEGRITY_JSON, 'application/json']);
        if (!type) return sendJson(406, { message: 'Request not acceptable' });
        const release = project.releases.find((x) => x.version === r.version);
        const file = release?.files.find((f) => f.filename === r.filename);
        if (!file) return notFound();
        if (!file.publisher) return sendJson(404, { message: `No provenance available for ${file.filename}` });
        sendDoc(Buffer.from(JSON.stringify(provenanceDocument(file))), type, { Vary: 'Accept' });
        return;
      }
      case 'file': {
        const { file, metadata } = fileEntry!;
        const body = metadata ? file.metadata!.bytes : file.bytes;
        const headers: Record<string, string | number> = {
          'Content-Type': metadata ? 'binary/octet-stream' : 'application/octet-stream',
          ETag: etagOf(body),
          'Cache-Control': 'max-age=365000000, immutable, public',
        };
        if (state.ignoreRange) return finish(200, headers, body);
        headers['Accept-Ranges'] = 'bytes';
        const range = parseRange(req.headers['range'], body.length);
        if (range.kind === 'unsatisfiable') {
          finish(416, { 'Content-Range': `bytes */${body.length}`, 'Content-Type': 'text/plain' }, Buffer.alloc(0));
          return;
        }
        if (range.kind === 'range') {
          finish(206, { ...headers, 'Content-Range': `bytes ${range.start}-${range.end}/${body.length}` }, body.subarray(range.start, range.end + 1));
          return;
        }
        finish(200, headers, body);
        return;
      }
    }
  });
  const listening = await listen(server, host, opts.port);
  origin = `http://${host}:${listening.port}/`;
  return {
    url: origin,
    simpleUrl: `${origin}simple/`,
    requests,
    get ignoreRange() {
      return state.ignoreRange;
    },
    set ignoreRange(v: boolean) {
      state.ignoreRange = v;
    },
    projects,
    fileByPath: (path) => files.get(path)?.file,
    close: () => listening.close(),
  };
}
