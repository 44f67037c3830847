/** The requirement part of a line: a pinned name, a URL or path reference, or an editable. */
import type { LockHash, Source, SourceType } from '../../../model/index.js';
import { normalizePythonName } from '../../../versions/index.js';
import { distFileVersion, gitRepoUrl, isValidPythonName, parseHashSpec } from '../../shared/python.js';

/** What one requirement line is. */
export type Requirement =
  | { kind: 'package'; name: string; version: string; source: Source; hashes: LockHash[] }
  | { kind: 'unpinned'; name: string; reason: string };

const ARCHIVE_RE = /\.(?:whl|tar\.gz|tar\.bz2|tar\.xz|tgz|zip|tar)$/i;
export const SCHEME_RE = /^[A-Za-z][A-Za-z0-9+.-]*:/;
export const NAME_START_RE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/;
const CLAUSE_RE = /^(~=|===|==|!=|<=|>=|<|>)\s*(\S+)$/;
const VERSION_RE = /^[A-Za-z0-9.*+!_-]+$/;

/** The `#fragment` parameters of a URL (`egg=`, `subdirectory=`, `sha256=`), and the URL without them. */
function fragmentOf(url: string): { bare: string; params: Map<string, string> } {
  const h = url.indexOf('#');
  const params = new Map<string, string>();
  if (h < 0) return { bare: url, params };
  for (const part of url.slice(h + 1).split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0 && !params.has(part.slice(0, eq))) params.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return { bare: url.slice(0, h), params };
}

/**
 * A name from a URL or path when the requirement does not give one: `#egg=`, a dist file's name,
 * else (repositories and folders only, never a download URL) the last path segment.
 */
function nameFromReference(bare: string, params: Map<string, string>, type: SourceType): string | undefined {
  const egg = params.get('egg');
  if (egg !== undefined) {
    const m = NAME_START_RE.exec(egg);
    return m ? m[0] : undefined;
  }
  const path = bare.replace(/[?].*$/, '').replace(/[\\/]+$/, '');
  let last = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const at = last.indexOf('@');
  if (at >= 0) last = last.slice(0, at);
  if (last.endsWith('.whl')) return last.split('-')[0];
  const sdist = /^(.+?)-\d[^-]*\.(?:tar\.gz|tar\.bz2|tar\.xz|tgz|zip|tar)$/i.exec(last);
  if (sdist) return sdist[1];
  if (type === 'url' || type === 'file') return undefined;
  return last.replace(/\.git$/, '') || undefined;
}

/** Classifies a URL or local path reference (data only: never fetched). */
function referenceSource(ref: string, editable: boolean): { type: SourceType; url: string; version: string | undefined; hashes: LockHash[] } {
  const { bare, params } = fragmentOf(ref);
  const hashes: LockHash[] = [];
  for (const [k, v] of params) {
    const h = parseHashSpec(`${k}:${v}`);
    if (h !== undefined) hashes.push(h);
  }
  if (/^git\+/i.test(ref)) {
    const { repo, rev } = gitRepoUrl(ref);
    const sub = params.get('subdirectory');
    const url = (rev === undefined ? repo : `${repo}@${rev}`) + (sub !== undefined ? `#subdirectory=${sub}` : '');
    return { type: 'git', url, version: rev, hashes };
  }
  if (/^(?:hg|svn|bzr)\+/i.test(ref)) return { type: 'unknown', url: ref, version: undefined, hashes };
  if (/^https?:\/\//i.test(ref)) return { type: 'url', url: ref, version: distFileVersion(bare.replace(/[?].*$/, '')), hashes };
  if (SCHEME_RE.test(ref) && !/^file:/i.test(ref) && !/^[A-Za-z]:[\\/]/.test(ref)) return { type: 'unknown', url: ref, version: undefined, hashes };
  // a local path or file: URL
  const archive = ARCHIVE_RE.test(bare);
  const type: SourceType = archive ? 'file' : editable ? 'editable' : 'link';
  return { type, url: ref, version: archive ? distFileVersion(bare) : undefined, hashes };
}

/** Does a requirement without a name look like a URL or a path rather than `name…`? (pip's rules, simplified.) */
function isReference(s: string): boolean {
  if (/^(?:git|hg|svn|bzr)\+/i.test(s) || /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(s) || /^file:/i.test(s)) return true;
  if (s.startsWith('.') || s.startsWith('/') || s.startsWith('\\') || s.startsWith('~') || /^[A-Za-z]:[\\/]/.test(s)) return true;
  const first = s.split(/[\s;]/, 1)[0]!;
  return first.includes('/') || first.includes('\\') || ARCHIVE_RE.test(first);
}

function sanitizedName(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  return isValidPythonName(raw) ? normalizePythonName(raw) : undefined;
}

/** A package made from a URL/path reference (`name @ ref`, a bare reference, or an editable). */
function referencePackage(ref: string, explicitName: string | undefined, editable: boolean, fail: (m: string) => never): Requirement {
  const r = referenceSource(ref, editable);
  const { bare, params } = fragmentOf(ref);
  let name = explicitName ?? sanitizedName(nameFromReference(bare, params, r.type));
  if (name === undefined) {
    if (r.type === 'link' || r.type === 'editable')
      name = 'local-directory'; // the project's own code: skipped by the diff
    else fail(`cannot tell the project name of "${ref.slice(0, 200)}" (write it as "name @ ${ref.slice(0, 100)}" or add #egg=name)`);
  }
  return { kind: 'package', name, version: r.version ?? ref, source: { type: r.type, url: r.url }, hashes: r.hashes };
}

/** Splits `; markers` off a reference (PEP 508: whitespace before the `;` of a URL). */
function withoutMarkers(s: string): string {
  const m = /\s;/.exec(s);
  return (m ? s.slice(0, m.index) : s).trim();
}

/** The requirement part of a line (before the options). */
export function parseRequirement(args: string, fail: (m: string) => never): Requirement {
  const s = args.trim();
  if (isReference(s)) {
    const ref = withoutMarkers(s);
    if (/\s/.test(ref)) fail(`invalid requirement "${s.slice(0, 200)}"`);
    return referencePackage(ref, undefined, false, fail);
  }
  const m = NAME_START_RE.exec(s);
  if (!m) fail(`invalid requirement "${s.slice(0, 200)}" (expected a project name)`);
  const name = normalizePythonName(m[0]);
  let rest = s.slice(m[0].length).trimStart();
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) fail(`invalid requirement "${s.slice(0, 200)}" (unclosed extras)`);
    rest = rest.slice(close + 1).trimStart();
  }
  if (rest.startsWith('@')) {
    const ref = withoutMarkers(rest.slice(1));
    if (ref === '' || /\s/.test(ref)) fail(`invalid requirement "${s.slice(0, 200)}" (expected a URL after @)`);
    return referencePackage(ref, name, false, fail);
  }
  const semi = rest.indexOf(';');
  let spec = (semi >= 0 ? rest.slice(0, semi) : rest).trim();
  if (spec.startsWith('(') && spec.endsWith(')')) spec = spec.slice(1, -1).trim();
  if (spec === '') return { kind: 'unpinned', name, reason: 'not pinned with ==' };
  const pins = new Set<string>();
  let wildcard = false;
  for (const clause of spec.split(',')) {
    const c = CLAUSE_RE.exec(clause.trim());
    if (!c || (c[1] !== '===' && !VERSION_RE.test(c[2]!))) fail(`invalid version specifier "${clause.trim().slice(0, 100)}" in "${s.slice(0, 200)}"`);
    if (c[1] === '==' || c[1] === '===') {
      if (c[2]!.endsWith('.*')) wildcard = true;
      else pins.add(c[2]!);
    }
  }
  if (pins.size === 1) return { kind: 'package', name, version: [...pins][0]!, source: { type: 'registry' }, hashes: [] };
  if (pins.size > 1) return { kind: 'unpinned', name, reason: `conflicting == pins (${[...pins].join(', ').slice(0, 100)})` };
  return { kind: 'unpinned', name, reason: wildcard ? 'wildcard version (==x.*)' : 'not pinned with ==' };
}

/** An editable requirement (`-e <path or vcs url>[extras] ; markers`). */
export function parseEditable(value: string, fail: (m: string) => never): Requirement {
  let ref = withoutMarkers(value);
  const semi = ref.indexOf(';');
  if (semi >= 0 && !SCHEME_RE.test(ref)) ref = ref.slice(0, semi).trim();
  const extras = /\[[^\]]*\]$/.exec(ref);
  if (extras && !SCHEME_RE.test(ref)) ref = ref.slice(0, extras.index);
  if (ref === '') fail('-e needs a path or a URL');
  return referencePackage(ref, undefined, true, fail);
}
