/**
 * `--base-dir A --head-dir B`: the change between two checkouts. Both trees are walked (bounded, links
 * not followed), files are paired by relative path, and the lockfiles and settings files whose contents
 * differ (added and removed too) are reviewed. `-r` includes are read from the same side's directory.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readFile, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';
import { DEFAULT_MAX_BYTES } from '../lockfiles/index.js';
import { IncludeRefused, isRequirementsPath } from '../lockfiles/formats/requirements/index.js';
import { isWithin } from '../registry/config-shared.js';
import { notReviewedFile, type ChangeSet } from './change-set.js';
import { collectChangeSet } from './collect.js';
import { walkTree, type EntryKind } from './dir-walk.js';
import type { Side, SideRead } from './side.js';

async function rootOf(dir: string, cwd: string, flag: string): Promise<string> {
  try {
    const real = await realpath(path.resolve(cwd, dir));
    if ((await stat(real)).isDirectory()) return real;
  } catch {
    // reported below
  }
  throw new InputError(`${flag} ${dir}: not a directory`);
}

class DirSide implements Side {
  constructor(
    private readonly root: string,
    private readonly entries: ReadonlyMap<string, EntryKind>,
    readonly label: string,
  ) {}

  async read(rel: string, maxBytes: number): Promise<SideRead> {
    const kind = this.entries.get(rel);
    if (kind === undefined) return { kind: 'absent' };
    if (kind === 'link') return { kind: 'refused', reason: 'a symbolic link, not followed' };
    const file = path.join(this.root, rel);
    // the walk saw a regular file here; a folder on its way swapped for a link since is refused too
    if (kind === 'other' || (await realpath(file)) !== file) return { kind: 'refused', reason: 'not a regular file' };
    const size = (await lstat(file)).size;
    if (size > maxBytes) return { kind: 'refused', reason: `file too large (${size} bytes; the limit is ${maxBytes})` };
    return { kind: 'file', bytes: await readFile(file) };
  }

  /** An include: read where its real path, links resolved, stays inside this side's directory. */
  async include(rel: string): Promise<string | null> {
    let real: string;
    try {
      real = await realpath(path.join(this.root, rel));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new IncludeRefused(`cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (!isWithin(this.root, real)) throw new IncludeRefused('a symbolic link leads outside the repository: not read');
    const s = await stat(real);
    if (!s.isFile()) throw new IncludeRefused('not a regular file');
    if (s.size > DEFAULT_MAX_BYTES) throw new IncludeRefused(`file too large (${s.size} bytes; the limit is ${DEFAULT_MAX_BYTES})`);
    return readFile(real, 'utf8');
  }
}

function digest(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (b) => h.update(b))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

/** Is the entry at `rel` the same at both sides (kind, and contents or link target)? */
async function same(rel: string, roots: [string, string], kinds: [EntryKind | undefined, EntryKind | undefined]): Promise<boolean> {
  if (kinds[0] !== kinds[1]) return false;
  const [a, b] = roots.map((r) => path.join(r, rel)) as [string, string];
  if (kinds[0] === 'link') return (await readlink(a)) === (await readlink(b));
  if (kinds[0] === 'other') return true;
  if ((await lstat(a)).size !== (await lstat(b)).size) return false;
  return (await digest(a)) === (await digest(b));
}

export async function changeSetFromDirs(baseDir: string, headDir: string, cwd: string): Promise<ChangeSet> {
  const roots: [string, string] = [await rootOf(baseDir, cwd, '--base-dir'), await rootOf(headDir, cwd, '--head-dir')];
  const [base, head] = [walkTree(roots[0]), walkTree(roots[1])];
  const changed: string[] = [];
  for (const rel of [...new Set([...base.entries.keys(), ...head.entries.keys()])].sort())
    if (!(await same(rel, roots, [base.entries.get(rel), head.entries.get(rel)]))) changed.push(rel);
  const set = await collectChangeSet({
    base: new DirSide(roots[0], base.entries, 'base'),
    head: new DirSide(roots[1], head.entries, 'head'),
    changed,
    requirementsFiles: async () => [...head.entries].filter(([p, k]) => k === 'file' && isRequirementsPath(p)).map(([p]) => p),
    between: `between ${baseDir} and ${headDir}`,
  });
  for (const [w, flag] of [
    [base, '--base-dir'],
    [head, '--head-dir'],
  ] as const)
    for (const p of w.problems)
      set.notReviewed.push(notReviewedFile(`${flag} ${flag === '--base-dir' ? baseDir : headDir}`, `${p}: the change cannot be reviewed whole`));
  return set;
}
