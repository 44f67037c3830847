/**
 * A padded archive must not push a payload past the kept-text budget unseen. Changed code the first
 * read left past the budget is read again, alone (src/core/gatherers/content-second-look.ts), so the
 * payload is found whether or not the compared version was padded too; changed code still unread (over
 * the per-file cap) fails closed when the compared version was read in full. A package that always
 * shipped more text than the budget keeps a note only (no false alarm on big packages).
 */
import { review, type LockfileInput } from '../../src/core/review.js';
import type { ArchiveContents } from '../../src/model/index.js';
import { unreadChangedCode } from '../../src/content/index.js';
import { defaultConfig } from '../../src/policy/index.js';
import { createNpmRegistryClient } from '../../src/registry/npm.js';
import { createNpmRegistryConfig } from '../../src/registry/npmrc.js';
import { archive, manifest, obfuscatedIife, readableModule } from '../content/builders.js';
import { startArchiveRegistry, type ArchiveRegistry } from '../registry/contents/archive-registry.js';
import { literalSoup } from './content-heavy.js';

const NOW = new Date('2024-01-01T00:00:00Z');
const INDEX = readableModule('quiet', 30);
const PAYLOAD = `${INDEX}${obfuscatedIife(['fetch', 'XMLHttpRequest', 'ethereum'])}window.fetch=function(){};\n`;
/** Five text files of 2 MiB: more than the 8 MiB of text an archive keeps, read before index.js. */
const PADS = [0, 1, 2, 3, 4].map((k) => ({ path: `package/data/pad${k}.txt`, content: literalSoup(k + 1) }));

const version = (name: string, v: string, files: { path: string; content: string }[]) => ({
  manifest: { main: 'index.js' },
  packageJson: JSON.parse(manifest(name, v)),
  files,
});

let reg: ArchiveRegistry;
beforeAll(async () => {
  reg = await startArchiveRegistry({
    // read in full before; the new release pads the archive, then changes index.js behind the padding
    'quiet-lib': {
      '1.0.0': version('quiet-lib', '1.0.0', [{ path: 'package/index.js', content: INDEX }]),
      '1.0.1': version('quiet-lib', '1.0.1', [...PADS, { path: 'package/index.js', content: PAYLOAD }]),
    },
    // padded in both versions: the compared one was not read in full either
    'padded-lib': {
      '3.0.0': version('padded-lib', '3.0.0', [...PADS, { path: 'package/index.js', content: INDEX }]),
      '3.0.1': version('padded-lib', '3.0.1', [...PADS, { path: 'package/index.js', content: PAYLOAD }]),
    },
    // the payload at the end of a code file larger than one file's text cap
    'stuffed-lib': {
      '4.0.0': version('stuffed-lib', '4.0.0', [{ path: 'package/index.js', content: INDEX }]),
      '4.0.1': version('stuffed-lib', '4.0.1', [{ path: 'package/index.js', content: `var pad=[${literalSoup(9)}];\n${PAYLOAD}` }]),
    },
    // always over the budget: a routine change behind the same data is a note, not a failure
    'big-lib': {
      '2.0.0': version('big-lib', '2.0.0', [...PADS, { path: 'package/index.js', content: INDEX }]),
      '2.0.1': version('big-lib', '2.0.1', [...PADS, { path: 'package/index.js', content: `${INDEX}// 2.0.1\n` }]),
    },
  });
});
afterAll(() => reg.close());

const bump = (from: Record<string, string>, to: Record<string, string>): LockfileInput[] => [
  { file: 'package-lock.json', base: reg.packageLock(from), head: reg.packageLock(to) },
];
const registry = () => createNpmRegistryClient({ config: createNpmRegistryConfig({ registry: reg.url }), retries: 0 });

describe('changed code past the kept-text budget', () => {
  it('reads changed code behind the padding again and finds the payload in it', async () => {
    const r = await review(bump({ 'quiet-lib': '1.0.0' }, { 'quiet-lib': '1.0.1' }), { registry: registry(), now: NOW, config: defaultConfig() });
    expectPayloadFound(r, 'quiet-lib');
  });

  it('finds it as well when the compared version was padded too (not read in full)', async () => {
    const r = await review(bump({ 'padded-lib': '3.0.0' }, { 'padded-lib': '3.0.1' }), { registry: registry(), now: NOW, config: defaultConfig() });
    expectPayloadFound(r, 'padded-lib');
  });

  it('fails closed on changed code still unread (over the per-file cap), naming the file', async () => {
    const r = await review(bump({ 'stuffed-lib': '4.0.0' }, { 'stuffed-lib': '4.0.1' }), { registry: registry(), now: NOW, config: defaultConfig() });
    expect(r.incomplete).toContainEqual(
      expect.objectContaining({ name: 'stuffed-lib', version: '4.0.1', failClosed: true, reason: expect.stringMatching(/kept-text budget.*"index\.js"/) }),
    );
    expect(r.notes).toContainEqual(
      expect.objectContaining({ kind: 'content-not-analysed', package: 'stuffed-lib', reason: expect.stringMatching(/"index\.js"/) }),
    );
    expect(r.conclusion).toBe('failure');
  });

  it('keeps a note only for a package that always shipped more than the budget', async () => {
    const r = await review(bump({ 'big-lib': '2.0.0' }, { 'big-lib': '2.0.1' }), { registry: registry(), now: NOW, config: defaultConfig() });
    expect(r.incomplete.filter((i) => i.failClosed)).toEqual([]);
    expect(r.notes).toContainEqual(
      expect.objectContaining({ kind: 'content-not-analysed', package: 'big-lib', message: expect.stringMatching(/analysed in part/) }),
    );
    expect(r.conclusion).not.toBe('failure');
  });
});

/** The payload's browser hook found in index.js at high or above, the padding not reported as unread code. */
function expectPayloadFound(r: Awaited<ReturnType<typeof review>>, name: string): void {
  const findings = r.changes.filter((c) => c.name === name).flatMap((c) => c.findings);
  expect(findings).toContainEqual(
    expect.objectContaining({ severity: expect.stringMatching(/^(high|critical)$/), evidence: expect.objectContaining({ file: 'index.js' }) }),
  );
  expect(r.incomplete.filter((i) => i.name === name && /kept-text budget/.test(i.reason))).toEqual([]);
  expect(r.conclusion).toBe('failure');
}

/** The archive with these files' texts cut, as the reader leaves a file over the kept-text budget. */
function withCut(a: ArchiveContents, ...paths: string[]): ArchiveContents {
  return { ...a, files: a.files.map((f) => (paths.includes(f.path) ? { ...f, text: f.text!.slice(0, 3), truncated: true } : f)) };
}

describe('unreadChangedCode', () => {
  const before = archive('p', '1.0.0', { 'package.json': manifest('p', '1.0.0'), 'a.js': 'one', 'b.js': 'two', 'notes.md': 'x' });

  it('lists changed or added code files whose text was not kept', () => {
    const next = withCut(
      archive('p', '1.0.1', { 'package.json': manifest('p', '1.0.1'), 'a.js': 'one changed', 'b.js': 'two', 'c.py': 'new file' }),
      'a.js',
      'c.py',
    );
    expect(unreadChangedCode(before, next).sort()).toEqual(['a.js', 'c.py']);
  });

  it('leaves out unchanged files, data and docs, new packages, and packages already over the budget', () => {
    const next = withCut(archive('p', '1.0.1', { 'package.json': manifest('p', '1.0.1'), 'a.js': 'one', 'notes.md': 'long notes' }), 'a.js', 'notes.md');
    expect(unreadChangedCode(before, next)).toEqual([]);
    const grown = withCut(archive('p', '1.0.1', { 'package.json': manifest('p', '1.0.1'), 'a.js': 'one changed' }), 'a.js');
    expect(unreadChangedCode(null, grown)).toEqual([]);
    const alwaysBig = withCut(archive('p', '1.0.0', { 'package.json': manifest('p', '1.0.0'), 'a.js': 'one', 'b.js': 'two' }), 'a.js');
    expect(unreadChangedCode(alwaysBig, grown)).toEqual([]);
  });
});
