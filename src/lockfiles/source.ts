/**
 * Classifies where a locked npm package comes from, from the lockfile's own strings only.
 * Nothing here is ever fetched: `resolved` is attacker-controlled text.
 */
import type { Source } from '../model.js';

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
  // Without allocating: this runs for every package of every lockfile.
  let end = url.length;
  const q = url.indexOf('?');
  if (q >= 0) end = q;
  const h = url.indexOf('#');
  if (h >= 0 && h < end) end = h;
  // …/<name>/-/<file>.tgz
  if (!url.startsWith('.tgz', end - 4)) return false;
  const dash = url.lastIndexOf('/-/', end);
  if (dash < 0) return false;
  const slash = name.indexOf('/');
  const base = slash >= 0 ? name.slice(slash + 1) : name;
  // The file: `<base>-<version>.tgz` or `<name>-<version>.tgz`.
  const fileStart = dash + 3;
  const fileLen = end - 4 - fileStart;
  const fileIs = (n: string): boolean =>
    fileLen === n.length + 1 + version.length &&
    url.startsWith(n, fileStart) &&
    url.charCodeAt(fileStart + n.length) === 45 &&
    url.startsWith(version, fileStart + n.length + 1);
  const ok = fileIs(base) || (slash >= 0 && fileIs(name));
  if (!ok) return false;
  // The folder: `/<name>` or `/@scope%2f<base>`.
  if (url.startsWith(name, dash - name.length) && url.charCodeAt(dash - name.length - 1) === 47) return true;
  if (slash < 0) return false;
  const scope = name.slice(0, slash);
  const encLen = scope.length + 3 + base.length;
  const at = dash - encLen;
  return (
    at > 0 &&
    url.charCodeAt(at - 1) === 47 &&
    url.startsWith(scope, at) &&
    (url.startsWith('%2f', at + scope.length) || url.startsWith('%2F', at + scope.length)) &&
    url.startsWith(base, at + scope.length + 3)
  );
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
