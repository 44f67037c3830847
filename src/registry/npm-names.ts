/** npm package names in registry paths. */

/**
 * `@scope/name` → `@scope%2fname` (the registry's escaped form); undefined for names that cannot be
 * package names (empty, slashes beyond the scope, `.`/`..`, whitespace or control characters).
 */
export function escapePackageName(name: string, scopeSeparator = '%2f'): string | undefined {
  if (name.length === 0 || name.length > 1000 || /[\s\u0000-\u001f\u007f]/.test(name)) return undefined;
  const m = /^(?:@([^/@]+)\/)?([^/]+)$/.exec(name);
  if (!m) return undefined;
  const scope = m[1];
  const pkg = m[2]!;
  if (pkg === '.' || pkg === '..' || pkg.startsWith('@') || scope === '.' || scope === '..') return undefined;
  return scope !== undefined ? `@${encodeURIComponent(scope)}${scopeSeparator}${encodeURIComponent(pkg)}` : encodeURIComponent(pkg);
}
