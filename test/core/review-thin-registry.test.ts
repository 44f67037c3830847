/**
 * Issue 11, items 2 and 4: a mirror that drops `_npmUser`, `maintainers` and attestations, or lacks
 * versions. The signals it leaves without data are reported as not evaluated (not a silent pass), and
 * version-not-found names the registry and says what its document shows.
 */
import { renderMarkdown, renderText } from '../../src/report/index.js';
import { reviewAgainst } from '../../test-support/hostile-registry.js';
import type { HostileRegistry } from '../../test-support/hostile-registry.js';
import { binding, PLATFORMS, startMirror } from './thin-registry.js';

let mirror: HostileRegistry;
beforeAll(async () => {
  mirror = await startMirror();
});
afterAll(async () => mirror.close());

const origin = () => mirror.url.replace(/\/$/, '');
type Note = { kind: string; signals: string[]; packages: number; reason: string; message: string };
const notesOf = (r: { notes: unknown[] }) => (r.notes as Note[]).filter((n) => n.kind === 'signals-not-evaluated');

describe('thin registry documents', () => {
  it('says publisher, maintainers and provenance were not evaluated, and counts the package as partial', async () => {
    const r = await reviewAgainst(mirror.url, [{ name: 'thin-lib', version: '1.0.0' }], [{ name: 'thin-lib', version: '1.1.0' }]);
    expect(r.conclusion).toBe('success');
    const notes = notesOf(r);
    expect(notes.flatMap((n) => n.signals).sort()).toEqual(['maintainers-changed', 'provenance-source-changed', 'publisher-changed', 'trust-downgrade']);
    expect(notes.every((n) => n.packages === 1)).toBe(true);
    expect(notes.find((n) => n.signals.includes('publisher-changed'))!.reason).toMatch(/_npmUser/);
    expect(r.summary.analysed).toBe(0);
    expect(r.summary.partiallyAnalysed).toBe(1);
    const md = renderMarkdown(r);
    expect(md.split('\n')[0]).toContain('publisher, maintainers and provenance not checked for 1 package: the registry does not publish them');
    expect(renderText(r).split('\n')[0]).toContain('publisher, maintainers and provenance not checked');
  });

  it('adds nothing for a full document without provenance (the package never had any)', async () => {
    const r = await reviewAgainst(mirror.url, [{ name: 'full-lib', version: '1.0.0' }], [{ name: 'full-lib', version: '1.1.0' }]);
    expect(notesOf(r)).toEqual([]);
    expect(r.summary.analysed).toBe(1);
    expect(r.summary.partiallyAnalysed).toBe(0);
    expect(renderMarkdown(r).split('\n')[0]).not.toContain('not checked');
  });

  it('still flags a package that had provenance and lost it (trust-downgrade), from a thin mirror', async () => {
    const r = await reviewAgainst(mirror.url, [{ name: 'lost-prov', version: '1.0.0' }], [{ name: 'lost-prov', version: '1.0.1' }]);
    expect(r.changes[0]!.findings.find((f) => f.signal === 'trust-downgrade')?.severity).toBe('high');
    expect(r.conclusion).toBe('failure');
    const signals = notesOf(r).flatMap((n) => n.signals);
    expect(signals).toContain('publisher-changed');
    expect(signals).not.toContain('trust-downgrade');
  });

  it('counts packages per reason across a review', async () => {
    const r = await reviewAgainst(
      mirror.url,
      [
        { name: 'thin-lib', version: '1.0.0' },
        { name: 'full-lib', version: '1.0.0' },
      ],
      [
        { name: 'thin-lib', version: '1.1.0' },
        { name: 'full-lib', version: '1.1.0' },
      ],
    );
    expect(r.summary.analysed).toBe(1);
    expect(r.summary.partiallyAnalysed).toBe(1);
    expect(notesOf(r).every((n) => n.packages === 1)).toBe(true);
  });
});

describe('version-not-found against a mirror', () => {
  const vnf = async (name: string, from: string, to: string) => {
    const r = await reviewAgainst(mirror.url, [{ name, version: from }], [{ name, version: to }]);
    const f = r.changes.find((c) => c.name === name)!.findings.find((x) => x.signal === 'version-not-found');
    expect(f?.severity).toBe('high');
    return f!;
  };

  it('names the registry that answered, and an unpublished version as such', async () => {
    const f = await vnf('gone-ver', '1.0.0', '1.0.1');
    expect(f.evidence['reason']).toBe('unpublished');
    expect(f.evidence['registry']).toBe(origin());
    expect(f.message).toContain(`the registry at ${origin()} does not list that version`);
    expect(f.message).toMatch(/lists that version as unpublished/);
  });

  it('an unpublished package (time.unpublished)', async () => {
    const f = await vnf('gone-pkg', '1.0.0', '1.0.1');
    expect(f.evidence['reason']).toBe('unpublished');
    expect(f.message).toMatch(/lists gone-pkg as unpublished/);
  });

  it('a version never listed while the document has others', async () => {
    const f = await vnf('never-ver', '1.0.0', '1.5.0');
    expect(f.evidence['reason']).toBe('never-listed');
    expect(f.message).toMatch(/lists 2 other versions and keeps no trace of this one/);
  });

  it('a document without time, and a version newer than the mirror has', async () => {
    expect((await vnf('no-time', '1.0.0', '1.5.0')).evidence['reason']).toBe('no-time');
    const f = await vnf(binding('darwin-arm64'), '0.106.0', '0.107.0');
    expect(f.evidence['reason']).toBe('partial-mirror');
    expect(f.message).toMatch(/newer than every version its document lists/);
  });

  it('a package the registry does not know (404) names the registry too', async () => {
    const f = await vnf('no-such-pkg', '1.0.0', '1.0.1');
    expect(f.evidence['reason']).toBe('no-versions');
    expect(f.evidence['registry']).toBe(origin());
  });

  it('groups sibling platform packages with the same finding in Markdown; JSON keeps every change', async () => {
    const base = PLATFORMS.map((p) => ({ name: binding(p), version: '0.106.0' }));
    const head = PLATFORMS.map((p) => ({ name: binding(p), version: '0.107.0' }));
    const r = await reviewAgainst(mirror.url, [...base, { name: 'never-ver', version: '1.0.0' }], [...head, { name: 'never-ver', version: '1.5.0' }]);
    expect(r.changes.filter((c) => c.findings.some((f) => f.signal === 'version-not-found'))).toHaveLength(4);
    const md = renderMarkdown(r);
    expect(md).toContain('| 🟠 high | `@oxc-minify/binding-*` (3) | `0.107.0` | version-not-found |');
    expect(md).toContain('`@oxc-minify/binding-*` (3) `0.107.0`: version-not-found');
    for (const p of PLATFORMS) expect(md).toContain(`\`${binding(p)}\``);
    // the unrelated package keeps its own row
    expect(md).toMatch(/\| `never-ver` \| `1\.0\.0` → `1\.5\.0`/);
  });
});
