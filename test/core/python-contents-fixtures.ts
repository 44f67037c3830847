/**
 * Python content-analysis fixtures: project documents written to a temporary directory for the
 * fixture index, a poetry.lock pinning what the index serves, and hand-made (hostile) wheel ZIPs.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { review } from '../../src/core/review.js';
import { defaultConfig } from '../../src/policy/index.js';
import { createPypiIndexClient, createPypiIndexConfig, type PypiIndexClientOptions, type RegistryClient } from '../../src/registry/index.js';
import { type FixtureIndex, type FixtureIndexOptions, startFixtureIndex } from '../../test-support/fixture-index.js';

export const NOW = new Date('2026-03-24T14:00:00Z');

type Files = Record<string, string>;

/** A wheel-only release (`py3-none-any`), uploaded the same way as its siblings (same account, no provenance). */
export function wheelRelease(time: string, members: Files, padding = 0, entryPoints?: string): Record<string, unknown> {
  const wheel: Record<string, unknown> = { wheel: 'py3-none-any', extra_members: members };
  if (entryPoints !== undefined) wheel['entry_points'] = entryPoints;
  if (padding > 0) Object.assign(wheel, { padding_bytes: padding, padding_seed: 'same-every-release' });
  return { upload_time: time, uploaded_via: 'twine/6.1.0 CPython/3.12.8', provenance: null, files: [wheel] };
}

export function sdistRelease(time: string, files: Files): Record<string, unknown> {
  return { upload_time: time, uploaded_via: 'twine/6.1.0 CPython/3.12.8', provenance: null, files: [{ sdist: true, extra_files: files }] };
}

export function project(name: string, releases: Record<string, Record<string, unknown>>, importName?: string): Record<string, unknown> {
  return {
    name,
    summary: `${name}: a lockwarden content fixture`,
    ...(importName ? { import_name: importName } : {}),
    ownership: { roles: [{ role: 'Owner', user: 'maintainer' }], organization: null },
    releases,
  };
}

/** Starts the fixture index over these project documents only. */
export async function startIndex(projects: Record<string, unknown>[], opts: FixtureIndexOptions = {}): Promise<FixtureIndex> {
  const dir = await mkdtemp(join(tmpdir(), 'lw-pycontent-'));
  for (const p of projects) await writeFile(join(dir, `${(p['name'] as string).toLowerCase().replace(/[-_.]+/g, '-')}.json`), JSON.stringify(p));
  return startFixtureIndex({ ...opts, dir });
}

/** A poetry.lock pinning each `name@version` with the sha256 of every file the index serves for it. */
export function poetryLock(index: FixtureIndex, pins: Array<[string, string]>): string {
  const blocks = pins.map(([name, version]) => {
    const rel = index.projects.get(name)!.releases.find((r) => r.version === version)!;
    const files = rel.files.map((f) => `    {file = "${f.filename}", hash = "sha256:${f.sha256}"},`).join('\n');
    return `[[package]]\nname = "${name}"\nversion = "${version}"\ndescription = ""\noptional = false\npython-versions = ">=3.8"\nfiles = [\n${files}\n]\n`;
  });
  return `${blocks.join('\n')}\n[metadata]\nlock-version = "2.0"\npython-versions = "^3.11"\ncontent-hash = "${'0'.repeat(64)}"\n`;
}

// ---- hand-made ZIPs, for wheels no builder would write --------------------------------------

export interface RawMember {
  name: string;
  data: Buffer;
  /** The bytes stored (default: deflated `data`). */
  stored?: Buffer;
  /** Another name in the local header than in the central directory. */
  localName?: string;
  /** The central directory's size for it (default the real one). */
  declaredSize?: number;
  /** Point the central directory entry at another member's local header (by index). */
  offsetOf?: number;
}

/** A ZIP of these members, deflated with node:zlib, every field as given (a lying one included). */
export function rawZip(members: readonly RawMember[]): Buffer {
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  const packed = members.map((m) => ({ m, body: m.stored ?? deflateRawSync(m.data), crc: crc32(m.data) }));
  for (const { m, body, crc } of packed) {
    const name = Buffer.from(m.localName ?? m.name);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(0x0800, 6);
    h.writeUInt16LE(8, 8);
    h.writeUInt32LE(crc, 14);
    h.writeUInt32LE(body.length, 18);
    h.writeUInt32LE(m.data.length, 22);
    h.writeUInt16LE(name.length, 26);
    offsets.push(offset);
    parts.push(h, name, body);
    offset += 30 + name.length + body.length;
  }
  const central: Buffer[] = [];
  packed.forEach(({ m, body, crc }, i) => {
    const name = Buffer.from(m.name);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE((3 << 8) | 20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(body.length, 20);
    c.writeUInt32LE(m.declaredSize ?? m.data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(((0o100644 << 16) >>> 0) >>> 0, 38);
    c.writeUInt32LE(offsets[m.offsetOf ?? i]!, 42);
    central.push(c, name);
  });
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}

export function recordLine(path: string, data: Buffer): string {
  return `${path},sha256=${createHash('sha256').update(data).digest('base64url')},${data.length}`;
}

/** A wheel's members plus a RECORD listing them (or `record` as given; null: no RECORD at all). */
export function wheelMembers(distInfo: string, files: Record<string, string | Buffer>, record?: string | null): RawMember[] {
  const members = Object.entries(files).map(([name, v]) => ({ name, data: Buffer.isBuffer(v) ? v : Buffer.from(v) }));
  if (record === null) return members;
  const text = record ?? `${[...members.map((m) => recordLine(m.name, m.data)), `${distInfo}/RECORD,,`].join('\n')}\n`;
  return [...members, { name: `${distInfo}/RECORD`, data: Buffer.from(text) }];
}

// ---- reviews -------------------------------------------------------------------------------

/** npm is not involved: a client that must never be asked. */
export const npm: RegistryClient = {
  getPackument: async () => {
    throw new Error('npm registry asked for a Python package');
  },
  getProvenance: async () => null,
  stats: () => ({ requests: 0, packumentRequests: 0, cacheHits: 0, notModified: 0, retries: 0 }),
  review: () => npm,
};

/** The engine on a poetry.lock bump of one package, `from` → `to`, against the index. */
export async function reviewPair(index: FixtureIndex, name: string, from: string, to: string, opts: Partial<PypiIndexClientOptions> = {}) {
  const pypi = createPypiIndexClient({ config: createPypiIndexConfig({ indexUrl: index.simpleUrl }), retries: 0, timeoutMs: 5000, ...opts });
  const base = poetryLock(index, [[name, from]]);
  const head = poetryLock(index, [[name, to]]);
  return review([{ file: 'poetry.lock', base, head }], { registry: npm, pypi, now: NOW, config: defaultConfig() });
}
