/**
 * `lockwarden review <base-lockfile> <head-lockfile>`: two lockfiles on disk, one change. The current
 * directory is the repository: `-r` includes are read from it and may not leave it.
 */
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';
import type { LockfileInput } from '../core/review.js';
import { IncludeRefused, isRequirementsPath, loadIncludedFiles } from '../lockfiles/formats/requirements/index.js';
import { isWithin } from '../registry/config-shared.js';
import type { ChangeSet } from './change-set.js';

async function readInput(file: string, cwd: string, what: string): Promise<Uint8Array | null> {
  const p = path.resolve(cwd, file);
  try {
    const buf = await readFile(p);
    return buf.length === 0 ? null : buf;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${what}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`, { file });
  }
}

/**
 * Reads an include (a cwd-relative path) from disk, refusing one whose real path, symbolic links
 * resolved, is outside the repository (the current directory): a checkout's link must not pull a
 * runner's files into the report. The file read is the resolved one, so the check holds for what is read.
 */
function includeReader(cwd: string): (p: string) => Promise<string | null> {
  let root: Promise<string> | undefined;
  return async (p) => {
    let real: string;
    try {
      real = await realpath(path.resolve(cwd, p));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return null;
      throw new InputError(`cannot read ${p}: ${code ?? 'error'}`, { file: p });
    }
    if (!isWithin(await (root ??= realpath(cwd)), real)) throw new IncludeRefused('a symbolic link leads outside the repository: not read');
    try {
      return await readFile(real, 'utf8');
    } catch (e) {
      throw new InputError(`cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { file: p });
    }
  };
}

/**
 * A requirements file's `-r` includes, read from disk relative to the file. The repository is the
 * current directory: an include that leaves it, by its path or through a symbolic link, is refused
 * (as the App refuses one leaving the repository). The file itself may be anywhere: the user chose it.
 */
async function includesOf(file: string, content: Uint8Array | null, cwd: string): Promise<{ file: string; includes: Map<string, string> } | undefined> {
  if (content === null || !isRequirementsPath(file)) return undefined;
  const rel = path.relative(cwd, path.resolve(cwd, file)).split(path.sep).join('/');
  if (rel.startsWith('../') || path.isAbsolute(rel)) return undefined; // outside the directory: no includes allowed
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return undefined; // the parser reports the invalid UTF-8 with its line
  }
  const includes = await loadIncludedFiles(rel, text, includeReader(cwd));
  // keyed by the cwd-relative paths the parser resolves includes to (from `rel`); the file itself is parsed from `content`
  if (!includes) return undefined;
  return { file: rel, includes };
}

export async function changeSetFromFiles(baseFile: string, headFile: string, cwd: string): Promise<ChangeSet> {
  const [base, head] = await Promise.all([readInput(baseFile, cwd, 'base lockfile'), readInput(headFile, cwd, 'head lockfile')]);
  if (head === null) throw new InputError('head lockfile is empty', { file: headFile });
  const [baseIncludes, headIncludes] = await Promise.all([includesOf(baseFile, base, cwd), includesOf(headFile, head, cwd)]);
  // The head file's name is what reports show; a parse error names the side's own file.
  const input: LockfileInput = { file: headIncludes?.file ?? headFile, baseFile: baseIncludes?.file ?? baseFile, base, head };
  if (baseIncludes) input.baseIncludes = baseIncludes.includes;
  if (headIncludes) input.headIncludes = headIncludes.includes;
  return { lockfiles: [input], guardRailFiles: [], notReviewed: [] };
}
