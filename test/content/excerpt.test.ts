/** Excerpts: at most 15 lines, long lines cut with their length, invisible characters shown. */
import { cutLine, hunkExcerpt, MAX_EXCERPT_LINES, visible } from '../../src/content/excerpt.js';
import { addedLines } from '../../src/content/lines.js';

describe('excerpts', () => {
  it('a hunk around the first added line stays within 15 lines and marks additions', () => {
    const before = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const lines = before.split('\n');
    lines.splice(50, 0, ...Array.from({ length: 40 }, (_, i) => `evil ${i}`));
    const after = lines.join('\n');
    const hunk = hunkExcerpt(after, addedLines(before, after), 51);
    const body = hunk.split('\n').slice(1);
    expect(body.length).toBeLessThanOrEqual(MAX_EXCERPT_LINES);
    expect(hunk.split('\n')[0]).toMatch(/^@@ -48,\d+ \+48,\d+ @@$/);
    expect(body).toContain('+evil 0');
    expect(body).toContain(' line 49');
  });

  it('a long line shows its first 200 characters and its length', () => {
    const cut = cutLine('a'.repeat(5000));
    expect(cut).toBe(`${'a'.repeat(200)}… (5000 chars)`);
  });

  it('a hit deep in a long line is shown from just before the hit', () => {
    const line = `${'a'.repeat(10_000)}EVIL${'b'.repeat(10_000)}`;
    expect(cutLine(line, 10_000)).toMatch(/^…a{40}EVILb+… \(20004 chars\)$/);
  });

  it('control and bidi characters are made visible, the rest stays raw', () => {
    expect(visible('a\u0000b\u202ec\u2066d<!-- `')).toBe('a\\u{0}b\\u{202e}c\\u{2066}d<!-- `');
  });
});

describe('excerpts of added files and install payloads', () => {
  it('an added file is all additions from an empty old side, with no stray context line after it', () => {
    const text = "const a = 1;\nconst b = require('child_process');\n";
    expect(hunkExcerpt(text, addedLines(undefined, text), 1)).toBe("@@ -0,0 +1,2 @@\n+const a = 1;\n+const b = require('child_process');");
    expect(hunkExcerpt('x\ny', addedLines(undefined, 'x\ny'), 1)).toBe('@@ -0,0 +1,2 @@\n+x\n+y');
  });

  it('lines appended at the end show no trailing blank context either', () => {
    const before = 'a\nb\n';
    const after = 'a\nb\nevil()\n';
    expect(hunkExcerpt(after, addedLines(before, after), 3)).toBe('@@ -1,2 +1,3 @@\n a\n b\n+evil()');
  });
});
