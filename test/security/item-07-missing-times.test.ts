/**
 * Issue 10, item 7: a packument with missing or garbage `time` must not make install-script-added fall
 * back to the lockfile's `hasInstallScript` (which the PR author controls, and which yarn, pnpm 9 and bun
 * never write). The registry's own scripts decide, and the time-based signals are reported as not evaluated.
 */
import { manifest, reviewAgainst, startHostileRegistry, type HostileRegistry } from '../../test-support/hostile-registry.js';

function dropperDoc(time: unknown): string {
  return JSON.stringify({
    name: 'dropper',
    'dist-tags': { latest: '1.0.1' },
    versions: {
      '1.0.0': manifest('dropper', '1.0.0', { scripts: { test: 'node test.js' } }),
      '1.0.1': manifest('dropper', '1.0.1', { scripts: { postinstall: 'node steal-tokens.js' } }),
    },
    ...(time === undefined ? {} : { time }),
  });
}

const cases: Array<[string, unknown]> = [
  ['no time map at all', undefined],
  ['garbage publish times', { created: 'yesterday', '1.0.0': 'soon', '1.0.1': 'not a date' }],
  [
    'a later version published before an earlier one',
    { created: '2026-03-01T00:00:00.000Z', '1.0.0': '2026-03-30T00:00:00.000Z', '1.0.1': '2026-03-01T00:00:00.000Z' },
  ],
  ['publish times after now', { created: '2026-03-01T00:00:00.000Z', '1.0.0': '2026-03-01T00:00:00.000Z', '1.0.1': '2031-01-01T00:00:00.000Z' }],
];

describe('item 7: missing or garbage publish times', () => {
  let server: HostileRegistry;
  afterEach(async () => server?.close());

  it.each(cases)('%s: the registry postinstall of a new dependency is flagged; time signals are not evaluated', async (_label, time) => {
    server = await startHostileRegistry({ dropper: dropperDoc(time) });
    // the lockfile does not say hasInstallScript (yarn, pnpm 9 and bun never do)
    const r = await reviewAgainst(server.url, [], [{ name: 'dropper', version: '1.0.1' }]);
    const change = r.changes.find((c) => c.name === 'dropper')!;
    const added = change.findings.find((f) => f.signal === 'install-script-added');
    expect(added).toBeDefined();
    expect(added!.severity).toBe('high');
    expect(added!.evidence['scripts']).toEqual({ postinstall: 'node steal-tokens.js' });
    expect(r.conclusion).toBe('failure');

    const note = r.notes.find((n) => n.kind === 'signals-not-evaluated') as { signals: string[]; packages: number; reason: string } | undefined;
    expect(note).toBeDefined();
    expect(note!.signals).toEqual(expect.arrayContaining(['release-too-new', 'dormant-revival', 'young-package', 'publisher-changed']));
    expect(note!.packages).toBe(1);
    expect(change.findings.some((f) => f.signal === 'release-too-new' || f.signal === 'young-package' || f.signal === 'dormant-revival')).toBe(false);
    // the package is not counted as fully analysed
    expect(r.summary.analysed).toBe(0);
    expect((r.summary as { partiallyAnalysed?: number }).partiallyAnalysed).toBe(1);
  });

  // (times after now still order the releases correctly: that case is only about the time signals)
  it.each(cases.slice(0, 3))('%s: a release that lost trusted publishing is still a trust downgrade (version order)', async (_label, time) => {
    const trusted = { _npmUser: { name: 'GitHub Actions', email: 'npm-oidc-no-reply@github.example', trustedPublisher: { id: 'github' } } };
    const prov = (v: string) => ({
      ...manifest('lib', v, trusted),
      dist: {
        ...(manifest('lib', v).dist as object),
        attestations: { url: 'http://registry.example/att', provenance: { predicateType: 'https://slsa.dev/provenance/v1' } },
      },
    });
    server = await startHostileRegistry({
      lib: JSON.stringify({ name: 'lib', versions: { '1.0.0': prov('1.0.0'), '1.0.1': manifest('lib', '1.0.1') }, ...(time === undefined ? {} : { time }) }),
    });
    const r = await reviewAgainst(server.url, [{ name: 'lib', version: '1.0.0' }], [{ name: 'lib', version: '1.0.1' }]);
    expect(r.changes[0]!.findings.find((f) => f.signal === 'trust-downgrade')?.severity).toBe('high');
    expect(r.conclusion).toBe('failure');
  });
});
