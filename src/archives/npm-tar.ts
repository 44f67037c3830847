/**
 * An npm tarball (gzip + tar) read into {@link ArchiveContents} as it is inflated, with hard caps. The
 * tar itself is walked by ./tar.ts; this file adds npm's path rules and keeps each file's text.
 */
import { createGunzip } from 'node:zlib';
import type { ArchiveContents, ArchiveFile, ContentSkip } from '../model/index.js';
import { inflateInto } from './inflate.js';
import { displayName, resolveInside, SdistError, type ArchiveMember } from './listing.js';
import { TarWalker } from './tar.js';

export interface NpmTarLimits {
  /** Most bytes after decompression (default 128 MiB). */
  maxUnpackedBytes: number;
  /** Most members (default 20 000). */
  maxFiles: number;
  /** Text kept per file (default 2 MiB); the rest is hashed, not kept. */
  maxTextBytes: number;
  /** Text kept for the whole archive (default 8 MiB: twenty archives of a review stay well under 400 MB). */
  maxTotalTextBytes: number;
  /** Most unpacked bytes per compressed byte once past 1 MiB (default 200): a decompression bomb. */
  maxRatio: number;
  /** Only these paths keep text (package.json always does); the others are listed and hashed. */
  textOf?: ReadonlySet<string>;
}

const MiB = 1024 * 1024;
const HEAD_BYTES = 64;
export const DEFAULT_NPM_TAR_LIMITS: NpmTarLimits = {
  maxUnpackedBytes: 128 * MiB,
  maxFiles: 20_000,
  maxTextBytes: 2 * MiB,
  maxTotalTextBytes: 8 * MiB,
  maxRatio: 200,
};

/** An archive refused whole (over a cap, not a gzip/tar stream): its contents are not analysed. */
export class ArchiveRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveRefused';
  }
}

export interface ArchiveIdentity {
  name: string;
  version: string;
  integrity: string;
}

/** One regular member while it streams: its first bytes, kept up to the caps. */
interface Pending {
  member: ArchiveMember;
  mode: number;
  parts: Buffer[];
  kept: number;
  nul: boolean;
  cut: boolean;
  seen: number;
  /** Set once the member's bytes have all streamed: the parts are dropped then. */
  done?: { head: Buffer; text: string | undefined };
}

/** Reads a `.tgz` held in memory (already verified against its integrity). Throws {@link ArchiveRefused}. */
export async function readNpmTarball(tgz: Uint8Array, id: ArchiveIdentity, limits: Partial<NpmTarLimits> = {}): Promise<ArchiveContents> {
  const l = { ...DEFAULT_NPM_TAR_LIMITS, ...limits };
  const unpackCap = Math.min(l.maxUnpackedBytes, Math.max(MiB, l.maxRatio * tgz.length));
  const files: Pending[] = [];
  const budget = { text: l.maxTotalTextBytes };
  // one budget of its own for the manifest (duplicates share it): what came before cannot starve it
  const manifestBudget = { text: l.maxTextBytes };
  const walker = new TarWalker({ maxUnpackedBytes: unpackCap, maxMembers: l.maxFiles }, (member, mode) => {
    const p: Pending = { member, mode, parts: [], kept: 0, nul: false, cut: false, seen: 0 };
    files.push(p);
    if (member.size === 0) settle(p);
    const path = npmPath(displayName(member.name));
    // a member whose text is not wanted gets an empty budget of its own (a binary head is still kept)
    const from = path === 'package.json' ? manifestBudget : l.textOf && !l.textOf.has(path ?? '') ? { text: 0 } : budget;
    return (chunk) => {
      keep(p, chunk, l.maxTextBytes, from);
      p.seen += chunk.length;
      if (p.seen >= member.size) settle(p);
    };
  });
  try {
    await inflate(tgz, walker);
    const listing = walker.finish();
    return assemble(id, listing.members, files, { compressed: tgz.length, unpacked: walker.unpacked });
  } catch (e) {
    if (!(e instanceof SdistError)) throw e;
    const overBytes = /^more than \d+ bytes|bytes \(limit \d+\)$/.test(e.message);
    const why = overBytes && unpackCap < l.maxUnpackedBytes ? ` (compression ratio over ${l.maxRatio})` : '';
    throw new ArchiveRefused(`${e.message}${why}`);
  }
}

/** Keeps a member's first bytes within the per-file and per-archive text budgets. */
function keep(p: Pending, chunk: Uint8Array, perFile: number, budget: { text: number }): void {
  if (!p.nul && chunk.includes(0)) p.nul = true;
  // a binary member keeps only its head (magic numbers)
  const room = p.nul ? HEAD_BYTES - p.kept : Math.min(perFile - p.kept, budget.text);
  if (room <= 0) {
    p.cut ||= chunk.length > 0;
    return;
  }
  const take = chunk.subarray(0, room);
  p.parts.push(Buffer.from(take));
  p.kept += take.length;
  budget.text -= take.length;
  if (take.length < chunk.length) p.cut = true;
}

/** Decodes a member as soon as it has streamed, so its parts are not held until the end. */
function settle(p: Pending): void {
  const head = Buffer.concat(p.parts);
  p.parts = [];
  p.done = { head: head.subarray(0, HEAD_BYTES), text: p.nul ? undefined : utf8(head, p.cut) };
}

/** Inflates the gzip stream into the walker, chunk by chunk; stops at the tar's end or the first error. */
async function inflate(tgz: Uint8Array, walker: TarWalker): Promise<void> {
  await inflateInto(createGunzip({ chunkSize: 64 * 1024 }), tgz, (chunk) => {
    walker.push(chunk);
    return walker.done;
  });
}

/** The members as npm would extract them: first component stripped, outside paths refused, last duplicate wins. */
function assemble(id: ArchiveIdentity, members: readonly ArchiveMember[], pending: readonly Pending[], bytes: ArchiveContents['bytes']): ArchiveContents {
  const byMember = new Map(pending.map((p) => [p.member, p]));
  const out = new Map<string, ArchiveFile>();
  const skipped: ContentSkip[] = [];
  for (const m of members) {
    if (m.kind === 'dir') continue;
    const shown = displayName(m.name);
    const path = npmPath(shown);
    if (path === undefined) {
      skipped.push({ path: shown.slice(0, 300), reason: 'path outside the package (absolute or ..): not extracted' });
      continue;
    }
    const file = fileOf(path, m, byMember.get(m));
    if (file.truncated) skipped.push({ path, reason: `text over the kept budget: the first ${file.text?.length ?? 0} characters were analysed` });
    out.delete(path);
    out.set(path, file);
  }
  return { ecosystem: 'npm', name: id.name, version: id.version, integrity: id.integrity, files: [...out.values()], skipped, bytes };
}

/** `package/lib/x.js` → `lib/x.js`; undefined when absolute, empty or escaping with `..`. */
export function npmPath(name: string): string | undefined {
  if (/^([/\\]|[A-Za-z]:)/.test(name)) return undefined;
  const slash = name.search(/[/\\]/);
  if (slash < 0) return undefined;
  const rest = resolveInside(name.slice(slash + 1));
  return rest ? rest : undefined;
}

function fileOf(path: string, m: ArchiveMember, p: Pending | undefined): ArchiveFile {
  const base = { path, size: m.size, sha256: m.sha256 ?? '' };
  if (m.kind === 'symlink' || m.kind === 'hardlink' || m.link !== undefined) return { ...base, kind: 'link' };
  if (m.kind !== 'file' || !p) return { ...base, kind: 'other' };
  if (!p.done) settle(p);
  const { head, text } = p.done!;
  const file: ArchiveFile = { ...base, kind: 'binary' };
  if (p.mode & 0o111) file.executable = true;
  if (text === undefined) {
    file.head = head.toString('base64');
    return file;
  }
  file.kind = 'text';
  file.text = text;
  if (p.cut) file.truncated = true;
  return file;
}

/** The bytes as UTF-8, or undefined when they are not valid UTF-8 (a cut may end mid-character). */
function utf8(bytes: Buffer, cut: boolean): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: cut });
  } catch {
    return undefined;
  }
}
