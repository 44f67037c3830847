/**
 * A Python sdist (already downloaded and verified) as {@link ArchiveContents}: every member read with
 * the tar / ZIP walkers and the caps of config `content`, the leading `name-version/` directory stripped.
 */
import { createHash } from 'node:crypto';
import { ArchiveRefused, readNpmTarball } from '../../archives/npm-tar.js';
import { indexMembers } from '../../archives/wheel-index.js';
import { memorySource, readCentralDirectory, WheelZipError } from '../../archives/wheel-zip.js';
import { looksLikeZip } from '../../archives/zip.js';
import type { ArchiveContents, ContentLimits } from '../../model/index.js';
import { classify } from './wheel-members.js';
import { readMember } from '../../archives/wheel-member.js';
import { resolveInside, splitLeadingDir } from '../../archives/listing.js';

const MiB = 1024 * 1024;

export interface SdistIdentity {
  name: string;
  version: string;
  filename: string;
  integrity: string;
}

/** Throws {@link ArchiveRefused} for an archive refused whole (over a cap, unreadable, a bomb). */
export async function sdistContents(bytes: Buffer, id: SdistIdentity, limits: ContentLimits): Promise<ArchiveContents> {
  const zip = id.filename.toLowerCase().endsWith('.zip') || looksLikeZip(bytes);
  if (!zip) {
    const c = await readNpmTarball(bytes, { name: id.name, version: id.version, integrity: id.integrity }, tarLimits(limits));
    return { ...c, ecosystem: 'pypi' };
  }
  try {
    return await zipContents(bytes, id, limits);
  } catch (e) {
    if (e instanceof WheelZipError) throw new ArchiveRefused(e.message);
    throw e;
  }
}

function tarLimits(l: ContentLimits) {
  return {
    maxUnpackedBytes: l.maxUnpackedBytes,
    maxFiles: l.maxFiles,
    ...(l.maxTextBytes !== undefined ? { maxTextBytes: l.maxTextBytes } : {}),
    ...(l.maxRatio !== undefined ? { maxRatio: l.maxRatio } : {}),
  };
}

/** A ZIP sdist: each member inflated with the caps, its path without the project directory. */
async function zipContents(bytes: Buffer, id: SdistIdentity, l: ContentLimits): Promise<ArchiveContents> {
  const src = memorySource(bytes);
  const { cd, location } = await readCentralDirectory(src);
  const members = indexMembers(cd, location, l.maxFiles);
  const caps = { maxBytes: l.maxUnpackedBytes, maxRatio: l.maxRatio ?? 200 };
  let unpacked = 0;
  const files: ArchiveContents['files'] = [];
  for (const m of members.values()) {
    unpacked += m.entry.size;
    if (unpacked > l.maxUnpackedBytes) throw new WheelZipError(`more than ${l.maxUnpackedBytes} bytes unpacked`);
    const path = resolveInside(splitLeadingDir(m.path)[1]);
    if (!path) continue;
    const data = await readMember(src, m, caps);
    const sha256 = createHash('sha256').update(data).digest('hex');
    files.push({ path, size: m.entry.size, sha256, ...classify(data, l.maxTextBytes ?? 2 * MiB), ...(m.mode & 0o111 ? { executable: true } : {}) });
  }
  return { ecosystem: 'pypi', name: id.name, version: id.version, integrity: id.integrity, files, skipped: [], bytes: { compressed: bytes.length, unpacked } };
}
