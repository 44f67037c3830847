/**
 * `/lockwarden allow <package>@<version> <reason…>`: parsed, and refused unless the version is one
 * exact version (a semver version for npm, a PEP 440 version for Python), never a range or wildcard.
 */
import semver from 'semver';
import { isPep440 } from '../versions/index.js';
import { MAX_REASON_LENGTH } from './approvals.js';

export const ALLOW_SYNTAX = '/lockwarden allow <package>@<version> <reason>';
const ALLOW_USAGE = `\`${ALLOW_SYNTAX}\``;

export type AllowCommand = { package: string; version: string; reason: string };

/** One exact version: `1.14.1`, `2.0.0-rc.1`, `1.0.post1`, `2!1.0`; never `x`, `1.x`, `^1`, `*`, `>=1`. */
export function isExactVersion(v: string): boolean {
  if (!/^[0-9A-Za-z][0-9A-Za-z.+!_-]{0,99}$/.test(v)) return false;
  return semver.valid(v) !== null || isPep440(v);
}

function exactVersionError(version: string): string {
  return `"${version}" is not an exact version: an approval covers one version, so name it exactly (e.g. \`1.14.1\`, not a range such as \`1.x\`, \`^1\`, \`*\` or \`>=1\`): ${ALLOW_USAGE}`;
}

/** The command in a comment, or an error to explain, or null when the comment has no command. */
export function parseAllowCommand(body: string): AllowCommand | { error: string } | null {
  const line = body.split(/\r?\n/).find((l) => l.trim().startsWith('/lockwarden'));
  if (!line) return null;
  const m = /^\/lockwarden\s+allow\s+(\S+)\s*(.*)$/.exec(line.trim());
  if (!m) return { error: `usage: ${ALLOW_USAGE}` };
  const spec = m[1]!;
  const reason = m[2]!.trim();
  const at = spec.lastIndexOf('@');
  if (at <= 0) return { error: `name the exact version: ${ALLOW_USAGE}` };
  const pkg = spec.slice(0, at);
  const version = spec.slice(at + 1);
  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(pkg) || pkg.length > 214) return { error: `"${pkg}" is not a package name` };
  if (!isExactVersion(version)) return { error: exactVersionError(version) };
  if (!reason) return { error: `give a reason: ${ALLOW_USAGE}` };
  return { package: pkg, version, reason: reason.slice(0, MAX_REASON_LENGTH) };
}
