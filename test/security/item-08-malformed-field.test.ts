/**
 * Issue 10, item 8: one badly typed field anywhere in a packument used to reject the whole document,
 * which made the package `incomplete` (neutral by default) and turned a critical into a passing check.
 * Fields are validated one by one now; a malformed field of the version under review that a signal
 * needs, and a document that is not JSON at all, fail the check.
 */
import { manifest, reviewAgainst, startHostileRegistry, type HostileRegistry } from '../../test-support/hostile-registry.js';

const time = {
  created: '2024-01-01T00:00:00.000Z',
  '0.9.0': '2024-01-01T00:00:00.000Z',
  '1.0.0': '2025-01-01T00:00:00.000Z',
  '1.0.1': '2026-03-30T23:00:00.000Z',
};

function doc(target: Record<string, unknown>, old: Record<string, unknown> = {}): string {
  return JSON.stringify({
    name: 'dropper',
    'dist-tags': { latest: '1.0.1' },
    versions: {
      '0.9.0': manifest('dropper', '0.9.0', old),
      '1.0.0': manifest('dropper', '1.0.0'),
      '1.0.1': manifest('dropper', '1.0.1', target),
    },
    time,
  });
}

const upgrade = [[{ name: 'dropper', version: '1.0.0' }], [{ name: 'dropper', version: '1.0.1' }]] as const;

describe('item 8: a malformed field', () => {
  let server: HostileRegistry;
  afterEach(async () => server?.close());

  it('gypfile: "yes" in an old version is dropped with a note; the dropper still fails', async () => {
    server = await startHostileRegistry({ dropper: doc({ scripts: { postinstall: 'node steal.js' } }, { gypfile: 'yes' }) });
    const r = await reviewAgainst(server.url, ...upgrade);
    expect(r.incomplete).toEqual([]);
    expect(r.summary.analysed).toBe(1);
    expect(r.changes[0]!.findings.some((f) => f.signal === 'install-script-added' && f.severity === 'high')).toBe(true);
    expect(r.conclusion).toBe('failure');
    const note = r.notes.find((n) => n.kind === 'registry-document-repaired') as { package: string; dropped: string[]; message: string } | undefined;
    expect(note).toBeDefined();
    expect(note!.package).toBe('dropper');
    expect(note!.dropped).toEqual(['0.9.0: gypfile']);
  });

  it('an old version that is not an object is skipped, not the package', async () => {
    const text = doc({ scripts: { postinstall: 'node steal.js' } }).replace('"0.9.0":{', '"0.8.0":"garbage","0.9.0":{');
    server = await startHostileRegistry({ dropper: text });
    const r = await reviewAgainst(server.url, ...upgrade);
    expect(r.incomplete).toEqual([]);
    expect(r.conclusion).toBe('failure');
    expect(r.changes[0]!.findings.some((f) => f.signal === 'install-script-added')).toBe(true);
    expect(r.notes.some((n) => n.kind === 'registry-document-repaired' && /skipped/.test(n.message))).toBe(true);
  });

  it.each([
    ['scripts.postinstall', { scripts: { postinstall: ['node', 'steal.js'] } }],
    ['gypfile', { gypfile: 'yes' }],
    ['dependencies', { dependencies: { 'plain-crypto-js': 4 } }],
    ['dist.integrity', { dist: { integrity: 42, shasum: 'a'.repeat(40) } }],
  ])('a malformed %s of the version under review fails the check and says why', async (field, target) => {
    server = await startHostileRegistry({ dropper: doc(target) });
    const r = await reviewAgainst(server.url, ...upgrade);
    expect(r.incomplete).toHaveLength(1);
    expect(r.incomplete[0]!.failClosed).toBe(true);
    expect(r.incomplete[0]!.version).toBe('1.0.1');
    expect(r.incomplete[0]!.reason).toContain(field);
    expect(r.conclusion).toBe('failure');
    expect(r.summary.analysed).toBe(0);
  });

  it.each([
    ['not JSON', '<html>oops</html>'],
    ['not an object', '[1,2,3]'],
    ['truncated JSON', '{"name":"dropper","versions":{'],
  ])('a document that is %s fails the check (not neutral)', async (_label, body) => {
    server = await startHostileRegistry({ dropper: body });
    const r = await reviewAgainst(server.url, ...upgrade);
    expect(r.incomplete).toHaveLength(1);
    expect(r.incomplete[0]!.failClosed).toBe(true);
    expect(r.conclusion).toBe('failure');
  });
});
