/**
 * The CLI reviews pnpm's config dependencies like any dependency: the real pnpm 11 lockfiles with
 * an env document (test/fixtures/lockfiles/pnpm-env) against the fixture registry.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { review, root } from './format-review.js';

const dir = path.join(root, 'test', 'fixtures', 'lockfiles', 'pnpm-env');
const BASE = path.join(dir, 'config-base.pnpm-lock.yaml');
const HEAD = path.join(dir, 'config-head.pnpm-lock.yaml');
/** Three hours after picocolors 1.1.1 was published (examples/registry/picocolors.json). */
const NOW = '2024-10-16T12:12:40.775Z';

const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('pnpm-lock.yaml with configDependencies', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'lockwarden-pnpm-env-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('reviews the upgraded and the added config dependency on their lines, as direct dependencies of (config)', async () => {
    const head = await readFile(HEAD, 'utf8');
    const { report } = await review(BASE, HEAD, NOW);
    expect(report.incomplete).toEqual([]);
    const byName = new Map(report.changes.map((c) => [c.name, c]));
    expect([...byName.keys()].sort()).toEqual(['@isaacs/balanced-match', 'picocolors']);
    expect(byName.get('picocolors')).toMatchObject({
      from: '1.1.0',
      to: '1.1.1',
      kind: 'upgraded',
      line: lineOf(head, '  picocolors@1.1.1:\n'),
      direct: true,
      directOf: ['(config)'],
    });
    expect(byName.get('@isaacs/balanced-match')).toMatchObject({
      from: null,
      to: '4.0.1',
      kind: 'added',
      line: lineOf(head, "  '@isaacs/balanced-match@4.0.1':\n"),
      direct: true,
      directOf: ['(config)'],
    });
    // the signals run on them: a release three hours old, a new direct dependency
    expect(byName.get('picocolors')!.findings.map((f) => f.signal)).toContain('release-too-new');
    expect(byName.get('@isaacs/balanced-match')!.findings.map((f) => f.signal)).toContain('new-dependency');
  });

  it("flags a config dependency whose integrity is not the registry's", async () => {
    const head = await readFile(HEAD, 'utf8');
    const real = /picocolors@1\.1\.1:\n {4}resolution: \{integrity: (sha512-[^}]+)\}/.exec(head)![1]!;
    const forged = `sha512-${Buffer.alloc(64, 7).toString('base64')}`;
    const file = path.join(tmp, 'pnpm-lock.yaml');
    await writeFile(file, head.replace(real, forged));
    const { report } = await review(BASE, file, NOW);
    const c = report.changes.find((x) => x.name === 'picocolors')!;
    expect(c.findings.map((f) => f.signal)).toContain('integrity-mismatch');
    expect(c.severity).toBe('critical');
  });
});
