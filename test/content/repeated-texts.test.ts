/**
 * An unchanged file's text is kept once (src/content/repeated-texts.ts): the new side drops what the
 * compared side holds, the analysis takes it back, and finds exactly what it finds on full archives.
 */
import { analyseContents, withoutRepeatedTexts } from '../../src/content/index.js';
import { attackCases } from '../../test-support/eval/attack-cases.js';
import { heldOutCases } from '../../test-support/eval/held-out-cases.js';
import { archive, manifest } from './builders.js';

const withManifest = (name: string, version: string, files: Record<string, string>, shared: Record<string, unknown>) =>
  archive(name, version, { 'package.json': manifest(name, version, shared), ...files });

describe('texts kept once', () => {
  const before = archive('p', '1.0.0', { 'package.json': '{"name":"p"}', 'a.js': 'same();\n', 'b.js': 'old();\n', 'cut.js': 'x' });
  const after = archive('p', '1.0.1', { 'package.json': '{"name":"p"}', 'a.js': 'same();\n', 'b.js': 'new();\n', 'bin/tool': '#!/bin/sh\nid\n' });

  it('drops from the new side only texts the compared side holds in full; package.json keeps its own', () => {
    const slim = withoutRepeatedTexts(before, after);
    const text = (p: string) => slim.files.find((f) => f.path === p)!.text;
    expect(text('a.js')).toBeUndefined();
    expect(text('b.js')).toBe('new();\n');
    expect(text('bin/tool')).toBe('#!/bin/sh\nid\n');
    expect(text('package.json')).toBe('{"name":"p"}');
    // nothing is marked cut: the text is elsewhere, not missing
    expect(slim.files.some((f) => f.truncated === true)).toBe(false);
    // the cached archive itself is left as it was
    expect(after.files.find((f) => f.path === 'a.js')!.text).toBe('same();\n');
  });

  it('keeps a text whose compared file was cut', () => {
    const cut = { ...before, files: before.files.map((f) => (f.path === 'a.js' ? { ...f, truncated: true } : f)) };
    expect(withoutRepeatedTexts(cut, after).files.find((f) => f.path === 'a.js')!.text).toBe('same();\n');
  });

  it('an unchanged file still counts as referring to a new script (its text taken back for the analysis)', () => {
    const index = "require('child_process').execFileSync(__dirname + '/scripts/setup.sh');\n";
    const previous = archive('q', '1.0.0', { 'package.json': manifest('q', '1.0.0'), 'index.js': index });
    const next = archive('q', '1.0.1', { 'package.json': manifest('q', '1.0.1'), 'index.js': index, 'scripts/setup.sh': '#!/bin/sh\necho ok\n' });
    const kinds = (a: ReturnType<typeof analyseContents>) => a.findings.filter((f) => f.signal === 'new-executable').flatMap((f) => f.evidence.kinds);
    const full = analyseContents(previous, next);
    expect(kinds(full)).not.toContain('not-referenced');
    expect(analyseContents(previous, withoutRepeatedTexts(previous, next))).toEqual(full);
  });

  it.each([...attackCases(), ...heldOutCases()].map((c) => [c.id, c] as const))('%s: the same analysis from slim archives', (_id, c) => {
    const previous = withManifest(c.name, c.from, c.before, c.manifest);
    const next = withManifest(c.name, c.to, c.after, c.manifest);
    expect(analyseContents(previous, withoutRepeatedTexts(previous, next))).toEqual(analyseContents(previous, next));
  });
});
