import type { ProvenanceSource } from '../../src/model/index.js';
import { normalizeRepository, normalizeWorkflow, provenanceSourceChanged, provenanceVersionsNeeded } from '../../src/signals/provenance-source-changed.js';
import { change, daysAgo, input, packument, prov, ver } from './builders.js';

const REPO = 'https://github.com/owner/pkg';
const WF = '.github/workflows/release.yml';
const src = (repository: string, workflow: string): ProvenanceSource => ({ repository, workflow, ref: 'refs/tags/v1' });

const p = packument('pkg', [
  ver('1.0.0', daysAgo(90), prov()),
  ver('1.0.1', daysAgo(60)),
  ver('1.1.0', daysAgo(30), prov()),
  ver('1.2.0', daysAgo(1), prov()),
  ver('1.3.0', daysAgo(0.5)),
]);
const c = change({ name: 'pkg', from: '1.1.0', to: '1.2.0' });

describe('provenanceVersionsNeeded', () => {
  it('asks for the new version and the latest earlier release with provenance', () => {
    expect(provenanceVersionsNeeded(c, p)).toEqual(['1.2.0', '1.1.0']);
  });
  it('asks for nothing when the new version has no provenance, or no earlier release has any', () => {
    expect(provenanceVersionsNeeded(change({ name: 'pkg', from: '1.2.0', to: '1.3.0' }), p)).toEqual([]);
    const first = packument('pkg', [ver('1.0.0', daysAgo(9)), ver('1.0.1', daysAgo(1), prov())]);
    expect(provenanceVersionsNeeded(change({ name: 'pkg', from: '1.0.0', to: '1.0.1' }), first)).toEqual([]);
    expect(provenanceVersionsNeeded(change({ name: 'pkg', from: '1.2.0', to: null }), p)).toEqual([]);
  });
  it('prefers a baseline of the same line', () => {
    const q = packument('pkg', [ver('1.5.0', daysAgo(90), prov()), ver('2.0.0', daysAgo(30), prov()), ver('1.5.1', daysAgo(1), prov())]);
    expect(provenanceVersionsNeeded(change({ name: 'pkg', from: '1.5.0', to: '1.5.1' }), q)).toEqual(['1.5.1', '1.5.0']);
  });
});

describe('provenance-source-changed', () => {
  it('fires (high) when the repository differs, with both sides in the evidence', () => {
    const i = input(c, p, {
      provenance: [
        ['1.2.0', src('https://github.com/attacker/pkg', WF)],
        ['1.1.0', src(REPO, WF)],
      ],
    });
    const [f] = provenanceSourceChanged.run(i);
    expect(f?.severity).toBe('high');
    expect(f?.evidence['changed']).toEqual(['repository']);
    expect(f?.evidence['repository']).toBe('https://github.com/attacker/pkg');
    expect(f?.evidence['baselineRepository']).toBe(REPO);
    expect(f?.evidence['baselineVersion']).toBe('1.1.0');
    expect(f?.message).toContain('attacker/pkg');
  });

  it('fires when the workflow path differs', () => {
    const i = input(c, p, {
      provenance: [
        ['1.2.0', src(REPO, '.github/workflows/other.yml')],
        ['1.1.0', src(REPO, WF)],
      ],
    });
    expect(provenanceSourceChanged.run(i)[0]?.evidence['changed']).toEqual(['workflow']);
  });

  it('treats equivalent spellings of the same repository and workflow as equal', () => {
    const i = input(c, p, {
      provenance: [
        ['1.2.0', src('git+https://github.com/Owner/pkg.git', `./${WF}@refs/tags/v1.2.0`)],
        ['1.1.0', src(REPO, WF)],
      ],
    });
    expect(provenanceSourceChanged.run(i)).toEqual([]);
    expect(normalizeRepository('git@github.com:Owner/pkg.git')).toBe('https://github.com/owner/pkg');
    expect(normalizeWorkflow('.github/workflows/a.yml@refs/heads/main')).toBe('.github/workflows/a.yml');
  });

  it('stays quiet when a statement is missing or unreadable', () => {
    expect(provenanceSourceChanged.run(input(c, p, { provenance: [['1.2.0', src('https://github.com/x/y', WF)]] }))).toEqual([]);
    expect(
      provenanceSourceChanged.run(
        input(c, p, {
          provenance: [
            ['1.2.0', src('https://github.com/x/y', WF)],
            ['1.1.0', null],
          ],
        }),
      ),
    ).toEqual([]);
  });
});
