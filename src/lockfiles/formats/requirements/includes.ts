/** `-r` includes: resolved inside the repository, and the transitive set read through a callback (cycle-safe, capped). */
import { LockfileError } from '../../../errors.js';
import { logicalLines } from './lines.js';
import { breakArgsOptions, parseOptions } from './options.js';
import { SCHEME_RE } from './requirement.js';

export interface IncludeLimits {
  /** Most files in one set, the including file counted (default 64). */
  maxFiles?: number;
  /** Deepest include chain (default 16). */
  maxDepth?: number;
  /** Most bytes (UTF-16 units) of all files together (default 64 MiB). */
  maxBytes?: number;
}

export const DEFAULT_INCLUDE_LIMITS: Required<IncludeLimits> = { maxFiles: 64, maxDepth: 16, maxBytes: 64 * 1024 * 1024 };

/** Repository-relative path of `ref` included from `file`; refuses absolute paths, URLs and escapes from the repository. */
export function resolveInclude(file: string, ref: string, line: number): string {
  const where = { file, line };
  const shown = JSON.stringify(ref.slice(0, 200));
  if (ref === '') throw new LockfileError('empty -r path', where);
  // (a drive letter: `C:\x` is `C:x` once shell-split, as pip splits it)
  if (/^[\\/~]/.test(ref) || /^[A-Za-z]:/.test(ref))
    throw new LockfileError(`-r ${shown}: absolute paths are not followed (only files inside the repository)`, where);
  if (SCHEME_RE.test(ref)) throw new LockfileError(`-r ${shown}: URLs are not followed (only files inside the repository)`, where);
  if (ref.includes('${')) throw new LockfileError(`-r ${shown}: environment variables in include paths are not supported`, where);
  const norm = file.replace(/\\/g, '/');
  const absolute = norm.startsWith('/');
  const parts = norm
    .split('/')
    .slice(0, -1)
    .filter((p) => p !== '' && p !== '.');
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
