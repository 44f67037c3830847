/**
 * Python: which distribution file content analysis reads for each release — the one the install
 * would use. The lockfile's hashes name the files it allows; among them a pure-Python wheel first,
 * else a platform wheel, and for the compared release the same tag (else platform) so the comparison
 * is like for like. An sdist only when no wheel fits: then the install builds from source.
 */
import type { Change, DistFile, DistSide, LockPackage, Packument } from '../../model/index.js';
import { platformFamily, wheelsToList, wheelTags } from '../../signals/index.js';

/** The lockfile side that pins `version`, if any. */
function lockSide(change: Change, version: string): LockPackage | undefined {
  if (change.head?.version === version) return change.head;
  if (change.base?.version === version) return change.base;
  return undefined;
}

function lockSha256(side: LockPackage | undefined): string[] {
  return (side?.hashes ?? []).filter((h) => h.algorithm === 'sha256').map((h) => h.digest.toLowerCase());
}

/** The release's files the lockfile allows (all of them when it pins none, or pins none the index lists). */
function allowed(packument: Packument, version: string, pins: readonly string[]): DistFile[] {
  const files = packument.versions.get(version)?.files ?? [];
  if (pins.length > 0) {
    const pinned = files.filter((f) => f.sha256 !== undefined && pins.includes(f.sha256));
    // none pinned: the first file is read anyway, and the client refuses it (the hashes disagree)
    if (pinned.length > 0) return pinned;
  }
  return files.filter((f) => !f.yanked);
}

const isPure = (f: DistFile): boolean => wheelTags(f.filename)?.platform.includes('any') === true;
const tagOf = (f: DistFile): string => f.filename.split('-').slice(-3).join('-');
const familyOf = (f: DistFile): string => (wheelTags(f.filename)?.platform ?? []).map(platformFamily).sort().join('.');

function firstSdist(files: readonly DistFile[]): DistFile | undefined {
  const sdists = files.filter((f) => f.kind === 'sdist');
  const lower = (f: DistFile) => f.filename.toLowerCase();
  return sdists.find((f) => lower(f).endsWith('.tar.gz')) ?? sdists.find((f) => lower(f).endsWith('.zip')) ?? sdists[0];
}

/** The new release's file: a pure wheel (`py3-none-any` first), else a platform wheel, else the sdist. */
function chooseNext(files: readonly DistFile[]): DistFile | undefined {
  const wheels = wheelsToList({ version: '', scripts: {}, files: [...files] });
  const pure = wheels.filter(isPure);
  return pure.find((f) => tagOf(f).startsWith('py3-none-any')) ?? pure[0] ?? wheels[0] ?? firstSdist(files);
}

/** The compared release's file: the same kind and tag as the new one's where it has it. */
function choosePrevious(files: readonly DistFile[], next: DistFile): DistFile | undefined {
  const wheels = files.filter((f) => f.kind === 'wheel');
  if (next.kind !== 'wheel') return firstSdist(files) ?? chooseNext(files);
  return (
    wheels.find((f) => tagOf(f) === tagOf(next)) ?? wheels.find((f) => familyOf(f) === familyOf(next)) ?? wheels.find(isPure) ?? wheels[0] ?? firstSdist(files)
  );
}

/** The two sides to read, or undefined when the new release lists no file to read. */
export function chooseDists(change: Change, packument: Packument, versions: readonly string[]): { next: DistSide; previous?: DistSide } | undefined {
  const [to, from] = versions as [string, string | undefined];
  const nextPins = lockSha256(lockSide(change, to));
  const nextFile = chooseNext(allowed(packument, to, nextPins));
  if (!nextFile) return undefined;
  const next: DistSide = { version: to, file: nextFile, lockSha256: nextPins };
  if (from === undefined) return { next };
  const prevPins = lockSha256(lockSide(change, from));
  const prevFile = choosePrevious(allowed(packument, from, prevPins), nextFile);
  return prevFile ? { next, previous: { version: from, file: prevFile, lockSha256: prevPins } } : { next };
}
