/**
 * pnpm-lock.yaml's vocabulary: the YAML nodes the parser reads, `packages` keys and dependency
 * references (v5, v6, v9), resolutions, and the lockfile version.
 */
import { LockfileError } from '../../../errors.js';
import type { Source } from '../../../model/index.js';
import { classifyResolved } from '../../shared/source.js';
import { YMap, type YNode } from './yaml.js';

export type Major = 5 | 6 | 9;

export const DEP_FIELDS = ['dependencies', 'optionalDependencies'] as const;
export const IMPORTER_DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

export function str(node: YNode | undefined): string | undefined {
  return typeof node === 'string' ? node : undefined;
}

export function map(node: YNode | undefined): YMap | undefined {
  return node instanceof YMap ? node : undefined;
}

/** `name@rest` → index of the separating `@` (a scoped name's leading `@` skipped), or -1. */
export function atSplit(s: string): number {
  return s.indexOf('@', 1);
}

/** Drops a v6/v9 peer (or patch) suffix: `1.0.0(react@18.2.0)` → `1.0.0`. */
export function stripPeers(s: string): string {
  const p = s.indexOf('(');
  return p < 0 ? s : s.slice(0, p);
}

/** Parses a `packages` key into name and version (without peer suffixes); null when it has no such shape. */
export function parseKey(major: Major, key: string): { name: string; version: string } | null {
  if (major === 5) {
    if (key.charCodeAt(0) !== 47) return null;
    const body = key.slice(1);
    let slash = body.indexOf('/');
    if (body.charCodeAt(0) === 64) slash = body.indexOf('/', slash + 1);
    if (slash <= 0) return null;
    let version = body.slice(slash + 1);
    const u = version.indexOf('_');
    if (u >= 0) version = version.slice(0, u);
    const p = version.indexOf('(');
    if (p >= 0) version = version.slice(0, p);
    return { name: body.slice(0, slash), version };
  }
  const body = major === 6 && key.charCodeAt(0) === 47 ? key.slice(1) : key;
  const at = atSplit(body);
  if (at <= 0) return null;
  const name = body.slice(0, at);
  // a v6 non-registry key (`github.com/a/b/sha`, `file:x`) is not `name@version`
  if (name.includes(':') || (name.charCodeAt(0) !== 64 && name.includes('/'))) return null;
  return { name, version: stripPeers(body.slice(at + 1)) };
}

/** The `packages` id a dependency reference points to, or null for `link:` (a workspace or local link). */
export function refToId(major: Major, name: string, ref: string): string | null {
  if (ref.startsWith('link:')) return null;
  if (major === 5) return ref.includes('/') ? ref : `/${name}/${ref}`;
  if (major === 6) {
    const head = stripPeers(ref);
    return head.includes('/') || head.includes(':') ? ref : `/${name}@${ref}`;
  }
  const head = stripPeers(ref);
  const at = atSplit(head);
  const colon = head.indexOf(':');
  // `other@1.0.0` (an npm alias) names the package itself; `1.0.0`, `file:x`, `https://…` are versions of `name`
  if (at > 0 && (colon < 0 || colon > at)) return head;
  return `${name}@${head}`;
}

export function sourceOf(resolution: YMap | undefined, name: string, version: string): { source: Source; integrity?: string; local: boolean } {
  if (resolution === undefined) return { source: { type: 'unknown' }, local: false };
  const integrity = str(resolution.get('integrity'));
  const directory = str(resolution.get('directory'));
  if (directory !== undefined) return { source: { type: 'link', url: `file:${directory}` }, local: true };
  const tarball = str(resolution.get('tarball'));
  const repo = str(resolution.get('repo'));
  const type = str(resolution.get('type'));
  let source: Source;
  if (repo !== undefined || type === 'git') {
    const commit = str(resolution.get('commit'));
    source = { type: 'git', url: repo === undefined ? undefined : commit ? `${repo}#${commit}` : repo };
    if (source.url === undefined) delete source.url;
  } else if (tarball !== undefined) {
    source = classifyResolved(tarball, name, version);
  } else if (integrity !== undefined) {
    source = { type: 'registry' };
  } else {
    source = { type: 'unknown' };
  }
  return integrity === undefined ? { source, local: false } : { source, integrity, local: false };
}

export function fail(file: string, message: string, line?: number): never {
  throw new LockfileError(message, line === undefined ? { file } : { file, line });
}

/** `lockfileVersion` of a document → its major (5, 6 or 9), refused otherwise. */
export function majorOf(file: string, doc: YMap): Major {
  const lvEntry = doc.entries.get('lockfileVersion');
  if (lvEntry === undefined) fail(file, 'not a pnpm lockfile (no lockfileVersion)');
  const lv = str(lvEntry.value);
  const majorNum = lv === undefined ? NaN : Number.parseInt(lv, 10);
  if (majorNum !== 5 && majorNum !== 6 && majorNum !== 9) {
    fail(file, `unsupported pnpm lockfileVersion ${JSON.stringify(lv ?? null)} (5.x, 6.x and 9.x are supported)`, lvEntry.line);
  }
  return majorNum as Major;
}
