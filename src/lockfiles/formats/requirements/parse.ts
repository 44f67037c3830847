/**
 * pip requirements files pinned with `==` and `--hash` (pip-compile, `uv pip compile`,
 * `pipenv requirements --hash`, `poetry export` output) → {@link Lockfile} (ecosystem `pypi`,
 * format `requirements`).
 *
 * Line syntax, as pip reads it (`pip/_internal/req/req_file.py`):
 * - a physical line ending in `\` continues on the next one, unless it is a comment line; the
 *   logical line takes the number of its first physical line (what pip reports, and our `line`);
 * - a comment starts at a `#` at the start of the line or after whitespace (`url#sha256=…` is not one);
 * - tokens up to the first one starting with `-` are the requirement, the rest are options
 *   (shell-split): `--hash=sha256:…` (several), `-r`/`--requirement`, `-c`/`--constraint`,
 *   `-e`/`--editable`, and the file options (`--index-url`, `--extra-index-url`, `--find-links`,
 *   `--trusted-host`, `--no-binary`, …), which are validated and otherwise ignored: nothing a
 *   requirements file names is ever fetched or used as configuration.
 * - requirements: `name[extras]==1.0 ; markers`, `name===1.0`, `name @ https://…`,
 *   `name @ git+https://…@commit`, bare URLs and paths (`git+https://…#egg=name`, `./pkg`, `x.whl`),
 *   `-e <path or vcs url>`.
 *
 * Sources: a pinned requirement → `registry` (no URL: the index is configuration); `git+…` →
 * `git` (`<repo>@<rev>`, editable or not: a checkout of remote code either way); http(s) → `url`;
 * a local archive → `file`; a local directory → `link`; an editable local directory → `editable`.
 * Markers are not evaluated: two pins of one name (`numpy==1.24 ; python_version < "3.9"` and
 * `numpy==1.26 ; …`, as `poetry export` writes) are two copies.
 *
 * Requirements that are not pinned (`name>=1`, bare names, `==1.*`) are not packages: they are
 * listed in {@link Lockfile.unreviewed}. A `-c` constraints line is parsed but not followed
 * (constraints are not installed by themselves). A file with no pinned requirement at all is a
 * valid, empty lockfile.
 *
 * Graph: requirements files have none, so every package is a direct dependency of the root
 * importer, except where pip-compile/uv `# via` annotations say what pulled a package in: then
 * `# via foo` is an edge foo → package, and `# via -r requirements.in` (any `-…` item) or
 * `# via project (pyproject.toml)` makes it direct. A package whose annotations name nothing
 * known stays direct (so that it is reachable).
 *
 * `-r` includes: {@link requirementIncludes} lists them (repository-relative, refusing absolute
 * paths, URLs and paths escaping the repository), {@link loadRequirementFiles} reads the
 * transitive set through a callback (cycle-safe, capped), and {@link parseRequirements} takes
 * their texts (`includes`): an included file's packages carry `file` (their line is in it).
 */
import { LockfileError } from '../../../errors.js';
import { checkPackageCount } from '../../shared/limits.js';
import type { LockHash, LockPackage, Lockfile, PackageFlags, Source, SourceType, UnreviewedRequirement } from '../../../model/index.js';
import { normalizePythonName } from '../../../versions/index.js';
import { distFileVersion, gitRepoUrl, hashesIntegrity, isValidPythonName, parseHashSpec, uniqueHashes } from '../../shared/python.js';

/** A longer logical line (continuations included) is refused. */
export const MAX_LINE_LENGTH = 1024 * 1024;

export interface IncludeLimits {
  /** Most files in one set, the including file counted (default 64). */
  maxFiles?: number;
  /** Deepest include chain (default 16). */
  maxDepth?: number;
  /** Most bytes (UTF-16 units) of all files together (default 64 MiB). */
  maxBytes?: number;
}

export const DEFAULT_INCLUDE_LIMITS: Required<IncludeLimits> = { maxFiles: 64, maxDepth: 16, maxBytes: 64 * 1024 * 1024 };

export interface RequirementsParseOptions {
  /**
   * The texts of the files `-r` includes (transitively), by repository-relative path, as
   * {@link loadRequirementFiles} returns them. Without it, an include is listed as unreviewed
   * (`included file not read`); with it, an include missing from the map is an error.
   */
  includes?: ReadonlyMap<string, string> | undefined;
  limits?: IncludeLimits;
}

// ---------------------------------------------------------------------------------------------
// Which paths are requirements files (there is no content signature)

/**
 * The file names read as requirements files (documentation for the README; {@link isRequirementsPath}
 * decides). Input files (`requirements.in`) are not lockfiles. A constraints file read on its own is
 * reviewed like a requirements file: its pins are the versions that get installed.
 */
export const REQUIREMENTS_PATH_PATTERNS: readonly string[] = [
  'requirements.txt',
  'requirements-*.txt',
  'requirements_*.txt',
  'requirements.*.txt',
  '*-requirements.txt',
  '*_requirements.txt',
  'requirements/*.txt',
  'constraints.txt',
  'constraints-*.txt',
  'constraints_*.txt',
  '*-constraints.txt',
  '*_constraints.txt',
];

const REQ_STEM_RE = /^(?:(?:requirements|constraints)(?:[-_.].+)?|.+[-_](?:requirements|constraints))$/i;

/** Is this path (any folder, `/` or `\` separated) a requirements file by its name? See {@link REQUIREMENTS_PATH_PATTERNS}. */
export function isRequirementsPath(path: string): boolean {
  const parts = path.split(/[\\/]/);
  const base = parts[parts.length - 1]!;
  if (base.length <= 4 || base.slice(-4).toLowerCase() !== '.txt') return false;
  if (REQ_STEM_RE.test(base.slice(0, -4))) return true;
  return parts.length >= 2 && parts[parts.length - 2]!.toLowerCase() === 'requirements';
}

// ---------------------------------------------------------------------------------------------
// Logical lines

interface LogicalLine {
  /** First physical line (1-based). */
  line: number;
  /** The line without its comment, trimmed. */
  text: string;
  /** The comment's text after `#`, when there is one. */
  comment: string | undefined;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 12 || c === 11 || c === 13 || c === 0xa0 || c === 0xfeff || (c >= 0x2000 && c <= 0x200a) || c === 0x3000;
}

/** pip's COMMENT_RE.match: the line starts with `#` after optional whitespace. */
function isCommentLine(l: string): boolean {
  let i = 0;
  while (i < l.length && isSpace(l.charCodeAt(i))) i++;
  return l.charCodeAt(i) === 35;
}

function stripBackslashes(l: string): string {
  let a = 0;
  let b = l.length;
  while (a < b && l.charCodeAt(a) === 92) a++;
  while (b > a && l.charCodeAt(b - 1) === 92) b--;
  return l.slice(a, b);
}

/** Splits a joined line into its content (trimmed) and comment (pip's `(^|\s+)#.*$`). */
function splitComment(line: number, joined: string): LogicalLine {
  let i = joined.indexOf('#');
  while (i > 0 && !isSpace(joined.charCodeAt(i - 1))) i = joined.indexOf('#', i + 1);
  if (i < 0) return { line, text: joined.trim(), comment: undefined };
  return { line, text: joined.slice(0, i).trim(), comment: joined.slice(i + 1) };
}

/** The logical lines of a requirements file, as pip's join_lines and ignore_comments make them (empty ones kept when they hold a comment). */
export function logicalLines(file: string, text: string, start = 0): LogicalLine[] {
  const out: LogicalLine[] = [];
  let pending: string[] | undefined;
  let pendingLength = 0;
  let primary = 0;
  let lineNo = 0;
  let pos = start;
  const n = text.length;
  while (pos <= n) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    lineNo++;
    if (end - pos > MAX_LINE_LENGTH) throw new LockfileError(`line too long (${end - pos} characters; the limit is ${MAX_LINE_LENGTH})`, { file, line: lineNo });
    let l = text.slice(pos, end);
    if (l.endsWith('\r')) l = l.slice(0, -1);
    pos = end + 1;
    const comment = isCommentLine(l);
    if (!l.endsWith('\\') || comment) {
      if (comment) l = ' ' + l;
      if (pending !== undefined) {
        pending.push(l);
        out.push(splitComment(primary, pending.join('')));
        pending = undefined;
      } else if (l.length > 0) out.push(splitComment(lineNo, l));
    } else {
      if (pending === undefined) {
        pending = [];
        pendingLength = 0;
        primary = lineNo;
      }
      const part = stripBackslashes(l);
      pendingLength += part.length;
      if (pendingLength > MAX_LINE_LENGTH) {
        throw new LockfileError(`line too long (continued lines over ${MAX_LINE_LENGTH} characters)`, { file, line: primary });
      }
      pending.push(part);
    }
    if (end === n) break;
  }
  if (pending !== undefined) out.push(splitComment(primary, pending.join('')));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Options

/** pip's shlex.split of the options part (POSIX rules: quotes, backslash escapes). */
function shellSplit(s: string, fail: (m: string) => never): string[] {
  const out: string[] = [];
  let cur = '';
  let inToken = false;
  let i = 0;
  const n = s.length;
  while (i < n) {
    const ch = s[i]!;
    const c = ch.charCodeAt(0);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12) {
      if (inToken) out.push(cur);
      cur = '';
      inToken = false;
      i++;
    } else if (ch === "'") {
      const close = s.indexOf("'", i + 1);
      if (close < 0) fail('could not split options: no closing quotation');
      cur += s.slice(i + 1, close);
      inToken = true;
      i = close + 1;
    } else if (ch === '"') {
      i++;
      inToken = true;
      for (;;) {
        if (i >= n) fail('could not split options: no closing quotation');
        const d = s[i]!;
        if (d === '"') break;
        if (d === '\\' && (s[i + 1] === '"' || s[i + 1] === '\\')) {
          cur += s[i + 1];
          i += 2;
        } else {
          cur += d;
          i++;
        }
      }
      i++;
    } else if (ch === '\\') {
      if (i + 1 >= n) fail('could not split options: no escaped character');
      cur += s[i + 1];
      inToken = true;
      i += 2;
    } else {
      cur += ch;
      inToken = true;
      i++;
    }
  }
  if (inToken) out.push(cur);
  return out;
}

type Dest = 'requirement' | 'constraint' | 'editable' | 'hash' | 'other';

interface OptionSpec {
  dest: Dest;
  takesValue: boolean;
}

/** pip's requirements-file options (SUPPORTED_OPTIONS + SUPPORTED_OPTIONS_REQ), plus the per-requirement options of older pips. */
const LONG_OPTIONS = new Map<string, OptionSpec>([
  ['--index-url', { dest: 'other', takesValue: true }],
  ['--pypi-url', { dest: 'other', takesValue: true }],
  ['--extra-index-url', { dest: 'other', takesValue: true }],
  ['--no-index', { dest: 'other', takesValue: false }],
  ['--constraint', { dest: 'constraint', takesValue: true }],
  ['--requirement', { dest: 'requirement', takesValue: true }],
  ['--editable', { dest: 'editable', takesValue: true }],
  ['--find-links', { dest: 'other', takesValue: true }],
  ['--no-binary', { dest: 'other', takesValue: true }],
  ['--only-binary', { dest: 'other', takesValue: true }],
  ['--prefer-binary', { dest: 'other', takesValue: false }],
  ['--require-hashes', { dest: 'other', takesValue: false }],
  ['--no-require-hashes', { dest: 'other', takesValue: false }],
  ['--pre', { dest: 'other', takesValue: false }],
  ['--all-releases', { dest: 'other', takesValue: true }],
  ['--only-final', { dest: 'other', takesValue: true }],
  ['--trusted-host', { dest: 'other', takesValue: true }],
  ['--use-feature', { dest: 'other', takesValue: true }],
  ['--hash', { dest: 'hash', takesValue: true }],
  ['--config-settings', { dest: 'other', takesValue: true }],
  ['--global-option', { dest: 'other', takesValue: true }],
  ['--install-option', { dest: 'other', takesValue: true }],
  ['--build-option', { dest: 'other', takesValue: true }],
]);

const SHORT_OPTIONS = new Map<string, string>([
  ['i', '--index-url'],
  ['c', '--constraint'],
  ['r', '--requirement'],
  ['e', '--editable'],
  ['f', '--find-links'],
  ['C', '--config-settings'],
]);

/** optparse's long option lookup: exact, else the one option the text abbreviates. */
function longOption(name: string, fail: (m: string) => never): [string, OptionSpec] {
  const exact = LONG_OPTIONS.get(name);
  if (exact !== undefined) return [name, exact];
  const matches = [...LONG_OPTIONS.keys()].filter((k) => k.startsWith(name));
  if (matches.length === 1) return [matches[0]!, LONG_OPTIONS.get(matches[0]!)!];
  if (matches.length > 1) fail(`ambiguous option ${name.slice(0, 100)} (${matches.join(', ')})`);
  return fail(`unknown option ${name.slice(0, 100)}`);
}

interface LineOptions {
  requirements: string[];
  constraints: string[];
  editables: string[];
  hashes: LockHash[];
}

const STRONG_HASHES = new Set(['sha256', 'sha384', 'sha512']);

function parseOptions(s: string, fail: (m: string) => never): LineOptions {
  const o: LineOptions = { requirements: [], constraints: [], editables: [], hashes: [] };
  const tokens = shellSplit(s, fail);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '--') break; // optparse: the rest are positional arguments, which pip ignores
    let name: string;
    let spec: OptionSpec;
    let value: string | undefined;
    if (t.startsWith('--')) {
      const eq = t.indexOf('=');
      [name, spec] = longOption(eq >= 0 ? t.slice(0, eq) : t, fail);
      if (eq >= 0) {
        if (!spec.takesValue) fail(`option ${name} takes no value`);
        value = t.slice(eq + 1);
      }
    } else if (t.length > 1 && t.startsWith('-')) {
      const long = SHORT_OPTIONS.get(t[1]!);
      if (long === undefined) fail(`unknown option ${t.slice(0, 2)}`);
      name = long;
      spec = LONG_OPTIONS.get(long)!;
      if (t.length > 2) value = t.slice(2);
    } else continue; // a positional argument: ignored, as pip does
    if (spec.takesValue && value === undefined) {
      value = tokens[++i];
      if (value === undefined) fail(`option ${name} needs a value`);
    }
    switch (spec.dest) {
      case 'requirement':
        o.requirements.push(value!);
        break;
      case 'constraint':
        o.constraints.push(value!);
        break;
      case 'editable':
        o.editables.push(value!);
        break;
      case 'hash': {
        const h = parseHashSpec(value!);
        if (h === undefined || !STRONG_HASHES.has(h.algorithm)) {
          fail(`invalid --hash "${value!.slice(0, 100)}" (expected sha256:, sha384: or sha512: and a hex digest)`);
        }
        o.hashes.push(h);
        break;
      }
      default:
    }
  }
  return o;
}

/** pip's break_args_options: tokens (split on single spaces) up to the first starting with `-` are the requirement. */
function breakArgsOptions(line: string): [string, string] {
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === 45) break; // a token starting with '-'
    const sp = line.indexOf(' ', i);
    if (sp < 0) return [line, ''];
    i = sp + 1;
  }
  return [line.slice(0, Math.max(0, i - 1)), line.slice(i)];
}

// ---------------------------------------------------------------------------------------------
// Requirements

/** What one requirement line is. */
type Requirement =
  | { kind: 'package'; name: string; version: string; source: Source; hashes: LockHash[] }
  | { kind: 'unpinned'; name: string; reason: string };

const ARCHIVE_RE = /\.(?:whl|tar\.gz|tar\.bz2|tar\.xz|tgz|zip|tar)$/i;
const SCHEME_RE = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const NAME_START_RE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/;
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
    if (r.type === 'link' || r.type === 'editable') name = 'local-directory'; // the project's own code: skipped by the diff
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
function parseRequirement(args: string, fail: (m: string) => never): Requirement {
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
function parseEditable(value: string, fail: (m: string) => never): Requirement {
  let ref = withoutMarkers(value);
  const semi = ref.indexOf(';');
  if (semi >= 0 && !SCHEME_RE.test(ref)) ref = ref.slice(0, semi).trim();
  const extras = /\[[^\]]*\]$/.exec(ref);
  if (extras && !SCHEME_RE.test(ref)) ref = ref.slice(0, extras.index);
  if (ref === '') fail('-e needs a path or a URL');
  return referencePackage(ref, undefined, true, fail);
}

// ---------------------------------------------------------------------------------------------
// Includes

/** Repository-relative path of `ref` included from `file`; refuses absolute paths, URLs and escapes from the repository. */
function resolveInclude(file: string, ref: string, line: number): string {
  const where = { file, line };
  const shown = JSON.stringify(ref.slice(0, 200));
  if (ref === '') throw new LockfileError('empty -r path', where);
  // (a drive letter: `C:\x` is `C:x` once shell-split, as pip splits it)
  if (/^[\\/~]/.test(ref) || /^[A-Za-z]:/.test(ref)) throw new LockfileError(`-r ${shown}: absolute paths are not followed (only files inside the repository)`, where);
  if (SCHEME_RE.test(ref)) throw new LockfileError(`-r ${shown}: URLs are not followed (only files inside the repository)`, where);
  if (ref.includes('${')) throw new LockfileError(`-r ${shown}: environment variables in include paths are not supported`, where);
  const norm = file.replace(/\\/g, '/');
  const absolute = norm.startsWith('/');
  const parts = norm.split('/').slice(0, -1).filter((p) => p !== '' && p !== '.');
  for (const seg of ref.split(/[\\/]/)) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) throw new LockfileError(`-r ${shown}: the path leaves the repository`, where);
      parts.pop();
    } else parts.push(seg);
  }
  if (parts.length === 0) throw new LockfileError(`-r ${shown}: not a file`, where);
  return (absolute ? '/' : '') + parts.join('/');
}

interface IncludeRef {
  path: string;
  line: number;
}

/** The `-r` lines of one file: the first `-r` of a line with no requirement, as pip follows them. */
function includeRefs(file: string, text: string): IncludeRef[] {
  const out: IncludeRef[] = [];
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (const l of logicalLines(file, text, start)) {
    if (l.text === '' || !/(?:^|\s)-/.test(l.text)) continue;
    const fail = (m: string): never => {
      throw new LockfileError(m, { file, line: l.line });
    };
    const [args, opts] = breakArgsOptions(l.text);
    if (args !== '' || opts === '') continue;
    const o = parseOptions(opts, fail);
    if (o.requirements.length > 0 && o.editables.length === 0) out.push({ path: resolveInclude(file, o.requirements[0]!, l.line), line: l.line });
  }
  return out;
}

/**
 * The repository-relative paths `file` (itself repository-relative) includes with `-r`, relative to
 * its folder, in order. Throws a {@link LockfileError} naming the line for an absolute path, a URL
 * or a path leaving the repository.
 */
export function requirementIncludes(file: string, text: string): string[] {
  return [...new Set(includeRefs(file, text).map((r) => r.path))];
}

/**
 * Thrown by a `read` function of {@link loadRequirementFiles} for an include it will not read (a
 * link leading out of the repository): reported as a {@link LockfileError} on the including line.
 * The message must not show the file's content or where outside the repository it leads.
 */
export class IncludeRefused extends Error {}

/**
 * Reads the transitive set of files `file` includes through `read` (repository-relative path →
 * text, or null when there is no such file): the CLI reads the disk, the App the repository at
 * the pull request's ref. Returns every file of the set by path, `file` first. Cycle-safe (a
 * file is read once); more than `maxFiles` files, a chain deeper than `maxDepth`, more than
 * `maxBytes` in all, or a missing include is a {@link LockfileError} naming the including file
 * and line.
 */
export async function loadRequirementFiles(
  file: string,
  read: (path: string) => Promise<string | null>,
  limits: IncludeLimits = {},
): Promise<Map<string, string>> {
  const lim = { ...DEFAULT_INCLUDE_LIMITS, ...limits };
  const out = new Map<string, string>();
  const root = await read(file);
  if (root === null) throw new LockfileError('file not found', { file });
  out.set(file, root);
  let bytes = root.length;
  const queue: Array<{ path: string; text: string; depth: number }> = [{ path: file, text: root, depth: 0 }];
  while (queue.length > 0) {
    const cur = queue.shift()!;
    for (const ref of includeRefs(cur.path, cur.text)) {
      if (out.has(ref.path)) continue;
      const where = { file: cur.path, line: ref.line };
      if (cur.depth + 1 > lim.maxDepth) throw new LockfileError(`-r ${ref.path}: includes nested deeper than ${lim.maxDepth} files`, where);
      if (out.size + 1 > lim.maxFiles) throw new LockfileError(`-r ${ref.path}: more than ${lim.maxFiles} requirements files included`, where);
      const text = await read(ref.path).catch((e: unknown) => {
        throw e instanceof IncludeRefused ? new LockfileError(`-r ${ref.path}: ${e.message}`, where) : e;
      });
      if (text === null) throw new LockfileError(`included file ${ref.path} not found`, where);
      bytes += text.length;
      if (bytes > lim.maxBytes) throw new LockfileError(`-r ${ref.path}: included files larger than ${lim.maxBytes} bytes in all`, where);
      out.set(ref.path, text);
      queue.push({ path: ref.path, text, depth: cur.depth + 1 });
    }
  }
  return out;
}

/**
 * The files a requirements file whose text the caller already has includes with `-r`, transitively
 * (read through `read`, as {@link loadRequirementFiles} does), without the file itself: what
 * `parseLockfile`'s `includes` option takes. Undefined when the file includes nothing (no read).
 */
export async function loadIncludedFiles(
  file: string,
  text: string,
  read: (path: string) => Promise<string | null>,
  limits: IncludeLimits = {},
): Promise<Map<string, string> | undefined> {
  if (requirementIncludes(file, text).length === 0) return undefined;
  const files = await loadRequirementFiles(file, (p) => (p === file ? Promise.resolve(text) : read(p)), limits);
  files.delete(file);
  return files;
}

// ---------------------------------------------------------------------------------------------
// Parsing

const NO_FLAGS: PackageFlags = { dev: false, optional: false, devOptional: false, peer: false, hasInstallScript: false, bundled: false };

interface State {
  root: string;
  includes: ReadonlyMap<string, string> | undefined;
  limits: Required<IncludeLimits>;
  packages: LockPackage[];
  /** name → its copies */
  byName: Map<string, LockPackage[]>;
  /** package → its `# via` items */
  via: Map<LockPackage, string[]>;
  unreviewed: UnreviewedRequirement[];
  /** files parsed (each once) */
  done: Set<string>;
  bytes: number;
}

function addPackage(st: State, r: Extract<Requirement, { kind: 'package' }>, file: string, line: number, extraHashes: LockHash[]): LockPackage {
  const hashes = uniqueHashes([...r.hashes, ...extraHashes]);
  const copies = st.byName.get(r.name);
  const same = copies?.find((p) => p.version === r.version && p.source.type === r.source.type && p.source.url === r.source.url);
  if (same !== undefined) {
    // The same pin again (another file, or a line per marker): one package, every hash allowed kept.
    const all = uniqueHashes([...(same.hashes ?? []), ...hashes]);
    if (all.length > 0) {
      same.hashes = all;
      same.integrity = hashesIntegrity(all);
    }
    return same;
  }
  const pkg: LockPackage = {
    id: copies === undefined ? r.name : `${r.name}#${copies.length + 1}`,
    name: r.name,
    version: r.version,
    source: r.source,
    flags: { ...NO_FLAGS },
    line,
    deps: [],
  };
  if (hashes.length > 0) {
    pkg.hashes = hashes;
    pkg.integrity = hashesIntegrity(hashes);
  }
  if (file !== st.root) pkg.file = file;
  if (copies === undefined) st.byName.set(r.name, [pkg]);
  else copies.push(pkg);
  checkPackageCount(file, st.packages.length + 1, pkg.line);
  st.packages.push(pkg);
  return pkg;
}

const VIA_ONE_RE = /^\s*via\s+(\S.*)$/;
const VIA_BLOCK_RE = /^\s*via\s*$/;
const VIA_ITEM_RE = /^\s{2,}(\S.*)$/;

function parseFile(st: State, file: string, text: string, stack: string[]): void {
  st.done.add(file);
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  /** The last requirement read in this file (a `# via` comment below it is about it). */
  let last: LockPackage | undefined;
  let inViaBlock = false;
  const addVia = (items: string[]): void => {
    if (last === undefined) return;
    let list = st.via.get(last);
    if (list === undefined) st.via.set(last, (list = []));
    for (const it of items) if (it.trim() !== '') list.push(it.trim());
  };
  for (const l of logicalLines(file, text, start)) {
    const fail = (m: string): never => {
      throw new LockfileError(m, { file, line: l.line });
    };
    if (l.text === '') {
      // a comment line: pip-compile / uv `# via` annotations of the requirement above
      const c = l.comment ?? '';
      const item = inViaBlock ? VIA_ITEM_RE.exec(c) : null;
      if (item) {
        addVia([item[1]!]);
        continue;
      }
      inViaBlock = false;
      const one = VIA_ONE_RE.exec(c);
      if (one) addVia(one[1]!.split(','));
      else if (VIA_BLOCK_RE.test(c)) inViaBlock = true;
      else last = undefined;
      continue;
    }
    inViaBlock = false;
    last = undefined;
    const [args, optText] = breakArgsOptions(l.text);
    const o = optText === '' ? undefined : parseOptions(optText, fail);
    let req: Requirement | undefined;
    if (args !== '') req = parseRequirement(args, fail);
    else if (o !== undefined && o.editables.length > 0) req = parseEditable(o.editables[0]!, fail);
    else if (o !== undefined && o.requirements.length > 0) {
      include(st, file, o.requirements[0]!, l.line, stack);
      continue;
    }
    if (req === undefined) continue; // an option line (index URLs, -c constraints, …): nothing installed
    if (req.kind === 'unpinned') {
      const u: UnreviewedRequirement = { name: req.name, line: l.line, reason: req.reason };
      if (file !== st.root) u.file = file;
      st.unreviewed.push(u);
      continue;
    }
    last = addPackage(st, req, file, l.line, o?.hashes ?? []);
    if (l.comment !== undefined) {
      const one = VIA_ONE_RE.exec(l.comment);
      if (one) addVia(one[1]!.split(','));
    }
  }
}

function include(st: State, file: string, ref: string, line: number, stack: string[]): void {
  const path = resolveInclude(file, ref, line);
  const where = { file, line };
  if (stack.includes(path)) throw new LockfileError(`-r ${path}: include cycle (${[...stack, path].join(' → ')})`, where);
  if (st.done.has(path)) return; // already read through another include: its packages are in
  if (st.includes === undefined) {
    const u: UnreviewedRequirement = { name: `-r ${path}`, line, reason: 'included file not read' };
    if (file !== st.root) u.file = file;
    st.unreviewed.push(u);
    return;
  }
  const text = st.includes.get(path);
  if (text === undefined) throw new LockfileError(`included file ${path} was not read`, where);
  if (stack.length + 1 > st.limits.maxDepth) throw new LockfileError(`-r ${path}: includes nested deeper than ${st.limits.maxDepth} files`, where);
  if (st.done.size + 1 > st.limits.maxFiles) throw new LockfileError(`-r ${path}: more than ${st.limits.maxFiles} requirements files included`, where);
  st.bytes += text.length;
  if (st.bytes > st.limits.maxBytes) throw new LockfileError(`-r ${path}: included files larger than ${st.limits.maxBytes} bytes in all`, where);
  parseFile(st, path, text, [...stack, path]);
}

/** Edges and the root's direct dependencies from the `# via` annotations (see the module comment). */
function buildGraph(st: State): string[] {
  const direct: string[] = [];
  for (const p of st.packages) {
    const items = st.via.get(p);
    if (items === undefined || items.length === 0) {
      direct.push(p.id);
      continue;
    }
    let isDirect = false;
    let attached = false;
    for (const it of items) {
      if (it.startsWith('-') || /\([^()]*\)$/.test(it)) {
        isDirect = true;
        continue;
      }
      const m = NAME_START_RE.exec(it);
      const parents = m ? st.byName.get(normalizePythonName(m[0])) : undefined;
      if (parents === undefined) continue;
      for (const parent of parents) {
        if (parent === p) continue;
        if (!parent.deps.includes(p.id)) parent.deps.push(p.id);
        attached = true;
      }
    }
    if (isDirect || !attached) direct.push(p.id);
  }
  return direct;
}

/**
 * Parses a requirements file (`text` from `start`, after any BOM) and, through `opts.includes`,
 * the files it includes. Throws a {@link LockfileError} naming the file and line of anything pip
 * would refuse (unknown options, invalid requirements or hashes, unclosed quotes) and of hostile
 * input (over-long lines, include cycles, too many or too deep includes).
 */
export function parseRequirements(file: string, text: string, start: number, opts: RequirementsParseOptions = {}): Lockfile {
  const st: State = {
    root: file,
    includes: opts.includes,
    limits: { ...DEFAULT_INCLUDE_LIMITS, ...opts.limits },
    packages: [],
    byName: new Map(),
    via: new Map(),
    unreviewed: [],
    done: new Set(),
    bytes: text.length,
  };
  parseFile(st, file, start === 0 ? text : text.slice(start), [file]);
  const direct = buildGraph(st);
  return {
    ecosystem: 'pypi',
    format: 'requirements',
    file,
    importers: [{ path: '', line: 1, deps: direct }],
    packages: st.packages,
    unreviewed: st.unreviewed,
  };
}
