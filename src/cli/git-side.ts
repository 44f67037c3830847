/**
 * One commit of the --git form as a {@link Side}: a path is found by walking the commit's trees, so a
 * symbolic link (a blob of mode 120000) is never followed, neither as the file nor as a folder on its
 * way, and a submodule (mode 160000) is skipped. Blobs over the size cap are refused unread.
 */
import { DEFAULT_MAX_BYTES } from '../lockfiles/index.js';
import { IncludeRefused } from '../lockfiles/formats/requirements/index.js';
import type { GitObjects } from './git-objects.js';
import type { Side, SideRead } from './side.js';

interface TreeEntry {
  mode: string;
  oid: string;
}

const LINK = 'a symbolic link, not followed';

/** A raw tree object's entries by name (`<mode> <name>\0<hash>` each; the hash is 20 or 32 bytes). */
function parseTree(data: Buffer, hashBytes: number): Map<string, TreeEntry> {
  const out = new Map<string, TreeEntry>();
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(32, i);
    const nul = data.indexOf(0, space);
    if (space < 0 || nul < 0 || nul + 1 + hashBytes > data.length) throw new Error('git: malformed tree object');
    out.set(data.subarray(space + 1, nul).toString('utf8'), {
      mode: data.subarray(i, space).toString('latin1'),
      oid: data.subarray(nul + 1, nul + 1 + hashBytes).toString('hex'),
    });
    i = nul + 1 + hashBytes;
  }
  return out;
}

export class GitCommitSide implements Side {
  private readonly trees = new Map<string, Map<string, TreeEntry>>();
  private root: Map<string, TreeEntry> | undefined;

  constructor(
    private readonly objects: GitObjects,
    private readonly commit: string,
    readonly label: string,
  ) {}

  private async tree(oid: string): Promise<Map<string, TreeEntry>> {
    let t = this.trees.get(oid);
    if (t === undefined) {
      const obj = await this.objects.read(oid);
      if (obj === null || obj.type !== 'tree') throw new Error(`git: tree ${oid.slice(0, 12)} cannot be read`);
      t = parseTree(obj.data, this.commit.length / 2);
      this.trees.set(oid, t);
    }
    return t;
  }

  private async rootTree(): Promise<Map<string, TreeEntry>> {
    const root = await this.objects.read(`${this.commit}^{tree}`);
    if (root === null || root.type !== 'tree') throw new Error(`git: the tree of ${this.commit.slice(0, 12)} cannot be read`);
    return parseTree(root.data, this.commit.length / 2);
  }

  /** The entry at `path`, null when there is none, or a refusal when a folder on the way is a link. */
  private async entry(path: string): Promise<TreeEntry | null | { refused: string }> {
    const parts = path.split('/');
    if (parts.some((p) => p === '' || p === '.' || p === '..')) return null;
    let tree = (this.root ??= await this.rootTree());
    for (const part of parts.slice(0, -1)) {
      const e = tree.get(part);
      if (e === undefined) return null;
      if (e.mode === '120000') return { refused: `${part} is ${LINK}` };
      if (e.mode !== '40000') return null; // a file or a submodule: nothing below it in this repository
      tree = await this.tree(e.oid);
    }
    return tree.get(parts[parts.length - 1]!) ?? null;
  }

  async read(path: string, maxBytes: number): Promise<SideRead> {
    const e = await this.entry(path);
    // a submodule or a folder is no file at this path
    if (e === null || ('mode' in e && (e.mode === '160000' || e.mode === '40000'))) return { kind: 'absent' };
    if ('refused' in e) return { kind: 'refused', reason: e.refused };
    if (e.mode === '120000') return { kind: 'refused', reason: LINK };
    if (e.mode !== '100644' && e.mode !== '100755') return { kind: 'refused', reason: 'not a regular file' };
    const info = await this.objects.info(e.oid);
    if (info === null) return { kind: 'refused', reason: 'its blob is missing from the repository' };
    if (info.size > maxBytes) return { kind: 'refused', reason: `file too large (${info.size} bytes; the limit is ${maxBytes})` };
    const blob = await this.objects.read(e.oid);
    if (blob === null || blob.type !== 'blob') return { kind: 'refused', reason: 'its blob is missing from the repository' };
    return { kind: 'file', bytes: blob.data };
  }

  async include(path: string): Promise<string | null> {
    const r = await this.read(path, DEFAULT_MAX_BYTES);
    if (r.kind === 'absent') return null;
    if (r.kind === 'refused') throw new IncludeRefused(`${r.reason} (${this.label})`);
    return Buffer.from(r.bytes).toString('utf8');
  }
}
