/**
 * The git object model behind the fake GitHub API: blobs, trees and commits with real git object ids
 * (sha1 of `blob <size>\0<content>`, of tree objects with nested directories, of commit objects), so
 * blob shas match what git and GitHub would compute for the same content.
 *
 * Also: tree diffs (added / removed / modified / exact renames, with line counts), merge bases, and
 * ancestor walks for comparisons.
 */
import { createHash } from 'node:crypto';

export const BLOB_MODE = '100644';
/** Git writes `40000` inside tree objects; the REST API shows `040000`. */
export const TREE_MODE = '040000';

export interface TreeEntry {
  name: string;
  type: 'blob' | 'tree';
  sha: string;
}

export interface GitCommit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  /** Seconds since the epoch (deterministic: a fixed origin plus one minute per generation). */
  date: number;
  /** Longest path to a root commit (roots have 1). */
  generation: number;
}

export interface FlatEntry {
  path: string;
  type: 'blob' | 'tree';
  sha: string;
  /** Blobs only. */
  size?: number;
}

export interface FileChange {
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed';
  /** The blob sha on the head side (the base side for a removed file). */
  sha: string;
  previous_filename?: string;
  additions: number;
  deletions: number;
  changes: number;
}

const COMMIT_EPOCH = 1_704_067_200; // 2024-01-01T00:00:00Z
const AUTHOR = 'Lockwarden Fake <fake@lockwarden.invalid>';

function gitHash(type: string, body: Buffer): string {
  return createHash('sha1').update(`${type} ${body.length}\0`).update(body).digest('hex');
}

interface Dir {
  entries: Map<string, Dir | string /* blob sha */>;
}

/** Rejects what git would not store: absolute paths, empty, `.` and `..` segments, NUL. */
export function checkRepoPath(path: string): string[] {
  const segs = path.split('/');
  if (path === '' || segs.some((s) => s === '' || s === '.' || s === '..' || s.includes('\0'))) {
    throw new Error(`fake GitHub: invalid file path ${JSON.stringify(path)} (relative, no empty, "." or ".." segments)`);
  }
  return segs;
}

export class GitStore {
  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, TreeEntry[]>();
  readonly commits = new Map<string, GitCommit>();
  private readonly flat = new Map<string, Map<string, FlatEntry>>();

  putBlob(content: Buffer): string {
    const sha = gitHash('blob', content);
    if (!this.blobs.has(sha)) this.blobs.set(sha, content);
    return sha;
  }

  /** Stores every file and the trees above them; returns the root tree's sha. */
  putFiles(files: Iterable<[string, Buffer]>): string {
    const root: Dir = { entries: new Map() };
    for (const [path, content] of files) {
      const segs = checkRepoPath(path);
      let dir = root;
      for (let i = 0; i < segs.length - 1; i++) {
        const name = segs[i] as string;
        const next = dir.entries.get(name);
        if (typeof next === 'string') throw new Error(`fake GitHub: ${path}: ${segs.slice(0, i + 1).join('/')} is a file`);
        if (next) dir = next;
        else {
          const made: Dir = { entries: new Map() };
          dir.entries.set(name, made);
          dir = made;
        }
      }
      const leaf = segs[segs.length - 1] as string;
      if (typeof dir.entries.get(leaf) === 'object') throw new Error(`fake GitHub: ${path} is a directory`);
      dir.entries.set(leaf, this.putBlob(content));
    }
    return this.writeTree(root);
  }

  private writeTree(dir: Dir): string {
    const entries: TreeEntry[] = [];
    for (const [name, v] of dir.entries) {
      entries.push(typeof v === 'string' ? { name, type: 'blob', sha: v } : { name, type: 'tree', sha: this.writeTree(v) });
    }
    // git's order: byte order, a directory compared as if its name ended with '/'
    const key = (e: TreeEntry) => Buffer.from(e.type === 'tree' ? `${e.name}/` : e.name);
    entries.sort((a, b) => Buffer.compare(key(a), key(b)));
    const parts: Buffer[] = [];
    for (const e of entries) {
      parts.push(Buffer.from(`${e.type === 'tree' ? '40000' : BLOB_MODE} ${e.name}\0`), Buffer.from(e.sha, 'hex'));
    }
    const sha = gitHash('tree', Buffer.concat(parts));
    if (!this.trees.has(sha)) this.trees.set(sha, entries);
    return sha;
  }

  putCommit(tree: string, parents: string[], message: string): string {
    if (!this.trees.has(tree)) throw new Error(`fake GitHub: unknown tree ${tree}`);
    let generation = 1;
    for (const p of parents) {
      const pc = this.commits.get(p);
      if (!pc) throw new Error(`fake GitHub: unknown parent commit ${p}`);
      generation = Math.max(generation, pc.generation + 1);
    }
    const date = COMMIT_EPOCH + 60 * generation;
    const text =
      `tree ${tree}\n` + parents.map((p) => `parent ${p}\n`).join('') + `author ${AUTHOR} ${date} +0000\ncommitter ${AUTHOR} ${date} +0000\n\n${message}\n`;
    const sha = gitHash('commit', Buffer.from(text));
    if (!this.commits.has(sha)) this.commits.set(sha, { sha, tree, parents: [...parents], message, date, generation });
    return sha;
  }

  /** Every entry under a tree, depth first in git's order, keyed by path (directories included). */
  flatten(treeSha: string): Map<string, FlatEntry> {
    let out = this.flat.get(treeSha);
    if (out) return out;
    out = new Map();
    const walk = (sha: string, prefix: string) => {
      for (const e of this.trees.get(sha) ?? []) {
        const path = prefix + e.name;
        if (e.type === 'tree') {
          out!.set(path, { path, type: 'tree', sha: e.sha });
          walk(e.sha, `${path}/`);
        } else {
          out!.set(path, { path, type: 'blob', sha: e.sha, size: this.blobs.get(e.sha)?.length ?? 0 });
        }
      }
    };
    walk(treeSha, '');
    this.flat.set(treeSha, out);
    return out;
  }

  /** The entry at `path` in a tree (`''` is the tree itself). */
  lookup(treeSha: string, path: string): FlatEntry | undefined {
    if (path === '') return this.trees.has(treeSha) ? { path: '', type: 'tree', sha: treeSha } : undefined;
    return this.flatten(treeSha).get(path);
  }

  /** All ancestors of a commit, itself included. */
  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length > 0) {
      const s = stack.pop() as string;
      if (seen.has(s)) continue;
      seen.add(s);
      for (const p of this.commits.get(s)?.parents ?? []) stack.push(p);
    }
    return seen;
  }

  /** A best common ancestor: of the commits reachable from both, one with the highest generation. */
  mergeBase(a: string, b: string): string | undefined {
    const fromA = this.ancestors(a);
    let best: GitCommit | undefined;
    for (const s of this.ancestors(b)) {
      if (!fromA.has(s)) continue;
      const c = this.commits.get(s);
      if (c && (!best || c.generation > best.generation || (c.generation === best.generation && c.sha < best.sha))) best = c;
    }
    return best?.sha;
  }

  /** Commits reachable from `head` but not from `base`, oldest first. */
  commitsBetween(base: string, head: string): GitCommit[] {
    const exclude = this.ancestors(base);
    const out: GitCommit[] = [];
    for (const s of this.ancestors(head)) {
      const c = this.commits.get(s);
      if (c && !exclude.has(s)) out.push(c);
    }
    return out.sort((x, y) => x.generation - y.generation || (x.sha < y.sha ? -1 : 1));
  }

  /** The files that differ between two trees, sorted by name; exact renames are paired. */
  diffTrees(baseTree: string, headTree: string): FileChange[] {
    const base = blobsOf(this.flatten(baseTree));
    const head = blobsOf(this.flatten(headTree));
    const removed = new Map<string, string[]>(); // blob sha → removed paths
    const out: FileChange[] = [];
    for (const [path, sha] of base) {
      if (head.has(path)) continue;
      let list = removed.get(sha);
      if (!list) removed.set(sha, (list = []));
      list.push(path);
    }
    const added: [string, string][] = [];
    for (const [path, sha] of head) {
      const before = base.get(path);
      if (before === undefined) added.push([path, sha]);
      else if (before !== sha) out.push(this.change(path, 'modified', before, sha));
    }
    for (const [path, sha] of added) {
      const from = removed.get(sha)?.shift();
      if (from !== undefined) out.push({ filename: path, status: 'renamed', sha, previous_filename: from, additions: 0, deletions: 0, changes: 0 });
      else out.push(this.change(path, 'added', undefined, sha));
    }
    for (const [sha, paths] of removed) for (const path of paths) out.push(this.change(path, 'removed', sha, undefined));
    return out.sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
  }

  private change(filename: string, status: FileChange['status'], before: string | undefined, after: string | undefined): FileChange {
    const a = before === undefined ? Buffer.alloc(0) : (this.blobs.get(before) ?? Buffer.alloc(0));
    const b = after === undefined ? Buffer.alloc(0) : (this.blobs.get(after) ?? Buffer.alloc(0));
    const { additions, deletions } = countLineChanges(a, b);
    return { filename, status, sha: (after ?? before) as string, additions, deletions, changes: additions + deletions };
  }
}

function blobsOf(flat: Map<string, FlatEntry>): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of flat.values()) if (e.type === 'blob') out.set(e.path, e.sha);
  return out;
}

/** Like git: a NUL byte in the first 8000 bytes makes a file binary. */
export function isBinary(b: Buffer): boolean {
  return b.subarray(0, 8000).includes(0);
}

/** Lines of a file; a last line without its newline differs from the same line with one (as in a diff). */
function splitLines(b: Buffer): string[] {
  if (b.length === 0) return [];
  const lines = b.toString('utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += '\n\\ No newline at end of file';
  return lines;
}

/**
 * Added and deleted lines between two file versions, as in a unified diff (binary files count 0,
 * like GitHub). Myers' O(ND) algorithm on the part between the common prefix and suffix; when the
 * edit distance is too large for that to be cheap, a multiset count of lines (a close lower bound).
 */
export function countLineChanges(a: Buffer, b: Buffer): { additions: number; deletions: number } {
  if (a.equals(b) || isBinary(a) || isBinary(b)) return { additions: 0, deletions: 0 };
  const ids = new Map<string, number>();
  const toIds = (lines: string[]) =>
    Int32Array.from(lines, (l) => {
      let id = ids.get(l);
      if (id === undefined) ids.set(l, (id = ids.size));
      return id;
    });
  let x = toIds(splitLines(a));
  let y = toIds(splitLines(b));
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let endX = x.length;
  let endY = y.length;
  while (endX > start && endY > start && x[endX - 1] === y[endY - 1]) {
    endX--;
    endY--;
  }
  x = x.subarray(start, endX);
  y = y.subarray(start, endY);
  const n = x.length;
  const m = y.length;
  if (n === 0 || m === 0) return { additions: m, deletions: n };
  const maxD = Math.min(n + m, Math.max(64, Math.floor(40_000_000 / (n + m))));
  const d = myersDistance(x, y, maxD);
  if (d !== undefined) return { additions: (d + m - n) / 2, deletions: (d - m + n) / 2 };
  const counts = new Map<number, number>();
  for (const v of x) counts.set(v, (counts.get(v) ?? 0) + 1);
  let common = 0;
  for (const v of y) {
    const c = counts.get(v) ?? 0;
    if (c > 0) {
      common++;
      counts.set(v, c - 1);
    }
  }
  return { additions: m - common, deletions: n - common };
}

/** The length of the shortest edit script (insertions + deletions), or undefined beyond maxD. */
function myersDistance(x: Int32Array, y: Int32Array, maxD: number): number | undefined {
  const n = x.length;
  const m = y.length;
  const offset = maxD + 1;
  const v = new Int32Array(2 * maxD + 3);
  for (let d = 0; d <= maxD; d++) {
    for (let k = -d; k <= d; k += 2) {
      let px: number;
      if (k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))) px = v[offset + k + 1] as number;
      else px = (v[offset + k - 1] as number) + 1;
      let py = px - k;
      while (px < n && py < m && x[px] === y[py]) {
        px++;
        py++;
      }
      v[offset + k] = px;
      if (px >= n && py >= m) return d;
    }
  }
  return undefined;
}
