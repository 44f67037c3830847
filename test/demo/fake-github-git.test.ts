import { countLineChanges, GitStore, isBinary } from '../../test-support/fake-github-git.js';

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The oracle: a unified diff's added/deleted lines are the lines outside a longest common subsequence. */
function lcsCounts(a: string[], b: string[]): { additions: number; deletions: number } {
  const n = a.length;
  const m = b.length;
  const dp: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
    }
  }
  const lcs = dp[0]![0]!;
  return { additions: m - lcs, deletions: n - lcs };
}

const text = (lines: string[]) => Buffer.from(lines.map((l) => `${l}\n`).join(''));

describe('countLineChanges', () => {
  test('agrees with an LCS oracle on 500 random file pairs', () => {
    const next = rng(20240601);
    for (let c = 0; c < 500; c++) {
      const alphabet = 1 + Math.floor(next() * 6);
      const line = () => `line ${Math.floor(next() * alphabet)}`;
      const a = Array.from({ length: Math.floor(next() * 40) }, line);
      // b: a with random edits, or unrelated
      const b =
        next() < 0.2 ? Array.from({ length: Math.floor(next() * 40) }, line) : a.flatMap((l) => (next() < 0.15 ? [] : next() < 0.15 ? [l, line()] : [l]));
      expect({ c, ...countLineChanges(text(a), text(b)) }).toEqual({ c, ...lcsCounts(a, b) });
    }
  });

  test('one changed line in a 20000-line file; appended and removed lines', () => {
    const a = Array.from({ length: 20000 }, (_, i) => `"node_modules/p${i}": "1.0.${i}",`);
    const b = [...a];
    b[12345] = '"node_modules/p12345": "9.9.9",';
    expect(countLineChanges(text(a), text(b))).toEqual({ additions: 1, deletions: 1 });
    expect(countLineChanges(text(a), text([...a, 'x', 'y']))).toEqual({ additions: 2, deletions: 0 });
    expect(countLineChanges(text(a), text(a.slice(100)))).toEqual({ additions: 0, deletions: 100 });
    expect(countLineChanges(Buffer.alloc(0), text(['a', 'b']))).toEqual({ additions: 2, deletions: 0 });
  });

  test('a missing newline at the end changes the last line, as in a diff', () => {
    expect(countLineChanges(Buffer.from('a\nb'), Buffer.from('a\nb\n'))).toEqual({ additions: 1, deletions: 1 });
    expect(countLineChanges(Buffer.from('a\nb'), Buffer.from('a\nb'))).toEqual({ additions: 0, deletions: 0 });
  });

  test('huge rewrites fall back to a line multiset count (exact for disjoint contents)', () => {
    const a = Array.from({ length: 400_000 }, (_, i) => `old ${i}`);
    const b = Array.from({ length: 400_000 }, (_, i) => `new ${i}`);
    const started = performance.now();
    expect(countLineChanges(text(a), text(b))).toEqual({ additions: 400_000, deletions: 400_000 });
    expect(performance.now() - started).toBeLessThan(5000);
  });

  test('binary files (a NUL byte in the first 8000 bytes) count nothing', () => {
    const bin = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x0a]);
    expect(isBinary(bin)).toBe(true);
    expect(isBinary(Buffer.from('text\n'))).toBe(false);
    expect(countLineChanges(bin, Buffer.from('a\nb\n'))).toEqual({ additions: 0, deletions: 0 });
  });
});

describe('GitStore', () => {
  test("tree ids follow git's entry order (a directory sorts as name + '/')", () => {
    const store = new GitStore();
    const tree = store.putFiles([
      ['a0', Buffer.from('4')],
      ['a/x', Buffer.from('2')],
      ['a.b', Buffer.from('1')],
      ['a-b', Buffer.from('3')],
    ]);
    // `git write-tree` for the same files
    expect(tree).toBe('931978cc8a94c3ab8a3dc5aa5c7b71a0f6f5a1fe');
    expect([...store.flatten(tree).keys()]).toEqual(['a-b', 'a.b', 'a', 'a/x', 'a0']);
    expect(store.lookup(tree, 'a')).toMatchObject({ type: 'tree', sha: '3faedcc988f608b8e4dcfd86f7841f043289f32d' });
    expect(store.lookup(tree, 'a/x')).toMatchObject({ type: 'blob', size: 1 });
    expect(store.lookup(tree, 'a/y')).toBeUndefined();
  });

  test('merge base, commits between, in history order', () => {
    const store = new GitStore();
    const t = (s: string) => store.putFiles([['f', Buffer.from(s)]]);
    const root = store.putCommit(t('0'), [], 'root');
    const left = store.putCommit(t('1'), [root], 'left');
    const right1 = store.putCommit(t('2'), [root], 'right 1');
    const right2 = store.putCommit(t('3'), [right1], 'right 2');
    const merge = store.putCommit(t('4'), [left, right2], 'merge');
    expect(store.mergeBase(left, right2)).toBe(root);
    expect(store.mergeBase(merge, right2)).toBe(right2);
    expect(store.mergeBase(left, left)).toBe(left);
    expect(store.commitsBetween(left, merge).map((c) => c.message)).toEqual(['right 1', 'right 2', 'merge']);
    expect(store.commitsBetween(merge, left)).toEqual([]);
    const unrelated = store.putCommit(t('5'), [], 'other root');
    expect(store.mergeBase(unrelated, merge)).toBeUndefined();
    expect(() => store.putCommit(t('6'), ['0'.repeat(40)], 'x')).toThrow(/unknown parent/);
  });

  test('tree diff: modified, added, removed, exact renames paired once per copy', () => {
    const store = new GitStore();
    const files = (o: Record<string, string>) => store.putFiles(Object.entries(o).map(([k, v]) => [k, Buffer.from(v)]));
    const base = files({ 'a.txt': 'same\n', 'b.txt': 'same\n', 'keep.txt': 'k\n', 'mod.txt': '1\n2\n' });
    const head = files({ 'c.txt': 'same\n', 'keep.txt': 'k\n', 'mod.txt': '1\n3\n4\n', 'new.txt': 'n\n' });
    expect(store.diffTrees(base, head)).toEqual([
      { filename: 'b.txt', status: 'removed', sha: expect.any(String), additions: 0, deletions: 1, changes: 1 },
      { filename: 'c.txt', status: 'renamed', previous_filename: 'a.txt', sha: expect.any(String), additions: 0, deletions: 0, changes: 0 },
      { filename: 'mod.txt', status: 'modified', sha: expect.any(String), additions: 2, deletions: 1, changes: 3 },
      { filename: 'new.txt', status: 'added', sha: expect.any(String), additions: 1, deletions: 0, changes: 1 },
    ]);
    expect(store.diffTrees(base, base)).toEqual([]);
  });
});
