/**
 * pip requirements files pinned with `==` and `--hash` → {@link Lockfile} (ecosystem `pypi`, format
 * `requirements`); line syntax, sources and the `# via` graph are in docs/FORMATS.md. File options
 * (`--index-url`, `--find-links`, …) are validated and otherwise ignored: nothing a requirements file
 * names is ever fetched or used as configuration. `-r` includes are repository-relative (absolute
 * paths, URLs and paths escaping the repository are refused), read cycle-safe and capped.
 */
import { LockfileError } from '../../../errors.js';
import { checkPackageCount } from '../../shared/limits.js';
import type { LockHash, LockPackage, Lockfile, PackageFlags, UnreviewedRequirement } from '../../../model/index.js';
import { normalizePythonName } from '../../../versions/index.js';
import { hashesIntegrity, uniqueHashes } from '../../shared/python.js';
import { type IncludeLimits, DEFAULT_INCLUDE_LIMITS, resolveInclude } from './includes.js';
import { logicalLines } from './lines.js';
import { breakArgsOptions, parseOptions } from './options.js';
import { NAME_START_RE, parseEditable, parseRequirement, type Requirement } from './requirement.js';

export interface RequirementsParseOptions {
  /**
   * The texts of the files `-r` includes (transitively), by repository-relative path, as
   * {@link loadRequirementFiles} returns them. Without it, an include is listed as unreviewed
   * (`included file not read`); with it, an include missing from the map is an error.
   */
  includes?: ReadonlyMap<string, string> | undefined;
  limits?: IncludeLimits;
}

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
