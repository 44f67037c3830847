/**
 * Classifies where a locked npm package comes from, from the lockfile's own strings only.
 * Nothing here is ever fetched: `resolved` is attacker-controlled text.
 */
import type { Source } from '../../model/index.js';

const SEMVER_RE = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** A plain `x.y.z[-pre][+build]` version (what a registry install records). */
export function isSemverVersion(v: string): boolean {
  return SEMVER_RE.test(v);
}

const GIT_PREFIXES = ['git+', 'git://', 'github:', 'gitlab:', 'bitbucket:', 'gist:'];

function isGitSpec(s: string): boolean {
  for (const p of GIT_PREFIXES) if (s.startsWith(p)) return true;
  return false;
}

function isHttp(s: string): boolean {
  return s.startsWith('https://') || s.startsWith('http://');
}

/**
 * Does this URL have a registry tarball's path shape, `…/<name>/-/<basename>-<version>.tgz`?
 * (`<name>` may be `@scope/pkg` or `@scope%2fpkg`; the file name is `pkg-<version>.tgz`, or
 * `@scope/pkg-<version>.tgz` on some registries.) The host is deliberately not checked here:
 * which hosts are trusted registries is configuration, checked by the signals.
 */
export function hasRegistryTarballShape(url: string, name: string, version: string): boolean {
  // Matched backwards with charCodeAt: this runs for every package of every lockfile.
  let end = url.length;
  const q = url.indexOf('?');
  if (q >= 0) end = q;
  const h = url.indexOf('#');
  if (h >= 0 && h < end) end = h;
  // <file>.tgz
  let at = endsWith(url, end, '.tgz');
  if (at < 0) return false;
  at = endsWith(url, at, version);
  if (at < 1 || url.charCodeAt(at - 1) !== 45) return false; // '-'
  at--;
  const slash = name.indexOf('/');
  // <file> is `<base>-<version>.tgz`, or `<scope>/<base>-<version>.tgz` on some registries
  let fileStart = slash >= 0 ? endsWith(url, at, name) : -1;
  if (fileStart < 0 || url.charCodeAt(fileStart - 1) !== 47 || url.charCodeAt(fileStart - 2) !== 45) {
    fileStart = endsWith(url, at, slash >= 0 ? name.slice(slash + 1) : name);
  }
  if (fileStart < 0) return false;
  // /-/
  at = endsWith(url, fileStart, '/-/');
  if (at < 0) return false;
  // /<name> or /@scope%2f<base>
  const folder = endsWith(url, at, name);
  if (folder > 0 && url.charCodeAt(folder - 1) === 47) return true;
  if (slash < 0) return false;
  let p = endsWith(url, at, name.slice(slash + 1));
  if (p < 3 || url.charCodeAt(p - 3) !== 37 || url.charCodeAt(p - 2) !== 50 || (url.charCodeAt(p - 1) | 32) !== 102) return false;
  p = endsWith(url, p - 3, name.slice(0, slash));
  return p > 0 && url.charCodeAt(p - 1) === 47;
}

/** If `s[?, end)` is `suffix`, its start offset; else -1. */
function endsWith(s: string, end: number, suffix: string): number {
  const start = end - suffix.length;
  if (start < 0) return -1;
  for (let i = suffix.length - 1; i >= 0; i--) if (s.charCodeAt(start + i) !== suffix.charCodeAt(i)) return -1;
  return start;
}

/** Classifies a `resolved` value (or a v1 non-semver `version`, which is a spec). */
export function classifyResolved(resolved: string, name: string, version: string): Source {
  if (isGitSpec(resolved)) return { type: 'git', url: resolved };
  if (resolved.startsWith('file:')) return { type: 'file', url: resolved };
  if (isHttp(resolved)) {
    return { type: hasRegistryTarballShape(resolved, name, version) ? 'registry' : 'tarball', url: resolved };
  }
  // A path without a scheme: a local file or directory.
  if (resolved.startsWith('.') || resolved.startsWith('/') || !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(resolved)) {
    return { type: 'file', url: resolved };
  }
  return { type: 'unknown', url: resolved };
}

/** A `file:` spec that names a directory rather than a tarball (npm links those). */
export function isDirectorySpec(spec: string): boolean {
  return !/\.(?:tgz|tar\.gz|tar)$/i.test(spec);
}
