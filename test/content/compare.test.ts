/** The file-level comparison and the files-changed summary. */
import { compareContents, filesChangedSummary } from '../../src/content/compare.js';
import { analyseContents } from '../../src/content/index.js';
import { archive } from './builders.js';

describe('compareContents', () => {
  const before = archive('p', '1.0.0', { 'a.js': 'a', 'b.js': 'b', 'gone.js': 'x' });
  const after = archive('p', '1.0.1', { 'a.js': 'a', 'b.js': 'bb', 'new.js': 'n' });

  it('lists added, removed and changed files with sizes and texts, not unchanged ones', () => {
    const deltas = compareContents(before, after);
    expect(deltas.map((d) => [d.path, d.status, d.bytesBefore, d.bytesAfter])).toEqual([
      ['b.js', 'changed', 1, 2],
      ['new.js', 'added', 0, 1],
      ['gone.js', 'removed', 1, 0],
    ]);
    expect(deltas[0]).toMatchObject({ textBefore: 'b', textAfter: 'bb' });
  });

  it('summarises counts and bytes', () => {
    const s = filesChangedSummary(before, after, compareContents(before, after));
    expect(s).toMatchObject({ added: 1, removed: 1, changed: 1, unchanged: 1, bytesBefore: 3, bytesAfter: 4, notAnalysed: [] });
  });

  it('everything is added when there is no previous version, and findings stay low', () => {
    const next = archive('p', '1.0.0', { 'index.js': 'require("child_process").execSync(process.env.GITHUB_TOKEN)' });
    const { findings, summary } = analyseContents(null, next);
    expect(summary.added).toBe(1);
    expect(findings.every((f) => f.severity === 'low' || f.severity === 'info')).toBe(true);
  });

  it('text the gatherer did not keep is reported as not analysed, never as clean', () => {
    const next = archive('p', '1.0.1', { 'a.js': 'a' });
    next.files[0]!.truncated = true;
    delete next.files[0]!.text;
    next.files[0]!.sha256 = 'ff';
    next.skipped.push({ path: 'huge.js', reason: 'over the per-archive budget' });
    expect(analyseContents(before, next).summary.notAnalysed).toEqual(['a.js', 'huge.js: over the per-archive budget']);
  });
});
