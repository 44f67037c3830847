/**
 * The release context the content detectors escalate with: whether the new version is a patch (or a
 * prerelease of one) of the compared version, published by the same account (`_npmUser`).
 */
import semver from 'semver';
import type { ReleaseContext } from '../content/index.js';
import type { Packument } from '../model/index.js';
import { publisherOf } from './publisher-changed.js';

/** Null when the document does not say who published either version (nothing to escalate on). */
export function releaseContext(packument: Packument | null, to: string, compared: string | null): ReleaseContext | null {
  if (packument === null || compared === null) return null;
  const next = packument.versions.get(to);
  const previous = packument.versions.get(compared);
  const a = next === undefined ? undefined : publisherOf(next);
  const b = previous === undefined ? undefined : publisherOf(previous);
  if (a === undefined || b === undefined) return null;
  return { samePublisher: a === b, patch: isPatchOf(to, compared) };
}

/** `1.2.4` or `1.2.4-rc.1` of `1.2.3`: same major and minor, later, and no minor or major step. */
function isPatchOf(to: string, from: string): boolean {
  const t = semver.parse(to);
  const f = semver.parse(from);
  if (t === null || f === null || semver.lte(t, f)) return false;
  return t.major === f.major && t.minor === f.minor;
}
